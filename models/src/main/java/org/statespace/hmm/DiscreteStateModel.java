package org.statespace.hmm;

import org.statespace.capability.DecodedPath;
import org.statespace.capability.PathDecoding;
import org.statespace.capability.StateFiltering;
import org.statespace.capability.StateSmoothing;
import org.statespace.data.Sequence;

/**
 * A model with K discrete hidden states whose filter, smoother, decoder and log-likelihood are its
 * {@link StateRecursions} run over the sequence: written once here for the HMM, the input-output HMM and the
 * HSMM.
 */
public interface DiscreteStateModel extends StateFiltering, StateSmoothing, PathDecoding {

    /** K. */
    int stateCount();

    /** Fresh kernel workspaces for this model (one per thread). */
    StateRecursions recursions();

    /** log p(o_0..o_{T-1}). */
    default double logLikelihood(Sequence sequence) {
        return recursions().logLikelihood(sequence);
    }

    /** {@code filteredProbabilities}: p(s_t | o_0..o_t), T×K. */
    @Override
    default StateProbabilities filterStates(Sequence sequence) {
        StateRecursions r = recursions();
        double ll = r.forward(sequence);
        return new StateProbabilities("filteredProbabilities", sequence.length(), stateCount(), r.filteredProbabilities(),
                ll);
    }

    /** {@code posteriorProbabilities}: p(s_t | o_0..o_{T-1}), T×K. */
    @Override
    default StateProbabilities smoothStates(Sequence sequence) {
        StateRecursions r = recursions();
        double ll = r.smooth(sequence);
        return new StateProbabilities("posteriorProbabilities", sequence.length(), stateCount(),
                r.posteriorProbabilities(), ll);
    }

    /** The most probable state path (Viterbi) and log p(s*, o). */
    @Override
    default DecodedPath decode(Sequence sequence) {
        return recursions().viterbi(sequence);
    }
}
