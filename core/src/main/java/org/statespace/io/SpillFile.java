package org.statespace.io;

import java.io.IOException;
import java.nio.ByteBuffer;
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
