package org.statespace.io;

import java.io.IOException;

import org.statespace.ResourceException;

/**
 * The per-step records of a pass over a long sequence, kept in a {@link SpillFile} and in memory one block of steps
 * at a time: a forward pass appends a record a step ({@link #nextRecord()}, {@link #appended()}, {@link #finish()});
 * later passes read blocks back, from the first or from the last ({@link #read(int)}, {@link #lastBlock()}), and
 * may write a changed block back in place ({@link #write(int, int)}). {@link #values} is the one block in memory:
 * step {@code from + b} of a block read at {@code from} is at {@code values[b·record ..]}. The spilled
 * forward-backward, semi-Markov, Kalman and non-linear smoothers keep their records here. Not thread-safe.
 */
public final class SpilledSteps implements AutoCloseable {
    /** Bytes of one block of records, read or written at once, unless a block size is asked for. */
    public static final int BLOCK_BYTES = 1 << 20;

    /** Doubles per step. */
    public final int record;
    /** Steps per block. */
    public final int blockSteps;
    /** The block in memory: {@code blockSteps} records. */
    public final double[] values;
    private final SpillFile.DoubleRecords records;
    private SpillFile file;
    private int filled; // records appended to the block not yet written
    private int length;

    /**
     * @param record doubles per step
     * @param blockSteps steps per block, or 0 (or less) for about {@link #BLOCK_BYTES} a block
     */
    public SpilledSteps(int record, int blockSteps) {
        this.record = record;
        this.blockSteps = blockSteps(blockSteps, record * Double.BYTES);
        records = new SpillFile.DoubleRecords(record, this.blockSteps);
        values = new double[this.blockSteps * record];
    }

    /** {@code requested} steps a block if positive, else as many steps of {@code bytesPerStep} as fill a block. */
    public static int blockSteps(int requested, int bytesPerStep) {
        return requested > 0 ? requested : Math.max(1, BLOCK_BYTES / bytesPerStep);
    }

    /** A new, empty file (any open one closed and deleted) to append to. */
    public void open() {
        open(0);
    }

    /** A new file of {@code length} steps, to be written a block at a time (as the draws of a backward pass are). */
    public void open(int length) {
        close();
        file = new SpillFile();
        filled = 0;
        this.length = length;
    }

    /** Where in {@link #values} the next appended step's record goes: fill it, then call {@link #appended()}. */
    public int nextRecord() {
        return filled * record;
    }

    /** The record at {@link #nextRecord()} is step {@link #length()}; a full block goes to the file. */
    public void appended() throws IOException {
        length++;
        if (++filled == blockSteps) {
            records.write(file, values, length - filled, filled);
            filled = 0;
        }
    }

    /** Writes the last, partly filled block; returns the number of steps appended. */
    public int finish() throws IOException {
        if (filled > 0) {
            records.write(file, values, length - filled, filled);
            filled = 0;
        }
        return length;
    }

    /** The steps in the file. */
    public int length() {
        return length;
    }

    /** The first step of the last block, or -1 with no steps: a backward pass reads from here down by blockSteps. */
    public int lastBlock() {
        return length == 0 ? -1 : ((length - 1) / blockSteps) * blockSteps;
    }

    /** Reads the block that starts at step {@code from} into {@link #values}; returns its number of steps. */
    public int read(int from) throws IOException {
        int count = Math.min(blockSteps, length - from);
        records.read(file, values, from, count);
        return count;
    }

    /** What a forward read hands each step's record to. */
    @FunctionalInterface
    public interface StepReader {
        /** Step {@code t}'s record, at {@code values[at ..]} (live until the next block is read). */
        void step(int t, double[] values, int at) throws IOException;
    }

    /** Reads the file forward, a block at a time, handing every step's record to {@code reader} in step order. */
    public void forEachStep(StepReader reader) throws IOException {
        for (int from = 0; from < length; from += blockSteps) {
            int count = read(from);
            for (int b = 0; b < count; b++) {
                reader.step(from + b, values, b * record);
            }
        }
    }

    /** Writes records 0 .. count-1 of {@link #values} back as steps {@code from .. from+count-1}. */
    public void write(int from, int count) throws IOException {
        records.write(file, values, from, count);
    }

    /** An I/O failure of the file, as the error a user reads. */
    public ResourceException failed(IOException e) {
        return file != null ? file.failed(e)
                : new ResourceException("a spill file of a streamed sequence failed (" + e.getMessage() + ")", e);
    }

    /** Closes and deletes the file, if open. */
    @Override
    public void close() {
        if (file != null) {
            file.close();
            file = null;
        }
    }
}
