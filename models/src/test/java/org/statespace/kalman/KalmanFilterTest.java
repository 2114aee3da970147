package org.statespace.kalman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import org.statespace.Recurrence;
import org.statespace.data.Sequence;
import org.statespace.distribution.Gaussian;
import org.statespace.numeric.Randoms;

/**
 * Missing data, long runs with nearly singular noises, and the no-allocation promise of the filter.
 */
class KalmanFilterTest {

    @Test
    void aWholeMissingRowSkipsTheUpdate() {
        LinearGaussianModel model = KalmanContractTest.FULL;
        double[] u = {0.3, -0.2, 1.1};
        Sequence s = Sequence.of("gap", 2, new double[] {1, 2, Double.NaN, Double.NaN, 0.5, 1}).withInputs(1, u);
        KalmanFilterResult r = model.filterStates(s);
        for (int i = 0; i < 2; i++) {
            assertThat(r.filteredMean(1, i)).isEqualTo(r.predictedMean(1, i));
            for (int j = 0; j < 2; j++) {
                assertThat(r.filteredCovariance(1, i, j)).isEqualTo(r.predictedCovariance(1, i, j));
            }
        }
        assertThat(r.logLikelihoodTerm(1)).isZero();
        assertThat(r.innovation(1, 0)).isNaN();
    }

    /**
     * Updating with the observed component of a partly missing row is the update of the model that
     * observes only that component: rows H_o, feedthrough D_o, offset d_o and noise R_oo.
     */
    @Test
    void aPartlyMissingRowUpdatesWithItsObservedComponentsOnly() {
        LinearGaussianModel model = KalmanContractTest.FULL;
        double[] u = {0.3};
        for (int observed = 0; observed < 2; observed++) {
            double[] y = {Double.NaN, Double.NaN};
            y[observed] = 1.7;
            Sequence s = Sequence.of("partial", 2, y).withInputs(1, u);
            KalmanFilterResult full = model.filterStates(s);

            double[][] h = model.observationMatrix();
            double[][] r = model.observationNoise();
            LinearGaussianModel marginal = LinearGaussianModel.of(model.transitionMatrix(), model.processNoise(),
                    new double[][] {h[observed]}, new double[][] {{r[observed][observed]}}, model.initialMean(),
                    model.initialCovariance())
                    .withFeedthroughMatrix(new double[][] {model.feedthroughMatrix().orElseThrow()[observed]})
                    .withObservationOffset(new double[] {model.observationOffset().orElseThrow()[observed]});
            KalmanFilterResult one = marginal.filterStates(Sequence.ofScalars("one", new double[] {1.7}).withInputs(1, u));
            for (int i = 0; i < 2; i++) {
                assertThat(full.filteredMean(0, i)).isCloseTo(one.filteredMean(0, i), within(1e-12));
                for (int j = 0; j < 2; j++) {
                    assertThat(full.filteredCovariance(0, i, j)).isCloseTo(one.filteredCovariance(0, i, j), within(1e-12));
                }
            }
            assertThat(full.logLikelihoodTerm(0)).isCloseTo(one.logLikelihoodTerm(0), within(1e-12));
        }
    }

    /** 10^6 steps with Q and R one part in 10^10 from singular: every covariance stays symmetric and PSD. */
    @Test
    void covariancesStaySymmetricPositiveSemidefiniteOverAMillionSteps() {
        double e = 1e-10;
        LinearGaussianModel model = LinearGaussianModel.of(new double[][] {{0.99, 0.1}, {0, 0.95}},
                new double[][] {{1, 1 - e}, {1 - e, 1}}, new double[][] {{1, 0}, {0, 1}},
                new double[][] {{1, 1 - e}, {1 - e, 1}}, new double[] {0, 0}, new double[][] {{1, 0}, {0, 1}});
        Sequence s = model.sampleWithStates("long", 1_000_000, null, Randoms.seeded(3));
        PsdCheck check = new PsdCheck();
        double ll = Recurrence.workspace(model).run(s, (t, state, predicted, logDensity) -> check.accept(state));
        assertThat(ll).isFinite();
        assertThat(check.worst).as("most negative eigenvalue relative to the largest").isGreaterThanOrEqualTo(-1e-12);
        assertThat(check.asymmetric).isZero();
    }

    @Property(tries = 15)
    void covariancesStaySymmetricPositiveSemidefiniteForNearlySingularNoise(
            @ForAll @IntRange(min = 6, max = 14) int digits, @ForAll @DoubleRange(min = 0.1, max = 1.05) double rho,
            @ForAll @LongRange(min = 0, max = 1000) long seed) {
        double gap = Math.pow(10, -digits);
        LinearGaussianModel model = LinearGaussianModel.of(new double[][] {{rho, 0.3}, {-0.2, 0.5}},
                new double[][] {{1, 1 - gap}, {1 - gap, 1}}, new double[][] {{1, 0.5}, {0, 1}},
                new double[][] {{gap, 0}, {0, 1}}, new double[] {0, 0}, new double[][] {{1, 0}, {0, 1}});
        Sequence s = model.sampleWithStates("s", 2000, null, Randoms.seeded(seed));
        PsdCheck check = new PsdCheck();
        Recurrence.workspace(model).run(s, (t, state, predicted, logDensity) -> check.accept(state));
        assertThat(check.worst).isGreaterThanOrEqualTo(-1e-12);
        assertThat(check.asymmetric).isZero();
    }

    // predicted and filtered 2x2 covariances: exact symmetry, smallest eigenvalue relative to the largest
    private static final class PsdCheck {
        double worst = Double.POSITIVE_INFINITY;
        int asymmetric;

        private final double[] buffer = new double[4];

        void accept(KalmanState state) {
            state.copyCovariance(buffer, 0);
            check(buffer);
            if (state.filteredStep() >= 0) {
                state.copyFilteredCovariance(buffer, 0);
                check(buffer);
            }
        }

        private void check(double[] c) {
            if (c[1] != c[2]) {
                asymmetric++;
            }
            double tr = c[0] + c[3];
            double det = c[0] * c[3] - c[1] * c[2];
            double disc = Math.sqrt(Math.max(0, tr * tr / 4 - det));
            double large = tr / 2 + disc;
            double small = tr / 2 - disc;
            worst = Math.min(worst, small / Math.max(large, Double.MIN_NORMAL));
        }
    }

    /** After warming up, a run of 200 000 steps, partly missing ones among them, allocates nothing per step. */
    @Test
    void theRecurrenceDoesNotAllocatePerStep() {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        LinearGaussianModel model = KalmanContractTest.FULL;
        int length = 200_000;
        Sequence sampled = model.sampleWithStates("s", length, KalmanSmootherTest.inputs(model, length, 1),
                Randoms.seeded(1));
        // a component missing every third step keeps the full and the partial update running (no steady state)
        double[] y = sampled.observations();
        for (int t = 0; t < length; t += 3) {
            y[t * 2 + (t / 3) % 2] = Double.NaN;
        }
        Sequence s = Sequence.of("s", 2, y).withInputs(1, sampled.inputs());
        Recurrence.Workspace<KalmanState, Gaussian> workspace = Recurrence.workspace(model);
        double warm = 0;
        for (int i = 0; i < 5; i++) {
            warm += workspace.run(s, null);
        }
        long before = bean.getCurrentThreadAllocatedBytes();
        double ll = workspace.run(s, null);
        long allocated = bean.getCurrentThreadAllocatedBytes() - before;
        assertThat(ll).isCloseTo(warm / 5, within(1e-9 * Math.abs(ll)));
        assertThat(allocated).as("bytes allocated by a run of %d steps", length).isLessThan(4096);
    }
}
