package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.statespace.cli.StreamingFixtures.ok;
import static org.statespace.cli.StreamingFixtures.write;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statespace.spec.Json;

/**
 * {@code filter --stream --states} over one sequence of 5*10^4 steps in a child JVM with a 12 MB heap: it
 * finishes, and its JSON (the state tracks spilled while the sequence runs) holds the numbers of the in-memory
 * {@code filter --states} run in this JVM. The in-memory path does not fit that heap: measured, it ran out of memory
 * at -Xmx12m and -Xmx16m over 5*10^4 such steps, and at -Xmx24m over 2*10^5 (60 MB live after a collection
 * there), as it holds the sequence, its tracks and the JSON tree of every step; the streamed run of 2*10^5 steps
 * finished at -Xmx16m.
 */
class StreamingFilterStatesMemoryTest {
    private static final int STEPS = 50_000;

    @TempDir
    Path dir;

    @Test
    void aLongSequencesStatesStreamInTwelveMegabytes() throws IOException, InterruptedException {
        Path model = write(dir, "hmm.json", StreamingFixtures.HMM);
        Path data = dir.resolve("long.csv");
        Random r = new Random(5);
        try (BufferedWriter w = Files.newBufferedWriter(data)) {
            w.write("sequence,t,y\n");
            int s = 0;
            for (int t = 0; t < STEPS; t++) {
                s = r.nextDouble() < (s == 0 ? 0.1 : 0.3) ? 1 - s : s;
                double y = s == 0 ? r.nextGaussian() : 3 + Math.sqrt(2) * r.nextGaussian();
                w.write("a," + t + "," + Math.round(y * 1e5) / 1e5 + "\n"); // 5 decimals
            }
        }
        Path streamed = dir.resolve("streamed.json");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx12m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "filter", "--model", model.toString(), "--data", data.toString(), "--stream",
                "--states", "--out", streamed.toString());
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child finishes").isTrue();
        assertThat(child.exitValue()).as(Files.readString(dir.resolve("child.log"))).isZero();

        Path memory = dir.resolve("memory.json");
        ok("filter", "--model", model.toString(), "--data", data.toString(), "--states", "--threads=1", "--out",
                memory.toString());
        JsonNode a = Json.read(streamed);
        JsonNode e = Json.read(memory);
        assertThat(a.get("states")).isEqualTo(e.get("states"));
        assertThat(a.get("logLikelihood")).isEqualTo(e.get("logLikelihood"));
        JsonNode as = a.get("sequences").get(0);
        JsonNode es = e.get("sequences").get(0);
        assertThat(as.get("filteredProbabilities")).hasSize(STEPS);
        assertThat(as.get("filteredProbabilities").equals(es.get("filteredProbabilities"))).as("filteredProbabilities")
                .isTrue();
        assertThat(as.get("predictiveLogDensities").equals(es.get("predictiveLogDensities")))
                .as("predictiveLogDensities").isTrue();
        // the spilled parts are removed
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".part")).toList()).isEmpty();
        }
    }
}
