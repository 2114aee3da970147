package org.statespace.capability;

import java.util.random.RandomGenerator;

import org.statespace.data.Sequence;

/**
 * A model that draws its hidden states from their posterior given a whole sequence,
 * h_0..h_{T-1} ~ p(h | o_0..o_{T-1}): the simulation smoother of a linear-Gaussian model, forward-filter
 * backward-sample for models with discrete hidden states. The draws are independent of each other, and
 * the same generator state gives the same draws.
 */
public interface PosteriorSampling {

    /**
     * {@code count} independent joint draws of the hidden states of {@code sequence} given all of it.
     *
     * @param count at least 1
     * @throws IllegalArgumentException when {@code count} is below 1
     */
    PosteriorDraws samplePosterior(Sequence sequence, int count, RandomGenerator random);
}
