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
 * The seed's claim that the two vanilla forms are one network, checked numerically, and where it stops:
 * <ol>
 *   <li>form (i) h_t = σ(W [h_t^{l-1}; h_{t-1}] + b) against form (ii) a_t = W [σ(a_t^{l-1}); σ(a_{t-1})] + b,
 *       with the same W, b and initial states h_0 = σ(a_0), on a plain stack and on a loop graph, for tanh,
 *       ReLU and the sigmoid: the largest |σ(a_t^l) - h_t^l| per layer and the largest output difference
 *       (equal to 1e-12);</li>
 *   <li>form (ii) as the notes write it ({@code "ii-literal"}: h_t^l = W^l [h_t^{l-1}; σ(h_{t-1}^l)] + b^l, σ
 *       only on the recurrent input): equal to form (i) for a single layer, but two stacked tanh layers
 *       differ ({@link #counterExample}), because the layer above reads a_t^0 where form (i) reads
 *       tanh(a_t^0);</li>
 *   <li>initial states: the forms start alike only when h_0 = σ(a_0); a sigmoid layer from zeros (h_0 = 0,
 *       a_0 = 0, read as σ(0) = 1/2) differs, and h_0 = 1/2 restores the identity.</li>
 * </ol>
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
        System.out.println();
        System.out.println("form (ii) as the notes write it (\"ii-literal\": sigma only on the recurrent input):");
        for (Cell sigma : new Cell[] {Cell.TANH, Cell.RELU, Cell.SIGMOID}) {
            double d = singleLayerLiteral(sigma, x, random);
            all &= d <= 1e-12;
            System.out.println(String.format(Locale.ROOT, "%-7s one layer:        max output difference to form (i) %.1e  %s",
                    sigma.jsonName(), d, d <= 1e-12 ? "equal" : "DIFFERENT"));
        }
        double counter = counterExample();
        System.out.println(String.format(Locale.ROOT, "tanh    two layers:       max output difference to form (i) %.3f  "
                + "differ: layer 1 reads a_t^0, not tanh(a_t^0)", counter));
        System.out.println();
        System.out.println("initial states (h_0 must equal sigma(a_0)):");
        double zeros = sigmoidFromZeros(0.0);
        double half = sigmoidFromZeros(0.5);
        all &= half <= 1e-12 && counter > 1e-6;
        System.out.println(String.format(Locale.ROOT, "sigmoid h_0 = 0   vs a_0 = 0: max output difference %.3f  "
                + "differ: 0 is outside sigmoid's range (0, 1)", zeros));
        System.out.println(String.format(Locale.ROOT, "sigmoid h_0 = 1/2 vs a_0 = 0: max output difference %.1e  %s",
                half, half <= 1e-12 ? "equal" : "DIFFERENT"));
        if (!all) {
            System.exit(1);
        }
    }

    /** The inputs of the counter-example: 8 steps of 2 values. */
    static double[][] counterExampleInputs() {
        RandomGenerator random = Randoms.seeded(17);
        double[][] x = new double[8][2];
        for (double[] row : x) {
            for (int j = 0; j < 2; j++) {
                row[j] = 2 * random.nextGaussian();
            }
        }
        return x;
    }

    /**
     * The counter-example's network: two tanh layers of 3 units on 2 inputs, a linear head with one
     * output, PyTorch-initialised weights (seed 11) doubled, in the given form; zero initial states (tanh(0)
     * = 0, so the forms start alike).
     */
    static RnnModel counterExampleModel(VanillaForm form) {
        RnnArchitecture a = RnnArchitecture.stack(2, List.of(new Layer(Cell.TANH, 3, form), new Layer(Cell.TANH, 3, form)),
                Head.of(Head.Type.LINEAR, 1));
        double[] theta = RnnModel.initialized(RnnArchitecture.stack(2, List.of(Layer.of(Cell.TANH, 3), Layer.of(Cell.TANH, 3)),
                Head.of(Head.Type.LINEAR, 1)), 11).parameters();
        for (int i = 0; i < theta.length; i++) {
            theta[i] *= 2;
        }
        return RnnModel.of(a, theta, null, 11);
    }

    /** The largest |y_t| difference between form (i) and form (ii-literal) on the counter-example. */
    static double counterExample() {
        double[][] x = counterExampleInputs();
        return largestDifference(counterExampleModel(VanillaForm.I).forward(x, InitialStates.zeros()).output(),
                counterExampleModel(VanillaForm.II_LITERAL).forward(x, InitialStates.zeros()).output());
    }

    // one layer of 4 units, random a_0 and h_0 = σ(a_0): form (i) against form (ii-literal)
    private static double singleLayerLiteral(Cell sigma, double[][] x, RandomGenerator random) {
        RnnArchitecture one = RnnArchitecture.stack(3, List.of(new Layer(sigma, 4, VanillaForm.I)), Head.of(Head.Type.GAUSSIAN, 1));
        RnnArchitecture literal = RnnArchitecture.stack(3, List.of(new Layer(sigma, 4, VanillaForm.II_LITERAL)),
                Head.of(Head.Type.GAUSSIAN, 1));
        RnnModel m = RnnModel.initialized(one, 5);
        double[] theta = m.parameters();
        for (int i = 0; i < theta.length; i++) {
            theta[i] *= 2;
        }
        double[][] a0 = new double[1][4];
        double[][] h0 = new double[1][4];
        for (int j = 0; j < 4; j++) {
            a0[0][j] = random.nextGaussian();
            h0[0][j] = sigma(sigma, a0[0][j]);
        }
        return largestDifference(RnnModel.of(one, theta, null, 5).forward(x, new InitialStates(h0, null)).output(),
                RnnModel.of(literal, theta, null, 5).forward(x, new InitialStates(a0, null)).output());
    }

    // two sigmoid layers, form (i) from h_0 = h0 against form (ii) from a_0 = 0, as the models' own initial states
    private static double sigmoidFromZeros(double h0) {
        double[][] x = counterExampleInputs();
        RnnModel one = model2(Cell.SIGMOID, VanillaForm.I);
        RnnModel two = model2(Cell.SIGMOID, VanillaForm.II);
        double[][] start = {{h0, h0, h0}, {h0, h0, h0}};
        one = one.withInitialStates(new InitialStates(start, null));
        return largestDifference(one.forward(x, one.initialStates()).output(), two.forward(x, two.initialStates()).output());
    }

    private static RnnModel model2(Cell sigma, VanillaForm form) {
        RnnArchitecture a = RnnArchitecture.stack(2, List.of(new Layer(sigma, 3, form), new Layer(sigma, 3, form)),
                Head.of(Head.Type.LINEAR, 1));
        double[] theta = counterExampleModel(VanillaForm.I).parameters();
        return RnnModel.of(a, theta, null, 11);
    }

    private static double largestDifference(double[][] y1, double[][] y2) {
        double out = 0;
        for (int t = 0; t < y1.length; t++) {
            for (int j = 0; j < y1[t].length; j++) {
                out = Math.max(out, Math.abs(y1[t][j] - y2[t][j]));
            }
        }
        return out;
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
