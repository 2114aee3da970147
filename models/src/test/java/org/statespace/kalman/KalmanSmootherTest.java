package org.statespace.kalman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

import org.statespace.DataException;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * Filtered, predicted and smoothed moments, lag-one cross-covariances included, equal the posterior of
 * the dense joint Gaussian ({@link BruteForce}), for known, partly diffuse and fully diffuse starts, with
 * inputs, offsets, correlated noises and missing and partly missing observations.
 */
class KalmanSmootherTest {
    private static final double TOLERANCE = 1e-8;

    static Sequence withGaps(LinearGaussianModel model, int length, long seed, int fullyObservedSteps) {
        Sequence s = model.sampleWithStates("s", length, inputs(model, length, seed), Randoms.seeded(seed));
        double[] values = s.observations();
        int m = model.observationDimension();
        var random = Randoms.seeded(seed + 1);
        for (int t = fullyObservedSteps; t < length; t++) {
            for (int j = 0; j < m; j++) {
                if (random.nextInt(4) == 0) {
                    values[t * m + j] = Double.NaN;
                }
            }
        }
        Sequence out = Sequence.of("s", m, values);
        return model.inputDimension() > 0 ? out.withInputs(model.inputDimension(), s.inputs()) : out;
    }

    static Sequence inputs(LinearGaussianModel model, int length, long seed) {
        int p = model.inputDimension();
        if (p == 0) {
            return null;
        }
        double[] u = new double[length * p];
        var r = Randoms.seeded(seed + 7);
        for (int i = 0; i < u.length; i++) {
            u[i] = r.nextGaussian();
        }
        double[] y = new double[length * model.observationDimension()];
        Arrays.fill(y, Double.NaN);
        return Sequence.of("u", model.observationDimension(), y).withInputs(p, u);
    }

    static List<LinearGaussianModel> models() {
        return List.of(KalmanContractTest.SCALAR, KalmanContractTest.FULL, KalmanContractTest.DIFFUSE,
                KalmanContractTest.PARTLY_DIFFUSE, StructuralModel.localLinearTrend(1, 0.2, 0.05).asLinearGaussian());
    }

    @Test
    void smoothedMomentsEqualTheJointPosterior() {
        long seed = 1;
        for (LinearGaussianModel model : models()) {
            Sequence s = withGaps(model, 9, seed++, model.stateDimension());
            KalmanSmootherResult result = model.smoothStates(s);
            DMatrixRMaj[] post = new BruteForce(model, s).statePosterior();
            int n = model.stateDimension();
            for (int t = 0; t < s.length(); t++) {
                for (int i = 0; i < n; i++) {
                    assertThat(result.mean(t, i)).as("%s mean[%d][%d]", model, t, i)
                            .isCloseTo(post[0].get(t * n + i, 0), within(TOLERANCE));
                    for (int j = 0; j < n; j++) {
                        assertThat(result.covariance(t, i, j)).as("%s cov[%d][%d][%d]", model, t, i, j)
                                .isCloseTo(post[1].get(t * n + i, t * n + j), within(TOLERANCE));
                        if (t > 0) {
                            assertThat(result.lagOneCovariance(t, i, j)).as("%s lag-one[%d][%d][%d]", model, t, i, j)
                                    .isCloseTo(post[1].get(t * n + i, (t - 1) * n + j), within(TOLERANCE));
                        }
                    }
                }
            }
            assertThat(result.logLikelihood()).isCloseTo(new BruteForce(model, s).logLikelihood(), within(1e-9));
        }
    }

    @Test
    void filteredAndPredictedMomentsEqualThePosteriorOfThePast() {
        long seed = 20;
        for (LinearGaussianModel model : List.of(KalmanContractTest.SCALAR, KalmanContractTest.FULL,
                KalmanContractTest.PARTLY_DIFFUSE)) {
            Sequence s = withGaps(model, 7, seed++, model.stateDimension());
            KalmanFilterResult result = model.filterStates(s);
            int n = model.stateDimension();
            int m = model.observationDimension();
            for (int t = model.diffuseStates().length; t < s.length(); t++) {
                Sequence past = s.slice("past", 0, t + 1);
                DMatrixRMaj[] filtered = new BruteForce(model, past).statePosterior();
                double[] values = past.observations();
                Arrays.fill(values, t * m, (t + 1) * m, Double.NaN);
                Sequence before = Sequence.of("before", m, values);
                if (model.inputDimension() > 0) {
                    before = before.withInputs(model.inputDimension(), past.inputs());
                }
                DMatrixRMaj[] predicted = new BruteForce(model, before).statePosterior();
                for (int i = 0; i < n; i++) {
                    assertThat(result.filteredMean(t, i)).isCloseTo(filtered[0].get(t * n + i, 0), within(TOLERANCE));
                    assertThat(result.predictedMean(t, i)).isCloseTo(predicted[0].get(t * n + i, 0), within(TOLERANCE));
                    for (int j = 0; j < n; j++) {
                        assertThat(result.filteredCovariance(t, i, j))
                                .isCloseTo(filtered[1].get(t * n + i, t * n + j), within(TOLERANCE));
                        assertThat(result.predictedCovariance(t, i, j))
                                .isCloseTo(predicted[1].get(t * n + i, t * n + j), within(TOLERANCE));
                    }
                }
            }
        }
    }

    /**
     * Missing and partly missing observations inside the diffuse phase (whole first row missing, one
     * component of the next missing), with correlated observation noise: likelihood and smoothed moments
     * still equal the brute force.
     */
    @Test
    void gapsInsideTheDiffusePhase() {
        double nan = Double.NaN;
        double[] y = {nan, nan, 1.2, nan, 0.4, -0.7, nan, 2.1, 1.5, 0.3, 0.9, nan, 1.1, 1.4};
        Sequence s = Sequence.of("gaps", 2, y);
        LinearGaussianModel model = KalmanContractTest.DIFFUSE;
        BruteForce brute = new BruteForce(model, s);
        assertThat(org.statespace.Recurrence.logLikelihood(model, s)).isCloseTo(brute.logLikelihood(), within(1e-9));
        KalmanSmootherResult result = model.smoothStates(s);
        DMatrixRMaj[] post = brute.statePosterior();
        int n = model.stateDimension();
        assertThat(model.filterStates(s).diffuseSteps()).isGreaterThan(2);
        for (int t = 0; t < s.length(); t++) {
            for (int i = 0; i < n; i++) {
                assertThat(result.mean(t, i)).isCloseTo(post[0].get(t * n + i, 0), within(TOLERANCE));
                for (int j = 0; j < n; j++) {
                    assertThat(result.covariance(t, i, j)).isCloseTo(post[1].get(t * n + i, t * n + j), within(TOLERANCE));
                    if (t > 0) {
                        assertThat(result.lagOneCovariance(t, i, j))
                                .isCloseTo(post[1].get(t * n + i, (t - 1) * n + j), within(TOLERANCE));
                    }
                }
            }
        }
    }

    @Test
    void aSequenceThatLeavesTheDiffuseStartUnidentifiedCannotBeSmoothed() {
        Sequence one = Sequence.of("short", 2, new double[] {1, 2});
        assertThatThrownBy(() -> KalmanContractTest.DIFFUSE.smoothStates(one)).isInstanceOf(DataException.class)
                .hasMessageContaining("short").hasMessageContaining("diffuse");
    }
}
