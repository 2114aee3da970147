package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.statespace.cli.StreamingFixtures.ok;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statespace.spec.Json;

/**
 * A linear-Gaussian model through the streamed commands: {@code smooth --stream} (and {@code .jsonl} data) writes
 * what the in-memory {@code smooth} writes (the tidy CSV line for line, the JSON's sequences and log-likelihood, the
 * summary's text) from CSV, JSON Lines and dataset JSON, for sequences longer than the reader's chunks and the
 * spill's blocks, with missing steps; {@code fit --stream} is the in-memory fit, iteration by iteration; and
 * {@code decode --stream} says the state has no discrete path, as in memory. The in-memory commands, which hold
 * every sequence, are the independent implementation.
 */
class StreamingLinearGaussianCommandLineTest {
    @TempDir
    Path dir;

    @Test
    void smoothIsTheInMemoryResultInEveryForm() throws IOException {
        Path model = StreamingFixtures.write(dir, "trend.json", StreamingFixtures.TREND);
        Path[] f = StreamingFixtures.scalarFiles(dir, 3, 40_000, 5, 1);
        JsonNode memoryJson = StreamingFixtures.assertStreamedEqualsInMemory(dir, f, f[3], "smooth", "--model",
                model.toString());
        assertThat(memoryJson.has("states")).isFalse();
        assertThat(Files.readAllLines(dir.resolve("memory.csv")).get(0)).isEqualTo("sequence,t,smoothedMeans.0,"
                + "smoothedMeans.1,smoothedCovariances.0.0,smoothedCovariances.0.1,smoothedCovariances.1.0,"
                + "smoothedCovariances.1.1,smoothedLagOneCovariances.0.0,smoothedLagOneCovariances.0.1,"
                + "smoothedLagOneCovariances.1.0,smoothedLagOneCovariances.1.1");
    }

    @Test
    void fitByPassesOverTheFileIsTheInMemoryFitIterationByIteration() throws IOException {
        Path model = StreamingFixtures.write(dir, "trend.json", StreamingFixtures.TREND);
        Path[] f = StreamingFixtures.scalarFiles(dir, 5, 3000, 40);
        Path memory = dir.resolve("memory-fit.json");
        Path report = dir.resolve("memory-report.json");
        Path streamed = dir.resolve("streamed-fit.json");
        ok("fit", "--model", model.toString(), "--data", f[3].toString(), "--max-iterations", "5", "--threads", "1",
                "--out", memory.toString(), "--report", report.toString());
        // the in-memory fit's log-likelihood per iteration, as the streamed fit prints it
        List<String> memoryTrace = new ArrayList<>();
        for (JsonNode ll : Json.read(report).get("logLikelihoodTrace")) {
            memoryTrace.add(memoryTrace.size() + " " + ResultOutput.readable(ll.asDouble()));
        }
        assertThat(memoryTrace).hasSize(6);
        for (Path data : new Path[] {f[2], f[0]}) {
            CliRunner s = ok("fit", "--model", model.toString(), "--data", data.toString(), "--stream",
                    "--max-iterations", "5", "--out", streamed.toString());
            assertThat(iterations(s.err())).as(data.toString()).isEqualTo(memoryTrace);
            // the fitted parameters bit for bit, so every iterate on the way was the in-memory one
            assertThat(Json.read(streamed)).as(data.toString()).isEqualTo(Json.read(memory));
        }
    }

    @Test
    void decodeSaysAContinuousStateHasNoPath() throws IOException {
        Path model = StreamingFixtures.write(dir, "trend.json", StreamingFixtures.TREND);
        Path data = StreamingFixtures.write(dir, "good.csv", "y\n0.5\n1.5\n");
        CliRunner memory = CliRunner.run("decode", "--model", model.toString(), "--data", data.toString());
        CliRunner streamed = CliRunner.run("decode", "--model", model.toString(), "--data", data.toString(), "--stream");
        assertThat(memory.exitCode()).isNotZero();
        assertThat(streamed.exitCode()).isNotZero();
        assertThat(streamed.err()).contains("lgssm model has no discrete hidden path to decode").isEqualTo(memory.err());
    }

    // "iteration k: log-likelihood X" of the progress, in order
    private static List<String> iterations(String err) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("iteration (\\d+): log-likelihood (\\S+)").matcher(err);
        while (m.find()) {
            out.add(m.group(1) + " " + m.group(2));
        }
        return out;
    }
}
