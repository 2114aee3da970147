package org.statespace.inference;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.statespace.DataException;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceReader;
import org.statespace.data.SequenceSource;

/**
 * The data part of a checkpoint's fingerprint ({@link Checkpoint#fingerprint}): for each sequence in order, its id
 * (UTF-8), then every observation component (T×d, row-major), then every input (T×p), each as the 8 big-endian
 * bytes of its raw bits ({@code NaN} for a missing component as stored).
 *
 * <p>A source that gives a reader over a sequence ({@link SequenceSource#reader}: a file index) is read chunk by
 * chunk, so the heap holds one chunk, never the whole sequence: one pass for the observations and, when the sequence
 * has inputs and came in more than one chunk, a second pass for the inputs (the inputs follow all the
 * observations). The digest is fed the same bytes in the same order as for the sequence held whole, so the
 * fingerprint of a file is that of the same data in memory, and checkpoints written before chunked reading resume.
 */
final class FingerprintData {
    // doubles fed to the digest at a time (the digest is the same whatever the blocks' sizes)
    private static final int BLOCK = 1024;

    private final MessageDigest digest;
    private final ByteBuffer buffer = ByteBuffer.allocate(8 * BLOCK);

    private FingerprintData(MessageDigest digest) {
        this.digest = digest;
    }

    /** Feeds {@code digest} the bytes of every sequence of {@code data}, in order. */
    static void update(MessageDigest digest, SequenceSource data) {
        FingerprintData f = new FingerprintData(digest);
        for (int i = 0; i < data.size(); i++) {
            try (SequenceReader reader = data.reader(i)) {
                Sequence first = reader != null && reader.nextSequence() ? reader.nextChunk() : null;
                if (first == null) {
                    f.whole(data.sequence(i));
                } else {
                    f.inChunks(data, i, reader, first);
                }
            }
        }
        f.flush();
    }

    // the sequence held whole
    private void whole(Sequence s) {
        text(s.id());
        int d = s.dimension();
        int p = s.inputDimension();
        for (int t = s.firstStep(); t < s.length(); t++) {
            for (int j = 0; j < d; j++) {
                number(s.value(t, j));
            }
        }
        for (int t = s.firstStep(); t < s.length(); t++) {
            for (int j = 0; j < p; j++) {
                number(s.input(t, j));
            }
        }
    }

    // sequence i from its first chunk on: the observations of every chunk, then the inputs (of the first chunk when
    // it was the only one, else of a second reader's chunks)
    private void inChunks(SequenceSource data, int i, SequenceReader reader, Sequence first) {
        text(first.id());
        Sequence only = first;
        int length = observations(first, 0);
        for (Sequence c = reader.nextChunk(); c != null; c = reader.nextChunk()) {
            only = null;
            length = observations(c, length);
        }
        requireLength(data, i, first.id(), length);
        if (first.inputDimension() == 0) {
            return;
        }
        if (only != null) {
            inputs(only, 0);
            return;
        }
        try (SequenceReader again = data.reader(i)) {
            length = 0;
            if (again != null && again.nextSequence()) {
                for (Sequence c = again.nextChunk(); c != null; c = again.nextChunk()) {
                    length = inputs(c, length);
                }
            }
            requireLength(data, i, first.id(), length);
        }
    }

    // the observations of a chunk's new steps (from step `from`, the length read before); the length read after
    private int observations(Sequence chunk, int from) {
        int d = chunk.dimension();
        for (int t = from; t < chunk.length(); t++) {
            for (int j = 0; j < d; j++) {
                number(chunk.value(t, j));
            }
        }
        return chunk.length();
    }

    private int inputs(Sequence chunk, int from) {
        int p = chunk.inputDimension();
        for (int t = from; t < chunk.length(); t++) {
            for (int j = 0; j < p; j++) {
                number(chunk.input(t, j));
            }
        }
        return chunk.length();
    }

    private static void requireLength(SequenceSource data, int i, String id, int length) {
        if (length != data.length(i)) {
            throw new DataException(data.name() + ": sequence '" + id + "' now reads as " + length + " steps, not the "
                    + data.length(i) + " it had when the file was indexed; was the file changed?");
        }
    }

    private void number(double v) {
        if (!buffer.hasRemaining()) {
            flush();
        }
        buffer.putDouble(v);
    }

    private void text(String s) {
        flush();
        digest.update(s.getBytes(StandardCharsets.UTF_8));
    }

    private void flush() {
        digest.update(buffer.array(), 0, buffer.position());
        buffer.clear();
    }
}
