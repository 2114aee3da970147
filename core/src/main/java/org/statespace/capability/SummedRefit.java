package org.statespace.capability;

import org.statespace.StateSpaceModel;
import org.statespace.data.Sequence;

/**
 * A {@link Differentiable} model whose end-of-epoch re-estimation ({@link Differentiable#withParameters(double[],
 * org.statespace.data.Dataset)}) depends on the training data only through a sum of per-sequence statistics (an
 * RNN's linear-head variance: the summed squared residuals and their count). A cluster sums the statistics over
 * the sequences where they lie and re-estimates on one machine; the answer equals the single JVM's up to the
 * order of the additions.
 */
public interface SummedRefit {

    /**
     * Whether {@link #refitStatistics} says anything: false when they are empty for every sequence (an RNN whose
     * head is not linear), so a caller over a file need not read the sequences for them. True by default.
     */
    default boolean usesStatistics() {
        return true;
    }

    /** The statistics of one sequence under this model (the same length for every sequence). */
    double[] refitStatistics(Sequence sequence);

    /**
     * A fresh {@link Accumulator} of one sequence's statistics, for a sequence read in chunks so that it is never
     * held whole; null (the default) when this model takes only whole sequences ({@link #refitStatistics}).
     */
    default Accumulator accumulator() {
        return null;
    }

    /**
     * The statistics of one sequence added a chunk at a time, in step order; after the last chunk they are
     * {@link #refitStatistics} of the whole sequence, bit for bit. Not thread-safe.
     */
    interface Accumulator {
        /**
         * Adds steps {@code from .. chunk.length()-1} of {@code chunk} (a window of the sequence, {@link
         * Sequence#firstStep()}, that still holds the steps before {@code from} the model looks back at),
         * continuing from step {@code from - 1} of the chunks added before (afresh when {@code from} is 0).
         */
        void add(Sequence chunk, int from);

        /** The statistics of the steps added so far. */
        double[] statistics();
    }

    /**
     * This model with the re-estimation from {@code summed}, the element-wise sum of {@link #refitStatistics} over
     * the training sequences: {@code withParameters(θ, training)} of a {@link Differentiable} model equals
     * {@code withParameters(θ).withRefit(Σ refitStatistics)}.
     */
    StateSpaceModel<?, ?> withRefit(double[] summed);
}
