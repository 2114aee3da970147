package org.statespace.inference;

/**
 * How the filter engine runs.
 *
 * @param threads       worker threads over sequences (results do not depend on it); at least 1
 * @param summaries     whether stored runs keep the predictive summary of every step (mean, variance, point
 *                      prediction, 50% and 90% central intervals; probabilities for symbols) besides the
 *                      log-densities
 * @param requireFinite what an observation of probability zero means. {@code false} (the default, as
 *                      {@code scipy}'s {@code logpmf} does): it is a result, that step's log-density and
 *                      the sequence's log-likelihood are -∞ (a NaN or +∞ log-density is an error either
 *                      way). {@code true}: it is a {@link org.statespace.NumericalException} naming the
 *                      sequence, the step and the observation, and so is a non-finite predictive summary
 *                      (a mean, variance or interval that overflows); every number of the run is then
 *                      finite. The command line runs with {@code true}, so that no result file holds a
 *                      non-finite value.
 * @param states        whether stored runs also keep the model's filtered state estimates of every step
 *                      ({@link SequenceTrace#states()}), for a model that has them
 *                      ({@link org.statespace.capability.StateFiltering}); see {@link FilterEngine#run}
 */
public record FilterOptions(int threads, boolean summaries, boolean requireFinite, boolean states) {

    public FilterOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    /** Without state estimates. */
    public FilterOptions(int threads, boolean summaries, boolean requireFinite) {
        this(threads, summaries, requireFinite, false);
    }

    /** {@code threads} and {@code summaries}, with an observation of probability zero scored -∞. */
    public FilterOptions(int threads, boolean summaries) {
        this(threads, summaries, false);
    }

    /** All available cores, with summaries, an observation of probability zero scored -∞. */
    public static FilterOptions defaults() {
        return new FilterOptions(Runtime.getRuntime().availableProcessors(), true, false, false);
    }

    public FilterOptions withThreads(int n) {
        return new FilterOptions(n, summaries, requireFinite, states);
    }

    public FilterOptions withSummaries(boolean keep) {
        return new FilterOptions(threads, keep, requireFinite, states);
    }

    /** See {@link #requireFinite()}: {@code true} makes every non-finite result an error. */
    public FilterOptions withRequireFinite(boolean finite) {
        return new FilterOptions(threads, summaries, finite, states);
    }

    /** See {@link #states()}: {@code true} keeps the filtered state estimates of every stored run. */
    public FilterOptions withStates(boolean keep) {
        return new FilterOptions(threads, summaries, requireFinite, keep);
    }
}
