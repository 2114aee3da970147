package org.statespace.data;

import java.util.List;

/**
 * Sequences that can be read one at a time by position, in any order: a {@link Dataset} in memory
 * ({@link #of(Dataset)}), or a file whose sequences are read again at their byte offsets each time
 * ({@link SequenceIndex}). A trainer that draws its mini-batches in a shuffled order reads through this, so the
 * same loop runs over data in memory and over a file larger than memory.
 *
 * <p>{@link #sequence} may be called from several threads at once.
 */
public interface SequenceSource {
    /** The number of sequences. */
    int size();

    /** Sequence {@code i} (0-based), aligned to the model it was read for. */
    Sequence sequence(int i);

    /** The number of steps of sequence {@code i}, known without reading it. */
    int length(int i);

    /** The number of observed (not missing) steps of sequence {@code i}, known without reading it. */
    int observedSteps(int i);

    /**
     * Steps {@code from} (inclusive) to {@code to} (exclusive) of sequence {@code i} as a sequence with id
     * {@code "<id>@<from>"}: {@link Sequence#slice} of {@link #sequence}(i), which is what this default does.
     * An index that keeps piece offsets ({@link SequenceIndex}) reads just the piece.
     */
    default Sequence piece(int i, int from, int to) {
        Sequence s = sequence(i);
        return s.slice(s.id() + "@" + from, from, to);
    }

    /**
     * Whether {@link #piece}(i, ...) of an indexed piece reads only that piece (not the whole sequence): false by
     * default, so a caller that takes several pieces of one sequence should read it once and slice it.
     */
    default boolean readsPieces(int i) {
        return false;
    }

    /**
     * A reader positioned at sequence {@code i} that gives it in chunks ({@link SequenceReader#nextChunk}) and
     * then ends, for running a filter over a long sequence without holding it; null (the default) when the source
     * cannot give one, and then {@link #sequence} is read whole.
     */
    default SequenceReader reader(int i) {
        return null;
    }

    /**
     * A reader of steps {@code from} (inclusive) to {@code to} (exclusive) of sequence {@code i} as a sequence of
     * their own, in chunks: the steps {@link Sequence#slice}{@code (id, from, to)} of {@link #sequence}(i) holds,
     * with the same id, step {@code from} numbered 0 and nothing before it to look back at. Null when the source
     * cannot give one: by default, unless the steps are the whole sequence ({@link #reader(int)}).
     */
    default SequenceReader reader(int i, int from, int to) {
        return from == 0 && to == length(i) ? reader(i) : null;
    }

    /** Where the sequences come from, for messages (a file name, or "data"). */
    String name();

    /** The dataset this source reads from memory, or null for one that reads a file. */
    default Dataset inMemory() {
        return null;
    }

    /** The sequences of a dataset in memory. */
    static SequenceSource of(Dataset data) {
        List<Sequence> sequences = data.sequences();
        return new SequenceSource() {
            @Override
            public int size() {
                return sequences.size();
            }

            @Override
            public Sequence sequence(int i) {
                return sequences.get(i);
            }

            @Override
            public int length(int i) {
                return sequences.get(i).length();
            }

            @Override
            public int observedSteps(int i) {
                return sequences.get(i).observedSteps();
            }

            @Override
            public String name() {
                return "data";
            }

            @Override
            public Dataset inMemory() {
                return data;
            }
        };
    }
}
