package org.statespace.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import org.statespace.DataException;
import org.statespace.ObservationSpace;
import org.statespace.spec.Json;

/**
 * The sequences of a JSON Lines file with one sequence per line, or of a dataset JSON document, read step by step
 * in memory that does not grow with a sequence's length ({@link SequenceReader}'s reader for those files).
 *
 * <p>Each sequence object is read twice. The first pass ({@link DatasetJson.Scan}) parses the whole object with
 * {@link DatasetJson}'s own reader, counting rows instead of keeping values: it checks every element, the field
 * names, the row counts and widths, and learns the id and the byte offsets of the {@code "observations"} and
 * {@code "inputs"} arrays, wherever in the object they are (the id may come last). The structural checks of the
 * in-memory reader and of {@link ObservationSpace#align} are then made on a one-step stand-in with the sequence's
 * shape, so their messages are the in-memory reader's. The second pass opens one parser per array at its offset
 * and reads the two arrays in lockstep, a row at a time, with the same element code; the checks that need a value
 * (a symbol index, a support of counts, a symbol the model lacks) are made there, step by step, with the in-memory
 * messages. A sequence with two faults of different kinds may thus be reported by a later check at an earlier step
 * than the in-memory reader reports.
 *
 * <p>The file is read by byte offsets (a JSON Lines line is found by its terminator, {@code \n}, {@code \r} or
 * {@code \r\n}), so a line is never held as text. Not thread-safe.
 */
final class StreamedSequences implements Closeable {
    private final FileChannel channel;
    private final String source;
    private final ObservationSpace space;
    private final DatasetJson.Alphabet lineAlphabet; // JSON Lines: names read against the model's
    private final DatasetJson.SequenceStream document; // null for JSON Lines
    private final int d;
    private final int p;
    // JSON Lines: where the next line starts, and its number
    private long next;
    private int line;
    // the current sequence
    private String id;
    private String where;
    private DatasetJson.Scan scan;
    private DatasetJson.RowCursor observations;
    private DatasetJson.RowCursor inputs;
    private int step;
    private int[] map; // data symbol index -> model index, or null when they agree
    private List<String> dataNames;
    private boolean dataSymbols;
    private boolean bareIndices;
    private DataException undeclared; // thrown at the end of the sequence

    private StreamedSequences(FileChannel channel, String source, ObservationSpace space,
            DatasetJson.SequenceStream document) {
        this.channel = channel;
        this.source = source;
        this.space = space;
        this.document = document;
        this.d = space.dimension();
        this.p = space.inputDimension();
        boolean symbolic = space.kind() == ObservationKind.SYMBOLS;
        this.lineAlphabet = DatasetJson.Alphabet.of(symbolic ? space.symbolNames() : List.of());
    }

    /** A JSON Lines file with one sequence per line. */
    static StreamedSequences lines(Path file, ObservationSpace space) throws IOException {
        return new StreamedSequences(FileChannel.open(file, StandardOpenOption.READ), file.toString(), space, null);
    }

    /** A dataset JSON document (its "symbols" before "sequences"). */
    static StreamedSequences document(Path file, ObservationSpace space) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            DatasetJson.SequenceStream stream = new DatasetJson.SequenceStream(new Slice(channel, 0, Long.MAX_VALUE),
                    file.toString());
            return new StreamedSequences(channel, file.toString(), space, stream);
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Whether the first non-blank line of a JSON Lines file is a sequence object (it has a field
     * {@code "observations"}), read without holding the line.
     */
    static boolean firstLineIsSequence(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long[] span = new long[3];
            if (!nextLine(channel, 0, span)) {
                return false;
            }
            try (JsonParser parser = Json.parser(new Slice(channel, span[0], span[1]))) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    return false;
                }
                JsonToken token;
                while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    if (parser.currentName().equals("observations")) {
                        return true;
                    }
                    parser.nextToken();
                    parser.skipChildren();
                }
                return false;
            } catch (IOException e) { // not JSON: whether the line names the field decides which error it gets
                return contains(channel, span[0], span[1], "\"observations\"".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    private static boolean contains(FileChannel channel, long from, long to, byte[] word) throws IOException {
        InputStream in = new java.io.BufferedInputStream(new Slice(channel, from, to), 1 << 16);
        byte[] window = new byte[word.length];
        int seen = 0;
        int b;
        while ((b = in.read()) >= 0) {
            System.arraycopy(window, 1, window, 0, window.length - 1);
            window[window.length - 1] = (byte) b;
            if (++seen >= word.length && java.util.Arrays.equals(window, word)) {
                return true;
            }
        }
        return false;
    }

    /** As {@link #nextLine(FileChannel, long, long[], int[])} without counting lines. */
    private static boolean nextLine(FileChannel channel, long from, long[] span) throws IOException {
        return nextLine(channel, from, span, null);
    }

    /**
     * Finds the first non-blank line from {@code from}: span[0] its start, span[1] its end (before the terminator),
     * span[2] where the line after it starts; adds to lines[0] (when given) the lines passed, itself included, as
     * {@link java.io.BufferedReader#readLine} counts them. False when only blank lines are left.
     */
    private static boolean nextLine(FileChannel channel, long from, long[] span, int[] lines) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        long position = from;
        long start = from;
        boolean blank = true;
        boolean afterCr = false;
        while (true) {
            buffer.clear();
            int n = channel.read(buffer, position);
            if (n <= 0) {
                if (position > start && !blank) { // a last line without a terminator
                    if (lines != null) {
                        lines[0]++;
                    }
                    span[0] = start;
                    span[1] = position;
                    span[2] = position;
                    return true;
                }
                return false;
            }
            for (int i = 0; i < n; i++) {
                byte b = buffer.get(i);
                long at = position + i;
                if (afterCr) {
                    afterCr = false;
                    if (b == '\n') { // the \n of a \r\n
                        start = at + 1;
                        continue;
                    }
                }
                if (b == '\n' || b == '\r') {
                    if (lines != null) {
                        lines[0]++;
                    }
                    if (!blank) {
                        span[0] = start;
                        span[1] = at;
                        span[2] = at + 1;
                        if (b == '\r') { // a \r\n ends this line at the \n
                            ByteBuffer one = ByteBuffer.allocate(1);
                            if (channel.read(one, at + 1) == 1 && one.get(0) == '\n') {
                                span[2] = at + 2;
                            }
                        }
                        return true;
                    }
                    afterCr = b == '\r';
                    start = at + 1;
                    continue;
                }
                if (blank && !isBlank(b)) {
                    blank = false;
                }
            }
            position += n;
        }
    }

    // Character.isWhitespace of an ASCII byte (a non-ASCII byte is not blank)
    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == 0x0B || b == '\f' || (b >= 0x1C && b <= 0x1F);
    }

    /** Moves to the next sequence (its first pass made); false after the last. */
    boolean nextSequence() throws IOException {
        closeCursors();
        if (document == null) {
            long[] span = new long[3];
            int[] lines = {0};
            if (!nextLine(channel, next, span, lines)) {
                return false;
            }
            line += lines[0];
            next = span[2];
            where = source + " line " + line;
            scan = DatasetJson.scanSequence(new Slice(channel, span[0], span[1]), lineAlphabet, where);
            open(span[0], span[1]);
        } else {
            scan = document.nextScan();
            if (scan == null) {
                return false;
            }
            where = source;
            open(0, Long.MAX_VALUE);
        }
        return true;
    }

    // The checks that need no value, then the cursors at the arrays (offsets relative to base).
    private void open(long base, long end) {
        id = scan.id();
        step = 0;
        Dataset raw = scan.shape();
        dataSymbols = raw.kind() == ObservationKind.SYMBOLS;
        dataNames = dataSymbols ? raw.symbolNames() : List.of();
        bareIndices = space.kind() == ObservationKind.SYMBOLS && dataNames.isEmpty();
        map = null;
        if (space.kind() == ObservationKind.SYMBOLS && !dataNames.isEmpty() && !dataNames.equals(space.symbolNames())) {
            // as align maps them: each of the data's names to the model's symbol of that name (-1: none)
            List<String> modelNames = space.symbolNames().isEmpty() ? Dataset.integerNames(space.size())
                    : space.symbolNames();
            Map<String, Integer> index = new HashMap<>();
            for (int k = 0; k < modelNames.size(); k++) {
                index.put(modelNames.get(k), k);
            }
            map = new int[dataNames.size()];
            for (int k = 0; k < map.length; k++) {
                map[k] = index.getOrDefault(dataNames.get(k), -1);
            }
        }
        undeclared = null;
        try {
            space.align(scan.shape(), where);
        } catch (DataException e) {
            // a name the data declares that the model lacks: align says so after the values, so this reader does
            // at the sequence's end (a symbol the model lacks that a step uses is named at that step first)
            int k = 0;
            while (map != null && k < map.length && map[k] >= 0) {
                k++;
            }
            if (map == null || k == map.length
                    || !e.getMessage().equals(where + ": symbols[" + k + "]: " + space.unknownSymbolProblem(dataNames.get(k)))) {
                throw e;
            }
            undeclared = e;
        }
        observations = new DatasetJson.RowCursor(new Slice(channel, base + scan.observationsAt(), end), where,
                scan.symbols(), true);
        if (p > 0) {
            inputs = new DatasetJson.RowCursor(new Slice(channel, base + scan.inputsAt(), end), where,
                    DatasetJson.Alphabet.NONE, false);
        }
    }

    /** The id of the current sequence. */
    String id() {
        return id;
    }

    /** Reads the next step of the current sequence into {@code observation} and {@code input}; false at its end. */
    boolean next(double[] observation, double[] input) {
        if (observations == null || !observations.next(observation, 0, scan.width())) {
            if (undeclared != null) {
                throw undeclared;
            }
            return false;
        }
        if (p > 0 && !inputs.next(input, 0, p)) {
            throw new DataException(where + ": changed while it was read (fewer inputs than observations)");
        }
        check(observation);
        step++;
        return true;
    }

    // The in-memory reader's checks of a value, in its order for one step: Dataset.of, withSupport, align.
    private void check(double[] observation) {
        if (dataSymbols) {
            double v = observation[0];
            String problem = Double.isNaN(v) ? null : Dataset.symbolIndexProblem(v, dataNames.size());
            if (problem != null) {
                throw new DataException(where + ": sequence '" + id + "', step " + step + ": " + problem);
            }
        }
        if (scan.support() == Support.COUNTS) {
            for (int j = 0; j < observation.length; j++) {
                String problem = Dataset.countProblem(id, step, j, observation.length, observation[j]);
                if (problem != null) {
                    throw new DataException(where + ": " + problem);
                }
            }
        }
        if (bareIndices) {
            String problem = space.bareIndexProblem(observation[0]);
            if (problem != null) {
                throw new DataException(where + ": sequence '" + id + "', step " + step + ": " + problem);
            }
        } else if (map != null && !Double.isNaN(observation[0])) {
            int k = (int) observation[0];
            if (map[k] < 0) {
                throw new DataException(where + ": sequence '" + id + "', step " + step + ": "
                        + space.unknownSymbolProblem(dataNames.get(k)));
            }
            observation[0] = map[k];
        }
    }

    private void closeCursors() throws IOException {
        if (observations != null) {
            observations.close();
            observations = null;
        }
        if (inputs != null) {
            inputs.close();
            inputs = null;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            closeCursors();
            if (document != null) {
                document.close();
            }
        } finally {
            channel.close();
        }
    }

    /** The bytes of a file from {@code from} up to {@code to} (exclusive), read at their positions. */
    static final class Slice extends InputStream {
        private final FileChannel channel;
        private long position;
        private final long end;

        Slice(FileChannel channel, long from, long to) {
            this.channel = channel;
            this.position = from;
            this.end = to;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            long left = end - position;
            if (left <= 0) {
                return -1;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, left)), position);
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public void close() {
            // the channel belongs to the reader
        }
    }
}
