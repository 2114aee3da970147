package org.statespace.spark;

import org.statespace.data.Sequence;

/**
 * A sequence and its position in the dataset (0, 1, ...). Positions are contiguous within a partition
 * and increase with the partition number, which is what {@link DyadicSum} needs. A plain class rather
 * than a record, so that Spark's Kryo serializer can move it.
 */
public final class IndexedSequence {
    private final long index;
    private final Sequence sequence;

    public IndexedSequence(long index, Sequence sequence) {
        this.index = index;
        this.sequence = sequence;
    }

    public long index() {
        return index;
    }

    public Sequence sequence() {
        return sequence;
    }
}
