package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.spec.Json;

/**
 * {@code smooth --draws N [--seed S]} end to end: the JSON, the tidy CSV (sequence, draw, step, state...) and
 * the summary; the same seed writes the same draws; the draws' mean of each step is within 5 Monte Carlo
 * standard errors (sd / sqrt(N), the sd of the draws) of the smoothed mean that {@code smooth} writes, which
 * the models' tests check against the dense joint posterior; HMM draws are state names.
 */
class SmoothDrawsCommandLineTest {
    private static final String LEVEL = "{\"type\": \"local-level\", \"observationVariance\": 2, \"levelVariance\": 0.5}";
    private static final String HMM = "{\"type\": \"hmm\", \"states\": [\"calm\", \"storm\"], \"initial\": [0.5, 0.5],"
            + " \"transition\": [[0.9, 0.1], [0.2, 0.8]], \"emission\": {\"type\": \"gaussian\", \"means\": [[0], [3]],"
            + " \"covariances\": [[1], [1]]}}";
    private static final String DATA = "{\"sequences\": [{\"id\": \"a\", \"observations\": [1.5, 2, null, 0.5, 3]},"
            + " {\"id\": \"b, c\", \"observations\": [0, -1, 4]}]}";

    private static CliRunner ok(String... args) {
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).as("%s: %s", String.join(" ", args), r.err()).isZero();
        return r;
    }

    @Test
    void linearGaussianDrawsAsJsonCsvAndSummary(@TempDir Path dir) throws IOException {
        Path model = Files.writeString(dir.resolve("level.json"), LEVEL);
        Path data = Files.writeString(dir.resolve("d.json"), DATA);
        Path smoothed = dir.resolve("s.json");
        ok("smooth", "--model", model.toString(), "--data", data.toString(), "--out", smoothed.toString());
        Path draws = dir.resolve("draws.json");
        int n = 4000;
        ok("smooth", "--model", model.toString(), "--data", data.toString(), "--draws", Integer.toString(n), "--seed",
                "7", "--out", draws.toString());
        JsonNode root = Json.read(draws);
        assertThat(root.get("draws").asInt()).isEqualTo(n);
        assertThat(root.get("seed").asLong()).isEqualTo(7);
        JsonNode exact = Json.read(smoothed).get("sequences");
        for (int i = 0; i < 2; i++) {
            JsonNode seq = root.get("sequences").get(i);
            assertThat(seq.get("id").asText()).isEqualTo(exact.get(i).get("id").asText());
            JsonNode list = seq.get("draws");
            assertThat(list).hasSize(n);
            int length = exact.get(i).get("smoothedMeans").size();
            for (int t = 0; t < length; t++) {
                double sum = 0;
                double squares = 0;
                for (JsonNode path : list) {
                    double v = path.get(t).get(0).asDouble();
                    sum += v;
                    squares += v * v;
                }
                double mean = sum / n;
                double sd = Math.sqrt((squares - n * mean * mean) / (n - 1));
                double expected = exact.get(i).get("smoothedMeans").get(t).get(0).asDouble();
                assertThat(mean).as("sequence %d step %d", i, t).isCloseTo(expected, within(5 * sd / Math.sqrt(n)));
            }
        }

        Path csv = dir.resolve("draws.csv");
        ok("smooth", "--model", model.toString(), "--data", data.toString(), "--draws", "3", "--seed", "7", "--out",
                csv.toString());
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("sequence,draw,step,state");
        assertThat(lines).hasSize(1 + 3 * 5 + 3 * 3);
        assertThat(lines.get(1)).startsWith("a,0,0,");
        assertThat(lines.get(1 + 15)).startsWith("\"b, c\",0,0,");
        // the same seed, the same draws (the first three of the 4000 above)
        assertThat(Double.parseDouble(lines.get(2).split(",")[3]))
                .isEqualTo(root.get("sequences").get(0).get("draws").get(0).get(1).get(0).asDouble());

        String summary = ok("smooth", "--model", model.toString(), "--data", data.toString(), "--draws", "50").out();
        assertThat(summary).contains("50 posterior draws per sequence, seed 0").contains("sequence a")
                .contains("sequence b, c").contains("95%");
    }

    @Test
    void hmmDrawsAreStateNames(@TempDir Path dir) throws IOException {
        Path model = Files.writeString(dir.resolve("hmm.json"), HMM);
        Path data = Files.writeString(dir.resolve("d.json"), DATA);
        Path csv = dir.resolve("draws.csv");
        ok("smooth", "--model", model.toString(), "--data", data.toString(), "--draws", "2", "--out", csv.toString());
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("sequence,draw,step,state");
        assertThat(lines).hasSize(1 + 2 * 5 + 2 * 3);
        for (String line : lines.subList(1, lines.size())) {
            assertThat(line).matches(".*,(calm|storm)");
        }
        JsonNode root = Json.parse(ok("smooth", "--model", model.toString(), "--data", data.toString(), "--draws", "2",
                "--json").out(), "stdout");
        assertThat(root.get("states").toString()).isEqualTo("[\"calm\",\"storm\"]");
        // an observation of 4 is 4 sd from calm's mean and 1 from storm's: nearly every draw says storm there
        assertThat(root.get("sequences").get(1).get("draws").get(0).get(2).asText()).isEqualTo("storm");
        assertThat(ok("smooth", "--model", model.toString(), "--data", data.toString(), "--draws", "20").out())
                .contains("most frequent");
    }
}
