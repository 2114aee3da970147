package org.statespace.capability;

import java.util.Arrays;
import java.util.List;

import org.statespace.data.Sequence;

/**
 * A model whose filtered state estimates can be read off the state h_t its recurrence carries, step by
 * step, so that one run of the filter engine both scores a sequence and keeps its {@link StateFiltering}
 * estimates, without a second forward pass. The estimates equal those of {@link #filterStates}.
 *
 * <p>The numbers of one step come from a {@link StepRecorder}; the whole-run {@link StateRecorder} of a family
 * is that step recorder writing each step into its row of the run's arrays, so a caller that streams the steps
 * ({@code FileFilter}) and one that keeps the run get the same numbers from the same code.
 *
 * @param <S> the model's recurrence state
 */
public interface StateRecording<S> extends StateFiltering {

    /** Collects the estimates of one run over {@code sequence}; a new recorder for every run. */
    StateRecorder<S> stateRecorder(Sequence sequence);

    /**
     * Reads one step's estimates at a time, for a run that does not keep them: a new recorder for every run
     * (it may hold scratch space), used for its sequences one after the other.
     */
    StepRecorder<S> stepRecorder();

    /**
     * Sees h_t of every step of one run, after step t was scored, in order of t.
     *
     * @param <S> the model's recurrence state
     */
    interface StateRecorder<S> {
        /** Copies what step t's estimates need out of the live state (the state is not modified). */
        void record(int t, S state);

        /** The estimates of the whole run, with the run's log-likelihood. */
        StateEstimates estimates(double logLikelihood);
    }

    /**
     * Writes the estimates of one step, after step t was scored, as blocks of numbers: one per track of the
     * family's {@link StateEstimates#tracks()}, in that order.
     *
     * @param <S> the model's recurrence state
     */
    interface StepRecorder<S> {
        /** The tracks' names and per-step shapes, in the order of {@link StateEstimates#tracks()}. */
        List<TrackShape> tracks();

        /**
         * Writes step t's block of every track i, {@code tracks().get(i).width()} numbers, into
         * {@code blocks[i]} from index {@code row * width} (every number of the block is written; the state is not
         * modified). Steps come in order of t, from 0, for each sequence.
         *
         * @param window a sequence that holds step t: the run's sequence, or the chunk of it being run
         * @param row    the block's row in {@code blocks}: t for a whole run's arrays, 0 for one step's blocks
         */
        void record(Sequence window, int t, S state, double[][] blocks, int row);

        /** A step recorder of {@code tracks} whose {@link #record} is {@code recording}. */
        static <S> StepRecorder<S> of(List<TrackShape> tracks, Recording<S> recording) {
            List<TrackShape> shapes = List.copyOf(tracks);
            return new StepRecorder<>() {
                @Override
                public List<TrackShape> tracks() {
                    return shapes;
                }

                @Override
                public void record(Sequence window, int t, S state, double[][] blocks, int row) {
                    recording.record(window, t, state, blocks, row);
                }
            };
        }
    }

    /** What {@link StepRecorder#record} does, for {@link StepRecorder#of}. */
    @FunctionalInterface
    interface Recording<S> {
        /** As {@link StepRecorder#record}. */
        void record(Sequence window, int t, S state, double[][] blocks, int row);
    }

    /**
     * A track's name and the shape of one step's block ([] a number, [K] a vector, [n, n] a matrix).
     *
     * @param name  the JSON name, e.g. {@code "filteredProbabilities"}
     * @param shape the shape of one step's block
     */
    record TrackShape(String name, int[] shape) {
        public TrackShape {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        /** Numbers per step. */
        public int width() {
            int width = 1;
            for (int s : shape) {
                width *= s;
            }
            return width;
        }

        /** One block of this shape per step, for a run of {@code length} steps. */
        public double[] allocate(int length) {
            return new double[length * width()];
        }

        /** The track of a run, over its values ({@code length} blocks). */
        public Track track(int length, double[] values) {
            return new Track(name, length, shape, values);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TrackShape s && name.equals(s.name) && Arrays.equals(shape, s.shape);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape);
        }
    }

    /** One array per track, {@code length} blocks each, for a whole run written by a {@link StepRecorder}. */
    static double[][] allocate(List<TrackShape> tracks, int length) {
        double[][] arrays = new double[tracks.size()][];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = tracks.get(i).allocate(length);
        }
        return arrays;
    }
}
