package org.statespace.rnn;

import java.util.Arrays;

/**
 * The workspace of one run of a network over a batch of rows: what the forward pass records at every
 * step (inputs, layer states, gates, cells, head outputs) in ring buffers of {@code slots} steps, and,
 * for training, the gradients flowing back. Step t lives in slot t mod slots; the steps before 0 hold the
 * initial states. Allocated once per run (or grown between batches), never per step.
 */
final class Tape {
    final Network network;
    final int rows;
    final int slots;
    final boolean training;

    final double[] x;          // slots × rows × inputSize
    final double[][] value;    // per layer, slots × rows × H: h (form (i), LSTM, GRU) or a (form (ii))
    final double[][] cell;     // LSTM: slots × rows × H
    final double[][] gates;    // LSTM i,f,g,o / GRU r,z,n after their nonlinearities: slots × rows × G·H
    final double[][] aux;      // LSTM tanh(c) / GRU W_hn h + b_hn: slots × rows × H
    final double[] head;       // slots × rows × R, the head's outputs
    final double[] headGradient;   // training: slots × rows × R, dLoss/d(head outputs)
    final double[][] dValue;   // training: per layer, slots × rows × H
    final double[][] dCell;    // training, LSTM: slots × rows × H

    // scratch, one step
    final double[] act;        // rows × maxH: σ(a) of a form-(ii) source
    final double[] zh;         // rows × maxWidth: the recurrent half of a GRU's pre-activations
    final double[] dz;         // rows × maxWidth
    final double[] dzh;        // rows × maxWidth
    final double[] din;        // rows × maxH

    Tape(Network network, int rows, int slots, boolean training) {
        if (slots < network.maxDelay + 1) {
            throw new IllegalArgumentException("a tape needs at least " + (network.maxDelay + 1) + " slots, got " + slots);
        }
        this.network = network;
        this.rows = rows;
        this.slots = slots;
        this.training = training;
        int layers = network.layers.length;
        x = new double[slots * rows * network.inputSize];
        value = new double[layers][];
        cell = new double[layers][];
        gates = new double[layers][];
        aux = new double[layers][];
        dValue = new double[layers][];
        dCell = new double[layers][];
        int maxH = 1;
        int maxW = 1;
        for (int l = 0; l < layers; l++) {
            Network.LayerPlan p = network.layers[l];
            maxH = Math.max(maxH, p.hidden);
            maxW = Math.max(maxW, p.width);
            value[l] = new double[slots * rows * p.hidden];
            if (p.cell == Cell.LSTM || p.cell == Cell.GRU) {
                gates[l] = new double[slots * rows * p.width];
                aux[l] = new double[slots * rows * p.hidden];
            }
            if (p.cell == Cell.LSTM) {
                cell[l] = new double[slots * rows * p.hidden];
            }
            if (training) {
                dValue[l] = new double[slots * rows * p.hidden];
                if (p.cell == Cell.LSTM) {
                    dCell[l] = new double[slots * rows * p.hidden];
                }
            }
        }
        head = new double[slots * rows * network.headRows];
        headGradient = training ? new double[slots * rows * network.headRows] : null;
        act = new double[rows * maxH];
        din = new double[rows * maxH];
        zh = new double[rows * maxW];
        dz = new double[rows * maxW];
        dzh = new double[rows * maxW];
    }

    /** The slot of step t (t may be negative, down to -maxDelay, for the initial states). */
    int slot(int t) {
        return Math.floorMod(t, slots);
    }

    /**
     * Whether this tape is big enough for {@code needRows} rows and a ring of {@code needSlots} steps (a
     * longer ring works the same), and has gradient buffers if asked.
     */
    boolean fits(int needRows, int needSlots, boolean needTraining) {
        return needRows <= rows && needSlots <= slots && (!needTraining || training);
    }

    /**
     * Sets the steps before 0 of every layer to the initial state: zeros, or per layer the given state
     * (h, or a for form (ii); same for every row) and LSTM cell. Clears the gradient buffers.
     */
    void reset(int activeRows, double[][] initialStates, double[][] initialCells) {
        int maxDelay = network.maxDelay;
        for (int l = 0; l < network.layers.length; l++) {
            int h = network.layers[l].hidden;
            for (int t = -maxDelay; t < 0; t++) {
                int base = slot(t) * rows * h;
                for (int r = 0; r < activeRows; r++) {
                    int o = base + r * h;
                    if (initialStates == null || initialStates[l] == null) {
                        Arrays.fill(value[l], o, o + h, 0);
                    } else {
                        System.arraycopy(initialStates[l], 0, value[l], o, h);
                    }
                    if (cell[l] != null) {
                        if (initialCells == null || initialCells[l] == null) {
                            Arrays.fill(cell[l], o, o + h, 0);
                        } else {
                            System.arraycopy(initialCells[l], 0, cell[l], o, h);
                        }
                    }
                }
            }
        }
        if (training) {
            for (int l = 0; l < network.layers.length; l++) {
                Arrays.fill(dValue[l], 0);
                if (dCell[l] != null) {
                    Arrays.fill(dCell[l], 0);
                }
            }
        }
    }
}
