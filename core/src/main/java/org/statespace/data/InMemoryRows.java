package org.statespace.data;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link ObservedRows} of sequences in memory: every pass a loop over them. */
final class InMemoryRows implements ObservedRows {
    private final List<Sequence> sequences;
    private final int dimension;
    private Tally tally;

    InMemoryRows(List<Sequence> sequences, int dimension) {
        this.sequences = sequences;
        this.dimension = dimension;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public Tally tally() {
        if (tally == null) {
            Tally t = new Tally(dimension);
            sequences.forEach(t::add);
            tally = t;
        }
        return tally;
    }

    @Override
    public long[] symbolCounts(int symbols) {
        long[] counts = new long[symbols];
        sequences.forEach(s -> ObservedRows.countSymbols(s, symbols, counts));
        return counts;
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
