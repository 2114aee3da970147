package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.function.ToDoubleBiFunction;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.spec.Json;

/**
 * What the streaming commands' tests share: the models, one dataset written in the four forms a streamed command
 * reads (CSV, JSON Lines a step a line and a sequence a line, dataset JSON), running a command that must succeed,
 * comparing every form of a streamed command's output with the in-memory one's, and the check that bad input
 * leaves no output.
 */
final class StreamingFixtures {
    private StreamingFixtures() {
    }

    /** A two-state Gaussian HMM with named states. */
    static final String HMM = "{\"type\": \"hmm\", \"states\": [\"calm\", \"busy\"], \"initial\": [0.6, 0.4],"
            + " \"transition\": [[0.9, 0.1], [0.3, 0.7]], \"emission\": {\"type\": \"gaussian\", \"covarianceType\": "
            + "\"full\", \"means\": [[0], [3]], \"covariances\": [[[1]], [[2]]]}}";

    /** A two-state HMM over the symbols sunny and rainy. */
    static final String WEATHER = "{\"type\": \"hmm\", \"initial\": [0.5, 0.5], \"transition\": [[0.8, 0.2], [0.4, 0.6]],"
            + " \"emission\": {\"type\": \"categorical\", \"symbols\": [\"sunny\", \"rainy\"], \"probabilities\": [[0.9, 0.1], [0.2, 0.8]]}}";

    /** The local-level model (a random walk seen in noise). */
    static final String LOCAL_LEVEL = "{\"type\": \"lgssm\", \"transitionMatrix\": [[1]], \"processNoise\": [[1]],"
            + " \"observationMatrix\": [[1]], \"observationNoise\": [[1]], \"initialMean\": [0], \"initialCovariance\": [[10]]}";

    /** A local linear trend (n = 2, m = 1) with a known prior: a model whose state is continuous. */
    static final String TREND = "{\"type\": \"lgssm\", \"transitionMatrix\": [[1, 1], [0, 1]], \"processNoise\": "
            + "[[0.3, 0.05], [0.05, 0.1]], \"observationMatrix\": [[1, 0]], \"observationNoise\": [[2]], "
            + "\"initialMean\": [0, 0.5], \"initialCovariance\": [[10, 0], [0, 4]]}";

    /** A file {@code name} in {@code dir} holding {@code text}. */
    static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** Runs the command line in this JVM and requires it to succeed. */
    static CliRunner ok(String... args) {
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r;
    }

    /**
     * One sequence over the symbols of {@link #WEATHER} (rainy, sunny, missing, rainy) as w.jsonl (a step a line,
     * the symbols matched by name) and w.json (dataset JSON listing the symbols in another order), in that order.
     */
    static Path[] weatherFiles(Path dir) throws IOException {
        return new Path[] {write(dir, "w.jsonl", "{\"observation\": \"rainy\"}\n{\"observation\": \"sunny\"}\n"
                + "{\"observation\": null}\n{\"observation\": \"rainy\"}\n"),
            write(dir, "w.json", "{\"symbols\": [\"rainy\", \"sunny\"], \"sequences\": [{\"observations\": "
                + "[\"rainy\", \"sunny\", null, \"rainy\"]}]}")};
    }

    /**
     * Two sequences of reals (a: 3000 steps, several chunks of the reader, step 9 missing; b: 5 steps; values that
     * switch between levels 0 and 3 every 10 steps, with noise) in the four files of {@link #scalarFiles}.
     */
    static Path[] twoSequences(Path dir) throws IOException {
        return files(dir, 3, (r, t) -> r.nextGaussian() + (t % 20 < 10 ? 0 : 3), t -> t == 9, 3000, 5);
    }

    /**
     * Sequences "a", "b", ... of these lengths, one scalar a step (a drifting sine with noise, 5 decimals), steps
     * 9 and every 97th of the first sequence missing, written as d.csv, steps.jsonl (a step a line), seqs.jsonl (a
     * sequence a line) and d.json (dataset JSON, the in-memory commands' input) in {@code dir}, in that order.
     */
    static Path[] scalarFiles(Path dir, long seed, int... lengths) throws IOException {
        return files(dir, seed, (r, t) -> 0.02 * t + 3 * Math.sin(t / 40.0) + r.nextGaussian(),
                t -> t == 9 || t % 97 == 50, lengths);
    }

    // the four files of sequences a, b, ...: value(r, t) at step t unless missingInFirst(t) in the first sequence
    private static Path[] files(Path dir, long seed, ToDoubleBiFunction<Random, Integer> value,
            IntPredicate missingInFirst, int... lengths) throws IOException {
        Random r = new Random(seed);
        StringBuilder csv = new StringBuilder("sequence,t,y\n");
        StringBuilder steps = new StringBuilder();
        StringBuilder lines = new StringBuilder();
        StringBuilder doc = new StringBuilder("{\"sequences\": [");
        for (int i = 0; i < lengths.length; i++) {
            String id = Character.toString('a' + i);
            StringBuilder obs = new StringBuilder();
            for (int t = 0; t < lengths[i]; t++) {
                boolean missing = i == 0 && missingInFirst.test(t);
                String y = missing ? null : String.format(Locale.ROOT, "%.5f", value.applyAsDouble(r, t));
                csv.append(id).append(',').append(t).append(',').append(y == null ? "" : y).append('\n');
                steps.append("{\"sequence\": \"").append(id).append("\", \"t\": ").append(t).append(", \"observation\": ")
                        .append(y).append("}\n");
                obs.append(t == 0 ? "" : ", ").append(y);
            }
            String seq = "{\"id\": \"" + id + "\", \"observations\": [" + obs + "]}";
            lines.append(seq).append('\n');
            doc.append(i == 0 ? "" : ", ").append(seq);
        }
        doc.append("]}");
        return new Path[] {write(dir, "d.csv", csv.toString()), write(dir, "steps.jsonl", steps.toString()),
            write(dir, "seqs.jsonl", lines.toString()), write(dir, "d.json", doc.toString())};
    }

    /**
     * A streamed JSON result equals the in-memory one in every field but the provenance, which says it was
     * streamed.
     */
    static void assertSameResult(JsonNode streamed, JsonNode inMemory, String what) {
        ObjectNode a = streamed.deepCopy();
        ObjectNode b = inMemory.deepCopy();
        assertThat(a.remove("provenance").path("streamed").asBoolean()).as(what + ": provenance.streamed").isTrue();
        b.remove("provenance");
        assertThat(a).as(what).isEqualTo(b);
    }

    /**
     * Every form of output of {@code command} (the command's name, --model and its options, but not --data and
     * --out) over every one of {@code data} streamed equals the in-memory command's over {@code inMemoryData}: the
     * tidy CSV line for line (the in-memory one stays as memory.csv in {@code dir}), the JSON to a file and to
     * standard output ({@link #assertSameResult}), the summary's text; and no temporary file is left. Returns the
     * in-memory JSON.
     */
    static JsonNode assertStreamedEqualsInMemory(Path dir, Path[] data, Path inMemoryData, String... command)
            throws IOException {
        Path memoryCsv = dir.resolve("memory.csv");
        ok(args(command, "--data", inMemoryData.toString(), "--out", memoryCsv.toString()));
        JsonNode memoryJson = Json.parse(ok(args(command, "--data", inMemoryData.toString(), "--json")).out(), "stdout");
        String memorySummary = ok(args(command, "--data", inMemoryData.toString())).out();
        for (Path d : data) {
            Path csv = dir.resolve("streamed.csv");
            ok(args(command, "--data", d.toString(), "--stream", "--out", csv.toString()));
            assertThat(Files.readAllLines(csv)).as(d.toString()).containsExactlyElementsOf(Files.readAllLines(memoryCsv));
            Path json = dir.resolve("streamed.json");
            ok(args(command, "--data", d.toString(), "--stream", "--out", json.toString()));
            assertSameResult(Json.read(json), memoryJson, d.toString());
            assertSameResult(Json.parse(ok(args(command, "--data", d.toString(), "--stream", "--json")).out(), "stdout"),
                    memoryJson, d + " to standard output");
            assertThat(ok(args(command, "--data", d.toString(), "--stream")).out()).as(d.toString())
                    .isEqualTo(memorySummary);
        }
        assertNoTemporaryFiles(dir);
        return memoryJson;
    }

    /** {@code first} followed by {@code more}, as one command line. */
    static String[] args(String[] first, String... more) {
        return Stream.concat(Stream.of(first), Stream.of(more)).toArray(String[]::new);
    }

    /** No temporary file of an atomic write is left in {@code dir}. */
    static void assertNoTemporaryFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().contains(".tmp")).toList()).isEmpty();
        }
    }

    /**
     * {@code command} (the command's name and its options but --data and --out) fails naming the file when the data
     * do not exist (leaving no output) and when the output is a folder.
     */
    static void assertMissingDataAndUnwritableOutputFail(Path dir, String... command) throws IOException {
        Path out = dir.resolve("r.csv");
        CliRunner missing = CliRunner.run(args(command, "--data", dir.resolve("none.csv").toString(), "--out",
                out.toString()));
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("none.csv").contains("no such file");
        assertThat(out).doesNotExist();
        Path good = write(dir, "good.csv", "y\n0.5\n1.5\n");
        Path folder = Files.createDirectory(dir.resolve("folder.csv"));
        CliRunner unwritable = CliRunner.run(args(command, "--data", good.toString(), "--out", folder.toString()));
        assertThat(unwritable.exitCode()).isNotZero();
        assertThat(unwritable.err()).contains("folder.csv");
    }

    /**
     * {@code command} (the command's name and its options but --data and --out) over a CSV whose fourth line is
     * NaN fails with one error naming the file and the line, and leaves no output file.
     */
    static void assertBadLineLeavesNoOutput(Path dir, String... command) throws IOException {
        Path data = write(dir, "bad.csv", "y\n0.5\n1.5\nNaN\n2\n");
        Path out = dir.resolve("bad-result.csv");
        CliRunner r = CliRunner.run(args(command, "--data", data.toString(), "--out", out.toString()));
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.errorLines()).hasSize(1);
        assertThat(r.err()).contains("bad.csv").contains("line 4");
        assertThat(out).doesNotExist();
        assertNoTemporaryFiles(dir);
    }
}
