package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.spec.Json;

/**
 * The generic commands on non-linear models, end to end: sample (with states), filter and smooth by the three
 * filters (checked against the sampled true states), forecast, and fit by maximum likelihood (checked against
 * the parameters that generated the data).
 */
class NonlinearCommandLineTest {

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as("%s: %s", String.join(" ", args), err).isZero();
        return out.toString();
    }

    private static double rmse(JsonNode means, JsonNode states) {
        double sum = 0;
        for (int t = 0; t < states.size(); t++) {
            double m = means.get(t).isArray() ? means.get(t).get(0).asDouble() : means.get(t).asDouble();
            double x = states.get(t).isArray() ? states.get(t).get(0).asDouble() : states.get(t).asDouble();
            sum += (m - x) * (m - x);
        }
        return Math.sqrt(sum / states.size());
    }

    @Test
    void typesListsIt() {
        assertThat(run("types")).contains("nonlinear");
    }

    @Test
    void sampleFilterSmoothForecastTheGrowthModel(@TempDir Path dir) throws IOException {
        Path truth = Files.writeString(dir.resolve("ekf.json"), "{\"type\": \"nonlinear\", \"model\": \"growth\", \"filter\": \"ekf\"}");
        Path ukf = Files.writeString(dir.resolve("ukf.json"), "{\"type\": \"nonlinear\", \"model\": \"growth\", \"filter\": \"ukf\"}");
        Path pf = Files.writeString(dir.resolve("pf.json"),
                "{\"type\": \"nonlinear\", \"model\": \"growth\", \"filter\": \"particle\", \"particles\": 500, \"seed\": 4}");
        Path data = dir.resolve("D.json");
        run("sample", "--model", truth.toString(), "--length", "100", "--sequences", "1", "--seed", "5", "--out", data.toString());
        JsonNode states = Json.read(data).get("sequences").get(0).get("states");
        assertThat(states).hasSize(100);

        double[] filtered = new double[3];
        Path[] models = {truth, ukf, pf};
        for (int k = 0; k < 3; k++) {
            Path out = dir.resolve("F" + k + ".json");
            run("filter", "--model", models[k].toString(), "--data", data.toString(), "--states", "--out", out.toString());
            JsonNode s = Json.read(out).get("sequences").get(0);
            filtered[k] = rmse(s.get("filteredMeans"), states);
            assertThat(Json.read(out).get("logLikelihood").asDouble()).isFinite();
        }
        // the particle filter tracks the bimodal state best, the extended filter worst
        assertThat(filtered[2]).isLessThan(filtered[0]);

        Path smoothed = dir.resolve("S.json");
        run("smooth", "--model", pf.toString(), "--data", data.toString(), "--out", smoothed.toString());
        JsonNode sm = Json.read(smoothed).get("sequences").get(0).get("smoothedMeans");
        assertThat(sm).hasSize(100);
        // the smoother sees the future observations too: no worse than the filter (a margin for Monte Carlo error)
        assertThat(rmse(sm, states)).isLessThan(filtered[2] * 1.1);

        Path forecast = dir.resolve("P.json");
        run("forecast", "--model", ukf.toString(), "--data", data.toString(), "--steps", "3", "--out", forecast.toString());
        assertThat(Files.readString(forecast)).contains("mean");
    }

    /**
     * The stochastic-volatility model in its linear form: 3 x 400 steps sampled at φ = 0.9, Q = 0.1; maximum
     * likelihood from φ = 0.3, Q = 1 (both free) comes back within 0.1 of φ and a factor 2 of Q.
     */
    @Test
    void fitRecoversTheParametersThatMadeTheData(@TempDir Path dir) throws IOException {
        Path truth = Files.writeString(dir.resolve("truth.json"), "{\"type\": \"nonlinear\", \"model\": \"stochastic-volatility\","
                + " \"filter\": \"ekf\", \"parameters\": {\"mu\": 0, \"phi\": 0.9}, \"processNoise\": [[0.1]],"
                + " \"initialCovariance\": [[0.5]]}");
        Path start = Files.writeString(dir.resolve("start.json"), "{\"type\": \"nonlinear\", \"model\": \"stochastic-volatility\","
                + " \"filter\": \"ekf\", \"parameters\": {\"mu\": 0, \"phi\": 0.3}, \"processNoise\": [[1]],"
                + " \"initialCovariance\": [[0.5]], \"free\": [\"processNoise\", \"phi\"]}");
        Path data = dir.resolve("D.json");
        run("sample", "--model", truth.toString(), "--length", "400", "--sequences", "3", "--seed", "2", "--out", data.toString());
        Path fitted = dir.resolve("F.json");
        run("fit", "--model", start.toString(), "--data", data.toString(), "--out", fitted.toString(), "--threads", "1");
        JsonNode f = Json.read(fitted);
        assertThat(f.get("parameters").get("phi").asDouble()).isCloseTo(0.9, within(0.1));
        assertThat(f.get("processNoise").get(0).get(0).asDouble()).isBetween(0.05, 0.2);
    }
}
