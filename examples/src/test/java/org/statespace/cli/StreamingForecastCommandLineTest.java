package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.statespace.cli.StreamingFixtures.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code forecast --stream} (and {@code .jsonl} data) writes what the in-memory {@code forecast} writes (the tidy CSV
 * line for line, the JSON's fields and values, the summary's text) from CSV, JSON Lines and dataset JSON input, for
 * an HMM over reals and over symbols, a local-level model, a model with future inputs and an unscented filter; the
 * in-memory command reads the whole dataset and runs the family's loop over it, the streamed one filters the file
 * chunk by chunk and forecasts from the last state. Two numbers are checked against hand computations: the HMM's
 * one-step forecast of a short sequence (a forward recursion written here) and the local level's variance, which
 * grows by the process noise each step ahead. An RNN is refused as in memory; bad input is one error naming the
 * line and leaves no output.
 */
class StreamingForecastCommandLineTest {
    @TempDir
    Path dir;

    // every form of output of forecast over every form of input equals the in-memory forecast of inMemoryData
    private JsonNode assertStreamedEqualsInMemory(Path model, Path[] data, Path inMemoryData, String... extra)
            throws IOException {
        return StreamingFixtures.assertStreamedEqualsInMemory(dir, data, inMemoryData,
                StreamingFixtures.args(new String[] {"forecast", "--model", model.toString(), "--steps", "4"}, extra));
    }

    @Test
    void anHmmIsForecastAsInMemory() throws IOException {
        Path[] f = StreamingFixtures.twoSequences(dir);
        JsonNode result = assertStreamedEqualsInMemory(write(dir, "hmm.json", StreamingFixtures.HMM), f, f[3]);
        // sequence b by a forward recursion written here: p(s_T) = normalised α_{T-1} A, mean = Σ p_k μ_k
        List<Double> b = Files.readAllLines(f[0]).stream().filter(l -> l.startsWith("b,"))
                .map(l -> Double.parseDouble(l.split(",")[2])).toList();
        double[] p = {0.6, 0.4};
        double[] mean = {0, 3};
        double[] variance = {1, 2};
        for (double y : b) {
            double[] alpha = new double[2];
            for (int k = 0; k < 2; k++) {
                alpha[k] = p[k] * Math.exp(-(y - mean[k]) * (y - mean[k]) / (2 * variance[k])) / Math.sqrt(variance[k]);
            }
            double c = alpha[0] + alpha[1];
            p = new double[] {(alpha[0] * 0.9 + alpha[1] * 0.3) / c, (alpha[0] * 0.1 + alpha[1] * 0.7) / c};
        }
        assertThat(result.at("/sequences/1/forecast/0/mean/0").asDouble()).isCloseTo(3 * p[1], Offset.offset(1e-12));
    }

    @Test
    void aLocalLevelIsForecastAsInMemory() throws IOException {
        Path[] f = StreamingFixtures.twoSequences(dir);
        JsonNode result = assertStreamedEqualsInMemory(write(dir, "ll.json", StreamingFixtures.LOCAL_LEVEL), f, f[3]);
        for (JsonNode s : result.get("sequences")) {
            JsonNode rows = s.get("forecast");
            for (int k = 1; k < 4; k++) { // a random walk: the same mean, the variance up by Q = 1 a step
                assertThat(rows.get(k).at("/mean/0").asDouble()).isEqualTo(rows.get(0).at("/mean/0").asDouble());
                assertThat(rows.get(k).at("/variance/0").asDouble() - rows.get(0).at("/variance/0").asDouble())
                        .isCloseTo(k, Offset.offset(1e-9));
            }
        }
    }

    @Test
    void symbolsFutureInputsAndANonlinearFilterAreForecastAsInMemory() throws IOException {
        Path weather = write(dir, "weather.json", StreamingFixtures.WEATHER);
        Path steps = write(dir, "w.jsonl", "{\"observation\": \"rainy\"}\n{\"observation\": \"sunny\"}\n"
                + "{\"observation\": null}\n{\"observation\": \"rainy\"}\n");
        Path doc = write(dir, "w.json", "{\"symbols\": [\"rainy\", \"sunny\"], \"sequences\": [{\"observations\": "
                + "[\"rainy\", \"sunny\", null, \"rainy\"]}]}");
        assertStreamedEqualsInMemory(weather, new Path[] {steps, doc}, doc);

        Path control = write(dir, "control.json", "{\"type\": \"lgssm\", \"transitionMatrix\": [[0.9]], \"controlMatrix\": "
                + "[[0.5]], \"processNoise\": [[0.4]], \"observationMatrix\": [[1]], \"observationNoise\": [[0.5]],"
                + " \"initialMean\": [0], \"initialCovariance\": [[1]]}");
        String a = "{\"id\": \"a\", \"observations\": [0.3, null, 1.2, 0.8], \"inputs\": [[1], [0], [2], [1]]}";
        String b = "{\"id\": \"b\", \"observations\": [-0.5, 0.1], \"inputs\": [[0], [1]]}";
        Path lines = write(dir, "u.jsonl", a + "\n" + b + "\n");
        Path data = write(dir, "u.json", "{\"sequences\": [" + a + ", " + b + "]}");
        Path future = write(dir, "future.json", "{\"sequences\": [{\"id\": \"a\", \"observations\": [null, null, null, null],"
                + " \"inputs\": [[1], [2], [3], [4]]}, {\"id\": \"b\", \"observations\": [null, null, null, null],"
                + " \"inputs\": [[-1], [0], [1], [0]]}]}");
        assertStreamedEqualsInMemory(control, new Path[] {lines, data}, data, "--inputs", future.toString());

        Path ukf = write(dir, "ukf.json", "{\"type\": \"nonlinear\", \"model\": \"growth\", \"filter\": \"ukf\"}");
        Path[] f = StreamingFixtures.twoSequences(dir);
        assertStreamedEqualsInMemory(ukf, new Path[] {f[0], f[2]}, f[3]);
    }

    @Test
    void badInputIsOneErrorNamingTheLineAndLeavesNoOutput() throws IOException {
        Path hmm = write(dir, "hmm.json", StreamingFixtures.HMM);
        StreamingFixtures.assertBadLineLeavesNoOutput(dir, "forecast", "--model", hmm.toString(), "--steps", "2",
                "--stream");
        Path good = write(dir, "good.jsonl", "{\"id\": \"g\", \"observations\": [0.5, 1.5]}\n");
        Path rnn = write(dir, "rnn.json", "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"gru\", "
                + "\"hiddenSize\": 3}], \"head\": {\"type\": \"gaussian\", \"outputSize\": 1}, \"seed\": 1}");
        CliRunner r = CliRunner.run("forecast", "--model", rnn.toString(), "--data", good.toString(), "--steps", "2");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("no exact multi-step forecasts");
        CliRunner steps = CliRunner.run("forecast", "--model", hmm.toString(), "--data", good.toString(), "--steps", "0");
        assertThat(steps.err()).contains("--steps must be at least 1");
    }
}
