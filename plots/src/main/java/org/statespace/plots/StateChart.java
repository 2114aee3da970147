package org.statespace.plots;

import java.awt.Color;
import java.util.List;

import org.knowm.xchart.XYChart;

import org.statespace.DataException;

/**
 * One component of a linear-Gaussian model's hidden state over time: for each track (filtered,
 * smoothed) the mean and the central 50% and 90% intervals of its Gaussian marginal,
 * mean ± 0.674σ and mean ± 1.645σ with σ² the diagonal element of the covariance; and the true state
 * when it is known (simulated data).
 */
public final class StateChart {
    /** Φ⁻¹(0.75): the half-width of the central 50% interval in standard deviations. */
    static final double Z50 = 0.6744897501960817;
    /** Φ⁻¹(0.95): the half-width of the central 90% interval in standard deviations. */
    static final double Z90 = 1.6448536269514722;

    private static final Color[] TRACK = {new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115)};

    private StateChart() {
    }

    /**
     * The chart.
     *
     * @param title          the chart title
     * @param componentLabel the y-axis title, e.g. "state x₀ (level, units of the data)"
     * @param component      which state component j to draw (0-based)
     * @param tracks         the tracks, drawn in order (at most 3)
     * @param truth          the true x_t,j (length T), or an empty array when unknown
     * @return a {@value Charts#WIDTH}×{@value Charts#HEIGHT} chart
     */
    public static XYChart of(String title, String componentLabel, int component, List<GaussianTrack> tracks,
            double[] truth) {
        if (tracks.isEmpty() || tracks.size() > TRACK.length) {
            throw new DataException("a state chart draws 1 to " + TRACK.length + " tracks, got " + tracks.size());
        }
        int n = tracks.get(0).length();
        for (GaussianTrack tr : tracks) {
            if (tr.length() != n) {
                throw new DataException("state tracks differ in length: " + tr.name() + " has " + tr.length()
                        + " steps, " + tracks.get(0).name() + " has " + n);
            }
            if (component < 0 || component >= tr.dimension()) {
                throw new DataException("state component " + component + " does not exist: " + tr.name()
                        + " has dimension " + tr.dimension());
            }
        }
        XYChart chart = Charts.xy(title, "time step t", componentLabel, Charts.WIDTH, Charts.HEIGHT);
        double[] x = Charts.steps(n);
        for (int i = 0; i < tracks.size(); i++) {
            GaussianTrack tr = tracks.get(i);
            double[] mean = new double[n];
            double[] l50 = new double[n];
            double[] u50 = new double[n];
            double[] l90 = new double[n];
            double[] u90 = new double[n];
            for (int t = 0; t < n; t++) {
                mean[t] = tr.mean(t, component);
                double sd = Math.sqrt(Math.max(0, tr.variance(t, component)));
                l50[t] = mean[t] - Z50 * sd;
                u50[t] = mean[t] + Z50 * sd;
                l90[t] = mean[t] - Z90 * sd;
                u90[t] = mean[t] + Z90 * sd;
            }
            Color c = TRACK[i];
            double[][] b90 = Charts.band(x, l90, u90);
            Charts.polygon(chart, tr.name() + " 90% interval", b90[0], b90[1], alpha(c, 45));
            double[][] b50 = Charts.band(x, l50, u50);
            Charts.polygon(chart, tr.name() + " 50% interval", b50[0], b50[1], alpha(c, 80));
            Charts.line(chart, tr.name() + " mean", x, mean, c, 1.8f);
            if (i == 0) {
                Charts.roundTimeTicks(chart, 0, mean[0]);
            }
        }
        if (truth.length > 0) {
            Charts.requireLength("true state", truth, n);
            Charts.dots(chart, "true state", x, truth, Color.BLACK);
        }
        return chart;
    }

    private static Color alpha(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }
}
