package org.statespace.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import org.statespace.Recurrence;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * The seed's claim: form (i) h_t = σ(W [h_t^{l-1}; h_{t-1}] + b) and form (ii) a_t = W [σ(a_t^{l-1});
 * σ(a_{t-1})] + b are the same network. With the same W, b and initial states h_{-1} = σ(a_{-1}),
 * σ(a_t^l) = h_t^l at every layer and step and the outputs are equal, to 1e-12; also on a loop graph and
 * under a gated layer, and the gradients agree.
 */
class FormsEquivalenceTest {

    private static final double TOLERANCE = 1e-12;

    /** The same architecture with every vanilla layer in the given form. */
    static RnnArchitecture inForm(RnnArchitecture a, VanillaForm form) {
        List<Layer> layers = new ArrayList<>();
        for (Layer l : a.layers()) {
            layers.add(l.cell().isVanilla() ? new Layer(l.cell(), l.hiddenSize(), form) : l);
        }
        return RnnArchitecture.of(a.inputSize(), layers, a.edges(), a.head());
    }

    static List<RnnArchitecture> architectures(Cell sigma) {
        Head head = Head.of(Head.Type.GAUSSIAN, 2);
        return List.of(
                RnnArchitecture.stack(3, List.of(Layer.of(sigma, 4), Layer.of(sigma, 3), Layer.of(sigma, 4)), head),
                RnnArchitecture.of(3, List.of(Layer.of(sigma, 4), Layer.of(sigma, 3), Layer.of(sigma, 4)),
                        List.of(new Edge(2, 1, 1), new Edge(0, 2, 0), new Edge(1, 1, 3)), head),
                RnnArchitecture.stack(3, List.of(Layer.of(sigma, 3), Layer.of(Cell.LSTM, 3), Layer.of(sigma, 2)), head));
    }

    @ParameterizedTest
    @EnumSource(names = {"TANH", "RELU", "SIGMOID"})
    void sigmaOfTheFormIIStateIsTheFormIState(Cell sigma) {
        RandomGenerator r = Randoms.seeded(sigma.ordinal());
        for (RnnArchitecture a : architectures(sigma)) {
            RnnModel formI = RnnFixtures.scaled(RnnModel.initialized(inForm(a, VanillaForm.I), 3), 2.0);
            RnnModel formII = RnnModel.of(inForm(a, VanillaForm.II), formI.parameters(), null, 3);
            int layers = a.layerCount();
            double[][] pre = new double[layers][];
            double[][] post = new double[layers][];
            for (int l = 0; l < layers; l++) {
                int h = a.layer(l).hiddenSize();
                if (a.layer(l).cell().isVanilla()) {
                    pre[l] = new double[h];
                    post[l] = new double[h];
                    for (int j = 0; j < h; j++) {
                        pre[l][j] = r.nextGaussian();
                        post[l][j] = ReferenceRnn.sigma(sigma, pre[l][j]);   // h_0 = σ(a_0)
                    }
                } else {
                    pre[l] = post[l] = new double[h];
                    for (int j = 0; j < h; j++) {
                        pre[l][j] = r.nextGaussian();
                    }
                }
            }
            double[][] x = new double[12][3];
            for (double[] row : x) {
                for (int j = 0; j < 3; j++) {
                    row[j] = 2 * r.nextGaussian();
                }
            }
            ForwardPass one = formI.forward(x, new InitialStates(post, null));
            ForwardPass two = formII.forward(x, new InitialStates(pre, null));
            for (int l = 0; l < layers; l++) {
                double[][] h = one.state(l);
                double[][] alpha = two.state(l);
                boolean vanilla = a.layer(l).cell().isVanilla();
                for (int t = 0; t < x.length; t++) {
                    for (int j = 0; j < h[t].length; j++) {
                        double expected = vanilla ? ReferenceRnn.sigma(sigma, alpha[t][j]) : alpha[t][j];
                        assertThat(h[t][j]).as("%s layer %d step %d unit %d", a, l, t, j).isCloseTo(expected, within(TOLERANCE));
                    }
                }
            }
            double[][] y1 = one.output();
            double[][] y2 = two.output();
            for (int t = 0; t < x.length; t++) {
                for (int j = 0; j < y1[t].length; j++) {
                    assertThat(y2[t][j]).as("%s output %d at step %d", a, j, t).isCloseTo(y1[t][j], within(TOLERANCE));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"TANH", "RELU"})
    void underTheEngineBothFormsScoreAndTrainAlike(Cell sigma) {
        // zero initial states match in both forms when σ(0) = 0
        for (RnnArchitecture a : architectures(sigma)) {
            RnnModel formI = RnnFixtures.scaled(RnnModel.initialized(inForm(a, VanillaForm.I), 5), 1.5);
            RnnModel formII = RnnModel.of(inForm(a, VanillaForm.II), formI.parameters(), null, 5);
            List<Sequence> batch = RnnFixtures.batch(a, Randoms.seeded(9), 0.1, 8, 5);
            for (Sequence s : batch) {
                assertThat(Recurrence.logLikelihood(formII, s)).isCloseTo(Recurrence.logLikelihood(formI, s), within(TOLERANCE));
            }
            double[] g1 = new double[formI.parameters().length];
            double[] g2 = new double[g1.length];
            formI.gradientEvaluator(RnnFitSettings.defaults()).evaluate(formI.parameters(), batch, g1);
            formII.gradientEvaluator(RnnFitSettings.defaults()).evaluate(formII.parameters(), batch, g2);
            for (int i = 0; i < g1.length; i++) {
                assertThat(g2[i]).isCloseTo(g1[i], within(TOLERANCE));
            }
        }
    }

    @Test
    void theFormsDifferWhenTheInitialStatesDoNotMatch() {
        // sigmoid: a zero initial a is seen as σ(0) = 1/2, a zero initial h as 0 (the check can fail)
        RnnArchitecture a = architectures(Cell.SIGMOID).get(0);
        RnnModel formI = RnnModel.initialized(inForm(a, VanillaForm.I), 3);
        RnnModel formII = RnnModel.of(inForm(a, VanillaForm.II), formI.parameters(), null, 3);
        double[][] x = {{1, 2, 3}, {0, 1, 0}};
        double h = formI.forward(x, InitialStates.zeros()).state(0)[0][0];
        double alpha = formII.forward(x, InitialStates.zeros()).state(0)[0][0];
        assertThat(Math.abs(ReferenceRnn.sigma(Cell.SIGMOID, alpha) - h)).isGreaterThan(1e-6);
    }

    /** A network of one vanilla layer of 4 units on 3 inputs, Gaussian head, with an extra self-edge at delay 2. */
    private static RnnArchitecture oneLayer(Cell sigma, VanillaForm form) {
        return RnnArchitecture.of(3, List.of(new Layer(sigma, 4, form)), List.of(new Edge(0, 0, 2)),
                Head.of(Head.Type.GAUSSIAN, 2));
    }

    @ParameterizedTest
    @EnumSource(names = {"TANH", "RELU", "SIGMOID"})
    void theLiteralFormIsFormIForASingleLayerStartedAtSigmaOfItsState(Cell sigma) {
        RandomGenerator r = Randoms.seeded(40 + sigma.ordinal());
        RnnModel formI = RnnFixtures.scaled(RnnModel.initialized(oneLayer(sigma, VanillaForm.I), 3), 2.0);
        RnnModel literal = RnnModel.of(oneLayer(sigma, VanillaForm.II_LITERAL), formI.parameters(), null, 3);
        double[][] a0 = new double[1][4];
        double[][] h0 = new double[1][4];
        for (int j = 0; j < 4; j++) {
            a0[0][j] = r.nextGaussian();
            h0[0][j] = ReferenceRnn.sigma(sigma, a0[0][j]);
        }
        double[][] x = new double[10][3];
        for (double[] row : x) {
            for (int j = 0; j < 3; j++) {
                row[j] = 2 * r.nextGaussian();
            }
        }
        ForwardPass one = formI.forward(x, new InitialStates(h0, null));
        ForwardPass two = literal.forward(x, new InitialStates(a0, null));
        for (int t = 0; t < x.length; t++) {
            for (int j = 0; j < 4; j++) {
                assertThat(ReferenceRnn.sigma(sigma, two.state(0)[t][j])).isCloseTo(one.state(0)[t][j], within(TOLERANCE));
            }
            for (int j = 0; j < 4; j++) {
                assertThat(two.output()[t][j]).isCloseTo(one.output()[t][j], within(TOLERANCE));
            }
        }
    }

    @Test
    void theLiteralFormAgreesWithFormIIOnlyWhereNoOtherLayerReadsIt() {
        // the top layer of a stack is read only by itself and the head: literal there changes nothing
        Head head = Head.of(Head.Type.GAUSSIAN, 1);
        List<Layer> iiTop = List.of(new Layer(Cell.TANH, 3, VanillaForm.II), new Layer(Cell.TANH, 3, VanillaForm.II));
        List<Layer> literalTop = List.of(new Layer(Cell.TANH, 3, VanillaForm.II), new Layer(Cell.TANH, 3, VanillaForm.II_LITERAL));
        List<Layer> literalBottom = List.of(new Layer(Cell.TANH, 3, VanillaForm.II_LITERAL), new Layer(Cell.TANH, 3, VanillaForm.II));
        RnnModel reference = RnnFixtures.scaled(RnnModel.initialized(RnnArchitecture.stack(2, iiTop, head), 6), 2.0);
        double[] theta = reference.parameters();
        double[][] x = {{1, -2}, {0.5, 1}, {-1, 2}, {2, 0}};
        double[][] y = reference.forward(x, InitialStates.zeros()).output();
        double[][] top = RnnModel.of(RnnArchitecture.stack(2, literalTop, head), theta, null, 6).forward(x, InitialStates.zeros()).output();
        double[][] bottom = RnnModel.of(RnnArchitecture.stack(2, literalBottom, head), theta, null, 6)
                .forward(x, InitialStates.zeros()).output();
        double largest = 0;
        for (int t = 0; t < x.length; t++) {
            assertThat(top[t][0]).isCloseTo(y[t][0], within(TOLERANCE));
            largest = Math.max(largest, Math.abs(bottom[t][0] - y[t][0]));
        }
        assertThat(largest).isGreaterThan(1e-3);
    }

    @Test
    void aSigmoidLayerFromZerosNeedsHZeroAtOneHalfInFormI() {
        // the spec's initial states under the engine: form (i) from h_0 = σ(0) = 1/2 is form (ii) from a_0 = 0;
        // from h_0 = 0 (outside σ's range) they differ
        RnnArchitecture a = architectures(Cell.SIGMOID).get(0);
        RnnModel formII = RnnFixtures.scaled(RnnModel.initialized(inForm(a, VanillaForm.II), 8), 1.5);
        RnnModel zero = RnnModel.of(inForm(a, VanillaForm.I), formII.parameters(), null, 8);
        double[][] half = new double[3][];
        for (int l = 0; l < 3; l++) {
            half[l] = new double[a.layer(l).hiddenSize()];
            java.util.Arrays.fill(half[l], 0.5);
        }
        RnnModel atHalf = zero.withInitialStates(new InitialStates(half, null));
        Sequence s = RnnFixtures.batch(a, Randoms.seeded(3), 0.0, 6).get(0);
        double ll = Recurrence.logLikelihood(formII, s);
        assertThat(Recurrence.logLikelihood(atHalf, s)).isCloseTo(ll, within(TOLERANCE));
        assertThat(Math.abs(Recurrence.logLikelihood(zero, s) - ll)).isGreaterThan(1e-6);
        double[] g1 = new double[formII.parameters().length];
        double[] g2 = new double[g1.length];
        List<Sequence> batch = List.of(s);
        formII.gradientEvaluator(RnnFitSettings.defaults()).evaluate(formII.parameters(), batch, g1);
        atHalf.gradientEvaluator(RnnFitSettings.defaults()).evaluate(atHalf.parameters(), batch, g2);
        for (int i = 0; i < g1.length; i++) {
            assertThat(g2[i]).isCloseTo(g1[i], within(TOLERANCE));
        }
    }
}
