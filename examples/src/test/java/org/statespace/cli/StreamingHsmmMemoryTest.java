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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.data.DatasetCsv;
import org.statespace.data.Sequence;
import org.statespace.hmm.StateProbabilities;
import org.statespace.hsmm.HiddenSemiMarkovModel;
import org.statespace.spec.ModelSpecs;

/**
 * {@code smooth --stream} of an explicit-duration HMM (M = 80 slots of the expanded chain) over a 5·10^4-step file in
 * a child JVM with a 24 MB heap: it finishes, and its posteriors are the in-memory smoother's bit for bit (the
 * library's, run in this JVM, whose heap holds the sequence); the in-memory {@code smooth} in the same 24 MB runs out
 * of memory (its filter and backward arrays alone are 2·T·M doubles, 64 MB). The spill file is gone afterwards.
 */
class StreamingHsmmMemoryTest {
    private static final int STEPS = 50_000;

    @TempDir
    Path dir;

    private Process child(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx24m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile())
                .start();
    }

    @Test
    void fiftyThousandStepsAreSmoothedInTwentyFourMegabytes() throws IOException, InterruptedException {
        Path model = StreamingFixtures.write(dir, "hsmm.json", HsmmCommandLineTest.TRUTH);
        Path data = dir.resolve("long.csv");
        Random r = new Random(17);
        try (BufferedWriter w = Files.newBufferedWriter(data, StandardCharsets.UTF_8)) {
            w.write("y\n");
            int level = 0;
            int t = 0;
            while (t < STEPS) { // segments of 1..12 steps at levels 0 and 4; every 1000th step missing
                for (int d = 1 + r.nextInt(12); d > 0 && t < STEPS; d--, t++) {
                    w.write(t % 1000 == 500 ? "" : Double.toString(Math.round((4 * level + r.nextGaussian()) * 1e4) / 1e4));
                    w.write('\n');
                }
                level = 1 - level;
            }
        }
        Path streamed = dir.resolve("streamed.csv");
        Process smooth = child("smooth", "--stream", "--model", model.toString(), "--data", data.toString(), "--out",
                streamed.toString());
        assertThat(smooth.waitFor(120, TimeUnit.SECONDS)).as("the child finishes").isTrue();
        assertThat(smooth.exitValue()).as(Files.readString(dir.resolve("child.log"))).isZero();
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("statespace-spill-")).toList()).isEmpty();
        }
        Process inMemory = child("smooth", "--model", model.toString(), "--data", data.toString(), "--out",
                dir.resolve("memory-24m.csv").toString());
        assertThat(inMemory.waitFor(120, TimeUnit.SECONDS)).as("the child finishes").isTrue();
        assertThat(inMemory.exitValue()).isNotZero();
        assertThat(Files.readString(dir.resolve("child.log"))).contains("out of memory").contains("add --stream");
        // the in-memory smoother in this JVM; the CSV's numbers are Double.toString's, so they read back exactly
        HiddenSemiMarkovModel hsmm = (HiddenSemiMarkovModel) ModelSpecs.read(model);
        Sequence sequence = hsmm.observationSpace().align(DatasetCsv.read(data), "long.csv").sequence(0);
        StateProbabilities expected = hsmm.smoothStates(sequence);
        List<String> lines = Files.readAllLines(streamed);
        assertThat(lines).hasSize(STEPS + 1);
        assertThat(lines.get(0)).isEqualTo("sequence,t,posteriorProbabilities.low,posteriorProbabilities.high");
        for (int t = 0; t < STEPS; t++) {
            String[] cells = lines.get(t + 1).split(",");
            assertThat(Integer.parseInt(cells[1])).isEqualTo(t);
            assertThat(new double[] {Double.parseDouble(cells[2]), Double.parseDouble(cells[3])}).as("step %d", t)
                    .containsExactly(expected.at(t));
        }
    }
}
