package org.statespace.nonlinear;

import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.data.Sequence;
import org.statespace.spec.Json;
import org.statespace.spec.SpecNode;
import org.statespace.spec.Suggestions;

/**
 * A multilayer perceptron as the f or h of a non-linear model: with a_0 = (x, u_t) (the state, then the step's
 * inputs when the first layer has more columns than the state has components),
 *
 * <pre>
 *   z_l = W_l a_{l-1} + b_l,   a_l = σ(z_l)  (l = 1..L-1),   g(x, u_t) = W_L a_{L-1} + b_L
 * </pre>
 *
 * σ is {@code tanh}, {@code relu}, {@code sigmoid} or {@code identity}, applied on the hidden layers only (the
 * last layer is affine). W_l is r_l×r_{l-1}, b_l r_l. Its exact Jacobian with respect to x is the chain rule,
 * accumulated forwards: J_1 = W_1[:, 0..n-1], J_l = W_l diag(σ'(z_{l-1})) J_{l-1}. Spec (under {@code
 * "transition"} or {@code "observation"}):
 *
 * <pre>{@code
 * {"type": "mlp", "activation": "tanh",
 *  "layers": [{"weight": [[0.5, 0.1], [0.2, -0.3]], "bias": [0, 0.1]}, {"weight": [[1.0, 0.5]], "bias": [0]}]}
 * }</pre>
 *
 * Immutable; equal when every number is.
 */
final class Mlp implements DifferentiableFunction {
    static final String TYPE = "mlp";
    static final List<String> ACTIVATIONS = List.of("tanh", "relu", "sigmoid", "identity");

    private final int n;
    private final String activation;
    private final double[][] weights;   // per layer, row-major rows×cols
    private final double[][] biases;
    private final int[] rows;
    private final int[] cols;
    private final ThreadLocal<double[][]> work;

    Mlp(int stateDimension, String activation, double[][][] layerWeights, double[][] layerBiases) {
        this.n = stateDimension;
        this.activation = activation;
        int layers = layerWeights.length;
        weights = new double[layers][];
        biases = new double[layers][];
        rows = new int[layers];
        cols = new int[layers];
        int widest = 0;
        for (int l = 0; l < layers; l++) {
            rows[l] = layerWeights[l].length;
            cols[l] = layerWeights[l][0].length;
            weights[l] = new double[rows[l] * cols[l]];
            for (int i = 0; i < rows[l]; i++) {
                System.arraycopy(layerWeights[l][i], 0, weights[l], i * cols[l], cols[l]);
            }
            biases[l] = layerBiases[l].clone();
            widest = Math.max(widest, Math.max(rows[l], cols[l]));
        }
        int w = widest;
        work = ThreadLocal.withInitial(() -> new double[][] {new double[w], new double[w], new double[w * n],
            new double[w * n], new double[w]});
    }

    /** p, the number of inputs u_t the first layer reads after the state. */
    int inputCount() {
        return cols[0] - n;
    }

    @Override
    public int inputDimension() {
        return n;
    }

    @Override
    public int outputDimension() {
        return rows[rows.length - 1];
    }

    private double sigma(double z) {
        return switch (activation) {
            case "tanh" -> Math.tanh(z);
            case "relu" -> z > 0 ? z : 0;
            case "sigmoid" -> 1 / (1 + Math.exp(-z));
            default -> z;
        };
    }

    // σ'(z)
    private double slope(double z) {
        return switch (activation) {
            case "tanh" -> {
                double t = Math.tanh(z);
                yield 1 - t * t;
            }
            case "relu" -> z > 0 ? 1 : 0;
            case "sigmoid" -> {
                double s = 1 / (1 + Math.exp(-z));
                yield s * (1 - s);
            }
            default -> 1;
        };
    }

    @Override
    public void value(double[] x, Sequence inputs, int t, double[] out) {
        evaluate(x, inputs, t, out, null);
    }

    @Override
    public void jacobian(double[] x, Sequence inputs, int t, double[] value, double[] jacobian) {
        evaluate(x, inputs, t, value, jacobian);
    }

    private void evaluate(double[] x, Sequence inputs, int t, double[] out, double[] jacobian) {
        double[][] w = work.get();
        double[] a = w[0];
        double[] z = w[1];
        double[] j = w[2];
        double[] next = w[3];
        System.arraycopy(x, 0, a, 0, n);
        int p = inputCount();
        if (p > 0) {
            double[] u = w[4];
            inputs.copyInput(t, u, 0);
            System.arraycopy(u, 0, a, n, p);
        }
        int layers = weights.length;
        for (int l = 0; l < layers; l++) {
            int r = rows[l];
            int c = cols[l];
            double[] wl = weights[l];
            for (int i = 0; i < r; i++) {
                double s = biases[l][i];
                for (int k = 0; k < c; k++) {
                    s += wl[i * c + k] * a[k];
                }
                z[i] = s;
            }
            if (jacobian != null) {
                // next = W_l J (J = ∂a_{l-1}/∂x, c×n; the state columns of W_1 at the first layer)
                for (int i = 0; i < r; i++) {
                    for (int q = 0; q < n; q++) {
                        double s = 0;
                        if (l == 0) {
                            s = wl[i * c + q];
                        } else {
                            for (int k = 0; k < c; k++) {
                                s += wl[i * c + k] * j[k * n + q];
                            }
                        }
                        next[i * n + q] = s;
                    }
                }
            }
            boolean last = l == layers - 1;
            for (int i = 0; i < r; i++) {
                if (jacobian != null && !last) {
                    double d = slope(z[i]);
                    for (int q = 0; q < n; q++) {
                        j[i * n + q] = d * next[i * n + q];
                    }
                }
                a[i] = last ? z[i] : sigma(z[i]);
            }
        }
        int m = rows[layers - 1];
        System.arraycopy(a, 0, out, 0, m);
        if (jacobian != null) {
            System.arraycopy(next, 0, jacobian, 0, m * n);
        }
    }

    /** The spec object. */
    ObjectNode toSpec() {
        ObjectNode o = Json.object();
        o.put("type", TYPE);
        o.put("activation", activation);
        ArrayNode layers = o.putArray("layers");
        for (int l = 0; l < weights.length; l++) {
            ObjectNode layer = layers.addObject();
            layer.set("weight", Json.matrix(weights[l], rows[l], cols[l]));
            layer.set("bias", Json.vector(biases[l]));
        }
        return o;
    }

    /**
     * Reads an MLP spec at {@code node} for a state of dimension n (when known, else -1: the first layer's
     * columns minus {@code inputs}) whose output must have {@code outputs} components (-1: any).
     *
     * @throws org.statespace.SpecException naming the JSON path of a wrong shape or value
     */
    static Mlp read(SpecNode node, int n, int outputs) {
        node.requireObject("type", "activation", "layers");
        SpecNode typeNode = node.field("type");
        String type = typeNode.asText();
        if (!type.equals(TYPE)) {
            throw typeNode.error("no neural function type \"" + type + "\"; " + Suggestions.didYouMean(type, List.of(TYPE))
                    + "the type is \"" + TYPE + "\"");
        }
        String activation = "tanh";
        if (node.has("activation")) {
            SpecNode a = node.field("activation");
            activation = a.asText();
            if (!ACTIVATIONS.contains(activation)) {
                throw a.error("no activation \"" + activation + "\"; " + Suggestions.didYouMean(activation, ACTIVATIONS)
                        + "the activations are " + String.join(", ", ACTIVATIONS));
            }
        }
        List<SpecNode> layers = node.field("layers").elements();
        if (layers.isEmpty()) {
            throw node.field("layers").error("needs at least one layer");
        }
        double[][][] w = new double[layers.size()][][];
        double[][] b = new double[layers.size()][];
        int previous = -1;
        for (int l = 0; l < layers.size(); l++) {
            SpecNode layer = layers.get(l);
            layer.requireObject("weight", "bias");
            SpecNode weightNode = layer.field("weight");
            w[l] = weightNode.asMatrix();
            int r = w[l].length;
            int c = w[l][0].length;
            if (l > 0 && c != previous) {
                throw weightNode.error("has " + c + " columns; the layer before has " + previous + " outputs");
            }
            if (l == 0 && n > 0 && c < n) {
                throw weightNode.error("has " + c + " columns; the state has " + n + " components (the first layer reads the "
                        + "state, then any inputs)");
            }
            if (l == layers.size() - 1 && outputs > 0 && r != outputs) {
                throw weightNode.error("has " + r + " rows; the last layer must give " + outputs + " outputs");
            }
            b[l] = layer.field("bias").asVector(r);
            for (double[] row : w[l]) {
                for (double v : row) {
                    if (!Double.isFinite(v)) {
                        throw weightNode.error("holds " + v);
                    }
                }
            }
            for (double v : b[l]) {
                if (!Double.isFinite(v)) {
                    throw layer.field("bias").error("holds " + v);
                }
            }
            previous = r;
        }
        return new Mlp(n > 0 ? n : w[w.length - 1].length, activation, w, b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mlp other && n == other.n && activation.equals(other.activation)
                && Arrays.deepEquals(weights, other.weights) && Arrays.deepEquals(biases, other.biases);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(weights);
    }
}
