package org.statespace.rnn;

import java.util.Locale;

/**
 * The cell of one layer, with PyTorch's equations and gate order (see the package documentation).
 * A vanilla cell ({@link #TANH}, {@link #RELU}, {@link #SIGMOID}) has one gate block; {@link #LSTM}
 * four, stacked i, f, g, o; {@link #GRU} three, stacked r, z, n.
 */
public enum Cell {
    /** h = tanh(W x + b), PyTorch {@code nn.RNN(nonlinearity='tanh')}. */
    TANH(1),
    /** h = max(0, W x + b), PyTorch {@code nn.RNN(nonlinearity='relu')}. */
    RELU(1),
    /** h = 1 / (1 + exp(-(W x + b))) (not offered by PyTorch's nn.RNN; same layout). */
    SIGMOID(1),
    /** Long short-term memory, PyTorch {@code nn.LSTM}: gates i, f, g, o. */
    LSTM(4),
    /** Gated recurrent unit, PyTorch {@code nn.GRU}: gates r, z, n. */
    GRU(3),
    /**
     * A hybrid cell: one step of an HMM's forward filter on K states. Its state is the predicted belief
     * p(s_t | o_0..o_{t-1}); its pre-activations are the K×K transition logits (softmax rows), so the layer
     * below and any extra edge drive the transition; it weighs the belief by the emission's likelihood of
     * o_{t-1} (the observation part of x_t) and predicts with the transition (see {@link BeliefEmission}).
     */
    HMM(0),
    /**
     * A hybrid cell: one predict-correct step of a Kalman filter on n states. Its state is the predicted
     * Gaussian belief [mean; covariance] (n + n² numbers); its pre-activations are a drift of the predicted
     * mean (n), so the layer below, the inputs and any extra edge move the state (see {@link KalmanCell}).
     */
    KALMAN(0);

    private final int gates;

    Cell(int gates) {
        this.gates = gates;
    }

    /**
     * G, the number of gate blocks: the weight matrices of a layer have G × hidden rows (0 for the HMM cell,
     * whose K states take K × K rows, see {@link Layer#width}).
     */
    public int gates() {
        return gates;
    }

    /** Whether this is a vanilla cell (one nonlinearity, forms (i) and (ii) apply). */
    public boolean isVanilla() {
        return gates == 1;
    }

    /** Whether this is a hybrid cell (a probabilistic filter step with emission parameters of its own). */
    public boolean isHybrid() {
        return this == HMM || this == KALMAN;
    }

    /** The spec names of every cell, in declaration order. */
    public static String[] jsonNames() {
        Cell[] cells = values();
        String[] names = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            names[i] = cells[i].jsonName();
        }
        return names;
    }

    /** The spec name: tanh, relu, sigmoid, lstm, gru, hmm, kalman. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The cell of a spec name. */
    public static Cell fromJson(String name) {
        for (Cell c : values()) {
            if (c.jsonName().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown cell \"" + name + "\"");
    }
}
