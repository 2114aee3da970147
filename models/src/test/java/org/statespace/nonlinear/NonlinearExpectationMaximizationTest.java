package org.statespace.nonlinear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.statespace.capability.ExpectationMaximization;
import org.statespace.capability.FitSettings;
import org.statespace.capability.SufficientStatistics;
import org.statespace.data.Sequence;
import org.statespace.kalman.LinearGaussianModel;
import org.statespace.numeric.Randoms;
import org.statespace.spec.ModelSpecs;

/**
 * The Gaussian-approximation EM of the extended and unscented filters ({@link GaussianEm}). On a linear model
 * written as a non-linear system both approximations are exact, so one iteration's Q, R, m0 and P0 must be
 * those of Shumway-Stoffer (the Kalman family's EM, an independent implementation over the Kalman smoother) with
 * F and H held fixed, and the likelihood must never fall. On the growth model the E-step is approximate.
 */
class NonlinearExpectationMaximizationTest {

    private static List<Sequence> linearData() {
        // two series with a wholly missing step and partly missing steps (LinearModels.series)
        return List.of(LinearModels.series(3, 60), LinearModels.series(4, 45));
    }

    // a start away from the truth: Q, R, m0, P0 scaled and shifted
    private static NonlinearModel linearStart(NonlinearFilter filter) {
        NonlinearSystem s = LinearModels.system();
        NonlinearSystem start = NonlinearSystem.of(0, s.transition(), s.observation(), scale(LinearModels.Q, 2),
                scale(LinearModels.R, 0.5), new double[] {0, 0, 0}, scale(LinearModels.P0, 3));
        return NonlinearModel.of(start, filter, NonlinearOptions.defaults());
    }

    private static double[][] scale(double[][] a, double c) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] *= c;
            }
        }
        return out;
    }

    private static LinearGaussianModel shumwayStofferStart() {
        NonlinearModel start = linearStart(NonlinearFilter.EXTENDED);
        NonlinearSystem s = start.system();
        String spec = "{\"type\": \"lgssm\", \"transitionMatrix\": " + LinearModels.json(LinearModels.F)
                + ", \"processNoise\": " + LinearModels.json(s.processNoise())
                + ", \"observationMatrix\": " + LinearModels.json(LinearModels.H)
                + ", \"observationNoise\": " + LinearModels.json(s.observationNoise())
                + ", \"initialMean\": " + LinearModels.json(s.initialMean())
                + ", \"initialCovariance\": " + LinearModels.json(s.initialCovariance())
                + ", \"fit\": {\"fixed\": [\"transitionMatrix\", \"observationMatrix\"]}}";
        return (LinearGaussianModel) ModelSpecs.parse(spec, "lgssm");
    }

    private static ExpectationMaximization em(Object model) {
        assertThat(model).isInstanceOf(ExpectationMaximization.class);
        return (ExpectationMaximization) model;
    }

    private static Object iterate(Object model, List<Sequence> data, double[] logLikelihood) {
        ExpectationMaximization em = em(model);
        SufficientStatistics stats = em.newStatistics();
        for (Sequence s : data) {
            em.expectation(s, stats);
        }
        logLikelihood[0] = stats.logLikelihood();
        return em.maximization(stats, FitSettings.NONE);
    }

    private static void matrixClose(double[][] ours, double[][] theirs, double tolerance, String what) {
        for (int i = 0; i < ours.length; i++) {
            for (int j = 0; j < ours[i].length; j++) {
                assertThat(ours[i][j]).as("%s[%s][%s]", what, i, j).isCloseTo(theirs[i][j], within(tolerance));
            }
        }
    }

    private void oneIterationIsShumwayStoffer(NonlinearFilter filter) {
        double[] ll = new double[1];
        double[] llKalman = new double[1];
        NonlinearModel ours = (NonlinearModel) iterate(linearStart(filter), linearData(), ll);
        LinearGaussianModel theirs = (LinearGaussianModel) iterate(shumwayStofferStart(), linearData(), llKalman);
        assertThat(ll[0]).isCloseTo(llKalman[0], within(1e-9));
        NonlinearSystem s = ours.system();
        matrixClose(s.processNoise(), theirs.processNoise(), 1e-9, "Q");
        matrixClose(s.observationNoise(), theirs.observationNoise(), 1e-9, "R");
        matrixClose(new double[][] {s.initialMean()}, new double[][] {theirs.initialMean()}, 1e-9, "m0");
        matrixClose(s.initialCovariance(), theirs.initialCovariance(), 1e-9, "P0");
        // and EM moved them: the start's Q was twice the truth's
        assertThat(Math.abs(s.processNoise()[0][0] - 2 * LinearModels.Q[0][0])).isGreaterThan(1e-3);
    }

    @Test
    void oneExtendedEmIterationOnALinearModelIsShumwayStoffer() {
        oneIterationIsShumwayStoffer(NonlinearFilter.EXTENDED);
    }

    @Test
    void oneUnscentedEmIterationOnALinearModelIsShumwayStoffer() {
        oneIterationIsShumwayStoffer(NonlinearFilter.UNSCENTED);
    }

    @Test
    void emOnALinearModelNeverLowersTheLikelihood() {
        for (NonlinearFilter filter : new NonlinearFilter[] {NonlinearFilter.EXTENDED, NonlinearFilter.UNSCENTED}) {
            Object model = linearStart(filter);
            double previous = Double.NEGATIVE_INFINITY;
            double[] ll = new double[1];
            for (int i = 0; i < 15; i++) {
                model = iterate(model, linearData(), ll);
                assertThat(ll[0]).as("%s iteration %s", filter, i).isGreaterThanOrEqualTo(previous - 1e-9);
                previous = ll[0];
            }
        }
    }

    @Test
    void theParticleFilterAndNamedParametersStayWithTheOptimiser() {
        assertThat(NonlinearModel.builtin(BuiltinModel.GROWTH, NonlinearFilter.PARTICLE))
                .isNotInstanceOf(ExpectationMaximization.class);
        assertThat(NonlinearModel.builtin(BuiltinModel.GROWTH, NonlinearFilter.EXTENDED))
                .isInstanceOf(ExpectationMaximization.class);
        Object sv = ModelSpecs.parse("{\"type\": \"nonlinear\", \"model\": \"stochastic-volatility\", \"filter\": \"ekf\","
                + " \"free\": [\"processNoise\", \"phi\"]}", "sv");
        assertThat(sv).isNotInstanceOf(ExpectationMaximization.class);
    }

    private static List<Sequence> sample(NonlinearModel truth, int sequences, int length, long seed) {
        List<Sequence> data = new ArrayList<>();
        java.util.random.RandomGenerator random = Randoms.stream(seed, 0);
        for (int k = 0; k < sequences; k++) {
            data.add(truth.system().sample("s" + k, length, null, random));
        }
        return data;
    }

    /**
     * Where the Gaussian approximation of p(x | y) is good (Lorenz-63 observed in all three components), approximate
     * EM from Q × 3 and R × 4 raised the likelihood at every one of 12 iterations, for both filters, in our runs
     * at two seeds, and R came back near the truth that made the data. That is what is checked: a fall of more
     * than 1e-9 relative fails, and R within 25% of the truth (3 × 200 steps, R = I; after 12 iterations EM has
     * not converged: Q is still above its truth and R below, 0.83 at worst). Not guaranteed in general: on the
     * pendulum (3 × 200 steps, seed 5) the unscented EM's likelihood fell at its fourth iteration (by 0.34 of
     * about 219), while the extended one rose throughout.
     */
    @Test
    void approximateEmRaisesTheLikelihoodWhereTheGaussianApproximationHolds() {
        for (String name : new String[] {"lorenz63"}) {
            for (NonlinearFilter filter : new NonlinearFilter[] {NonlinearFilter.EXTENDED, NonlinearFilter.UNSCENTED}) {
                NonlinearModel truth = (NonlinearModel) ModelSpecs.parse("{\"type\": \"nonlinear\", \"model\": \""
                        + name + "\", \"filter\": \"" + filter.jsonName() + "\"}", name);
                List<Sequence> data = sample(truth, 3, 200, 5);
                NonlinearSystem t = truth.system();
                Object model = truth.withMoments(scale(t.processNoise(), 3), scale(t.observationNoise(), 4),
                        t.initialMean(), t.initialCovariance());
                double previous = Double.NEGATIVE_INFINITY;
                double[] ll = new double[1];
                for (int i = 0; i < 12; i++) {
                    model = iterate(model, data, ll);
                    assertThat(ll[0]).as("%s %s iteration %s", name, filter, i)
                            .isGreaterThanOrEqualTo(previous - 1e-9 * Math.abs(previous));
                    previous = ll[0];
                }
                if (name.equals("lorenz63")) {
                    double[][] r = ((NonlinearModel) model).system().observationNoise();
                    for (int i = 0; i < 3; i++) {
                        assertThat(r[i][i]).as("%s R[%s][%s]", filter, i, i).isCloseTo(1.0, within(0.25));
                    }
                }
            }
        }
    }

    /**
     * The growth model is where the Gaussian approximation fails: p(x_t | y) is bimodal (y = x²/20 does not see the
     * sign of x), the smoothed mean sits between the modes and the expected residuals are large. Observed on 3 × 100
     * steps simulated at Q = 10, R = 1: the extended filter's likelihood at the truth is about -3000; the first
     * M-step inflates Q and R (to about 200 and 4400) and raises it (to about -1590); after that every iteration
     * lowers it while Q and R grow without bound (the unscented filter behaves alike from its first M-step on).
     * Checked: the first iteration raises the extended filter's likelihood. Approximate EM is not a fitting method
     * for this model; use the particle filter with the optimiser.
     */
    @Test
    void onTheGrowthModelOnlyTheFirstExtendedIterationIsAnImprovement() {
        NonlinearModel truth = NonlinearModel.builtin(BuiltinModel.GROWTH, NonlinearFilter.EXTENDED);
        List<Sequence> data = sample(truth, 3, 100, 5);
        double[] first = new double[1];
        double[] second = new double[1];
        Object model = iterate(truth, data, first);
        iterate(model, data, second);
        assertThat(second[0]).isGreaterThan(first[0]);
    }
}
