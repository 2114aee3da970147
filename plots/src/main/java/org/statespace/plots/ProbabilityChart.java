package org.statespace.plots;

import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * State (or symbol) probabilities over time as stacked areas (each step's K probabilities stacked from 0
 * to 1 in state order), with each discrete path as a strip of state colours below the axis, so the
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
    public static XYChart of(String title, String yTitle, StateProbabilities data) {
        int n = data.length();
        int k = data.states();
        int strips = data.paths().size();
        XYChart chart = Charts.xy(title, "time step t", yTitle, Charts.WIDTH, Charts.HEIGHT + 40 * strips);
        double[] x = Charts.steps(n);
        for (int t = 0; t < n; t++) {
            x[t] += data.firstStep();
        }
        double[] lower = new double[n];
        double[] upper = new double[n];
        for (int s = 0; s < k; s++) {
            for (int t = 0; t < n; t++) {
                lower[t] = upper[t];
                upper[t] = Math.min(1, lower[t] + Math.max(0, data.probability(t, s)));
            }
            double[][] band = Charts.band(x, lower, upper);
            Charts.polygon(chart, data.stateNames().get(s), band[0], band[1], Charts.color(s));
        }
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
        styler.setXAxisMin(data.firstStep() - 0.5);
        styler.setXAxisMax(data.firstStep() + n - 0.5);
        styler.setYAxisMin(strips == 0 ? 0 : -(0.1 + SLOT * (strips - 1) + STRIP + 0.02));
        styler.setYAxisMax(1.0);
        styler.setPlotGridLinesVisible(false);
        chart.setCustomYAxisTickLabelsFormatter(v -> v < -1e-9 ? " " : String.format(java.util.Locale.ROOT, "%.1f", v));
        if (data.heldOutFrom() > 0) {
            PredictiveChart.markHeldOut(chart, data.heldOutFrom(), x, 1.0 - 0.04);
        }
        return chart;
    }

    /** Where a strip's label goes: near the left edge, clear of the axis. */
    private static double labelX(int n) {
        return -0.5 + Math.max(2, n * 0.06);
    }

    /**
     * A polygon that is {@code top} high over the steps where the path is in state s and flat at
     * {@code bottom} elsewhere; each step covers [t - 1/2, t + 1/2].
     */
    static double[][] stepPolygon(int[] path, int s, double bottom, double top, int first) {
        int n = path.length;
        double[] x = new double[2 * n + 2];
        double[] y = new double[2 * n + 2];
        for (int t = 0; t < n; t++) {
            double h = path[t] == s ? top : bottom;
            x[2 * t] = first + t - 0.5;
            y[2 * t] = h;
            x[2 * t + 1] = first + t + 0.5;
            y[2 * t + 1] = h;
        }
        x[2 * n] = first + n - 0.5;
        y[2 * n] = bottom;
        x[2 * n + 1] = first - 0.5;
        y[2 * n + 1] = bottom;
        return new double[][] {x, y};
    }
}
