package org.statespace.capability;

/**
 * Expected sufficient statistics accumulated over sequences in an E-step. Mutable; one accumulator per
 * thread, then merged (merging in a fixed order keeps results independent of the thread count).
 */
public interface SufficientStatistics {

    /** Adds another accumulator of the same model into this one. */
    void merge(SufficientStatistics other);

    /** The summed log-likelihood of the sequences accumulated so far. */
    double logLikelihood();
}
