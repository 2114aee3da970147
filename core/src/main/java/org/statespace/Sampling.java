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
        if (model instanceof LatentSampling latent) {
            return latent.sampleWithStates(id, length, p > 0 ? inputs : null, random);
        }
        return ancestral(model, id, length, p > 0 ? inputs : null, random);
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
