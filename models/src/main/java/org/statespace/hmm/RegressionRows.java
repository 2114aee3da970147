package org.statespace.hmm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.util.Arrays;

import org.statespace.io.SpillFile;
import org.statespace.io.SpilledSteps;

/**
 * The rows of a weighted softmax regression ({@link SoftmaxRegression}): each row the regressors x (q doubles,
 * the inputs and a trailing 1) and the targets y ({@code width} doubles), appended or set in place after
 * {@link #reserve}, and read back in row order a block at a time ({@link #load}). Two stores with one interface,
 * so the M-step is written once: {@link #inMemory} (growing arrays) and {@link #spilled} (a temporary
 * {@link SpillFile}, for the one row a step of a sequence streamed in constant memory: memory holds one block).
 * The numbers read back are the numbers stored, so a regression over either store is the same bit for bit. Not
 * thread-safe.
 */
abstract class RegressionRows {
    final int q;
    final int width;
    int count;

    private RegressionRows(int q, int width) {
        this.q = q;
        this.width = width;
    }

    /** Rows held in memory. */
    static RegressionRows inMemory(int q, int width) {
        return new InMemory(q, width);
    }

    /** The first {@code rows} rows of the arrays (x rows×q, y rows×width, row-major), not copied. */
    static RegressionRows of(double[] x, double[] y, int rows, int q, int width) {
        InMemory r = new InMemory(q, width);
        r.xs = x;
        r.ys = y;
        r.count = rows;
        return r;
    }

    /** Rows in a new temporary spill file, {@code blockRows} at a time in memory (a default size when &lt;= 0). */
    static RegressionRows spilled(int q, int width, int blockRows) {
        return new Spilled(q, width, blockRows);
    }

    /** The number of rows. */
    final int count() {
        return count;
    }

    /** Whether the rows are in a spill file. */
    abstract boolean isSpilled();

    /** Makes room for n rows after the present ones, to be set by {@link #set}; returns the first. */
    abstract int reserve(int n);

    /** Row {@code row} (reserved): x from {@code x[xOffset..+q)}, y from {@code y[yOffset..+width)}. */
    abstract void set(int row, double[] x, int xOffset, double[] y, int yOffset);

    /** Appends a row. */
    final void add(double[] x, int xOffset, double[] y, int yOffset) {
        set(reserve(1), x, xOffset, y, yOffset);
    }

    /**
     * Loads rows from {@code from} on (at least one, {@code from} &lt; {@link #count}); returns how many. Row
     * {@code from + b} is then at row {@link #base()} + b of {@link #x()} (stride q) and {@link #y()} (stride width).
     */
    abstract int load(int from);

    /** The regressors of the loaded rows. */
    abstract double[] x();

    /** The targets of the loaded rows. */
    abstract double[] y();

    /** The row of {@link #x()} and {@link #y()} holding the first loaded row. */
    abstract int base();

    /** Appends every row of {@code other}, in order. */
    final void addAll(RegressionRows other) {
        for (int from = 0; from < other.count; ) {
            int n = other.load(from);
            double[] x = other.x();
            double[] y = other.y();
            int base = other.base();
            int first = reserve(n);
            for (int b = 0; b < n; b++) {
                set(first + b, x, (base + b) * q, y, (base + b) * width);
            }
            from += n;
        }
    }

    /** Frees the spill file, if any; the store is not used afterwards. */
    abstract void release();

    /** Every row's x and y, {x, y} (for tests). */
    final double[][] copy() {
        double[] xs = new double[count * q];
        double[] ys = new double[count * width];
        for (int from = 0; from < count; ) {
            int n = load(from);
            System.arraycopy(x(), base() * q, xs, from * q, n * q);
            System.arraycopy(y(), base() * width, ys, from * width, n * width);
            from += n;
        }
        return new double[][] {xs, ys};
    }

    private static final class InMemory extends RegressionRows {
        private double[] xs = new double[0];
        private double[] ys = new double[0];

        InMemory(int q, int width) {
            super(q, width);
        }

        @Override
        boolean isSpilled() {
            return false;
        }

        @Override
        int reserve(int n) {
            int first = count;
            if ((long) (count + n) * Math.max(q, width) > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("too many regression rows in memory (" + (count + (long) n) + ")");
            }
            if ((count + n) * q > xs.length || (count + n) * width > ys.length) {
                int rows = Math.max(16, Math.max(count * 2, count + n));
                xs = Arrays.copyOf(xs, rows * q);
                ys = Arrays.copyOf(ys, rows * width);
            }
            count += Math.max(0, n);
            return first;
        }

        @Override
        void set(int row, double[] x, int xOffset, double[] y, int yOffset) {
            System.arraycopy(x, xOffset, xs, row * q, q);
            System.arraycopy(y, yOffset, ys, row * width, width);
        }

        @Override
        int load(int from) {
            return count - from;
        }

        @Override
        double[] x() {
            return xs;
        }

        @Override
        double[] y() {
            return ys;
        }

        @Override
        int base() {
            return 0;
        }

        @Override
        void release() {
            xs = new double[0];
            ys = new double[0];
            count = 0;
        }
    }

    /**
     * Rows as records of q + width doubles in a spill file. Writes go through a window of one block of rows
     * (aligned to the block size), written out when a row outside it is set or before a read, so rows set one by
     * one in either direction (the backward pass sets them from the last) cost one write a block.
     */
    private static final class Spilled extends RegressionRows {
        private final int record;
        private final int blockRows;
        private final ByteBuffer bytes;
        private final DoubleBuffer doubles;
        private final double[] window;  // the write window: rows windowBase .. +blockRows, records
        private int windowBase = -1;
        private int dirtyFrom;
        private int dirtyTo; // rows dirtyFrom .. dirtyTo - 1 of the window are set and not yet written
        private final double[] xs;      // the loaded block
        private final double[] ys;
        private SpillFile spill;

        Spilled(int q, int width, int blockRows) {
            super(q, width);
            this.record = q + width;
            this.blockRows = SpilledSteps.blockSteps(blockRows, record * Double.BYTES);
            this.bytes = ByteBuffer.allocateDirect(this.blockRows * record * Double.BYTES).order(ByteOrder.nativeOrder());
            this.doubles = bytes.asDoubleBuffer();
            this.window = new double[this.blockRows * record];
            this.xs = new double[this.blockRows * q];
            this.ys = new double[this.blockRows * width];
            this.spill = new SpillFile();
        }

        @Override
        boolean isSpilled() {
            return true;
        }

        @Override
        int reserve(int n) {
            int first = count;
            count += Math.max(0, n);
            return first;
        }

        @Override
        void set(int row, double[] x, int xOffset, double[] y, int yOffset) {
            int base = row - row % blockRows;
            int r = row - base;
            if (base != windowBase || r < dirtyFrom - 1 || r > dirtyTo) { // not next to the run being set
                flush();
                windowBase = base;
                dirtyFrom = row - base;
                dirtyTo = dirtyFrom;
            }
            System.arraycopy(x, xOffset, window, r * record, q);
            System.arraycopy(y, yOffset, window, r * record + q, width);
            dirtyFrom = Math.min(dirtyFrom, r);
            dirtyTo = Math.max(dirtyTo, r + 1);
        }

        // the run of rows set in the window to the file
        private void flush() {
            if (windowBase < 0 || dirtyTo <= dirtyFrom) {
                return;
            }
            doubles.clear();
            doubles.put(window, dirtyFrom * record, (dirtyTo - dirtyFrom) * record);
            bytes.clear().limit((dirtyTo - dirtyFrom) * record * Double.BYTES);
            try {
                spill.write(bytes, (long) (windowBase + dirtyFrom) * record * Double.BYTES);
            } catch (IOException e) {
                throw spill.failed(e);
            }
            windowBase = -1;
        }

        @Override
        int load(int from) {
            flush();
            int n = Math.min(blockRows, count - from);
            bytes.clear().limit(n * record * Double.BYTES);
            try {
                spill.read(bytes, (long) from * record * Double.BYTES, from + n - 1);
            } catch (IOException e) {
                throw spill.failed(e);
            }
            doubles.clear();
            for (int b = 0; b < n; b++) {
                doubles.get(xs, b * q, q);
                doubles.get(ys, b * width, width);
            }
            return n;
        }

        @Override
        double[] x() {
            return xs;
        }

        @Override
        double[] y() {
            return ys;
        }

        @Override
        int base() {
            return 0;
        }

        @Override
        void release() {
            if (spill != null) {
                spill.close();
                spill = null;
            }
            count = 0;
        }
    }
}
