package org.statespace.capability;

import java.util.random.RandomGenerator;

import org.statespace.data.Sequence;

/**
 * A model that samples its hidden states along with the observations. Models without it are sampled
 * through their predictive distributions ({@link org.statespace.Sampling}), which gives the same law of
 * the observations but no states.
 */
public interface LatentSampling {

    /**
     * Draws one sequence of {@code length} steps with its hidden states attached
     * ({@link Sequence#withStates}).
     *
     * @param inputs the exogenous inputs to use (at least {@code length} steps), or {@code null}
     */
    Sequence sampleWithStates(String id, int length, Sequence inputs, RandomGenerator random);
}
