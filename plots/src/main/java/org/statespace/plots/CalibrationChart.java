package org.statespace.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import org.statespace.DataException;

/**
 * Calibration of one-step-ahead predictions: the PIT histogram (the predictive CDF at each observation;
 * flat when calibrated, U-shaped when too sharp, humped when too wide) and the coverage of central
 * intervals against their nominal level (on the diagonal when calibrated). Pure functions from counts and
 * rates to charts.
 */
public final class CalibrationChart {
    private CalibrationChart() {
    }

    /**
     * The PIT histogram of one model as a panel: bar heights are densities (count / (total / bins)), so a
     * calibrated model's bars sit on the dashed line at 1.
     *
     * @param title  the panel title, usually the model's name
     * @param counts observations per PIT bin, equal-width bins over [0, 1]
     * @param colour the model's colour
     */
    public static XYChart pitPanel(String title, long[] counts, Color colour) {
        long total = 0;
        for (long c : counts) {
            if (c < 0) {
                throw new DataException("PIT histogram of " + title + ": negative count " + c);
            }
            total += c;
        }
        if (counts.length == 0 || total == 0) {
            throw new DataException("PIT histogram of " + title + ": no scored step");
        }
        int bins = counts.length;
        double[] density = density(counts);
        XYChart chart = Charts.xy(title, "PIT", "density", MetricChart.PANEL_WIDTH, MetricChart.PANEL_HEIGHT);
        var s = chart.getStyler();
        s.setLegendVisible(false);
        s.setChartTitleFont(Charts.AXIS_TITLE.deriveFont(java.awt.Font.BOLD));
        s.setXAxisMin(0.0);
        s.setXAxisMax(1.0);
        double top = 1.0;
        for (double d : density) {
            top = Math.max(top, d);
        }
        s.setYAxisMin(0.0);
        s.setYAxisMax(1.1 * top);
        for (int i = 0; i < bins; i++) {
            double a = (double) i / bins;
            double b = (double) (i + 1) / bins;
            Charts.polygon(chart, "bin " + i, new double[] {a, b, b, a}, new double[] {0, 0, density[i], density[i]},
                    colour).setShowInLegend(false);
        }
        XYSeries uniform = Charts.line(chart, "uniform", new double[] {0, 1}, new double[] {1, 1}, Color.BLACK, 1.2f);
        uniform.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        return chart;
    }

    /** Bin densities: count / (total / bins). */
    static double[] density(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        double[] d = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            d[i] = counts[i] * (double) counts.length / total;
        }
        return d;
    }

    /** PIT histograms of several models, one panel each, with the models' colours. */
    public static Drawing pit(String title, Map<String, long[]> counts, Map<String, Color> colours) {
        List<XYChart> panels = new ArrayList<>();
        Map<String, Color> legend = new LinkedHashMap<>();
        counts.forEach((model, c) -> {
            Color colour = colours.getOrDefault(model, Color.DARK_GRAY);
            panels.add(pitPanel(model, c, colour));
            legend.put(model, colour);
        });
        if (panels.isEmpty()) {
            throw new DataException(title + ": no model has a PIT histogram");
        }
        return new MetricChart.Panels(title, panels, 2, legend);
    }

    /**
     * Observed coverage of central predictive intervals against their nominal level, one line per model, with
     * the diagonal of perfect calibration.
     *
     * @param levels   per model, the nominal levels in (0, 1)
     * @param coverage per model, the share of observations inside each interval (NaN points are left out)
     */
    public static XYChart coverage(String title, Map<String, double[]> levels, Map<String, double[]> coverage,
            Map<String, Color> colours) {
        XYChart chart = Charts.xy(title, "nominal level of the central interval", "share of observations inside",
                Charts.WIDTH, Charts.HEIGHT);
        var s = chart.getStyler();
        s.setXAxisMin(0.0);
        s.setXAxisMax(1.0);
        s.setYAxisMin(0.0);
        s.setYAxisMax(1.0);
        XYSeries diagonal = Charts.line(chart, "calibrated", new double[] {0, 1}, new double[] {0, 1},
                new Color(120, 120, 120), 1.2f);
        diagonal.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        int drawn = 0;
        for (var e : levels.entrySet()) {
            double[] x = e.getValue();
            double[] y = coverage.get(e.getKey());
            if (y == null || y.length != x.length) {
                throw new DataException(title + ": model " + e.getKey() + " has " + x.length + " levels and "
                        + (y == null ? "no" : Integer.toString(y.length)) + " coverage values");
            }
            List<Double> px = new ArrayList<>();
            List<Double> py = new ArrayList<>();
            for (int i = 0; i < x.length; i++) {
                if (!(x[i] > 0 && x[i] < 1)) {
                    throw new DataException(title + ": model " + e.getKey() + ": level " + x[i] + " is not in (0, 1)");
                }
                if (Double.isFinite(y[i])) {
                    px.add(x[i]);
                    py.add(y[i]);
                }
            }
            if (px.isEmpty()) {
                continue;
            }
            Color c = colours.getOrDefault(e.getKey(), Color.DARK_GRAY);
            XYSeries series = chart.addSeries(e.getKey(), px, py);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            series.setLineColor(c);
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setMarkerColor(c);
            drawn++;
        }
        if (drawn == 0) {
            throw new DataException(title + ": no model has a coverage value");
        }
        return chart;
    }
}
