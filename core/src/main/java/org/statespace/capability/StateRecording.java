package org.statespace.capability;

import org.statespace.data.Sequence;

/**
 * A model whose filtered state estimates can be read off the state h_t its recurrence carries, step by
 * step, so that one run of the filter engine both scores a sequence and keeps its {@link StateFiltering}
 * estimates, without a second forward pass. The estimates equal those of {@link #filterStates}.
 *
 * @param <S> the model's recurrence state
 */
public interface StateRecording<S> extends StateFiltering {

    /** Collects the estimates of one run over {@code sequence}; a new recorder for every run. */
    StateRecorder<S> stateRecorder(Sequence sequence);

    /**
     * Sees h_t of every step of one run, after step t was scored, in order of t.
     *
     * @param <S> the model's recurrence state
     */
    interface StateRecorder<S> {
        /** Copies what step t's estimates need out of the live state (the state is not modified). */
        void record(int t, S state);

        /** The estimates of the whole run, with the run's log-likelihood. */
        StateEstimates estimates(double logLikelihood);
    }
}
