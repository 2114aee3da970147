package org.statespace.hmm;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * One step of the scaled forward recursion in three parts, shared by the streaming filters of
 * {@link HiddenMarkovModel} and {@link InputOutputHmm} and by {@link ForwardBackward} (as dynamax's filters share
 * {@code _condition_on} and {@code _predict}), so every path computes the same numbers in the same order:
 * <pre>
 *   scale:      b̃(k) = exp(log b_k(o_t) - m_t),   m_t = max_k log b_k(o_t)
 *   condition:  c_t = Σ_k h_t(k) b̃(k),   α̂_t = h_t ⊙ b̃ / c_t
 *   predict:    h_{t+1}(j) = Σ_i α̂_t(i) A_ij
 * </pre>
 * Vectors are K entries of an array from an offset. The matrix of {@link #predict} is given by its rows, one
 * array each ({@link #rows}): C2 (JDK 17) vectorises a loop over a row only when the row starts at index 0 of
 * its array (a load at an offset passed in kept the K = 50 product scalar, about 4x slower). Nothing allocates.
 */
final class ForwardStep {
    private ForwardStep() {
    }

    /**
     * Scales K log-densities in place to b̃ = exp(log b - max) and returns the max; when every entry is -inf (or
     * NaN) the entries become 0 and -inf is returned. The (first) largest entry is set to 1 = exp(0) without
     * calling exp, so K - 1 exponentials per step, the same numbers.
     */
    static double scale(double[] densities, int offset, int k) {
        double max = Double.NEGATIVE_INFINITY;
        int arg = -1;
        for (int j = offset; j < offset + k; j++) {
            if (densities[j] > max) {
                max = densities[j];
                arg = j;
            }
        }
        if (max == Double.NEGATIVE_INFINITY) {
            Arrays.fill(densities, offset, offset + k, 0);
            return max;
        }
        for (int j = offset; j < offset + k; j++) {
            densities[j] = j == arg ? 1 : Math.exp(densities[j] - max);
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
     * The vector-matrix product h(j) = Σ_i belief(i) M_ij for a belief row vector (K, at {@code beliefOffset})
     * and M given by its K rows into {@code out[0..K)}: rows of M added four at a time into h, each entry summed
     * over i in order (so the bits of one row at a time), a block of four zero beliefs skipped, the last K mod 4
     * rows in one pass. With M = A it is the transition step (not renormalised: the belief is conditioned, so
     * rounding cannot accumulate beyond one step); with M = Aᵀ ({@link #columns}) it is the backward step
     * out(i) = Σ_j A_ij v(j), summed over j in order. {@code out} must not alias the belief; it is written from
     * index 0, as the rows are read: with an output offset the K = 50 product ran 2-3x slower (not vectorised).
     */
    static void predict(double[] belief, int beliefOffset, double[][] m, int k, double[] out) {
        Arrays.fill(out, 0, k, 0);
        int i = 0;
        for (; i + 3 < k; i += 4) {
            double b0 = belief[beliefOffset + i];
            double b1 = belief[beliefOffset + i + 1];
            double b2 = belief[beliefOffset + i + 2];
            double b3 = belief[beliefOffset + i + 3];
            if (b0 == 0 && b1 == 0 && b2 == 0 && b3 == 0) {
                continue;
            }
            double[] r0 = m[i];
            double[] r1 = m[i + 1];
            double[] r2 = m[i + 2];
            double[] r3 = m[i + 3];
            for (int j = 0; j < k; j++) {
                out[j] = out[j] + b0 * r0[j] + b1 * r1[j] + b2 * r2[j] + b3 * r3[j];
            }
        }
        // the last k mod 4 rows in one pass over h as well (a zero belief adds +0, which changes no bit of a sum of
        // non-negative terms): at K = 2 one loop instead of two nested ones
        int rest = k - i;
        if (rest == 1) {
            double b0 = belief[beliefOffset + i];
            double[] r0 = m[i];
            for (int j = 0; j < k; j++) {
                out[j] = out[j] + b0 * r0[j];
            }
        } else if (rest == 2) {
            double b0 = belief[beliefOffset + i];
            double b1 = belief[beliefOffset + i + 1];
            double[] r0 = m[i];
            double[] r1 = m[i + 1];
            for (int j = 0; j < k; j++) {
                out[j] = out[j] + b0 * r0[j] + b1 * r1[j];
            }
        } else if (rest == 3) {
            double b0 = belief[beliefOffset + i];
            double b1 = belief[beliefOffset + i + 1];
            double b2 = belief[beliefOffset + i + 2];
            double[] r0 = m[i];
            double[] r1 = m[i + 1];
            double[] r2 = m[i + 2];
            for (int j = 0; j < k; j++) {
                out[j] = out[j] + b0 * r0[j] + b1 * r1[j] + b2 * r2[j];
            }
        }
    }

    /** The rows of a K×K row-major matrix (at {@code offset}) copied into {@code out} (K arrays of K), returned. */
    static double[][] rows(double[] matrix, int offset, int k, double[][] out) {
        for (int i = 0; i < k; i++) {
            System.arraycopy(matrix, offset + i * k, out[i], 0, k);
        }
        return out;
    }

    /** The columns of a K×K row-major matrix (at {@code offset}) as rows: out[j][i] = M_ij; returned. */
    static double[][] columns(double[] matrix, int offset, int k, double[][] out) {
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                out[j][i] = matrix[offset + i * k + j];
            }
        }
        return out;
    }

    /**
     * One step of backward sampling (forward-filter backward-sample), the kernel of {@link ForwardBackward#samplePath}
     * and of the spilled sampler ({@link SpilledForwardBackward#samplePosterior}): s_t ~ α̂_t(i) A_{i, s_{t+1}}, with
     * α̂_t at {@code filtered[filteredOffset ..]} and the A into step t+1 (K×K, row-major) at
     * {@code transition[transitionOffset ..]}; {@code weights} (K) is scratch. One {@code random.nextDouble()}.
     */
    static int sampleBack(double[] filtered, int filteredOffset, double[] transition, int transitionOffset, int k,
            int next, double[] weights, RandomGenerator random) {
        for (int i = 0; i < k; i++) {
            weights[i] = filtered[filteredOffset + i] * transition[transitionOffset + i * k + next];
        }
        return draw(weights, 0, k, random);
    }

    /**
     * An index drawn from K non-negative weights {@code w[offset ..]} by inversion (one {@code random.nextDouble()});
     * should rounding leave u past the total, the last index of positive weight.
     */
    static int draw(double[] w, int offset, int k, RandomGenerator random) {
        double total = 0;
        for (int i = 0; i < k; i++) {
            total += w[offset + i];
        }
        double u = random.nextDouble() * total;
        double c = 0;
        int lastPositive = 0;
        for (int i = 0; i < k; i++) {
            double x = w[offset + i];
            if (x > 0) {
                lastPositive = i;
            }
            c += x;
            if (u < c) {
                return i;
            }
        }
        return lastPositive;
    }
}
