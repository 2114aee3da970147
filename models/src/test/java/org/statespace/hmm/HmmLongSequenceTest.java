package org.statespace.hmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import org.statespace.Recurrence;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * A sequence of 10⁶ steps: the scaled recursions give a finite log-likelihood equal, within 1e-9
 * relative, to an independent log-space forward recursion written here from the model's parameters;
 * and neither the recurrence nor the kernels allocate per step.
 */
class HmmLongSequenceTest {
    private static final int T = 1_000_000;

    static final HiddenMarkovModel MODEL = HiddenMarkovModel.of(new double[] {0.5, 0.3, 0.2},
            new double[][] {{0.98, 0.01, 0.01}, {0.02, 0.95, 0.03}, {0.01, 0.04, 0.95}},
            GaussianEmission.univariate(new double[] {-2, 0, 3}, new double[] {1, 0.25, 2}));

    // log-space forward: log α_t(j) = log b_j(o_t) + logsumexp_i(log α_{t-1}(i) + log A_ij)
    static double logSpaceForward(double[] pi, double[][] a, double[] means, double[] variances, Sequence s) {
        int k = pi.length;
        double[] logAlpha = new double[k];
        double[] next = new double[k];
        double[][] logA = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                logA[i][j] = Math.log(a[i][j]);
            }
        }
        for (int t = 0; t < s.length(); t++) {
            double y = s.scalar(t);
            for (int j = 0; j < k; j++) {
                double logB = Double.isNaN(y) ? 0
                        : -0.5 * Math.log(2 * Math.PI * variances[j]) - (y - means[j]) * (y - means[j]) / (2 * variances[j]);
                double m;
                if (t == 0) {
                    m = Math.log(pi[j]);
                } else {
                    m = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < k; i++) {
                        m = Math.max(m, logAlpha[i] + logA[i][j]);
                    }
                    double sum = 0;
                    for (int i = 0; i < k; i++) {
                        sum += Math.exp(logAlpha[i] + logA[i][j] - m);
                    }
                    m += Math.log(sum);
                }
                next[j] = m + logB;
            }
            System.arraycopy(next, 0, logAlpha, 0, k);
        }
        double m = Double.NEGATIVE_INFINITY;
        for (double v : logAlpha) {
            m = Math.max(m, v);
        }
        double sum = 0;
        for (double v : logAlpha) {
            sum += Math.exp(v - m);
        }
        return m + Math.log(sum);
    }

    static Sequence longSequence() {
        RandomGenerator random = Randoms.seeded(1_000_000);
        double[] y = MODEL.sampleWithStates("long", T, null, random).observations();
        for (int t = 0; t < T; t += 10) {
            y[t] = Double.NaN; // every tenth step missing
        }
        return Sequence.ofScalars("long", y);
    }

    @Test
    void millionStepsMatchTheLogSpaceRecursion() {
        Sequence s = longSequence();
        double expected = logSpaceForward(MODEL.initial(), MODEL.transitionMatrix(), new double[] {-2, 0, 3},
                new double[] {1, 0.25, 2}, s);
        assertThat(expected).isFinite().isLessThan(-1e5);
        double tol = 1e-9 * Math.abs(expected);
        assertThat(MODEL.logLikelihood(s)).isCloseTo(expected, within(tol));
        assertThat(Recurrence.logLikelihood(MODEL, s)).isCloseTo(expected, within(tol));
        ForwardBackward fb = MODEL.forwardBackward();
        assertThat(fb.smooth(s)).isCloseTo(expected, within(tol));
        for (int t : new int[] {0, 1, T / 2, T - 1}) {
            double sum = 0;
            for (int k = 0; k < 3; k++) {
                assertThat(fb.posterior(t, k)).isBetween(0.0, 1.0);
                sum += fb.posterior(t, k);
            }
            assertThat(sum).isCloseTo(1.0, within(1e-12));
        }
        assertThat(MODEL.decode(s).logProbability()).isFinite().isLessThanOrEqualTo(expected);
    }

    @Test
    void noAllocationPerStep() {
        Sequence s = longSequence().slice("part", 0, 200_000);
        Recurrence.Workspace<HiddenMarkovModel.Belief, ?> ws = Recurrence.workspace(MODEL);
        ForwardBackward fb = MODEL.forwardBackward();
        fb.smooth(s);
        fb.viterbi(s);
        ws.run(s, null);
        long before = allocated();
        ws.run(s, null);
        fb.smooth(s);
        fb.forward(s);
        fb.logLikelihood(s);
        long bytes = allocated() - before;
        // 200 000 steps through four passes: one object per step would be megabytes
        assertThat(bytes).isLessThan(32_000);
        before = allocated();
        fb.viterbi(s);
        bytes = allocated() - before;
        // the decoded path (an int[T], copied once into the immutable result) is all Viterbi allocates
        assertThat(bytes).isLessThan(2 * 4L * 200_000 + 32_000);
    }

    private static long allocated() {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return bean.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
