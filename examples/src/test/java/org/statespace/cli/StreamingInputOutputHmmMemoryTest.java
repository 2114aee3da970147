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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statespace.spec.Json;

/**
 * {@code fit --stream} of an input-output HMM over one 10^6-step sequence in a child JVM with a 64 MB heap: it
 * finishes, although the E-step's transition statistics are a row a step (p + 1 + K² = 6 numbers, 48 MB here, which
 * the in-memory arrays would double on growth), because they are spilled and the M-step's logistic regressions read
 * them a block at a time; the fitted spec is the in-memory fit's (run in this JVM, whose heap holds the sequence);
 * no spill file is left.
 */
class StreamingInputOutputHmmMemoryTest {
    private static final int STEPS = 1_000_000;

    private static final String IOHMM = "{\"type\": \"iohmm\", \"inputs\": 1, \"states\": [\"low\", \"high\"],"
            + " \"initial\": [0.6, 0.4], \"transitionWeights\": [[[1.5], [-1.5]], [[-2.0], [2.0]]],"
            + " \"transitionBiases\": [[1, -1], [-0.5, 0.5]], \"emission\": {\"type\": \"gaussian\","
            + " \"covarianceType\": \"diagonal\", \"means\": [[0], [3]], \"covariances\": [[1], [2]]}}";

    @TempDir
    Path dir;

    @Test
    void aMillionStepsAreFittedInSixtyFourMegabytes() throws IOException, InterruptedException {
        Path model = dir.resolve("iohmm.json");
        Files.writeString(model, IOHMM);
        Path data = dir.resolve("long.csv");
        Random r = new Random(5);
        try (BufferedWriter w = Files.newBufferedWriter(data, StandardCharsets.UTF_8)) {
            w.write("y,input\n");
            for (int t = 0; t < STEPS; t++) {
                double u = Math.sin(t / 50.0) + 0.3 * r.nextGaussian();
                w.write(String.format(Locale.ROOT, "%.4f,%.4f%n", (u > 0 ? 3 : 0) + r.nextGaussian(), u));
            }
        }
        Path fitted = dir.resolve("fitted.json");
        Path log = dir.resolve("child.log");
        Process fit = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "fit", "--stream", "--model", model.toString(), "--data", data.toString(),
                "--max-iterations", "1", "--out", fitted.toString())).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertThat(fit.waitFor(300, TimeUnit.SECONDS)).as("the child finishes").isTrue();
        assertThat(fit.exitValue()).as(Files.readString(log)).isZero();
        Path memory = dir.resolve("memory.json");
        CliRunner m = CliRunner.run("fit", "--model", model.toString(), "--data", data.toString(), "--max-iterations", "1",
                "--threads", "1", "--out", memory.toString());
        assertThat(m.exitCode()).as(m.err()).isZero();
        assertThat(Json.read(fitted)).isEqualTo(Json.read(memory));
        assertThat(Json.read(fitted).get("transitionWeights")).as("the fit moved the weights")
                .isNotEqualTo(Json.read(model).get("transitionWeights"));
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("statespace-spill-")).toList()).isEmpty();
        }
    }
}
