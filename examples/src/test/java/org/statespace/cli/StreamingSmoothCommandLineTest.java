package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statespace.spec.Json;

/**
 * {@code smooth --stream} (and {@code .jsonl} data) writes what the in-memory {@code smooth} writes: the tidy CSV
 * line for line, the JSON's sequences and log-likelihood, the summary's text, from CSV, JSON Lines and dataset
 * JSON input (the in-memory smoother is the independent implementation); bad input is one error naming the file
 * and line, and leaves no output file.
 */
class StreamingSmoothCommandLineTest {
    @TempDir
    Path dir;

    private static final String HMM = "{\"type\": \"hmm\", \"states\": [\"calm\", \"busy\"], \"initial\": [0.6, 0.4],"
            + " \"transition\": [[0.9, 0.1], [0.3, 0.7]], \"emission\": {\"type\": \"gaussian\", \"covarianceType\": "
            + "\"full\", \"means\": [[0], [3]], \"covariances\": [[[1]], [[2]]]}}";
    private static final String WEATHER = "{\"type\": \"hmm\", \"initial\": [0.5, 0.5], \"transition\": [[0.8, 0.2], [0.4, 0.6]],"
            + " \"emission\": {\"type\": \"categorical\", \"symbols\": [\"sunny\", \"rainy\"], \"probabilities\": [[0.9, 0.1], [0.2, 0.8]]}}";

    // two sequences (a: 3000 steps, so several chunks of the reader, one missing; b: 5 steps) in four files
    private Path[] files() throws IOException {
        Random r = new Random(3);
        int[] lengths = {3000, 5};
        StringBuilder csv = new StringBuilder("sequence,t,y\n");
        StringBuilder steps = new StringBuilder();
        StringBuilder lines = new StringBuilder();
        StringBuilder doc = new StringBuilder("{\"sequences\": [");
        String[] ids = {"a", "b"};
        for (int i = 0; i < 2; i++) {
            StringBuilder obs = new StringBuilder();
            for (int t = 0; t < lengths[i]; t++) {
                boolean missing = i == 0 && t == 9;
                String y = missing ? null : String.format(Locale.ROOT, "%.5f", r.nextGaussian() + (t % 20 < 10 ? 0 : 3));
                csv.append(ids[i]).append(',').append(t).append(',').append(y == null ? "" : y).append('\n');
                steps.append("{\"sequence\": \"").append(ids[i]).append("\", \"t\": ").append(t).append(", \"observation\": ")
                        .append(y).append("}\n");
                obs.append(t == 0 ? "" : ", ").append(y);
            }
            String seq = "{\"id\": \"" + ids[i] + "\", \"observations\": [" + obs + "]}";
            lines.append(seq).append('\n');
            doc.append(i == 0 ? "" : ", ").append(seq);
        }
        doc.append("]}");
        Path[] f = {dir.resolve("d.csv"), dir.resolve("steps.jsonl"), dir.resolve("seqs.jsonl"), dir.resolve("d.json")};
        Files.writeString(f[0], csv);
        Files.writeString(f[1], steps);
        Files.writeString(f[2], lines);
        Files.writeString(f[3], doc);
        return f;
    }

    private static CliRunner ok(String... args) {
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r;
    }

    @Test
    void everyInputAndOutputFormGivesTheInMemoryResult() throws IOException {
        Path model = dir.resolve("hmm.json");
        Files.writeString(model, HMM);
        Path[] f = files();
        Path memoryCsv = dir.resolve("memory.csv");
        ok("smooth", "--model", model.toString(), "--data", f[3].toString(), "--out", memoryCsv.toString());
        JsonNode memoryJson = Json.parse(ok("smooth", "--model", model.toString(), "--data", f[3].toString(), "--json").out(),
                "stdout");
        String memorySummary = ok("smooth", "--model", model.toString(), "--data", f[3].toString()).out();
        for (Path data : f) {
            Path csv = dir.resolve("streamed.csv");
            ok("smooth", "--model", model.toString(), "--data", data.toString(), "--stream", "--out", csv.toString());
            assertThat(Files.readAllLines(csv)).as(data.toString()).containsExactlyElementsOf(Files.readAllLines(memoryCsv));
            Path json = dir.resolve("streamed.json");
            ok("smooth", "--model", model.toString(), "--data", data.toString(), "--stream", "--out", json.toString());
            JsonNode got = Json.read(json);
            assertThat(got.get("result")).isEqualTo(memoryJson.get("result"));
            assertThat(got.get("states")).isEqualTo(memoryJson.get("states"));
            assertThat(got.get("sequences")).as(data.toString()).isEqualTo(memoryJson.get("sequences"));
            assertThat(got.get("logLikelihood")).isEqualTo(memoryJson.get("logLikelihood"));
            assertThat(got.at("/provenance/streamed").asBoolean()).isTrue();
            assertThat(ok("smooth", "--model", model.toString(), "--data", data.toString(), "--stream").out())
                    .isEqualTo(memorySummary);
        }
        assertThat(Files.list(dir).filter(p -> p.getFileName().toString().contains(".tmp")).toList()).isEmpty();
    }

    @Test
    void symbolsAreSmoothedAsInMemory() throws IOException {
        Path model = dir.resolve("weather.json");
        Files.writeString(model, WEATHER);
        Path steps = dir.resolve("w.jsonl");
        Files.writeString(steps, "{\"observation\": \"rainy\"}\n{\"observation\": \"sunny\"}\n{\"observation\": null}\n"
                + "{\"observation\": \"rainy\"}\n");
        Path doc = dir.resolve("w.json");
        Files.writeString(doc, "{\"symbols\": [\"rainy\", \"sunny\"], \"sequences\": [{\"observations\": [\"rainy\", \"sunny\", null, \"rainy\"]}]}");
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        ok("smooth", "--model", model.toString(), "--data", doc.toString(), "--out", a.toString());
        ok("smooth", "--model", model.toString(), "--data", steps.toString(), "--out", b.toString());
        assertThat(Files.readString(b)).isEqualTo(Files.readString(a));
    }

    @Test
    void badInputIsOneErrorNamingTheLineAndLeavesNoOutput() throws IOException {
        Path model = dir.resolve("hmm.json");
        Files.writeString(model, HMM);
        Path data = dir.resolve("bad.csv");
        Files.writeString(data, "y\n0.5\n1.5\nNaN\n2\n");
        Path out = dir.resolve("r.csv");
        CliRunner r = CliRunner.run("smooth", "--model", model.toString(), "--data", data.toString(), "--stream",
                "--out", out.toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("bad.csv").contains("line 4");
        assertThat(out).doesNotExist();
        CliRunner missing = CliRunner.run("smooth", "--model", model.toString(), "--data", dir.resolve("none.csv").toString(),
                "--stream", "--out", out.toString());
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("none.csv").contains("no such file");
        assertThat(out).doesNotExist();
        Path good = dir.resolve("good.csv");
        Files.writeString(good, "y\n0.5\n1.5\n");
        Path folder = dir.resolve("folder.csv");
        Files.createDirectory(folder);
        CliRunner unwritable = CliRunner.run("smooth", "--model", model.toString(), "--data", good.toString(), "--stream",
                "--out", folder.toString());
        assertThat(unwritable.exitCode()).isNotZero();
        assertThat(unwritable.err()).contains("folder.csv");
        // an explicit-duration HMM has no spilled kernels (a linear-Gaussian model: StreamingLinearGaussianCommandLineTest)
        CliRunner hsmm = CliRunner.run("smooth", "--model", Files.writeString(dir.resolve("hsmm.json"),
                HsmmCommandLineTest.TRUTH).toString(), "--data", good.toString(), "--stream");
        assertThat(hsmm.exitCode()).isNotZero();
        assertThat(hsmm.err()).contains("smoothed in memory only");
    }
}
