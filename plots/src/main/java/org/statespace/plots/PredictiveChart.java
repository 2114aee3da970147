package org.statespace.plots;

import java.awt.Color;

import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;

/**
 * Observations with a model's one-step-ahead predictive mean and its central 50% and 90% intervals: the
 * picture that shows whether a filter's predictions are sharp and calibrated (about half the points in
 * the dark band, nine in ten in the light one). The y-axis comes from the data and the central bands of
 * ordinary steps ({@link #limits}), so a diffuse first prediction does not flatten the chart; a note in the
 * chart says how many steps' bands are clipped.
 */
public final class PredictiveChart {
    static final Color BAND90 = new Color(198, 219, 239);
    static final Color BAND50 = new Color(107, 174, 214);
    static final Color MEAN = new Color(8, 69, 148);

    private PredictiveChart() {
    }

    /**
     * The chart of one predictive series.
     *
     * @param title  the chart title, e.g. "nile: local-level, one-step-ahead predictions"
     * @param series the series
     * @return a {@value Charts#WIDTH}×{@value Charts#HEIGHT} chart
     */
    public static XYChart of(String title, PredictiveSeries series) {
        return of(title, series, Charts.WIDTH, Charts.HEIGHT, limits(series));
    }

    /**
     * One model's panel of a figure that stacks several (one legend for all of them, drawn by the figure):
     * width×height pixels, no legend, y-limits given (so every panel of a dataset shares its axis; null: none).
     */
    static XYChart panel(String title, PredictiveSeries series, int width, int height, double[] limits) {
        XYChart chart = of(title, series, width, height, limits);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartTitleFont(Charts.AXIS_TITLE.deriveFont(java.awt.Font.BOLD));
        return chart;
    }

    /** The legend of {@link #panel}s: what each colour means. */
    static java.util.Map<String, Color> panelLegend() {
        java.util.Map<String, Color> legend = new java.util.LinkedHashMap<>();
        legend.put("observed", Color.BLACK);
        legend.put("predictive mean", MEAN);
        legend.put("50% predictive interval", BAND50);
        legend.put("90% predictive interval", BAND90);
        return legend;
    }

    private static XYChart of(String title, PredictiveSeries series, int width, int height, double[] limits) {
        XYChart chart = Charts.xy(title, "time step t", series.valueLabel(), width, height);
        double[] x = series.time();
        double[][] b90 = Charts.band(x, series.lower90(), series.upper90());
        Charts.polygon(chart, "90% predictive interval", b90[0], b90[1], BAND90);
        double[][] b50 = Charts.band(x, series.lower50(), series.upper50());
        Charts.polygon(chart, "50% predictive interval", b50[0], b50[1], BAND50);
        Charts.line(chart, "predictive mean", x, series.mean(), MEAN, 1.6f);
        Charts.roundTimeTicks(chart, x[0], series.mean()[0]);
        Charts.dots(chart, "observed", x, series.observed(), Color.BLACK);
        if (limits != null) {
            chart.getStyler().setYAxisMin(limits[0]);
            chart.getStyler().setYAxisMax(limits[1]);
            clippedNote(series, limits).ifPresent(note -> chart.addAnnotation(new AnnotationText(note,
                    x[0] + 0.25 * (x[x.length - 1] - x[0]), limits[0] + 0.04 * (limits[1] - limits[0]), false)));
        }
        markHeldOut(chart, series.heldOutFrom(), x, limits != null ? limits[1] - 0.04 * (limits[1] - limits[0])
                : top(series));
        return chart;
    }

    /** How much wider than the median 90% interval a step's interval may be before it stops setting the axis. */
    static final double EXTREME_WIDTH = 5;

    /**
     * Robust y-limits: the range of the observations, the predictive means and 50% intervals and the 90%
     * intervals of the steps that are not extreme (a 90% interval at most {@value #EXTREME_WIDTH} times the
     * median 90% width; a diffuse first step, with a variance of 1e6, is extreme), padded by 6%. Null when
     * there is no finite value.
     */
    static double[] limits(PredictiveSeries s) {
        int n = s.length();
        double[] widths = new double[n];
        int k = 0;
        for (int t = 0; t < n; t++) {
            double w = s.upper90()[t] - s.lower90()[t];
            if (Double.isFinite(w)) {
                widths[k++] = w;
            }
        }
        double median = Double.NaN;
        if (k > 0) {
            double[] w = java.util.Arrays.copyOf(widths, k);
            java.util.Arrays.sort(w);
            median = k % 2 == 1 ? w[k / 2] : (w[k / 2 - 1] + w[k / 2]) / 2;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < n; t++) {
            double w = s.upper90()[t] - s.lower90()[t];
            boolean ordinary = Double.isFinite(w) && !(w > EXTREME_WIDTH * median);
            double[] values = ordinary
                    ? new double[] {s.observed()[t], s.mean()[t], s.lower50()[t], s.upper50()[t], s.lower90()[t],
                        s.upper90()[t]}
                    : new double[] {s.observed()[t]};
            for (double v : values) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(lo <= hi)) {
            return null;
        }
        double pad = hi > lo ? 0.06 * (hi - lo) : Math.max(1e-3, 0.05 * Math.abs(hi));
        return new double[] {lo - pad, hi + pad};
    }

    /** The note the chart carries when some step's band reaches outside the axis. */
    static java.util.Optional<String> clippedNote(PredictiveSeries s, double[] limits) {
        int clipped = clippedSteps(s, limits);
        return clipped == 0 ? java.util.Optional.empty() : java.util.Optional.of("the bands of " + clipped
                + (clipped == 1 ? " step reach" : " steps reach") + " beyond the axis (diffuse or extreme predictions)");
    }

    /** The steps whose mean or 90% interval reaches outside the limits. */
    static int clippedSteps(PredictiveSeries s, double[] limits) {
        int clipped = 0;
        for (int t = 0; t < s.length(); t++) {
            if (s.lower90()[t] < limits[0] || s.upper90()[t] > limits[1] || s.mean()[t] < limits[0]
                    || s.mean()[t] > limits[1]) {
                clipped++;
            }
        }
        return clipped;
    }

    private static double top(PredictiveSeries s) {
        double top = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < s.length(); t++) {
            top = max(top, s.upper90()[t]);
            top = max(top, s.observed()[t]);
        }
        return top;
    }

    private static double max(double a, double b) {
        return Double.isNaN(b) || Double.isInfinite(b) ? a : Math.max(a, b);
    }

    /** A dashed vertical line before the first held-out step, labelled. */
    static void markHeldOut(XYChart chart, int heldOutFrom, double[] x, double labelY) {
        if (heldOutFrom <= 0 || heldOutFrom >= x.length || Double.isInfinite(labelY)) {
            return;
        }
        double at = (x[heldOutFrom - 1] + x[heldOutFrom]) / 2;
        chart.addAnnotation(new AnnotationLine(at, true, false));
        chart.addAnnotation(new AnnotationText("training | held out", at, labelY, false));
    }
}
