package org.statespace.capability;

import org.statespace.data.Sequence;

/** A model that can report its filtered state estimates p(h_t | o_0..o_t) step by step. */
public interface StateFiltering {

    /**
     * Filtered (and, where the family has them, predicted) state estimates over one sequence, e.g.
     * {@code filteredProbabilities} (T×K) for an HMM, {@code filteredMeans}, {@code filteredCovariances},
     * {@code predictedMeans}, {@code predictedCovariances} for a linear-Gaussian model.
     */
    StateEstimates filterStates(Sequence sequence);
}
