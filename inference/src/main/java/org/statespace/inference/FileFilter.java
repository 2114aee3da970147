package org.statespace.inference;

import java.util.List;

import org.statespace.DataException;
import org.statespace.Recurrence;
import org.statespace.StateSpaceModel;
import org.statespace.capability.StateFiltering;
import org.statespace.capability.StateRecording;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceReader;
import org.statespace.distribution.PredictiveDistribution;

/**
 * Runs a model as a one-step-ahead filter over a file read sequence by sequence and chunk by chunk
 * ({@link SequenceReader}), so memory does not grow with the length of a sequence or the number of sequences:
 * the engine's loop ({@link Recurrence.Workspace#run(Sequence, int, Recurrence.Observer)}) continues from chunk to
 * chunk with one workspace, and a {@link Listener} sees every step as it is computed. Each sequence's
 * log-likelihood is the sum of its steps' log-densities in order, and the total the sum of those in file order,
 * the same sums {@link FilterEngine#run} makes, so the numbers equal the in-memory run's. One thread.
 *
 * <p>With {@link FilterOptions#states()}, the model's filtered state estimates of every step are read off the
 * same pass by its {@link StateRecording.StepRecorder} (the code that fills {@link FilterEngine#run}'s whole-run
 * arrays, so the numbers are the same) and handed to the listener step by step ({@link Listener#stateTracks},
 * {@link Listener#states}); nothing of them is kept.
 *
 * <p>An observation of probability zero is, with {@link FilterOptions#requireFinite()}, a
 * {@link org.statespace.NumericalException} naming the sequence, the step and the observation, as in
 * {@link FilterEngine}.
 */
public final class FileFilter {
    private FileFilter() {
    }

    /** What a run tells its caller, in file order. */
    public interface Listener {
        /** A sequence begins. */
        void startSequence(String id);

        /**
         * One step. The window holds step {@code t} ({@link Sequence#value}); the distribution is a live
         * workspace: copy it to keep it.
         *
         * @param logDensity log p(o_t | past), 0 when o_t is missing
         */
        void step(Sequence window, int t, PredictiveDistribution predicted, double logDensity);

        /**
         * With {@link FilterOptions#states()}: the tracks of the state estimates (names and the shape of one step's
         * block), in the order of the model's {@link org.statespace.capability.StateEstimates#tracks()}; called
         * after {@link #startSequence}, once per sequence, the same list each time.
         */
        default void stateTracks(List<StateRecording.TrackShape> tracks) {
        }

        /**
         * With {@link FilterOptions#states()}: step t's state estimates, {@code blocks[i]} the block of track i
         * ({@code tracks.get(i).width()} numbers, row-major); called just before {@link #step} of the same t. The
         * blocks are reused for the next step: copy them to keep them.
         */
        default void states(Sequence window, int t, double[][] blocks) {
        }

        /**
         * The filter state after the sequence's last step T-1 (its observation scored), h_{T-1} of the model's
         * {@link StateSpaceModel#transition()}, and the window that holds that step: what a forecast continues
         * from ({@link org.statespace.capability.Forecasting#forecastAfter}). Called just before
         * {@link #endSequence}, not for an empty sequence. The state is the run's live workspace: use it before
         * returning (it may be advanced in place; the next sequence starts it afresh).
         */
        default void lastState(Object state, Sequence window) {
        }

        /** The sequence ended after {@code steps} steps. */
        void endSequence(String id, double logLikelihood, long steps, long observedSteps);
    }

    /**
     * The totals of a run.
     *
     * @param sequences     how many sequences
     * @param steps         steps in all
     * @param observedSteps steps with at least one observed component
     * @param logLikelihood the sum of the sequences' log-likelihoods, in file order
     * @param seconds       wall-clock time
     */
    public record Totals(long sequences, long steps, long observedSteps, double logLikelihood, double seconds) {
        /** Mean predictive log-likelihood per observed step. */
        public double meanLogLikelihood() {
            return observedSteps == 0 ? 0 : logLikelihood / observedSteps;
        }
    }

    /**
     * Runs {@code model} over every sequence {@code reader} gives (from its current position).
     *
     * @param listener sees every step, or {@code null}
     * @throws IllegalArgumentException with {@link FilterOptions#states()} and a listener, for a model without state
     *                                  estimates or one that cannot read them off its recurrence step by step
     *                                  ({@link StateRecording})
     */
    public static Totals run(StateSpaceModel<?, ?> model, SequenceReader reader, FilterOptions options,
            Listener listener) {
        return new Run<>(model, options, listener).all(reader);
    }

    private static final class Run<S, D extends PredictiveDistribution> implements Recurrence.Observer<S, D> {
        private final StateSpaceModel<S, D> model;
        private final Recurrence.Workspace<S, D> workspace;
        private final boolean requireFinite;
        private final List<String> symbols;
        private final Listener listener;
        private final StateRecording.StepRecorder<S> recorder; // with states, else null
        private final double[][] blocks;
        // the current sequence, and the step being computed
        private Sequence window;
        private int next;
        private double total;
        private long observed;

        Run(StateSpaceModel<S, D> model, FilterOptions options, Listener listener) {
            this.model = model;
            this.workspace = Recurrence.workspace(model);
            this.requireFinite = options.requireFinite();
            this.symbols = model.observationSpace().symbolNames();
            this.listener = listener;
            this.recorder = options.states() && listener != null ? stepRecorder(model) : null; // none to hand them to
            this.blocks = recorder == null ? null : StateRecording.allocate(recorder.tracks(), 1);
        }

        @SuppressWarnings("unchecked")
        private static <S> StateRecording.StepRecorder<S> stepRecorder(StateSpaceModel<S, ?> model) {
            if (model instanceof StateRecording<?> r) {
                return ((StateRecording<S>) r).stepRecorder();
            }
            throw new IllegalArgumentException(model instanceof StateFiltering
                    ? "a " + model.type() + " model cannot record its state estimates step by step, so they need the "
                            + "whole sequence in memory"
                    : "a " + model.type() + " model has no filtered state estimates to keep");
        }

        Totals all(SequenceReader reader) {
            long start = System.nanoTime();
            long sequences = 0;
            long steps = 0;
            long observedSteps = 0;
            double logLikelihood = 0;
            while (reader.nextSequence()) {
                String id = reader.id();
                if (listener != null) {
                    listener.startSequence(id);
                    if (recorder != null) {
                        listener.stateTracks(recorder.tracks());
                    }
                }
                total = 0;
                observed = 0;
                int length = 0;
                for (Sequence chunk = reader.nextChunk(); chunk != null; chunk = reader.nextChunk()) {
                    window = chunk;
                    next = length;
                    try {
                        workspace.run(chunk, length, this);
                    } catch (ArrayIndexOutOfBoundsException e) {
                        throw lookedBack(e, id, chunk, next);
                    }
                    length = chunk.length();
                }
                if (listener != null) {
                    if (length > 0) {
                        listener.lastState(workspace.state(), window);
                    }
                    listener.endSequence(id, total, length, observed);
                }
                sequences++;
                steps += length;
                observedSteps += observed;
                logLikelihood += total;
            }
            return new Totals(sequences, steps, observedSteps, logLikelihood, (System.nanoTime() - start) / 1e9);
        }

        /**
         * The error for a model that read a step before those {@code chunk} holds while computing step {@code t}
         * (the index error came from the window's accessors), naming how far back it looked at least and what a chunk
         * keeps; any other index error is the model's own and is rethrown as it is.
         */
        private RuntimeException lookedBack(ArrayIndexOutOfBoundsException e, String id, Sequence chunk, int t) {
            // a read before the window: a negative index into its arrays, from an accessor of Sequence (below
            // System.arraycopy for the copying ones)
            boolean window = false;
            for (StackTraceElement frame : e.getStackTrace()) {
                if (!frame.getClassName().equals(System.class.getName())) {
                    window = frame.getClassName().equals(Sequence.class.getName());
                    break;
                }
            }
            boolean before = e.getMessage() != null && e.getMessage().contains("ndex -");
            int held = t - chunk.firstStep();
            if (!window || !before || chunk.firstStep() == 0 || t >= chunk.length()) {
                return e;
            }
            return new DataException("sequence '" + id + "', step " + t + ": the " + model.type()
                    + " model looks back more than " + held + " steps (to a step before " + chunk.firstStep()
                    + "), and a chunk keeps only the " + SequenceReader.HISTORY + " steps before its new ones, so it "
                    + "cannot run over the file in chunks", e);
        }

        @Override
        public void step(int t, S state, D predicted, double logDensity) {
            next = t + 1;
            if (requireFinite) {
                FilterEngine.requireFiniteLogDensity(window, t, logDensity, symbols);
            }
            total += logDensity;
            if (!window.isMissing(t)) {
                observed++;
            }
            if (listener != null) {
                if (recorder != null) {
                    recorder.record(window, t, state, blocks, 0);
                    listener.states(window, t, blocks);
                }
                listener.step(window, t, predicted, logDensity);
            }
        }
    }
}
