package org.statespace.examples;

import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

import org.statespace.numeric.Randoms;
import org.statespace.rnn.Cell;
import org.statespace.rnn.Edge;
import org.statespace.rnn.ForwardPass;
import org.statespace.rnn.Head;
import org.statespace.rnn.InitialStates;
import org.statespace.rnn.Layer;
import org.statespace.rnn.RnnArchitecture;
import org.statespace.rnn.RnnModel;
import org.statespace.rnn.VanillaForm;

/**
 * The seed's claim that the two vanilla forms are one network, checked numerically:
 * form (i) h_t = σ(W [h_t^{l-1}; h_{t-1}] + b) against form (ii) a_t = W [σ(a_t^{l-1}); σ(a_{t-1})] + b,
 * with the same W, b and initial states h_0 = σ(a_0), on a plain stack and on a loop graph, for tanh,
 * ReLU and the sigmoid. Prints the largest |σ(a_t^l) - h_t^l| per layer and the largest output difference.
 *
 * <pre>java -cp examples/target/statespace-app.jar org.statespace.examples.FormsEquivalence</pre>
 */
public final class FormsEquivalence {
    private FormsEquivalence() {
    }

    public static void main(String[] args) {
        RandomGenerator random = Randoms.seeded(2024);
        double[][] x = new double[20][3];
        for (double[] row : x) {
            for (int j = 0; j < 3; j++) {
                row[j] = 2 * random.nextGaussian();
            }
        }
        boolean all = true;
        for (Cell sigma : new Cell[] {Cell.TANH, Cell.RELU, Cell.SIGMOID}) {
            for (List<Edge> edges : List.of(List.<Edge>of(), List.of(new Edge(2, 1, 1), new Edge(0, 2, 0)))) {
                RnnModel one = model(sigma, VanillaForm.I, edges, null);
                RnnModel two = model(sigma, VanillaForm.II, edges, one.parameters());
                double[][] a0 = new double[3][4];
                double[][] h0 = new double[3][4];
                for (int l = 0; l < 3; l++) {
                    for (int j = 0; j < 4; j++) {
                        a0[l][j] = random.nextGaussian();
                        h0[l][j] = sigma(sigma, a0[l][j]);
                    }
                }
                ForwardPass formI = one.forward(x, new InitialStates(h0, null));
                ForwardPass formII = two.forward(x, new InitialStates(a0, null));
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-7s %-22s", sigma.jsonName(),
                        edges.isEmpty() ? "stack of 3" : "loop 2->1@1, skip 0->2"));
                double worst = 0;
                for (int l = 0; l < 3; l++) {
                    double[][] h = formI.state(l);
                    double[][] a = formII.state(l);
                    double d = 0;
                    for (int t = 0; t < x.length; t++) {
                        for (int j = 0; j < 4; j++) {
                            d = Math.max(d, Math.abs(sigma(sigma, a[t][j]) - h[t][j]));
                        }
                    }
                    worst = Math.max(worst, d);
                    line.append(String.format(Locale.ROOT, "  layer %d: max|σ(a)-h| = %.1e", l, d));
                }
                double out = 0;
                double[][] y1 = formI.output();
                double[][] y2 = formII.output();
                for (int t = 0; t < x.length; t++) {
                    for (int j = 0; j < y1[t].length; j++) {
                        out = Math.max(out, Math.abs(y1[t][j] - y2[t][j]));
                    }
                }
                worst = Math.max(worst, out);
                all &= worst <= 1e-12;
                line.append(String.format(Locale.ROOT, "  outputs: %.1e  %s", out, worst <= 1e-12 ? "equal" : "DIFFERENT"));
                System.out.println(line);
            }
        }
        System.out.println(all ? "forms (i) and (ii) agree to 1e-12 at every layer and step"
                : "the forms differ by more than 1e-12");
        if (!all) {
            System.exit(1);
        }
    }

    private static RnnModel model(Cell sigma, VanillaForm form, List<Edge> edges, double[] parameters) {
        RnnArchitecture a = RnnArchitecture.of(3, List.of(new Layer(sigma, 4, form), new Layer(sigma, 4, form),
                new Layer(sigma, 4, form)), edges, Head.of(Head.Type.GAUSSIAN, 1));
        if (parameters == null) {
            RnnModel m = RnnModel.initialized(a, 7);
            double[] theta = m.parameters();
            for (int i = 0; i < theta.length; i++) {
                theta[i] *= 2;   // stronger weights, so that the nonlinearities matter
            }
            return m.withParameters(theta);
        }
        return RnnModel.of(a, parameters, null, 7);
    }

    private static double sigma(Cell cell, double z) {
        return switch (cell) {
            case TANH -> Math.tanh(z);
            case RELU -> Math.max(0, z);
            case SIGMOID -> 1 / (1 + Math.exp(-z));
            default -> throw new IllegalArgumentException(cell.toString());
        };
    }
}
