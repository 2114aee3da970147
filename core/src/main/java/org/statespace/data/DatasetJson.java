package org.statespace.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import org.statespace.DataException;
import org.statespace.ResourceException;
import org.statespace.io.AtomicFiles;
import org.statespace.spec.Field;
import org.statespace.spec.Fields;
import org.statespace.spec.Json;
import org.statespace.spec.Shape;
import org.statespace.spec.Suggestions;

/**
 * Reads and writes datasets as JSON:
 *
 * <pre>{@code
 * {"observationType": "symbols",            // optional: "symbols" or "real"
 *  "support": "symbols",                    // optional: "counts", "real" or "symbols" (else inferred)
 *  "symbols": ["1", "2", "3"],              // optional names; observations may then be names
 *  "stateNames": ["fair", "loaded"],        // optional names of the known hidden states
 *  "sequences": [
 *    {"id": "s1", "observations": [0, 1, null, 1],
 *     "inputs": [[0.5], [0.1], [0.0], [1.2]],  // optional, one row per observation
 *     "states": [0, 0, 1, 1]}]}                // optional known hidden states (names, with "stateNames")
 * }</pre>
 *
 * An observation is a number, a symbol (a name from {@code "symbols"}, or an index into that list), an
 * array of numbers (a vector whose components may be {@code null}), or {@code null} (missing). The
 * {@code "symbols"} list is the dataset's own alphabet: a model matches it to its alphabet by name
 * ({@link org.statespace.ObservationSpace#align}), so its order and whether it holds every symbol of the
 * model do not matter. Integer observations without a {@code "symbols"} list are bare symbol indices,
 * which only a model with integer symbols accepts. Writing puts named symbols by name. Reading streams the
 * file, so long sequences cost their numbers and no tree; every error names the file, line, column and
 * JSON path.
 */
public final class DatasetJson {
    private DatasetJson() {
    }

    private static final Shape NUMBER_OR_NULL = Shape.anyOf(Shape.number(), Shape.nullValue());

    /** The fields of one sequence (the reader's unknown-field check and the schema both use them). */
    public static final Fields SEQUENCE_FIELDS = Fields.of("dataset sequence", "One sequence of a dataset.",
            Field.optional("id", Shape.anyOf(Shape.text(), Shape.integer()).summarised("string (or integer)"),
                    "the sequence's name in results; default \"s1\", \"s2\", ... by position").example("\"s1\""),
            Field.required("observations", Shape.arrayOf(Shape.anyOf(Shape.number(), Shape.text(), Shape.nullValue(),
                    Shape.arrayOf(NUMBER_OR_NULL, true)), false).summarised("array of numbers, symbols, null or vectors"),
                    "one observation per step: a number, a symbol (a name from `symbols` or its index), a vector "
                            + "(array of numbers), or null for a missing one").example("[0, 1, null, 1]"),
            Field.optional("inputs", Shape.arrayOf(Shape.anyOf(Shape.number(), Shape.vector()), false)
                    .summarised("array of numbers or vectors"),
                    "exogenous inputs u_t, one row per observation").example("[[0.5], [0.1], [0.0], [1.2]]"),
            Field.optional("states", Shape.arrayOf(Shape.anyOf(Shape.number(), Shape.text(), Shape.nullValue(),
                    Shape.arrayOf(NUMBER_OR_NULL, true)), false).summarised("array of state indices, names, values, "
                    + "vectors or null"), "known hidden states, one per step: discrete states by index or name (names "
                    + "need `stateNames`), continuous ones as numbers or vectors").example("[0, 0, 1, 1]"));

    /** The fields of a dataset document. */
    public static final Fields FIELDS = Fields.of("dataset", "A dataset: sequences of observations, with optional "
            + "inputs and known states.",
            Field.optional("observationType", Shape.choice("symbols", "real"),
                    "whether observations are symbols or real values; inferred when absent").example("\"symbols\""),
            Field.optional("support", Shape.choice("counts", "real", "symbols"),
                    "the support of the observations; inferred when absent").example("\"counts\""),
            Field.optional("symbols", Shape.names(), "the alphabet's names; observations may then be names")
                    .example("[\"1\", \"2\", \"3\"]"),
            Field.optional("stateNames", Shape.names(), "names of the known hidden states")
                    .example("[\"fair\", \"loaded\"]"),
            Field.required("sequences", Shape.arrayOf(Shape.object(SEQUENCE_FIELDS), true), "the sequences"),
            Field.optional("provenance", Shape.any(), "where the data came from (kept, not read)"));

    // "did you mean ..." and the declared names, as SpecNode.requireObject(Fields) says them
    private static String unknownField(String name, Fields declared) {
        return Suggestions.didYouMean(name, declared.names()) + "expected one of " + String.join(", ", declared.names());
    }

    /** Reads a dataset file. */
    public static Dataset read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new ResourceException(file + ": no such file", e);
        } catch (IOException e) {
            throw new ResourceException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Reads a dataset from JSON text. */
    public static Dataset parse(String json, String source) {
        try {
            return read(new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), source);
        } catch (IOException e) {
            throw new ResourceException(source + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads one sequence object written on its own (a line of a JSON Lines file: the format of one entry of
     * {@code "sequences"}), its symbol names read against {@code symbols} (empty: bare indices or inferred).
     * Errors name {@code source} (say "data.jsonl line 17") and the column in that text.
     */
    public static Dataset parseSequence(String json, List<String> symbols, String source) {
        return parseSequence(json, Alphabet.of(symbols), source);
    }

    /** As {@link #parseSequence(String, List, String)} with the alphabet indexed once by the caller (one per file). */
    static Dataset parseSequence(String json, Alphabet symbols, String source) {
        return reading(source, true, () -> {
            try (JsonParser parser = Json.parser(new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))) {
                return new Reader(parser, source).readOneSequence(symbols);
            }
        });
    }

    /** What {@link #reading} runs: a read that may fail on the JSON or on I/O. */
    @FunctionalInterface
    private interface JsonRead<T> {
        T read() throws IOException;
    }

    /**
     * Runs {@code read}: malformed JSON is the error of a JSON Lines line ({@code line}) or of a document, naming
     * {@code source}; an I/O failure a ResourceException naming it.
     */
    private static <T> T reading(String source, boolean line, JsonRead<T> read) {
        try {
            return read.read();
        } catch (JsonProcessingException e) {
            throw line ? invalidLine(source, e) : invalidJson(source, e);
        } catch (IOException e) {
            throw new ResourceException(source + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** The fields of one line of a JSON Lines file with one step per line. */
    public static final Fields STEP_FIELDS = Fields.of("dataset step", "One step of a sequence, one per line of a "
            + "JSON Lines file; the lines of a sequence come together, in order.",
            Field.optional("sequence", Shape.anyOf(Shape.text(), Shape.integer()).summarised("string (or integer)"),
                    "the id of the sequence the step belongs to; default \"s1\"").example("\"s1\""),
            Field.optional("t", Shape.integer(), "the step's index (read past; steps are taken in line order)")
                    .example("0"),
            Field.required("observation", Shape.anyOf(Shape.number(), Shape.text(), Shape.nullValue(),
                    Shape.arrayOf(NUMBER_OR_NULL, true)).summarised("number, symbol, null or vector"),
                    "the observation: a number, a symbol's name (or index), a vector, or null for a missing one")
                    .example("1.5"),
            Field.optional("input", Shape.anyOf(Shape.number(), Shape.vector()).summarised("number or vector"),
                    "the exogenous input u_t").example("[0.5]"));

    /**
     * One line of a JSON Lines file with one step per line, as {@link #parseStep} reads it.
     *
     * @param sequence    the sequence id
     * @param observation its components ({@code NaN}: missing; a bare {@code null} is one NaN); a symbol is its
     *                    index in the alphabet given, or the bare index written when {@code named} is false
     * @param named       whether the observation was written as a symbol's name
     * @param input       the input row, or {@code null} when the line has none
     */
    record Step(String sequence, double[] observation, boolean named, double[] input) {
    }

    /**
     * Names and their indices, built once: a symbol of a sequence is looked up in O(1), not by a scan of the
     * list ({@code List.indexOf}), which made reading a long sequence over a long alphabet O(T·K).
     */
    record Alphabet(List<String> names, Map<String, Integer> index) {
        static final Alphabet NONE = new Alphabet(List.of(), Map.of());

        /** The names (without duplicates) indexed by position; empty for none. */
        static Alphabet of(List<String> names) {
            if (names.isEmpty()) {
                return NONE;
            }
            Map<String, Integer> index = new HashMap<>(names.size() * 2);
            for (int k = 0; k < names.size(); k++) {
                index.putIfAbsent(names.get(k), k);
            }
            return new Alphabet(List.copyOf(names), index);
        }

        boolean isEmpty() {
            return names.isEmpty();
        }

        /** The index of {@code name}, or -1. */
        int indexOf(String name) {
            Integer k = index.get(name);
            return k == null ? -1 : k;
        }
    }

    /**
     * Reads one line of a JSON Lines file with one step per line ({@link #STEP_FIELDS}) by the rules of a
     * sequence's entries (null missing, NaN refused, symbols by name in {@code symbols}); errors name
     * {@code source} and the column.
     */
    static Step parseStep(String json, Alphabet symbols, boolean symbolic, String source) {
        return reading(source, true, () -> {
            try (JsonParser parser = Json.parser(new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))) {
                return new Reader(parser, source).readStep(symbols, symbolic);
            }
        });
    }

    /**
     * A dataset document read one sequence at a time: the fields before {@code "sequences"} (which must hold
     * {@code "symbols"} when sequences name symbols), then each sequence as a one-sequence dataset. Errors
     * name the source, line, column and JSON path, as {@link #read(InputStream, String)} does.
     */
    static final class SequenceStream implements java.io.Closeable {
        private final JsonParser parser;
        private final Reader reader;
        private final String source;

        SequenceStream(InputStream in, String source) {
            this.source = source;
            this.parser = reading(source, false, () -> Json.parser(in));
            this.reader = new Reader(parser, source);
            reading(source, false, () -> {
                reader.openSequences();
                return null;
            });
        }

        /** A first pass ({@link Scan}) over the next sequence, or {@code null} after the last. */
        Scan nextScan() {
            return reading(source, false, reader::nextScan);
        }

        /** The next sequence (a dataset of one), or {@code null} after the last. */
        Dataset next() {
            return reading(source, false, reader::nextSequence);
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }

    /**
     * What a first pass over one sequence object found (the pass reads every element by the rules of
     * {@link #read} and checks what needs no value, but keeps no value): what {@link SequenceReader} needs to
     * read the sequence's arrays again, step by step, from their byte offsets.
     *
     * @param id             the sequence id (given, or "s1", "s2", ... by position)
     * @param length         the number of steps
     * @param width          the observation width
     * @param observationsAt the byte offset of the {@code "observations"} array in the parsed input
     * @param inputWidth     the input width, 0 without inputs
     * @param inputsAt       the byte offset of the {@code "inputs"} array, -1 without inputs
     * @param shape          a one-step dataset of missing values with the sequence's kind, widths and names
     * @param symbols        the names symbols were read against (NONE for none)
     * @param support        the declared support, or null
     */
    record Scan(String id, int length, int width, long observationsAt, int inputWidth, long inputsAt, Dataset shape,
            Alphabet symbols, Support support) {
    }

    /** A first pass ({@link Scan}) over one sequence object on its own (a line of JSON Lines), errors as parseSequence's. */
    static Scan scanSequence(InputStream line, Alphabet symbols, String source) {
        return reading(source, true, () -> {
            try (JsonParser parser = Json.parser(line)) {
                return new Reader(parser, source).scanOneSequence(symbols);
            }
        });
    }

    /**
     * The rows of a sequence's array read again one at a time, after a first pass ({@link Scan}) found it good: from
     * {@code in} positioned at the array's '[', each element read by the code that read it the first time.
     */
    static final class RowCursor implements java.io.Closeable {
        private final JsonParser parser;
        private final Reader reader;
        private final boolean allowMissing;

        RowCursor(InputStream in, String source, Alphabet symbols, boolean allowMissing) {
            this.allowMissing = allowMissing;
            this.parser = reading(source, false, () -> Json.parser(in));
            this.reader = new Reader(parser, source);
            reader.symbols = symbols.isEmpty() ? null : symbols;
            if (reading(source, false, parser::nextToken) != JsonToken.START_ARRAY) {
                throw new DataException(source + ": changed while it was read (an array is no longer where it was)");
            }
        }

        /** Reads the next row into {@code row} from {@code from} on (a bare null: {@code width} NaN); false at the end. */
        boolean next(double[] row, int from, int width) {
            try {
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_ARRAY) {
                    return false;
                }
                if (token == JsonToken.START_ARRAY) {
                    int j = 0;
                    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                        row[from + j++] = reader.scalar("", token, allowMissing, false, false);
                    }
                } else if (token == JsonToken.VALUE_NULL && allowMissing) {
                    java.util.Arrays.fill(row, from, from + width, Double.NaN);
                } else {
                    row[from] = reader.scalar("", token, allowMissing, true, false);
                }
                return true;
            } catch (JsonProcessingException e) {
                throw invalidJson(reader.source, e);
            } catch (IOException e) {
                throw new ResourceException(reader.source + ": cannot read (" + e.getMessage() + ")", e);
            }
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }

    /** Reads a dataset from a stream that {@code source} names in errors. */
    public static Dataset read(InputStream in, String source) throws IOException {
        try (JsonParser parser = Json.parser(in)) {
            return new Reader(parser, source).readDocument();
        } catch (JsonProcessingException e) {
            throw invalidJson(source, e);
        }
    }

    // an error in one line of a JSON Lines file: source names the line
    private static DataException invalidLine(String source, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return new DataException(source + (at == null ? "" : ", column " + at.getColumnNr()) + ": not valid JSON: "
                + Json.parseProblem(e), e);
    }

    private static DataException invalidJson(String source, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return new DataException(source + ": " + (at == null ? "" : "line " + at.getLineNr() + ", column "
                + at.getColumnNr() + ": ") + "not valid JSON: " + Json.parseProblem(e), e);
    }

    private static final class Reader {
        private final JsonParser parser;
        private final String source;
        private String declaredType;
        private Support declaredSupport;
        private Alphabet symbols;
        private Alphabet stateNames;
        private final List<RawSequence> raw = new ArrayList<>();
        private boolean sawStrings;
        private boolean oneLine;

        Reader(JsonParser parser, String source) {
            this.parser = parser;
            this.source = source;
        }

        private DataException error(String path, String problem) {
            JsonLocation at = parser.currentTokenLocation();
            return new DataException(source + (oneLine ? ", column " : ": line " + at.getLineNr() + ", column ")
                    + at.getColumnNr() + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
        }

        /** One sequence object, the whole of a JSON Lines line, read against a given alphabet. */
        Dataset readOneSequence(Alphabet alphabet) throws IOException {
            oneLine = true;
            symbols = alphabet.isEmpty() ? null : alphabet;
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_OBJECT) {
                throw error("", "a line must be one sequence object ({\"id\": ..., \"observations\": [...]}), got "
                        + describe(token));
            }
            raw.add(readSequence("", 0));
            if (parser.nextToken() != null) {
                throw error("", "unexpected content after the sequence object");
            }
            return build();
        }

        private String describe(JsonToken token) throws IOException {
            if (token == null) {
                return "end of input";
            }
            return switch (token) {
                case VALUE_STRING -> "string \"" + abbreviate(parser.getText()) + "\"";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number " + parser.getText();
                case VALUE_TRUE, VALUE_FALSE -> parser.getText();
                case VALUE_NULL -> "null";
                case START_ARRAY -> "an array";
                case START_OBJECT -> "an object";
                default -> token.asString() == null ? token.name() : token.asString();
            };
        }

        private static String abbreviate(String s) {
            return s.length() > 40 ? s.substring(0, 40) + "..." : s;
        }

        Dataset readDocument() throws IOException {
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_OBJECT) {
                throw error("", "a dataset must be a JSON object with \"sequences\", got " + describe(token));
            }
            boolean sawSequences = false;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                token = parser.nextToken();
                if (name.equals("sequences")) {
                    readSequences(token);
                    sawSequences = true;
                } else {
                    readDocumentField(name, token);
                }
            }
            if (parser.nextToken() != null) {
                throw error("", "unexpected content after the dataset object");
            }
            if (!sawSequences) {
                throw new DataException(source + ": sequences: missing field");
            }
            return build();
        }

        // A field of the dataset object other than "sequences".
        private void readDocumentField(String name, JsonToken token) throws IOException {
            switch (name) {
                case "observationType" -> {
                    if (token != JsonToken.VALUE_STRING
                            || !(parser.getText().equals("symbols") || parser.getText().equals("real"))) {
                        throw error(name, "expected \"symbols\" or \"real\", got " + describe(token));
                    }
                    declaredType = parser.getText();
                }
                case "symbols" -> symbols = Alphabet.of(readNames(name, token));
                case "stateNames" -> stateNames = Alphabet.of(readNames(name, token));
                case "support" -> {
                    if (token != JsonToken.VALUE_STRING) {
                        throw error(name, "expected \"counts\", \"real\" or \"symbols\", got " + describe(token));
                    }
                    try {
                        declaredSupport = Support.fromJsonName(parser.getText());
                    } catch (IllegalArgumentException e) {
                        throw error(name, "expected \"counts\", \"real\" or \"symbols\", got " + describe(token));
                    }
                }
                case "provenance" -> parser.skipChildren();
                default -> throw error(name, "unknown field; " + unknownField(name, FIELDS));
            }
        }

        // ---- sequence by sequence (SequenceReader): the fields before "sequences", then one sequence a call

        private int streamed = -1; // sequences read so far; -1 before "sequences"

        /** Reads up to the first element of "sequences"; the fields it needs ("symbols", ...) come before it. */
        void openSequences() throws IOException {
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_OBJECT) {
                throw error("", "a dataset must be a JSON object with \"sequences\", got " + describe(token));
            }
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                token = parser.nextToken();
                if (name.equals("sequences")) {
                    if (token != JsonToken.START_ARRAY) {
                        throw error("sequences", "expected an array of sequences, got " + describe(token));
                    }
                    streamed = 0;
                    return;
                }
                readDocumentField(name, token);
            }
            throw new DataException(source + ": sequences: missing field");
        }

        /** The next sequence as a one-sequence dataset, or null after the last (the rest of the object checked). */
        Dataset nextSequence() throws IOException {
            RawSequence r = nextRaw();
            return r == null ? null : dataset(kind(), List.of(sequence(r)));
        }

        /** A first pass over the next sequence, or null after the last. */
        Scan nextScan() throws IOException {
            counting = true;
            RawSequence r = nextRaw();
            return r == null ? null : scan(r);
        }

        private RawSequence nextRaw() throws IOException {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_ARRAY) {
                if (streamed == 0) {
                    throw error("sequences", "a dataset needs at least one sequence");
                }
                while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    token = parser.nextToken();
                    if (name.equals("sequences")) {
                        throw error(name, "appears twice");
                    }
                    readDocumentField(name, token);
                }
                if (parser.nextToken() != null) {
                    throw error("", "unexpected content after the dataset object");
                }
                return null;
            }
            String path = "sequences[" + streamed + "]";
            if (token != JsonToken.START_OBJECT) {
                throw error(path, "expected a sequence object, got " + describe(token));
            }
            RawSequence r = readSequence(path, streamed);
            streamed++;
            return r;
        }

        // ---- one step per line (SequenceReader)

        /** One step object, the whole of a JSON Lines line; symbol names read against {@code alphabet}. */
        Step readStep(Alphabet alphabet, boolean symbolic) throws IOException {
            oneLine = true;
            symbols = alphabet.isEmpty() ? null : alphabet;
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_OBJECT) {
                throw error("", "a line must be one step object ({\"sequence\": ..., \"observation\": ...}), got "
                        + describe(token));
            }
            String id = "s1";
            double[] observation = null;
            double[] input = null;
            boolean named = false;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                token = parser.nextToken();
                switch (name) {
                    case "sequence" -> {
                        if (token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NUMBER_INT) {
                            throw error(name, "expected a string, got " + describe(token));
                        }
                        id = parser.getText();
                    }
                    case "t" -> {
                        if (token != JsonToken.VALUE_NUMBER_INT) {
                            throw error(name, "expected an integer step, got " + describe(token));
                        }
                    }
                    case "observation" -> {
                        sawStrings = false;
                        observation = readStepValue(name, token, true, symbolic);
                        named = sawStrings;
                    }
                    case "input" -> input = readStepValue(name, token, false, false);
                    default -> throw error(name, "unknown field; " + unknownField(name, STEP_FIELDS));
                }
            }
            if (parser.nextToken() != null) {
                throw error("", "unexpected content after the step object");
            }
            if (observation == null) {
                throw error("", "missing field \"observation\"");
            }
            return new Step(id, observation, named, input);
        }

        // a number, symbol or null (one component), or an array of numbers and nulls (a vector)
        private double[] readStepValue(String at, JsonToken token, boolean allowMissing, boolean symbolic)
                throws IOException {
            if (token != JsonToken.START_ARRAY) {
                if (token == JsonToken.VALUE_STRING && !symbolic) {
                    throw error(at, "expected a number, got " + describe(token));
                }
                return new double[] {scalar(at, token, allowMissing, true, false)};
            }
            Rows row = new Rows();
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                row.add(scalar(at + "[" + row.size + "]", token, allowMissing, false, false));
            }
            if (row.size == 0) {
                throw error(at, "an empty vector");
            }
            return java.util.Arrays.copyOf(row.data, row.size);
        }

        private List<String> readNames(String path, JsonToken token) throws IOException {
            if (token != JsonToken.START_ARRAY) {
                throw error(path, "expected an array of names, got " + describe(token));
            }
            List<String> names = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>(); // a list's contains made a long alphabet quadratic
            int i = 0;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token != JsonToken.VALUE_STRING) {
                    throw error(path + "[" + i + "]", "expected a name, got " + describe(token));
                }
                if (!seen.add(parser.getText())) {
                    throw error(path + "[" + i + "]", "duplicate symbol \"" + parser.getText() + "\"");
                }
                names.add(parser.getText());
                i++;
            }
            if (names.isEmpty()) {
                throw error(path, "must not be empty");
            }
            return names;
        }

        private void readSequences(JsonToken token) throws IOException {
            if (token != JsonToken.START_ARRAY) {
                throw error("sequences", "expected an array of sequences, got " + describe(token));
            }
            int i = 0;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                String path = "sequences[" + i + "]";
                if (token != JsonToken.START_OBJECT) {
                    throw error(path, "expected a sequence object, got " + describe(token));
                }
                raw.add(readSequence(path, i));
                i++;
            }
            if (raw.isEmpty()) {
                throw error("sequences", "a dataset needs at least one sequence");
            }
        }

        private RawSequence readSequence(String path, int index) throws IOException {
            RawSequence s = new RawSequence();
            s.path = path;
            s.line = parser.currentTokenLocation().getLineNr();
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                token = parser.nextToken();
                String at = path.isEmpty() ? name : path + "." + name;
                switch (name) {
                    case "id" -> {
                        if (token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NUMBER_INT) {
                            throw error(at, "expected a string, got " + describe(token));
                        }
                        s.id = parser.getText();
                    }
                    case "observations" -> {
                        s.observationsAt = parser.currentTokenLocation().getByteOffset();
                        s.observations = readRows(at, token, true, false);
                    }
                    case "inputs" -> {
                        s.inputsAt = parser.currentTokenLocation().getByteOffset();
                        s.inputs = readRows(at, token, false, false);
                    }
                    case "states" -> s.states = readRows(at, token, true, true);
                    default -> throw error(at, "unknown field; " + unknownField(name, SEQUENCE_FIELDS));
                }
            }
            if (s.observations == null) {
                throw error(path, "missing field \"observations\"");
            }
            if (s.id == null) {
                s.id = "s" + (index + 1);
            }
            return s;
        }

        // Reads an array whose elements are numbers, symbols, nulls or arrays of numbers/nulls.
        private Rows readRows(String path, JsonToken token, boolean allowMissing, boolean states) throws IOException {
            if (token != JsonToken.START_ARRAY) {
                throw error(path, "expected an array, got " + describe(token));
            }
            Rows rows = new Rows(counting);
            int t = 0;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                String at = path + "[" + t + "]";
                if (token == JsonToken.START_ARRAY) {
                    int width = 0;
                    int start = rows.size;
                    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                        rows.add(scalar(at + "[" + width + "]", token, allowMissing, false, false));
                        width++;
                    }
                    if (width == 0) {
                        throw error(at, "an empty vector");
                    }
                    rows.endRow(width, start, at, this, false);
                } else {
                    int start = rows.size;
                    rows.add(scalar(at, token, allowMissing, true, states));
                    rows.endRow(-1, start, at, this, token == JsonToken.VALUE_NULL);
                }
                t++;
            }
            return rows;
        }

        private double scalar(String at, JsonToken token, boolean allowMissing, boolean allowSymbol, boolean state)
                throws IOException {
            switch (token) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                    double v = parser.getDoubleValue();
                    if (Double.isNaN(v)) {
                        throw error(at, "NaN is not a value" + (allowMissing ? "; write null for a missing observation" : ""));
                    }
                    if (!Double.isFinite(v)) {
                        throw error(at, "not a finite number: " + parser.getText());
                    }
                    return v;
                }
                case VALUE_NULL -> {
                    if (!allowMissing) {
                        throw error(at, "cannot be missing (null)");
                    }
                    return Double.NaN;
                }
                case VALUE_STRING -> {
                    if (!allowSymbol || !allowMissing) {
                        throw error(at, "expected a number, got " + describe(token));
                    }
                    String name = parser.getText();
                    if (state) {
                        return named(at, name, stateNames, "state", "stateNames");
                    }
                    int k = named(at, name, symbols, "symbol", "symbols");
                    sawStrings = true;
                    return k;
                }
                default -> throw error(at, "expected a number, " + (allowMissing ? "null, " : "")
                        + "or an array, got " + describe(token));
            }
        }

        // the index of a state's or symbol's name in its list, or the error naming the list it needs or the known names
        private int named(String at, String name, Alphabet names, String what, String field) {
            if (names == null) {
                throw error(at, "the " + what + " \"" + abbreviate(name) + "\" needs a \"" + field + "\" list naming the "
                        + (what.equals("state") ? "states" : "alphabet") + " before \"sequences\"");
            }
            int k = names.indexOf(name);
            if (k < 0) {
                throw error(at, "unknown " + what + " \"" + abbreviate(name) + "\"; " + what + "s are "
                        + String.join(", ", names.names()));
            }
            return k;
        }

        private ObservationKind kind() {
            ObservationKind kind;
            if (declaredType != null) {
                kind = declaredType.equals("symbols") ? ObservationKind.SYMBOLS : ObservationKind.REAL;
                if (kind == ObservationKind.REAL && symbols != null) {
                    throw new DataException(source + ": symbols: a \"real\" dataset has no symbol names");
                }
            } else {
                kind = symbols != null || sawStrings || declaredSupport == Support.SYMBOLS ? ObservationKind.SYMBOLS
                        : ObservationKind.REAL;
            }
            return kind;
        }

        private Dataset build() {
            ObservationKind kind = kind();
            List<Sequence> sequences = new ArrayList<>(raw.size());
            Map<String, String> ids = new HashMap<>();
            for (RawSequence r : raw) {
                String previous = ids.put(r.id, r.path);
                if (previous != null) {
                    throw new DataException(source + ": " + r.path + ".id: \"" + r.id + "\" is also the id of " + previous);
                }
                sequences.add(sequence(r));
            }
            return dataset(kind, sequences);
        }

        // One sequence as the file gives it.
        private Sequence sequence(RawSequence r) {
            checkRows(r);
            double[] values = r.observations.values();
            int d = r.observations.width;
            Sequence s = Sequence.of(r.id, d, values);
            if (r.inputs != null) {
                double[] u = r.inputs.values();
                s = s.withInputs(r.inputs.width, u);
            }
            if (r.states != null) {
                double[] h = r.states.values();
                s = s.withStates(r.states.width, h);
            }
            return s;
        }

        // a sequence has observations, and as many rows of inputs and states
        private void checkRows(RawSequence r) {
            int length = r.observations.rows;
            if (length == 0) {
                throw new DataException(source + ": " + r.path + ".observations: a sequence needs at least one observation");
            }
            if (r.inputs != null && r.inputs.rows != length) {
                throw new DataException(source + ": " + r.path + ".inputs: " + r.inputs.rows
                        + " rows, but there are " + length + " observations");
            }
            if (r.states != null && r.states.rows != length) {
                throw new DataException(source + ": " + r.path + ".states: " + r.states.rows
                        + " rows, but there are " + length + " observations");
            }
        }

        // ---- a first pass over one sequence (SequenceReader reads its arrays afterwards, step by step)

        private boolean counting;

        /** A first pass over one sequence object, the whole of a JSON Lines line. */
        Scan scanOneSequence(Alphabet alphabet) throws IOException {
            counting = true;
            oneLine = true;
            symbols = alphabet.isEmpty() ? null : alphabet;
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_OBJECT) {
                throw error("", "a line must be one sequence object ({\"id\": ..., \"observations\": [...]}), got "
                        + describe(token));
            }
            RawSequence r = readSequence("", 0);
            if (parser.nextToken() != null) {
                throw error("", "unexpected content after the sequence object");
            }
            return scan(r);
        }

        // Everything about a counted sequence but its values: the checks of build() and dataset() that need no
        // value, made on a stand-in of one missing step with the sequence's widths.
        private Scan scan(RawSequence r) {
            checkRows(r);
            int d = r.observations.width == -2 ? 1 : r.observations.width;
            double[] missing = new double[d];
            java.util.Arrays.fill(missing, Double.NaN);
            Sequence s = Sequence.of(r.id, d, missing);
            int p = 0;
            if (r.inputs != null) {
                p = r.inputs.width == -2 ? 1 : r.inputs.width;
                s = s.withInputs(p, new double[p]);
            }
            if (r.states != null) {
                int k = r.states.width == -2 ? 1 : r.states.width;
                s = s.withStates(k, new double[k]);
            }
            Dataset shape = dataset(kind(), List.of(s));
            return new Scan(r.id, r.observations.rows, d, r.observationsAt, p, r.inputsAt, shape,
                    symbols == null ? Alphabet.NONE : symbols, declaredSupport);
        }

        private Dataset dataset(ObservationKind kind, List<Sequence> sequences) {
            Dataset data;
            try {
                data = Dataset.of(kind, sequences, symbols == null ? List.of() : symbols.names());
                if (stateNames != null) {
                    data = data.withStateNames(stateNames.names());
                }
            } catch (DataException e) {
                throw new DataException(source + ": " + e.getMessage(), e);
            }
            if (declaredSupport == null) {
                return data;
            }
            try {
                return data.withSupport(declaredSupport);
            } catch (DataException e) {
                throw new DataException(source + ": " + e.getMessage(), e);
            }
        }
    }

    // A growable packed array of rows of equal width; a row given as a bare null (a missing vector)
    // takes its width from the others when the array ends.
    private static final class Rows {
        double[] data = new double[256];
        int size;
        int rows;
        int width = -2; // unknown
        java.util.BitSet nullRows = new java.util.BitSet();
        final boolean counting; // a first pass (SequenceReader): rows and widths counted, values not kept

        Rows() {
            this(false);
        }

        Rows(boolean counting) {
            this.counting = counting;
            if (counting) {
                data = null;
            }
        }

        void add(double v) {
            if (counting) {
                size++;
                return;
            }
            if (size == data.length) {
                data = java.util.Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = v;
        }

        // rowWidth -1 marks a scalar element (a row of width 1 written without brackets)
        void endRow(int rowWidth, int start, String at, Reader reader, boolean bareNull) {
            if (bareNull) {
                size = start;
                if (!counting) {
                    nullRows.set(rows);
                }
                rows++;
                return;
            }
            int w = rowWidth < 0 ? 1 : rowWidth;
            if (width == -2) {
                width = w;
            } else if (w != width) {
                throw reader.error(at, "has " + w + " components but earlier rows have " + width);
            }
            rows++;
        }

        double[] values() {
            if (width == -2) {
                width = 1;
            }
            double[] out = new double[rows * width];
            int from = 0;
            for (int r = 0; r < rows; r++) {
                if (nullRows.get(r)) {
                    java.util.Arrays.fill(out, r * width, (r + 1) * width, Double.NaN);
                } else {
                    System.arraycopy(data, from, out, r * width, width);
                    from += width;
                }
            }
            return out;
        }
    }

    private static final class RawSequence {
        String id;
        String path;
        int line;
        Rows observations;
        Rows inputs;
        Rows states;
        long observationsAt = -1; // byte offsets of the arrays' '[' in the parser's input
        long inputsAt = -1;
    }

    // ----------------------------------------------------------------------------------------------

    /** Writes a dataset atomically. */
    public static void write(Dataset data, Path file) {
        write(data, file, null);
    }

    /**
     * Writes a dataset atomically with a {@code "provenance"} object (seed, model, tool version) that
     * readers skip.
     */
    public static void write(Dataset data, Path file, com.fasterxml.jackson.databind.JsonNode provenance) {
        AtomicFiles.write(file, out -> write(data, out, provenance));
    }

    /** The dataset as JSON text. */
    public static String toJson(Dataset data) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            write(data, out, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Streams the dataset as JSON: one field per line, each array on one line, integers without a decimal point. */
    public static void write(Dataset data, OutputStream out, com.fasterxml.jackson.databind.JsonNode provenance)
            throws IOException {
        JsonGenerator g = Json.mapper().getFactory().createGenerator(out, JsonEncoding.UTF8);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        // objects one field per line, arrays (observations) on one line
        g.useDefaultPrettyPrinter();
        g.writeStartObject();
        g.writeStringField("observationType", data.kind().jsonName());
        if (data.supportDeclared()) {
            g.writeStringField("support", data.support().jsonName());
        }
        if (!data.symbolNames().isEmpty()) {
            g.writeArrayFieldStart("symbols");
            for (String s : data.symbolNames()) {
                g.writeString(s);
            }
            g.writeEndArray();
        }
        if (!data.stateNames().isEmpty()) {
            g.writeArrayFieldStart("stateNames");
            for (String s : data.stateNames()) {
                g.writeString(s);
            }
            g.writeEndArray();
        }
        if (provenance != null) {
            g.writeFieldName("provenance");
            Json.mapper().writeTree(g, provenance);
        }
        // Named symbols are written by name, so the file reads the same whatever the order of its list;
        // an alphabet "0".."M-1" keeps its indices, which are the same numbers.
        boolean named = !data.symbolNames().isEmpty() && !Dataset.isIntegerNames(data.symbolNames());
        g.writeArrayFieldStart("sequences");
        for (Sequence s : data.sequences()) {
            g.writeStartObject();
            g.writeStringField("id", s.id());
            g.writeFieldName("observations");
            if (named) {
                writeNames(g, s.observations(), data.symbolNames());
            } else {
                writeRows(g, s.observations(), s.length(), s.dimension(), data.kind() == ObservationKind.REAL && s.dimension() > 1);
            }
            if (s.inputDimension() > 0) {
                g.writeFieldName("inputs");
                writeRows(g, s.inputs(), s.length(), s.inputDimension(), true);
            }
            if (s.hasStates()) {
                g.writeFieldName("states");
                if (data.stateNames().isEmpty()) {
                    writeRows(g, s.states().orElseThrow(), s.length(), s.stateDimension(), s.stateDimension() > 1);
                } else {
                    writeNames(g, s.states().orElseThrow(), data.stateNames());
                }
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeRaw('\n');
        g.flush();
    }

    private static void writeNames(JsonGenerator g, double[] indices, List<String> names) throws IOException {
        g.writeStartArray();
        for (double v : indices) {
            if (Double.isNaN(v)) {
                g.writeNull();
            } else {
                g.writeString(names.get((int) v));
            }
        }
        g.writeEndArray();
    }

    // A wholly missing vector is written as a bare null, which takes its width from the other rows; a
    // sequence with no other row writes its missing vectors as arrays of nulls, so its width is kept.
    private static void writeRows(JsonGenerator g, double[] packed, int rows, int width, boolean vectors)
            throws IOException {
        boolean anyObserved = false;
        for (int i = 0; i < rows * width && !anyObserved; i++) {
            anyObserved = !Double.isNaN(packed[i]);
        }
        g.writeStartArray();
        for (int t = 0; t < rows; t++) {
            if (vectors) {
                boolean allMissing = true;
                for (int j = 0; j < width; j++) {
                    allMissing &= Double.isNaN(packed[t * width + j]);
                }
                if (allMissing && anyObserved) {
                    g.writeNull();
                    continue;
                }
                g.writeStartArray();
                for (int j = 0; j < width; j++) {
                    writeNumber(g, packed[t * width + j]);
                }
                g.writeEndArray();
            } else {
                writeNumber(g, packed[t]);
            }
        }
        g.writeEndArray();
    }

    // NaN is a missing value (null); an infinity cannot be in a dataset (the readers refuse it), so one here is
    // a bug upstream and is refused rather than written as the string Jackson would make of it
    private static void writeNumber(JsonGenerator g, double v) throws IOException {
        if (Double.isNaN(v)) {
            g.writeNull();
        } else if (Double.isInfinite(v)) {
            throw new Json.NonFiniteNumberException(v, "a dataset value");
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15 && !(v == 0 && 1 / v < 0)) {
            g.writeNumber((long) v);
        } else {
            g.writeNumber(v);
        }
    }
}
