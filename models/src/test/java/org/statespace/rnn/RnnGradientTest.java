package org.statespace.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.statespace.Recurrence;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * The BPTT gradient against central finite differences of the loss, for every cell, both vanilla forms,
 * every head and loss, and a loop graph with a delay-1 edge from layer 2 back to layer 1 (the seed's
 * "layer 3 loops back to layer 2"), on batches of sequences of different lengths with missing values and
 * exogenous inputs. Relative error below 1e-6 in double.
 */
class RnnGradientTest {

    static Stream<Arguments> networks() {
        Head linear = Head.of(Head.Type.LINEAR, 2);
        Head gaussian = Head.of(Head.Type.GAUSSIAN, 2);
        Head softmax = Head.of(Head.Type.SOFTMAX, 3);
        List<Arguments> out = new ArrayList<>();
        for (Cell cell : Cell.values()) {
            if (cell.isHybrid()) {
                continue; // HybridCellGradientTest
            }
            out.add(Arguments.of(cell + " linear", RnnFixtures.model(3, linear, List.of(), 11, Layer.of(cell, 4))));
            if (cell.isVanilla()) {
                out.add(Arguments.of(cell + " form ii gaussian", RnnFixtures.model(3, gaussian, List.of(), 12,
                        new Layer(cell, 3, VanillaForm.II), new Layer(cell, 3, VanillaForm.II))));
                out.add(Arguments.of(cell + " form ii-literal linear", RnnFixtures.model(3, linear, List.of(), 16,
                        new Layer(cell, 3, VanillaForm.II_LITERAL), new Layer(cell, 3, VanillaForm.II_LITERAL))));
            }
        }
        out.add(Arguments.of("stacked softmax", RnnFixtures.model(4, softmax, List.of(), 13,
                Layer.of(Cell.GRU, 3), Layer.of(Cell.LSTM, 3))));
        out.add(Arguments.of("loop graph 2 -> 1 at delay 1", RnnFixtures.scaled(RnnFixtures.model(3, gaussian,
                List.of(new Edge(2, 1, 1)), 14,
                Layer.of(Cell.TANH, 3), Layer.of(Cell.GRU, 3), Layer.of(Cell.LSTM, 3)), 1.5)));
        out.add(Arguments.of("loop graph, mixed forms, skip and long delays", RnnFixtures.scaled(RnnFixtures.model(3, softmax,
                List.of(new Edge(2, 1, 1), new Edge(0, 2, 0), new Edge(2, 0, 3), new Edge(1, 1, 2)), 15,
                new Layer(Cell.TANH, 3, VanillaForm.II), Layer.of(Cell.SIGMOID, 2), Layer.of(Cell.LSTM, 3)), 1.5)));
        out.add(Arguments.of("loop graph, literal form ii read raw and through sigma", RnnFixtures.scaled(RnnFixtures.model(3,
                gaussian, List.of(new Edge(2, 1, 1), new Edge(0, 2, 1), new Edge(0, 0, 2), new Edge(1, 2, 2)), 17,
                new Layer(Cell.TANH, 3, VanillaForm.II_LITERAL), new Layer(Cell.SIGMOID, 2, VanillaForm.II_LITERAL),
                Layer.of(Cell.GRU, 3)), 1.5)));
        out.add(Arguments.of("initial states and cell set", RnnFixtures.model(3, gaussian, List.of(new Edge(1, 0, 2)), 18,
                new Layer(Cell.TANH, 3, VanillaForm.II_LITERAL), Layer.of(Cell.LSTM, 2)).withInitialStates(new InitialStates(
                        new double[][] {{0.3, -0.2, 0.5}, {0.1, -0.4}}, new double[][] {null, {0.7, -0.3}}))));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void gradientMatchesFiniteDifferences(String name, RnnModel model) {
        List<Sequence> batch = RnnFixtures.batch(model.architecture(), Randoms.seeded(name.hashCode()), 0.15, 7, 4, 6, 1);
        for (RnnFitSettings.Loss loss : RnnFitSettings.Loss.values()) {
            checkGradient(model, RnnFitSettings.defaults().withLoss(loss), batch);
        }
    }

    @Test
    void truncatedGradientMatchesFiniteDifferencesOfTheWindowedLoss() {
        RnnModel model = RnnFixtures.scaled(RnnFixtures.model(2, Head.of(Head.Type.LINEAR, 1), List.of(), 21,
                Layer.of(Cell.LSTM, 3), Layer.of(Cell.TANH, 2)), 1.5);
        Sequence s = RnnFixtures.sequence(model.architecture(), "s", 11, Randoms.seeded(4), 0.0);
        for (int[] k : new int[][] {{3, 3}, {2, 5}, {4, 6}}) {
            RnnFitSettings settings = RnnFitSettings.defaults().withTruncation(k[0], k[1]);
            double[] theta = model.parameters();
            double[] gradient = new double[theta.length];
            model.gradientEvaluator(settings).evaluate(theta, List.of(s), gradient);
            double[] expected = finiteDifferences(theta, p -> windowedLoss(model, p, theta, s, k[0], k[1]));
            assertClose(gradient, expected, "BPTT(" + k[0] + ", " + k[1] + ")");
        }
    }

    /**
     * Truncated BPTT(k1, k2) differentiates Σ over windows m of the losses of steps (t_{m-1}, t_m], each
     * computed from step t_m - k2 + 1 on with the state before it held at its value under {@code fixed}.
     */
    private static double windowedLoss(RnnModel model, double[] theta, double[] fixed, Sequence s, int k1, int k2) {
        RnnModel at = model.withParameters(theta);
        double[][] x = new ReferenceRnn(model).inputs(s);
        ForwardPass reference = model.withParameters(fixed).forward(x, InitialStates.zeros());
        int length = s.length();
        int layers = model.architecture().layerCount();
        double total = 0;
        int lossFrom = 0;
        for (int t = 0; t < length; t++) {
            if (t != length - 1 && (t + 1) % k1 != 0) {
                continue;
            }
            int start = Math.max(0, t - k2 + 1);
            double[][] states = new double[layers][];
            double[][] cells = new double[layers][];
            if (start > 0) {
                for (int l = 0; l < layers; l++) {
                    states[l] = reference.state(l)[start - 1];
                    if (model.architecture().layer(l).cell() == Cell.LSTM) {
                        cells[l] = reference.cell(l)[start - 1];
                    }
                }
            }
            double[][] window = java.util.Arrays.copyOfRange(x, start, t + 1);
            ForwardPass run = at.forward(window, new InitialStates(states, cells));
            for (int u = Math.max(lossFrom, start); u <= t; u++) {
                double r = s.value(u, 0) - run.output()[u - start][0];
                total += 0.5 * r * r;
            }
            lossFrom = t + 1;
        }
        return total / length;
    }

    @Test
    void truncationReachingTheStartIsFullBackpropagation() {
        RnnModel model = RnnFixtures.model(3, Head.of(Head.Type.GAUSSIAN, 2), List.of(new Edge(1, 0, 2)), 22,
                Layer.of(Cell.GRU, 3), Layer.of(Cell.TANH, 3));
        List<Sequence> batch = RnnFixtures.batch(model.architecture(), Randoms.seeded(5), 0.1, 9, 5, 8);
        double[] theta = model.parameters();
        double[] full = new double[theta.length];
        double[] windows = new double[theta.length];
        double a = model.gradientEvaluator(RnnFitSettings.defaults()).evaluate(theta, batch, full);
        double b = model.gradientEvaluator(RnnFitSettings.defaults().withTruncation(2, 20)).evaluate(theta, batch, windows);
        assertThat(b).isCloseTo(a, within(1e-14));
        for (int i = 0; i < theta.length; i++) {
            assertThat(windows[i]).isCloseTo(full[i], within(1e-12));
        }
    }

    @Test
    void nllLossIsTheEnginesNegativeLogLikelihoodPerObservation() {
        RnnModel model = RnnFixtures.model(4, Head.of(Head.Type.SOFTMAX, 3), List.of(), 23, Layer.of(Cell.LSTM, 4));
        List<Sequence> batch = RnnFixtures.batch(model.architecture(), Randoms.seeded(6), 0.2, 8, 3, 6);
        double ll = 0;
        long n = 0;
        for (Sequence s : batch) {
            ll += Recurrence.logLikelihood(model, s);
            n += s.observedSteps();
        }
        double loss = model.gradientEvaluator(RnnFitSettings.defaults()).evaluate(model.parameters(), batch,
                new double[model.parameters().length]);
        assertThat(loss).isCloseTo(-ll / n, within(1e-12));
    }

    @Test
    void aBatchIsTheObservationWeightedSumOfItsSequences() {
        RnnModel model = RnnFixtures.model(3, Head.of(Head.Type.LINEAR, 2), List.of(new Edge(1, 0, 1)), 24,
                Layer.of(Cell.RELU, 4), Layer.of(Cell.GRU, 3));
        List<Sequence> batch = RnnFixtures.batch(model.architecture(), Randoms.seeded(7), 0.1, 3, 9, 1, 6, 6);
        double[] theta = model.parameters();
        double[] together = new double[theta.length];
        RnnFitSettings settings = RnnFitSettings.defaults().withShardSize(2);
        double loss = model.gradientEvaluator(settings).evaluate(theta, batch, together);
        double[] sum = new double[theta.length];
        double lossSum = 0;
        long total = 0;
        for (Sequence s : batch) {
            double[] g = new double[theta.length];
            int n = s.observedSteps();
            lossSum += n * model.gradientEvaluator(settings).evaluate(theta, List.of(s), g);
            for (int i = 0; i < theta.length; i++) {
                sum[i] += n * g[i];
            }
            total += n;
        }
        assertThat(loss).isCloseTo(lossSum / total, within(1e-12));
        for (int i = 0; i < theta.length; i++) {
            assertThat(together[i]).isCloseTo(sum[i] / total, within(1e-12));
        }
    }

    @Test
    void theGradientIsBitReproducibleWhateverTheThreads() throws Exception {
        RnnModel model = RnnFixtures.model(3, Head.of(Head.Type.GAUSSIAN, 1), List.of(), 25, Layer.of(Cell.LSTM, 5));
        List<Sequence> batch = RnnFixtures.batch(model.architecture(), Randoms.seeded(8), 0.1, 5, 7, 2, 9, 4, 6, 3);
        RnnFitSettings settings = RnnFitSettings.defaults().withShardSize(2);
        double[] theta = model.parameters();
        double[] here = new double[theta.length];
        double[] oneThread = new double[theta.length];
        double a = model.gradientEvaluator(settings).evaluate(theta, batch, here);
        ForkJoinPool single = new ForkJoinPool(1);
        try {
            double b = single.submit(() -> model.gradientEvaluator(settings).evaluate(theta, batch, oneThread)).get();
            assertThat(b).isEqualTo(a);
        } finally {
            single.shutdown();
        }
        assertThat(oneThread).isEqualTo(here);
        double[] again = new double[theta.length];
        model.gradientEvaluator(settings).evaluate(theta, batch, again);
        assertThat(again).isEqualTo(here);
    }

    /**
     * A layer whose recurrent weight gradient is larger than {@link Gemm#HOLD_BYTES} (hidden 160: 640 × 160), so its
     * products are held and summed over stacked steps, with rows ending at different steps (segments of 3, 2 and 1
     * rows) and a flush in the middle of the pass (3 rows hold 42 steps): components of weight_hh and weight_ih
     * against central differences.
     */
    @Test
    void heldWeightGradientsMatchFiniteDifferences() {
        RnnModel model = RnnFixtures.model(2, Head.of(Head.Type.LINEAR, 2), List.of(), 31, Layer.of(Cell.LSTM, 160));
        RnnArchitecture.Block recurrent = model.architecture().block("weight_hh_l0");
        assertThat(8L * recurrent.rows() * recurrent.cols()).as("bytes of dW_hh").isGreaterThan(Gemm.HOLD_BYTES);
        List<Sequence> batch = RnnFixtures.batch(model.architecture(), Randoms.seeded(6), 0.0, 50, 37, 9);
        double[] theta = model.parameters();
        double[] gradient = new double[theta.length];
        var evaluator = model.gradientEvaluator(RnnFitSettings.defaults());
        evaluator.evaluate(theta, batch, gradient);
        double[] scratch = new double[theta.length];
        java.util.SplittableRandom pick = new java.util.SplittableRandom(7);
        List<Integer> indices = new ArrayList<>();
        for (String block : new String[] {"weight_hh_l0", "weight_ih_l0"}) {
            RnnArchitecture.Block b = model.architecture().block(block);
            for (int i = 0; i < 20; i++) {
                indices.add(b.offset() + pick.nextInt(b.rows() * b.cols()));
            }
        }
        double h = 1e-6;
        double largest = 0;
        double[] expected = new double[indices.size()];
        double[] p = theta.clone();
        for (int q = 0; q < indices.size(); q++) {
            int i = indices.get(q);
            p[i] = theta[i] + h;
            double up = evaluator.evaluate(p, batch, scratch);
            p[i] = theta[i] - h;
            double down = evaluator.evaluate(p, batch, scratch);
            p[i] = theta[i];
            expected[q] = (up - down) / (2 * h);
            largest = Math.max(largest, Math.abs(expected[q]));
        }
        assertThat(largest).as("a gradient that is not zero").isGreaterThan(1e-6);
        for (int q = 0; q < indices.size(); q++) {
            assertThat(gradient[indices.get(q)]).as("parameter %d", indices.get(q))
                    .isCloseTo(expected[q], within(1e-6 * largest));
        }
    }

    // ----------------------------------------------------------------------------------------------

    static void checkGradient(RnnModel model, RnnFitSettings settings, List<Sequence> batch) {
        double[] theta = model.parameters();
        double[] gradient = new double[theta.length];
        var evaluator = model.gradientEvaluator(settings);
        evaluator.evaluate(theta, batch, gradient);
        double[] scratch = new double[theta.length];
        double[] expected = finiteDifferences(theta, p -> evaluator.evaluate(p, batch, scratch));
        assertClose(gradient, expected, model + " " + settings.loss());
    }

    interface Loss {
        double at(double[] theta);
    }

    /** Central differences with step 1e-6 (truncation ~1e-13, rounding ~1e-10 relative). */
    static double[] finiteDifferences(double[] theta, Loss loss) {
        double[] g = new double[theta.length];
        double[] p = theta.clone();
        double h = 1e-6;
        for (int i = 0; i < theta.length; i++) {
            p[i] = theta[i] + h;
            double up = loss.at(p);
            p[i] = theta[i] - h;
            double down = loss.at(p);
            p[i] = theta[i];
            g[i] = (up - down) / (2 * h);
        }
        return g;
    }

    /** Relative error ‖g - fd‖ / ‖fd‖ below 1e-6, and every component within 1e-6 of the largest. */
    static void assertClose(double[] gradient, double[] expected, String what) {
        double diff = 0;
        double norm = 0;
        double largest = 0;
        for (int i = 0; i < gradient.length; i++) {
            diff += (gradient[i] - expected[i]) * (gradient[i] - expected[i]);
            norm += expected[i] * expected[i];
            largest = Math.max(largest, Math.abs(expected[i]));
        }
        assertThat(norm).as(what + ": a gradient that is not zero").isGreaterThan(1e-6);
        assertThat(Math.sqrt(diff / norm)).as(what + ": relative error").isLessThan(1e-6);
        for (int i = 0; i < gradient.length; i++) {
            assertThat(gradient[i]).as(what + ": component " + i).isCloseTo(expected[i], within(1e-6 * largest));
        }
    }
}
