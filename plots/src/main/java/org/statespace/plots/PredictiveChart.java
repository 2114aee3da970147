package org.statespace.plots;

import java.awt.Color;

import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;

/**
 * Observations with a model's one-step-ahead predictive mean and its central 50% and 90% intervals: the
 * picture that shows whether a filter's predictions are sharp and calibrated (about half the points in
 * the dark band, nine in ten in the light one).
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
        XYChart chart = Charts.xy(title, "time step t", series.valueLabel(), Charts.WIDTH, Charts.HEIGHT);
        double[] x = series.time();
        double[][] b90 = Charts.band(x, series.lower90(), series.upper90());
        Charts.polygon(chart, "90% predictive interval", b90[0], b90[1], BAND90);
        double[][] b50 = Charts.band(x, series.lower50(), series.upper50());
        Charts.polygon(chart, "50% predictive interval", b50[0], b50[1], BAND50);
        Charts.line(chart, "predictive mean", x, series.mean(), MEAN, 1.6f);
        Charts.roundTimeTicks(chart, x[0], series.mean()[0]);
        Charts.dots(chart, "observed", x, series.observed(), Color.BLACK);
        markHeldOut(chart, series.heldOutFrom(), x, top(series));
        return chart;
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
