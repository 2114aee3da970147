package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statespace.spec.Json;

/**
 * {@code filter} streaming ({@code --stream}, {@code .jsonl} data or output) writes what the in-memory
 * {@code filter} writes, whatever the input format (CSV, JSON, JSON Lines by sequence or by step) and output form
 * (JSON, JSON Lines, tidy CSV, summary).
 */
class StreamingFilterCommandLineTest {
    @TempDir
    Path dir;

    private static final String HMM = "{\"type\": \"hmm\", \"initial\": [0.6, 0.4], \"transition\": [[0.9, 0.1], [0.3, 0.7]],"
            + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[0], [3]], \"covariances\": [[[1]], [[2]]]}}";
    private static final String WEATHER = "{\"type\": \"hmm\", \"initial\": [0.5, 0.5], \"transition\": [[0.8, 0.2], [0.4, 0.6]],"
            + " \"emission\": {\"type\": \"categorical\", \"symbols\": [\"sunny\", \"rainy\"], \"probabilities\": [[0.9, 0.1], [0.2, 0.8]]}}";

    // the same two sequences (a: 60 steps, one missing; b: 5 steps) in four files
    private Path[] files() throws IOException {
        Random r = new Random(3);
        double[][] values = new double[2][];
        values[0] = new double[60];
        values[1] = new double[5];
        StringBuilder csv = new StringBuilder("sequence,t,y\n");
        StringBuilder steps = new StringBuilder();
        StringBuilder lines = new StringBuilder();
        StringBuilder doc = new StringBuilder("{\"sequences\": [");
        String[] ids = {"a", "b"};
        for (int i = 0; i < 2; i++) {
            StringBuilder obs = new StringBuilder();
            for (int t = 0; t < values[i].length; t++) {
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

    private JsonNode json(String... args) {
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return Json.parse(r.out(), "stdout");
    }

    @Test
    void everyInputFormatGivesTheInMemoryResult() throws IOException {
        Path model = dir.resolve("hmm.json");
        Files.writeString(model, HMM);
        Path[] f = files();
        for (boolean summaries : new boolean[] {false, true}) {
            String extra = summaries ? "--summaries" : "--threads=1";
            JsonNode expected = json("filter", "--model", model.toString(), "--data", f[3].toString(), "--json", extra);
            for (Path data : f) {
                JsonNode got = json("filter", "--model", model.toString(), "--data", data.toString(), "--json", "--stream", extra);
                assertThat(got.get("logLikelihood")).as(data.toString()).isEqualTo(expected.get("logLikelihood"));
                assertThat(got.get("observations")).isEqualTo(expected.get("observations"));
                assertThat(got.get("meanLogLikelihood")).isEqualTo(expected.get("meanLogLikelihood"));
                assertThat(got.get("sequences")).as(data.toString()).isEqualTo(expected.get("sequences"));
            }
        }
    }

    @Test
    void jsonLinesAndCsvOutputsHoldTheSameNumbers() throws IOException {
        Path model = dir.resolve("hmm.json");
        Files.writeString(model, HMM);
        Path[] f = files();
        JsonNode expected = json("filter", "--model", model.toString(), "--data", f[3].toString(), "--json", "--summaries");
        Path jsonl = dir.resolve("r.jsonl");
        CliRunner r = CliRunner.run("filter", "--model", model.toString(), "--data", f[0].toString(), "--summaries",
                "--out", jsonl.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(jsonl);
        assertThat(lines).hasSize(3);
        for (int i = 0; i < 2; i++) {
            assertThat(Json.parse(lines.get(i), "line")).isEqualTo(expected.get("sequences").get(i));
        }
        JsonNode totals = Json.parse(lines.get(2), "totals");
        assertThat(totals.get("logLikelihood")).isEqualTo(expected.get("logLikelihood"));
        // the tidy CSV: the in-memory file and the streamed one are the same table
        Path inMemory = dir.resolve("memory.csv");
        Path streamed = dir.resolve("streamed.csv");
        assertThat(CliRunner.run("filter", "--model", model.toString(), "--data", f[3].toString(), "--summaries",
                "--out", inMemory.toString()).exitCode()).isZero();
        assertThat(CliRunner.run("filter", "--model", model.toString(), "--data", f[1].toString(), "--summaries",
                "--out", streamed.toString()).exitCode()).isZero();
        assertThat(Files.readString(streamed)).isEqualTo(Files.readString(inMemory));
        // the summary says the same totals
        CliRunner summary = CliRunner.run("filter", "--model", model.toString(), "--data", f[2].toString());
        CliRunner memorySummary = CliRunner.run("filter", "--model", model.toString(), "--data", f[3].toString());
        assertThat(summary.out().lines().findFirst()).isEqualTo(memorySummary.out().lines().findFirst());
    }

    @Test
    void symbolsAreMatchedByNameAndTheirProbabilitiesNamed() throws IOException {
        Path model = dir.resolve("weather.json");
        Files.writeString(model, WEATHER);
        Path steps = dir.resolve("w.jsonl");
        Files.writeString(steps, "{\"observation\": \"rainy\"}\n{\"observation\": \"sunny\"}\n{\"observation\": null}\n"
                + "{\"observation\": \"rainy\"}\n");
        Path doc = dir.resolve("w.json");
        Files.writeString(doc, "{\"symbols\": [\"rainy\", \"sunny\"], \"sequences\": [{\"observations\": [\"rainy\", \"sunny\", null, \"rainy\"]}]}");
        JsonNode expected = json("filter", "--model", model.toString(), "--data", doc.toString(), "--json", "--summaries");
        JsonNode got = json("filter", "--model", model.toString(), "--data", steps.toString(), "--json", "--summaries");
        assertThat(got.get("symbols")).isEqualTo(expected.get("symbols"));
        assertThat(got.get("sequences")).isEqualTo(expected.get("sequences"));
        // rainy first: p = 0.5 * 0.1 + 0.5 * 0.8 = 0.45
        assertThat(got.at("/sequences/0/predictiveLogDensities/0").asDouble()).isCloseTo(Math.log(0.45),
                org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void fitByPassesOverTheFileWritesTheInMemoryFit() throws IOException {
        Path model = dir.resolve("hmm.json");
        Files.writeString(model, HMM);
        Path[] f = files();
        Path memory = dir.resolve("memory-fit.json");
        Path streamed = dir.resolve("streamed-fit.json");
        CliRunner m = CliRunner.run("fit", "--model", model.toString(), "--data", f[3].toString(), "--max-iterations", "6",
                "--threads", "1", "--out", memory.toString());
        assertThat(m.exitCode()).as(m.err()).isZero();
        for (Path data : new Path[] {f[2], f[0]}) {
            CliRunner s = CliRunner.run("fit", "--model", model.toString(), "--data", data.toString(), "--stream",
                    "--max-iterations", "6", "--out", streamed.toString());
            assertThat(s.exitCode()).as(s.err()).isZero();
            assertThat(Json.read(streamed)).as(data.toString()).isEqualTo(Json.read(memory));
            assertThat(s.err()).contains("iteration 0: log-likelihood").contains("EM passes over");
        }
    }
}
