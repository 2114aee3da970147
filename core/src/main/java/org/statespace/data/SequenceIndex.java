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
 * {@link IllegalArgumentException} (convert it to JSON Lines). {@link #sequence} reads a sequence whole (the
 * largest must fit in memory); {@link #reader} gives one in chunks (or some of its steps), and {@link #piece} one piece. The file must not change while the index is in use (a sequence that no longer reads as indexed
 * is a {@link DataException}). {@link #sequence} may be called from several threads at once.
 *
 * <p>Pieces ({@link #build(Path, ObservationSpace, DatasetCsv.Columns, int)} with a piece length L: what a trainer
 * with {@code --chunk L} cuts a long sequence into): in a file of a step a line (CSV, JSON Lines of steps) the
 * index also keeps where every L-th step of a sequence longer than L starts (byte offset and line: 12 bytes a
 * piece, so the index is O(number of pieces)), and {@link #piece} reads just those L lines, so a single long
 * series is trained on in a heap that does not grow with its length. A JSON Lines file of a sequence a line keeps
 * no piece offsets: {@link #piece} reads the sequence whole and slices it.
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
    // pieces: every pieceSteps-th step (after the first) of sequence i is mark markFirst[i] + k - 1, at byte
    // markOffsets[..] on line markLines[..]; markFirst == null when no piece offsets are kept
    private final int pieceSteps;
    private final int[] markFirst;
    private final long[] markOffsets;
    private final int[] markLines;

    private SequenceIndex(String source, ObservationSpace space, FileChannel channel, SequenceReader.Form form,
            int size, long[] starts, int[] lines, int[] lengths, int[] observed, int pieceSteps, int[] markFirst,
            long[] markOffsets, int[] markLines) {
        this.pieceSteps = pieceSteps;
        this.markFirst = markFirst;
        this.markOffsets = markOffsets;
        this.markLines = markLines;
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
        return build(file, space, columns, 0);
    }

    /**
     * {@link #build(Path, ObservationSpace, DatasetCsv.Columns)}, also keeping where every {@code pieceSteps}-th
     * step of each sequence starts (a file of a step a line), so that {@link #piece} reads a piece alone.
     *
     * @param pieceSteps the piece length, at least 1; 0 keeps no piece offsets
     */
    public static SequenceIndex build(Path file, ObservationSpace space, DatasetCsv.Columns columns, int pieceSteps) {
        if (pieceSteps < 0) {
            throw new IllegalArgumentException("piece length must be at least 1 step (0: none), got " + pieceSteps);
        }
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
            Marks marks = new Marks();
            boolean pieces;
            try (SequenceReader r = SequenceReader.positioned(file, new LineReader(channel, 0, fileLength, false),
                    space, columns, INDEX_CHUNK_STEPS)) {
                form = r.form();
                pieces = pieceSteps > 0 && r.readsSteps();
                if (pieces) {
                    r.markSteps(pieceSteps, marks);
                }
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
                    marks.startSequence(n);
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
            return pieces
                    ? new SequenceIndex(file.toString(), space, channel, form, n, starts, lines, lengths, observed,
                            pieceSteps, marks.first(n), Arrays.copyOf(marks.offsets, marks.count),
                            Arrays.copyOf(marks.lines, marks.count))
                    : new SequenceIndex(file.toString(), space, channel, form, n, starts, lines, lengths, observed,
                            0, null, null, null);
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

    // the piece offsets as indexing finds them; a sequence with a step that has no line of its own to start at
    // (-1) keeps none, and its pieces are read whole
    private static final class Marks implements SequenceReader.StepMarks {
        int[] first = new int[16];
        long[] offsets = new long[16];
        int[] lines = new int[16];
        int count;
        int sequence = -1;
        boolean broken;

        void startSequence(int i) {
            end();
            sequence = i;
            broken = false;
            if (i + 1 >= first.length) {
                first = Arrays.copyOf(first, first.length * 2);
            }
            first[i] = count;
        }

        private void end() {
            if (sequence >= 0 && broken) {
                count = first[sequence]; // drop its marks; first[sequence] == first[sequence + 1]: none
            }
        }

        int[] first(int n) {
            end();
            sequence = -1;
            int[] out = Arrays.copyOf(first, n + 1);
            out[n] = count;
            return out;
        }

        @Override
        public void mark(long step, long offset, int line) {
            if (offset < 0) {
                broken = true;
            }
            if (count == offsets.length) {
                offsets = Arrays.copyOf(offsets, count * 2);
                lines = Arrays.copyOf(lines, count * 2);
            }
            offsets[count] = offset;
            lines[count] = line;
            count++;
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

    /** Whether {@link #piece}(i, ...) reads only the piece's lines: pieces were indexed for sequence {@code i}. */
    @Override
    public boolean readsPieces(int i) {
        Objects.checkIndex(i, size);
        return markFirst != null && (lengths[i] <= pieceSteps || markFirst[i + 1] - markFirst[i]
                == (lengths[i] - 1) / pieceSteps);
    }

    /**
     * Steps {@code from} (inclusive) to {@code to} (exclusive) of sequence {@code i}, with id
     * {@code "<id>@<from>"}: the sequence's {@link Sequence#slice}. Where the piece was indexed ({@code from} a
     * multiple of the piece length, {@link #readsPieces}) only its lines are read; otherwise the sequence whole.
     *
     * @throws DataException     when the file no longer holds it as indexed
     * @throws ResourceException when the file cannot be read
     */
    @Override
    public Sequence piece(int i, int from, int to) {
        Objects.checkIndex(i, size);
        Objects.checkFromToIndex(from, to, lengths[i]);
        if (!readsPieces(i) || from % pieceSteps != 0 || to - from > pieceSteps || from == to) {
            return SequenceSource.super.piece(i, from, to);
        }
        long offset;
        int line;
        if (from == 0) {
            offset = starts[i];
            line = lines[i];
        } else {
            int m = markFirst[i] + from / pieceSteps - 1;
            offset = markOffsets[m];
            line = markLines[m];
        }
        LineReader in = new LineReader(channel, offset, starts[i + 1], false);
        try (SequenceReader r = SequenceReader.at(form, in, line - 1, source, space, to - from)) {
            Sequence chunk = r.nextSequence() ? r.nextChunk() : null;
            if (chunk == null || chunk.length() != to - from) {
                throw new DataException(source + ": the steps from line " + line + " no longer read as they did "
                        + "when the file was indexed (" + (to - from) + " steps); was the file changed?");
            }
            double[] observations = chunk.observations();
            Sequence s = Sequence.of(r.id() + "@" + from, space.dimension(), observations);
            return space.inputDimension() == 0 ? s : s.withInputs(space.inputDimension(), chunk.inputs());
        }
    }

    /** A reader of sequence {@code i} alone, in chunks of {@link SequenceReader#DEFAULT_CHUNK_STEPS} steps. */
    @Override
    public SequenceReader reader(int i) {
        Objects.checkIndex(i, size);
        return SequenceReader.at(form, new LineReader(channel, starts[i], starts[i + 1], false), lines[i] - 1, source,
                space, SequenceReader.DEFAULT_CHUNK_STEPS);
    }

    /**
     * A reader of steps {@code from} to {@code to} of sequence {@code i} alone ({@link SequenceSource#reader(int,
     * int, int)}: numbered from 0, nothing before them to look back at), in chunks of
     * {@link SequenceReader#DEFAULT_CHUNK_STEPS} steps. The steps before {@code from} are read past without being
     * kept, from the last piece offset at or before it where pieces were indexed ({@link #readsPieces}), else from
     * the sequence's start.
     */
    @Override
    public SequenceReader reader(int i, int from, int to) {
        Objects.checkIndex(i, size);
        Objects.checkFromToIndex(from, to, lengths[i]);
        long offset = starts[i];
        int line = lines[i];
        int skip = from;
        if (readsPieces(i) && from >= pieceSteps && from < lengths[i]) {
            int k = from / pieceSteps; // mark k - 1 of the sequence is where step k * pieceSteps starts
            int m = markFirst[i] + k - 1;
            offset = markOffsets[m];
            line = markLines[m];
            skip = from - k * pieceSteps;
        }
        SequenceReader r = SequenceReader.at(form, new LineReader(channel, offset, starts[i + 1], false), line - 1,
                source, space, SequenceReader.DEFAULT_CHUNK_STEPS);
        r.steps(skip, to - from);
        return r;
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
