package org.statespace.plots;

import org.statespace.DataException;
import org.statespace.data.Sequence;
import org.statespace.inference.SequenceTrace;

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
     * Component {@code component} of a filter run with summaries ({@code FilterOptions.summaries()}) and
     * the sequence it ran over.
     */
    public static PredictiveSeries of(SequenceTrace trace, Sequence sequence, int component, String valueLabel,
            int heldOutFrom) {
        if (!trace.hasSummaries()) {
            throw new DataException("the filter run of sequence \"" + trace.id() + "\" kept no predictive summaries");
        }
        if (component < 0 || component >= trace.dimension()) {
            throw new DataException("component " + component + " does not exist: observations have "
                    + trace.dimension() + " component(s)");
        }
        if (sequence.length() != trace.length()) {
            throw new DataException("sequence \"" + sequence.id() + "\" has " + sequence.length()
                    + " steps but its filter run has " + trace.length());
        }
        int n = trace.length();
        double[] observed = new double[n];
        double[] mean = new double[n];
        double[] l50 = new double[n];
        double[] u50 = new double[n];
        double[] l90 = new double[n];
        double[] u90 = new double[n];
        for (int t = 0; t < n; t++) {
            observed[t] = sequence.value(t, component);
            mean[t] = trace.mean(t, component);
            double[] i50 = trace.interval(t, component, 0.5);
            double[] i90 = trace.interval(t, component, 0.9);
            l50[t] = i50[0];
            u50[t] = i50[1];
            l90[t] = i90[0];
            u90[t] = i90[1];
        }
        return new PredictiveSeries(trace.id(), valueLabel, Charts.steps(n), observed, mean, l50, u50, l90, u90,
                heldOutFrom);
    }
}
