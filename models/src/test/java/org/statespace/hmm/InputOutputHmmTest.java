package org.statespace.hmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.junit.jupiter.api.Test;

import org.statespace.DataException;
import org.statespace.Recurrence;
import org.statespace.capability.DecodedPath;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;
import org.statespace.spec.SpecNode;

/**
 * The input-output HMM against enumeration of every path with its own softmax and normal densities written
 * here (T ≤ 5, K = 2..3, p = 2, fixed and input-driven starts, Gaussian, regression and autoregressive
 * emissions, missing steps): log-likelihood, filtered and posterior marginals, Viterbi, the engine's
 * recurrence. With W = 0 it is the plain HMM with A_ij = softmax_j(b_i) to 1e-12. EM never lowers the
 * penalised log-likelihood; the regression M-step equals weighted least squares solved by Commons Math's
 * OLS on √γ-scaled rows; the softmax M-step's coefficients zero the penalised objective's gradient
 * (central differences of the objective written here).
 */
class InputOutputHmmTest {

    // ------------------------------------------------------------------------------------------ models

    static String matrix(double[][] m) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < m.length; i++) {
            b.append(i > 0 ? ", " : "").append(vector(m[i]));
        }
        return b.append(']').toString();
    }

    static String vector(double[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.17g", v[i]));
        }
        return b.append(']').toString();
    }

    /** A random IO-HMM of K states and p inputs; emission "gaussian", "regression" or "ar" (one lag, with inputs). */
    static InputOutputHmm random(RandomGenerator r, int k, int p, boolean inputInitial, String emission) {
        StringBuilder s = new StringBuilder("{\"type\": \"iohmm\", \"inputs\": " + p + ", ");
        if (inputInitial) {
            s.append("\"initialWeights\": ").append(matrix(gaussians(r, k, p))).append(", \"initialBiases\": ")
                    .append(vector(gaussians(r, 1, k)[0])).append(", ");
        } else {
            s.append("\"initial\": ").append(vector(TestModels.randomProbabilities(r, k))).append(", ");
        }
        s.append("\"transitionWeights\": [");
        for (int i = 0; i < k; i++) {
            s.append(i > 0 ? ", " : "").append(matrix(gaussians(r, k, p)));
        }
        s.append("], \"transitionBiases\": ").append(matrix(gaussians(r, k, k))).append(", \"emission\": ");
        if (emission.equals("gaussian")) {
            double[] means = new double[k];
            double[] vars = new double[k];
            for (int j = 0; j < k; j++) {
                means[j] = 2 * r.nextGaussian();
                vars[j] = 0.5 + r.nextDouble();
            }
            s.append("{\"type\": \"gaussian\", \"covarianceType\": \"diagonal\", \"means\": ")
                    .append(matrix(column(means))).append(", \"covariances\": ").append(matrix(column(vars))).append('}');
        } else {
            boolean ar = emission.equals("ar");
            int q = p + (ar ? 1 : 0) + 1;
            s.append("{\"type\": \"regression\", \"inputs\": true, \"lags\": ").append(ar ? 1 : 0)
                    .append(", \"coefficients\": [");
            for (int j = 0; j < k; j++) {
                double[][] c = gaussians(r, 1, q);
                if (ar) { // a stable AR(1) coefficient: simulated data that explode lose every digit of the fit
                    c[0][p] = 0.9 * (2 * r.nextDouble() - 1);
                }
                s.append(j > 0 ? ", " : "").append(matrix(c));
            }
            s.append("], \"covariances\": [");
            for (int j = 0; j < k; j++) {
                s.append(j > 0 ? ", " : "").append("[[").append(0.5 + r.nextDouble()).append("]]");
            }
            s.append("]}");
        }
        s.append('}');
        return read(s.toString());
    }

    static InputOutputHmm read(String json) {
        return new IoHmmType().read(SpecNode.root(Json.parse(json, "test"), "test"));
    }

    private static double[][] column(double[] v) {
        double[][] out = new double[v.length][1];
        for (int i = 0; i < v.length; i++) {
            out[i][0] = v[i];
        }
        return out;
    }

    private static double[][] gaussians(RandomGenerator r, int rows, int cols) {
        double[][] out = new double[rows][cols];
        for (double[] row : out) {
            for (int j = 0; j < cols; j++) {
                row[j] = r.nextGaussian();
            }
        }
        return out;
    }

    static Sequence data(RandomGenerator r, int length, int p, boolean gaps) {
        double[] y = new double[length];
        double[] u = new double[length * p];
        for (int t = 0; t < length; t++) {
            y[t] = gaps && r.nextInt(5) == 0 ? Double.NaN : 2 * r.nextGaussian();
        }
        for (int i = 0; i < u.length; i++) {
            u[i] = r.nextGaussian();
        }
        return Sequence.of("s", 1, y).withInputs(p, u);
    }

    // ------------------------------------------------------------------------------------------ brute force

    /** softmax_j(w_j · u + b_j) from the spec's numbers. */
    private static double[] softmax(double[][] w, double[] b, Sequence s, int t) {
        int k = b.length;
        double[] z = new double[k];
        double sum = 0;
        for (int j = 0; j < k; j++) {
            z[j] = b[j];
            for (int l = 0; l < s.inputDimension(); l++) {
                z[j] += w[j][l] * s.input(t, l);
            }
            z[j] = Math.exp(z[j]);
            sum += z[j];
        }
        for (int j = 0; j < k; j++) {
            z[j] /= sum;
        }
        return z;
    }

    /** b_k(o_t) from the spec: 1 when the step is not scored. */
    private static double density(SpecNode spec, int k, Sequence s, int t) {
        SpecNode e = spec.field("emission");
        double y = s.value(t, 0);
        if (Double.isNaN(y)) {
            return 1;
        }
        double mean;
        double var;
        if (e.field("type").asText().equals("gaussian")) {
            mean = e.field("means").asMatrix()[k][0];
            var = e.field("covariances").asMatrix()[k][0];
        } else {
            double[] c = e.field("coefficients").elements().get(k).asMatrix()[0];
            int p = s.inputDimension();
            mean = c[c.length - 1];
            for (int l = 0; l < p; l++) {
                mean += c[l] * s.input(t, l);
            }
            if (e.field("lags").asInt() == 1) {
                double lag = t > 0 ? s.value(t - 1, 0) : 0;
                if (Double.isNaN(lag)) {
                    return 1;
                }
                mean += c[p] * lag;
            }
            var = e.field("covariances").elements().get(k).asMatrix()[0][0];
        }
        return Math.exp(-0.5 * (y - mean) * (y - mean) / var) / Math.sqrt(2 * Math.PI * var);
    }

    record Enumeration(double logLikelihood, double[][] posterior, int[] best, double bestLog) {
    }

    static Enumeration enumerate(InputOutputHmm model, Sequence s) {
        SpecNode spec = SpecNode.root(model.toSpec(), "model");
        int k = model.stateCount();
        int n = s.length();
        double[][] b = spec.field("transitionBiases").asMatrix();
        List<double[][]> w = new ArrayList<>();
        for (SpecNode m : spec.field("transitionWeights").elements()) {
            w.add(s.inputDimension() == 0 ? new double[k][0] : m.asMatrix());
        }
        double[] pi = spec.has("initial") ? spec.field("initial").asVector()
                : softmax(spec.field("initialWeights").asMatrix(), spec.field("initialBiases").asVector(), s, 0);
        double total = 0;
        double[][] posterior = new double[n][k];
        double best = -1;
        int[] bestPath = null;
        int[] path = new int[n];
        for (int code = 0; code < (int) Math.pow(k, n); code++) {
            int c = code;
            for (int t = 0; t < n; t++) {
                path[t] = c % k;
                c /= k;
            }
            double joint = pi[path[0]] * density(spec, path[0], s, 0);
            for (int t = 1; t < n; t++) {
                joint *= softmax(w.get(path[t - 1]), b[path[t - 1]], s, t)[path[t]] * density(spec, path[t], s, t);
            }
            total += joint;
            for (int t = 0; t < n; t++) {
                posterior[t][path[t]] += joint;
            }
            if (joint > best) {
                best = joint;
                bestPath = path.clone();
            }
        }
        for (double[] row : posterior) {
            for (int j = 0; j < k; j++) {
                row[j] /= total;
            }
        }
        return new Enumeration(Math.log(total), posterior, bestPath, Math.log(best));
    }

    // ------------------------------------------------------------------------------------------ tests

    @Test
    void likelihoodMarginalsAndViterbiMatchEnumeration() {
        RandomGenerator r = Randoms.seeded(3);
        int checked = 0;
        for (String emission : List.of("gaussian", "regression", "ar")) {
            for (boolean inputInitial : new boolean[] {false, true}) {
                for (int k = 2; k <= 3; k++) {
                    InputOutputHmm model = random(r, k, 2, inputInitial, emission);
                    for (int n = 1; n <= 5; n += 2) {
                        Sequence s = data(r, n, 2, true);
                        Enumeration e = enumerate(model, s);
                        String what = model + " " + emission + " T=" + n;
                        assertThat(model.logLikelihood(s)).as(what).isCloseTo(e.logLikelihood(), within(1e-11));
                        assertThat(Recurrence.logLikelihood(model, s)).as(what).isCloseTo(e.logLikelihood(), within(1e-11));
                        StateProbabilities post = model.smoothStates(s);
                        StateProbabilities filtered = model.filterStates(s);
                        for (int t = 0; t < n; t++) {
                            double[] prefix = enumerate(model, s.slice("p", 0, t + 1)).posterior()[t];
                            for (int j = 0; j < k; j++) {
                                assertThat(post.probability(t, j)).as(what).isCloseTo(e.posterior()[t][j], within(1e-12));
                                assertThat(filtered.probability(t, j)).as(what).isCloseTo(prefix[j], within(1e-12));
                            }
                        }
                        DecodedPath v = model.decode(s);
                        assertThat(v.path()).as(what).containsExactly(e.best());
                        assertThat(v.logProbability()).as(what).isCloseTo(e.bestLog(), within(1e-11));
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(3 * 2 * 2 * 3);
    }

    @Test
    void withZeroWeightsItIsThePlainHmm() {
        RandomGenerator r = Randoms.seeded(5);
        for (HiddenMarkovModel hmm : List.of(TestModels.gaussian().get(0), TestModels.categorical().get(0),
                TestModels.poisson().get(0))) {
            int k = hmm.stateCount();
            double[][] a = hmm.transitionMatrix();
            double[][] logA = new double[k][k];
            double[][][] zeros = new double[k][k][2];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    logA[i][j] = Math.log(a[i][j]);
                }
            }
            StringBuilder w = new StringBuilder("[");
            for (int i = 0; i < k; i++) {
                w.append(i > 0 ? ", " : "").append(matrix(zeros[i]));
            }
            w.append(']');
            InputOutputHmm io = read("{\"type\": \"iohmm\", \"inputs\": 2, \"initial\": " + vector(hmm.initial())
                    + ", \"transitionWeights\": " + w + ", \"transitionBiases\": " + matrix(logA) + ", \"emission\": "
                    + hmm.emissionModel().toSpec() + "}");
            Sequence base = TestModels.withGaps(hmm, "s", 200, r);
            double[] u = new double[400];
            for (int i = 0; i < u.length; i++) {
                u[i] = r.nextGaussian();
            }
            Sequence s = base.withInputs(2, u);
            assertThat(io.logLikelihood(s)).isCloseTo(hmm.logLikelihood(base), within(1e-12 * Math.abs(hmm.logLikelihood(base))));
            StateProbabilities p = io.smoothStates(s);
            ForwardBackward fb = hmm.forwardBackward();
            fb.smooth(base);
            for (int t = 0; t < 200; t++) {
                for (int j = 0; j < k; j++) {
                    assertThat(p.probability(t, j)).isCloseTo(fb.posterior(t, j), within(1e-12));
                }
            }
            assertThat(io.decode(s).path()).containsExactly(hmm.decode(base).path());
        }
    }

    /** A property over seeds: for every emission kind and start, 15 EM steps never lower the penalised likelihood. */
    @Property(tries = 8)
    void emNeverLowersThePenalisedLikelihood(@ForAll @LongRange(min = 1, max = 100_000) long seed) {
        RandomGenerator r = Randoms.seeded(seed);
        for (String emission : List.of("gaussian", "regression", "ar")) {
            for (boolean inputInitial : new boolean[] {false, true}) {
                InputOutputHmm truth = random(r, 2, 2, inputInitial, emission);
                List<Sequence> sequences = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    sequences.add(org.statespace.Sampling.ancestral(truth, "s" + i, 60, data(r, 60, 2, false), r));
                }
                InputOutputHmm model = random(r, 2, 2, inputInitial, emission);
                double previous = Double.NEGATIVE_INFINITY;
                for (int iteration = 0; iteration < 15; iteration++) {
                    InputOutputHmm.Statistics st = (InputOutputHmm.Statistics) model.newStatistics();
                    double ll = 0;
                    for (Sequence s : sequences) {
                        ll += model.expectation(s, st);
                    }
                    double objective = ll - model.penalty();
                    assertThat(objective).as("%s %s iteration %d", emission, inputInitial, iteration)
                            .isGreaterThanOrEqualTo(previous - 1e-8 * Math.abs(previous));
                    previous = objective;
                    model = model.maximization(st, HmmFitSettings.defaults());
                }
            }
        }
    }

    @Test
    void theRegressionMStepIsWeightedLeastSquares() {
        RandomGenerator r = Randoms.seeded(13);
        InputOutputHmm model = random(r, 2, 2, false, "ar");
        RegressionEmission e = model.regressionEmission().orElseThrow();
        Sequence s = data(r, 40, 2, true);
        double[] gamma = new double[40 * 2];
        for (int t = 0; t < 40; t++) {
            gamma[2 * t] = r.nextDouble();
            gamma[2 * t + 1] = 1 - gamma[2 * t];
        }
        RegressionEmission.Statistics st = (RegressionEmission.Statistics) e.newStatistics();
        org.statespace.hmm.EmissionModel.Workspace w = e.newWorkspace();
        for (int t = 0; t < 40; t++) {
            w.accumulate(st, s, t, gamma, 2 * t);
        }
        RegressionEmission fitted = e.maximize(st, 1e-9);
        for (int k = 0; k < 2; k++) {
            // rows: steps whose observation and lag are present; regressors u1, u2, o_{t-1}, 1, scaled by √γ
            List<double[]> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            List<Double> gs = new ArrayList<>();
            for (int t = 0; t < 40; t++) {
                double lag = t > 0 ? s.value(t - 1, 0) : 0;
                if (Double.isNaN(s.value(t, 0)) || Double.isNaN(lag)) {
                    continue;
                }
                double g = Math.sqrt(gamma[2 * t + k]);
                xs.add(new double[] {g * s.input(t, 0), g * s.input(t, 1), g * lag, g});
                ys.add(g * s.value(t, 0));
                gs.add(gamma[2 * t + k]);
            }
            OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
            ols.setNoIntercept(true);
            ols.newSampleData(ys.stream().mapToDouble(Double::doubleValue).toArray(), xs.toArray(new double[0][]));
            double[] beta = ols.estimateRegressionParameters();
            double[] residuals = ols.estimateResiduals(); // √γ (y - x β)
            double rss = 0;
            double weight = 0;
            for (int i = 0; i < residuals.length; i++) {
                rss += residuals[i] * residuals[i];
                weight += gs.get(i);
            }
            double[][] c = fitted.coefficients(k);
            for (int a = 0; a < 4; a++) {
                assertThat(c[0][a]).as("state %d coefficient %d", k, a).isCloseTo(beta[a], within(1e-10));
            }
            assertThat(fitted.covariance(k)[0][0]).isCloseTo(rss / weight, within(1e-10));
        }
    }

    @Test
    void theSoftmaxMStepZeroesThePenalisedGradient() {
        RandomGenerator r = Randoms.seeded(21);
        int rows = 50;
        int q = 3;
        int k = 3;
        double[] x = new double[rows * q];
        double[] y = new double[rows * k];
        for (int i = 0; i < rows; i++) {
            x[i * q] = r.nextGaussian();
            x[i * q + 1] = r.nextGaussian();
            x[i * q + 2] = 1;
            double total = r.nextDouble();
            double[] p = TestModels.randomProbabilities(r, k);
            for (int j = 0; j < k; j++) {
                y[i * k + j] = total * p[j];
            }
        }
        double[] theta = SoftmaxRegression.fit(x, y, rows, q, k, 1e-3, new double[k * q]);
        // the objective written out here: Σ y log softmax - λ/2 ||θ||²
        java.util.function.Function<double[], Double> f = th -> {
            double sum = 0;
            for (int i = 0; i < rows; i++) {
                double[] z = new double[k];
                double norm = 0;
                for (int j = 0; j < k; j++) {
                    for (int l = 0; l < q; l++) {
                        z[j] += th[j * q + l] * x[i * q + l];
                    }
                    norm += Math.exp(z[j]);
                }
                for (int j = 0; j < k; j++) {
                    sum += y[i * k + j] * (z[j] - Math.log(norm));
                }
            }
            double sq = 0;
            for (double v : th) {
                sq += v * v;
            }
            return sum - 0.5e-3 * sq;
        };
        double h = 1e-5;
        for (int i = 0; i < theta.length; i++) {
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[i] += h;
            minus[i] -= h;
            assertThat((f.apply(plus) - f.apply(minus)) / (2 * h)).as("gradient %d", i).isCloseTo(0, within(1e-6));
        }
        // and it is a maximum: a step in any coordinate lowers the objective
        double best = f.apply(theta);
        for (int i = 0; i < theta.length; i++) {
            double[] moved = theta.clone();
            moved[i] += 1e-2;
            assertThat(f.apply(moved)).isLessThan(best);
        }
    }

    @Test
    void specsRoundTripAndBadInputIsNamed() {
        RandomGenerator r = Randoms.seeded(2);
        for (String emission : List.of("gaussian", "regression", "ar")) {
            InputOutputHmm model = random(r, 3, 2, true, emission);
            InputOutputHmm again = new IoHmmType().read(SpecNode.root(model.toSpec(), "again"));
            assertThat(again).isEqualTo(model);
            assertThat(again.toSpec()).isEqualTo(model.toSpec());
        }
        assertThatThrownBy(() -> read("{\"type\": \"iohmm\", \"inputs\": 1, \"initial\": [0.5, 0.5], "
                + "\"transitionWeights\": [[[0], [0]]], \"transitionBiases\": [[0, 0], [0, 0]], "
                + "\"emission\": {\"type\": \"poisson\", \"rates\": [[1], [2]]}}"))
                .hasMessageContaining("transitionWeights").hasMessageContaining("expected 2 matrices");
        InputOutputHmm model = random(r, 2, 2, false, "gaussian");
        Sequence noInputs = Sequence.ofScalars("plain", new double[] {1, 2});
        assertThatThrownBy(() -> model.logLikelihood(noInputs)).isInstanceOf(DataException.class)
                .hasMessageContaining("sequence 'plain'").hasMessageContaining("needs 2 inputs");
    }

    @Test
    void aTemplateFitsByEm() {
        RandomGenerator r = Randoms.seeded(4);
        InputOutputHmm truth = random(r, 2, 1, false, "regression");
        List<Sequence> sequences = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sequences.add(org.statespace.Sampling.ancestral(truth, "s" + i, 100, data(r, 100, 1, false), r));
        }
        Dataset d = Dataset.of(sequences);
        for (String emission : List.of("gaussian", "regression", "autoregressive")) {
            InputOutputHmm start = new IoHmmType().template(SpecNode.root(Json.parse(
                    "{\"type\": \"iohmm\", \"states\": 2, \"emission\": \"" + emission + "\"}", "t"), "t"), d,
                    Randoms.seeded(1));
            assertThat(start.inputDimension()).isEqualTo(1);
            InputOutputHmm.Statistics st = (InputOutputHmm.Statistics) start.newStatistics();
            double before = 0;
            for (Sequence s : sequences) {
                before += start.expectation(s, st);
            }
            InputOutputHmm next = start.maximization(st, HmmFitSettings.defaults());
            double after = 0;
            for (Sequence s : sequences) {
                after += next.logLikelihood(s);
            }
            assertThat(after - next.penalty()).isGreaterThanOrEqualTo(before - start.penalty() - 1e-8);
        }
    }

    @Test
    void posteriorPathsHaveTheEnumeratedMarginals() {
        RandomGenerator r = Randoms.seeded(17);
        int draws = 20_000;
        for (String emission : List.of("gaussian", "ar")) {
            InputOutputHmm model = random(r, 3, 2, true, emission);
            Sequence s = data(r, 5, 2, true);
            Enumeration e = enumerate(model, s);
            org.statespace.capability.PosteriorDraws x = model.samplePosterior(s, draws, Randoms.seeded(1));
            for (int t = 0; t < 5; t++) {
                int[] counts = new int[3];
                for (int d = 0; d < draws; d++) {
                    counts[x.state(d, t)]++;
                }
                for (int j = 0; j < 3; j++) {
                    double p = e.posterior()[t][j];
                    assertThat(counts[j] / (double) draws).as("%s t=%d state %d", emission, t, j)
                            .isCloseTo(p, within(5 * Math.sqrt(p * (1 - p) / draws) + 1e-4));
                }
            }
        }
    }
}
