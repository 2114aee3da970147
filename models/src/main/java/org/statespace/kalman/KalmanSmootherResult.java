package org.statespace.kalman;

import java.util.List;

import org.statespace.capability.StateEstimates;
import org.statespace.capability.Track;

/**
 * Smoothed moments of the hidden states of one sequence given all of it, packed. Tracks:
 * {@code smoothedMeans} (T×n) E[x_t | o_0..o_{T-1}], {@code smoothedCovariances} (T×n×n) Var[x_t | all],
 * {@code smoothedLagOneCovariances} (T×n×n) Cov[x_t, x_{t-1} | all], undefined (NaN, written as null)
 * at t = 0.
 */
public final class KalmanSmootherResult implements StateEstimates {
    private final int length;
    private final int n;
    private final double[] means;
    private final double[] covariances;
    private final double[] lagOne;
    private final double logLikelihood;

    KalmanSmootherResult(int length, int n, double[] means, double[] covariances, double[] lagOne, double logLikelihood) {
        this.length = length;
        this.n = n;
        this.means = means;
        this.covariances = covariances;
        this.lagOne = lagOne;
        this.logLikelihood = logLikelihood;
    }

    @Override
    public int length() {
        return length;
    }

    public int stateDimension() {
        return n;
    }

    /** The sequence log-likelihood (the convention of {@link KalmanFilterResult#logLikelihood()}). */
    @Override
    public double logLikelihood() {
        return logLikelihood;
    }

    /** E[x_t,i | all]. */
    public double mean(int t, int i) {
        return means[t * n + i];
    }

    /** Cov[x_t,i, x_t,j | all]. */
    public double covariance(int t, int i, int j) {
        return covariances[(t * n + i) * n + j];
    }

    /** Cov[x_t,i, x_{t-1},j | all], for t &gt;= 1. */
    public double lagOneCovariance(int t, int i, int j) {
        if (t < 1 || t >= length) {
            throw new IndexOutOfBoundsException("lag-one covariances exist for steps 1.." + (length - 1) + ", got " + t);
        }
        return lagOne[(t * n + i) * n + j];
    }

    @Override
    public List<Track> tracks() {
        return List.of(new Track("smoothedMeans", length, new int[] {n}, means),
                new Track("smoothedCovariances", length, new int[] {n, n}, covariances),
                new Track("smoothedLagOneCovariances", length, new int[] {n, n}, lagOne));
    }

    @Override
    public String toString() {
        return "KalmanSmootherResult[T=" + length + ", n=" + n + ", logLikelihood=" + logLikelihood + "]";
    }
}
