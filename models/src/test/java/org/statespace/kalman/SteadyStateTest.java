package org.statespace.kalman;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import org.statespace.data.Sequence;
import org.statespace.distribution.Gaussian;
import org.statespace.numeric.Randoms;

/**
 * The exact steady state changes nothing: with it on and off, every log-density term, mean and
 * covariance of a run is the same to the last bit, across stretches that reach it, missing rows and
 * partly missing rows that break it, and new stretches that reach it again.
 */
class SteadyStateTest {

    @Test
    void theShortcutGivesBitIdenticalResultsAndIsActuallyTaken() {
        for (LinearGaussianModel model : new LinearGaussianModel[] {KalmanContractTest.FULL, KalmanContractTest.SCALAR,
                HipparchusCrossCheckTest.randomModel(Randoms.seeded(8))}) {
            int m = model.observationDimension();
            int length = 3000;
            Sequence sampled = model.sampleWithStates("s", length, KalmanSmootherTest.inputs(model, length, 2),
                    Randoms.seeded(2));
            double[] y = sampled.observations();
            for (int t = 700; t < length; t += 650) {
                y[t * m] = Double.NaN;
                if (m > 1 && t + 300 < length) {
                    java.util.Arrays.fill(y, (t + 300) * m, (t + 301) * m, Double.NaN);
                }
            }
            Sequence s = Sequence.of("s", m, y);
            if (model.inputDimension() > 0) {
                s = s.withInputs(model.inputDimension(), sampled.inputs());
            }
            KalmanFilter fast = new KalmanFilter(model, KalmanOptions.defaults());
            KalmanFilter full = new KalmanFilter(model, KalmanOptions.defaults().withExactSteadyState(false));
            KalmanState a = fast.newState();
            KalmanState b = full.newState();
            Gaussian ga = fast.newDistribution();
            Gaussian gb = full.newDistribution();
            int steadySteps = 0;
            double[][] filtered = new double[length][];
            for (int t = 0; t < length; t++) {
                if (t == 0) {
                    fast.start(a, s);
                    full.start(b, s);
                } else {
                    fast.step(a, s, t);
                    full.step(b, s, t);
                }
                if (t > 0) {
                    // the filtered belief of t - 1 as the state reports it after the step
                    double[] fa = new double[model.stateDimension() * model.stateDimension()];
                    double[] fb = fa.clone();
                    a.copyFilteredCovariance(fa, 0);
                    b.copyFilteredCovariance(fb, 0);
                    assertThat(fa).isEqualTo(fb);
                    double[] expected = filtered[t - 1];
                    assertThat(fa).isEqualTo(expected);
                }
                fast.predict(a, s, t, ga);
                full.predict(b, s, t, gb);
                assertThat(fast.logDensity(a, ga, s, t)).isEqualTo(full.logDensity(b, gb, s, t));
                assertThat(a.mean).isEqualTo(b.mean);
                assertThat(a.current.covariance).isEqualTo(b.current.covariance);
                assertThat(a.filteredMean).isEqualTo(b.filteredMean);
                assertThat(a.current.filteredCovariance).isEqualTo(b.current.filteredCovariance);
                filtered[t] = a.current.filteredCovariance.clone();
                for (int j = 0; j < m; j++) {
                    assertThat(ga.mean(j)).isEqualTo(gb.mean(j));
                    assertThat(ga.variance(j)).isEqualTo(gb.variance(j));
                }
                if (a.steady != 0) {
                    steadySteps++;
                }
                assertThat(b.steady).isZero();
            }
            assertThat(steadySteps).as("steps in the steady state for %s", model).isGreaterThan(length / 2);
        }
    }

    @Test
    void theOptionTravelsWithTheModelAndIsNoParameter() {
        LinearGaussianModel model = KalmanContractTest.FULL;
        LinearGaussianModel off = model.withKalmanOptions(KalmanOptions.defaults().withExactSteadyState(false));
        assertThat(model.kalmanOptions().exactSteadyState()).isTrue();
        assertThat(off.kalmanOptions().exactSteadyState()).isFalse();
        assertThat(off).isEqualTo(model);
        assertThat(off.toSpec()).isEqualTo(model.toSpec());
        Sequence s = model.sampleWithStates("s", 500, KalmanSmootherTest.inputs(model, 500, 2), Randoms.seeded(3));
        int[] steady = new int[2];
        LinearGaussianModel[] models = {model, off};
        for (int r = 0; r < 2; r++) {
            KalmanFilter filter = models[r].filter();
            KalmanState state = filter.newState();
            Gaussian g = filter.newDistribution();
            for (int t = 0; t < s.length(); t++) {
                if (t == 0) {
                    filter.start(state, s);
                } else {
                    filter.step(state, s, t);
                }
                filter.predict(state, s, t, g);
                filter.logDensity(state, g, s, t);
                steady[r] += state.steady != 0 ? 1 : 0;
            }
        }
        assertThat(steady[0]).isGreaterThan(0);
        assertThat(steady[1]).isZero();
        // EM keeps the options of the model it starts from
        assertThat(off.withParameters(off.transition, off.control, off.transitionOffset, off.processNoise,
                off.observation, off.feedthrough, off.observationOffset, off.observationNoise, off.initialMean,
                off.initialCovariance).kalmanOptions()).isEqualTo(off.kalmanOptions());
    }

    @Test
    void aStructuralModelCarriesTheOptionThroughItsCopies() {
        KalmanOptions off = KalmanOptions.defaults().withExactSteadyState(false);
        StructuralModel model = StructuralModel.localLinearTrend(1, 0.2, 0.05).withKalmanOptions(off);
        assertThat(model.kalmanOptions()).isEqualTo(off);
        assertThat(model.asLinearGaussian().kalmanOptions()).isEqualTo(off);
        assertThat(model).isEqualTo(StructuralModel.localLinearTrend(1, 0.2, 0.05));
        StructuralModel known = model.withKnownInitialization(new double[] {1, 0}, new double[][] {{2, 0}, {0, 1}});
        assertThat(known.kalmanOptions()).isEqualTo(off);
        assertThat(StructuralModel.localLevel(2, 1).kalmanOptions()).isEqualTo(KalmanOptions.defaults());
    }
}
