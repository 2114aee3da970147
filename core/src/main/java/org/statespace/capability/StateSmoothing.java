package org.statespace.capability;

import org.statespace.data.Sequence;

/** A model that can compute smoothed state estimates p(h_t | o_0..o_{T-1}). */
public interface StateSmoothing {

    /**
     * Smoothed state estimates over one sequence, e.g. {@code posteriorProbabilities} (T×K) for an HMM,
     * {@code smoothedMeans} and {@code smoothedCovariances} for a linear-Gaussian model.
     */
    StateEstimates smoothStates(Sequence sequence);
}
