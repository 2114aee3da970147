package org.statespace.capability;

import java.util.List;

import org.statespace.data.Sequence;

/** A model with discrete hidden states that can find the most probable path (Viterbi). */
public interface PathDecoding {

    /** The most probable hidden path given the whole sequence, with its joint log-probability. */
    DecodedPath decode(Sequence sequence);

    /**
     * The names of the K hidden states in index order: state k of a {@link DecodedPath} and column k of
     * the state probabilities ({@code filteredProbabilities}, {@code posteriorProbabilities}) is called
     * {@code stateNames().get(k)}. The names the spec gives ({@code "states": ["calm", "storm"]}), or
     * {@link #indexNames "0".."K-1"} when it gives none.
     */
    List<String> stateNames();

    /** "0", "1", ..., "K-1": the names of K states (or symbols) that were given none. */
    static List<String> indexNames(int k) {
        String[] names = new String[k];
        for (int i = 0; i < k; i++) {
            names[i] = Integer.toString(i);
        }
        return List.of(names);
    }
}
