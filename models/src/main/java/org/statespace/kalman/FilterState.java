package org.statespace.kalman;

/**
 * The small state of a Gaussian filter: the belief of x_t as mean (n×1) and covariance (n×n, row-major),
 * predicted (given o_0..o_{t-1}) after {@code predict} and filtered (given o_0..o_t) after {@code correct},
 * and the log-likelihood accumulated over the corrections so far. Mutable, one per run; read it through
 * the accessors and copy what you keep.
 */
public final class FilterState {
    final int n;
    final double[] mean;
    final double[] covariance;
    double logLikelihood;
    int step = -1;
    boolean corrected;

    FilterState(int n) {
        this.n = n;
        mean = new double[n];
        covariance = new double[n * n];
    }

    /** n. */
    public int stateDimension() {
        return n;
    }

    /** The step t the belief is of (-1 before {@code start}). */
    public int step() {
        return step;
    }

    /** Whether the belief is the filtered one of {@link #step()} (else the predicted one). */
    public boolean corrected() {
        return corrected;
    }

    /** Component i of the mean. */
    public double mean(int i) {
        return mean[i];
    }

    /** Entry (i, j) of the covariance. */
    public double covariance(int i, int j) {
        return covariance[i * n + j];
    }

    /** The mean (n), a copy. */
    public double[] mean() {
        return mean.clone();
    }

    /** The covariance (n×n row-major), a copy. */
    public double[] covariance() {
        return covariance.clone();
    }

    /** Σ log p(o_s | o_0..o_{s-1}) over the corrections so far. */
    public double logLikelihood() {
        return logLikelihood;
    }

    @Override
    public String toString() {
        return "FilterState[step=" + step + (corrected ? ", filtered" : ", predicted") + ", n=" + n + "]";
    }
}
