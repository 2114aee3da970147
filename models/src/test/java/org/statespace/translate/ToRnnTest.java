package org.statespace.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.statespace.Recurrence;
import org.statespace.Sampling;
import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.data.Sequence;
import org.statespace.hmm.CategoricalEmission;
import org.statespace.hmm.EmissionModel;
import org.statespace.hmm.GaussianEmission;
import org.statespace.hmm.GaussianMixtureEmission;
import org.statespace.hmm.HiddenMarkovModel;
import org.statespace.hmm.PoissonEmission;
import org.statespace.kalman.LinearGaussianModel;
import org.statespace.kalman.StructuralModel;
import org.statespace.markov.MarkovChain;
import org.statespace.numeric.Randoms;
import org.statespace.rnn.RnnFitSettings;
import org.statespace.rnn.RnnModel;
import org.statespace.spec.ModelSpecs;

/**
 * Every Markov chain, HMM, linear-Gaussian and structural model (known prior) translated to an rnn gives
 * the source's log-likelihood (its own implementation: forward-backward for the HMM, the chain's and the
 * Kalman filter's recurrences) to 1e-12 relative, on random models
 * and data drawn from them with missing steps and components, also after the rnn's spec has been written
 * and read back; and the translated network fine-tunes by gradient descent.
 */
class ToRnnTest {

    static Stream<Arguments> models() {
        List<Arguments> out = new ArrayList<>();
        for (int seed = 1; seed <= 3; seed++) {
            RandomGenerator r = Randoms.seeded(100 + seed);
            int k = 2 + seed % 2;
            out.add(Arguments.of("categorical " + seed, hmm(r, k, CategoricalEmission.of(rows(r, k, 4, true)))));
            out.add(Arguments.of("poisson " + seed, hmm(r, k, PoissonEmission.of(positive(r, k, 2, 5)))));
            out.add(Arguments.of("gaussian diagonal " + seed, hmm(r, k, GaussianEmission.diagonal(normals(r, k, 2, 3),
                    positive(r, k, 2, 2)))));
            out.add(Arguments.of("gaussian spherical " + seed, hmm(r, k, GaussianEmission.spherical(normals(r, k, 3, 3),
                    positive(r, 1, k, 2)[0]))));
            double[][][] full = new double[k][][];
            for (int s = 0; s < k; s++) {
                full[s] = spd(r, 3);
            }
            out.add(Arguments.of("gaussian full " + seed, hmm(r, k, GaussianEmission.full(normals(r, k, 3, 3), full))));
            out.add(Arguments.of("gaussian tied " + seed, hmm(r, k, GaussianEmission.tied(normals(r, k, 2, 3), spd(r, 2)))));
            double[][][] means = new double[k][][];
            double[][][][] covariances = new double[k][2][][];
            for (int s = 0; s < k; s++) {
                means[s] = normals(r, 2, 2, 3);
                covariances[s][0] = spd(r, 2);
                covariances[s][1] = spd(r, 2);
            }
            out.add(Arguments.of("mixture full " + seed, hmm(r, k, GaussianMixtureEmission.full(rows(r, k, 2, false), means,
                    covariances))));
            double[][][] variances = new double[k][][];
            for (int s = 0; s < k; s++) {
                variances[s] = positive(r, 2, 2, 2);
            }
            out.add(Arguments.of("mixture diagonal " + seed, hmm(r, k, GaussianMixtureEmission.diagonal(rows(r, k, 2, false),
                    means, variances))));
            out.add(Arguments.of("markov chain order 1, " + seed, MarkovChain.of(rows(r, 1, 3, false)[0], rows(r, 3, 3, true))));
            out.add(Arguments.of("markov chain order 2, " + seed, MarkovChain.of(List.of(), 2, rows(r, 1, 9, false)[0],
                    rows(r, 9, 3, true))));
        }
        for (int seed = 1; seed <= 3; seed++) {
            RandomGenerator r = Randoms.seeded(200 + seed);
            int n = 1 + seed;
            int d = 1 + seed % 2;
            double[][] f = normals(r, n, n, 0.4);
            double[][] q = spd(r, n);
            if (seed == 2) {
                q[n - 1] = new double[n]; // a deterministic state: Q semidefinite
                for (double[] row : q) {
                    row[n - 1] = 0;
                }
            }
            LinearGaussianModel plain = LinearGaussianModel.of(f, q, normals(r, d, n, 1), spd(r, d), normals(r, 1, n, 1)[0],
                    spd(r, n));
            out.add(Arguments.of("lgssm " + seed, plain));
            LinearGaussianModel controlled = plain.withControlMatrix(normals(r, n, 2, 1))
                    .withTransitionOffset(normals(r, 1, n, 1)[0]).withObservationOffset(normals(r, 1, d, 1)[0]);
            out.add(Arguments.of("lgssm with control and offsets " + seed, controlled));
            out.add(Arguments.of("lgssm with feedthrough, control and offsets " + seed,
                    controlled.withFeedthroughMatrix(normals(r, d, 2, 1))));
            out.add(Arguments.of("lgssm, exact diffuse on every state " + seed, diffuse(plain)));
            out.add(Arguments.of("lgssm with feedthrough, exact diffuse on state 0 " + seed,
                    diffuse(controlled.withFeedthroughMatrix(normals(r, d, 2, 1)), 0)));
        }
        out.add(Arguments.of("local level, exact diffuse (the default)", StructuralModel.localLevel(0.7, 0.3)));
        out.add(Arguments.of("local linear trend, exact diffuse (the default)", StructuralModel.localLinearTrend(0.7, 0.3,
                0.05)));
        out.add(Arguments.of("local level, known prior", StructuralModel.localLevel(0.7, 0.3)
                .withKnownInitialization(new double[] {0.5}, new double[][] {{2.0}})));
        out.add(Arguments.of("local linear trend, known prior", StructuralModel.localLinearTrend(0.7, 0.3, 0.05)
                .withKnownInitialization(new double[] {0.5, -0.1}, new double[][] {{2.0, 0.3}, {0.3, 1.0}})));
        out.add(Arguments.of("local linear trend, deterministic slope", StructuralModel.localLinearTrend(0.7, 0.3, 0)
                .withKnownInitialization(new double[] {0.5, -0.1}, new double[][] {{2.0, 0.0}, {0.0, 0.0}})));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void translationHasTheSourcesLogLikelihood(String name, StateSpaceModel<?, ?> source) {
        RnnModel rnn = ToRnn.translate(source);
        RnnModel read = (RnnModel) ModelSpecs.parse(ModelSpecs.write(rnn), "translated");
        RandomGenerator r = Randoms.seeded(name.hashCode());
        for (int i = 0; i < 4; i++) {
            int length = 30 + 7 * i;
            Sequence inputs = null;
            int inputCount = source.observationSpace().inputDimension();
            if (inputCount > 0) {
                double[] u = normals(r, 1, length * inputCount, 1)[0];
                inputs = Sequence.of("u", 1, new double[length]).withInputs(inputCount, u);
            }
            Sequence s = withMissing(Sampling.sample(source, "s" + i, length, inputs, r), r, i == 0 ? 0 : 0.15);
            double expected = logLikelihood(source, s);
            assertThat(Recurrence.workspace(rnn).run(s, (t, h, p, l) -> { }))
                    .as(name + " sequence " + i).isCloseTo(expected, within(1e-12 * Math.abs(expected)));
            assertThat(Recurrence.workspace(read).run(s, (t, h, p, l) -> { }))
                    .as(name + " sequence " + i + ", spec read back").isCloseTo(expected, within(1e-12 * Math.abs(expected)));
        }
    }

    // the source's own log-likelihood: forward-backward for an HMM, the chain's own filter otherwise
    private static double logLikelihood(StateSpaceModel<?, ?> m, Sequence s) {
        return m instanceof HiddenMarkovModel h ? h.logLikelihood(s) : Recurrence.workspace(m).run(s, (t, x, p, l) -> { });
    }

    @Test
    void aFewGradientStepsFromTheTranslationDoNotLowerTheTrainingLogLikelihood() {
        RandomGenerator r = Randoms.seeded(7);
        HiddenMarkovModel source = hmm(r, 3, CategoricalEmission.of(rows(r, 3, 4, true)));
        HiddenMarkovModel other = hmm(r, 3, CategoricalEmission.of(rows(r, 3, 4, true)));
        List<Sequence> data = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            data.add(Sampling.sample(other, "s" + i, 40, null, r)); // data the source does not fit exactly
        }
        RnnModel model = ToRnn.translate(source);
        var evaluator = model.gradientEvaluator(RnnFitSettings.defaults());
        double[] theta = model.parameters();
        double[] gradient = new double[theta.length];
        double previous = logLikelihood(model, data);
        for (int step = 0; step < 5; step++) {
            evaluator.evaluate(theta, data, gradient);
            for (int i = 0; i < theta.length; i++) {
                theta[i] -= 0.05 * gradient[i];
            }
            model = model.withParameters(theta);
            double now = logLikelihood(model, data);
            assertThat(now).as("step " + step).isGreaterThanOrEqualTo(previous);
            previous = now;
            // the transition rows stay stochastic: the belief the network predicts with sums to 1 at every step
            for (Sequence s : data) {
                Recurrence.workspace(model).run(s, (t, h, p, l) -> {
                    double sum = 0;
                    for (double v : h.hidden(0)) {
                        assertThat(v).isBetween(0.0, 1.0);
                        sum += v;
                    }
                    assertThat(sum).isCloseTo(1.0, within(1e-12));
                });
            }
        }
        assertThat(previous).isGreaterThan(logLikelihood(ToRnn.translate(source), data));
    }

    /**
     * Diagonal, spherical and tied covariances of an HMM's Gaussians (and a mixture's diagonal ones) stay so under
     * fine-tuning: the converted network's log-likelihood equals the source's before the steps, and after a few
     * gradient steps (which change the covariances) every component's covariance is still diagonal, spherical
     * (one variance) or the same matrix for every state.
     */
    @Test
    void covarianceStructureSurvivesFineTuning() {
        RandomGenerator r = Randoms.seeded(12);
        int k = 3;
        double[][][] full = new double[k][][];
        for (int s = 0; s < k; s++) {
            full[s] = spd(r, 2);
        }
        java.util.Map<String, HiddenMarkovModel> sources = new java.util.LinkedHashMap<>();
        sources.put("diagonal", hmm(r, k, GaussianEmission.diagonal(normals(r, k, 2, 3), positive(r, k, 2, 2))));
        sources.put("spherical", hmm(r, k, GaussianEmission.spherical(normals(r, k, 2, 3), positive(r, 1, k, 2)[0])));
        sources.put("tied", hmm(r, k, GaussianEmission.tied(normals(r, k, 2, 3), spd(r, 2))));
        double[][][] means = new double[k][][];
        double[][][] variances = new double[k][][];
        for (int s = 0; s < k; s++) {
            means[s] = normals(r, 2, 2, 3);
            variances[s] = positive(r, 2, 2, 2);
        }
        sources.put("mixture diagonal", hmm(r, k, GaussianMixtureEmission.diagonal(rows(r, k, 2, false), means, variances)));
        for (var entry : sources.entrySet()) {
            String name = entry.getKey();
            HiddenMarkovModel source = entry.getValue();
            List<Sequence> data = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                data.add(withMissing(Sampling.sample(hmm(r, k, source.emissionModel()), "s" + i, 30, null, r), r, 0.1));
            }
            RnnModel model = ToRnn.translate(source);
            double expected = 0;
            for (Sequence s : data) {
                expected += source.logLikelihood(s);
            }
            double before = logLikelihood(model, data);
            assertThat(before).as(name).isCloseTo(expected, within(1e-12 * Math.abs(expected)));
            double[][] start = covariances(model, data.get(0));
            var evaluator = model.gradientEvaluator(RnnFitSettings.defaults());
            double[] theta = model.parameters();
            double[] gradient = new double[theta.length];
            for (int step = 0; step < 4; step++) {
                evaluator.evaluate(theta, data, gradient);
                for (int i = 0; i < theta.length; i++) {
                    theta[i] -= 0.02 * gradient[i];
                }
            }
            model = model.withParameters(theta);
            double[][] after = covariances(model, data.get(0));
            double moved = 0;
            for (int g = 0; g < after.length; g++) {
                for (int i = 0; i < 4; i++) {
                    moved = Math.max(moved, Math.abs(after[g][i] - start[g][i]));
                }
                boolean offDiagonalZero = after[g][1] == 0 && after[g][2] == 0;
                switch (name) {
                    case "diagonal", "mixture diagonal" -> assertThat(offDiagonalZero).as(name + " gaussian " + g).isTrue();
                    case "spherical" -> {
                        assertThat(offDiagonalZero).as(name + " gaussian " + g).isTrue();
                        assertThat(after[g][3]).as(name + " gaussian " + g + ": one variance").isEqualTo(after[g][0]);
                    }
                    default -> assertThat(after[g]).as(name + " gaussian " + g + ": the tied matrix").isEqualTo(after[0]);
                }
            }
            assertThat(moved).as(name + ": the steps changed the covariances").isGreaterThan(1e-6);
        }
    }

    /**
     * A structural model's Q and R (diagonal by construction) stay diagonal under fine-tuning: after gradient steps
     * the network is, to 1e-12 on the log-likelihood, the lgssm built from its blocks with Q = diag(exp(2 θ_Q)) and
     * R = diag(exp(2 θ_R)) and the same exact diffuse start; and the steps did change the variances.
     */
    @Test
    void aStructuralModelsDiagonalNoiseSurvivesFineTuning() {
        RandomGenerator r = Randoms.seeded(21);
        StructuralModel source = StructuralModel.localLinearTrend(0.7, 0.3, 0.05);
        LinearGaussianModel other = LinearGaussianModel.of(new double[][] {{0.9, 1}, {0, 0.5}}, new double[][] {{1, 0.4},
            {0.4, 0.5}}, new double[][] {{1, 0.3}}, new double[][] {{0.4}}, new double[] {0, 0}, new double[][] {{1, 0},
            {0, 1}});
        List<Sequence> data = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            data.add(withMissing(Sampling.sample(other, "s" + i, 30, null, r), r, 0.1));
        }
        RnnModel model = ToRnn.translate(source);
        double[] q0 = model.weight("process_log_diagonal_l0");
        var evaluator = model.gradientEvaluator(RnnFitSettings.defaults());
        double[] theta = model.parameters();
        double[] gradient = new double[theta.length];
        // the cell's own blocks move; the drift's weights (which would read o_{t-1}, no lgssm term) stay
        boolean[] own = new boolean[theta.length];
        for (var b : model.architecture().blocks().values()) {
            boolean drift = b.name().startsWith("weight_") || b.name().startsWith("bias_");
            for (int i = 0; i < b.size(); i++) {
                own[b.offset() + i] = !drift;
            }
        }
        for (int step = 0; step < 4; step++) {
            evaluator.evaluate(theta, data, gradient);
            for (int i = 0; i < theta.length; i++) {
                theta[i] -= own[i] ? 0.01 * gradient[i] : 0;
            }
        }
        model = model.withParameters(theta);
        double[] q = model.weight("process_log_diagonal_l0");
        double[] rr = model.weight("observation_log_diagonal_l0");
        assertThat(Math.abs(q[0] - q0[0]) + Math.abs(q[1] - q0[1])).as("the steps changed Q").isGreaterThan(1e-6);
        double[] f = model.weight("transition_l0");
        double[] h = model.weight("observation_l0");
        double[] l0 = model.weight("initial_cholesky_l0");
        double[][] p0 = new double[2][2];
        double[][] lower = {{Math.exp(l0[0]), 0}, {l0[2], Math.exp(l0[3])}};
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                p0[i][j] = lower[i][0] * lower[j][0] + lower[i][1] * lower[j][1];
            }
        }
        LinearGaussianModel expected = diffuse(LinearGaussianModel.of(new double[][] {{f[0], f[1]}, {f[2], f[3]}},
                new double[][] {{Math.exp(2 * q[0]), 0}, {0, Math.exp(2 * q[1])}}, new double[][] {{h[0], h[1]}},
                new double[][] {{Math.exp(2 * rr[0])}}, model.weight("initial_mean_l0"), p0)
                .withObservationOffset(model.weight("observation_offset_l0")));
        double want = 0;
        for (Sequence s : data) {
            want += Recurrence.workspace(expected).run(s, (t, x, p, l) -> { });
        }
        assertThat(logLikelihood(model, data)).isCloseTo(want, within(1e-12 * Math.abs(want)));
    }

    // the 2×2 covariance (row-major) of every Gaussian of the network's predictive mixture at step 0
    private static double[][] covariances(RnnModel model, Sequence s) {
        List<double[][]> out = new ArrayList<>();
        Recurrence.workspace(model).run(s, (t, h, p, l) -> {
            if (t == 0) {
                var mixture = (org.statespace.distribution.Mixture) p;
                double[][] c = new double[mixture.size()][];
                for (int g = 0; g < c.length; g++) {
                    var gaussian = (org.statespace.distribution.Gaussian) mixture.component(g);
                    c[g] = new double[] {gaussian.covariance(0, 0), gaussian.covariance(0, 1), gaussian.covariance(1, 0),
                        gaussian.covariance(1, 1)};
                }
                out.add(c);
            }
        });
        return out.get(0);
    }

    @Test
    void aModelWithoutATranslationIsRefusedByType() {
        RnnModel rnn = ToRnn.translate(MarkovChain.of(new double[] {0.5, 0.5}, new double[][] {{0.9, 0.1}, {0.2, 0.8}}));
        assertThatThrownBy(() -> ToRnn.translate(rnn)).isInstanceOf(SpecException.class)
                .hasMessageContaining("\"rnn\" is already an rnn");
        StateSpaceModel<?, ?> hsmm = ModelSpecs.parse("{\"type\": \"hsmm\", \"initial\": [0.5, 0.5],"
                + " \"transition\": [[0, 1], [1, 0]], \"maxDuration\": 5, \"durations\": [{\"type\": \"poisson\", \"rate\": 2},"
                + " {\"type\": \"poisson\", \"rate\": 3}], \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"diagonal\","
                + " \"means\": [[0], [4]], \"covariances\": [[1], [1]]}}", "hsmm");
        assertThatThrownBy(() -> ToRnn.translate(hsmm)).isInstanceOf(SpecException.class)
                .hasMessageContaining("\"hsmm\" has no exact translation to an rnn; the types that have one are markov-chain, hmm");
    }

    /**
     * Step by step, a converted model with an exact diffuse start and a feedthrough predicts as its source: the
     * same log-density term (the exact diffuse terms during the diffuse phase), the same predictive mean and
     * variance (the source's κ-inflated stand-in during the diffuse phase), and the same steps flagged as diffuse
     * ({@link org.statespace.DiffusePhase}, which the engine leaves out of every score).
     */
    @Test
    void aDiffuseStartAndAFeedthroughAgreeStepByStepWithTheSameDiffuseSteps() {
        RandomGenerator r = Randoms.seeded(31);
        LinearGaussianModel source = diffuse(LinearGaussianModel.of(normals(r, 3, 3, 0.4), spd(r, 3), normals(r, 2, 3, 1),
                spd(r, 2), new double[3], spd(r, 3)).withControlMatrix(normals(r, 3, 2, 1))
                .withFeedthroughMatrix(normals(r, 2, 2, 1)).withObservationOffset(new double[] {0.5, -1}), 0, 2);
        RnnModel rnn = ToRnn.translate(source);
        int length = 25;
        Sequence inputs = Sequence.of("u", 1, new double[length]).withInputs(2, normals(r, 1, 2 * length, 1)[0]);
        Sequence s = Sampling.sample(source, "s", length, inputs, r);
        double[] o = s.observations();
        o[1] = Double.NaN; // step 0 half observed: the diffuse phase lasts beyond it
        o[4] = Double.NaN;
        o[5] = Double.NaN;
        s = Sequence.of("s", 2, o).withInputs(2, s.inputs());
        List<double[]> expected = steps(source, s);
        List<double[]> actual = steps(rnn, s);
        int diffuse = 0;
        for (int t = 0; t < length; t++) {
            double[] e = expected.get(t);
            double[] a = actual.get(t);
            diffuse += (int) e[0];
            assertThat(a[0]).as("diffuse flag, step " + t).isEqualTo(e[0]);
            for (int j = 1; j < e.length; j++) {
                assertThat(a[j]).as("step " + t + " value " + j).isCloseTo(e[j], within(1e-12 * Math.max(1, Math.abs(e[j]))));
            }
        }
        assertThat(diffuse).as("steps in the diffuse phase").isEqualTo(2);
    }

    // per step: diffuse flag (1/0), log-density, predictive means and variances
    private static List<double[]> steps(StateSpaceModel<?, ?> m, Sequence s) {
        List<double[]> out = new ArrayList<>();
        Recurrence.workspace(m).run(s, (t, h, p, l) -> {
            int d = p.dimension();
            double[] v = new double[2 + 2 * d];
            v[0] = h instanceof org.statespace.DiffusePhase f && f.inDiffusePhase() ? 1 : 0;
            v[1] = l;
            for (int j = 0; j < d; j++) {
                v[2 + j] = p.mean(j);
                v[2 + d + j] = p.variance(j);
            }
            out.add(v);
        });
        return out;
    }

    /**
     * The local-level model as written by default (exact diffuse start) converted to an rnn gives on the Nile
     * series, at Durbin &amp; Koopman's maximum-likelihood variances, statsmodels' published log-likelihood
     * -633.4646 (which counts -½ log 2π for the diffuse first step), and its source's to 1e-12.
     */
    @Test
    void theConvertedLocalLevelModelHasThePublishedNileLogLikelihood() throws java.io.IOException {
        double[] volumes;
        try (var in = ToRnnTest.class.getResourceAsStream("/org/statespace/kalman/nile.csv")) {
            volumes = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().skip(1)
                    .filter(line -> !line.isBlank()).mapToDouble(line -> Double.parseDouble(line.split(",")[1])).toArray();
        }
        assertThat(volumes).hasSize(100);
        Sequence nile = Sequence.of("nile", 1, volumes);
        StructuralModel source = (StructuralModel) ModelSpecs.parse("{\"type\": \"local-level\", "
                + "\"observationVariance\": 15099, \"levelVariance\": 1469.1}", "nile");
        RnnModel rnn = (RnnModel) ModelSpecs.parse(ModelSpecs.write(ToRnn.translate(source)), "converted");
        double converted = Recurrence.workspace(rnn).run(nile, (t, h, p, l) -> { });
        assertThat(converted).isCloseTo(-633.4646, within(1e-4));
        double own = Recurrence.workspace(source).run(nile, (t, h, p, l) -> { });
        assertThat(converted).isCloseTo(own, within(1e-12 * Math.abs(own)));
        int[] diffuse = new int[1];
        Recurrence.workspace(rnn).run(nile, (t, h, p, l) -> diffuse[0] += h.inDiffusePhase() ? 1 : 0);
        assertThat(diffuse[0]).as("the first step alone is diffuse").isEqualTo(1);
    }

    @Test
    void aFewGradientStepsFromATranslatedKalmanFilterDoNotLowerTheTrainingLogLikelihood() {
        RandomGenerator r = Randoms.seeded(8);
        LinearGaussianModel source = LinearGaussianModel.of(new double[][] {{0.9, 0.1}, {0, 0.7}}, spd(r, 2),
                new double[][] {{1, 0.5}}, new double[][] {{0.5}}, new double[] {0, 0}, spd(r, 2));
        LinearGaussianModel other = LinearGaussianModel.of(new double[][] {{0.5, 0}, {0.2, 0.3}}, spd(r, 2),
                new double[][] {{1, -0.5}}, new double[][] {{0.8}}, new double[] {1, 0}, spd(r, 2));
        List<Sequence> data = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            data.add(Sampling.sample(other, "s" + i, 40, null, r));
        }
        RnnModel model = ToRnn.translate(source);
        var evaluator = model.gradientEvaluator(RnnFitSettings.defaults());
        double[] theta = model.parameters();
        double[] gradient = new double[theta.length];
        double previous = logLikelihood(model, data);
        double start = previous;
        for (int step = 0; step < 5; step++) {
            evaluator.evaluate(theta, data, gradient);
            for (int i = 0; i < theta.length; i++) {
                theta[i] -= 0.02 * gradient[i];
            }
            model = model.withParameters(theta);
            double now = logLikelihood(model, data);
            assertThat(now).as("step " + step).isGreaterThanOrEqualTo(previous);
            previous = now;
        }
        assertThat(previous).isGreaterThan(start);
    }

    private static double logLikelihood(RnnModel m, List<Sequence> data) {
        double total = 0;
        for (Sequence s : data) {
            total += Recurrence.workspace(m).run(s, (t, h, p, l) -> { });
        }
        return total;
    }

    // ----------------------------------------------------------------------------------------------

    // m with an exact diffuse start on the given states (all when none), their rows and columns of P0 zeroed
    private static LinearGaussianModel diffuse(LinearGaussianModel m, int... states) {
        int n = m.stateDimension();
        int[] which = states.length > 0 ? states : java.util.stream.IntStream.range(0, n).toArray();
        var spec = (com.fasterxml.jackson.databind.node.ObjectNode) org.statespace.spec.Json.parse(ModelSpecs.write(m), "m");
        var p0 = (com.fasterxml.jackson.databind.node.ArrayNode) spec.get("initialCovariance");
        for (int i : which) {
            for (int j = 0; j < n; j++) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) p0.get(i)).set(j, 0.0);
                ((com.fasterxml.jackson.databind.node.ArrayNode) p0.get(j)).set(i, 0.0);
            }
        }
        return ((LinearGaussianModel) ModelSpecs.parse(spec.toString(), "diffuse")).withDiffuseInitialization(which);
    }

    private static HiddenMarkovModel hmm(RandomGenerator r, int k, EmissionModel e) {
        double[][] a = rows(r, k, k, true);
        return HiddenMarkovModel.of(rows(r, 1, k, false)[0], a, e);
    }

    // stochastic rows; with zeros, some entries (not the diagonal) exactly 0
    private static double[][] rows(RandomGenerator r, int n, int m, boolean zeros) {
        double[][] p = new double[n][m];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < m; j++) {
                p[i][j] = zeros && j != i % m && r.nextDouble() < 0.25 ? 0 : 0.1 + r.nextDouble();
                sum += p[i][j];
            }
            for (int j = 0; j < m; j++) {
                p[i][j] /= sum;
            }
        }
        return p;
    }

    private static double[][] positive(RandomGenerator r, int n, int m, double scale) {
        double[][] p = new double[n][m];
        for (double[] row : p) {
            for (int j = 0; j < m; j++) {
                row[j] = scale * (0.2 + r.nextDouble());
            }
        }
        return p;
    }

    private static double[][] normals(RandomGenerator r, int n, int m, double scale) {
        double[][] p = new double[n][m];
        for (double[] row : p) {
            for (int j = 0; j < m; j++) {
                row[j] = scale * r.nextGaussian();
            }
        }
        return p;
    }

    private static double[][] spd(RandomGenerator r, int d) {
        double[][] b = normals(r, d, d, 1);
        double[][] s = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    s[i][j] += b[i][k] * b[j][k];
                }
                if (i == j) {
                    s[i][j] += 0.5;
                }
            }
        }
        return s;
    }

    // every step missing with probability p/2, and each component of a vector with probability p/2
    private static Sequence withMissing(Sequence s, RandomGenerator r, double p) {
        double[] o = s.observations();
        int d = s.dimension();
        for (int t = 0; t < s.length(); t++) {
            boolean step = r.nextDouble() < p / 2;
            for (int j = 0; j < d; j++) {
                if (step || (d > 1 && r.nextDouble() < p / 2)) {
                    o[t * d + j] = Double.NaN;
                }
            }
        }
        Sequence out = Sequence.of(s.id(), d, o);
        return s.inputDimension() > 0 ? out.withInputs(s.inputDimension(), s.inputs()) : out;
    }
}
