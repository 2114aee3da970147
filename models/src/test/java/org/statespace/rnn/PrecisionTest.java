package org.statespace.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.statespace.SpecException;
import org.statespace.capability.GradientEvaluator;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;
import org.statespace.spec.ModelSpecs;

/**
 * The float32 precision against the float64 path, whose gradient {@link RnnGradientTest} checks by finite
 * differences (finite differences of a float32 loss would be noise: a step of 1e-5 moves the loss by about as much
 * as float rounds it). Float's unit roundoff is 2^-24 = 6e-8; a product over k terms is off by at most about k of
 * them (k ≤ 2,048 here, a few 1e-6 relative in the worst case, ~√k · 6e-8 typically), and backpropagation over a
 * few dozen steps multiplies that by the network's conditioning: the tests allow 1e-5 of the gradient's largest
 * entry (measured 2026-12-02: at most 2.4e-7 over every network and loss here, 4 float ulps) and 1e-5 on the forward
 * outputs (of size about 1).
 */
class PrecisionTest {

    static Stream<Arguments> networks() {
        return RnnGradientTest.networks();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void theFloatGradientIsTheDoubleGradientToFloatAccuracy(String name, RnnModel model) {
        List<Sequence> batch = RnnFixtures.batch(model.architecture(), Randoms.seeded(name.hashCode()), 0.15, 7, 4, 6, 1);
        for (RnnFitSettings.Loss loss : RnnFitSettings.Loss.values()) {
            compareGradients(model, RnnFitSettings.defaults().withLoss(loss), batch, 1e-5);
        }
    }

    /** Wider layers (every block of the kernels, tails included) and one whose recurrent dW is held and stacked. */
    @Test
    void wideLayersAndHeldProductsAgreeToo() {
        RnnModel lstm = RnnFixtures.model(5, Head.of(Head.Type.GAUSSIAN, 3), List.of(), 31, Layer.of(Cell.LSTM, 37));
        RnnModel gru = RnnFixtures.model(5, Head.of(Head.Type.LINEAR, 3), List.of(), 32, Layer.of(Cell.GRU, 29),
                Layer.of(Cell.LSTM, 18));
        for (RnnModel m : List.of(lstm, gru)) {
            List<Sequence> batch = RnnFixtures.batch(m.architecture(), Randoms.seeded(3), 0.1, 40, 33, 21, 40, 9);
            compareGradients(m, RnnFitSettings.defaults().withShardSize(2), batch, 1e-5);
        }
        // 4 bytes × 1,024 × 256 = 1 MB > Gemm.HOLD_BYTES: the recurrent products are held and stacked in float32 too
        RnnModel held = RnnFixtures.model(2, Head.of(Head.Type.LINEAR, 2), List.of(), 33, Layer.of(Cell.LSTM, 256));
        Network network = new Network(held.architecture(), Precision.FLOAT32);
        int recurrent = java.util.Arrays.asList(network.blocks).indexOf(held.architecture().block("weight_hh_l0"));
        assertThat(Tape.held(network, recurrent)).isTrue();
        compareGradients(held, RnnFitSettings.defaults(),
                RnnFixtures.batch(held.architecture(), Randoms.seeded(4), 0.0, 12, 12, 7), 1e-5);
    }

    private static void compareGradients(RnnModel model, RnnFitSettings settings, List<Sequence> batch, double tolerance) {
        double[] theta = model.parameters();
        double[] expected = new double[theta.length];
        double[] actual = new double[theta.length];
        double lossDouble = model.gradientEvaluator(settings).evaluate(theta, batch, expected);
        GradientEvaluator single = model.withPrecision(Precision.FLOAT32).gradientEvaluator(settings);
        double lossFloat = single.evaluate(theta, batch, actual);
        double scale = 0;
        for (double g : expected) {
            scale = Math.max(scale, Math.abs(g));
        }
        assertThat(scale).isPositive();
        for (int i = 0; i < theta.length; i++) {
            assertThat(Math.abs(actual[i] - expected[i])).as("entry %d: float %s, double %s", i, actual[i], expected[i])
                    .isLessThanOrEqualTo(tolerance * scale);
        }
        assertThat(Math.abs(lossFloat - lossDouble)).isLessThanOrEqualTo(1e-5 * Math.max(1, Math.abs(lossDouble)));
        // not the double path by accident: float rounding shows somewhere
        assertThat(actual).isNotEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void theFloatForwardPassIsTheDoubleOneToFloatAccuracy(String name, RnnModel model) {
        Sequence s = RnnFixtures.sequence(model.architecture(), "s", 30, Randoms.seeded(9), 0.0);
        double[][] x = new ReferenceRnn(model).inputs(s);
        double[][] expected = model.forward(x, model.initialStates()).output();
        double[][] actual = model.withPrecision(Precision.FLOAT32).forward(x, model.initialStates()).output();
        for (int t = 0; t < expected.length; t++) {
            for (int j = 0; j < expected[t].length; j++) {
                assertThat(Math.abs(actual[t][j] - expected[t][j])).as("step %d output %d", t, j)
                        .isLessThanOrEqualTo(1e-5 * Math.max(1, Math.abs(expected[t][j])));
            }
        }
    }

    /**
     * Adam on a tiny LSTM learning noisy circles (o_t = (sin, cos)(0.4 t + φ) + noise), 300 steps from the same
     * start: float32 ends where float64 does.
     */
    @Test
    void trainingATinyLstmInFloatReachesTheDoubleLoss() {
        RnnModel model = RnnFixtures.model(2, Head.of(Head.Type.LINEAR, 2), List.of(), 41, Layer.of(Cell.LSTM, 8));
        java.util.random.RandomGenerator random = Randoms.seeded(6);
        List<Sequence> batch = new java.util.ArrayList<>();
        for (int s = 0; s < 4; s++) {
            double phase = random.nextDouble() * 2 * Math.PI;
            double[] values = new double[2 * 25];
            for (int t = 0; t < 25; t++) {
                values[2 * t] = Math.sin(0.4 * t + phase) + 0.05 * random.nextGaussian();
                values[2 * t + 1] = Math.cos(0.4 * t + phase) + 0.05 * random.nextGaussian();
            }
            batch.add(Sequence.of("s" + s, 2, values));
        }
        double initial = model.gradientEvaluator(RnnFitSettings.defaults()).evaluate(model.parameters(), batch,
                new double[model.parameters().length]);
        double lossDouble = train(model, batch);
        double lossFloat = train(model.withPrecision(Precision.FLOAT32), batch);
        assertThat(lossDouble).isLessThan(0.9 * initial);
        // measured 2026-12-02: 0.5855 down to 0.0217687030 (float64) and 0.0217687030 (float32), 4e-9 apart
        assertThat(Math.abs(lossFloat - lossDouble)).isLessThanOrEqualTo(1e-5 * lossDouble);
    }

    private static double train(RnnModel model, List<Sequence> batch) {
        GradientEvaluator evaluator = model.gradientEvaluator(RnnFitSettings.defaults());
        double[] theta = model.parameters();
        double[] g = new double[theta.length];
        double[] m = new double[theta.length];
        double[] v = new double[theta.length];
        double loss = 0;
        for (int step = 1; step <= 300; step++) {
            loss = evaluator.evaluate(theta, batch, g);
            for (int i = 0; i < theta.length; i++) {
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                theta[i] -= 0.01 * (m[i] / (1 - Math.pow(0.9, step))) / (Math.sqrt(v[i] / (1 - Math.pow(0.999, step))) + 1e-8);
            }
        }
        return loss;
    }

    @Test
    void aFloatSpecRoundTripsAndScoresIdentically() {
        String json = RnnSpecTest.ISSUE.replace("\"seed\": 7", "\"seed\": 7, \"precision\": \"float32\"");
        RnnModel m = (RnnModel) ModelSpecs.parse(json, "m.json");
        assertThat(m.precision()).isEqualTo(Precision.FLOAT32);
        String written = ModelSpecs.write(m);
        assertThat(written).contains("\"precision\" : \"float32\"");
        RnnModel back = (RnnModel) ModelSpecs.parse(written, "again");
        assertThat(back).isEqualTo(m);
        assertThat(back).isNotEqualTo(m.withPrecision(Precision.FLOAT64));
        List<Sequence> batch = RnnFixtures.batch(m.architecture(), Randoms.seeded(2), 0.1, 9, 5);
        double[] g1 = new double[m.parameterCount()];
        double[] g2 = new double[m.parameterCount()];
        double a = m.gradientEvaluator(RnnFitSettings.defaults()).evaluate(m.parameters(), batch, g1);
        double b = back.gradientEvaluator(RnnFitSettings.defaults()).evaluate(back.parameters(), batch, g2);
        assertThat(b).isEqualTo(a);
        assertThat(g2).containsExactly(g1);
        // float64, the default, is not written
        assertThat(ModelSpecs.write(m.withPrecision(Precision.FLOAT64))).doesNotContain("precision");
        // training keeps the precision
        assertThat(m.withParameters(m.parameters()).precision()).isEqualTo(Precision.FLOAT32);
    }

    @Test
    void anUnknownPrecisionIsRejectedAtItsField() {
        String json = RnnSpecTest.ISSUE.replace("\"seed\": 7", "\"seed\": 7, \"precision\": \"float16\"");
        assertThatThrownBy(() -> ModelSpecs.parse(json, "m.json")).isInstanceOf(SpecException.class)
                .hasMessageContaining("precision").hasMessageContaining("float16");
        assertThatThrownBy(() -> RnnModel.lstm(1, 2, Head.of(Head.Type.LINEAR, 1), 1).withPrecision(null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
