package org.statespace.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BinaryOperator;

/**
 * A sum over items 0..N-1 whose rounding does not depend on how the items are split into partitions.
 *
 * <p>The sum is defined on a fixed binary tree over the item indices: the node at level L and index j
 * covers items [j·2^L, (j+1)·2^L) and its value is left + right (just left where the right half lies past
 * the last item). A partition that holds a contiguous range of items adds them in order and keeps the
 * complete subtrees it can build (at most two per level); {@link #combine} joins the subtrees of all
 * partitions, sorted by where they start, into the root by the same rule. Floating-point addition of two
 * given operands is deterministic and commutative, so every partitioning of the same items (one partition,
 * two, or one per item) gives the root bit for bit the same value. This is how the Spark E-step sums
 * expected sufficient statistics: as a tree aggregation whose answer is fixed by the data, not by the
 * cluster.
 *
 * @param <T> the partial sum; {@code merge} returns the sum of its two arguments and may reuse the first
 */
public final class DyadicSum<T> {

    /**
     * A complete subtree: level, index within its level, and its partial sum. A plain class rather than a
     * record, so that Spark's Kryo serializer can rebuild it on the driver.
     */
    public static final class Node<T> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int level;
        private final long index;
        private final T value;

        public Node(int level, long index, T value) {
            this.level = level;
            this.index = index;
            this.value = value;
        }

        public int level() {
            return level;
        }

        public long index() {
            return index;
        }

        public T value() {
            return value;
        }

        /** The first item the node covers. */
        public long start() {
            return index << level;
        }
    }

    private final BinaryOperator<T> merge;
    private final List<Node<T>> stack = new ArrayList<>();

    public DyadicSum(BinaryOperator<T> merge) {
        this.merge = merge;
    }

    /**
     * Adds item {@code index}; items must come in increasing, contiguous order within one accumulator
     * (a partition's range).
     */
    public void add(long index, T value) {
        push(new Node<>(0, index, value));
    }

    private void push(Node<T> node) {
        Node<T> current = node;
        while (!stack.isEmpty()) {
            Node<T> top = stack.get(stack.size() - 1);
            if (top.level() == current.level() && (top.index() & 1L) == 0 && top.index() + 1 == current.index()) {
                stack.remove(stack.size() - 1);
                current = new Node<>(current.level() + 1, top.index() >> 1, merge.apply(top.value(), current.value()));
            } else {
                break;
            }
        }
        stack.add(current);
    }

    /** The complete subtrees built so far, in order of their first item. */
    public List<Node<T>> nodes() {
        return new ArrayList<>(stack);
    }

    /**
     * The total over items 0..count-1 from the subtrees of every partition (in any order; they are sorted
     * here). Every item must be covered exactly once.
     *
     * @throws IllegalArgumentException when the nodes do not cover 0..count-1 exactly once
     */
    public static <T> T combine(List<Node<T>> nodes, long count, BinaryOperator<T> merge) {
        if (count <= 0 || nodes.isEmpty()) {
            throw new IllegalArgumentException("a sum over " + count + " items from " + nodes.size() + " subtrees");
        }
        List<Node<T>> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparingLong(Node::start));
        long next = 0;
        DyadicSum<T> sum = new DyadicSum<>(merge);
        for (Node<T> n : sorted) {
            if (n.start() != next) {
                throw new IllegalArgumentException("the subtrees cover items up to " + next + " and then start at "
                        + n.start());
            }
            next = Math.min(count, n.start() + (1L << n.level()));
            sum.push(n);
        }
        if (next != count) {
            throw new IllegalArgumentException("the subtrees cover " + next + " of " + count + " items");
        }
        // The right edge: a node whose right sibling lies past the last item rises alone; a right child
        // joins the left sibling below it on the stack.
        List<Node<T>> s = sum.stack;
        while (s.size() > 1 || (s.size() == 1 && (1L << s.get(0).level()) < count)) {
            Node<T> top = s.remove(s.size() - 1);
            if ((top.index() & 1L) == 0) {
                sum.push(new Node<>(top.level() + 1, top.index() >> 1, top.value()));
            } else {
                // cannot happen: a right child's left sibling is complete and merged on push
                throw new IllegalStateException("unmatched right subtree at level " + top.level());
            }
        }
        return s.get(0).value();
    }
}
