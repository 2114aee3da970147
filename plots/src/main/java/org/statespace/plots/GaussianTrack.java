package org.statespace.plots;

import org.statespace.DataException;
import org.statespace.DimensionMismatchException;

/**
 * Gaussian state estimates over a sequence, packed: a linear-Gaussian model's filtered
 * p(x_t | o_0..o_t) or smoothed p(x_t | o_0..o_{T-1}) means and covariances.
 *
 * @param name        the legend name, e.g. "filtered" or "smoothed"
 * @param length      T
 * @param dimension   n, the state dimension
 * @param means       T×n, row-major
 * @param covariances T×n×n, row-major (step t's n×n block after step t-1's)
 */
public record GaussianTrack(String name, int length, int dimension, double[] means, double[] covariances) {

    public GaussianTrack {
        if (length <= 0 || dimension <= 0) {
            throw new DataException(name + ": a state track needs at least one step and one component, got " + length
                    + " steps of dimension " + dimension);
        }
        if (means.length != length * dimension) {
            throw new DimensionMismatchException(name + " means", length + "x" + dimension + " values",
                    means.length + " values");
        }
        if (covariances.length != length * dimension * dimension) {
            throw new DimensionMismatchException(name + " covariances",
                    length + "x" + dimension + "x" + dimension + " values", covariances.length + " values");
        }
        means = means.clone();
        covariances = covariances.clone();
    }

    /** E[x_t,j]. */
    public double mean(int t, int j) {
        return means[t * dimension + j];
    }

    /** Var[x_t,j], the diagonal element (j, j) of step t's covariance. */
    public double variance(int t, int j) {
        return covariances[t * dimension * dimension + j * dimension + j];
    }

    @Override
    public double[] means() {
        return means.clone();
    }

    @Override
    public double[] covariances() {
        return covariances.clone();
    }
}
