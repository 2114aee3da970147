package org.statespace.hmm;

import java.util.Arrays;

/**
 * One step of the scaled forward recursion in three parts, shared by the streaming filters of
 * {@link HiddenMarkovModel} and {@link InputOutputHmm} and by {@link ForwardBackward} (as dynamax's filters share
 * {@code _condition_on} and {@code _predict}), so every path computes the same numbers in the same order:
 * <pre>
 *   scale:      b̃(k) = exp(log b_k(o_t) - m_t),   m_t = max_k log b_k(o_t)
 *   condition:  c_t = Σ_k h_t(k) b̃(k),   α̂_t = h_t ⊙ b̃ / c_t
 *   predict:    h_{t+1}(j) = Σ_i α̂_t(i) A_ij
 * </pre>
 * Vectors are K entries of an array from an offset; A is K×K row-major from an offset. Nothing allocates.
 */
final class ForwardStep {
    private ForwardStep() {
    }

    /**
     * Scales K log-densities in place to b̃ = exp(log b - max) and returns the max; when every entry is -inf (or
     * NaN) the entries become 0 and -inf is returned.
     */
    static double scale(double[] densities, int offset, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = offset; j < offset + k; j++) {
            if (densities[j] > max) {
                max = densities[j];
            }
        }
        if (max == Double.NEGATIVE_INFINITY) {
            Arrays.fill(densities, offset, offset + k, 0);
            return max;
        }
        for (int j = offset; j < offset + k; j++) {
            densities[j] = Math.exp(densities[j] - max);
        }
        return max;
    }

    /**
     * α̂ = h ⊙ b̃ / c into {@code out} and returns c = Σ h ⊙ b̃; when c is not positive (the observation is
     * impossible given the past) {@code out} holds h ⊙ b̃ unnormalised and the caller decides.
     */
    static double condition(double[] predicted, int predictedOffset, double[] densities, int densitiesOffset, int k,
            double[] out, int outOffset) {
        double c = 0;
        for (int j = 0; j < k; j++) {
            double x = predicted[predictedOffset + j] * densities[densitiesOffset + j];
            out[outOffset + j] = x;
            c += x;
        }
        if (c > 0) {
            double inv = 1 / c;
            for (int j = 0; j < k; j++) {
                out[outOffset + j] *= inv;
            }
        }
        return c;
    }

    /**
     * The transition step h(j) = Σ_i belief(i) A_ij for a belief row vector (K, at {@code beliefOffset}) and A
     * (K×K row-major at {@code aOffset}) into {@code out} (at {@code outOffset}): rows of A added four at a
     * time into h, each entry summed over i in order (so the bits of one row at a time), a block of four
     * zero beliefs skipped. Not renormalised: the belief is conditioned (normalised), so rounding
     * cannot accumulate beyond one step.
     */
    static void predict(double[] belief, int beliefOffset, double[] a, int aOffset, int k, double[] out, int outOffset) {
        Arrays.fill(out, outOffset, outOffset + k, 0);
        int i = 0;
        for (; i + 3 < k; i += 4) {
            double b0 = belief[beliefOffset + i];
            double b1 = belief[beliefOffset + i + 1];
            double b2 = belief[beliefOffset + i + 2];
            double b3 = belief[beliefOffset + i + 3];
            if (b0 == 0 && b1 == 0 && b2 == 0 && b3 == 0) {
                continue;
            }
            int r0 = aOffset + i * k;
            int r1 = r0 + k;
            int r2 = r1 + k;
            int r3 = r2 + k;
            for (int j = 0; j < k; j++) {
                out[outOffset + j] = out[outOffset + j] + b0 * a[r0 + j] + b1 * a[r1 + j] + b2 * a[r2 + j] + b3 * a[r3 + j];
            }
        }
        for (; i < k; i++) {
            double bi = belief[beliefOffset + i];
            if (bi == 0) {
                continue;
            }
            int r = aOffset + i * k;
            for (int j = 0; j < k; j++) {
                out[outOffset + j] += bi * a[r + j];
            }
        }
    }
}
