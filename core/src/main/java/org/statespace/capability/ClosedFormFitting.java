package org.statespace.capability;

import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;

/**
 * A model whose maximum-likelihood (or MAP) fit has a closed form, such as a Markov chain's counts. The counting is
 * apart from the data ({@link #newCounts}): a fit adds its sequences to the counts whole, or window by window as a
 * file is read in chunks, and both give the same fitted model.
 */
public interface ClosedFormFitting {

    /**
     * The fitted model of the same structure as this one, from all sequences of {@code data}: every sequence added
     * whole to {@link #newCounts} (after aligning the data to this model when it is a {@link StateSpaceModel}).
     */
    default StateSpaceModel<?, ?> fitClosedForm(Dataset data, FitSettings settings) {
        Counts counts = newCounts(settings);
        Dataset aligned = this instanceof StateSpaceModel<?, ?> model ? model.observationSpace().align(data, "data") : data;
        for (Sequence s : aligned.sequences()) {
            counts.add(s, 0);
        }
        return counts.fitted();
    }

    /**
     * Empty counts for a fit with {@code settings}.
     *
     * @throws IllegalArgumentException when {@code settings} are another family's
     */
    Counts newCounts(FitSettings settings);

    /** The sufficient statistics of a closed-form fit, grown a sequence (or a window of one) at a time. Mutable. */
    interface Counts {
        /**
         * Adds steps {@code from .. window.length()-1} of a sequence; the steps the window holds before {@code from}
         * (from {@link Sequence#firstStep()} on) are only the context of those steps. A sequence whole is added with
         * {@code from} 0; a sequence read in chunks ({@link org.statespace.data.SequenceReader}) by adding each chunk
         * with {@code from} the previous chunk's length, which gives the counts of the whole sequence.
         *
         * @throws IllegalArgumentException when the window does not hold the context the model needs before
         *                                  {@code from}
         */
        void add(Sequence window, int from);

        /** The fitted model from the counts so far. */
        StateSpaceModel<?, ?> fitted();
    }
}
