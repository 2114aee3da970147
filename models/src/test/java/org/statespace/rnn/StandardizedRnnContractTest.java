package org.statespace.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import org.statespace.StateSpaceModel;
import org.statespace.capability.GradientEvaluator;
import org.statespace.contract.ModelContract;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;
import org.statespace.transform.StandardizedModel;

/**
 * RNNs on standardised data ({@link StandardizedModel}) in the family contract. Brute force: the plain-loop
 * reference network run on the sequence standardised by hand, with the change of variables
 * log p(o) = log p(z) - Σ log σ over the observed components.
 */
class StandardizedRnnContractTest extends ModelContract {
    static final double[] OBS_MEAN = {100, -3};
    static final double[] OBS_SCALE = {20, 0.5};
    static final double[] IN_MEAN = {7};
    static final double[] IN_SCALE = {3};

    @Override
    protected List<StateSpaceModel<?, ?>> tinyModels() {
        RnnModel inner = RnnFixtures.model(3, Head.of(Head.Type.GAUSSIAN, 2), List.of(), 5, Layer.of(Cell.GRU, 3));
        RnnModel dice = RnnFixtures.model(4, RnnContractTest.DICE, List.of(), 6, Layer.of(Cell.TANH, 2));
        return List.of(StandardizedModel.of(inner, OBS_MEAN, OBS_SCALE, IN_MEAN, IN_SCALE),
                StandardizedModel.of(dice, new double[0], new double[0], IN_MEAN, IN_SCALE));
    }

    @Override
    protected List<Sequence> sequencesFor(StateSpaceModel<?, ?> model, RandomGenerator random) {
        RnnModel inner = (RnnModel) ((StandardizedModel) model).inner();
        boolean symbols = inner.architecture().head().type() == Head.Type.SOFTMAX;
        List<Sequence> out = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
            Sequence z = RnnFixtures.sequence(inner.architecture(), "s" + n, 1 + random.nextInt(6), random, 0.2);
            out.add(unstandardize(z, symbols));
        }
        return out;
    }

    // o = μ + σ z, u = μ_u + σ_u v: data on the original scale
    private static Sequence unstandardize(Sequence z, boolean symbols) {
        double[] y = z.observations();
        if (!symbols) {
            for (int i = 0; i < y.length; i++) {
                int j = i % z.dimension();
                y[i] = OBS_MEAN[j] + OBS_SCALE[j] * y[i];
            }
        }
        double[] u = z.inputs();
        for (int i = 0; i < u.length; i++) {
            u[i] = IN_MEAN[0] + IN_SCALE[0] * u[i];
        }
        return Sequence.of(z.id(), z.dimension(), y).withInputs(z.inputDimension(), u);
    }

    private static Sequence standardizeByHand(Sequence s, boolean symbols) {
        double[] y = s.observations();
        if (!symbols) {
            for (int i = 0; i < y.length; i++) {
                int j = i % s.dimension();
                y[i] = (y[i] - OBS_MEAN[j]) / OBS_SCALE[j];
            }
        }
        double[] u = s.inputs();
        for (int i = 0; i < u.length; i++) {
            u[i] = (u[i] - IN_MEAN[0]) / IN_SCALE[0];
        }
        return Sequence.of(s.id(), s.dimension(), y).withInputs(s.inputDimension(), u);
    }

    @Override
    protected double bruteForceLogLikelihood(StateSpaceModel<?, ?> model, Sequence sequence) {
        RnnModel inner = (RnnModel) ((StandardizedModel) model).inner();
        boolean symbols = inner.architecture().head().type() == Head.Type.SOFTMAX;
        double ll = new ReferenceRnn(inner).logLikelihood(standardizeByHand(sequence, symbols));
        if (!symbols) {
            for (int t = 0; t < sequence.length(); t++) {
                for (int j = 0; j < sequence.dimension(); j++) {
                    if (!Double.isNaN(sequence.value(t, j))) {
                        ll -= Math.log(OBS_SCALE[j]);
                    }
                }
            }
        }
        return ll;
    }

    @Test
    void gradientsAreTheInnerNetworksOnStandardisedData() {
        StandardizedModel.Trainable model = (StandardizedModel.Trainable) tinyModels().get(0);
        RnnModel inner = (RnnModel) model.inner();
        List<Sequence> batch = sequencesFor(model, Randoms.seeded(3));
        List<Sequence> byHand = batch.stream().map(s -> standardizeByHand(s, false)).toList();
        double[] theta = model.parameters();
        double[] g1 = new double[theta.length];
        double[] g2 = new double[theta.length];
        GradientEvaluator wrapped = model.gradientEvaluator(RnnFitSettings.defaults());
        double l1 = wrapped.evaluate(theta, batch, g1);
        double l2 = inner.gradientEvaluator(RnnFitSettings.defaults()).evaluate(theta, byHand, g2);
        assertThat(l1).isCloseTo(l2, within(1e-12));
        for (int i = 0; i < theta.length; i++) {
            assertThat(g1[i]).isCloseTo(g2[i], within(1e-12));
        }
        assertThat(model.withParameters(theta)).isEqualTo(model);
    }
}
