package org.statespace.rnn;

/**
 * The states of every layer before step 0, for {@link RnnModel#forward}: per layer its state (h for
 * form (i), LSTM and GRU; the pre-activation a for form (ii)), and for LSTM layers the cell. {@code null}
 * entries (or a {@code null} array) mean zeros, the default of PyTorch and of the engine. A connection
 * with delay k reads the initial state at every step t &lt; k.
 *
 * @param states per layer, H_l values or {@code null}
 * @param cells  per layer, H_l values for LSTM layers or {@code null}
 */
public record InitialStates(double[][] states, double[][] cells) {

    /** All zeros. */
    public static InitialStates zeros() {
        return new InitialStates(null, null);
    }

    /** Checks the shapes against an architecture. */
    void check(RnnArchitecture a) {
        check(a, states, "states");
        check(a, cells, "cells");
        if (cells != null) {
            for (int l = 0; l < cells.length; l++) {
                if (cells[l] != null && a.layer(l).cell() != Cell.LSTM) {
                    throw new IllegalArgumentException("initial cells[" + l + "]: layer " + l + " is "
                            + a.layer(l).cell().jsonName() + ", only LSTM layers have cells");
                }
            }
        }
    }

    private static void check(RnnArchitecture a, double[][] v, String what) {
        if (v == null) {
            return;
        }
        if (v.length != a.layerCount()) {
            throw new IllegalArgumentException("initial " + what + ": expected one entry per layer (" + a.layerCount()
                    + "), got " + v.length);
        }
        for (int l = 0; l < v.length; l++) {
            if (v[l] != null && v[l].length != a.layer(l).hiddenSize()) {
                throw new IllegalArgumentException("initial " + what + "[" + l + "]: expected " + a.layer(l).hiddenSize()
                        + " values, got " + v[l].length);
            }
        }
    }
}
