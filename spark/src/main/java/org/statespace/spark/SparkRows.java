package org.statespace.spark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.statespace.data.Moments;
import org.statespace.data.ObservedRows;
import org.statespace.data.Sequence;

import scala.Tuple2;

/**
 * {@link ObservedRows} of a dataset in Spark partitions, so a data-driven start (EM restarts, a symmetric start
 * moved apart, a template's start) is drawn on the driver exactly as {@code statespace fit} draws it in memory: the
 * counts are summed over the partitions (exactly: integer counts, and the exact sums of {@link ObservedRows.Tally}
 * and {@link Moments}), and the rows
 * a start chooses by index are fetched from the executors. Each kind of pass is one Spark job; the tally and the
 * rows' positions (two counts per sequence, collected to the driver) are kept for later draws.
 */
final class SparkRows implements ObservedRows {
    private final JavaSparkContext sc;
    private final JavaRDD<IndexedSequence> data;
    private final long count;
    private final int dimension;
    private final int inputDimension;
    private Tally tally;
    private long[] completeBefore;   // per sequence position: complete rows before it (count + 1 entries)
    private long[] partialBefore;

    SparkRows(JavaSparkContext sc, JavaRDD<IndexedSequence> data, long count, int dimension, int inputDimension) {
        this.sc = sc;
        this.data = data;
        this.count = count;
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
            int d = dimension;
            List<Tally> parts = data.mapPartitions((Iterator<IndexedSequence> it) ->
                    List.of(ObservedRows.tally(sequences(it), d)).iterator()).collect();
            Tally total = new Tally(d);
            parts.forEach(total::merge);
            tally = total;
        }
        return tally;
    }

    @Override
    public Moments moments() {
        int d = dimension;
        int p = inputDimension;
        List<Moments> parts = data.mapPartitions((Iterator<IndexedSequence> it) ->
                List.of(ObservedRows.moments(sequences(it), d, p)).iterator()).collect();
        Moments total = new Moments(d, p);
        parts.forEach(total::merge);
        return total;
    }

    @Override
    public long[] symbolCounts(int symbols) {
        return data.mapPartitions((Iterator<IndexedSequence> it) ->
                List.of(ObservedRows.symbolCounts(sequences(it), symbols)).iterator()).reduce((a, b) -> {
            long[] c = a.clone();
            for (int i = 0; i < c.length; i++) {
                c[i] += b[i];
            }
            return c;
        });
    }

    @Override
    public double[][] rows(long[] indices) {
        Tally t = tally();
        long[] wanted = ObservedRows.sortedDistinct(indices, t.complete() + t.partial());
        positions();
        Broadcast<long[]> w = sc.broadcast(wanted);
        Broadcast<long[]> cb = sc.broadcast(completeBefore);
        Broadcast<long[]> pb = sc.broadcast(partialBefore);
        long complete = t.complete();
        try {
            List<Tuple2<Long, double[]>> found = data.mapPartitions((Iterator<IndexedSequence> it) -> {
                List<Tuple2<Long, double[]>> out = new ArrayList<>();
                long[] want = w.value();
                long[] c = cb.value();
                long[] p = pb.value();
                while (it.hasNext()) {
                    IndexedSequence s = it.next();
                    int i = (int) s.index();
                    if (holds(want, c[i], c[i + 1]) || holds(want, complete + p[i], complete + p[i + 1])) {
                        ObservedRows.select(s.sequence(), c[i], p[i], complete, want,
                                (index, row) -> out.add(new Tuple2<>(index, row)));
                    }
                }
                return out.iterator();
            }).collect();
            Map<Long, double[]> byIndex = new HashMap<>();
            found.forEach(f -> byIndex.put(f._1(), f._2()));
            return ObservedRows.inOrder(indices, byIndex);
        } finally {
            w.destroy();
            cb.destroy();
            pb.destroy();
        }
    }

    // a partition's sequences without their positions
    private static Iterator<Sequence> sequences(Iterator<IndexedSequence> it) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Sequence next() {
                return it.next().sequence();
            }
        };
    }

    // whether a wanted index lies in [from, to)
    private static boolean holds(long[] sortedWanted, long from, long to) {
        int i = java.util.Arrays.binarySearch(sortedWanted, from);
        int at = i >= 0 ? i : -i - 1;
        return at < sortedWanted.length && sortedWanted[at] < to;
    }

    // every sequence's complete and partial rows, collected once, summed into the rows before each position
    private void positions() {
        if (completeBefore != null) {
            return;
        }
        if (count > Integer.MAX_VALUE - 1) {
            throw new IllegalStateException(count + " sequences: too many to index rows by sequence on the driver");
        }
        List<long[]> perSequence = data.map(s -> {
            Sequence q = s.sequence();
            long complete = 0;
            long partial = 0;
            for (int t = q.firstStep(); t < q.firstStep() + q.length(); t++) {
                if (!q.isMissing(t)) {
                    if (q.isPartiallyMissing(t)) {
                        partial++;
                    } else {
                        complete++;
                    }
                }
            }
            return new long[] {s.index(), complete, partial};
        }).collect();
        long[] c = new long[(int) count + 1];
        long[] p = new long[(int) count + 1];
        for (long[] r : perSequence) {
            c[(int) r[0] + 1] = r[1];
            p[(int) r[0] + 1] = r[2];
        }
        for (int i = 1; i <= count; i++) {
            c[i] += c[i - 1];
            p[i] += p[i - 1];
        }
        completeBefore = c;
        partialBefore = p;
    }
}
