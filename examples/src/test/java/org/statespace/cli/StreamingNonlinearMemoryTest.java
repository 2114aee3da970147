package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code smooth --stream} of the extended filter's growth model over one 10^5-step sequence in a child JVM with a
 * 16 MB heap: it finishes and writes every step, although the in-memory smoother keeps 6 arrays of every step's
 * moments besides the sequence and the result (measured: the in-memory {@code smooth} of such a file runs out of
 * memory at -Xmx24m, and of twice as many steps at -Xmx128m), because the filter's moments are spilled to disk
 * (2n + 3n² + m + p = 6 doubles a step) and the backward pass reads them a block at a time; no spill file is left.
 * That the streamed numbers are the in-memory ones is {@link StreamingNonlinearCommandLineTest}'s and
 * {@code SpilledNonlinearTest}'s part.
 */
class StreamingNonlinearMemoryTest {
    private static final int STEPS = 100_000;

    @TempDir
    Path dir;

    @Test
    void aHundredThousandStepsAreSmoothedInSixteenMegabytes() throws IOException, InterruptedException {
        Path model = Files.writeString(dir.resolve("ekf.json"), StreamingNonlinearCommandLineTest.EKF);
        Path data = dir.resolve("long.csv");
        // the growth model's own law: x_t = x/2 + 25x/(1 + x²) + 8 cos(1.2t) + N(0, 10), y_t = x²/20 + N(0, 1)
        Random r = new Random(1);
        double x = 0;
        try (BufferedWriter w = Files.newBufferedWriter(data, StandardCharsets.UTF_8)) {
            w.write("y\n");
            for (int t = 0; t < STEPS; t++) {
                if (t > 0) {
                    x = 0.5 * x + 25 * x / (1 + x * x) + 8 * Math.cos(1.2 * t) + Math.sqrt(10) * r.nextGaussian();
                }
                w.write(t % 97 == 50 ? "\n" : String.format(Locale.ROOT, "%.5f%n", x * x / 20 + r.nextGaussian()));
            }
        }
        Path out = dir.resolve("smoothed.csv");
        Path log = dir.resolve("child.log");
        Process smooth = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx16m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "smooth", "--stream", "--model", model.toString(), "--data", data.toString(),
                "--out", out.toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(smooth.waitFor(300, TimeUnit.SECONDS)).as("the child finishes").isTrue();
        assertThat(smooth.exitValue()).as(Files.readString(log)).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(1 + STEPS);
        assertThat(lines.get(0)).isEqualTo("sequence,t,smoothedMeans,smoothedCovariances.0.0");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("statespace-spill-")).toList()).isEmpty();
        }
    }
}
