package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import org.statespace.StateSpaceModel;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.hmm.CategoricalEmission;
import org.statespace.hmm.HiddenMarkovModel;
import org.statespace.hmm.PoissonEmission;
import org.statespace.kalman.StructuralModel;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;

/**
 * Standard errors from the observed information against independent numbers: statsmodels on the Nile
 * (nile-statsmodels-se.md), and closed forms for models whose maximum-likelihood estimate and information
 * are known by hand.
 */
class StandardErrorsTest {

    private static final FilterEngine ENGINE = FilterEngine.singleThreaded();

    private static TrainOptions options() {
        return TrainOptions.defaults().withThreads(1);
    }

    private static StateSpaceModel<?, ?> template(String json, Dataset data, long seed) {
        return ModelSpecs.template(SpecNode.root(Json.parse(json, "template"), "template"), data, Randoms.seeded(seed));
    }

    /** statsmodels' cov_type='approx' standard errors at the published optimum, from the reference csv. */
    static double[][] statsmodels() throws IOException {
        try (InputStream in = StandardErrorsTest.class.getResourceAsStream("nile-statsmodels-se.csv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().split("\n");
            double[][] out = new double[lines.length - 1][];
            for (int i = 1; i < lines.length; i++) {
                String[] f = lines[i].split(",");
                out[i - 1] = new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2])};
            }
            return out;
        }
    }

    @Test
    void nileLocalLevelFromTheTemplateMatchesStatsmodels() throws IOException {
        Dataset nile = NileMaximumLikelihoodTest.nile();
        StateSpaceModel<?, ?> start = template("{\"type\": \"local-level\"}", nile, 0);
        FitResult fromTemplate = Trainer.fit(start, nile, null, options(), FitSettings.NONE, TrainingListener.NONE);
        // the same fit from a full spec (Durbin & Koopman's rounded estimates as the start) ends at the same optimum
        StructuralModel full = (StructuralModel) ModelSpecs.parse(
                "{\"type\": \"local-level\", \"observationVariance\": 15099, \"levelVariance\": 1469.1}", "full");
        FitResult fromSpec = Trainer.fit(full, nile, null, options(), FitSettings.NONE, TrainingListener.NONE);
        StructuralModel a = (StructuralModel) fromTemplate.model();
        StructuralModel b = (StructuralModel) fromSpec.model();
        assertThat(fromTemplate.converged()).isTrue();
        assertThat(a.observationVariance()).isCloseTo(b.observationVariance(), within(0.05));
        assertThat(a.levelVariance()).isCloseTo(b.levelVariance(), within(0.005));
        assertThat(fromTemplate.logLikelihood()).isCloseTo(fromSpec.logLikelihood(), within(1e-6));

        StandardErrors se = StandardErrors.of(a, nile, ENGINE);
        double[][] reference = statsmodels();
        assertThat(se.available()).isTrue();
        assertThat(se.names()).containsExactly("observationVariance", "levelVariance");
        // our optimum agrees with the published one to < 1e-4 relative (NileMaximumLikelihoodTest); statsmodels'
        // own SE moves by ~1% when the point moves by 1% (its fit() optimum), so 0.2% leaves room for the point
        // and for the two numerical Hessians (complex step there, central differences here)
        for (int i = 0; i < 2; i++) {
            assertThat(se.estimates()[i]).isCloseTo(reference[i][0], within(1e-4 * reference[i][0]));
            assertThat(se.standardErrors()[i]).isCloseTo(reference[i][1], within(2e-3 * reference[i][1]));
        }
    }

    @Test
    void iidGaussianAsALocalLevelWithoutLevelNoiseHasTheTextbookStandardError() {
        // y_t = μ + ε_t with μ diffuse: the exact diffuse likelihood is that of the n − 1 contrasts, maximised at
        // σ̂² = S/(n − 1), S = Σ(y − ȳ)², with information (n − 1)/(2σ⁴): SE(σ̂²) = σ̂² √(2/(n − 1))
        RandomGenerator random = Randoms.seeded(11);
        int n = 400;
        double[] y = new double[n];
        double mean = 0;
        for (int t = 0; t < n; t++) {
            y[t] = 5 + 2 * random.nextGaussian();
            mean += y[t] / n;
        }
        double s = 0;
        for (double v : y) {
            s += (v - mean) * (v - mean);
        }
        double sigma2 = s / (n - 1);
        Dataset data = Dataset.of(List.of(Sequence.ofScalars("iid", y)));
        StandardErrors se = StandardErrors.of(StructuralModel.localLevel(sigma2, 0), data, ENGINE);
        assertThat(se.available()).isTrue();
        assertThat(se.fixed()[1]).isTrue();                     // levelVariance = 0 is held fixed
        assertThat(se.note()).contains("levelVariance");
        assertThat(se.standardErrors()[0]).isCloseTo(sigma2 * Math.sqrt(2.0 / (n - 1)), within(1e-5 * sigma2));
        // and the optimiser, started from the template, finds σ̂² itself
        StructuralModel start = StructuralModel.localLevel(1, 0);
        FitResult r = Trainer.fit(start, data, null, options(), FitSettings.NONE, TrainingListener.NONE);
        assertThat(((StructuralModel) r.model()).observationVariance()).isCloseTo(sigma2, within(1e-4 * sigma2));
    }

    @Test
    void oneStatePoissonRateHasStandardErrorSqrtLambdaOverN() {
        RandomGenerator random = Randoms.seeded(3);
        int n = 500;
        double[] y = new double[n];
        double sum = 0;
        for (int t = 0; t < n; t++) {
            // Poisson(4) by counting unit-rate exponential arrivals in [0, 4]
            double clock = -Math.log(1 - random.nextDouble());
            int count = 0;
            while (clock < 4) {
                count++;
                clock -= Math.log(1 - random.nextDouble());
            }
            y[t] = count;
            sum += count;
        }
        double lambda = sum / n;   // the maximum-likelihood rate
        HiddenMarkovModel m = HiddenMarkovModel.of(new double[] {1}, new double[][] {{1}},
                PoissonEmission.of(new double[][] {{lambda}}));
        StandardErrors se = StandardErrors.of(m, Dataset.of(List.of(Sequence.ofScalars("counts", y))), ENGINE);
        assertThat(se.names()).containsExactly("transition[0->0]", "rate[0]");
        assertThat(se.fixed()[0]).isTrue();                     // one state: the transition row has no freedom
        assertThat(se.standardErrors()[1]).isCloseTo(Math.sqrt(lambda / n), within(1e-6 * Math.sqrt(lambda / n) * 10));
        double[] ci = se.interval95(1);
        assertThat(ci[0]).isCloseTo(lambda - 1.959963984540054 * Math.sqrt(lambda / n), within(1e-4));
    }

    @Test
    void oneStateGaussianHasTheTextbookStandardErrorsOfMeanAndVariance() {
        // i.i.d. N(μ, σ²): μ̂ = ȳ, σ̂² = S/n, information diag(n/σ², n/(2σ⁴)): SE √(σ̂²/n) and σ̂² √(2/n);
        // "full" covariances in one dimension and spherical ones are the same model
        RandomGenerator random = Randoms.seeded(8);
        int n = 300;
        double[] y = new double[n];
        double mean = 0;
        for (int t = 0; t < n; t++) {
            y[t] = -1 + 0.5 * random.nextGaussian();
            mean += y[t] / n;
        }
        double s = 0;
        for (double v : y) {
            s += (v - mean) * (v - mean);
        }
        double sigma2 = s / n;
        Dataset data = Dataset.of(List.of(Sequence.ofScalars("iid", y)));
        for (org.statespace.hmm.GaussianEmission e : List.of(
                org.statespace.hmm.GaussianEmission.full(new double[][] {{mean}}, new double[][][] {{{sigma2}}}),
                org.statespace.hmm.GaussianEmission.spherical(new double[][] {{mean}}, new double[] {sigma2}))) {
            StandardErrors se = StandardErrors.of(HiddenMarkovModel.of(new double[] {1}, new double[][] {{1}}, e), data,
                    ENGINE);
            assertThat(se.names()).containsExactly("transition[0->0]", "mean[0]", "variance[0]");
            assertThat(se.standardErrors()[1]).isCloseTo(Math.sqrt(sigma2 / n), within(1e-5 * Math.sqrt(sigma2 / n)));
            assertThat(se.standardErrors()[2]).isCloseTo(sigma2 * Math.sqrt(2.0 / n), within(1e-5 * sigma2));
        }
    }

    @Test
    void multinomialProbabilitiesThroughTheSoftmaxGetTheBinomialStandardError() {
        // one hidden state with a categorical emission is a multinomial: p̂_j = n_j / n, SE(p̂_j) = √(p̂_j(1 − p̂_j)/n),
        // the reference category (whose logit is pinned at 0) included
        int[] counts = {120, 45, 235};
        int n = Arrays.stream(counts).sum();
        int[] symbols = new int[n];
        int t = 0;
        for (int j = 0; j < counts.length; j++) {
            for (int c = 0; c < counts[j]; c++) {
                symbols[t++] = j;
            }
        }
        double[] p = new double[3];
        for (int j = 0; j < 3; j++) {
            p[j] = counts[j] / (double) n;
        }
        HiddenMarkovModel m = HiddenMarkovModel.of(new double[] {1}, new double[][] {{1}},
                CategoricalEmission.of(List.of("a", "b", "c"), new double[][] {p}));
        Dataset data = Dataset.ofSymbols(List.of(Sequence.ofSymbols("s", symbols)), List.of("a", "b", "c"));
        StandardErrors se = StandardErrors.of(m, data, ENGINE);
        assertThat(se.available()).isTrue();
        assertThat(se.names()).containsExactly("transition[0->0]", "emission[0][a]", "emission[0][b]", "emission[0][c]");
        for (int j = 0; j < 3; j++) {
            double expected = Math.sqrt(p[j] * (1 - p[j]) / n);
            assertThat(se.standardErrors()[1 + j]).isCloseTo(expected, within(1e-5 * expected));
        }
    }

    @Test
    void threeStatePoissonTemplateRecoversTheRates() {
        double[] rates = {2, 8, 20};
        HiddenMarkovModel truth = HiddenMarkovModel.of(new double[] {1, 0, 0},
                new double[][] {{0.95, 0.03, 0.02}, {0.03, 0.94, 0.03}, {0.02, 0.03, 0.95}},
                PoissonEmission.of(new double[][] {{2}, {8}, {20}}));
        int length = 3000;
        Sequence sample = truth.sampleWithStates("sim", length, null, Randoms.seeded(21));
        Dataset data = Dataset.of(List.of(sample));
        StateSpaceModel<?, ?> start = template("{\"type\": \"hmm\", \"states\": 3, \"emission\": \"poisson\"}", data, 1);
        FitResult r = Trainer.fit(start, data, null, options().withRestarts(2), FitSettings.NONE, TrainingListener.NONE);
        HiddenMarkovModel fitted = (HiddenMarkovModel) r.model();
        assertThat(fitted.stateCount()).isEqualTo(3);
        PoissonEmission e = (PoissonEmission) fitted.emissionModel();
        StandardErrors se = StandardErrors.of(fitted, data, ENGINE);
        assertThat(se.available()).isTrue();
        int[] visits = new int[3];
        for (int t = 0; t < length; t++) {
            visits[(int) sample.state(t, 0)]++;
        }
        List<double[]> byRate = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            byRate.add(new double[] {e.rate(k, 0), se.standardErrors()[9 + k]});
        }
        byRate.sort((u, v) -> Double.compare(u[0], v[0]));
        for (int k = 0; k < 3; k++) {
            // a state's rate is estimated from about its n_k visits: sd √(λ_k/n_k); 4 sd leaves a false alarm
            // rate below 1e-4 per rate
            double sd = Math.sqrt(rates[k] / visits[k]);
            assertThat(byRate.get(k)[0]).isCloseTo(rates[k], within(4 * sd));
            // the complete-data information n_k/λ_k bounds the observed one from above (missing information),
            // so the SE is at least about √(λ_k/n_k); with states this well separated it is not much more
            assertThat(byRate.get(k)[1]).isBetween(0.9 * sd, 1.5 * sd);
        }
    }

    @Test
    void twoIdenticalStatesGiveNoStandardErrorsAndSaySo() {
        // with equal rates the transition probabilities do not enter the likelihood: the information is singular
        HiddenMarkovModel m = HiddenMarkovModel.of(new double[] {0.5, 0.5}, new double[][] {{0.7, 0.3}, {0.4, 0.6}},
                PoissonEmission.of(new double[][] {{3}, {3}}));
        Sequence sample = m.sampleWithStates("s", 300, null, Randoms.seeded(2));
        StandardErrors se = StandardErrors.of(m, Dataset.of(List.of(sample)), ENGINE);
        assertThat(se.available()).isFalse();
        assertThat(se.problem()).contains("not positive definite");
        assertThat(se.standardErrors()).containsOnly(Double.NaN);
    }

    @Test
    void theHessianByCentralDifferencesMatchesTheAnalyticOne() {
        // f(x, y) = sin(x)·e^y + x²y: f_xx = −sin(x)e^y + 2y, f_yy = sin(x)e^y, f_xy = cos(x)e^y + 2x
        double x = 0.7;
        double y = -0.3;
        double[][] h = StandardErrors.hessian(new double[] {x, y}, new double[] {1e-4, 1e-4},
                t -> Math.sin(t[0]) * Math.exp(t[1]) + t[0] * t[0] * t[1]);
        assertThat(h[0][0]).isCloseTo(-Math.sin(x) * Math.exp(y) + 2 * y, within(1e-6));
        assertThat(h[1][1]).isCloseTo(Math.sin(x) * Math.exp(y), within(1e-6));
        assertThat(h[0][1]).isCloseTo(Math.cos(x) * Math.exp(y) + 2 * x, within(1e-6));
        assertThat(h[1][0]).isEqualTo(h[0][1]);
    }

    private static HiddenMarkovModel uniformCategorical(int states, int symbols) {
        double[] initial = new double[states];
        double[][] transition = new double[states][states];
        double[][] emission = new double[states][symbols];
        Arrays.fill(initial, 1.0 / states);
        for (double[] row : transition) {
            Arrays.fill(row, 1.0 / states);
        }
        for (double[] row : emission) {
            Arrays.fill(row, 1.0 / symbols);
        }
        return HiddenMarkovModel.of(initial, transition, CategoricalEmission.of(emission));
    }

    @Test
    void tooManyParametersOrTooMuchWorkIsSaidNotAttempted() {
        // 12 states over 50 symbols: 12·11 transition logits + 12·49 emission logits = 720 free parameters
        Dataset small = Dataset.of(List.of(Sequence.ofSymbols("s", new int[] {0, 1, 2})));
        StandardErrors many = StandardErrors.of(uniformCategorical(12, 50), small, ENGINE);
        assertThat(many.available()).isFalse();
        assertThat(many.problem()).contains("720 free parameters");
        // 10 states over 6 symbols: k = 90 + 50 = 140, so 2k² = 39,200 evaluations; over 60,000 steps that is
        // 2.35e9 filter steps, above MAX_WORK (refused before any evaluation)
        Dataset long_ = Dataset.of(List.of(Sequence.ofSymbols("s", new int[60_000])));
        StandardErrors slow = StandardErrors.of(uniformCategorical(10, 6), long_, ENGINE);
        assertThat(slow.available()).isFalse();
        assertThat(slow.problem()).contains("39200 log-likelihood evaluations over 60000 steps");
    }
}
