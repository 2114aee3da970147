package org.statespace.kalman;

import org.statespace.data.Dataset;
import org.statespace.data.Sequence;

/** Per-component means and variances of a dataset (observed values only), for data-sized starts. */
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
        int d = data.dimension();
        double[] sum = new double[d];
        double[] sumSq = new double[d];
        long[] n = new long[d];
        double[] diffSq = new double[d];
        long[] nd = new long[d];
        for (Sequence s : data.sequences()) {
            for (int t = 0; t < s.length(); t++) {
                for (int j = 0; j < d; j++) {
                    double y = s.value(t, j);
                    if (Double.isNaN(y)) {
                        continue;
                    }
                    sum[j] += y;
                    sumSq[j] += y * y;
                    n[j]++;
                    if (t > 0 && !Double.isNaN(s.value(t - 1, j))) {
                        double e = y - s.value(t - 1, j);
                        diffSq[j] += e * e;
                        nd[j]++;
                    }
                }
            }
        }
        double[] mean = new double[d];
        double[] variance = new double[d];
        double[] differences = new double[d];
        for (int j = 0; j < d; j++) {
            mean[j] = n[j] == 0 ? 0 : sum[j] / n[j];
            double v = n[j] < 2 ? 1 : (sumSq[j] - n[j] * mean[j] * mean[j]) / (n[j] - 1);
            variance[j] = v > 0 ? v : 1;
            double dv = nd[j] == 0 ? variance[j] : diffSq[j] / nd[j];
            differences[j] = dv > 0 ? dv : variance[j];
        }
        return new DataMoments(mean, variance, differences);
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
