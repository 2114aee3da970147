package org.statespace.rnn;

import java.util.Arrays;

import org.statespace.DataException;
import org.statespace.data.Sequence;

/**
 * Builds the network input x_t = [enc(o_{t-1}); u_t] from a sequence: one-hot over the M symbols of a
 * softmax head (zeros when o_{t-1} is missing), or the d components of a real observation (a missing
 * component gives 0); zeros at t = 0; then the p exogenous inputs of step t.
 */
final class Inputs {
    private Inputs() {
    }

    /** Throws a {@link DataException} when a sequence does not fit the architecture. */
    static void check(RnnArchitecture a, Sequence s) {
        int d = a.observationSpace().dimension();
        if (s.dimension() != d) {
            throw new DataException("sequence '" + s.id() + "' has " + s.dimension() + "-dimensional observations, the network "
                    + (a.head().symbolic() ? "emits symbols" : "emits " + d + "-dimensional ones"));
        }
        int p = a.observationSpace().inputDimension();
        if (p > 0 && s.inputDimension() != p) {
            throw new DataException("sequence '" + s.id() + "' has " + s.inputDimension() + " inputs per step, the network takes "
                    + p + " (inputSize " + a.inputSize() + " = " + a.head().outputSize() + " for the previous observation + "
                    + p + ")");
        }
    }

    /** Writes x_t of sequence {@code s} into {@code x[off .. off + inputSize)}. */
    static void encode(RnnArchitecture a, Sequence s, int t, double[] x, int off) {
        int obs = a.head().outputSize();
        Arrays.fill(x, off, off + obs, 0);
        if (t > 0) {
            if (a.head().symbolic()) {
                int k = s.symbol(t - 1);
                if (k >= obs) {
                    throw new DataException("sequence '" + s.id() + "', step " + (t - 1) + ": symbol " + k
                            + " outside the network's symbols 0.." + (obs - 1));
                }
                if (k >= 0) {
                    x[off + k] = 1;
                }
            } else {
                for (int j = 0; j < obs; j++) {
                    double v = s.value(t - 1, j);
                    x[off + j] = Double.isNaN(v) ? 0 : v;
                }
            }
        }
        int p = a.inputSize() - obs;
        for (int j = 0; j < p; j++) {
            x[off + obs + j] = s.input(t, j);
        }
    }

    /**
     * Writes o_{t-1} as a hybrid cell reads it into {@code out}: a symbol index in out[0] or the d values,
     * NaN where missing (everything NaN at t = 0).
     */
    static void previousObservation(RnnArchitecture a, Sequence s, int t, double[] out) {
        observation(a, s, t - 1, out);
    }

    /** Writes o_t as {@link #previousObservation} does (t &lt; 0: all missing). */
    static void observation(RnnArchitecture a, Sequence s, int t, double[] out) {
        if (a.head().symbolic()) {
            int k = t < 0 ? -1 : s.symbol(t);
            if (k >= a.head().outputSize()) {
                throw new DataException("sequence '" + s.id() + "', step " + t + ": symbol " + k
                        + " outside the network's symbols 0.." + (a.head().outputSize() - 1));
            }
            out[0] = k < 0 ? Double.NaN : k;
            return;
        }
        int d = a.head().outputSize();
        for (int j = 0; j < d; j++) {
            out[j] = t < 0 ? Double.NaN : s.value(t, j);
        }
    }

    /**
     * o_{t-1} decoded from a raw input row x_t (for {@link RnnModel#forward}): the symbol of a one-hot block
     * (NaN when all zeros), or the d values; all NaN at t = 0.
     */
    static void observationFromInput(RnnArchitecture a, double[] x, int t, double[] out) {
        int m = a.head().outputSize();
        if (a.head().symbolic()) {
            out[0] = Double.NaN;
            if (t > 0) {
                for (int j = 0; j < m; j++) {
                    if (x[j] != 0) {
                        out[0] = j;
                        break;
                    }
                }
            }
            return;
        }
        for (int j = 0; j < m; j++) {
            out[j] = t == 0 ? Double.NaN : x[j];
        }
    }
}
