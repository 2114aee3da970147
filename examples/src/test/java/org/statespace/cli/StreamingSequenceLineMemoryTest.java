package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statespace.spec.Json;

/**
 * {@code filter --stream} of one 3·10^5-step sequence written on one JSON Lines line (its id after its observations,
 * one step in a thousand missing) in a child JVM with a 12 MB heap: it finishes, with the log-likelihood of a forward
 * recursion written here and run while the file is generated. The in-memory {@code filter} of the same sequence as a
 * dataset document runs out of memory in the same heap, as did the reader that held a sequence object whole.
 */
class StreamingSequenceLineMemoryTest {
    private static final int STEPS = 300_000;

    @TempDir
    Path dir;

    private Process child(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx12m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile())
                .start();
    }

    @Test
    void oneLongSequenceOnOneLineIsFilteredInTwelveMegabytes() throws IOException, InterruptedException {
        Path model = StreamingFixtures.write(dir, "hmm.json", "{\"type\": \"hmm\", \"initial\": [0.6, 0.4], "
                + "\"transition\": [[0.95, 0.05], [0.1, 0.9]], \"emission\": {\"type\": \"gaussian\", "
                + "\"covarianceType\": \"full\", \"means\": [[0], [3]], \"covariances\": [[[1]], [[2]]]}}");
        double[] mean = {0, 3};
        double[] variance = {1, 2};
        double[][] a = {{0.95, 0.05}, {0.1, 0.9}};
        Path line = dir.resolve("long.jsonl");
        Path document = dir.resolve("long.json");
        Random r = new Random(23);
        double logLikelihood = 0;
        double[] p = {0.6, 0.4};
        try (BufferedWriter l = Files.newBufferedWriter(line, StandardCharsets.UTF_8);
                BufferedWriter d = Files.newBufferedWriter(document, StandardCharsets.UTF_8)) {
            l.write("{\"observations\": [");
            d.write("{\"sequences\": [{\"observations\": [");
            int state = r.nextDouble() < 0.6 ? 0 : 1;
            for (int t = 0; t < STEPS; t++) {
                if (t > 0) {
                    state = r.nextDouble() < a[state][0] ? 0 : 1;
                }
                boolean missing = t % 1000 == 7;
                String y = missing ? "null" : Double.toString(Math.round((mean[state] + Math.sqrt(variance[state])
                        * r.nextGaussian()) * 1e4) / 1e4);
                String text = (t == 0 ? "" : ", ") + y;
                l.write(text);
                d.write(text);
                // the scaled forward recursion on the value as written; a missing step only predicts
                double w0 = p[0];
                double w1 = p[1];
                if (!missing) {
                    double v = Double.parseDouble(y);
                    w0 *= Math.exp(-(v - mean[0]) * (v - mean[0]) / (2 * variance[0])) / Math.sqrt(2 * Math.PI * variance[0]);
                    w1 *= Math.exp(-(v - mean[1]) * (v - mean[1]) / (2 * variance[1])) / Math.sqrt(2 * Math.PI * variance[1]);
                }
                double c = w0 + w1;
                logLikelihood += Math.log(c);
                p = new double[] {(w0 * a[0][0] + w1 * a[1][0]) / c, (w0 * a[0][1] + w1 * a[1][1]) / c};
            }
            l.write("], \"id\": \"long\"}\n");
            d.write("], \"id\": \"long\"}]}\n");
        }
        Path out = dir.resolve("streamed.jsonl");
        Process streamed = child("filter", "--stream", "--model", model.toString(), "--data", line.toString(), "--out",
                out.toString());
        assertThat(streamed.waitFor(60, TimeUnit.SECONDS)).as("the child finishes").isTrue();
        assertThat(streamed.exitValue()).as(Files.readString(dir.resolve("child.log"))).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(2);
        assertThat(Json.parse(lines.get(0), "sequence").get("id").asText()).isEqualTo("long");
        JsonNode totals = Json.parse(lines.get(1), "totals");
        assertThat(totals.get("logLikelihood").asDouble()).isCloseTo(logLikelihood, Offset.offset(1e-9 * Math.abs(logLikelihood)));
        assertThat(totals.get("observations").asLong()).isEqualTo(STEPS - STEPS / 1000);
        Process inMemory = child("filter", "--model", model.toString(), "--data", document.toString(), "--out",
                dir.resolve("memory.json").toString());
        assertThat(inMemory.waitFor(60, TimeUnit.SECONDS)).as("the child finishes").isTrue();
        assertThat(inMemory.exitValue()).isNotZero();
        assertThat(Files.readString(dir.resolve("child.log"))).contains("out of memory");
    }
}
