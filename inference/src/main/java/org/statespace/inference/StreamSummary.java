package org.statespace.inference;

/**
 * What a streaming run keeps: per-sequence log-likelihoods and the totals.
 *
 * @param sequenceLogLikelihoods one per sequence, in dataset order
 * @param logLikelihood          their sum in dataset order
 * @param observedSteps          steps with at least one observed component
 * @param seconds                wall-clock time
 */
public record StreamSummary(double[] sequenceLogLikelihoods, double logLikelihood, long observedSteps, double seconds) {

    public StreamSummary {
        sequenceLogLikelihoods = sequenceLogLikelihoods.clone();
    }

    @Override
    public double[] sequenceLogLikelihoods() {
        return sequenceLogLikelihoods.clone();
    }

    /** Mean predictive log-likelihood per observed step. */
    public double meanLogLikelihood() {
        return observedSteps == 0 ? 0 : logLikelihood / observedSteps;
    }
}
