package org.statespace.rnn;

/**
 * Everything a network computed over one input sequence (from {@link RnnModel#forward}): per layer and
 * step its state and the hidden output its consumers read, LSTM cells, and the head's raw outputs.
 * Arrays are T × H (T × rows for the head), copies.
 */
public final class ForwardPass {
    private final RnnArchitecture architecture;
    private final int length;
    private final double[][][] states;
    private final double[][][] hidden;
    private final double[][][] cells;
    private final double[][] output;

    ForwardPass(RnnArchitecture architecture, int length, double[][][] states, double[][][] hidden, double[][][] cells,
            double[][] output) {
        this.architecture = architecture;
        this.length = length;
        this.states = states;
        this.hidden = hidden;
        this.cells = cells;
        this.output = output;
    }

    /** T. */
    public int length() {
        return length;
    }

    /**
     * What layer l carries from step to step, T × H: h_t for form (i), LSTM and GRU; the pre-activation
     * a_t for forms (ii) and (ii-literal).
     */
    public double[][] state(int layer) {
        return copy(states[layer]);
    }

    /**
     * The layer's hidden output, T × H: h_t, or σ(a_t) for forms (ii) and (ii-literal) (in the literal form
     * what its recurrence and the head read; the layer above reads {@link #state} a_t).
     */
    public double[][] hidden(int layer) {
        return copy(hidden[layer]);
    }

    /** The cells c_t of an LSTM layer, T × H. */
    public double[][] cell(int layer) {
        if (cells[layer] == null) {
            throw new IllegalArgumentException("layer " + layer + " is " + architecture.layer(layer).cell().jsonName()
                    + ", only LSTM layers have cells");
        }
        return copy(cells[layer]);
    }

    /** h_{T-1} of layer l (PyTorch's h_n[l]; σ(a_{T-1}) for form (ii)). */
    public double[] finalHidden(int layer) {
        return hidden[layer][length - 1].clone();
    }

    /** c_{T-1} of an LSTM layer (PyTorch's c_n[l]). */
    public double[] finalCell(int layer) {
        return cell(layer)[length - 1];
    }

    /** The head's outputs b + W h_t^{top}, T × rows: means (and log-variances), or the logits of a softmax. */
    public double[][] output() {
        return copy(output);
    }

    private static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }
}
