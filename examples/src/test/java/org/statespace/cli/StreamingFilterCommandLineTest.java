package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.statespace.cli.StreamingFixtures.ok;
import static org.statespace.cli.StreamingFixtures.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

    private static JsonNode json(String... args) {
        return Json.parse(ok(args).out(), "stdout");
    }

    @Test
    void everyInputFormatGivesTheInMemoryResult() throws IOException {
        Path model = write(dir, "hmm.json", StreamingFixtures.HMM);
        Path[] f = StreamingFixtures.twoSequences(dir);
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
        Path model = write(dir, "hmm.json", StreamingFixtures.HMM);
        Path[] f = StreamingFixtures.twoSequences(dir);
        JsonNode expected = json("filter", "--model", model.toString(), "--data", f[3].toString(), "--json", "--summaries");
        Path jsonl = dir.resolve("r.jsonl");
        ok("filter", "--model", model.toString(), "--data", f[0].toString(), "--summaries", "--out", jsonl.toString());
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
        ok("filter", "--model", model.toString(), "--data", f[3].toString(), "--summaries", "--out", inMemory.toString());
        ok("filter", "--model", model.toString(), "--data", f[1].toString(), "--summaries", "--out", streamed.toString());
        assertThat(Files.readString(streamed)).isEqualTo(Files.readString(inMemory));
        // the summary says the same totals
        CliRunner summary = CliRunner.run("filter", "--model", model.toString(), "--data", f[2].toString());
        CliRunner memorySummary = CliRunner.run("filter", "--model", model.toString(), "--data", f[3].toString());
        assertThat(summary.out().lines().findFirst()).isEqualTo(memorySummary.out().lines().findFirst());
    }

    @Test
    void symbolsAreMatchedByNameAndTheirProbabilitiesNamed() throws IOException {
        Path model = write(dir, "weather.json", StreamingFixtures.WEATHER);
        Path[] w = StreamingFixtures.weatherFiles(dir);
        JsonNode expected = json("filter", "--model", model.toString(), "--data", w[1].toString(), "--json", "--summaries");
        JsonNode got = json("filter", "--model", model.toString(), "--data", w[0].toString(), "--json", "--summaries");
        assertThat(got.get("symbols")).isEqualTo(expected.get("symbols"));
        assertThat(got.get("sequences")).isEqualTo(expected.get("sequences"));
        // rainy first: p = 0.5 * 0.1 + 0.5 * 0.8 = 0.45
        assertThat(got.at("/sequences/0/predictiveLogDensities/0").asDouble()).isCloseTo(Math.log(0.45),
                org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void fitByPassesOverTheFileWritesTheInMemoryFit() throws IOException {
        Path model = write(dir, "hmm.json", StreamingFixtures.HMM);
        Path[] f = StreamingFixtures.twoSequences(dir);
        Path memory = dir.resolve("memory-fit.json");
        Path streamed = dir.resolve("streamed-fit.json");
        ok("fit", "--model", model.toString(), "--data", f[3].toString(), "--max-iterations", "6", "--threads", "1",
                "--out", memory.toString());
        for (Path data : new Path[] {f[2], f[0]}) {
            CliRunner s = ok("fit", "--model", model.toString(), "--data", data.toString(), "--stream",
                    "--max-iterations", "6", "--out", streamed.toString());
            assertThat(Json.read(streamed)).as(data.toString()).isEqualTo(Json.read(memory));
            assertThat(s.err()).contains("iteration 0: log-likelihood").contains("EM passes over");
        }
    }
}
