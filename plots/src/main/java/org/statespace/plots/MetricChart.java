package org.statespace.plots;

import java.util.ArrayList;
import java.util.List;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;

import org.statespace.DataException;

/**
 * A metric compared across models and datasets: grouped bars (one group per dataset, one bar per model)
 * with error bars of ± one standard deviation over seeds. A model that did not run on a dataset has no
 * bar there.
 */
public final class MetricChart {
    private MetricChart() {
    }

    /**
     * The chart.
     *
     * @param title the chart title
     * @param table the metric
     * @return a {@value Charts#WIDTH}×{@value Charts#HEIGHT} category chart
     */
    public static CategoryChart of(String title, MetricTable table) {
        if (!table.hasValues()) {
            throw new DataException("metric " + table.metric() + " has no value for any model and dataset");
        }
        CategoryChart chart = new CategoryChart(Charts.WIDTH, Charts.HEIGHT);
        chart.setTitle(title);
        chart.setXAxisTitle("dataset");
        chart.setYAxisTitle(table.label());
        var s = chart.getStyler();
        Charts.style(s);
        s.setErrorBarsColorSeriesColor(false);
        s.setErrorBarsColor(java.awt.Color.BLACK);
        s.setAvailableSpaceFill(0.8);
        s.setOverlapped(false);
        double[][] mean = table.mean();
        double[][] sd = table.sd();
        double[] ends = new double[2 * table.models().size() * table.datasets().size()];
        int e = 0;
        for (int m = 0; m < table.models().size(); m++) {
            for (int d = 0; d < table.datasets().size(); d++) {
                double spread = Double.isFinite(sd[m][d]) ? sd[m][d] : 0;
                ends[e++] = mean[m][d] - spread;
                ends[e++] = mean[m][d] + spread;
            }
        }
        Charts.padY(s, ends, true);
        for (int m = 0; m < table.models().size(); m++) {
            List<String> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            for (int d = 0; d < table.datasets().size(); d++) {
                x.add(table.datasets().get(d));
                boolean has = Double.isFinite(mean[m][d]);
                Double spread = Double.isFinite(sd[m][d]) ? Double.valueOf(sd[m][d]) : Double.valueOf(0);
                y.add(has ? Double.valueOf(mean[m][d]) : Double.valueOf(Double.NaN));
                errors.add(has ? spread : Double.valueOf(0));
            }
            CategorySeries series = chart.addSeries(table.models().get(m), x, y, errors);
            series.setFillColor(Charts.color(m));
        }
        return chart;
    }
}
