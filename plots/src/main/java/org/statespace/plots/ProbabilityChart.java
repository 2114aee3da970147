package org.statespace.plots;

import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * State (or symbol) probabilities over time as stacked areas (each step's K probabilities stacked from 0
 * to 1 in state order, constant over the step), with each discrete path as a strip of state colours below the axis, so the
 * posterior, the decoded path and the truth line up step by step.
 */
public final class ProbabilityChart {
    private static final double STRIP = 0.08;
    private static final double SLOT = 0.17;

    private ProbabilityChart() {
    }

    /**
     * The chart.
     *
     * @param title  the chart title
     * @param yTitle the y-axis title, e.g. "posterior probability p(s_t | all observations)"
     * @param data   the probabilities and paths
     * @return a {@value Charts#WIDTH}×{@value Charts#HEIGHT} chart (taller by 40 px per strip)
     */
    public static XYChart of(String title, String yTitle, StateProbabilityTrack data) {
        return of(title, yTitle, data, Charts.WIDTH, Charts.HEIGHT + 40 * data.paths().size());
    }

    /**
     * One model's panel of a figure that stacks several (one legend for all of them, drawn by the figure):
     * width×height pixels, no legend.
     */
    static XYChart panel(String title, String yTitle, StateProbabilityTrack data, int width, int height) {
        XYChart chart = of(title, yTitle, data, width, height);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartTitleFont(Charts.AXIS_TITLE.deriveFont(java.awt.Font.BOLD));
        return chart;
    }

    private static XYChart of(String title, String yTitle, StateProbabilityTrack data, int width, int height) {
        int n = data.length();
        int k = data.states();
        int strips = data.paths().size();
        XYChart chart = Charts.xy(title, "time step t", yTitle, width, height);
        double[] x = Charts.steps(n);
        for (int t = 0; t < n; t++) {
            x[t] += data.firstStep() + 0.5; // the middle of step t, which covers [t, t + 1)
        }
        double[] lower = new double[n];
        double[] upper = new double[n];
        for (int s = 0; s < k; s++) {
            for (int t = 0; t < n; t++) {
                lower[t] = upper[t];
                upper[t] = Math.min(1, lower[t] + Math.max(0, data.probability(t, s)));
            }
            double[][] band = stepBand(lower, upper, data.firstStep());
            Charts.polygon(chart, data.stateNames().get(s), band[0], band[1], Charts.color(s));
        }
        Charts.roundTimeTicks(chart, data.firstStep(), 0.5);
        for (int i = 0; i < strips; i++) {
            LabelledPath p = data.paths().get(i);
            double top = -(0.1 + SLOT * i);
            double bottom = top - STRIP;
            int[] path = p.path();
            for (int s = 0; s < k; s++) {
                double[][] block = stepPolygon(path, s, bottom, top, data.firstStep());
                XYSeries strip = Charts.polygon(chart, p.name() + ": " + data.stateNames().get(s), block[0], block[1],
                        Charts.color(s));
                strip.setShowInLegend(false);
            }
            chart.addAnnotation(new AnnotationText(p.name(), data.firstStep() + labelX(n), top + 0.045, false));
        }
        var styler = chart.getStyler();
        styler.setXAxisMin((double) data.firstStep());
        styler.setXAxisMax((double) data.firstStep() + n);
        styler.setYAxisMin(strips == 0 ? 0 : -(0.1 + SLOT * (strips - 1) + STRIP + 0.02));
        styler.setYAxisMax(1.0);
        styler.setPlotGridLinesVisible(false);
        chart.setCustomYAxisTickLabelsFormatter(v -> v < -1e-9 ? " " : String.format(java.util.Locale.ROOT, "%.1f", v));
        if (data.heldOutFrom() > 0) {
            PredictiveChart.markHeldOut(chart, data.heldOutFrom(), x, 1.0 - 0.04);
        }
        return chart;
    }

    /** Where a strip's label (centred) goes: near the left edge, clear of it (about 60 px in). */
    private static double labelX(int n) {
        return 0.085 * n;
    }

    /**
     * The band between two step functions: each step t covers [t, t + 1), as the strips do, so
     * the probabilities and the paths line up step by step.
     */
    static double[][] stepBand(double[] lower, double[] upper, int first) {
        int n = lower.length;
        double[] x = new double[4 * n];
        double[] y = new double[4 * n];
        for (int t = 0; t < n; t++) {
            x[2 * t] = first + t;
            y[2 * t] = upper[t];
            x[2 * t + 1] = first + t + 1;
            y[2 * t + 1] = upper[t];
            x[4 * n - 1 - 2 * t] = first + t;
            y[4 * n - 1 - 2 * t] = lower[t];
            x[4 * n - 2 - 2 * t] = first + t + 1;
            y[4 * n - 2 - 2 * t] = lower[t];
        }
        return new double[][] {x, y};
    }

    /**
     * A polygon that is {@code top} high over the steps where the path is in state s and flat at
     * {@code bottom} elsewhere; each step t covers [t, t + 1).
     */
    static double[][] stepPolygon(int[] path, int s, double bottom, double top, int first) {
        int n = path.length;
        double[] x = new double[2 * n + 2];
        double[] y = new double[2 * n + 2];
        for (int t = 0; t < n; t++) {
            double h = path[t] == s ? top : bottom;
            x[2 * t] = first + t;
            y[2 * t] = h;
            x[2 * t + 1] = first + t + 1;
            y[2 * t + 1] = h;
        }
        x[2 * n] = first + n;
        y[2 * n] = bottom;
        x[2 * n + 1] = first;
        y[2 * n + 1] = bottom;
        return new double[][] {x, y};
    }
}
