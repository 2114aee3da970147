package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code smooth --draws 3 --stream} of an HMM over one 10^5-step sequence in a child JVM with a 16 MB heap: it
 * writes every draw (1 + 3·T lines of CSV), while the in-memory {@code smooth --draws 3} in the same heap runs out of
 * memory (it holds the sequence, the filter and every draw); no spill file is left. The two children run side by
 * side, so the test takes about as long as one (about 5 s). That the streamed draws are the
 * in-memory ones is {@link StreamingDrawsCommandLineTest}'s.
 */
class StreamingDrawsMemoryTest {
    private static final int STEPS = 100_000;

    @TempDir
    Path dir;

    private Process child(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx16m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + dir, "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void drawsOfAHundredThousandStepsFitInSixteenMegabytes() throws IOException, InterruptedException {
        Path model = StreamingFixtures.write(dir, "hmm.json", StreamingFixtures.HMM);
        Path data = dir.resolve("long.csv");
        Random r = new Random(5);
        try (BufferedWriter w = Files.newBufferedWriter(data, StandardCharsets.UTF_8)) {
            w.write("y\n");
            for (int t = 0; t < STEPS; t++) {
                w.write(String.format(Locale.ROOT, "%.4f%n", (t % 40 < 25 ? 0 : 3) + r.nextGaussian()));
            }
        }
        Path streamedLog = dir.resolve("streamed.log");
        Path memoryLog = dir.resolve("memory.log");
        Path streamed = dir.resolve("streamed.csv");
        Process s = child(streamedLog, "smooth", "--stream", "--draws", "3", "--seed", "5", "--model", model.toString(),
                "--data", data.toString(), "--out", streamed.toString());
        Process m = child(memoryLog, "smooth", "--draws", "3", "--seed", "5", "--model", model.toString(), "--data",
                data.toString(), "--out", dir.resolve("memory.csv").toString());
        assertThat(s.waitFor(120, TimeUnit.SECONDS)).as("the streamed child finishes").isTrue();
        assertThat(m.waitFor(120, TimeUnit.SECONDS)).as("the in-memory child finishes").isTrue();
        assertThat(s.exitValue()).as(Files.readString(streamedLog)).isZero();
        try (Stream<String> lines = Files.lines(streamed)) {
            assertThat(lines.count()).isEqualTo(1 + 3L * STEPS);
        }
        assertThat(m.exitValue()).as("the in-memory draws in the same heap").isNotZero();
        assertThat(Files.readString(memoryLog)).contains("out of memory");
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("statespace-spill-")).toList()).isEmpty();
        }
    }
}
