package org.statespace.hsmm;

import java.util.Arrays;

import org.statespace.capability.DecodedPath;
import org.statespace.data.Sequence;
import org.statespace.hmm.StateRecursions;

/**
 * The whole-sequence kernels of an explicit-duration HMM over its expanded chain (M slots, sparse transition): the
 * scaled forward filter, the scaled backward pass, posterior marginals, the E-step and Viterbi, each O(T·(M + K²)), and
 * backward sampling (O(T·M) a draw). Memory O(T·M). One per thread; reusable across sequences.
 *
 * <pre>
 *   α̂_t(m) = p(x_t = m | o_0..o_t)                    c_t = Σ_m (α̂_{t-1} P)(m) b̃_t(k(m))
 *   β̂_t(m) = Σ_m' P(m, m') b̃_{t+1}(k(m')) β̂_{t+1}(m') / c_{t+1},   β̂_{T-1} = 1
 *   γ_t(m) = α̂_t(m) β̂_t(m)
 * </pre>
 * with b̃_t = b_t / max_k b_t(k) (the max is added back into the log-likelihood), and a missing
 * observation scored as b = 1. Each step is {@link SemiMarkovStep}'s, which the spilled kernels
 * ({@link SpilledSemiMarkov}) call too.
 */
final class SemiMarkovKernels implements StateRecursions {
    private final HiddenSemiMarkovModel model;
    private final int k;
    private final int m;
    private final SemiMarkovStep step;
    private int length;
    private double[] alpha = new double[0];     // T×M filtered
    private double[] beta = new double[0];      // T×M
    private double[] densities = new double[0]; // T×K scaled
    private double[] normalizer = new double[0]; // T: c_t
    private boolean smoothed;

    SemiMarkovKernels(HiddenSemiMarkovModel model) {
        this.model = model;
        this.k = model.states;
        this.m = model.size;
        this.step = new SemiMarkovStep(model);
    }

    private void ensure(int t) {
        if (alpha.length < t * m) {
            alpha = new double[t * m];
            beta = new double[t * m];
            normalizer = new double[t];
        }
        if (densities.length < t * k) {
            densities = new double[t * k];
        }
    }

    /** The scaled forward filter ({@link SemiMarkovStep#forward} at every step); returns log p(o). Throws when an observation is impossible. */
    @Override
    public double forward(Sequence s) {
        int n = s.length();
        ensure(n);
        length = n;
        smoothed = false;
        double ll = 0;
        for (int t = 0; t < n; t++) {
            ll += step.forward(s.id(), s, t, alpha, (t - 1) * m, densities, t * k, alpha, t * m);
            normalizer[t] = step.normalizer();
        }
        return ll;
    }

    /** log p(o_0..o_{T-1}): the forward recursion (which keeps its arrays). */
    @Override
    public double logLikelihood(Sequence s) {
        return forward(s);
    }

    /** Forward and backward passes ({@link SemiMarkovStep#backward} from the last step to the first); returns log p(o). */
    @Override
    public double smooth(Sequence s) {
        double ll = forward(s);
        int n = length;
        if (n > 0) {
            Arrays.fill(beta, (n - 1) * m, n * m, 1);
        }
        for (int t = n - 2; t >= 0; t--) {
            backward(t);
        }
        smoothed = true;
        return ll;
    }

    // β̂_t from β̂_{t+1}, b̃_{t+1} and c_{t+1}
    private void backward(int t) {
        step.backward(densities, (t + 1) * k, beta, (t + 1) * m, normalizer[t + 1], beta, t * m);
    }

    /**
     * A state path drawn from p(s | o) by backward sampling over the expanded chain, from the filter of
     * the last {@link #forward}: x_{T-1} ~ α̂_{T-1}, x_t ~ α̂_t(m) P(m, x_{t+1}) with
     * P(m, m') = stay(m) [next(m) = m'] + hazard(m) A_{k(m) k(m')} [m' = entry(k(m'))], each step
     * {@link SemiMarkovStep#sampleBack}'s. Returns the states k(x_t).
     */
    int[] samplePath(java.util.random.RandomGenerator random) {
        int n = length;
        int[] path = new int[n];
        if (n == 0) {
            return path;
        }
        int slot = step.sampleLast(alpha, (n - 1) * m, random);
        path[n - 1] = model.owner[slot];
        for (int t = n - 2; t >= 0; t--) {
            slot = step.sampleBack(alpha, t * m, slot, random);
            path[t] = model.owner[slot];
        }
        return path;
    }

    /** p(s_t = k | o_0..o_t), T×K (fresh). */
    @Override
    public double[] filteredProbabilities() {
        return collapse(alpha);
    }

    /** p(s_t = k | o_0..o_{T-1}), T×K (fresh). */
    @Override
    public double[] posteriorProbabilities() {
        if (!smoothed) {
            throw new IllegalStateException("run smooth first");
        }
        double[] out = new double[length * k];
        for (int t = 0; t < length; t++) {
            step.posterior(alpha, t * m, beta, t * m, out, t * k);
        }
        return out;
    }

    private double[] collapse(double[] a) {
        double[] out = new double[length * k];
        for (int t = 0; t < length; t++) {
            for (int i = 0; i < m; i++) {
                out[t * k + model.owner[i]] += a[t * m + i];
            }
        }
        return out;
    }

    /**
     * The E-step of one sequence into {@code st}; returns log p(o). The forward filter, then one pass from the last
     * step to the first: β̂_t and, with it, step t's statistics ({@link SemiMarkovStep#statistics}), added in that
     * order (T-1 down to 0), the order of the spilled E-step.
     */
    double expectation(Sequence s, SemiMarkovStatistics st) {
        double ll = forward(s);
        int n = length;
        if (n > 0) {
            Arrays.fill(beta, (n - 1) * m, n * m, 1);
        }
        for (int t = n - 1; t >= 0; t--) {
            boolean last = t == n - 1;
            if (!last) {
                backward(t);
            }
            step.statistics(st, s, t, t == 0, last, alpha, t * m, beta, t * m, last ? 0 : normalizer[t + 1]);
        }
        smoothed = true;
        st.logLikelihood += ll;
        return ll;
    }

    /** The Viterbi path over the expanded chain ({@link SemiMarkovStep#viterbi}), reported as states, with log p(s*, o). */
    @Override
    public DecodedPath viterbi(Sequence s) {
        int n = s.length();
        double[] delta = new double[m];
        double[] nextDelta = new double[m];
        int[] back = new int[n * m];
        for (int t = 0; t < n; t++) {
            step.viterbi(s, t, delta, nextDelta, back, t * m);
            double[] swap = delta;
            delta = nextDelta;
            nextDelta = swap;
        }
        int best = step.bestLast(s.id(), delta);
        int[] path = new int[n];
        int slot = best;
        for (int t = n - 1; t >= 0; t--) {
            path[t] = model.owner[slot];
            if (t > 0) {
                slot = back[t * m + slot];
            }
        }
        return new DecodedPath(path, delta[best]);
    }
}
