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
}
