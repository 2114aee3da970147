package org.statespace.data;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link ObservedRows} of sequences in memory: every pass a loop over them. */
final class InMemoryRows implements ObservedRows {
    private final List<Sequence> sequences;
    private final int dimension;
    private final int inputDimension;
    private Tally tally;

    InMemoryRows(List<Sequence> sequences, int dimension, int inputDimension) {
        this.sequences = sequences;
        this.dimension = dimension;
        this.inputDimension = inputDimension;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public Tally tally() {
        if (tally == null) {
            tally = ObservedRows.tally(sequences.iterator(), dimension);
        }
        return tally;
    }

    @Override
    public Moments moments() {
        return ObservedRows.moments(sequences.iterator(), dimension, inputDimension);
    }

    @Override
    public long[] symbolCounts(int symbols) {
        return ObservedRows.symbolCounts(sequences.iterator(), symbols);
    }

    @Override
    public double[][] rows(long[] indices) {
        Tally t = tally();
        long[] wanted = ObservedRows.sortedDistinct(indices, t.complete() + t.partial());
        Map<Long, double[]> found = new HashMap<>();
        Tally before = new Tally(dimension);
        for (Sequence s : sequences) {
            if (found.size() == wanted.length) {
                break;
            }
            ObservedRows.select(s, before.complete(), before.partial(), t.complete(), wanted, found::put);
            before.add(s);
        }
        return ObservedRows.inOrder(indices, found);
    }
}
