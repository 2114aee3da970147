package org.statespace.inference;

import org.statespace.DataException;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceReader;
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
            public SequenceReader reader(int i) {
                return data.reader(from + java.util.Objects.checkIndex(i, to - from));
            }

            @Override
            public SequenceReader reader(int i, int stepsFrom, int stepsTo) {
                return data.reader(from + java.util.Objects.checkIndex(i, to - from), stepsFrom, stepsTo);
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
     * {@link Dataset#splitInTime}({@code fraction}) of a source: training first, then held out, as views that read
     * only their own steps. Each sequence's training part is read once here, in chunks where the source gives a
     * reader ({@link SequenceSource#reader(int, int, int)}), to count its observed steps (the split is for few
     * sequences: fewer than 5). The training part of sequence i is its steps 0 .. cut-1, the held-out part its steps
     * cut .. T-1 as a sequence of their own (step cut numbered 0, the filter started afresh there, nothing before it
     * to look back at), cut = {@link Dataset#trainingSteps}(T, fraction): the in-memory split's
     * {@link Sequence#slice}s. Each view gives a reader over its steps, so a consumer that reads a long sequence in
     * chunks (scoring, the checkpoint fingerprint) reads a part in chunks too.
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
                observedBefore[i] = observedBefore(data, i, cuts[i]);
                observedAfter[i] = data.observedSteps(i) - observedBefore[i];
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
                return cuts[i] == data.length(i) ? data.sequence(i) : steps(data, i, 0, cuts[i]);
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
            public SequenceReader reader(int i) {
                return cuts[i] == data.length(i) ? data.reader(i) : data.reader(i, 0, cuts[i]);
            }

            @Override
            public SequenceReader reader(int i, int from, int to) {
                java.util.Objects.checkFromToIndex(from, to, cuts[i]);
                return data.reader(i, from, to);
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
                int s = held[java.util.Objects.checkIndex(i, heldCount)];
                return steps(data, s, cuts[s], data.length(s));
            }

            @Override
            public int length(int i) {
                return data.length(held[i]) - cuts[held[i]];
            }

            @Override
            public SequenceReader reader(int i) {
                int s = held[java.util.Objects.checkIndex(i, heldCount)];
                return data.reader(s, cuts[s], data.length(s));
            }

            @Override
            public SequenceReader reader(int i, int from, int to) {
                int s = held[java.util.Objects.checkIndex(i, heldCount)];
                java.util.Objects.checkFromToIndex(from, to, data.length(s) - cuts[s]);
                return data.reader(s, cuts[s] + from, cuts[s] + to);
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

    /**
     * Steps {@code from} to {@code to} of sequence {@code i} of a source held whole as a sequence of their own
     * ({@link Sequence#slice} with the same id): read through the source's reader of those steps where it gives one,
     * so only they are read into memory; else sliced from the sequence.
     */
    static Sequence steps(SequenceSource data, int i, int from, int to) {
        try (SequenceReader reader = data.reader(i, from, to)) {
            if (reader != null) {
                Sequence s = reader.nextSequence() ? reader.nextWhole() : null;
                int length = s == null ? 0 : s.length();
                if (length != to - from) {
                    throw changed(data, i, from + length);
                }
                if (s != null) {
                    return s;
                }
            }
        }
        Sequence s = data.sequence(i);
        return s.slice(s.id(), from, to);
    }

    // the observed steps among steps 0 .. cut-1 of sequence i, read in chunks where the source gives a reader
    private static int observedBefore(SequenceSource data, int i, int cut) {
        SequenceReader ranged = data.reader(i, 0, cut);
        SequenceReader reader = ranged != null ? ranged : data.reader(i);
        if (reader == null) {
            Sequence s = data.sequence(i);
            return s.slice(s.id(), 0, cut).observedSteps();
        }
        try (reader) {
            int observed = 0;
            int seen = 0;
            if (reader.nextSequence()) {
                for (Sequence chunk = reader.nextChunk(); chunk != null && seen < cut; chunk = reader.nextChunk()) {
                    for (int t = seen; t < Math.min(chunk.length(), cut); t++) {
                        if (!chunk.isMissing(t)) {
                            observed++;
                        }
                    }
                    seen = chunk.length();
                }
            }
            if (seen < cut) {
                throw changed(data, i, seen);
            }
            return observed;
        }
    }

    private static DataException changed(SequenceSource data, int i, int steps) {
        return new DataException(data.name() + ": sequence " + (i + 1) + " now reads as " + steps + " steps, not the "
                + data.length(i) + " it had when the file was indexed; was the file changed?");
    }
}
