package org.statespace.inference;

/**
 * How the filter engine runs.
 *
 * @param threads   worker threads over sequences (results do not depend on it); at least 1
 * @param summaries whether stored runs keep the predictive summary of every step (mean, variance, point
 *                  prediction, 50% and 90% central intervals; probabilities for symbols) besides the
 *                  log-densities
 */
public record FilterOptions(int threads, boolean summaries) {

    public FilterOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    /** All available cores, with summaries. */
    public static FilterOptions defaults() {
        return new FilterOptions(Runtime.getRuntime().availableProcessors(), true);
    }

    public FilterOptions withThreads(int n) {
        return new FilterOptions(n, summaries);
    }

    public FilterOptions withSummaries(boolean keep) {
        return new FilterOptions(threads, keep);
    }
}
