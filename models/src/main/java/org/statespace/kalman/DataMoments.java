package org.statespace.kalman;

import org.statespace.data.Dataset;
import org.statespace.data.Moments;

/**
 * Per-component means and variances of a dataset (observed values only), for data-sized starts: read from
 * {@link Moments}, whose exact sums make them the same for a dataset in memory and in a cluster's partitions.
 */
final class DataMoments {
    final double[] mean;
    final double[] variance;
    final double[] differenceVariance;

    private DataMoments(double[] mean, double[] variance, double[] differenceVariance) {
        this.mean = mean;
        this.variance = variance;
        this.differenceVariance = differenceVariance;
    }

    static DataMoments of(Dataset data) {
        return of(Moments.of(data));
    }

    /**
     * Each component's mean (0 when unobserved), sample variance (1 below two values or when not positive) and
     * mean squared lag-one difference (the variance when there is none or it is 0).
     */
    static DataMoments of(Moments moments) {
        int d = moments.dimension();
        double[] mean = new double[d];
        double[] variance = new double[d];
        double[] differences = new double[d];
        for (int j = 0; j < d; j++) {
            Moments.Column c = moments.observation(j);
            mean[j] = c.mean();
            double v = c.variance();
            variance[j] = v > 0 ? v : 1;
            double dv = c.differenceCount() == 0 ? variance[j] : c.differenceMeanSquare();
            differences[j] = dv > 0 ? dv : variance[j];
        }
        return new DataMoments(mean, variance, differences);
    }

    /** Placeholder moments of d components (mean 0, variances 1), for a skeleton sized before the data are read. */
    static DataMoments unit(int d) {
        double[] ones = new double[d];
        java.util.Arrays.fill(ones, 1);
        return new DataMoments(new double[d], ones, ones.clone());
    }

    /** The mean of the component variances. */
    double averageVariance() {
        double s = 0;
        for (double v : variance) {
            s += v;
        }
        return s / variance.length;
    }
}
