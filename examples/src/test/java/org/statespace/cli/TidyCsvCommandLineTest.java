package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tidy CSV every summarised command writes with {@code --out R.csv}: read back by a strict reader
 * ({@link StrictCsv}, what pandas' {@code read_csv} needs) as one table with a pinned header, and values
 * checked against brute force over every hidden path of a tiny HMM or a scalar Kalman filter by hand.
 */
class TidyCsvCommandLineTest {
    /** π = (0.5, 0.5), A = [[0.9, 0.1], [0.2, 0.8]], B = [[0.8, 0.2], [0.3, 0.7]] over (sun, rain). */
    static final String HMM = "{\"type\": \"hmm\", \"states\": [\"calm\", \"storm\"], \"initial\": [0.5, 0.5],"
            + " \"transition\": [[0.9, 0.1], [0.2, 0.8]], \"emission\": {\"type\": \"categorical\","
            + " \"symbols\": [\"sun\", \"rain\"], \"probabilities\": [[0.8, 0.2], [0.3, 0.7]]}}";
    private static final double[] PI = {0.5, 0.5};
    private static final double[][] A = {{0.9, 0.1}, {0.2, 0.8}};
    private static final double[][] B = {{0.8, 0.2}, {0.3, 0.7}};
    /** Sequence a: sun, rain, rain, sun; sequence b: rain, missing, sun (symbol indices, -1 missing). */
    private static final int[][] Y = {{0, 1, 1, 0}, {1, -1, 0}};

    @TempDir
    Path dir;
    private Path model;
    private Path data;

    @BeforeEach
    void write() throws Exception {
        model = Files.writeString(dir.resolve("hmm.json"), HMM);
        data = Files.writeString(dir.resolve("d.json"), "{\"symbols\": [\"sun\", \"rain\"], \"sequences\": ["
                + "{\"id\": \"a\", \"observations\": [\"sun\", \"rain\", \"rain\", \"sun\"]},"
                + "{\"id\": \"b, the second\", \"observations\": [\"rain\", null, \"sun\"]}]}");
    }

    private StrictCsv csv(String... args) throws Exception {
        Path out = dir.resolve(args[0] + ".csv");
        String[] full = java.util.Arrays.copyOf(args, args.length + 2);
        full[args.length] = "--out";
        full[args.length + 1] = out.toString();
        CliRunner r = CliRunner.run(full);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        return StrictCsv.parse(Files.readString(out));
    }

    /** p(path, observations) of a path by the definition. */
    private static double joint(int[] y, int[] path) {
        double p = PI[path[0]];
        for (int t = 0; t < y.length; t++) {
            if (t > 0) {
                p *= A[path[t - 1]][path[t]];
            }
            p *= y[t] < 0 ? 1 : B[path[t]][y[t]];
        }
        return p;
    }

    private static int[] path(int code, int length) {
        int[] p = new int[length];
        for (int t = 0; t < length; t++) {
            p[t] = (code >> t) & 1;
        }
        return p;
    }

    /** p(y_0..y_{n-1}) by summing over all paths. */
    private static double marginal(int[] y, int n) {
        int[] prefix = java.util.Arrays.copyOf(y, n);
        double sum = 0;
        for (int code = 0; code < 1 << n; code++) {
            sum += joint(prefix, path(code, n));
        }
        return sum;
    }

    /** The most probable path by trying every path. */
    private static int[] bestPath(int[] y) {
        int[] best = null;
        double bestP = -1;
        for (int code = 0; code < 1 << y.length; code++) {
            double p = joint(y, path(code, y.length));
            if (p > bestP) {
                bestP = p;
                best = path(code, y.length);
            }
        }
        return best;
    }

    @Test
    void decodeWritesOneRowPerStepWithTheStateName() throws Exception {
        StrictCsv t = csv("decode", "--model", model.toString(), "--data", data.toString());
        assertThat(t.header()).containsExactly("sequence", "t", "viterbiPath");
        assertThat(t.rows()).hasSize(7);
        assertThat(t.column("sequence")).containsExactly("a", "a", "a", "a", "b, the second", "b, the second", "b, the second");
        assertThat(t.numbers("t")).containsExactly(0, 1, 2, 3, 0, 1, 2);
        for (int s = 0; s < 2; s++) {
            int[] best = bestPath(Y[s]);
            int offset = s == 0 ? 0 : 4;
            for (int k = 0; k < best.length; k++) {
                assertThat(t.column("viterbiPath").get(offset + k)).isEqualTo(best[k] == 0 ? "calm" : "storm");
            }
        }
    }

    @Test
    void smoothWritesPosteriorsNamedByState() throws Exception {
        StrictCsv t = csv("smooth", "--model", model.toString(), "--data", data.toString());
        assertThat(t.header()).containsExactly("sequence", "t", "posteriorProbabilities.calm", "posteriorProbabilities.storm");
        double[] calm = t.numbers("posteriorProbabilities.calm");
        double[] storm = t.numbers("posteriorProbabilities.storm");
        int row = 0;
        for (int[] y : Y) {
            double total = marginal(y, y.length);
            for (int step = 0; step < y.length; step++, row++) {
                double pCalm = 0;
                for (int code = 0; code < 1 << y.length; code++) {
                    int[] p = path(code, y.length);
                    pCalm += p[step] == 0 ? joint(y, p) : 0;
                }
                assertThat(calm[row]).isCloseTo(pCalm / total, within(1e-12));
                assertThat(storm[row]).isCloseTo(1 - pCalm / total, within(1e-12));
            }
        }
    }

    @Test
    void filterWritesPredictiveDensitiesWithAMissingStepEmpty() throws Exception {
        StrictCsv t = csv("filter", "--model", model.toString(), "--data", data.toString(), "--summaries", "--states");
        assertThat(t.header()).startsWith("sequence", "t", "predictiveLogDensities")
                .contains("predictiveProbabilities.sun", "predictiveProbabilities.rain",
                        "filteredProbabilities.calm", "filteredProbabilities.storm")
                .doesNotContain("logLikelihood");
        double[] logDensity = t.numbers("predictiveLogDensities");
        double[] sun = t.numbers("predictiveProbabilities.sun");
        double[] filteredCalm = t.numbers("filteredProbabilities.calm");
        assertThat(t.column("predictiveLogDensities").get(5)).isEmpty(); // b's missing step
        int row = 0;
        for (int[] y : Y) {
            for (int step = 0; step < y.length; step++, row++) {
                if (y[step] >= 0) {
                    double expected = Math.log(marginal(y, step + 1) / (step == 0 ? 1 : marginal(y, step)));
                    assertThat(logDensity[row]).isCloseTo(expected, within(1e-12));
                } else {
                    assertThat(logDensity[row]).isNaN();
                }
                // p(sun at step | before): the marginal with step replaced by sun
                int[] withSun = y.clone();
                withSun[step] = 0;
                double before = step == 0 ? 1 : marginal(y, step);
                assertThat(sun[row]).isCloseTo(marginal(withSun, step + 1) / before, within(1e-12));
                // p(calm at step | up to step): the sum over paths of the prefix ending in calm
                double calm = 0;
                int[] prefix = java.util.Arrays.copyOf(y, step + 1);
                for (int code = 0; code < 1 << (step + 1); code++) {
                    int[] p = path(code, step + 1);
                    calm += p[step] == 0 ? joint(prefix, p) : 0;
                }
                assertThat(filteredCalm[row]).isCloseTo(calm / marginal(y, step + 1), within(1e-12));
            }
        }
    }

    @Test
    void forecastOfSymbolsWritesProbabilitiesNamedBySymbol() throws Exception {
        StrictCsv t = csv("forecast", "--model", model.toString(), "--data", data.toString(), "--steps", "2");
        assertThat(t.header()).containsExactly("sequence", "step", "probabilities.sun", "probabilities.rain");
        assertThat(t.column("step")).containsExactly("1", "2", "1", "2");
        double[] sun = t.numbers("probabilities.sun");
        int row = 0;
        for (int[] y : Y) {
            double total = marginal(y, y.length);
            for (int k = 1; k <= 2; k++, row++) {
                // p(sun k steps after the end) = Σ over paths of y and k extra steps with sun at the last
                int[] extended = java.util.Arrays.copyOf(y, y.length + k);
                java.util.Arrays.fill(extended, y.length, extended.length, -1);
                extended[extended.length - 1] = 0;
                assertThat(sun[row]).isCloseTo(marginal(extended, extended.length) / total, within(1e-12));
            }
        }
    }

    @Test
    void forecastOfALocalLevelWritesMeansAndIntervals() throws Exception {
        // r = 2, q = 0.5, diffuse start; y = 1, 3. By hand: after y0 the level is 1 with variance r = 2;
        // predicted variance 2.5, gain K = 2.5 / 4.5, mean 1 + K * 2, variance (1 - K) * 2.5.
        Path level = Files.writeString(dir.resolve("level.json"),
                "{\"type\": \"local-level\", \"observationVariance\": 2, \"levelVariance\": 0.5}");
        Path reals = Files.writeString(dir.resolve("reals.csv"), "y\n1\n3\n");
        StrictCsv t = csv("forecast", "--model", level.toString(), "--data", reals.toString(), "--steps", "3");
        assertThat(t.header()).containsExactly("sequence", "step", "mean", "variance", "lower50", "upper50", "lower90", "upper90");
        double gain = 2.5 / 4.5;
        double mean = 1 + gain * 2;
        double filtered = (1 - gain) * 2.5;
        double z75 = 0.6744897501960817;
        double z95 = 1.6448536269514722;
        for (int k = 1; k <= 3; k++) {
            double variance = filtered + k * 0.5 + 2;
            assertThat(t.numbers("mean")[k - 1]).isCloseTo(mean, within(1e-12));
            assertThat(t.numbers("variance")[k - 1]).isCloseTo(variance, within(1e-12));
            assertThat(t.numbers("lower50")[k - 1]).isCloseTo(mean - z75 * Math.sqrt(variance), within(1e-9));
            assertThat(t.numbers("upper90")[k - 1]).isCloseTo(mean + z95 * Math.sqrt(variance), within(1e-9));
        }
        assertThat(t.column("sequence")).containsOnly("s1");
    }

    @Test
    void summariesAreReadableTablesWithTheSpecsNames() {
        CliRunner decoded = CliRunner.run("decode", "--model", model.toString(), "--data", data.toString());
        assertThat(decoded.exitCode()).as(decoded.err()).isZero();
        // the segments of each brute-force path: "state start end length"
        List<String> lines = decoded.out().lines().map(l -> l.strip().replaceAll(" +", " ")).toList();
        assertThat(lines).contains("state start end length");
        for (int[] y : Y) {
            int[] best = bestPath(y);
            for (int start = 0, end; start < best.length; start = end + 1) {
                end = start;
                while (end + 1 < best.length && best[end + 1] == best[start]) {
                    end++;
                }
                assertThat(lines).contains((best[start] == 0 ? "calm " : "storm ") + start + " " + end + " " + (end - start + 1));
            }
        }
        assertThat(decoded.out()).doesNotContain("{");

        CliRunner filtered = CliRunner.run("filter", "--model", model.toString(), "--data", data.toString());
        assertThat(filtered.exitCode()).as(filtered.err()).isZero();
        double ll = Math.log(marginal(Y[0], 4)) + Math.log(marginal(Y[1], 3));
        assertThat(filtered.out()).startsWith("log-likelihood " + ResultOutput.readable(ll) + " over 6 observed steps");
        assertThat(filtered.out().lines().map(l -> l.strip().replaceAll(" +", " ")))
                .contains("sequence steps observed log-likelihood per step");

        CliRunner forecast = CliRunner.run("forecast", "--model", model.toString(), "--data", data.toString(), "--steps", "1");
        assertThat(forecast.exitCode()).as(forecast.err()).isZero();
        assertThat(forecast.out()).contains("most probable").contains("sun").contains("rain");
    }

    @Test
    void aNumberForPeopleHasSixSignificantDigits() {
        assertThat(ResultOutput.readable(-633.4654321)).isEqualTo("-633.465");
        assertThat(ResultOutput.readable(0.5)).isEqualTo("0.5");
        assertThat(ResultOutput.readable(2)).isEqualTo("2");
        assertThat(ResultOutput.readable(1.23456789e-7)).isEqualTo("1.2346e-07");
        assertThat(ResultOutput.readable(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    }

    @Test
    void jsonOnRequestAndOnStandardOutputByDash() {
        for (String[] extra : new String[][] {{"--json"}, {"--out", "-"}, {"--out", "/dev/stdout"}}) {
            String[] args = {"decode", "--model", model.toString(), "--data", data.toString(), extra[0], extra.length > 1 ? extra[1] : null};
            CliRunner r = CliRunner.run(java.util.Arrays.stream(args).filter(java.util.Objects::nonNull).toArray(String[]::new));
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(org.statespace.spec.Json.parse(r.out(), "stdout").get("states").get(1).asText()).isEqualTo("storm");
        }
    }

    @Test
    void theStrictReaderRefusesWhatPandasWouldNotReadAsOneTable() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StrictCsv.parse("a,b\n1,2,3\n"))
                .hasMessageContaining("3 fields");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StrictCsv.parse("a,a\n1,2\n")).hasMessageContaining("distinct");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StrictCsv.parse("a\n\"x\n")).hasMessageContaining("unterminated");
        StrictCsv ok = StrictCsv.parse("a,b\r\n\"x, \"\"y\"\"\",inf\r\n");
        assertThat(ok.column("a")).containsExactly("x, \"y\"");
        assertThat(ok.numbers("b")).containsExactly(Double.POSITIVE_INFINITY);
    }
}
