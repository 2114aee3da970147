package org.statespace.plots;

import java.util.List;

import org.statespace.DimensionMismatchException;

/**
 * One metric of a study, models × datasets: the mean over seeds and its spread (sample standard
 * deviation over seeds). NaN where a model did not run on a dataset or the metric does not apply.
 *
 * @param metric   the metric's name, e.g. "meanLogLikelihood"
 * @param label    the axis title with its unit, e.g. "predictive log-likelihood per observation (nats)"
 * @param models   M model names (one bar colour each)
 * @param datasets D dataset names (one group of bars each)
 * @param mean     M×D means, [model][dataset]
 * @param sd       M×D standard deviations over seeds (0 for one seed)
 */
public record MetricTable(String metric, String label, List<String> models, List<String> datasets, double[][] mean,
        double[][] sd) {

    public MetricTable {
        models = List.copyOf(models);
        datasets = List.copyOf(datasets);
        check("mean", mean, models.size(), datasets.size());
        check("sd", sd, models.size(), datasets.size());
        mean = copy(mean);
        sd = copy(sd);
    }

    private static void check(String name, double[][] m, int rows, int cols) {
        if (m.length != rows) {
            throw new DimensionMismatchException(name, rows + " rows (models)", m.length + " rows");
        }
        for (int i = 0; i < rows; i++) {
            if (m[i].length != cols) {
                throw new DimensionMismatchException(name + "[" + i + "]", cols + " values (datasets)",
                        m[i].length + " values");
            }
        }
    }

    private static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }

    @Override
    public double[][] mean() {
        return copy(mean);
    }

    @Override
    public double[][] sd() {
        return copy(sd);
    }

    /** Whether any model has a value on any dataset. */
    public boolean hasValues() {
        for (double[] row : mean) {
            for (double v : row) {
                if (Double.isFinite(v)) {
                    return true;
                }
            }
        }
        return false;
    }
}
