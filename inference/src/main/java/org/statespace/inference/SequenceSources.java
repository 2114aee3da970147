package org.statespace.inference;

import org.statespace.DataException;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceSource;

/**
 * Views of a {@link SequenceSource} for a validation split that leaves the data where they are: the split of
 * {@link Dataset#splitBySequence} (the first sequences for training, the rest held out) and of
 * {@link Dataset#splitInTime} (each sequence's leading steps for training, the rest held out), with the same cuts.
 */
final class SequenceSources {
    private SequenceSources() {
    }

    /** {@link Dataset#splitBySequence}({@code fraction}) of a source: training first, then held out. */
    static SequenceSource[] bySequence(SequenceSource data, double fraction) {
        int n = data.size();
        if (n < 2) {
            throw new DataException("cannot split by sequence: the dataset has only one sequence");
        }
        int cut = (int) Math.round(n * fraction);
        cut = Math.max(1, Math.min(cut, n - 1));
        return new SequenceSource[] {range(data, 0, cut), range(data, cut, n)};
    }

    /** Sequences {@code from} (inclusive) to {@code to} (exclusive) of a source. */
    static SequenceSource range(SequenceSource data, int from, int to) {
        return new SequenceSource() {
            @Override
            public int size() {
                return to - from;
            }

            @Override
            public Sequence sequence(int i) {
                return data.sequence(from + java.util.Objects.checkIndex(i, to - from));
            }

            @Override
            public int length(int i) {
                return data.length(from + java.util.Objects.checkIndex(i, to - from));
            }

            @Override
            public Sequence piece(int i, int pieceFrom, int pieceTo) {
                return data.piece(from + java.util.Objects.checkIndex(i, to - from), pieceFrom, pieceTo);
            }

            @Override
            public boolean readsPieces(int i) {
                return data.readsPieces(from + java.util.Objects.checkIndex(i, to - from));
            }

            @Override
            public org.statespace.data.SequenceReader reader(int i) {
                return data.reader(from + java.util.Objects.checkIndex(i, to - from));
            }

            @Override
            public int observedSteps(int i) {
                return data.observedSteps(from + java.util.Objects.checkIndex(i, to - from));
            }

            @Override
            public String name() {
                return data.name();
            }
        };
    }

    /**
     * {@link Dataset#splitInTime}({@code fraction}) of a source: training first, then held out. Each sequence is read
     * once here to count the observed steps of its two parts (the split is for few sequences: fewer than 5).
     */
    static SequenceSource[] inTime(SequenceSource data, double fraction) {
        int n = data.size();
        int[] cuts = new int[n];
        int[] held = new int[n];
        int[] observedBefore = new int[n];
        int[] observedAfter = new int[n];
        int heldOut = 0;
        for (int i = 0; i < n; i++) {
            int length = data.length(i);
            cuts[i] = Dataset.trainingSteps(length, fraction);
            if (cuts[i] < length) {
                Sequence s = data.sequence(i);
                observedBefore[i] = s.slice(s.id(), 0, cuts[i]).observedSteps();
                observedAfter[i] = s.observedSteps() - observedBefore[i];
                held[heldOut++] = i;
            } else {
                observedBefore[i] = data.observedSteps(i);
            }
        }
        if (heldOut == 0) {
            throw new DataException("cannot hold out data: every sequence has fewer than 2 steps");
        }
        int heldCount = heldOut;
        SequenceSource training = new SequenceSource() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public Sequence sequence(int i) {
                Sequence s = data.sequence(i);
                return cuts[i] == s.length() ? s : s.slice(s.id(), 0, cuts[i]);
            }

            @Override
            public int length(int i) {
                return cuts[i];
            }

            @Override
            public Sequence piece(int i, int from, int to) {
                java.util.Objects.checkFromToIndex(from, to, cuts[i]);
                return data.piece(i, from, to); // the leading steps' piece is the whole sequence's
            }

            @Override
            public boolean readsPieces(int i) {
                return data.readsPieces(i);
            }

            @Override
            public int observedSteps(int i) {
                return observedBefore[i];
            }

            @Override
            public String name() {
                return data.name();
            }
        };
        SequenceSource test = new SequenceSource() {
            @Override
            public int size() {
                return heldCount;
            }

            @Override
            public Sequence sequence(int i) {
                Sequence s = data.sequence(held[java.util.Objects.checkIndex(i, heldCount)]);
                return s.slice(s.id(), cuts[held[i]], s.length());
            }

            @Override
            public int length(int i) {
                return data.length(held[i]) - cuts[held[i]];
            }

            @Override
            public int observedSteps(int i) {
                return observedAfter[held[i]];
            }

            @Override
            public String name() {
                return data.name();
            }
        };
        return new SequenceSource[] {training, test};
    }
}
