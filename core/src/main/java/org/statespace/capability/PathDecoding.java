package org.statespace.capability;

import org.statespace.data.Sequence;

/** A model with discrete hidden states that can find the most probable path (Viterbi). */
public interface PathDecoding {

    /** The most probable hidden path given the whole sequence, with its joint log-probability. */
    DecodedPath decode(Sequence sequence);
}
