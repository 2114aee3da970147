package org.statespace.capability;

import java.util.random.RandomGenerator;

import org.statespace.data.Sequence;

/**
 * The two-pass kernels (E-step, smoother, Viterbi decoding of a discrete state, and for a model that says so
 * posterior draws of the hidden states) over one sequence that is read in chunks and need not fit in memory:
 * the forward pass runs over the chunks as they come and spills what the backward pass needs (for an HMM the
 * scaled filter α̂_t, the scaled densities b̃_t, the scale c_t and the observation o_t of every step) to a
 * temporary binary file; the backward pass reads it back in reverse, a block at a time. Memory is a block and
 * the model's own O(K²), whatever the length; the disk holds the spill (for an HMM (2K + 1 + d)·8 bytes a
 * step; for a linear-Gaussian model its filter's predicted and filtered moments, W_t and s_t, y_t and u_t,
 * (3n + 3n² + m + p)·8 bytes a step) and the file is deleted when the call returns or fails. The temporary folder is the JVM's
 * ({@code java.io.tmpdir}).
 *
 * <p>The numbers are those of the in-memory kernels ({@link ExpectationMaximization#expectation},
 * {@link StateSmoothing#smoothStates}) computed in the same order, so they agree bit for bit.
 *
 * <p>Why a spill and not checkpointed recomputation (O(√T) filter states kept, each segment filtered again
 * during the backward pass): the backward pass needs the observations again in reverse order, which a text
 * file read forward cannot give without keeping them somewhere anyway, and recomputation costs a second
 * forward pass (the emission densities, the dominant cost) for every backward pass. A spill costs sequential
 * disk traffic, which is cheaper than that, and disk is the resource a user with a series longer than memory
 * has.
 */
public interface LongSequenceInference {

    /** One sequence's chunks in order ({@code SequenceReader::nextChunk}): windows indexed by step, null at the end. */
    @FunctionalInterface
    interface Chunks {
        Sequence next();
    }

    /** Receives a smoothed track one step at a time, in step order. */
    interface SmoothedSteps {
        /**
         * The sequence's track begins.
         *
         * @param track         its name, e.g. {@code posteriorProbabilities}
         * @param width         numbers per step
         * @param logLikelihood the sequence's log-likelihood
         * @param length        T
         */
        void begin(String track, int width, double logLikelihood, int length);

        /**
         * The same with the shape of a step's numbers ({@code [K]}, or {@code [n, n]} for a matrix, row-major): the
         * call a model makes; by default {@link #begin(String, int, double, int)} with the product of the shape.
         */
        default void begin(String track, int[] shape, double logLikelihood, int length) {
            int width = 1;
            for (int d : shape) {
                width *= d;
            }
            begin(track, width, logLikelihood, length);
        }

        /** Step t's numbers: {@code values[offset .. offset+width)}; a live buffer, copy to keep. */
        void step(int t, double[] values, int offset);

        /**
         * How a model with several tracks (a linear-Gaussian model's smoothed means, covariances and lag-one
         * covariances) hands them over: false (the default), one track after another, each begun and then given
         * its T steps (JSON's order); true, every track begun first and then, at each step, one {@link #step} per
         * track in the order begun (a table's rows). A model with one track calls begin once either way.
         */
        default boolean interleaved() {
            return false;
        }
    }

    /** Receives a decoded path one step at a time, in step order. */
    interface DecodedSteps {
        /** The sequence's path begins: log p(path, observations) and T. */
        void begin(double logProbability, int length);

        /** The state of step t. */
        void step(int t, int state);
    }

    /**
     * Receives joint posterior draws of one sequence's hidden states ({@link PosteriorSampling}) one draw after
     * another, each in step order: the order of {@link PosteriorDraws}' packing (draw-major).
     */
    interface DrawnSteps {
        /**
         * The sequence's draws begin.
         *
         * @param count     the number of draws
         * @param length    T
         * @param dimension numbers per step: n state components, or 1 (the state index) for a discrete state
         * @param discrete  whether the numbers are state indices
         */
        void begin(int count, int length, int dimension, boolean discrete);

        /** Draw {@code draw} (0, 1, .. count-1 in turn) begins; its T steps follow. */
        void draw(int draw);

        /** Step t of the current draw: {@code values[offset .. offset+dimension)}; a live buffer, copy to keep. */
        void step(int t, double[] values, int offset);
    }

    /** Whether this model runs these kernels (an implementation may decline for some of its configurations). */
    default boolean streamsLongSequences() {
        return true;
    }

    /**
     * One sequence's E-step over its chunks: adds its expected statistics (from this model's
     * {@link ExpectationMaximization#newStatistics()}) into {@code statistics}; returns its log-likelihood.
     *
     * @throws org.statespace.NumericalException naming the sequence and step of an impossible observation
     * @throws org.statespace.ResourceException  when the spill cannot be written or read
     */
    double expectation(String id, Chunks chunks, SufficientStatistics statistics);

    /**
     * The smoothed track of one sequence over its chunks, handed to {@code out} in step order after both passes
     * (the spill is rewritten in place with the smoothed values by the backward pass and read forward once
     * more). Returns the log-likelihood.
     */
    double smooth(String id, Chunks chunks, SmoothedSteps out);

    /**
     * The most probable hidden path (Viterbi) of one sequence over its chunks: the backpointers are spilled (K ints
     * a step), traced back on disk, and the path handed to {@code out} in step order. Returns log p(path,
     * observations); ties go to the smaller state index, as in memory.
     *
     * @throws UnsupportedOperationException for a model whose hidden state is continuous (a linear-Gaussian model),
     *                                       which has no discrete path to decode (it is not a
     *                                       {@link PathDecoding})
     */
    double decode(String id, Chunks chunks, DecodedSteps out);

    /**
     * Whether {@link #samplePosterior(String, Chunks, int, RandomGenerator, DrawnSteps)} runs for this model: false
     * unless a model says otherwise.
     */
    default boolean streamsPosteriorDraws() {
        return false;
    }

    /**
     * {@code count} joint draws of one sequence's hidden states from their posterior given all of it
     * ({@link PosteriorSampling#samplePosterior}), over its chunks: the same draws, from the same numbers of
     * {@code random} taken in the same order, as the in-memory sampler given the whole sequence. A model spills
     * its forward pass as {@link #smooth} does and each draw's states to a second spill file, read back in step
     * order into {@code out}, so memory does not grow with T. Returns the log-likelihood.
     *
     * @param count at least 1
     * @throws UnsupportedOperationException when {@link #streamsPosteriorDraws()} is false
     * @throws org.statespace.ResourceException when a spill cannot be written or read
     */
    default double samplePosterior(String id, Chunks chunks, int count, RandomGenerator random, DrawnSteps out) {
        throw new UnsupportedOperationException("this model draws from the posterior of a whole sequence held in "
                + "memory only");
    }
}
