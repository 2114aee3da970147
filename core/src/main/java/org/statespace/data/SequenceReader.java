package org.statespace.data;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.statespace.DataException;
import org.statespace.ObservationSpace;
import org.statespace.ResourceException;
import org.statespace.spec.Json;

/**
 * Reads a dataset file one sequence at a time, and a long sequence in chunks of steps, so that memory does not
 * grow with the length of a sequence or with the number of sequences. The data are read for one model: symbols
 * are matched to its alphabet by name (or taken as bare indices where the model declares integer symbols), real
 * observations must have its dimension, inputs are read when it takes them (and read past when it takes none).
 *
 * <p>Formats, by file name:
 * <ul>
 *   <li>{@code .csv}: the tidy CSV of {@link DatasetCsv} (one row per step, a {@code sequence} column); read in
 *       chunks;</li>
 *   <li>{@code .jsonl} or {@code .ndjson}, JSON Lines, either one sequence per line (each line an entry of a
 *       dataset's {@code "sequences"}, as {@link DatasetJson#parseSequence} reads it, its fields in any order) or
 *       one step per line ({@link DatasetJson#STEP_FIELDS}: {@code {"sequence": "s1", "t": 0, "observation": 1.5,
 *       "input": [0.2]}}); both read in chunks. The first line tells which: a line with {@code "observations"} is a
 *       sequence;</li>
 *   <li>anything else: a dataset JSON document ({@link DatasetJson}) read sequence by sequence, in chunks; its
 *       {@code "symbols"} list must come before {@code "sequences"} (as the toolkit writes it).</li>
 * </ul>
 * A sequence object (a line, or an entry of a document's {@code "sequences"}) is read twice, never held: a first
 * pass checks it whole and finds where its arrays start, a second reads its observations and inputs in lockstep,
 * one parser per array (see {@code StreamedSequences}). A sequence object read again by its offset
 * ({@link SequenceIndex}) is still held whole.
 * The parse rules are those of the in-memory readers, whose code this class calls: an empty cell, {@code NA} or
 * {@code null} is missing, {@code NaN} and infinities are errors, and every error names the file, the line (and
 * the column or JSON field) and the value. In a file read in chunks the steps of a sequence must come together
 * (the in-memory CSV reader gathers a sequence's rows from anywhere in the file); a sequence id that comes back
 * after another sequence starts a new sequence of that id, as remembering every id would cost memory that grows
 * with the number of sequences.
 *
 * <p>A chunk is a window ({@link Sequence#firstStep()}) that holds up to {@code chunkSteps} new steps and the
 * {@link #HISTORY} steps before them, indexed by their step in the whole sequence, so a model that looks back at
 * earlier observations (o_{t-1}, the lags of an autoregressive emission) finds them. Not thread-safe.
 *
 * <pre>{@code
 * try (SequenceReader r = SequenceReader.open(file, model.observationSpace(), DatasetCsv.Columns.byConvention())) {
 *     while (r.nextSequence()) {
 *         for (Sequence chunk = r.nextChunk(); chunk != null; chunk = r.nextChunk()) { ... }
 *     }
 * }
 * }</pre>
 */
public final class SequenceReader implements Closeable {
    /** Steps of a sequence a chunk holds from before its new steps. */
    public static final int HISTORY = 1024;
    /** New steps per chunk by default. */
    public static final int DEFAULT_CHUNK_STEPS = 16384;

    private final String source;
    private final int chunkSteps;
    private final int dimension;
    private final int inputDimension;
    private final Closeable resource;
    // one of these three: whole sequences, steps, or sequence objects read step by step
    private final WholeSequences wholes;
    private final StepRows steps;
    private StreamedSequences streamed;

    // the current sequence
    private String id;
    private Sequence whole;
    private boolean ended = true;
    private long stepsRead;
    private double[] historyObservations;
    private double[] historyInputs;
    private int historyRows;
    private long sequences;
    // the step read ahead (the first of the next chunk or of the next sequence)
    private final Row pending;
    private boolean hasPending;
    // where the current sequence starts in the file (offset -1 unless read through a LineReader), and its line;
    // a whole-sequence parser writes the line it read there, a step reader's sequence starts at its first row
    private final Start start;
    // how the file is laid out, for reading a sequence again at its offset (SequenceIndex)
    private final Form form;
    // told where every markEvery-th step of a sequence (after its first) starts, while chunks are read
    private StepMarks marks;
    private int markEvery;
    // steps of each sequence read past before its first chunk (its steps then count from 0, nothing before them
    // kept), and the most steps given of it: a reader of part of a sequence (SequenceIndex#reader(int, int, int))
    private int skipSteps;
    private int stepLimit = Integer.MAX_VALUE;
    private boolean onlyOne; // such a reader gives one sequence and ends

    /** Where a step of a sequence read in steps starts: what {@link SequenceIndex} keeps to read a piece again. */
    interface StepMarks {
        /**
         * Step {@code step} (a positive multiple of the interval) of the current sequence starts at byte
         * {@code offset} (-1 when its line alone does not give the step: a run of blank lines read as missing) on
         * line {@code line}.
         */
        void mark(long step, long offset, int line);
    }

    /** Tells {@code marks} where every {@code every}-th step starts from now on (step rows only). */
    void markSteps(int every, StepMarks marks) {
        this.markEvery = every;
        this.marks = marks;
    }

    /**
     * Gives each sequence from now on as its steps {@code skip .. skip+limit-1} alone: the steps before are read
     * past and not kept, the first given is step 0, and the sequence ends after {@code limit} steps (what
     * {@link Sequence#slice} of those steps holds, in chunks); the reader then ends, the steps after them unread.
     */
    void steps(int skip, int limit) {
        if (skip < 0 || limit < 0) {
            throw new IllegalArgumentException("steps " + skip + " and " + limit + " must be non-negative");
        }
        this.skipSteps = skip;
        this.stepLimit = limit;
        this.onlyOne = true;
    }

    /** Whether the file holds a step a line (CSV, or JSON Lines of steps), so a step has a byte offset. */
    boolean readsSteps() {
        return steps != null && streamed == null;
    }

    /** The layout of a file: its format, and a CSV file's header. */
    record Form(Kind kind, DatasetCsv.Header header) {
        enum Kind { CSV, SEQUENCE_LINES, STEP_LINES, DOCUMENT }
    }

    /** Where a sequence starts: the byte offset and the line number of its first line. */
    static final class Start {
        long offset = -1;
        int line;
    }

    private interface WholeSequences {
        /** The next sequence, aligned to the model, or null at the end. */
        Sequence next() throws IOException;
    }

    private interface StepRows {
        /** Reads the next step into {@code row}; false at the end of the file. */
        boolean next(Row row) throws IOException;
    }

    // One step: its sequence id, observation (d) and input (p).
    private static final class Row {
        String id;
        long offset = -1; // where the row's line starts (-1 unless read through a LineReader)
        int line;
        final double[] observation;
        final double[] input;

        Row(int d, int p) {
            observation = new double[d];
            input = new double[p];
        }
    }

    private SequenceReader(String source, int chunkSteps, ObservationSpace space, Closeable resource,
            WholeSequences wholes, StepRows steps, Start start, Form form) {
        this.start = start;
        this.form = form;
        this.source = source;
        this.chunkSteps = chunkSteps;
        this.dimension = space.dimension();
        this.inputDimension = space.inputDimension();
        this.resource = resource;
        this.wholes = wholes;
        this.steps = steps;
        this.pending = new Row(dimension, inputDimension);
    }

    /** Opens a file with chunks of {@link #DEFAULT_CHUNK_STEPS} steps. */
    public static SequenceReader open(Path file, ObservationSpace space, DatasetCsv.Columns columns) {
        return open(file, space, columns, DEFAULT_CHUNK_STEPS);
    }

    /**
     * Opens a file for a model with observation space {@code space}.
     *
     * @param columns    a CSV file's observation and input columns (ignored for JSON)
     * @param chunkSteps new steps per chunk, at least 1
     * @throws ResourceException when the file cannot be read
     * @throws DataException     naming the file and line when its header (or first line) is wrong
     */
    public static SequenceReader open(Path file, ObservationSpace space, DatasetCsv.Columns columns, int chunkSteps) {
        if (chunkSteps < 1) {
            throw new IllegalArgumentException("chunkSteps must be at least 1, got " + chunkSteps);
        }
        String source = file.toString();
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".csv")) {
                BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                return csv(in, source, space, columns, chunkSteps);
            }
            if (isJsonLines(file)) {
                if (StreamedSequences.firstLineIsSequence(file)) {
                    return streamed(StreamedSequences.lines(file, space), source, space, chunkSteps,
                            Form.Kind.SEQUENCE_LINES);
                }
                BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                return jsonLines(in, source, space, chunkSteps, false, 0);
            }
            return streamed(StreamedSequences.document(file, space), source, space, chunkSteps, Form.Kind.DOCUMENT);
        } catch (NoSuchFileException e) {
            throw new ResourceException(file + ": no such file", e);
        } catch (MalformedInputException e) {
            throw new DataException(file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new ResourceException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    // sequence objects read step by step (StreamedSequences): a step row per step, in chunks
    private static SequenceReader streamed(StreamedSequences sequences, String source, ObservationSpace space,
            int chunkSteps, Form.Kind kind) {
        StepRows rows = row -> {
            if (!sequences.next(row.observation, row.input)) {
                return false;
            }
            row.id = sequences.id();
            return true;
        };
        SequenceReader reader = new SequenceReader(source, chunkSteps, space, sequences, null, rows, new Start(),
                new Form(kind, null));
        reader.streamed = sequences;
        return reader;
    }

    /**
     * Reads {@code file} through {@code in}, noting where each sequence starts ({@link #sequenceOffset()}): CSV
     * and JSON Lines only (a dataset JSON document is an {@link IllegalArgumentException}).
     */
    static SequenceReader positioned(Path file, LineReader in, ObservationSpace space, DatasetCsv.Columns columns,
            int chunkSteps) throws IOException {
        String source = file.toString();
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return csv(in, source, space, columns, chunkSteps);
        }
        if (isJsonLines(file)) {
            return jsonLines(in, source, space, chunkSteps);
        }
        throw new IllegalArgumentException(file + ": a dataset JSON document cannot be read by sequence offsets; "
                + "write its sequences as JSON Lines (each entry of \"sequences\" on a line of its own) or as CSV");
    }

    /**
     * Reads a file laid out as {@code form} from a sequence's first line ({@code in} positioned there), whose line
     * number is {@code lineBefore + 1}; errors name the file's own lines.
     */
    static SequenceReader at(Form form, LineReader in, int lineBefore, String source, ObservationSpace space,
            int chunkSteps) {
        return switch (form.kind()) {
            case CSV -> {
                Start start = new Start();
                yield new SequenceReader(source, chunkSteps, space, in, null,
                        csvRows(in, form.header(), lineBefore, source, space), start, form);
            }
            case SEQUENCE_LINES, STEP_LINES -> jsonLines(in, source, space, chunkSteps,
                    form.kind() == Form.Kind.SEQUENCE_LINES, lineBefore);
            case DOCUMENT -> throw new IllegalArgumentException("a dataset JSON document is not read by offsets");
        };
    }

    /** The byte offset at which the current sequence starts (-1 unless the file is read {@link #positioned}). */
    long sequenceOffset() {
        return start.offset;
    }

    /** The line the current sequence starts on (when the file is read {@link #positioned}). */
    int sequenceLine() {
        return start.line;
    }

    /** How the file is laid out. */
    Form form() {
        return form;
    }

    private static long lineStart(BufferedReader in) {
        return in instanceof LineReader r ? r.lineStart() : -1;
    }

    /** Whether the file name says JSON Lines: {@code .jsonl} or {@code .ndjson}, any case. */
    public static boolean isJsonLines(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jsonl") || name.endsWith(".ndjson");
    }

    /**
     * Moves to the next sequence (the rest of the current one read past).
     *
     * @return false after the last sequence
     * @throws DataException naming the file and line of a bad value, or when the file holds no sequence
     */
    public boolean nextSequence() {
        try {
            return advance();
        } catch (MalformedInputException e) {
            throw new DataException(source + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new ResourceException(source + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private boolean advance() throws IOException {
        if (onlyOne && sequences > 0) {
            ended = true;
            return false;
        }
        if (wholes != null) {
            whole = wholes.next();
            if (whole == null) {
                requireSome();
                return false;
            }
            if (skipSteps > 0 || stepLimit < whole.length()) {
                int from = Math.min(skipSteps, whole.length());
                whole = whole.slice(whole.id(), from, (int) Math.min(whole.length(), (long) from + stepLimit));
            }
            id = whole.id();
            ended = false;
            sequences++;
            return true;
        }
        if (streamed != null) { // the rest of the current sequence is passed over by the next one's first pass
            if (!streamed.nextSequence()) {
                requireSome();
                ended = true;
                return false;
            }
            hasPending = steps.next(pending);
        } else if (sequences == 0 && !hasPending) {
            hasPending = steps.next(pending);
        }
        while (streamed == null && !ended && hasPending && pending.id.equals(id)) { // the unread rest of the current sequence
            hasPending = steps.next(pending);
        }
        if (!hasPending) {
            requireSome();
            ended = true;
            return false;
        }
        id = pending.id;
        start.offset = pending.offset;
        start.line = pending.line;
        ended = false;
        stepsRead = 0;
        historyRows = 0;
        historyObservations = new double[0];
        historyInputs = new double[0];
        sequences++;
        for (int k = 0; k < skipSteps && hasPending && pending.id.equals(id); k++) {
            hasPending = steps.next(pending);
        }
        return true;
    }

    private void requireSome() {
        if (sequences == 0) {
            throw new DataException(source + ": no sequence in the file");
        }
    }

    /** The id of the current sequence. */
    public String id() {
        if (id == null) {
            throw new IllegalStateException("no current sequence: call nextSequence() first");
        }
        return id;
    }

    /**
     * The next chunk of the current sequence, or {@code null} when it has no more steps. A chunk is a window
     * whose {@link Sequence#length()} is the number of steps read so far and whose {@link Sequence#firstStep()}
     * is the first step it holds; its new steps are those from the previous chunk's length on (from 0 for the
     * first chunk). A sequence held whole comes as one chunk.
     */
    public Sequence nextChunk() {
        try {
            return chunk();
        } catch (MalformedInputException e) {
            throw new DataException(source + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new ResourceException(source + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private Sequence chunk() throws IOException {
        if (id == null) {
            throw new IllegalStateException("no current sequence: call nextSequence() first");
        }
        if (ended) {
            return null;
        }
        if (wholes != null) {
            ended = true;
            return whole;
        }
        if (!hasPending || !pending.id.equals(id) || stepsRead >= stepLimit) {
            ended = true;
            return null;
        }
        int d = dimension;
        int p = inputDimension;
        int room = (int) Math.min(chunkSteps, stepLimit - stepsRead);
        double[] observations = new double[(historyRows + room) * d];
        double[] inputs = new double[(historyRows + room) * p];
        System.arraycopy(historyObservations, 0, observations, 0, historyRows * d);
        System.arraycopy(historyInputs, 0, inputs, 0, historyRows * p);
        int rows = historyRows;
        while (rows < historyRows + room && hasPending && pending.id.equals(id)) {
            if (marks != null) {
                long step = stepsRead + rows - historyRows;
                if (step > 0 && step % markEvery == 0) {
                    marks.mark(step, pending.offset, pending.line);
                }
            }
            System.arraycopy(pending.observation, 0, observations, rows * d, d);
            System.arraycopy(pending.input, 0, inputs, rows * p, p);
            rows++;
            hasPending = steps.next(pending);
        }
        int fresh = rows - historyRows;
        if (stepsRead + fresh > Integer.MAX_VALUE) {
            throw new DataException(source + ": sequence '" + id + "' has more than " + Integer.MAX_VALUE + " steps");
        }
        if (rows < historyRows + room) { // the last chunk: the arrays hold exactly its rows
            observations = java.util.Arrays.copyOf(observations, rows * d);
            inputs = java.util.Arrays.copyOf(inputs, rows * p);
        }
        int offset = (int) stepsRead - historyRows;
        Sequence window = Sequence.window(id, offset, rows, d, observations, p, inputs);
        stepsRead += fresh;
        int keep = Math.min(HISTORY, rows);
        historyObservations = java.util.Arrays.copyOfRange(observations, (rows - keep) * d, rows * d);
        historyInputs = java.util.Arrays.copyOfRange(inputs, (rows - keep) * p, rows * p);
        historyRows = keep;
        return window;
    }

    /**
     * The rest of the current sequence as one sequence held whole (its chunks joined): for what needs a whole
     * sequence at a time (an EM E-step), at a memory cost of that sequence's length. Null when it has no more
     * steps. Call it at the start of a sequence, before {@link #nextChunk()}.
     */
    public Sequence nextWhole() {
        Sequence first = nextChunk();
        if (first == null || wholes != null) {
            return first;
        }
        if (first.firstStep() != 0) {
            throw new IllegalStateException("nextWhole() after nextChunk() in sequence '" + id + "'");
        }
        int d = dimension;
        int p = inputDimension;
        double[] observations = first.observations();
        double[] inputs = first.inputs();
        int rows = first.length();
        for (Sequence c = nextChunk(); c != null; c = nextChunk()) {
            int fresh = c.length() - rows;
            int from = rows - c.firstStep(); // the new rows of the window
            observations = java.util.Arrays.copyOf(observations, (rows + fresh) * d);
            inputs = java.util.Arrays.copyOf(inputs, (rows + fresh) * p);
            double[] o = c.observations();
            double[] u = c.inputs();
            System.arraycopy(o, from * d, observations, rows * d, fresh * d);
            System.arraycopy(u, from * p, inputs, rows * p, fresh * p);
            rows += fresh;
        }
        Sequence s = Sequence.of(id, d, observations);
        return p == 0 ? s : s.withInputs(p, inputs);
    }

    @Override
    public void close() {
        try {
            resource.close();
        } catch (IOException e) {
            throw new ResourceException(source + ": cannot close (" + e.getMessage() + ")", e);
        }
    }

    // ---------------------------------------------------------------- CSV

    private static SequenceReader csv(BufferedReader in, String source, ObservationSpace space,
            DatasetCsv.Columns columns, int chunkSteps) throws IOException {
        boolean symbolic = space.kind() == ObservationKind.SYMBOLS;
        DatasetCsv.Header h = DatasetCsv.Header.read(in, source, new DatasetCsv.Columns(columns.observations(),
                columns.inputs(), symbolic));
        if (h.symbolic && !symbolic) {
            throw new DataException(source + ": the model emits real values but the data are symbols");
        }
        if (symbolic && h.observationColumns != 1) {
            throw new DataException(source + ": the model emits symbols but the data has " + h.observationColumns
                    + "-dimensional observations");
        }
        if (!symbolic && h.observationColumns != space.size()) {
            throw new DataException(source + ": the model emits " + space.size()
                    + "-dimensional observations but the data has " + h.observationColumns + "-dimensional ones");
        }
        int p = space.inputDimension();
        if (p > 0 && h.inputColumns != p) {
            throw new DataException(source + ": the model takes " + p + " inputs per step but the data has "
                    + h.inputColumns);
        }
        return new SequenceReader(source, chunkSteps, space, in, null, csvRows(in, h, h.line, source, space),
                new Start(), new Form(Form.Kind.CSV, h));
    }

    // the rows of a CSV file after line lineBefore (the header's, or the line before a sequence read again)
    private static StepRows csvRows(BufferedReader in, DatasetCsv.Header h, int lineBefore, String source,
            ObservationSpace space) {
        boolean symbolic = space.kind() == ObservationKind.SYMBOLS;
        int p = space.inputDimension();
        Map<String, Integer> alphabet = alphabet(space);
        boolean oneColumn = h.names.size() == 1;
        return new StepRows() {
            int line = lineBefore;
            int pendingBlanks; // blank lines seen and held back: missing values unless they are trailing
            long blanksOffset; // where the first of them starts, and its line
            int blanksLine;
            int blanksToGive;
            String held; // the line that showed the held blanks were not trailing, given after them
            int heldLine;
            long heldOffset;

            @Override
            public boolean next(Row row) throws IOException {
                if (blanksToGive > 0) {
                    blanksToGive--;
                    missing(row);
                    row.offset = -1; // within a run of blank lines: no line of its own to start a read at
                    return true;
                }
                if (held != null) {
                    parse(held, heldLine, row);
                    row.offset = heldOffset;
                    row.line = heldLine;
                    held = null;
                    return true;
                }
                String text;
                while ((text = in.readLine()) != null) {
                    line++;
                    if (text.isBlank()) {
                        if (pendingBlanks == 0) {
                            blanksOffset = lineStart(in);
                            blanksLine = line;
                        }
                        pendingBlanks++;
                        continue;
                    }
                    if (oneColumn && pendingBlanks > 0) {
                        blanksToGive = pendingBlanks - 1;
                        pendingBlanks = 0;
                        held = text;
                        heldLine = line;
                        heldOffset = lineStart(in);
                        missing(row);
                        row.offset = blanksOffset;
                        row.line = blanksLine;
                        return true;
                    }
                    pendingBlanks = 0;
                    parse(text, line, row);
                    row.offset = lineStart(in);
                    row.line = line;
                    return true;
                }
                return false;
            }

            // in a one-column file a blank line is an empty cell
            private void missing(Row row) {
                row.id = "s1";
                java.util.Arrays.fill(row.observation, Double.NaN);
            }

            private void parse(String text, int line, Row row) {
                List<String> cells = DatasetCsv.split(text, source, line);
                if (cells.size() != h.names.size()) {
                    throw new DataException(source + ": line " + line + ": expected " + h.names.size()
                            + " cells like the header, got " + cells.size());
                }
                row.id = h.id(cells, source, line);
                for (int j = 0; j < h.observationOrder.length; j++) {
                    int c = h.observationOrder[j];
                    String cell = cells.get(c).trim();
                    row.observation[j] = symbolic ? symbol(cell, alphabet, space, source + ": line " + line
                            + ", column \"" + h.names.get(c) + "\"") : DatasetCsv.number(cell, true, source, line, h.names.get(c));
                }
                for (int j = 0; j < p; j++) {
                    int c = h.inputOrder[j];
                    row.input[j] = DatasetCsv.number(cells.get(c).trim(), false, source, line, h.names.get(c));
                }
            }
        };
    }

    // The model's alphabet by name: its names, or "0".."M-1" for an unnamed one (empty for real models).
    private static Map<String, Integer> alphabet(ObservationSpace space) {
        Map<String, Integer> index = new HashMap<>();
        if (space.kind() == ObservationKind.SYMBOLS) {
            List<String> names = modelNames(space);
            for (int k = 0; k < names.size(); k++) {
                index.put(names.get(k), k);
            }
        }
        return index;
    }

    private static List<String> modelNames(ObservationSpace space) {
        return space.symbolNames().isEmpty() ? Dataset.integerNames(space.size()) : space.symbolNames();
    }

    // A CSV cell naming a symbol, as its index in the model's alphabet.
    private static double symbol(String cell, Map<String, Integer> alphabet, ObservationSpace space, String where) {
        if (DatasetCsv.isMissing(cell)) {
            return Double.NaN;
        }
        Integer k = alphabet.get(cell);
        if (k == null) {
            throw new DataException(where + ": unknown symbol \"" + (cell.length() > 40 ? cell.substring(0, 40) + "..."
                    : cell) + "\"; the model's symbols are " + listed(modelNames(space)));
        }
        return k;
    }

    private static String listed(List<String> names) {
        return names.size() <= 12 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 12)) + ", ... (" + names.size() + " in all)";
    }

    // ---------------------------------------------------------------- JSON Lines

    private static SequenceReader jsonLines(BufferedReader in, String source, ObservationSpace space, int chunkSteps)
            throws IOException {
        // the first non-blank line says the form: a sequence object has "observations"
        in.mark(1 << 20);
        String first;
        do {
            first = in.readLine();
        } while (first != null && first.isBlank());
        boolean sequencePerLine = false;
        if (first != null) {
            try {
                JsonNode node = Json.mapper().readTree(first);
                sequencePerLine = node != null && node.isObject() && node.has("observations");
            } catch (IOException e) {
                sequencePerLine = first.contains("\"observations\"");
            }
        }
        try {
            in.reset();
        } catch (IOException e) { // a first line longer than the mark: read the file again
            in.close();
            in = Files.newBufferedReader(Path.of(source), StandardCharsets.UTF_8);
        }
        return jsonLines(in, source, space, chunkSteps, sequencePerLine, 0);
    }

    // JSON Lines after line lineBefore: a sequence per line, or a step per line
    private static SequenceReader jsonLines(BufferedReader lines, String source, ObservationSpace space, int chunkSteps,
            boolean sequencePerLine, int lineBefore) {
        boolean symbolic = space.kind() == ObservationKind.SYMBOLS;
        int[] line = {lineBefore};
        Start start = new Start();
        if (sequencePerLine) {
            DatasetJson.Alphabet alphabet = DatasetJson.Alphabet.of(symbolic ? space.symbolNames() : List.of());
            WholeSequences wholes = () -> {
                String text;
                while ((text = lines.readLine()) != null) {
                    line[0]++;
                    if (!text.isBlank()) {
                        start.offset = lineStart(lines);
                        start.line = line[0];
                        String where = source + " line " + line[0];
                        Dataset one = DatasetJson.parseSequence(text, alphabet, where);
                        return space.align(one, where).sequence(0);
                    }
                }
                return null;
            };
            return new SequenceReader(source, chunkSteps, space, lines, wholes, null, start,
                    new Form(Form.Kind.SEQUENCE_LINES, null));
        }
        DatasetJson.Alphabet names = DatasetJson.Alphabet.of(symbolic ? modelNames(space) : List.of()); // indexed once
        int d = space.dimension();
        int p = space.inputDimension();
        StepRows rows = row -> {
            String text;
            while ((text = lines.readLine()) != null) {
                line[0]++;
                if (text.isBlank()) {
                    continue;
                }
                String where = source + " line " + line[0];
                DatasetJson.Step step = DatasetJson.parseStep(text, names, symbolic, where);
                row.id = step.sequence();
                row.offset = lineStart(lines);
                row.line = line[0];
                double[] o = step.observation();
                if (o.length == 1 && Double.isNaN(o[0])) {
                    java.util.Arrays.fill(row.observation, Double.NaN);
                } else if (o.length != d) {
                    throw new DataException(where + ": observation: the model emits " + (symbolic ? "symbols"
                            : d + "-dimensional observations") + ", got " + o.length + " components");
                } else {
                    if (symbolic && !step.named()) {
                        bareIndex(o[0], space, where);
                    }
                    System.arraycopy(o, 0, row.observation, 0, d);
                }
                if (p > 0) {
                    double[] u = step.input();
                    if (u == null || u.length != p) {
                        throw new DataException(where + ": input: the model takes " + p + " inputs per step, got "
                                + (u == null ? "none" : u.length));
                    }
                    System.arraycopy(u, 0, row.input, 0, p);
                }
                return true;
            }
            return false;
        };
        return new SequenceReader(source, chunkSteps, space, lines, null, rows, start,
                new Form(Form.Kind.STEP_LINES, null));
    }

    // A symbol written as a bare index: only for a model that declares integer symbols (ObservationSpace.align).
    private static void bareIndex(double v, ObservationSpace space, String where) {
        String number = v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        if (v < 0 || v != Math.rint(v)) {
            throw new DataException(where + ": observation: " + number + " is not a symbol (neither a name nor an "
                    + "integer index)");
        }
        if (!space.integerSymbols()) {
            throw new DataException(where + ": observation: the symbol is given as the index " + number
                    + ", but the model names its symbols (" + listed(space.symbolNames()) + "); write the names");
        }
        if (v >= space.size()) {
            throw new DataException(where + ": observation: " + number + " is not a symbol of the model, which emits "
                    + "symbols 0.." + (space.size() - 1));
        }
    }
}
