package org.statespace.inference.result;

import org.statespace.capability.Track;

/**
 * The predictive mean, variance and central 50% and 90% intervals of every step (a filter's one-step-ahead
 * predictions) or of every step ahead (a forecast): six tracks of T steps × d components, shape [d].
 *
 * @param means     predictive means
 * @param variances predictive variances
 * @param lower50   25% quantiles
 * @param upper50   75% quantiles
 * @param lower90   5% quantiles
 * @param upper90   95% quantiles
 */
public record PredictiveBands(Track means, Track variances, Track lower50, Track upper50, Track lower90,
        Track upper90) {

    /** The JSON field names of a filter sequence, in the order of the components. */
    static final String[] FILTER_FIELDS = {"predictiveMeans", "predictiveVariances", "lower50", "upper50", "lower90",
        "upper90"};
    /** The JSON field names of a forecast step, in the order of the components. */
    static final String[] FORECAST_FIELDS = {"mean", "variance", "lower50", "upper50", "lower90", "upper90"};

    public PredictiveBands {
        for (Track t : new Track[] {variances, lower50, upper50, lower90, upper90}) {
            if (t.length() != means.length() || t.width() != means.width()) {
                throw new IllegalArgumentException(t + " does not match " + means);
            }
        }
    }

    /** d, the observation dimension. */
    public int dimension() {
        return means.width();
    }

    /** The number of steps. */
    public int length() {
        return means.length();
    }

    /** Steps {@code from} (inclusive) to {@code to} (exclusive) of the six tracks. */
    public PredictiveBands steps(int from, int to) {
        Track[] all = all();
        for (int c = 0; c < all.length; c++) {
            all[c] = StepArrays.steps(all[c], from, to);
        }
        return of(all);
    }

    /** The six tracks in the order of {@link #FILTER_FIELDS}. */
    Track[] all() {
        return new Track[] {means, variances, lower50, upper50, lower90, upper90};
    }

    /** Six tracks in the order of {@link #FILTER_FIELDS}. */
    static PredictiveBands of(Track[] t) {
        return new PredictiveBands(t[0], t[1], t[2], t[3], t[4], t[5]);
    }

    /** Component j of a track over all steps. */
    public static double[] column(Track track, int j) {
        double[] c = new double[track.length()];
        for (int t = 0; t < c.length; t++) {
            c[t] = track.value(t, j);
        }
        return c;
    }
}
