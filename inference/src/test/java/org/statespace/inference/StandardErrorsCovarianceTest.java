package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.List;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.hmm.CovarianceType;
import org.statespace.hmm.GaussianEmission;
import org.statespace.hmm.GaussianMixtureEmission;
import org.statespace.hmm.HiddenMarkovModel;
import org.statespace.hmm.HmmFitSettings;
import org.statespace.hmm.PoissonEmission;
import org.statespace.kalman.KalmanFitSettings;
import org.statespace.kalman.LinearGaussianModel;
import org.statespace.kalman.StructuralModel;
import org.statespace.numeric.Randoms;

/**
 * Standard errors of the general linear-Gaussian model and of HMMs with full, tied and mixture Gaussian emissions
 * (Cholesky parametrisation of covariances) against independent numbers: statsmodels' local-level standard errors
 * for an lgssm written as the local-level model, the textbook closed forms for an i.i.d. multivariate normal,
 * the diagonal model where the full one's estimate is diagonal, and the analytic Hessian of small models.
 */
class StandardErrorsCovarianceTest {

    private static final FilterEngine ENGINE = FilterEngine.singleThreaded();

    @Test
    void anLgssmWrittenAsTheLocalLevelModelHasStatsmodelsStandardErrors() throws IOException {
        Dataset nile = NileMaximumLikelihoodTest.nile();
        double[][] reference = StandardErrorsTest.statsmodels();   // rows: observationVariance, levelVariance
        double r = reference[0][0];
        double q = reference[1][0];
        LinearGaussianModel lgssm = LinearGaussianModel.of(new double[][] {{1}}, new double[][] {{q}},
                new double[][] {{1}}, new double[][] {{r}}, new double[] {0}, new double[][] {{0}})
                .withDiffuseInitialization();
        FitSettings fixedMatrices = KalmanFitSettings.defaults().withFixed("transitionMatrix", "observationMatrix");
        StandardErrors se = StandardErrors.of(lgssm, nile, ENGINE, fixedMatrices);
        assertThat(se.available()).as(se.problem()).isTrue();
        assertThat(se.names()).containsExactly("transitionMatrix[0][0]", "processNoise[0][0]", "observationMatrix[0][0]",
                "observationNoise[0][0]");
        assertThat(se.fixed()).containsExactly(true, false, true, false);
        assertThat(se.standardErrors()[1]).isCloseTo(reference[1][1], within(2e-3 * reference[1][1]));
        assertThat(se.standardErrors()[3]).isCloseTo(reference[0][1], within(2e-3 * reference[0][1]));
        // and the structural model's own parametrisation at the same point agrees closely
        StandardErrors ll = StandardErrors.of(StructuralModel.localLevel(r, q), nile, ENGINE);
        assertThat(se.standardErrors()[1]).isCloseTo(ll.standardErrors()[1], within(1e-3 * ll.standardErrors()[1]));
        assertThat(se.standardErrors()[3]).isCloseTo(ll.standardErrors()[0], within(1e-3 * ll.standardErrors()[0]));

        // with H and Q both free, y = H x with Var(Δx) = Q depends on H²Q alone: a flat direction, so no SEs
        StandardErrors free = StandardErrors.of(lgssm, nile, ENGINE);
        assertThat(free.available()).isFalse();
        assertThat(free.problem()).contains("not positive definite");
    }

    /** n draws of a correlated 2-D normal. */
    private static double[][] correlated(int n, long seed) {
        RandomGenerator random = Randoms.seeded(seed);
        double[][] y = new double[n][2];
        for (int t = 0; t < n; t++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            y[t][0] = 1 + 2 * a;
            y[t][1] = -3 + 0.8 * a + 1.5 * b;
        }
        return y;
    }

    private static double[] mean(double[][] y) {
        double[] m = new double[2];
        for (double[] row : y) {
            m[0] += row[0] / y.length;
            m[1] += row[1] / y.length;
        }
        return m;
    }

    /** The maximum-likelihood covariance (divisor n). */
    private static double[][] covariance(double[][] y) {
        double[] m = mean(y);
        double[][] s = new double[2][2];
        for (double[] row : y) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    s[i][j] += (row[i] - m[i]) * (row[j] - m[j]) / y.length;
                }
            }
        }
        return s;
    }

    @Test
    void oneStateFullCovarianceHmmHasTheTextbookStandardErrorsOfAMultivariateNormal() {
        // i.i.d. N(μ, Σ) at its MLE (sample mean, sample covariance with divisor n): SE(μ_i) = √(S_ii/n),
        // SE(S_ij) = √((S_ij² + S_ii S_jj)/n) (the inverse Fisher information, e.g. Anderson 2003, sec. 3.4)
        int n = 400;
        double[][] y = correlated(n, 4);
        double[] mu = mean(y);
        double[][] s = covariance(y);
        Dataset data = Dataset.of(List.of(Sequence.ofVectors("y", y)));
        for (CovarianceType type : List.of(CovarianceType.FULL, CovarianceType.TIED)) {
            GaussianEmission e = type == CovarianceType.FULL ? GaussianEmission.full(new double[][] {mu}, new double[][][] {s})
                    : GaussianEmission.tied(new double[][] {mu}, s);
            HiddenMarkovModel m = HiddenMarkovModel.of(new double[] {1}, new double[][] {{1}}, e);
            StandardErrors se = StandardErrors.of(m, data, ENGINE);
            assertThat(se.available()).as(se.problem()).isTrue();
            String prefix = type == CovarianceType.FULL ? "covariance[0]" : "covariance";
            assertThat(se.names()).containsExactly("transition[0->0]", "mean[0][0]", "mean[0][1]", prefix + "[0][0]",
                    prefix + "[1][0]", prefix + "[1][1]");
            double[] expected = {Math.sqrt(s[0][0] / n), Math.sqrt(s[1][1] / n),
                    Math.sqrt(2 * s[0][0] * s[0][0] / n), Math.sqrt((s[1][0] * s[1][0] + s[0][0] * s[1][1]) / n),
                    Math.sqrt(2 * s[1][1] * s[1][1] / n)};
            for (int i = 0; i < expected.length; i++) {
                assertThat(se.standardErrors()[i + 1]).as(type + " " + se.names().get(i + 1))
                        .isCloseTo(expected[i], within(1e-4 * expected[i]));
            }
            assertThat(se.estimates()[4]).isEqualTo(s[1][0]);
        }
    }

    @Test
    void aFullCovarianceWhoseEstimateIsDiagonalHasTheDiagonalModelsStandardErrors() {
        // make the sample cross-covariance exactly zero: the full model's MLE is then the diagonal model's, and
        // the information of the off-diagonal entry is orthogonal to the rest there
        int n = 300;
        double[][] y = correlated(n, 9);
        double[] m0 = mean(y);
        double[][] s0 = covariance(y);
        double slope = s0[1][0] / s0[0][0];
        for (double[] row : y) {
            row[1] -= slope * (row[0] - m0[0]);
        }
        double[] mu = mean(y);
        double[][] s = covariance(y);
        assertThat(Math.abs(s[1][0])).isLessThan(1e-12);
        s[1][0] = 0;
        s[0][1] = 0;
        Dataset data = Dataset.of(List.of(Sequence.ofVectors("y", y)));
        HiddenMarkovModel full = HiddenMarkovModel.of(new double[] {1}, new double[][] {{1}},
                GaussianEmission.full(new double[][] {mu}, new double[][][] {s}));
        HiddenMarkovModel diagonal = HiddenMarkovModel.of(new double[] {1}, new double[][] {{1}},
                GaussianEmission.diagonal(new double[][] {mu}, new double[][] {{s[0][0], s[1][1]}}));
        StandardErrors f = StandardErrors.of(full, data, ENGINE);
        StandardErrors d = StandardErrors.of(diagonal, data, ENGINE);
        assertThat(d.names()).containsExactly("transition[0->0]", "mean[0][0]", "mean[0][1]", "variance[0][0]",
                "variance[0][1]");
        // means, then the two variances (full: entries [0][0] and [1][1] of the lower triangle)
        int[][] pairs = {{1, 1}, {2, 2}, {3, 3}, {5, 4}};
        for (int[] p : pairs) {
            assertThat(f.standardErrors()[p[0]]).as(d.names().get(p[1]))
                    .isCloseTo(d.standardErrors()[p[1]], within(1e-4 * d.standardErrors()[p[1]]));
        }
    }

    @Test
    void aMixtureOfOneComponentPerStateHasTheGaussianHmmsStandardErrors() {
        // a 2-state Gaussian HMM fitted by EM, and the same model written with one-component mixture emissions:
        // one likelihood through two emission codes, so the same information and standard errors
        double[] y = LibraryApiTest.regimes(12, 500, 0.1, new double[] {0, 4}, new double[] {1, 1.5});
        Dataset data = Dataset.of(List.of(Sequence.ofScalars("y", y)));
        HiddenMarkovModel start = HiddenMarkovModel.of(new double[] {0.5, 0.5}, new double[][] {{0.9, 0.1}, {0.1, 0.9}},
                GaussianEmission.univariate(new double[] {-1, 5}, new double[] {1, 1}));
        HiddenMarkovModel fitted = Trainer.fit(start, data, null, TrainOptions.defaults().withThreads(1)
                .withMaxIterations(2000).withTolerance(1e-14), HmmFitSettings.defaults(), TrainingListener.NONE)
                .model() instanceof HiddenMarkovModel h ? h : null;
        GaussianEmission g = (GaussianEmission) fitted.emissionModel();
        double[][] weights = {{1}, {1}};
        double[][][] means = {{{g.mean(0)[0]}}, {{g.mean(1)[0]}}};
        double[][][] variances = {{{g.covariance(0)[0][0]}}, {{g.covariance(1)[0][0]}}};
        HiddenMarkovModel mixture = HiddenMarkovModel.of(fitted.initial(), fitted.transitionMatrix(),
                GaussianMixtureEmission.diagonal(weights, means, variances));
        StandardErrors a = StandardErrors.of(fitted, data, ENGINE);
        StandardErrors b = StandardErrors.of(mixture, data, ENGINE);
        assertThat(a.available()).as(a.problem()).isTrue();
        assertThat(b.available()).as(b.problem()).isTrue();
        assertThat(b.names()).containsExactly("transition[0->0]", "transition[0->1]", "transition[1->0]",
                "transition[1->1]", "weight[0][0]", "weight[1][0]", "mean[0][0]", "mean[1][0]", "variance[0][0]",
                "variance[1][0]");
        assertThat(b.fixed()[4]).isTrue();     // one component: its weight is 1 and has no freedom
        // transitions, means, variances: entries 0-3, 4-5, 6-7 of the Gaussian table; 0-3, 6-7, 8-9 of the mixture's
        int[][] pairs = {{0, 0}, {1, 1}, {2, 2}, {3, 3}, {4, 6}, {5, 7}, {6, 8}, {7, 9}};
        for (int[] p : pairs) {
            assertThat(b.standardErrors()[p[1]]).as(b.names().get(p[1]))
                    .isCloseTo(a.standardErrors()[p[0]], within(1e-4 * a.standardErrors()[p[0]]));
        }
        // the full-covariance mixture in one dimension reports the same variances
        double[][][][] covariances = {{{{g.covariance(0)[0][0]}}}, {{{g.covariance(1)[0][0]}}}};
        StandardErrors c = StandardErrors.of(HiddenMarkovModel.of(fitted.initial(), fitted.transitionMatrix(),
                GaussianMixtureEmission.full(weights, means, covariances)), data, ENGINE);
        assertThat(c.standardErrors()[8]).isCloseTo(a.standardErrors()[6], within(1e-4 * a.standardErrors()[6]));
    }

    @Test
    void theNumericalHessianMatchesTheAnalyticOneOfSmallModels() {
        // a one-state Poisson HMM: ℓ(θ) = Σ y_t θ − n e^θ − Σ log y_t!, θ = log λ, so ℓ'' = −n e^θ at any θ
        double[] counts = {3, 0, 2, 5, 1, 4, 2, 2, 6, 1};
        Dataset c = Dataset.of(List.of(Sequence.ofScalars("c", counts)));
        HiddenMarkovModel poisson = HiddenMarkovModel.of(new double[] {1}, new double[][] {{1}},
                PoissonEmission.of(new double[][] {{1.7}}));
        double[] theta = poisson.unconstrainedParameters();
        double[][] h = StandardErrors.hessian(theta, new double[] {1e-4},
                t -> ENGINE.stream(poisson.withUnconstrainedParameters(t), c, null).logLikelihood());
        assertThat(h[0][0]).isCloseTo(-counts.length * 1.7, within(1e-5 * counts.length * 1.7));

        // a one-state Gaussian HMM, θ = (μ, log σ²), away from the optimum so the cross term is not zero:
        // ℓ = −n/2 log 2π − n θ₂/2 − Σ(y − μ)²/(2e^θ₂); ∂²ℓ/∂μ² = −n/e^θ₂, ∂²ℓ/∂μ∂θ₂ = −Σ(y − μ)/e^θ₂,
        // ∂²ℓ/∂θ₂² = −Σ(y − μ)²/(2e^θ₂)
        double[] y = {0.3, -1.2, 2.5, 0.8, 1.1, -0.4, 3.0};
        double mu = 0.2;
        double v = 2.0;
        Dataset g = Dataset.of(List.of(Sequence.ofScalars("g", y)));
        HiddenMarkovModel gaussian = HiddenMarkovModel.of(new double[] {1}, new double[][] {{1}},
                GaussianEmission.univariate(new double[] {mu}, new double[] {v}));
        double[] t0 = gaussian.unconstrainedParameters();
        assertThat(t0).containsExactly(mu, Math.log(v));
        double[][] hg = StandardErrors.hessian(t0, new double[] {1e-4, 1e-4},
                t -> ENGINE.stream(gaussian.withUnconstrainedParameters(t), g, null).logLikelihood());
        double s1 = 0;
        double s2 = 0;
        for (double x : y) {
            s1 += x - mu;
            s2 += (x - mu) * (x - mu);
        }
        assertThat(hg[0][0]).isCloseTo(-y.length / v, within(1e-5 * y.length / v));
        assertThat(hg[0][1]).isCloseTo(-s1 / v, within(1e-5 * Math.abs(s1 / v)));
        assertThat(hg[1][1]).isCloseTo(-s2 / (2 * v), within(1e-5 * s2 / (2 * v)));
    }
}
