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
            int steadySteps = compareWithFullUpdate(model, new KalmanFilter(model, KalmanOptions.defaults()), s);
            assertThat(steadySteps).as("steps in the steady state for %s", model).isGreaterThan(length / 2);
        }
    }

    /**
     * The benchmark's n = 4, m = 4 model (KalmanBenchmark.model(4, 4), rebuilt here): its covariance recursion
     * never reaches a fixed point or a cycle of two but repeats, bit for bit, with a period of hundreds of steps
     * (found here by brute force over the full recursion's covariances). The shortcut finds that period,
     * replays it with bit-identical results, leaves it at missing components and finds it again.
     */
    @Test
    void aLongCycleOfTheRecursionIsFoundAndReplayedExactly() {
        LinearGaussianModel model = benchmarkModel(4, 4);
        int length = 6000;
        Sequence sampled = model.sampleWithStates("s", length, null, Randoms.seeded(42));
        double[] y = sampled.observations();
        y[2500 * 4 + 1] = Double.NaN;
        java.util.Arrays.fill(y, 4000 * 4, 4001 * 4, Double.NaN);
        Sequence s = Sequence.of("s", 4, y);

        // brute force: the first repeat of a predicted covariance in the full recursion
        KalmanFilter full = new KalmanFilter(model, KalmanOptions.defaults().withExactSteadyState(false));
        KalmanState b = full.newState();
        java.util.Map<java.util.List<Double>, Integer> seen = new java.util.HashMap<>();
        int period = 0;
        for (int t = 0; t < 2500 && period == 0; t++) {
            if (t == 0) {
                full.start(b, s);
            } else {
                full.step(b, s, t);
            }
            java.util.List<Double> key = new java.util.ArrayList<>();
            for (double x : b.current.covariance) {
                key.add(x);
            }
            Integer earlier = seen.put(key, t);
            if (earlier != null) {
                period = t - earlier;
            }
        }
        assertThat(period).as("the recursion's period").isGreaterThan(2);

        KalmanFilter fast = new KalmanFilter(model, KalmanOptions.defaults());
        int steadySteps = compareWithFullUpdate(model, fast, s);
        assertThat(steadySteps).isGreaterThan(length / 3);
        // in the cycle before each break (a missing component at 2500, a missing row at 4000) and at the end
        KalmanState state = fast.newState();
        fast.start(state, s);
        for (int t = 1; t < length; t++) {
            fast.step(state, s, t);
            if (t == 2499 || t == 3999 || t == length - 1) {
                assertThat(state.steady).as("step %d", t).isEqualTo(1);
                assertThat(state.cycleLength).isEqualTo(period);
            }
        }

        // a cycle longer than the recorded sets may hold is not taken, and changes nothing
        KalmanFilter bounded = new KalmanFilter(model, KalmanOptions.defaults(),
                (period - 1) * KalmanState.CovarianceSet.size(4, 4));
        assertThat(compareWithFullUpdate(model, bounded, s)).isZero();
    }

    // KalmanBenchmark.model(n, m) and its F, Q, H, R, a_0 = 0, P_0 = I
    static LinearGaussianModel benchmarkModel(int n, int m) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(1000L * n + m);
        double[][] g = normal(random, n, n);
        org.ejml.interfaces.decomposition.EigenDecomposition_F64<org.ejml.data.DMatrixRMaj> eig =
                org.ejml.dense.row.factory.DecompositionFactory_DDRM.eig(n, false);
        assertThat(eig.decompose(new org.ejml.data.DMatrixRMaj(g))).isTrue();
        double radius = 0;
        for (int i = 0; i < n; i++) {
            radius = Math.max(radius, eig.getEigenvalue(i).getMagnitude());
        }
        double scale = 0.95 / radius;
        double[][] f = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                f[i][j] = g[i][j] * scale;
            }
        }
        double[][] q = spd(normal(random, n, n), n);
        double[][] h = normal(random, m, n);
        double[][] r = spd(normal(random, m, m), m);
        double[][] p0 = new double[n][n];
        for (int i = 0; i < n; i++) {
            p0[i][i] = 1;
        }
        return LinearGaussianModel.of(f, q, h, r, new double[n], p0);
    }

    private static double[][] normal(java.util.SplittableRandom random, int rows, int columns) {
        double[][] a = new double[rows][columns];
        for (double[] row : a) {
            for (int j = 0; j < columns; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return a;
    }

    private static double[][] spd(double[][] a, int k) {
        double[][] s = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = 0;
                for (int l = 0; l < k; l++) {
                    sum += a[i][l] * a[j][l];
                }
                s[i][j] = sum / k + (i == j ? 0.1 : 0);
                s[j][i] = s[i][j];
            }
        }
        return s;
    }

    /**
     * Runs {@code fast} and the full update side by side over {@code s}, holding every log-density, mean,
     * covariance and predictive law to the full update's bits; returns the steps {@code fast} spent in the
     * steady state.
     */
    private static int compareWithFullUpdate(LinearGaussianModel model, KalmanFilter fast, Sequence s) {
        int length = s.length();
        int m = model.observationDimension();
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
        return steadySteps;
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
