package org.statespace.rnn;

import java.util.Arrays;

/**
 * The states of every layer before step 0: per layer its state (h_0 for form (i), LSTM and GRU; the
 * pre-activation a_0 for forms (ii) and (ii-literal), which its recurrence reads as σ(a_0)), and for LSTM
 * layers the cell. {@code null} entries (or a {@code null} array) mean zeros, the default of PyTorch and of
 * the engine. A connection with delay k reads the initial state at every step t &lt; k. A model carries
 * its initial states ({@link RnnModel#initialStates}, the spec's per-layer {@code initialState} and
 * {@code initialCell}); {@link RnnModel#forward} takes others. They are constants, not trained.
 *
 * <p>Forms (i) and (ii) start alike when h_0 = σ(a_0), so an h_0 outside σ's range (sigmoid: (0, 1),
 * tanh: (-1, 1), relu: [0, ∞)) has no form-(ii) counterpart: a zero h_0 of a sigmoid layer, for example.
 *
 * @param states per layer, H_l values or {@code null}
 * @param cells  per layer, H_l values for LSTM layers or {@code null}
 */
public record InitialStates(double[][] states, double[][] cells) {

    /** All zeros. */
    public static InitialStates zeros() {
        return new InitialStates(null, null);
    }

    /** Whether every state and cell is zero (given or left out). */
    public boolean isZero() {
        return allZero(states) && allZero(cells);
    }

    private static boolean allZero(double[][] v) {
        if (v != null) {
            for (double[] row : v) {
                if (row != null) {
                    for (double x : row) {
                        if (x != 0) {
                            return false;
                        }
                    }
                }
            }
        }
        return true;
    }

    /** The state of layer l ({@code null}: zeros). */
    public double[] state(int layer) {
        return states == null || states[layer] == null ? null : states[layer].clone();
    }

    /** The cell of layer l ({@code null}: zeros or not an LSTM layer). */
    public double[] cell(int layer) {
        return cells == null || cells[layer] == null ? null : cells[layer].clone();
    }

    /** A deep copy, so a model's initial states cannot change under it. */
    InitialStates copy() {
        return new InitialStates(copy(states), copy(cells));
    }

    private static double[][] copy(double[][] v) {
        if (v == null) {
            return null;
        }
        double[][] c = new double[v.length][];
        for (int i = 0; i < v.length; i++) {
            c[i] = v[i] == null ? null : v[i].clone();
        }
        return c;
    }

    /** Checks the shapes against an architecture, and that every value is finite. */
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
            if (v[l] != null && a.layer(l).cell().isHybrid()) {
                throw new IllegalArgumentException("initial " + what + "[" + l + "]: layer " + l + " is "
                        + a.layer(l).cell().jsonName() + ", whose initial belief is a weight block (initial_..._l" + l + ")");
            }
            if (v[l] != null && v[l].length != a.layer(l).hiddenSize()) {
                throw new IllegalArgumentException("initial " + what + "[" + l + "]: expected " + a.layer(l).hiddenSize()
                        + " values, got " + v[l].length);
            }
            if (v[l] != null) {
                for (int j = 0; j < v[l].length; j++) {
                    if (!Double.isFinite(v[l][j])) {
                        throw new IllegalArgumentException("initial " + what + "[" + l + "][" + j + "] is " + v[l][j]);
                    }
                }
            }
        }
    }

    /** Equal when every state and cell is equal, a missing one counting as zeros. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof InitialStates other)) {
            return false;
        }
        int n = Math.max(length(states), length(other.states));
        int m = Math.max(length(cells), length(other.cells));
        for (int l = 0; l < n; l++) {
            if (!same(row(states, l), row(other.states, l))) {
                return false;
            }
        }
        for (int l = 0; l < m; l++) {
            if (!same(row(cells, l), row(other.cells, l))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return hash(states) * 31 + hash(cells);
    }

    // consistent with equals: a missing row and a zero row hash alike
    private static int hash(double[][] v) {
        int h = 0;
        if (v != null) {
            for (int l = 0; l < v.length; l++) {
                if (v[l] != null) {
                    for (int j = 0; j < v[l].length; j++) {
                        if (v[l][j] != 0) {
                            h += (l * 131 + j + 1) * Double.hashCode(v[l][j]);
                        }
                    }
                }
            }
        }
        return h;
    }

    @Override
    public String toString() {
        return "InitialStates[states=" + Arrays.deepToString(states) + ", cells=" + Arrays.deepToString(cells) + "]";
    }

    private static int length(double[][] v) {
        return v == null ? 0 : v.length;
    }

    private static double[] row(double[][] v, int l) {
        return v == null || l >= v.length ? null : v[l];
    }

    private static boolean same(double[] a, double[] b) {
        if (a == null || b == null) {
            return allZero(new double[][] {a}) && allZero(new double[][] {b});
        }
        return Arrays.equals(a, b);
    }
}
