package org.statespace.inference;

import java.util.Arrays;

import org.statespace.Recurrence;
import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.distribution.Categorical;
import org.statespace.distribution.PredictiveDistribution;

/**
 * Runs any model as a one-step-ahead filter over a dataset: for every sequence and step, the predictive
 * distribution of the next observation and the log-density of the observation that came. Either
 * stored ({@link #run}: packed per-sequence arrays) or streaming ({@link #stream}: constant memory, a
 * listener sees each step).
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
     */
    public FilterResult run(StateSpaceModel<?, ?> model, Dataset dataset) {
        Dataset data = model.observationSpace().align(dataset, "data");
        long start = System.nanoTime();
        SequenceTrace[] traces = new SequenceTrace[data.size()];
        forEachSequence(model, data.size(), (runner, i) -> traces[i] = runner.trace(data.sequence(i)));
        return new FilterResult(Arrays.asList(traces), (System.nanoTime() - start) / 1e9);
    }

    /** Runs one sequence and keeps its trace. */
    public SequenceTrace run(StateSpaceModel<?, ?> model, Sequence sequence) {
        return new Runner<>(model, options.summaries()).trace(sequence);
    }

    /**
     * Runs the model over every sequence, keeping only per-sequence log-likelihoods; the listener (may be
     * {@code null}) sees every step. Memory does not grow with sequence length.
     */
    public StreamSummary stream(StateSpaceModel<?, ?> model, Dataset dataset, StepListener listener) {
        Dataset data = model.observationSpace().align(dataset, "data");
        long start = System.nanoTime();
        double[] totals = new double[data.size()];
        long[] observed = new long[data.size()];
        forEachSequence(model, data.size(), (runner, i) -> {
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

    private void forEachSequence(StateSpaceModel<?, ?> model, int count, Task task) {
        Parallel.forEach(count, options.threads(), () -> new Runner<>(model, options.summaries()), task::run);
    }

    /** One thread's workspaces for one model. */
    private static final class Runner<S, D extends PredictiveDistribution> {
        private final Recurrence.Workspace<S, D> workspace;
        private final boolean summaries;
        private final int dimension;

        Runner(StateSpaceModel<S, D> model, boolean summaries) {
            this.workspace = Recurrence.workspace(model);
            this.summaries = summaries;
            this.dimension = model.observationSpace().dimension();
        }

        double stream(int index, Sequence sequence, StepListener listener) {
            if (listener == null) {
                return workspace.run(sequence, null);
            }
            return workspace.run(sequence, (t, state, predicted, logDensity) ->
                    listener.onStep(index, sequence, t, predicted, logDensity));
        }

        SequenceTrace trace(Sequence sequence) {
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
                logDensities[t] = logDensity;
                observed[t] = !sequence.isMissing(t);
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
            return new SequenceTrace(sequence.id(), length, d, total, logDensities, observed, s);
        }
    }

}
