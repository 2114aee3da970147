package org.statespace.inference;

import java.util.List;

/**
 * A stored filter run over a dataset: one {@link SequenceTrace} per sequence, in dataset order.
 */
public final class FilterResult {
    private final List<SequenceTrace> sequences;
    private final double logLikelihood;
    private final long observedSteps;
    private final double seconds;

    FilterResult(List<SequenceTrace> sequences, double seconds) {
        this.sequences = List.copyOf(sequences);
        double total = 0;
        long n = 0;
        for (SequenceTrace s : sequences) {
            total += s.logLikelihood();
            for (int t = 0; t < s.length(); t++) {
                if (s.observed(t)) {
                    n++;
                }
            }
        }
        this.logLikelihood = total;
        this.observedSteps = n;
        this.seconds = seconds;
    }

    public List<SequenceTrace> sequences() {
        return sequences;
    }

    public SequenceTrace sequence(int i) {
        return sequences.get(i);
    }

    /** Σ over sequences of their log-likelihoods, summed in dataset order. */
    public double logLikelihood() {
        return logLikelihood;
    }

    /** Steps with at least one observed component. */
    public long observedSteps() {
        return observedSteps;
    }

    /** Mean predictive log-likelihood per observed step (nats). */
    public double meanLogLikelihood() {
        return observedSteps == 0 ? 0 : logLikelihood / observedSteps;
    }

    /** Wall-clock seconds the run took. */
    public double seconds() {
        return seconds;
    }
}
