package org.statespace.plots;

import org.statespace.DataException;
import org.statespace.data.Sequence;
import org.statespace.inference.result.FilterReport;
import org.statespace.inference.result.PredictiveBands;

/**
 * One component of a sequence with what a model predicted for it one step ahead: the observed values
 * and the mean and central 50% and 90% intervals of p(o_t | o_0..o_{t-1}). All arrays have length T;
 * a missing observation is NaN.
 *
 * @param sequenceId   the sequence's id
 * @param valueLabel   the axis title for the observed quantity, with its unit, e.g. "flow (10⁸ m³/year)"
 * @param time         the x value of each step (usually 0..T-1)
 * @param observed     o_t (NaN when missing; may be all NaN when the data is not at hand)
 * @param mean         the predictive mean
 * @param lower50      the 25% predictive quantile
 * @param upper50      the 75% predictive quantile
 * @param lower90      the 5% predictive quantile
 * @param upper90      the 95% predictive quantile
 * @param heldOutFrom  the first held-out step (a dashed line marks it), or -1 when there is no split
 */
public record PredictiveSeries(String sequenceId, String valueLabel, double[] time, double[] observed,
        double[] mean, double[] lower50, double[] upper50, double[] lower90, double[] upper90, int heldOutFrom) {

    public PredictiveSeries {
        int n = time.length;
        if (n == 0) {
            throw new DataException("predictive series \"" + sequenceId + "\" has no steps");
        }
        Charts.requireLength("observed", observed, n);
        Charts.requireLength("mean", mean, n);
        Charts.requireLength("lower50", lower50, n);
        Charts.requireLength("upper50", upper50, n);
        Charts.requireLength("lower90", lower90, n);
        Charts.requireLength("upper90", upper90, n);
        time = time.clone();
        observed = observed.clone();
        mean = mean.clone();
        lower50 = lower50.clone();
        upper50 = upper50.clone();
        lower90 = lower90.clone();
        upper90 = upper90.clone();
    }

    /** Steps {@code from} (inclusive) to {@code to} (exclusive), with their time values kept. */
    public PredictiveSeries window(int from, int to) {
        return new PredictiveSeries(sequenceId, valueLabel, java.util.Arrays.copyOfRange(time, from, to),
                java.util.Arrays.copyOfRange(observed, from, to), java.util.Arrays.copyOfRange(mean, from, to),
                java.util.Arrays.copyOfRange(lower50, from, to), java.util.Arrays.copyOfRange(upper50, from, to),
                java.util.Arrays.copyOfRange(lower90, from, to), java.util.Arrays.copyOfRange(upper90, from, to),
                heldOutFrom < 0 ? -1 : heldOutFrom - from);
    }

    /** T. */
    public int length() {
        return time.length;
    }

    /**
     * Component {@code component} of a filter result's run with predictive summaries over steps
     * {@code firstStep}.. of {@code sequence} (0 for a run of the whole sequence; a study keeps the last steps
     * only), with the observed values of the sequence over the same steps.
     *
     * @param heldOutFrom the first held-out step of the sequence, or -1 when there is no split
     */
    public static PredictiveSeries of(FilterReport.Run run, Sequence sequence, int firstStep, int component,
            String valueLabel, int heldOutFrom) {
        if (run.bands().isEmpty()) {
            throw new DataException("the filter run of sequence \"" + run.id() + "\" kept no predictive summaries");
        }
        PredictiveBands bands = run.bands().get();
        requireComponent(bands, component);
        int n = bands.length();
        if (sequence.length() != firstStep + n) {
            throw new DataException("sequence \"" + sequence.id() + "\" has " + sequence.length()
                    + " steps but its filter run has " + (firstStep + n) + (firstStep > 0 ? " (steps " + firstStep + ".."
                    + (firstStep + n - 1) + " kept)" : ""));
        }
        double[] time = new double[n];
        double[] observed = new double[n];
        for (int i = 0; i < n; i++) {
            time[i] = firstStep + i;
            observed[i] = sequence.value(firstStep + i, component);
        }
        return of(run.id(), bands, component, valueLabel, time, observed, heldOutFrom < 0 ? -1 : heldOutFrom - firstStep);
    }

    /**
     * Component {@code component} of predictive bands (a filter's one-step-ahead predictions or a forecast's steps
     * ahead) at the given x values, with the observed values (all NaN when the data is not at hand).
     *
     * @param heldOutFrom the first held-out index into these steps, or -1
     */
    public static PredictiveSeries of(String sequenceId, PredictiveBands bands, int component, String valueLabel,
            double[] time, double[] observed, int heldOutFrom) {
        requireComponent(bands, component);
        return new PredictiveSeries(sequenceId, valueLabel, time, observed, PredictiveBands.column(bands.means(), component),
                PredictiveBands.column(bands.lower50(), component), PredictiveBands.column(bands.upper50(), component),
                PredictiveBands.column(bands.lower90(), component), PredictiveBands.column(bands.upper90(), component),
                heldOutFrom);
    }

    private static void requireComponent(PredictiveBands bands, int component) {
        if (component < 0 || component >= bands.dimension()) {
            throw new DataException("component " + component + " does not exist: observations have "
                    + bands.dimension() + " component(s)");
        }
    }
}
