package org.statespace.rnn;

import java.util.List;

/**
 * One step of a single recurrent cell (vanilla tanh/relu/sigmoid, LSTM, GRU; PyTorch's equations, layout and
 * block names {@code weight_ih_l0}, {@code weight_hh_l0}, {@code bias_ih_l0}, {@code bias_hh_l0}) as a function
 * of its state s = h (an LSTM's s = (h, c), 2H numbers) and an input u (p numbers), with its exact Jacobian
 * ∂s'/∂s. Both come from the network's own kernels, not a copy of the cell: the value is {@link Network#forward}
 * over a one-layer network, the Jacobian one reverse sweep of {@link Network#backward} (backpropagation through
 * one step) over a batch of S = |s| identical rows, row r seeded with the unit vector of output r, so row r of
 * the gradient reaching step -1 is row r of the Jacobian. This is how a non-linear state-space model takes a cell
 * as its transition f (package {@code nonlinear}). Immutable and thread-safe (the tape is per thread).
 */
public final class CellStep {
    private final Cell cell;
    private final int hidden;
    private final int inputs;
    private final Network network;
    private final Weights weights;
    private final double[] parameters;
    private final ThreadLocal<Tape> tapes;
    private final ThreadLocal<Weights.Gradient> gradients;

    private CellStep(Cell cell, int hidden, int inputs, double[] parameters) {
        this.cell = cell;
        this.hidden = hidden;
        this.inputs = inputs;
        // without inputs the network still reads one (zero) input through a zero column
        RnnArchitecture a = RnnArchitecture.stack(Math.max(1, inputs), List.of(Layer.of(cell, hidden)),
                Head.of(Head.Type.LINEAR, 1));
        this.network = new Network(a);
        double[] flat = new double[a.parameterCount()];
        System.arraycopy(parameters, 0, flat, 0, parameters.length);
        this.parameters = flat;
        this.weights = new Weights(network).load(flat);
        int rows = stateSize();
        tapes = ThreadLocal.withInitial(() -> new Tape(network, rows, network.maxDelay + 1, true));
        gradients = ThreadLocal.withInitial(() -> new Weights.Gradient(network));
    }

    /**
     * A cell from its four blocks in PyTorch's layout: weight_ih (G·H × p; may be null when p = 0), weight_hh
     * (G·H × H), bias_ih and bias_hh (G·H), G the cell's gates (1, LSTM 4, GRU 3).
     *
     * @throws IllegalArgumentException for a hybrid cell or a block of another shape
     */
    public static CellStep of(Cell cell, int hiddenSize, int inputSize, double[][] weightIh, double[][] weightHh,
            double[] biasIh, double[] biasHh) {
        if (cell.isHybrid()) {
            throw new IllegalArgumentException("a " + cell.jsonName() + " cell has no single-step form here");
        }
        int width = cell.gates() * hiddenSize;
        int cols = Math.max(1, inputSize);
        double[] flat = new double[width * cols + width * hiddenSize + 2 * width];
        int at = 0;
        for (int r = 0; r < width; r++) {
            for (int c = 0; c < cols; c++) {
                flat[at++] = inputSize == 0 ? 0 : weightIh[r][c];
            }
        }
        for (int r = 0; r < width; r++) {
            System.arraycopy(weightHh[r], 0, flat, at, hiddenSize);
            at += hiddenSize;
        }
        System.arraycopy(biasIh, 0, flat, at, width);
        at += width;
        System.arraycopy(biasHh, 0, flat, at, width);
        return new CellStep(cell, hiddenSize, inputSize, flat);
    }

    /** The cell. */
    public Cell cell() {
        return cell;
    }

    /** H. */
    public int hiddenSize() {
        return hidden;
    }

    /** p, the inputs u it reads. */
    public int inputSize() {
        return inputs;
    }

    /** S, the length of the state: H, or 2H for an LSTM (h, then c). */
    public int stateSize() {
        return cell == Cell.LSTM ? 2 * hidden : hidden;
    }

    /**
     * s' = cell(s, u) into {@code out} (S), and with {@code jacobian} non-null ∂s'/∂s (S×S, row-major) into it.
     *
     * @param input u (p numbers; ignored when p = 0)
     */
    public void step(double[] state, double[] input, double[] out, double[] jacobian) {
        Tape tape = tapes.get();
        int s = stateSize();
        int rows = jacobian == null ? 1 : s;
        double[][] h0 = {java.util.Arrays.copyOf(state, hidden)};
        double[][] c0 = cell == Cell.LSTM ? new double[][] {java.util.Arrays.copyOfRange(state, hidden, 2 * hidden)} : null;
        tape.reset(rows, h0, c0);
        int slot = tape.slot(0);
        for (int r = 0; r < rows; r++) {
            java.util.Arrays.fill(tape.x[slot][r], 0);
            if (inputs > 0) {
                System.arraycopy(input, 0, tape.x[slot][r], 0, inputs);
            }
        }
        network.forward(weights, tape, 0, rows);
        System.arraycopy(tape.value[0][slot][0], 0, out, 0, hidden);
        if (cell == Cell.LSTM) {
            System.arraycopy(tape.cell[0][slot][0], 0, out, hidden, hidden);
        }
        if (jacobian == null) {
            return;
        }
        int now = tape.gradientSlot(0);
        for (int r = 0; r < s; r++) {
            if (r < hidden) {
                tape.dValue[0][now][r][r] = 1;
            } else {
                tape.dCell[0][now][r][r - hidden] = 1;
            }
        }
        // only the state gradient is read: the weight-gradient products it holds are dropped by the next reset
        network.backward(weights, tape, 0, rows, -1, gradients.get());
        int before = tape.gradientSlot(-1);
        for (int r = 0; r < s; r++) {
            System.arraycopy(tape.dValue[0][before][r], 0, jacobian, r * s, hidden);
            if (cell == Cell.LSTM) {
                System.arraycopy(tape.dCell[0][before][r], 0, jacobian, r * s + hidden, hidden);
            }
        }
    }

    /** The flat parameter vector (blocks in the order weight_ih, weight_hh, bias_ih, bias_hh), a copy. */
    public double[] parameters() {
        return parameters.clone();
    }
}
