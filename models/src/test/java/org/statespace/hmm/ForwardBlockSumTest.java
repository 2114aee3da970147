package org.statespace.hmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * The forward pass, run a block of {@link ForwardBackward#STEPS} steps at a time (the emission's log-densities of a
 * block in one call, K - 1 exponentials per step), against a plain scaled forward loop written here: one step at a
 * time, densities from the Gaussian formula, the terms log c_t + m_t added with a compensated (Kahan) sum. Within
 * 1e-12 relative on lengths around the block boundaries, for random models and for a sticky model whose switches
 * give scales c_t near 1e-9.
 */
class ForwardBlockSumTest {

    record Reference(double logLikelihood, int smallScales) {
    }

    // the scaled forward recursion, one step at a time, with the log-likelihood summed by Kahan's method
    static Reference plainForward(double[] pi, double[][] a, double[] means, double[] variances, Sequence s) {
        int k = pi.length;
        double[] alpha = new double[k];
        double[] h = new double[k];
        double[] b = new double[k];
        double sum = 0;
        double compensation = 0;
        int small = 0;
        for (int t = 0; t < s.length(); t++) {
            double y = s.scalar(t);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                b[j] = Double.isNaN(y) ? 0
                        : -0.5 * Math.log(2 * Math.PI * variances[j]) - (y - means[j]) * (y - means[j]) / (2 * variances[j]);
                max = Math.max(max, b[j]);
            }
            double c = 0;
            for (int j = 0; j < k; j++) {
                if (t == 0) {
                    h[j] = pi[j];
                } else {
                    h[j] = 0;
                    for (int i = 0; i < k; i++) {
                        h[j] += alpha[i] * a[i][j];
                    }
                }
                c += h[j] * Math.exp(b[j] - max);
            }
            for (int j = 0; j < k; j++) {
                alpha[j] = h[j] * Math.exp(b[j] - max) / c;
            }
            if (c < 1e-6) {
                small++;
            }
            double term = Math.log(c) + max - compensation;
            double next = sum + term;
            compensation = (next - sum) - term;
            sum = next;
        }
        return new Reference(sum, small);
    }

    private static void check(double[] pi, double[][] a, double[] means, double[] variances, int length, long seed) {
        HiddenMarkovModel model = HiddenMarkovModel.of(pi, a, GaussianEmission.univariate(means, variances));
        double[] y = model.sampleWithStates("s", length, null, Randoms.seeded(seed)).observations();
        for (int t = 5; t < length; t += 37) {
            y[t] = Double.NaN;
        }
        Sequence s = Sequence.ofScalars("s", y);
        Reference expected = plainForward(pi, a, means, variances, s);
        ForwardBackward kernels = model.forwardBackward();
        double tolerance = 1e-12 * Math.abs(expected.logLikelihood());
        assertThat(kernels.forward(s)).as("forward, K=%d, T=%d", pi.length, length)
                .isCloseTo(expected.logLikelihood(), within(tolerance));
        assertThat(kernels.logLikelihood(s)).as("logLikelihood, K=%d, T=%d", pi.length, length)
                .isCloseTo(expected.logLikelihood(), within(tolerance));
    }

    @Test
    void randomModelsMatchThePlainLoopAroundBlockBoundaries() {
        int steps = ForwardBackward.STEPS;
        for (int k : new int[] {1, 2, 5, 13}) {
            SplittableRandom random = new SplittableRandom(k);
            double[] pi = new double[k];
            double[][] a = new double[k][k];
            double[] means = new double[k];
            double[] variances = new double[k];
            for (int i = 0; i < k; i++) {
                pi[i] = 1.0 / k;
                double total = 0;
                for (int j = 0; j < k; j++) {
                    a[i][j] = random.nextDouble() + (i == j ? 5 : 0.01);
                    total += a[i][j];
                }
                for (int j = 0; j < k; j++) {
                    a[i][j] /= total;
                }
                means[i] = -3 + 6 * random.nextDouble();
                variances[i] = 0.5 + 1.5 * random.nextDouble();
            }
            for (int length : new int[] {1, steps - 1, steps, steps + 1, 3 * steps + 5, 20_000}) {
                check(pi, a, means, variances, length, 31L * k + length);
            }
        }
    }

    @Test
    void tinyScalesMatchThePlainLoop() {
        // rare switches between well separated states: the step after a switch has c_t about 1e-9
        double[] pi = {0.5, 0.5};
        double[][] a = {{1 - 1e-9, 1e-9}, {1e-9, 1 - 1e-9}};
        double[] means = {-4, 4};
        double[] variances = {1, 1};
        // a path that switches every 50 steps, so the model's own samples are not needed to contain switches
        int length = 20_000;
        double[] y = new double[length];
        SplittableRandom random = new SplittableRandom(5);
        for (int t = 0; t < length; t++) {
            y[t] = ((t / 50) % 2 == 0 ? -4 : 4) + random.nextGaussian();
        }
        Sequence s = Sequence.ofScalars("switching", y);
        Reference expected = plainForward(pi, a, means, variances, s);
        assertThat(expected.smallScales()).isGreaterThan(300);
        ForwardBackward kernels = HiddenMarkovModel.of(pi, a, GaussianEmission.univariate(means, variances))
                .forwardBackward();
        double tolerance = 1e-12 * Math.abs(expected.logLikelihood());
        assertThat(kernels.forward(s)).isCloseTo(expected.logLikelihood(), within(tolerance));
        assertThat(kernels.logLikelihood(s)).isCloseTo(expected.logLikelihood(), within(tolerance));
        assertThat(kernels.smooth(s)).isCloseTo(expected.logLikelihood(), within(tolerance));
        check(pi, a, means, variances, 5_000, 9);
    }
}
