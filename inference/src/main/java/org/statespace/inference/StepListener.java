package org.statespace.inference;

import org.statespace.data.Sequence;
import org.statespace.distribution.PredictiveDistribution;

/**
 * Sees every step of a streaming filter run. With several threads, calls for different sequences may
 * come from different threads at the same time, but all calls for one sequence come from one thread,
 * in order of t. The distribution is a live workspace: copy it to keep it.
 */
@FunctionalInterface
public interface StepListener {

    /**
     * @param sequenceIndex the index of the sequence in the dataset
     * @param sequence      the sequence
     * @param t             the step
     * @param predicted     p(o_t | o_0..o_{t-1}, inputs)
     * @param logDensity    log p(o_t | past), 0 when o_t is missing
     */
    void onStep(int sequenceIndex, Sequence sequence, int t, PredictiveDistribution predicted, double logDensity);

    /**
     * The same, told whether step t lies in the diffuse period of an exact diffuse start (see
     * {@link org.statespace.DiffusePhase}); the engine calls this one. By default it ignores the flag.
     *
     * @param diffuse whether the prediction still carries a diffuse (infinite-variance) part
     */
    default void onStep(int sequenceIndex, Sequence sequence, int t, PredictiveDistribution predicted, double logDensity,
            boolean diffuse) {
        onStep(sequenceIndex, sequence, t, predicted, logDensity);
    }
}
