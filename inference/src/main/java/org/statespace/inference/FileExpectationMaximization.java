package org.statespace.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.statespace.StateSpaceModel;
import org.statespace.capability.ExpectationMaximization;
import org.statespace.capability.FitSettings;
import org.statespace.capability.LongSequenceInference;
import org.statespace.capability.SufficientStatistics;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceReader;

/**
 * EM with every iteration a pass over a file ({@link SequenceReader}): each sequence is read, its E-step statistics
 * computed and merged into the iteration's total in file order, then dropped, so memory holds one sequence (and
 * the statistics) at a time, never the dataset. The loop is the trainer's for one run from the given start (no
 * restarts, no symmetry breaking, no validation): E-step, stop when the objective (the log-likelihood, plus the
 * log-prior for a model with a prior) rose by no more than {@code tolerance} times its size or after
 * {@code maxIterations} M-steps, else M-step. Each sequence's statistics are merged into a fresh total as
 * {@link Trainer} merges them, so the log-likelihood trace equals the in-memory fit's over the same data.
 *
 * <p>The E-step of one sequence needs the whole sequence. A model with {@link LongSequenceInference} (a
 * homogeneous, input-output or explicit-duration HMM, a linear-Gaussian model, a non-linear model fitted by EM) takes it over the
 * sequence's chunks with its filter spilled to a temporary file, so a single sequence longer than memory is fitted
 * too, with the in-memory E-step's numbers; any other model's sequences are read whole, one at a time, so many sequences of any total size are fitted but each must fit in memory.
 * The objective and stopping rule are {@link EmStopping}'s, the in-memory loop's.
 */
public final class FileExpectationMaximization {
    private FileExpectationMaximization() {
    }

    /**
     * The outcome of a fit.
     *
     * @param model         the model after the last M-step (the one whose log-likelihood is last in the trace)
     * @param trace         the log-likelihood at each E-step, the first under the start
     * @param iterations    M-steps made
     * @param converged     whether the tolerance ended it (else the iteration limit)
     * @param observedSteps observed steps in a pass
     */
    public record Result(StateSpaceModel<?, ?> model, double[] trace, int iterations, boolean converged,
            long observedSteps) {
        public Result {
            trace = trace.clone();
        }

        @Override
        public double[] trace() {
            return trace.clone();
        }

        /** The log-likelihood of {@link #model()}. */
        public double logLikelihood() {
            return trace[trace.length - 1];
        }
    }

    // a sequence's chunks from the reader, its observed steps counted on the way
    private static final class CountingChunks implements LongSequenceInference.Chunks {
        private final SequenceReader reader;
        private int seen;
        long observed;

        CountingChunks(SequenceReader reader) {
            this.reader = reader;
        }

        @Override
        public Sequence next() {
            Sequence chunk = reader.nextChunk();
            if (chunk != null) {
                for (int t = seen; t < chunk.length(); t++) {
                    if (!chunk.isMissing(t)) {
                        observed++;
                    }
                }
                seen = chunk.length();
            }
            return chunk;
        }
    }

    /** Sees each iteration: the number of M-steps so far and the log-likelihood of the current model. */
    @FunctionalInterface
    public interface Listener {
        void onIteration(int iteration, double logLikelihood);
    }

    /**
     * Fits {@code start} by EM over the data {@code passes} opens afresh for every iteration.
     *
     * @param passes opens the file (a reader positioned before its first sequence); each reader is closed here
     */
    public static Result fit(StateSpaceModel<?, ?> start, Supplier<SequenceReader> passes, FitSettings settings,
            int maxIterations, double tolerance, Listener listener) {
        StateSpaceModel<?, ?> model = start;
        List<Double> trace = new ArrayList<>();
        double previous = Double.NEGATIVE_INFINITY;
        int updates = 0;
        boolean converged = false;
        long observed = 0;
        while (true) {
            if (!(model instanceof ExpectationMaximization em)) {
                throw new IllegalArgumentException("a " + model.type() + " model is not fitted by EM");
            }
            SufficientStatistics total = em.newStatistics();
            observed = 0;
            try {
                try (SequenceReader reader = passes.get()) {
                    while (reader.nextSequence()) {
                        SufficientStatistics one = em.newStatistics();
                        try {
                            if (model instanceof LongSequenceInference spilled && spilled.streamsLongSequences()) {
                                CountingChunks chunks = new CountingChunks(reader);
                                spilled.expectation(reader.id(), chunks, one);
                                observed += chunks.observed;
                            } else {
                                Sequence s = reader.nextWhole();
                                em.expectation(s, one);
                                observed += s.observedSteps();
                            }
                            total.merge(one);
                        } finally {
                            one.release();
                        }
                    }
                }
                double ll = total.logLikelihood();
                double objective = EmStopping.objective(em, ll, updates);
                trace.add(ll);
                if (listener != null) {
                    listener.onIteration(updates, ll);
                }
                if (EmStopping.converged(updates, objective, previous, tolerance)) {
                    converged = true;
                    break;
                }
                if (updates >= maxIterations) {
                    break;
                }
                previous = objective;
                model = em.maximization(total, settings);
            } finally {
                total.release(); // an input-output HMM's spilled transition rows
            }
            updates++;
        }
        return new Result(model, trace.stream().mapToDouble(Double::doubleValue).toArray(), updates, converged, observed);
    }
}
