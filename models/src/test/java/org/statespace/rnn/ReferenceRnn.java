package org.statespace.rnn;

import java.util.ArrayList;
import java.util.List;

import org.statespace.data.Sequence;

/**
 * A deliberately plain RNN written straight from the equations of the package documentation, for
 * tests: one sequence, nested loops over named weight matrices, a fresh array for everything, math from
 * {@link Math} only. Independent of the batched kernels it checks.
 */
final class ReferenceRnn {
    private final RnnModel model;
    private final RnnArchitecture a;

    ReferenceRnn(RnnModel model) {
        this.model = model;
        this.a = model.architecture();
    }

    /** states[l][t]: h (or a for form (ii)); cells[l][t] for LSTM; outputs[t]: head rows. */
    record Run(List<double[][]> states, List<double[][]> cells, double[][] outputs) {
    }

    /** The network on raw inputs x[t] from zero initial states. */
    Run run(double[][] x) {
        int length = x.length;
        int layers = a.layerCount();
        List<double[][]> states = new ArrayList<>();
        List<double[][]> cells = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            states.add(new double[length][]);
            cells.add(new double[length][]);
        }
        double[][] outputs = new double[length][];
        for (int t = 0; t < length; t++) {
            for (int l = 0; l < layers; l++) {
                Layer layer = a.layer(l);
                int h = layer.hiddenSize();
                double[] in = l == 0 ? x[t] : output(states, l - 1, t, false);
                double[] prev = output(states, l, t - 1, true);
                double[] gi = add(matVec("weight_ih_l" + l, in), vec("bias_ih_l" + l));
                for (Edge e : a.edges()) {
                    if (e.to() == l) {
                        gi = add(gi, matVec(e.weightName(), output(states, e.from(), t - e.delay(), e.from() == l)));
                    }
                }
                double[] gh = add(matVec("weight_hh_l" + l, prev), vec("bias_hh_l" + l));
                double[] next = new double[h];
                switch (layer.cell()) {
                    case TANH, RELU, SIGMOID -> {
                        for (int j = 0; j < h; j++) {
                            double z = gi[j] + gh[j];
                            next[j] = layer.form() != VanillaForm.I ? z : sigma(layer.cell(), z);
                        }
                    }
                    case LSTM -> {
                        double[] cPrev = t == 0 ? new double[h] : cells.get(l)[t - 1];
                        double[] c = new double[h];
                        for (int j = 0; j < h; j++) {
                            double i = logistic(gi[j] + gh[j]);
                            double f = logistic(gi[h + j] + gh[h + j]);
                            double g = Math.tanh(gi[2 * h + j] + gh[2 * h + j]);
                            double o = logistic(gi[3 * h + j] + gh[3 * h + j]);
                            c[j] = f * cPrev[j] + i * g;
                            next[j] = o * Math.tanh(c[j]);
                        }
                        cells.get(l)[t] = c;
                    }
                    case GRU -> {
                        for (int j = 0; j < h; j++) {
                            double r = logistic(gi[j] + gh[j]);
                            double z = logistic(gi[h + j] + gh[h + j]);
                            double n = Math.tanh(gi[2 * h + j] + r * gh[2 * h + j]);
                            next[j] = (1 - z) * n + z * prev[j];
                        }
                    }
                }
                states.get(l)[t] = next;
            }
            outputs[t] = add(matVec("head.weight", output(states, layers - 1, t, true)), vec("head.bias"));
        }
        return new Run(states, cells, outputs);
    }

    /** Σ_t log p(o_t | past) of a sequence, with the engine's input convention. */
    double logLikelihood(Sequence s) {
        double[][] x = inputs(s);
        Run run = run(x);
        double total = 0;
        Head head = a.head();
        int d = head.outputSize();
        for (int t = 0; t < s.length(); t++) {
            double[] out = run.outputs()[t];
            switch (head.type()) {
                case SOFTMAX -> {
                    int k = s.symbol(t);
                    if (k >= 0) {
                        double norm = 0;
                        for (double v : out) {
                            norm += Math.exp(v);
                        }
                        total += out[k] - Math.log(norm);
                    }
                }
                case LINEAR, GAUSSIAN -> {
                    double[] variance = model.headVariance();
                    for (int j = 0; j < d; j++) {
                        double v = s.value(t, j);
                        if (Double.isNaN(v)) {
                            continue;
                        }
                        double var = head.type() == Head.Type.LINEAR ? variance[j] : Math.exp(out[d + j]);
                        double r = v - out[j];
                        total += -0.5 * Math.log(2 * Math.PI * var) - 0.5 * r * r / var;
                    }
                }
            }
        }
        return total;
    }

    /** x_t = [enc(o_{t-1}); u_t]. */
    double[][] inputs(Sequence s) {
        int obs = a.head().outputSize();
        double[][] x = new double[s.length()][a.inputSize()];
        for (int t = 0; t < s.length(); t++) {
            if (t > 0) {
                if (a.head().symbolic()) {
                    int k = s.symbol(t - 1);
                    if (k >= 0) {
                        x[t][k] = 1;
                    }
                } else {
                    for (int j = 0; j < obs; j++) {
                        double v = s.value(t - 1, j);
                        x[t][j] = Double.isNaN(v) ? 0 : v;
                    }
                }
            }
            for (int j = obs; j < a.inputSize(); j++) {
                x[t][j] = s.input(t, j - obs);
            }
        }
        return x;
    }

    // what a consumer of layer l reads at step t: h, σ(a) for form (ii), and for form (ii-literal) σ(a) when
    // the consumer is the layer itself or the head (own), a otherwise; the zero initial state before 0
    private double[] output(List<double[][]> states, int l, int t, boolean own) {
        Layer layer = a.layer(l);
        double[] state = t < 0 ? new double[layer.hiddenSize()] : states.get(l)[t];
        if (layer.form() == VanillaForm.I || (layer.form() == VanillaForm.II_LITERAL && !own)) {
            return state;
        }
        double[] y = new double[state.length];
        for (int j = 0; j < y.length; j++) {
            y[j] = sigma(layer.cell(), state[j]);
        }
        return y;
    }

    private double[] matVec(String name, double[] v) {
        double[][] w = model.weightMatrix(name);
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            double s = 0;
            for (int j = 0; j < v.length; j++) {
                s += w[i][j] * v[j];
            }
            out[i] = s;
        }
        return out;
    }

    private double[] vec(String name) {
        return model.weight(name);
    }

    private static double[] add(double[] u, double[] v) {
        double[] out = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            out[i] = u[i] + v[i];
        }
        return out;
    }

    static double sigma(Cell cell, double z) {
        return switch (cell) {
            case TANH -> Math.tanh(z);
            case RELU -> Math.max(0, z);
            case SIGMOID -> logistic(z);
            default -> throw new IllegalArgumentException(cell.toString());
        };
    }

    private static double logistic(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
