package org.statespace.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.statespace.ResourceException;

/**
 * The temporary file a streamed sequence spills its per-step records to (the HMM's spilled forward-backward and
 * Viterbi, the linear-Gaussian model's spilled Kalman filter and smoother): records written and read whole at a
 * byte position, the file deleted on {@link #close} (and at exit, should that fail), and an I/O failure turned
 * into the one error a user reads. Not thread-safe: one per streamed sequence.
 */
public final class SpillFile implements AutoCloseable {
    private Path file;
    private FileChannel channel;

    /** A new, empty spill file in the temporary folder ({@code java.io.tmpdir}). */
    public SpillFile() {
        try {
            file = Files.createTempFile("statespace-spill-", ".bin");
            file.toFile().deleteOnExit();
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            close();
            throw failed(e);
        }
    }

    /** Writes the remaining bytes of {@code bytes} at {@code position}. */
    public void write(ByteBuffer bytes, long position) throws IOException {
        while (bytes.hasRemaining()) {
            position += channel.write(bytes, position);
        }
    }

    /** Fills the remaining bytes of {@code bytes} from {@code position}; {@code lastStep} names the step wanted. */
    public void read(ByteBuffer bytes, long position, int lastStep) throws IOException {
        while (bytes.hasRemaining()) {
            int got = channel.read(bytes, position);
            if (got < 0) {
                throw new IOException("the spill ended at byte " + position + ", before step " + lastStep);
            }
            position += got;
        }
    }

    /**
     * A block of fixed-length records of doubles moved between an array and a spill file through one direct buffer:
     * record i of the array, {@code values[i·record ..]}, is step {@code from + i} of the file.
     */
    public static final class DoubleRecords {
        private final int record;
        private final ByteBuffer bytes;
        private final DoubleBuffer block;

        /** A buffer of {@code blockSteps} records of {@code record} doubles each. */
        public DoubleRecords(int record, int blockSteps) {
            this.record = record;
            bytes = ByteBuffer.allocateDirect(blockSteps * record * Double.BYTES).order(ByteOrder.nativeOrder());
            block = bytes.asDoubleBuffer();
        }

        /** Records of steps {@code from .. from+count-1} from {@code values[0 ..]} to {@code spill}. */
        public void write(SpillFile spill, double[] values, int from, int count) throws IOException {
            block.clear();
            block.put(values, 0, count * record);
            bytes.clear().limit(count * record * Double.BYTES);
            spill.write(bytes, (long) from * record * Double.BYTES);
        }

        /** Records of steps {@code from .. from+count-1} from {@code spill} into {@code values[0 ..]}. */
        public void read(SpillFile spill, double[] values, int from, int count) throws IOException {
            bytes.clear().limit(count * record * Double.BYTES);
            spill.read(bytes, (long) from * record * Double.BYTES, from + count - 1);
            block.clear();
            block.get(values, 0, count * record);
        }
    }

    /**
     * {@link DoubleRecords} for records of ints (a Viterbi pass's backpointers): record i of the array,
     * {@code values[i·record ..]}, is step {@code from + i} of the file.
     */
    public static final class IntRecords {
        private final int record;
        private final ByteBuffer bytes;
        private final IntBuffer block;

        /** A buffer of {@code blockSteps} records of {@code record} ints each. */
        public IntRecords(int record, int blockSteps) {
            this.record = record;
            bytes = ByteBuffer.allocateDirect(blockSteps * record * Integer.BYTES).order(ByteOrder.nativeOrder());
            block = bytes.asIntBuffer();
        }

        /** Records of steps {@code from .. from+count-1} from {@code values[0 ..]} to {@code spill}. */
        public void write(SpillFile spill, int[] values, int from, int count) throws IOException {
            block.clear();
            block.put(values, 0, count * record);
            bytes.clear().limit(count * record * Integer.BYTES);
            spill.write(bytes, (long) from * record * Integer.BYTES);
        }

        /** Records of steps {@code from .. from+count-1} from {@code spill} into {@code values[0 ..]}. */
        public void read(SpillFile spill, int[] values, int from, int count) throws IOException {
            bytes.clear().limit(count * record * Integer.BYTES);
            spill.read(bytes, (long) from * record * Integer.BYTES, from + count - 1);
            block.clear();
            block.get(values, 0, count * record);
        }
    }

    /** An I/O failure of this file, as the error the command line prints. */
    public ResourceException failed(IOException e) {
        return new ResourceException("the temporary spill file " + file + " of a streamed sequence cannot be written "
                + "or read (" + e.getMessage() + "); is the temporary folder (java.io.tmpdir) full?", e);
    }

    /** Closes and deletes the file; a file that cannot be deleted is left to be deleted at exit. */
    @Override
    public void close() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // closing a temporary file; it is deleted next
        }
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // left in the temporary folder, and deleted at exit
        }
        channel = null;
    }
}
