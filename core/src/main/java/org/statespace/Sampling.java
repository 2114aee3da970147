package org.statespace;

import java.util.random.RandomGenerator;

import org.statespace.capability.LatentSampling;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceBuffer;
import org.statespace.distribution.PredictiveDistribution;

/**
 * Draws sequences from any model. A model with {@link LatentSampling} draws its hidden path too; any
 * other is sampled ancestrally through its own recurrence: predict p(o_t | past), draw o_t, feed it to
 * the next step. Both give observations with the model's law; only the first records hidden states.
 */
public final class Sampling {
    private Sampling() {
    }

    /**
     * One sequence of {@code length} steps.
     *
     * @param inputs exogenous inputs for models that take them (at least {@code length} steps), else {@code null}
     */
    public static Sequence sample(StateSpaceModel<?, ?> model, String id, int length, Sequence inputs,
            RandomGenerator random) {
        if (length < 1) {
            throw new IllegalArgumentException("length must be at least 1, got " + length);
        }
        int p = model.observationSpace().inputDimension();
        if (p > 0 && (inputs == null || inputs.inputDimension() != p)) {
            throw new DataException("the model takes " + p + " inputs per step: give inputs to sample with");
        }
        Sequence drawn = model instanceof LatentSampling latent
                ? latent.sampleWithStates(id, length, p > 0 ? inputs : null, random)
                : ancestral(model, id, length, p > 0 ? inputs : null, random);
        return requireFinite(drawn);
    }

    /**
     * A draw that overflowed (an explosive transition run long enough, activations that blow up) is a
     * {@link NumericalException} naming the sequence, the first step and the value, never a sequence of
     * infinities (or NaN, which would read as missing).
     */
    private static Sequence requireFinite(Sequence drawn) {
        int d = drawn.dimension();
        for (int t = 0; t < drawn.length(); t++) {
            for (int j = 0; j < d; j++) {
                double v = drawn.value(t, j);
                if (!Double.isFinite(v)) {
                    throw new NumericalException("sequence '" + drawn.id() + "', step " + t + ": the sampled observation"
                            + (d == 1 ? "" : " component " + j) + " is " + v + " (the model's values overflow a double)");
                }
            }
            if (drawn.hasStates()) {
                for (int j = 0; j < drawn.stateDimension(); j++) {
                    double v = drawn.state(t, j);
                    if (!Double.isFinite(v)) {
                        throw new NumericalException("sequence '" + drawn.id() + "', step " + t + ": the sampled hidden state"
                                + " component " + j + " is " + v + " (the model's values overflow a double)");
                    }
                }
            }
        }
        return drawn;
    }

    /** Sampling through the predictive distributions only (no hidden states). */
    public static <S, D extends PredictiveDistribution> Sequence ancestral(StateSpaceModel<S, D> model, String id,
            int length, Sequence inputs, RandomGenerator random) {
        int d = model.observationSpace().dimension();
        SequenceBuffer buffer = new SequenceBuffer(id, length, d, inputs);
        Sequence view = buffer.view();
        StateTransition<S> f = model.transition();
        Emission<S, D> g = model.emission();
        S state = f.newState();
        D predicted = g.newDistribution();
        double[] draw = new double[d];
        for (int t = 0; t < length; t++) {
            if (t == 0) {
                f.start(state, view);
            } else {
                f.step(state, view, t);
            }
            g.predict(state, view, t, predicted);
            predicted.sample(random, draw, 0);
            buffer.set(t, draw, 0);
        }
        return buffer.toSequence();
    }
}
