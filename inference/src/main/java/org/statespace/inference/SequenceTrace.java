package org.statespace.inference;

import java.util.Optional;

import org.statespace.capability.StateEstimates;

/**
 * One sequence's filter run, packed: the log-density of every observation under its one-step
 * predictive distribution and, when summaries were kept, what that distribution said.
 *
 * <p>Arrays are T×d row-major (d the observation dimension); intervals are T×d×4 holding the 5%, 25%,
 * 75% and 95% quantiles (the central 90% and 50% intervals); probabilities are T×M for symbols. Missing
 * observations have log-density 0.
 */
public final class SequenceTrace {
    private final String id;
    private final int length;
    private final int dimension;
    private final double logLikelihood;
    private final double[] logDensities;
    private final boolean[] observed;
    private final Summaries summaries;
    private final StateEstimates states;

    /** The predictive summaries of a run. */
    record Summaries(double[] means, double[] variances, double[] points, double[] intervals, int symbols,
            double[] probabilities) {
    }

    SequenceTrace(String id, int length, int dimension, double logLikelihood, double[] logDensities,
            boolean[] observed, Summaries summaries, StateEstimates states) {
        this.id = id;
        this.length = length;
        this.dimension = dimension;
        this.logLikelihood = logLikelihood;
        this.logDensities = logDensities;
        this.observed = observed;
        this.summaries = summaries;
        this.states = states;
    }

    /**
     * The model's filtered state estimates of this run ({@code filteredProbabilities}, {@code filteredMeans},
     * {@code hidden_l0}, ...), when the run kept them ({@link FilterOptions#states()}); else empty.
     */
    public Optional<StateEstimates> states() {
        return Optional.ofNullable(states);
    }

    public String id() {
        return id;
    }

    /** T. */
    public int length() {
        return length;
    }

    /** d. */
    public int dimension() {
        return dimension;
    }

    /** Σ_t log p(o_t | past). */
    public double logLikelihood() {
        return logLikelihood;
    }

    /** log p(o_t | past). */
    public double logDensity(int t) {
        return logDensities[t];
    }

    /** A copy of all T log-densities. */
    public double[] logDensities() {
        return logDensities.clone();
    }

    /** Whether o_t had at least one observed component. */
    public boolean observed(int t) {
        return observed[t];
    }

    /** Whether predictive summaries were kept. */
    public boolean hasSummaries() {
        return summaries != null;
    }

    private Summaries summaries() {
        if (summaries == null) {
            throw new IllegalStateException("this run kept no predictive summaries (FilterOptions.summaries)");
        }
        return summaries;
    }

    /** Predictive mean of component j at step t. */
    public double mean(int t, int j) {
        return summaries().means[t * dimension + j];
    }

    /** Predictive variance of component j at step t. */
    public double variance(int t, int j) {
        return summaries().variances[t * dimension + j];
    }

    /** Point prediction (mean, or most probable symbol) of component j at step t. */
    public double point(int t, int j) {
        return summaries().points[t * dimension + j];
    }

    /** The central interval of component j at step t: level 0.5 or 0.9; returns {lower, upper}. */
    public double[] interval(int t, int j, double level) {
        int base = (t * dimension + j) * 4;
        double[] q = summaries().intervals;
        if (level == 0.9) {
            return new double[] {q[base], q[base + 3]};
        }
        if (level == 0.5) {
            return new double[] {q[base + 1], q[base + 2]};
        }
        throw new IllegalArgumentException("intervals are kept at levels 0.5 and 0.9, not " + level);
    }

    /** For symbolic models, p(o_t = k | past); empty for real-valued ones. */
    public Optional<double[]> probabilities(int t) {
        Summaries s = summaries();
        if (s.probabilities == null) {
            return Optional.empty();
        }
        double[] p = new double[s.symbols];
        System.arraycopy(s.probabilities, t * s.symbols, p, 0, s.symbols);
        return Optional.of(p);
    }

    /** M for symbolic models, 0 otherwise. */
    public int symbolCount() {
        return summaries == null ? 0 : summaries.symbols;
    }
}
