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
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.numeric.Randoms;

/** k-step forecasts against the dense joint posterior, and the law of sampled paths. */
class ForecastAndSamplingTest {

    /**
     * The forecast of o_{T+j} is N(H μ + D u + d, H V Hᵀ + R) with (μ, V) the posterior of x_{T+j} given the
     * history, which the brute force gets by appending unobserved steps.
     */
    @Test
    void forecastsEqualTheJointPosteriorOfFutureSteps() {
        for (LinearGaussianModel model : List.of(KalmanContractTest.FULL, KalmanContractTest.PARTLY_DIFFUSE)) {
            int m = model.observationDimension();
            int n = model.stateDimension();
            int p = model.inputDimension();
            int length = 8;
            int steps = 4;
            Sequence history = KalmanSmootherTest.withGaps(model, length, 5, n);
            Sequence future = p > 0 ? KalmanSmootherTest.inputs(model, steps, 9) : null;
            List<PredictiveDistribution> forecast = model.forecast(history, steps, future);
            assertThat(forecast).hasSize(steps);

            double[] values = Arrays.copyOf(history.observations(), (length + steps) * m);
            Arrays.fill(values, length * m, values.length, Double.NaN);
            Sequence extended = Sequence.of("extended", m, values);
            if (p > 0) {
                double[] u = Arrays.copyOf(history.inputs(), (length + steps) * p);
                System.arraycopy(future.inputs(), 0, u, length * p, steps * p);
                extended = extended.withInputs(p, u);
            }
            DMatrixRMaj[] post = new BruteForce(model, extended).statePosterior();
            double[][] h = model.observationMatrix();
            double[][] r = model.observationNoise();
            double[][] d = model.feedthroughMatrix().orElse(new double[m][p]);
            double[] offset = model.observationOffset().orElse(new double[m]);
            for (int j = 0; j < steps; j++) {
                int t = length + j;
                for (int a = 0; a < m; a++) {
                    double mean = offset[a];
                    for (int c = 0; c < p; c++) {
                        mean += d[a][c] * extended.input(t, c);
                    }
                    double variance = r[a][a];
                    for (int i = 0; i < n; i++) {
                        mean += h[a][i] * post[0].get(t * n + i, 0);
                        for (int k = 0; k < n; k++) {
                            variance += h[a][i] * post[1].get(t * n + i, t * n + k) * h[a][k];
                        }
                    }
                    assertThat(forecast.get(j).mean(a)).isCloseTo(mean, within(1e-9));
                    assertThat(forecast.get(j).variance(a)).isCloseTo(variance, within(1e-9));
                }
            }
        }
    }

    @Test
    void forecastingAModelWithInputsNeedsFutureInputs() {
        Sequence history = KalmanSmootherTest.withGaps(KalmanContractTest.FULL, 5, 1, 0);
        assertThatThrownBy(() -> KalmanContractTest.FULL.forecast(history, 3, null))
                .isInstanceOf(DataException.class).hasMessageContaining("inputs");
    }

    /** x_t = 0.8 x_{t-1} + w, Var w = 0.5: the stationary variance 0.5 / (1 - 0.64) and lag-one correlation 0.8. */
    @Test
    void sampledStatesFollowTheTransitionLaw() {
        LinearGaussianModel model = LinearGaussianModel.of(new double[][] {{0.8}}, new double[][] {{0.5}},
                new double[][] {{2}}, new double[][] {{0.25}}, new double[] {0}, new double[][] {{0.5 / 0.36}});
        Sequence s = model.sampleWithStates("s", 200_000, null, Randoms.seeded(17));
        assertThat(s.hasStates()).isTrue();
        assertThat(s.stateDimension()).isEqualTo(1);
        double sum = 0;
        double sumSq = 0;
        double lag = 0;
        double residualSq = 0;
        int length = s.length();
        for (int t = 0; t < length; t++) {
            double x = s.state(t, 0);
            sum += x;
            sumSq += x * x;
            if (t > 0) {
                lag += x * s.state(t - 1, 0);
            }
            double e = s.value(t, 0) - 2 * x;
            residualSq += e * e;
        }
        double variance = sumSq / length - (sum / length) * (sum / length);
        assertThat(variance).isCloseTo(0.5 / 0.36, within(0.05));
        assertThat(lag / (length - 1) / variance).isCloseTo(0.8, within(0.01));
        assertThat(residualSq / length).isCloseTo(0.25, within(0.005));
    }
}
