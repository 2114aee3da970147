package org.statespace.data;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.MalformedInputException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;

import org.statespace.DataException;
import org.statespace.ObservationSpace;
import org.statespace.ResourceException;

/**
 * A data file's sequences, read again one at a time at their byte offsets, in any order: what a trainer that
 * shuffles its mini-batches needs from a file larger than memory. {@link #build} reads the file once with
 * {@link SequenceReader} (every value checked, so a bad value is an error naming its line before any work starts)
 * and keeps, per sequence, where it starts in the file, its first line, its number of steps and of observed steps:
 * 20 bytes a sequence, the only memory that grows with the data. {@link #sequence}(i) then reads that byte range
 * and parses it with the same code, so it gives the sequence the in-memory readers give.
 *
 * <p>Formats: CSV (one row per step, a sequence's rows together) and JSON Lines (a sequence per line, or a step
 * per line); a dataset JSON document has no offsets to read a sequence at and is an
 * {@link IllegalArgumentException} (convert it to JSON Lines). A sequence is read whole, so the largest one must
 * fit in memory. The file must not change while the index is in use (a sequence that no longer reads as indexed
 * is a {@link DataException}). {@link #sequence} may be called from several threads at once.
 */
public final class SequenceIndex implements SequenceSource, Closeable {
    // steps per chunk while indexing: a chunk's arrays are allocated at this size, so a file of many short
    // sequences would allocate DEFAULT_CHUNK_STEPS' 130 KB per sequence (arrays that a small heap's collector
    // moves straight to the old generation and then spends its time on)
    private static final int INDEX_CHUNK_STEPS = 1024;

    private final String source;
    private final ObservationSpace space;
    private final FileChannel channel;
    private final SequenceReader.Form form;
    private final int size;
    private final long[] starts;   // size + 1: the byte where each sequence starts, then the file's length
    private final int[] lines;     // the line each sequence starts on
    private final int[] lengths;
    private final int[] observed;
    private final long steps;
    private final long observedSteps;

    private SequenceIndex(String source, ObservationSpace space, FileChannel channel, SequenceReader.Form form,
            int size, long[] starts, int[] lines, int[] lengths, int[] observed) {
        this.source = source;
        this.space = space;
        this.channel = channel;
        this.form = form;
        this.size = size;
        this.starts = starts;
        this.lines = lines;
        this.lengths = lengths;
        this.observed = observed;
        long t = 0;
        long o = 0;
        for (int i = 0; i < size; i++) {
            t += lengths[i];
            o += observed[i];
        }
        this.steps = t;
        this.observedSteps = o;
    }

    /**
     * Reads {@code file} once for a model with observation space {@code space} and notes where each sequence is.
     *
     * @param columns a CSV file's observation and input columns (ignored for JSON Lines)
     * @throws DataException             naming the file and line of a bad value, or when it holds no sequence
     * @throws ResourceException         when the file cannot be read
     * @throws IllegalArgumentException  for a dataset JSON document
     */
    public static SequenceIndex build(Path file, ObservationSpace space, DatasetCsv.Columns columns) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new ResourceException(file + ": no such file", e);
        } catch (IOException e) {
            throw new ResourceException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        try {
            long fileLength = channel.size();
            long[] starts = new long[16];
            int[] lines = new int[16];
            int[] lengths = new int[16];
            int[] observed = new int[16];
            int n = 0;
            SequenceReader.Form form;
            try (SequenceReader r = SequenceReader.positioned(file, new LineReader(channel, 0, fileLength, false),
                    space, columns, INDEX_CHUNK_STEPS)) {
                form = r.form();
                while (r.nextSequence()) {
                    if (n + 1 == starts.length) {
                        int grown = starts.length * 2;
                        starts = Arrays.copyOf(starts, grown);
                        lines = Arrays.copyOf(lines, grown);
                        lengths = Arrays.copyOf(lengths, grown);
                        observed = Arrays.copyOf(observed, grown);
                    }
                    starts[n] = r.sequenceOffset();
                    lines[n] = r.sequenceLine();
                    int seen = 0;
                    int o = 0;
                    for (Sequence chunk = r.nextChunk(); chunk != null; chunk = r.nextChunk()) {
                        for (int t = seen; t < chunk.length(); t++) {
                            if (!chunk.isMissing(t)) {
                                o++;
                            }
                        }
                        seen = chunk.length();
                    }
                    lengths[n] = seen;
                    observed[n] = o;
                    n++;
                }
            }
            starts[n] = fileLength;
            return new SequenceIndex(file.toString(), space, channel, form, n, starts, lines, lengths, observed);
        } catch (MalformedInputException e) {
            close(channel);
            throw new DataException(file + ": not UTF-8 text", e);
        } catch (IOException e) {
            close(channel);
            throw new ResourceException(file + ": cannot read (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            close(channel);
            throw e;
        }
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the first error is the one to report
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int length(int i) {
        return lengths[Objects.checkIndex(i, size)];
    }

    @Override
    public int observedSteps(int i) {
        return observed[Objects.checkIndex(i, size)];
    }

    /** The steps of all sequences. */
    public long steps() {
        return steps;
    }

    /** The observed steps of all sequences. */
    public long observedSteps() {
        return observedSteps;
    }

    /** The line of the file on which sequence {@code i} starts. */
    public int line(int i) {
        return lines[Objects.checkIndex(i, size)];
    }

    @Override
    public String name() {
        return source;
    }

    /**
     * Reads sequence {@code i} from the file.
     *
     * @throws DataException     when the file no longer holds it as indexed
     * @throws ResourceException when the file cannot be read
     */
    @Override
    public Sequence sequence(int i) {
        Objects.checkIndex(i, size);
        LineReader in = new LineReader(channel, starts[i], starts[i + 1], false);
        try (SequenceReader r = SequenceReader.at(form, in, lines[i] - 1, source, space, Math.max(1, lengths[i]))) {
            Sequence s = r.nextSequence() ? r.nextWhole() : null;
            if (s == null || s.length() != lengths[i] || r.nextSequence()) {
                throw new DataException(source + ": the sequence on line " + lines[i] + " no longer reads as it did "
                        + "when the file was indexed (" + lengths[i] + " steps); was the file changed?");
            }
            return s;
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new ResourceException(source + ": cannot close (" + e.getMessage() + ")", e);
        }
    }
}
