package org.statespace.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiConsumer;

import org.statespace.DataException;

/**
 * The observed rows of a dataset as a data-driven start reads them: first counts over every row
 * ({@link #tally}, {@link #symbolCounts}, {@link #moments}), then rows chosen by their index ({@link #rows}). Two kinds of pass
 * that a dataset in memory, a file read twice and a cluster's partitions can all make, so a start drawn from
 * the same counts with the same generator picks the same rows and is the same model wherever the data live.
 *
 * <p>A row is an observed step (at least one component observed), taken in dataset order: sequence by
 * sequence, step by step. Rows are numbered in two runs: the complete rows (every component observed) from 0
 * to {@code complete - 1}, then the partial rows (some component missing) from {@code complete} to
 * {@code complete + partial - 1}. The data are already matched to the model's observation space (symbols as
 * indices).
 */
public interface ObservedRows {

    /** Components of an observation (d). */
    int dimension();

    /** The counts over every row: complete and partial rows, and each component's mean over the rows that observe it. */
    Tally tally();

    /**
     * The observations' and inputs' moments over every step ({@link Moments}: exact sums, so the same for any
     * order or split of the sequences), for starts sized by the data's scale.
     */
    Moments moments();

    /**
     * How often each symbol {@code 0 .. symbols-1} is observed (component 0 of a symbolic dataset).
     *
     * @throws DataException naming the sequence and step of a value that is not such a symbol
     */
    long[] symbolCounts(int symbols);

    /**
     * The rows at {@code indices} (numbered as above, in the order given), missing components NaN; each a new array.
     *
     * @throws IllegalArgumentException for an index outside {@code 0 .. complete + partial - 1}
     */
    double[][] rows(long[] indices);

    /** The rows of a dataset in memory. */
    static ObservedRows of(Dataset data) {
        return new InMemoryRows(data.sequences(), data.dimension(), data.inputDimension());
    }

    /**
     * The counting pass: complete and partial rows, and the sum of every component over the rows that observe it,
     * kept exactly ({@link ExactSum}), so that tallies of parts merged in any order give the same means bit for bit.
     */
    final class Tally {
        private long complete;
        private long partial;
        private final long[] observed;
        private final ExactSum[] sums;

        /** An empty tally of d-component rows. */
        public Tally(int dimension) {
            observed = new long[dimension];
            sums = new ExactSum[dimension];
            for (int j = 0; j < dimension; j++) {
                sums[j] = new ExactSum();
            }
        }

        /** Counts the rows of {@code sequence}. */
        public void add(Sequence sequence) {
            int d = observed.length;
            if (sequence.dimension() != d) {
                throw new DataException("sequence '" + sequence.id() + "' has " + sequence.dimension()
                        + " observation components, expected " + d);
            }
            for (int t = sequence.firstStep(); t < sequence.firstStep() + sequence.length(); t++) {
                if (sequence.isMissing(t)) {
                    continue;
                }
                boolean whole = true;
                for (int j = 0; j < d; j++) {
                    double v = sequence.value(t, j);
                    if (Double.isNaN(v)) {
                        whole = false;
                    } else {
                        sums[j].add(v);
                        observed[j]++;
                    }
                }
                if (whole) {
                    complete++;
                } else {
                    partial++;
                }
            }
        }

        /** Adds the counts of {@code other} (a tally of other sequences) to this one. */
        public void merge(Tally other) {
            if (other.observed.length != observed.length) {
                throw new IllegalArgumentException("tallies of " + observed.length + " and " + other.observed.length
                        + " components");
            }
            complete += other.complete;
            partial += other.partial;
            for (int j = 0; j < observed.length; j++) {
                observed[j] += other.observed[j];
                sums[j].merge(other.sums[j]);
            }
        }

        /** Rows with every component observed. */
        public long complete() {
            return complete;
        }

        /** Rows with some, not all, components missing. */
        public long partial() {
            return partial;
        }

        /** Each component's mean over the rows that observe it (its exact sum rounded, over the count), 0 if none does. */
        public double[] columnMeans() {
            double[] m = new double[observed.length];
            for (int j = 0; j < m.length; j++) {
                m[j] = observed[j] > 0 ? sums[j].value() / observed[j] : 0;
            }
            return m;
        }
    }

    /**
     * The counting passes over some of a dataset's sequences (all of them in memory, one partition on a cluster),
     * for implementations: their {@link Tally}, {@link Moments} and symbol counts, which merge into the whole's.
     */
    static Tally tally(Iterator<Sequence> sequences, int dimension) {
        Tally t = new Tally(dimension);
        sequences.forEachRemaining(t::add);
        return t;
    }

    /** The {@link Moments} of {@code sequences} (see {@link #tally(Iterator, int)}). */
    static Moments moments(Iterator<Sequence> sequences, int dimension, int inputDimension) {
        Moments m = new Moments(dimension, inputDimension);
        sequences.forEachRemaining(m::add);
        return m;
    }

    /** How often each symbol {@code 0 .. symbols-1} is observed in {@code sequences} (see {@link #tally(Iterator, int)}). */
    static long[] symbolCounts(Iterator<Sequence> sequences, int symbols) {
        long[] counts = new long[symbols];
        sequences.forEachRemaining(s -> countSymbols(s, symbols, counts));
        return counts;
    }

    /**
     * Adds the symbols of {@code sequence} to {@code counts} (length {@code symbols}): the counting pass of
     * {@link #symbolCounts}, for implementations.
     */
    static void countSymbols(Sequence sequence, int symbols, long[] counts) {
        for (int t = sequence.firstStep(); t < sequence.firstStep() + sequence.length(); t++) {
            double v = sequence.value(t, 0);
            if (Double.isNaN(v)) {
                continue;
            }
            if (v != Math.rint(v) || v < 0 || v >= symbols) {
                String shown = v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
                throw new DataException("sequence '" + sequence.id() + "', step " + t + ": symbol " + shown
                        + " outside the emission's symbols 0.." + (symbols - 1));
            }
            counts[(int) v]++;
        }
    }

    /**
     * The selecting pass over one sequence, for implementations: hands {@code found} every row of {@code sequence}
     * whose index is in {@code sortedWanted} (ascending), given the index of the sequence's first complete row,
     * the number of partial rows before the sequence, and the dataset's number of complete rows.
     */
    static void select(Sequence sequence, long firstComplete, long partialsBefore, long completeRows,
            long[] sortedWanted, BiConsumer<Long, double[]> found) {
        long c = firstComplete;
        long p = completeRows + partialsBefore;
        int d = sequence.dimension();
        for (int t = sequence.firstStep(); t < sequence.firstStep() + sequence.length(); t++) {
            if (sequence.isMissing(t)) {
                continue;
            }
            long index = sequence.isPartiallyMissing(t) ? p++ : c++;
            if (Arrays.binarySearch(sortedWanted, index) >= 0) {
                double[] row = new double[d];
                sequence.copyObservation(t, row, 0);
                found.accept(index, row);
            }
        }
    }

    /**
     * Checks {@code indices} against {@code total} rows and returns them sorted and distinct, for implementations.
     */
    static long[] sortedDistinct(long[] indices, long total) {
        for (long i : indices) {
            if (i < 0 || i >= total) {
                throw new IllegalArgumentException("row " + i + " outside 0.." + (total - 1));
            }
        }
        return Arrays.stream(indices).sorted().distinct().toArray();
    }

    /** The rows found by index, in the order of {@code indices}, for implementations. */
    static double[][] inOrder(long[] indices, Map<Long, double[]> found) {
        double[][] out = new double[indices.length][];
        for (int i = 0; i < indices.length; i++) {
            double[] row = found.get(indices[i]);
            if (row == null) {
                throw new IllegalStateException("row " + indices[i] + " was not found");
            }
            out[i] = row.clone();
        }
        return out;
    }
}
