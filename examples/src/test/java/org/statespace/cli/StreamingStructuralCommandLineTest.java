package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.statespace.cli.StreamingFixtures.ok;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statespace.spec.Json;

/**
 * The structural models through the streamed commands: {@code smooth --stream} (and {@code .jsonl} data) of a
 * local level and a local linear trend, each with its default exact diffuse start, writes what the in-memory
 * {@code smooth} writes (the tidy CSV line for line, the JSON's sequences and log-likelihood, the summary's text)
 * from CSV, JSON Lines and dataset JSON, for a sequence longer than the reader's chunks, with missing steps;
 * {@code fit --stream} (Nelder-Mead, each point scored by a pass over the file) writes the in-memory {@code fit}'s
 * fitted spec, standard errors, trace and summary, and {@code decode --stream} says the state has no discrete path,
 * as in memory. The in-memory commands, which hold every sequence, are the independent implementation.
 */
class StreamingStructuralCommandLineTest {
    static final String LEVEL = "{\"type\": \"local-level\", \"observationVariance\": 1.2, \"levelVariance\": 0.05}";
    static final String TREND = "{\"type\": \"local-linear-trend\", \"observationVariance\": 1.5, "
            + "\"levelVariance\": 0.2, \"slopeVariance\": 0.001}";

    @TempDir
    Path dir;

    @Test
    void smoothIsTheInMemoryResultInEveryForm() throws IOException {
        // sequence a: 20000 steps (two reader chunks), step 9 and every 97th missing; b: 5 steps; c: 2 steps
        Path[] f = StreamingFixtures.scalarFiles(dir, 7, 20_000, 5, 2);
        for (String[] spec : new String[][] {{"level.json", LEVEL}, {"trend.json", TREND}}) {
            Path model = StreamingFixtures.write(dir, spec[0], spec[1]);
            Path memoryCsv = dir.resolve("memory.csv");
            ok("smooth", "--model", model.toString(), "--data", f[3].toString(), "--out", memoryCsv.toString());
            JsonNode memoryJson = Json.parse(ok("smooth", "--model", model.toString(), "--data", f[3].toString(),
                    "--json").out(), "stdout");
            String memorySummary = ok("smooth", "--model", model.toString(), "--data", f[3].toString()).out();
            List<String> memoryLines = Files.readAllLines(memoryCsv);
            assertThat(memoryLines).hasSize(1 + 20_000 + 5 + 2);
            assertThat(memoryLines.get(0)).startsWith("sequence,t,smoothedMeans");
            for (Path data : f) {
                String where = spec[0] + " " + data.getFileName();
                Path csv = dir.resolve("streamed.csv");
                ok("smooth", "--model", model.toString(), "--data", data.toString(), "--stream", "--out",
                        csv.toString());
                assertThat(Files.readAllLines(csv)).as(where).isEqualTo(memoryLines);
                Path json = dir.resolve("streamed.json");
                ok("smooth", "--model", model.toString(), "--data", data.toString(), "--stream", "--out",
                        json.toString());
                StreamingFixtures.assertSameResult(Json.read(json), memoryJson, where);
                assertThat(ok("smooth", "--model", model.toString(), "--data", data.toString(), "--stream").out())
                        .as(where).isEqualTo(memorySummary);
            }
        }
        StreamingFixtures.assertNoTemporaryFiles(dir);
    }

    @Test
    void fitByPassesOverTheFileIsTheInMemoryFit() throws IOException {
        // sequence a: 300 steps, step 9 and every 97th missing; b: 5 steps; c: 2 steps
        Path[] f = StreamingFixtures.scalarFiles(dir, 7, 300, 5, 2);
        for (String[] spec : new String[][] {{"level.json", LEVEL}, {"trend.json", TREND}}) {
            Path model = StreamingFixtures.write(dir, spec[0], spec[1]);
            Path memoryOut = dir.resolve("memory.json");
            Path memoryReport = dir.resolve("memory-report.json");
            CliRunner memory = ok("fit", "--model", model.toString(), "--data", f[0].toString(), "--out",
                    memoryOut.toString(), "--report", memoryReport.toString(), "--max-iterations", "40");
            JsonNode memoryFit = Json.read(memoryOut);
            JsonNode memoryJson = Json.read(memoryReport);
            assertThat(memoryJson.get("method").asText()).isEqualTo("optimizer");
            assertThat(memoryJson.get("standardErrors").has("problem")).as(spec[0]).isFalse();
            // the CSV with --stream, and both JSON Lines forms (streamed without it)
            for (Path data : new Path[] {f[0], f[1], f[2]}) {
                String where = spec[0] + " " + data.getFileName();
                Path out = dir.resolve("streamed.json");
                Path report = dir.resolve("streamed-report.json");
                CliRunner streamed = ok("fit", "--model", model.toString(), "--data", data.toString(), "--stream",
                        "--out", out.toString(), "--report", report.toString(), "--max-iterations", "40");
                // every number of the fitted spec equal: the same points were tried, scored by the same sums
                assertThat(Json.read(out)).as(where).isEqualTo(memoryFit);
                JsonNode json = Json.read(report);
                for (String field : new String[] {"fittedSpec", "standardErrors", "logLikelihoodTrace", "iterations",
                        "converged", "observations"}) {
                    assertThat(json.get(field)).as(where + " " + field).isEqualTo(memoryJson.get(field));
                }
                assertThat(json.get("provenance").get("stream").asBoolean()).as(where).isTrue();
                assertThat(streamed.err()).as(where).isEqualTo(memory.err());
            }
        }
    }

    @Test
    void decodeSaysAContinuousStateHasNoPath() throws IOException {
        Path model = StreamingFixtures.write(dir, "trend.json", TREND);
        Path data = StreamingFixtures.write(dir, "good.csv", "y\n0.5\n1.5\n");
        CliRunner memory = CliRunner.run("decode", "--model", model.toString(), "--data", data.toString());
        CliRunner streamed = CliRunner.run("decode", "--model", model.toString(), "--data", data.toString(), "--stream");
        assertThat(memory.exitCode()).isNotZero();
        assertThat(streamed.exitCode()).isNotZero();
        assertThat(streamed.err()).contains("local-linear-trend model has no discrete hidden path to decode")
                .isEqualTo(memory.err());
    }
}
