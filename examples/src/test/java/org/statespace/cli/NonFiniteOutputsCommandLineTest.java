package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.spec.Json;

/**
 * {@code null} in a result file means a missing observation and nothing else: values whose squares overflow
 * but which are themselves representable come out right, values that are not representable are errors
 * naming the step (see {@link EveryCommandBadInputTest} for those), and every command's output on stress
 * inputs holds no {@code null} outside observation arrays and no non-finite number at all.
 */
class NonFiniteOutputsCommandLineTest {
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private JsonNode run(String... args) {
        CliRunner r = CliRunner.runJson(args);
        assertThat(r.exitCode()).as("%s: %s", String.join(" ", args), r.err()).isZero();
        return Json.parse(r.out(), "stdout");
    }

    @Test
    void aGaussianHmmFarFromZeroGetsItsFiniteLogLikelihood() throws IOException {
        // means ±1e200, variances 1e300, equal weights; o = 2e200: z = 1e50 and 3e50, whose squares are finite.
        // log p = log(½ N(o; 1e200, 1e300) + ½ N(o; -1e200, 1e300)) = log ½ - ½ (log 2π + log 1e300 + 1e100) + (a term
        // of e^(-4e100)), which is -5e99 to every digit a double holds
        Path model = file("far.json", "{\"type\": \"hmm\", \"initial\": [0.5, 0.5], \"transition\": [[0.9, 0.1], [0.2, 0.8]],"
                + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[1e200], [-1e200]],"
                + " \"covariances\": [[[1e300]], [[1e300]]]}}");
        Path data = file("far-data.json", "{\"sequences\": [{\"id\": \"b\", \"observations\": [2e200]}]}");
        JsonNode out = run("filter", "--model", model.toString(), "--data", data.toString());
        double expected = Math.log(0.5) - 0.5 * (LOG_2PI + Math.log(1e300) + 1e100);
        assertThat(out.get("logLikelihood").isNumber()).as("%s", out).isTrue();
        assertThat(out.get("logLikelihood").asDouble()).isCloseTo(expected, withinPercentage(1e-10));
    }

    @Test
    void theDiffuseKalmanTermScalesBeforeSquaring() throws IOException {
        // a diffuse level seen by two components with noise 1e300 each: the first fixes the level at y1 (F_∞ = 1, the
        // exact diffuse term -½ (log 2π + log 1)); the second has F_∞ = 0, v = y2 - y1 = 1e200, F_* = 1e300 + 1e300,
        // term -½ (log 2π + log 2e300 + v² / F_*) with v² / F_* = 5e99 (v² alone, 1e400, overflows)
        Path model = file("diffuse2.json", "{\"type\": \"lgssm\", \"transitionMatrix\": [[1]], \"processNoise\": [[1]],"
                + " \"observationMatrix\": [[1], [1]], \"observationNoise\": [[1e300, 0], [0, 1e300]], \"initialMean\": [0],"
                + " \"initialCovariance\": [[0]], \"initialization\": \"diffuse\"}");
        Path data = file("diffuse2-data.json", "{\"sequences\": [{\"id\": \"d\", \"observations\": [[1e200, 2e200]]}]}");
        JsonNode out = run("filter", "--model", model.toString(), "--data", data.toString());
        double expected = -0.5 * LOG_2PI - 0.5 * (LOG_2PI + Math.log(2e300) + 5e99);
        assertThat(out.get("logLikelihood").isNumber()).as("%s", out).isTrue();
        assertThat(out.get("logLikelihood").asDouble()).isCloseTo(expected, withinPercentage(1e-10));
    }

    @Test
    void aMixturePredictiveVarianceWhoseSquaredSpreadOverflowsIsFinite() throws IOException {
        // initial (1, 1e-300) over means ±1e200 with unit variances: variance = 1 + 1e-300·(2e200)² (1 - 1e-300) = 4e100
        // to every digit a double holds; the mean is 1e200 (the 2e-100 shift is far below its ulp)
        Path model = file("mix.json", "{\"type\": \"hmm\", \"initial\": [1, 1e-300], \"transition\": [[1, 0], [0, 1]],"
                + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[1e200], [-1e200]],"
                + " \"covariances\": [[[1]], [[1]]]}}");
        Path data = file("mix-data.json", "{\"sequences\": [{\"id\": \"m\", \"observations\": [1e200]}]}");
        JsonNode out = run("filter", "--model", model.toString(), "--data", data.toString(), "--summaries");
        JsonNode s = out.get("sequences").get(0);
        assertThat(s.get("predictiveVariances").get(0).isNumber()).as("%s", s).isTrue();
        assertThat(s.get("predictiveVariances").get(0).asDouble()).isCloseTo(4e100, withinPercentage(1e-10));
        assertThat(s.get("predictiveMeans").get(0).asDouble()).isEqualTo(1e200);
        // log N(1e200; 1e200, 1) = -½ log 2π; the other state adds e^(-2e400)·1e-300, nothing a double holds
        assertThat(out.get("logLikelihood").asDouble()).isCloseTo(-0.5 * LOG_2PI, withinPercentage(1e-12));
    }

    @Test
    void normalisingRowsOfHugeEntriesKeepsTheirRatios() throws IOException {
        // rows (1e308, 1e308) and (5e307, 5e307) are both (½, ½): a, a, b, a scores log 1 + 3 log ½
        Path model = file("huge-rows.json", "{\"type\": \"markov-chain\", \"states\": [\"a\", \"b\"], \"initial\": [1, 0],"
                + " \"normalize\": true, \"transition\": [[1e308, 1e308], [5e307, 5e307]]}");
        Path data = file("ab.json", "{\"symbols\": [\"a\", \"b\"], \"sequences\": [{\"id\": \"x\", \"observations\": [\"a\", \"a\", \"b\", \"a\"]}]}");
        JsonNode out = run("filter", "--model", model.toString(), "--data", data.toString());
        assertThat(out.get("logLikelihood").asDouble()).isCloseTo(3 * Math.log(0.5), withinPercentage(1e-12));
    }

    @Test
    void anInfinitePassageTimeIsTheExplicitStringInfinity() throws IOException {
        // a is absorbing, so b is never reached from a: m_ab = ∞; from b, a is reached after a geometric(½) wait: m_ba = 2
        Path model = file("absorbing.json", "{\"type\": \"markov-chain\", \"states\": [\"a\", \"b\"], \"initial\": [0, 1],"
                + " \"transition\": [[1, 0], [0.5, 0.5]]}");
        JsonNode out = run("analyze", "--model", model.toString(), "--json");
        JsonNode m = out.get("meanFirstPassageTimes");
        assertThat(m.get(0).get(1).asText()).isEqualTo("Infinity");
        assertThat(Json.doubleValue(m.get(0).get(1), "analyze", "meanFirstPassageTimes[0][1]")).isInfinite();
        assertThat(m.get(1).get(0).asDouble()).isEqualTo(2);
        assertThat(Json.write(out)).doesNotContain("null");
    }

    @Test
    void anExplosiveForecastFailsAtTheStepWhereItsVarianceOverflows() throws IOException {
        Path model = file("explosive.json", "{\"type\": \"lgssm\", \"transitionMatrix\": [[1.5]], \"processNoise\": [[0.4]],"
                + " \"observationMatrix\": [[1]], \"observationNoise\": [[0.5]], \"initialMean\": [0], \"initialCovariance\": [[1]]}");
        Path data = file("reals.json", "{\"sequences\": [{\"id\": \"r\", \"observations\": [1.5, 2, null, 0.5, 3]}]}");
        // the scalar Kalman recursion by hand: P_1|0 = P0, then update (P R / (P + R)) where observed and
        // predict (1.5² P + 0.4); forecast step k has variance P_T+k + R, the first that overflows names the step
        double[] y = {1.5, 2, Double.NaN, 0.5, 3};
        double p = 1;
        for (int t = 0; t < y.length; t++) {
            if (t > 0) {
                p = 2.25 * p + 0.4;
            }
            if (!Double.isNaN(y[t])) {
                p = p * 0.5 / (p + 0.5);
            }
        }
        int overflowAt = 0;
        for (int k = 1; overflowAt == 0; k++) {
            p = 2.25 * p + 0.4;
            if (Double.isInfinite(p + 0.5)) {
                overflowAt = k;
            }
        }
        CliRunner ok = CliRunner.run("forecast", "--model", model.toString(), "--data", data.toString(),
                "--steps", Integer.toString(overflowAt - 1));
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).doesNotContain("null").doesNotContain("Infinity");
        Path out = dir.resolve("forecast.json");
        CliRunner r = CliRunner.run("forecast", "--model", model.toString(), "--data", data.toString(), "--steps", "2000",
                "--out", out.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errorLines()).hasSize(1);
        assertThat(r.err()).startsWith("error: " + data + ": sequence 'r', forecast step " + overflowAt
                + ": the predictive variance is Infinity");
        assertThat(out).doesNotExist();
    }

    @Test
    void noCommandWritesNullOutsideObservationsOrANonFiniteNumber() throws IOException {
        Path level = file("level.json", "{\"type\": \"local-level\", \"observationVariance\": 2, \"levelVariance\": 0.5}");
        Path wide = file("wide.json", "{\"type\": \"local-level\", \"observationVariance\": 1e300, \"levelVariance\": 1e300}");
        Path hmm = file("hmm.json", "{\"type\": \"hmm\", \"initial\": [0.5, 0.5], \"transition\": [[0.9, 0.1], [0.2, 0.8]],"
                + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[0], [3]], \"covariances\": [[[1]], [[2]]]}}");
        Path weather = file("weather.json", MarkovCommandLineTest.WEATHER);
        Path explosive = file("explosive.json", "{\"type\": \"lgssm\", \"transitionMatrix\": [[1.5]], \"processNoise\": [[0.4]],"
                + " \"observationMatrix\": [[1]], \"observationNoise\": [[0.5]], \"initialMean\": [0], \"initialCovariance\": [[1]]}");
        Path rnn = file("rnn.json", "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"gru\", \"hiddenSize\": 3}],"
                + " \"head\": {\"type\": \"gaussian\", \"outputSize\": 1}, \"seed\": 1}");
        Path reals = file("reals.json", "{\"sequences\": [{\"id\": \"r\", \"observations\": [1.5, 2, null, 0.5, 3, null, 2.5, 1]}]}");
        Path huge = file("huge.json", "{\"sequences\": [{\"id\": \"h\", \"observations\": [1e200, null, 1.5e200, 1.2e200]}]}");
        Path days = file("days.json", "{\"symbols\": [\"sunny\", \"cloudy\", \"rainy\"], \"sequences\": [{\"id\": \"d\","
                + " \"observations\": [\"sunny\", null, \"rainy\", \"cloudy\", \"cloudy\"]}]}");
        Path study = file("study.json", "{\"name\": \"s\", \"datasets\": [{\"name\": \"nile\", \"builtin\": \"nile\"}],"
                + " \"split\": {\"train\": 0.7}, \"seeds\": [1], \"models\": [{\"name\": \"ll\", \"template\": {\"type\": \"local-level\"}},"
                + " {\"name\": \"chain\", \"template\": {\"type\": \"markov-chain\"}}]}");
        Path studyOut = dir.resolve("study-out");
        List<String[]> commands = List.of(
                new String[] {"sample", "--model", level.toString(), "--length", "50", "--seed", "1"},
                new String[] {"sample", "--model", explosive.toString(), "--length", "200", "--seed", "1"},
                new String[] {"filter", "--model", level.toString(), "--data", reals.toString(), "--summaries", "--states"},
                new String[] {"filter", "--model", wide.toString(), "--data", huge.toString(), "--summaries", "--states"},
                new String[] {"filter", "--model", hmm.toString(), "--data", reals.toString(), "--summaries", "--states"},
                new String[] {"filter", "--model", weather.toString(), "--data", days.toString(), "--summaries"},
                new String[] {"filter", "--model", rnn.toString(), "--data", reals.toString(), "--summaries", "--states"},
                new String[] {"smooth", "--model", level.toString(), "--data", reals.toString()},
                new String[] {"smooth", "--model", hmm.toString(), "--data", reals.toString()},
                new String[] {"decode", "--model", hmm.toString(), "--data", reals.toString()},
                new String[] {"forecast", "--model", level.toString(), "--data", reals.toString(), "--steps", "5"},
                new String[] {"forecast", "--model", explosive.toString(), "--data", reals.toString(), "--steps", "100"},
                new String[] {"forecast", "--model", hmm.toString(), "--data", reals.toString(), "--steps", "5"},
                new String[] {"forecast", "--model", weather.toString(), "--data", days.toString(), "--steps", "3"},
                new String[] {"fit", "--model", level.toString(), "--data", reals.toString(), "--out", dir.resolve("fit.json").toString(),
                    "--report", dir.resolve("fit-report.json").toString()},
                new String[] {"fit", "--model", hmm.toString(), "--data", reals.toString(), "--out", dir.resolve("fit-hmm.json").toString(),
                    "--report", dir.resolve("fit-hmm-report.json").toString(), "--max-iterations", "5"},
                new String[] {"analyze", "--model", weather.toString(), "--json"},
                new String[] {"analyze", "--model", file("reducible.json", "{\"type\": \"markov-chain\", \"initial\": [0, 1],"
                    + " \"transition\": [[1, 0], [0.5, 0.5]]}").toString(), "--json"},
                new String[] {"datasets", "nile"},
                new String[] {"unroll", "--model", rnn.toString(), "--steps", "3", "--format", "json"},
                new String[] {"compare", study.toString(), "--out", studyOut.toString(), "--quiet"});
        for (String[] c : commands) {
            CliRunner r = CliRunner.runJson(c);
            assertThat(r.exitCode()).as("%s: %s", String.join(" ", c), r.err()).isZero();
            if (!c[0].equals("compare") && !c[0].equals("fit")) {
                requireNoStrayNull(Json.parse(r.out(), String.join(" ", c)), "$", "", String.join(" ", c));
            }
        }
        List<Path> written = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir)) {
            all.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(".json")
                    && (p.startsWith(studyOut) || p.getFileName().toString().startsWith("fit"))).forEach(written::add);
        }
        assertThat(written).as("files written by fit and compare").hasSizeGreaterThanOrEqualTo(5);
        for (Path p : written) {
            requireNoStrayNull(Json.read(p), "$", "", p.toString());
        }
    }

    // null only as an element of an observation array (a missing observation) or of the log-densities and
    // innovations aligned with one; no number non-finite and no "NaN"/"Infinity" strings (a command line result is always finite)
    private static void requireNoStrayNull(JsonNode node, String path, String arrayName, String source) {
        if (node.isNull()) {
            assertThat(arrayName).as("%s: null at %s", source, path).isIn("observations", "predictiveLogDensities", "innovations");
        } else if (node.isNumber()) {
            assertThat(Double.isFinite(node.asDouble())).as("%s: %s", source, path).isTrue();
        } else if (node.isTextual() && !(arrayName.equals("smoothedLagOneCovariances") && path.contains("[0]"))
                && !(arrayName.equals("meanFirstPassageTimes") && node.asText().equals("Infinity"))) {
            // the exceptions: Cov[x_0, x_-1] does not exist and is the explicit "NaN" of step 0; a state that may
            // never be reached has the explicit passage time "Infinity"
            assertThat(node.asText()).as("%s: %s", source, path).isNotIn("NaN", "Infinity", "-Infinity");
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                requireNoStrayNull(node.get(i), path + "[" + i + "]", arrayName, source);
            }
        } else if (node.isObject()) {
            var fields = node.fields();
            while (fields.hasNext()) {
                var e = fields.next();
                requireNoStrayNull(e.getValue(), path + "." + e.getKey(), e.getKey(), source);
            }
        }
    }
}
