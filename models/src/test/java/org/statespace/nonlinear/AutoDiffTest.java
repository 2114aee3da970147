package org.statespace.nonlinear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * The Jacobians that forward-mode automatic differentiation gives every built-in f and h, against central
 * finite differences of the plain values (step 1e-5 of the coordinate's scale: truncation error O(h²) ≈ 1e-10
 * times the third derivative, rounding ≈ 1e-16/1e-5), at 20 random points each: within 1e-6 (relative to the
 * largest entry, at least 1). The AD value equals the plain evaluation to rounding.
 */
class AutoDiffTest {

    private static void check(DifferentiableFunction g, double[] x, int t) {
        check(g, x, Sequence.ofScalars("none", new double[t + 1]), t);
    }

    /** The Jacobian of g at x (step t of {@code none}, which may carry inputs) against central differences. */
    static void check(DifferentiableFunction g, double[] x, Sequence none, int t) {
        int n = g.inputDimension();
        int r = g.outputDimension();
        double[] value = new double[r];
        double[] jacobian = new double[r * n];
        g.jacobian(x, none, t, value, jacobian);
        double[] plain = new double[r];
        g.value(x, none, t, plain);
        for (int i = 0; i < r; i++) {
            assertThat(value[i]).isCloseTo(plain[i], within(1e-13 * Math.max(1, Math.abs(plain[i]))));
        }
        double[] plus = new double[r];
        double[] minus = new double[r];
        for (int c = 0; c < n; c++) {
            double step = 1e-5 * Math.max(1, Math.abs(x[c]));
            double[] xp = x.clone();
            double[] xm = x.clone();
            xp[c] += step;
            xm[c] -= step;
            g.value(xp, none, t, plus);
            g.value(xm, none, t, minus);
            for (int i = 0; i < r; i++) {
                double fd = (plus[i] - minus[i]) / (xp[c] - xm[c]);
                double ad = jacobian[i * n + c];
                assertThat(ad).as("d g_%d / d x_%d at %s", i, c, java.util.Arrays.toString(x))
                        .isCloseTo(fd, within(1e-6 * Math.max(1, Math.abs(fd))));
            }
        }
    }

    @Test
    void builtinJacobiansMatchFiniteDifferences() {
        RandomGenerator random = Randoms.seeded(17);
        for (BuiltinModel b : BuiltinModel.values()) {
            NonlinearSystem s = b.defaultSystem();
            for (int k = 0; k < 20; k++) {
                double[] x = new double[s.stateDimension()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = 4 * random.nextGaussian();
                }
                int t = 1 + random.nextInt(50);
                check(s.transition(), x, t);
                check(s.observation(), x, t);
            }
        }
    }

    /** The growth model's derivative by hand: f'(x) = 1/2 + 25 (1 - x²)/(1 + x²)², h'(x) = x/10. */
    @Test
    void growthJacobianMatchesTheHandDerivative() {
        NonlinearSystem s = BuiltinModel.GROWTH.defaultSystem();
        Sequence none = Sequence.ofScalars("none", new double[10]);
        for (double x : new double[] {-3, -0.5, 0, 0.7, 2, 10}) {
            double[] v = new double[1];
            double[] j = new double[1];
            s.transition().jacobian(new double[] {x}, none, 4, v, j);
            assertThat(v[0]).isCloseTo(x / 2 + 25 * x / (1 + x * x) + 8 * Math.cos(1.2 * 4), within(1e-12));
            assertThat(j[0]).isCloseTo(0.5 + 25 * (1 - x * x) / ((1 + x * x) * (1 + x * x)), within(1e-12));
            s.observation().jacobian(new double[] {x}, none, 4, v, j);
            assertThat(j[0]).isCloseTo(x / 10, within(1e-15));
        }
    }
}
