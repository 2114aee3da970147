package org.statespace.plots;

import java.util.List;

import org.knowm.xchart.XYChart;

import org.statespace.DataException;

/**
 * A discrete path over time, such as a decoded (Viterbi) path, as a step line with one level per state:
 * the y axis is labelled with the state names, so the chart reads "calm, calm, storm, ..." directly. Step
 * t covers [t, t + 1), as in {@link ProbabilityChart}; an unknown step (-1) is a gap.
 */
public final class PathChart {

    private PathChart() {
    }

    /**
     * The chart.
     *
     * @param title      the chart title
     * @param yTitle     the y-axis title, e.g. "state on the Viterbi path"
     * @param stateNames K names, level k of the y axis is labelled {@code stateNames.get(k)}
     * @param path       T states in 0..K-1, or -1 where unknown
     * @return a {@value Charts#WIDTH}×{@value Charts#HEIGHT} chart
     */
    public static XYChart of(String title, String yTitle, List<String> stateNames, int[] path) {
        int k = stateNames.size();
        int n = path.length;
        if (k == 0 || n == 0) {
            throw new DataException("a path chart needs at least one state and one step, got " + k + " states and "
                    + n + " steps");
        }
        if (new java.util.HashSet<>(stateNames).size() < k) {
            throw new DataException("state names must be distinct, got " + stateNames);
        }
        double[] x = new double[2 * n];
        double[] y = new double[2 * n];
        for (int t = 0; t < n; t++) {
            if (path[t] < -1 || path[t] >= k) {
                throw new DataException("path[" + t + "] = " + path[t] + " is not a state in 0.." + (k - 1));
            }
            x[2 * t] = t;
            x[2 * t + 1] = t + 1;
            y[2 * t] = path[t] < 0 ? Double.NaN : path[t];
            y[2 * t + 1] = y[2 * t];
        }
        XYChart chart = Charts.xy(title, "time step t", yTitle, Charts.WIDTH, Charts.HEIGHT);
        Charts.line(chart, "path", x, y, Charts.color(0), 2f);
        Charts.roundTimeTicks(chart, 0, 0);
        var styler = chart.getStyler();
        styler.setLegendVisible(false);
        styler.setXAxisMin(0.0);
        styler.setXAxisMax((double) n);
        styler.setYAxisMin(-0.5);
        styler.setYAxisMax(k - 0.5);
        // about one tick per level, so the ticks fall on the levels and each carries a state's name
        styler.setYAxisTickMarkSpacingHint(Math.max(14, 340 / k));
        chart.setCustomYAxisTickLabelsFormatter(v -> tickLabel(v, stateNames));
        return chart;
    }

    /**
     * The state name at a level, and an invisible label elsewhere. XChart recomputes the ticks for as long
     * as two labels are equal, so the invisible labels differ from each other: the position in thousandths,
     * written in binary with two zero-width characters (a word joiner first for a negative one).
     */
    static String tickLabel(double v, List<String> stateNames) {
        long level = Math.round(v);
        if (Math.abs(v - level) < 1e-9 && level >= 0 && level < stateNames.size()) {
            return stateNames.get((int) level);
        }
        long at = Math.round(v * 1000);
        StringBuilder b = new StringBuilder(at < 0 ? "\u2060" : "\u200b");
        for (long rest = Math.abs(at); rest > 0; rest >>= 1) {
            b.append((rest & 1) == 0 ? '\u200b' : '\u200c');
        }
        return b.toString();
    }
}
