package org.statespace.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import org.statespace.Recurrence;
import org.statespace.Sampling;
import org.statespace.data.Sequence;
import org.statespace.kalman.LinearGaussianModel;
import org.statespace.numeric.Randoms;

/**
 * A Kalman cell with a learned gain (innovations form) set to the steady-state gain K = F P Hᵀ S⁻¹ and innovation
 * covariance S = H P Hᵀ + R of a time-invariant model, P the fixed point of the Riccati recursion (iterated here to
 * convergence, independently of the toolkit's filters), scores every step after the burn-in as the model's own
 * Kalman filter does, once that filter's gain has converged.
 */
class LearnedGainTest {

    @Test
    void theSteadyStateGainGivesTheKalmanFiltersSteadyStateTerms() {
        double[][] f = {{0.8, 0.3}, {-0.2, 0.6}};
        double[][] q = {{0.5, 0.1}, {0.1, 0.3}};
        double[][] h = {{1, 0}, {0.4, 1}};
        double[][] r = {{0.7, 0.2}, {0.2, 0.9}};
        double[] m0 = {1, -1};
        LinearGaussianModel source = LinearGaussianModel.of(f, q, h, r, m0, new double[][] {{4, 0}, {0, 4}});
        // the Riccati recursion P <- F (P - P Hᵀ S⁻¹ H P) Fᵀ + Q to its fixed point
        double[][] p = {{4, 0}, {0, 4}};
        for (int iteration = 0; iteration < 10_000; iteration++) {
            double[][] ph = HybridCellGradientTest.multiply(p, HybridCellGradientTest.transpose(h));
            double[][] s = HybridCellGradientTest.add(HybridCellGradientTest.multiply(h, ph), r);
            double[][] filtered = minus(p, HybridCellGradientTest.multiply(HybridCellGradientTest.multiply(ph, inverse(s)), HybridCellGradientTest.transpose(ph)));
            double[][] next = HybridCellGradientTest.add(HybridCellGradientTest.multiply(HybridCellGradientTest.multiply(f, filtered), HybridCellGradientTest.transpose(f)), q);
            double change = 0;
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    change = Math.max(change, Math.abs(next[i][j] - p[i][j]));
                }
            }
            p = next;
            if (change == 0) {
                break;
            }
        }
        double[][] s = HybridCellGradientTest.add(HybridCellGradientTest.multiply(h, HybridCellGradientTest.multiply(p, HybridCellGradientTest.transpose(h))), r);
        double[][] k = HybridCellGradientTest.multiply(HybridCellGradientTest.multiply(HybridCellGradientTest.multiply(f, p), HybridCellGradientTest.transpose(h)), inverse(s));
        double[][] l = cholesky(s);

        RnnArchitecture a = RnnArchitecture.stack(2, List.of(Layer.kalmanGain(2, 0)), Head.belief(2, false, List.of()));
        RnnModel cell = RnnModel.of(a, new double[a.parameterCount()], null, 0)
                .withWeight("initial_mean_l0", m0)
                .withWeight("transition_l0", flat(f))
                .withWeight("observation_l0", flat(h))
                .withWeight("gain_l0", flat(k))
                .withWeight("innovation_cholesky_l0", new double[] {Math.log(l[0][0]), 0, l[1][0], Math.log(l[1][1])});
        RandomGenerator random = Randoms.seeded(3);
        Sequence data = Sampling.sample(source, "s", 300, null, random);
        List<Double> expected = terms(source, data);
        List<Double> actual = terms(cell, data);
        int burnIn = 100;
        for (int t = burnIn; t < data.length(); t++) {
            assertThat(actual.get(t)).as("step " + t).isCloseTo(expected.get(t), within(1e-10));
        }
        // and not before: the model's own filter starts from P0, not from the steady state
        assertThat(Math.abs(actual.get(0) - expected.get(0))).isGreaterThan(1e-3);
    }

    private static List<Double> terms(org.statespace.StateSpaceModel<?, ?> m, Sequence s) {
        List<Double> out = new ArrayList<>();
        Recurrence.workspace(m).run(s, (t, state, predicted, logDensity) -> out.add(logDensity));
        return out;
    }

    private static double[] flat(double[][] m) {
        double[] out = new double[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, out, i * m[0].length, m[0].length);
        }
        return out;
    }

    private static double[][] minus(double[][] a, double[][] b) {
        double[][] c = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                c[i][j] = a[i][j] - b[i][j];
            }
        }
        return c;
    }

    // 2×2 inverse by the adjugate
    private static double[][] inverse(double[][] a) {
        double det = a[0][0] * a[1][1] - a[0][1] * a[1][0];
        return new double[][] {{a[1][1] / det, -a[0][1] / det}, {-a[1][0] / det, a[0][0] / det}};
    }

    private static double[][] cholesky(double[][] s) {
        double l00 = Math.sqrt(s[0][0]);
        double l10 = s[1][0] / l00;
        return new double[][] {{l00, 0}, {l10, Math.sqrt(s[1][1] - l10 * l10)}};
    }
}
