package org.statespace.nonlinear;

import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.data.Sequence;
import org.statespace.rnn.Cell;
import org.statespace.rnn.CellStep;
import org.statespace.spec.Json;
import org.statespace.spec.SpecNode;

/**
 * One recurrent cell of the rnn family as the transition f of a non-linear model: the state x_{t-1} is the
 * cell's hidden state (an LSTM's is (h, c), 2H numbers), u_t its input, x_t = cell(x_{t-1}, u_t) + w_t. Value
 * and exact Jacobian come from the rnn package's own kernels ({@link CellStep}: its forward step and one step
 * of backpropagation through time). Spec (under {@code "transition"}), blocks in PyTorch's layout and names:
 *
 * <pre>{@code
 * {"type": "gru", "hiddenSize": 2, "weights": {"weight_ih_l0": [[..]], "weight_hh_l0": [[..]],
 *  "bias_ih_l0": [..], "bias_hh_l0": [..]}}
 * }</pre>
 *
 * {@code "type"} is {@code tanh}, {@code relu}, {@code sigmoid}, {@code lstm} or {@code gru}; without inputs
 * {@code weight_ih_l0} is left out. Immutable; equal when every number is.
 */
final class CellFunction implements DifferentiableFunction {
    static final List<String> TYPES = List.of("tanh", "relu", "sigmoid", "lstm", "gru");
    private static final List<String> BLOCKS = List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0");

    private final CellStep step;
    private final double[][] weightIh;
    private final double[][] weightHh;
    private final double[] biasIh;
    private final double[] biasHh;
    private final ThreadLocal<double[]> input;

    CellFunction(Cell cell, int hidden, int inputs, double[][] weightIh, double[][] weightHh, double[] biasIh,
            double[] biasHh) {
        this.step = CellStep.of(cell, hidden, inputs, weightIh, weightHh, biasIh, biasHh);
        this.weightIh = weightIh;
        this.weightHh = weightHh;
        this.biasIh = biasIh;
        this.biasHh = biasHh;
        input = ThreadLocal.withInitial(() -> new double[Math.max(1, inputs)]);
    }

    int inputCount() {
        return step.inputSize();
    }

    @Override
    public int inputDimension() {
        return step.stateSize();
    }

    @Override
    public int outputDimension() {
        return step.stateSize();
    }

    private double[] u(Sequence inputs, int t) {
        double[] u = input.get();
        if (step.inputSize() > 0) {
            inputs.copyInput(t, u, 0);
        }
        return u;
    }

    @Override
    public void value(double[] x, Sequence inputs, int t, double[] out) {
        step.step(x, u(inputs, t), out, null);
    }

    @Override
    public void jacobian(double[] x, Sequence inputs, int t, double[] value, double[] jacobian) {
        step.step(x, u(inputs, t), value, jacobian);
    }

    ObjectNode toSpec() {
        ObjectNode o = Json.object();
        o.put("type", step.cell().jsonName());
        o.put("hiddenSize", step.hiddenSize());
        ObjectNode w = o.putObject("weights");
        if (step.inputSize() > 0) {
            w.set("weight_ih_l0", Json.matrix(weightIh));
        }
        w.set("weight_hh_l0", Json.matrix(weightHh));
        w.set("bias_ih_l0", Json.vector(biasIh));
        w.set("bias_hh_l0", Json.vector(biasHh));
        return o;
    }

    /** Reads a cell spec at {@code node} (its type one of {@link #TYPES}). */
    static CellFunction read(SpecNode node) {
        node.requireObject("type", "hiddenSize", "weights");
        Cell cell = Cell.fromJson(node.field("type").asText());
        int hidden = node.field("hiddenSize").asInt(1, 100_000);
        int width = cell.gates() * hidden;
        SpecNode w = node.field("weights");
        w.requireObject(BLOCKS.toArray(new String[0]));
        int inputs = 0;
        double[][] ih = null;
        if (w.has("weight_ih_l0")) {
            SpecNode ihNode = w.field("weight_ih_l0");
            ih = ihNode.asMatrix();
            if (ih.length != width) {
                throw ihNode.error("has " + ih.length + " rows; a " + cell.jsonName() + " cell of hiddenSize " + hidden
                        + " needs " + width + " (" + cell.gates() + " gate block(s) of " + hidden + ")");
            }
            inputs = ih[0].length;
            finite(ihNode, ih);
        }
        for (String required : List.of("weight_hh_l0", "bias_ih_l0", "bias_hh_l0")) {
            if (!w.has(required)) {
                throw w.error("needs \"" + required + "\"");
            }
        }
        SpecNode hhNode = w.field("weight_hh_l0");
        double[][] hh = hhNode.asMatrix(width, hidden);
        finite(hhNode, hh);
        double[] bi = w.field("bias_ih_l0").asVector(width);
        double[] bh = w.field("bias_hh_l0").asVector(width);
        finite(w.field("bias_ih_l0"), new double[][] {bi});
        finite(w.field("bias_hh_l0"), new double[][] {bh});
        return new CellFunction(cell, hidden, inputs, ih, hh, bi, bh);
    }

    private static void finite(SpecNode node, double[][] a) {
        for (double[] row : a) {
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    throw node.error("holds " + v);
                }
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CellFunction other && step.cell() == other.step.cell()
                && step.hiddenSize() == other.step.hiddenSize() && step.inputSize() == other.step.inputSize()
                && Arrays.equals(step.parameters(), other.step.parameters());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(step.parameters());
    }
}
