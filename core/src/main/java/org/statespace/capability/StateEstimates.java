package org.statespace.capability;

import java.util.List;

/**
 * Per-step estimates of the hidden state over one sequence: filtered or smoothed state probabilities
 * of an HMM, means and covariances of a linear-Gaussian model, hidden units of an RNN. Families return
 * their own typed results; this view lets writers and plots treat them alike.
 */
public interface StateEstimates {

    /** T. */
    int length();

    /** The sequence log-likelihood computed on the way (NaN when the family does not compute it). */
    double logLikelihood();

    /** The named per-step tracks, in a stable order. */
    List<Track> tracks();
}
