package org.statespace.inference;

import java.util.Arrays;
import java.util.List;

import org.statespace.DataException;
import org.statespace.DiffusePhase;
import org.statespace.NumericalException;
import org.statespace.Recurrence;
import org.statespace.StateSpaceModel;
import org.statespace.capability.StateEstimates;
import org.statespace.capability.StateFiltering;
import org.statespace.capability.StateRecording;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceReader;
import org.statespace.data.SequenceSource;
import org.statespace.distribution.Categorical;
import org.statespace.distribution.PredictiveDistribution;

/**
 * Runs any model as a one-step-ahead filter over a dataset: for every sequence and step, the predictive
 * distribution of the next observation and the log-density of the observation that came. Either
 * stored ({@link #run}: packed per-sequence arrays) or streaming ({@link #stream}: constant memory, a
 * listener sees each step).
 *
 * <p>An observation the model gives probability zero scores -∞ (its step's log-density and its sequence's
 * log-likelihood), or, with {@link FilterOptions#requireFinite()}, is a
 * {@link org.statespace.NumericalException} naming the sequence, the step and the observation; a NaN or
 * +∞ log-density is that error in either case.
 *
 * <p>Sequences run in parallel on {@link FilterOptions#threads()} threads, each with its own
 * workspaces; per-sequence results are combined in dataset order, so every number is identical
 * whatever the thread count.
 *
 * <pre>{@code
 * FilterResult r = FilterEngine.of(FilterOptions.defaults()).run(model, data);
 * double perStep = r.meanLogLikelihood();
 * }</pre>
 */
public final class FilterEngine {
    private static final double[] QUANTILE_LEVELS = {0.05, 0.25, 0.75, 0.95};

    private final FilterOptions options;

    private FilterEngine(FilterOptions options) {
        this.options = options;
    }

    public static FilterEngine of(FilterOptions options) {
        return new FilterEngine(options);
    }

    /** One thread, with summaries. */
    public static FilterEngine singleThreaded() {
        return new FilterEngine(FilterOptions.defaults().withThreads(1));
    }

    public FilterOptions options() {
        return options;
    }

    /**
     * Runs the model over every sequence and keeps the whole trace. Symbols are matched to the model's
     * alphabet by name first ({@link org.statespace.ObservationSpace#align}).
     *
     * <p>With {@link FilterOptions#states()}, each trace also keeps the model's filtered state estimates: a
     * model that can read them off its recurrence state ({@link StateRecording}: HMM, input-output HMM, hidden
     * semi-Markov, RNN, linear-Gaussian, structural, non-linear) records them in this same pass; another
     * {@link StateFiltering} model (a standardised wrapper) runs its own filter over the sequence in the same task. A
     * model without state estimates is an {@link IllegalArgumentException}.
     */
    public FilterResult run(StateSpaceModel<?, ?> model, Dataset dataset) {
        if (options.states() && !(model instanceof StateFiltering)) {
            throw new IllegalArgumentException("a " + model.type() + " model has no filtered state estimates to keep");
        }
        Dataset data = model.observationSpace().align(dataset, "data");
        long start = System.nanoTime();
        SequenceTrace[] traces = new SequenceTrace[data.size()];
        forEachSequence(model, data, (runner, i) -> traces[i] = runner.trace(data.sequence(i)));
        return new FilterResult(Arrays.asList(traces), (System.nanoTime() - start) / 1e9);
    }

    /** Runs one sequence and keeps its trace. */
    public SequenceTrace run(StateSpaceModel<?, ?> model, Sequence sequence) {
        return new Runner<>(model, options, List.of()).trace(sequence);
    }

    /**
     * Runs the model over every sequence, keeping only per-sequence log-likelihoods; the listener (may be
     * {@code null}) sees every step. Memory does not grow with sequence length.
     */
    public StreamSummary stream(StateSpaceModel<?, ?> model, Dataset dataset, StepListener listener) {
        long start = System.nanoTime();
        Dataset data = model.observationSpace().align(dataset, "data");
        return stream(model, SequenceSource.of(data), data.symbolNames(), listener, start);
    }

    /**
     * {@link #stream(StateSpaceModel, Dataset, StepListener)} over sequences read one at a time from {@code source}
     * (a file read by offsets, {@link org.statespace.data.SequenceIndex}), already read for this model; each
     * thread holds one sequence, or, for a sequence longer than {@link SequenceReader#DEFAULT_CHUNK_STEPS} that
     * the source reads in chunks ({@link SequenceSource#reader}) and no listener, one chunk of it
     * ({@link FileFilter}). The numbers are those of the same sequences in memory.
     */
    public StreamSummary stream(StateSpaceModel<?, ?> model, SequenceSource source, StepListener listener) {
        if (source.inMemory() != null) {
            return stream(model, source.inMemory(), listener);
        }
        return stream(model, source, model.observationSpace().symbolNames(), listener, System.nanoTime());
    }

    private StreamSummary stream(StateSpaceModel<?, ?> model, SequenceSource data, List<String> symbols,
            StepListener listener, long start) {
        double[] totals = new double[data.size()];
        long[] observed = new long[data.size()];
        Parallel.forEach(data.size(), options.threads(), () -> new Runner<>(model, options, symbols), (runner, i) -> {
            if (listener == null && data.length(i) > SequenceReader.DEFAULT_CHUNK_STEPS) {
                // a long sequence of a file: run in chunks, the same steps summed in the same order
                try (SequenceReader reader = data.reader(i)) {
                    if (reader != null) {
                        FileFilter.Totals t = FileFilter.run(model, reader, options, null);
                        if (t.sequences() != 1 || t.steps() != data.length(i)) {
                            throw new DataException(data.name() + ": sequence " + (i + 1) + " no longer reads as it "
                                    + "did when the file was indexed (" + data.length(i) + " steps); was the file "
                                    + "changed?");
                        }
                        totals[i] = t.logLikelihood();
                        observed[i] = t.observedSteps();
                        return;
                    }
                }
            }
            Sequence s = data.sequence(i);
            totals[i] = runner.stream(i, s, listener);
            observed[i] = s.observedSteps();
        });
        double total = 0;
        long n = 0;
        for (int i = 0; i < totals.length; i++) {
            total += totals[i];
            n += observed[i];
        }
        return new StreamSummary(totals, total, n, (System.nanoTime() - start) / 1e9);
    }

    private interface Task {
        void run(Runner<?, ?> runner, int index);
    }

    private void forEachSequence(StateSpaceModel<?, ?> model, Dataset data, Task task) {
        List<String> symbols = data.symbolNames();
        Parallel.forEach(data.size(), options.threads(), () -> new Runner<>(model, options, symbols), task::run);
    }

    /**
     * With {@link FilterOptions#requireFinite()}: a log-density of -∞ (the observation has probability
     * zero, or a density below the double range) as a {@link NumericalException} naming the sequence,
     * step and observation.
     */
    static void requireFiniteLogDensity(Sequence sequence, int t, double logDensity, List<String> symbols) {
        if (logDensity == Double.NEGATIVE_INFINITY) {
            throw new NumericalException("sequence '" + sequence.id() + "', step " + t + ": observation "
                    + observationText(sequence, t, symbols) + " has predictive log-density -Infinity (probability"
                    + " zero under the model, or a density below the range of a double)");
        }
    }

    /** The observation at step t as a user wrote it: a number, a vector, or a symbol's name. */
    static String observationText(Sequence sequence, int t, List<String> symbols) {
        int d = sequence.dimension();
        if (d == 1) {
            double v = sequence.value(t, 0);
            if (!symbols.isEmpty() && v == Math.rint(v) && v >= 0 && v < symbols.size()) {
                return "\"" + symbols.get((int) v) + "\"";
            }
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        }
        StringBuilder b = new StringBuilder("[");
        for (int j = 0; j < d; j++) {
            double v = sequence.value(t, j);
            b.append(j == 0 ? "" : ", ").append(Double.isNaN(v) ? "null" : Double.toString(v));
        }
        return b.append(']').toString();
    }

    /** One thread's workspaces for one model. */
    private static final class Runner<S, D extends PredictiveDistribution> {
        private final Recurrence.Workspace<S, D> workspace;
        private final boolean summaries;
        private final boolean requireFinite;
        private final boolean states;
        private final List<String> symbolNames;
        private final int dimension;

        Runner(StateSpaceModel<S, D> model, FilterOptions options, List<String> symbols) {
            this.workspace = Recurrence.workspace(model);
            this.summaries = options.summaries();
            this.requireFinite = options.requireFinite();
            this.states = options.states() && model instanceof StateFiltering;
            this.symbolNames = symbols;
            this.dimension = model.observationSpace().dimension();
        }

        double stream(int index, Sequence sequence, StepListener listener) {
            if (listener == null && !requireFinite) {
                return workspace.run(sequence, null);
            }
            return workspace.run(sequence, (t, state, predicted, logDensity) -> {
                if (requireFinite) {
                    requireFiniteLogDensity(sequence, t, logDensity, symbolNames);
                }
                if (listener != null) {
                    listener.onStep(index, sequence, t, predicted, logDensity,
                            state instanceof DiffusePhase d && d.inDiffusePhase());
                }
            });
        }

        // A summary value that overflowed (a mixture of components near ±1e308, say), when finite results are required.
        private void requireFiniteSummary(Sequence sequence, int t, int j, String what, double v) {
            if (requireFinite && !Double.isFinite(v)) {
                throw new NumericalException("sequence '" + sequence.id() + "', step " + t + ": the predictive " + what
                        + (dimension == 1 ? "" : " of component " + j) + " is " + v
                        + " (it lies outside the range of a double)");
            }
        }

        @SuppressWarnings("unchecked")
        SequenceTrace trace(Sequence sequence) {
            StateSpaceModel<S, D> model = workspace.model();
            StateRecording.StateRecorder<S> recorder = states && model instanceof StateRecording<?> r
                    ? ((StateRecording<S>) r).stateRecorder(sequence) : null;
            int length = sequence.length();
            int d = dimension;
            double[] logDensities = new double[length];
            boolean[] observed = new boolean[length];
            double[] means = summaries ? new double[length * d] : null;
            double[] variances = summaries ? new double[length * d] : null;
            double[] points = summaries ? new double[length * d] : null;
            double[] intervals = summaries ? new double[length * d * 4] : null;
            double[][] probabilities = new double[1][];
            int[] symbols = new int[1];
            double total = workspace.run(sequence, (t, state, predicted, logDensity) -> {
                if (requireFinite) {
                    requireFiniteLogDensity(sequence, t, logDensity, symbolNames);
                }
                logDensities[t] = logDensity;
                observed[t] = !sequence.isMissing(t);
                if (recorder != null) {
                    recorder.record(t, state);
                }
                if (!summaries) {
                    return;
                }
                for (int j = 0; j < d; j++) {
                    means[t * d + j] = predicted.mean(j);
                    variances[t * d + j] = predicted.variance(j);
                    points[t * d + j] = predicted.pointPrediction(j);
                    for (int q = 0; q < 4; q++) {
                        intervals[(t * d + j) * 4 + q] = predicted.quantile(j, QUANTILE_LEVELS[q]);
                    }
                    if (requireFinite) {
                        requireFiniteSummary(sequence, t, j, "mean", means[t * d + j]);
                        requireFiniteSummary(sequence, t, j, "variance", variances[t * d + j]);
                        requireFiniteSummary(sequence, t, j, "point prediction", points[t * d + j]);
                        for (int q = 0; q < 4; q++) {
                            requireFiniteSummary(sequence, t, j, QUANTILE_LEVELS[q] + "-quantile",
                                    intervals[(t * d + j) * 4 + q]);
                        }
                    }
                }
                if (predicted instanceof Categorical c) {
                    if (probabilities[0] == null) {
                        symbols[0] = c.size();
                        probabilities[0] = new double[length * c.size()];
                    }
                    c.copyProbabilities(probabilities[0], t * c.size());
                }
            });
            SequenceTrace.Summaries s = summaries
                    ? new SequenceTrace.Summaries(means, variances, points, intervals, symbols[0], probabilities[0])
                    : null;
            StateEstimates estimates = recorder != null ? recorder.estimates(total)
                    : states ? ((StateFiltering) model).filterStates(sequence) : null;
            return new SequenceTrace(sequence.id(), length, d, total, logDensities, observed, s, estimates);
        }
    }

}
