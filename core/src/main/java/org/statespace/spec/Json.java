package org.statespace.spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.ResourceException;
import org.statespace.SpecException;

/**
 * The one JSON configuration of the toolkit: strict reading (duplicate keys and trailing content are
 * errors; the non-standard tokens {@code NaN} and {@code Infinity} are parsed so that the readers can
 * reject them with the path of the field that holds them), pretty, deterministic writing, and helpers
 * to turn arrays into nodes. Parse errors become {@link SpecException}s that name the line and column.
 *
 * <h2>Non-finite numbers</h2>
 * In every JSON file of the toolkit {@code null} means a missing observation and nothing else, so no
 * writer may turn NaN or an infinity into {@code null}. The policy:
 * <ul>
 *   <li>{@link #number} and {@link #vector}/{@link #matrix} write finite numbers only. A non-finite value
 *       reaching them is a bug upstream (the computation should have raised a
 *       {@link org.statespace.NumericalException} naming the sequence and step, or left the field out),
 *       so they throw {@link NonFiniteNumberException}, an internal error, instead of writing anything.</li>
 *   <li>{@link #extendedNumber} is for the few fields where a non-finite value is a legitimate result
 *       (a log-likelihood of -∞ that a library caller asked for, a metric of a model that gave an
 *       observation probability zero): it writes the JSON strings {@code "-Infinity"}, {@code "Infinity"}
 *       and {@code "NaN"}, which {@link #doubleValue} reads back.</li>
 *   <li>{@link #write} checks the whole tree before it writes a byte: a non-finite floating-point node
 *       put there by any other path (a raw {@code ObjectNode.put(name, double)}) is the same internal
 *       error, naming its JSON path, so a new writer that forgets the rule fails in its first test.</li>
 *   <li>{@link #optionalNumber} leaves out a field whose NaN means "does not apply" (an accuracy for
 *       real-valued data); readers take an absent field as NaN.</li>
 *   <li>{@link #missing(ArrayNode)} writes the one {@code null} there is: a missing observation (or a
 *       per-step value aligned with one, such as the log-density of a missing step).</li>
 * </ul>
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private Json() {
    }

    /** The shared mapper (thread-safe; do not reconfigure). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /** Parses JSON text; {@code source} names it in errors. */
    public static JsonNode parse(String text, String source) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw parseError(source, e);
        }
    }

    /** Parses a JSON file; a missing or unreadable file is a {@link ResourceException}. */
    public static JsonNode read(Path file) {
        String source = file.toString();
        try (InputStream in = Files.newInputStream(file)) {
            JsonNode node = MAPPER.readTree(in);
            if (node == null || node.isMissingNode()) {
                throw new SpecException(source, "", "the file is empty");
            }
            return node;
        } catch (NoSuchFileException e) {
            throw new ResourceException(source + ": no such file", e);
        } catch (JsonProcessingException e) {
            throw parseError(source, e);
        } catch (IOException e) {
            throw new ResourceException(source + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Parses JSON from a stream that {@code source} names. */
    public static JsonNode read(InputStream in, String source) {
        try {
            JsonNode node = MAPPER.readTree(in);
            if (node == null || node.isMissingNode()) {
                throw new SpecException(source, "", "the input is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw parseError(source, e);
        } catch (IOException e) {
            throw new ResourceException(source + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Writes a node as pretty JSON text with a final newline.
     *
     * @throws NonFiniteNumberException when the tree holds a NaN or infinite number (see the class
     *                                  comment); nothing is written then
     */
    public static String write(JsonNode node) {
        requireFinite(node, "$");
        try {
            return MAPPER.writeValueAsString(node) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    /** A Jackson parse failure as a one-line spec error with line and column. */
    public static SpecException parseError(String source, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new SpecException(source, where, "not valid JSON: " + parseProblem(e));
    }

    /**
     * Jackson's own words for a parse failure, without its source descriptions: a message such as
     * "expected close marker for Array (start marker at [Source: (…InputStream); line: 1, column: 59])"
     * becomes "… (start marker at line 1, column 59)".
     */
    public static String parseProblem(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage());
        return message.replaceAll("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)\\]", "line $1, column $2")
                .replaceAll("\\s*\\[Source: [^\\]]*\\]", "")
                // Jackson's limits name the Java method that sets them: "(1000, from `StreamReadConstraints...`)"
                .replaceAll(",\\s*from `[^`]*`", "")
                // and any other Java name it quotes (`com.fasterxml...`, `java.lang.String`)
                .replaceAll("`(?:com\\.fasterxml|java)\\.[^`]*`", "a value")
                .replaceAll("\\b(?:StreamReadConstraints|StreamWriteConstraints|JsonParser|JsonToken)\\.[A-Za-z_]+(?:\\(\\))?", "")
                .replaceAll("\\(\\s*\\)", "")
                .strip();
    }

    /** A configured streaming parser factory for readers that do not want a tree. */
    public static JsonParser parser(InputStream in) throws IOException {
        return MAPPER.getFactory().createParser(in);
    }

    /** {@code values} as a JSON array. */
    public static ArrayNode vector(double[] values) {
        ArrayNode a = array();
        for (double v : values) {
            number(a, v);
        }
        return a;
    }

    /** {@code values[from..to)} as a JSON array. */
    public static ArrayNode vector(double[] values, int from, int to) {
        ArrayNode a = array();
        for (int i = from; i < to; i++) {
            number(a, values[i]);
        }
        return a;
    }

    /** Integers as a JSON array. */
    public static ArrayNode vector(int[] values) {
        ArrayNode a = array();
        for (int v : values) {
            a.add(v);
        }
        return a;
    }

    /** A row-major rows×cols array as nested JSON arrays. */
    public static ArrayNode matrix(double[] packed, int rows, int cols) {
        ArrayNode a = array();
        for (int i = 0; i < rows; i++) {
            a.add(vector(packed, i * cols, (i + 1) * cols));
        }
        return a;
    }

    /** Nested arrays. */
    public static ArrayNode matrix(double[][] rows) {
        ArrayNode a = array();
        for (double[] row : rows) {
            a.add(vector(row));
        }
        return a;
    }

    /**
     * Adds a number, writing an integral value as an integer so that {@code 1} stays {@code 1}.
     *
     * @throws NonFiniteNumberException when {@code v} is NaN or infinite: JSON has no such numbers, and
     *                                  {@code null} would read as a missing value (see the class comment)
     */
    public static void number(ArrayNode a, double v) {
        if (!Double.isFinite(v)) {
            throw new NonFiniteNumberException(v, "an array element");
        }
        addFinite(a, v);
    }

    private static void addFinite(ArrayNode a, double v) {
        if (isSmallInt(v)) {
            a.add((int) v);
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15 && !(v == 0 && 1 / v < 0)) {
            a.add((long) v);
        } else {
            a.add(v);
        }
    }

    // Integral values in int range are written as ints, as a parser reads them back (IntNode).
    private static boolean isSmallInt(double v) {
        return v == Math.rint(v) && v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE && !(v == 0 && 1 / v < 0);
    }

    /**
     * Puts a number under {@code name} with the same rules as {@link #number(ArrayNode, double)}.
     *
     * @throws NonFiniteNumberException when {@code v} is NaN or infinite
     */
    public static void number(ObjectNode o, String name, double v) {
        if (!Double.isFinite(v)) {
            throw new NonFiniteNumberException(v, "field \"" + name + "\"");
        }
        putFinite(o, name, v);
    }

    private static void putFinite(ObjectNode o, String name, double v) {
        if (isSmallInt(v)) {
            o.put(name, (int) v);
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15 && !(v == 0 && 1 / v < 0)) {
            o.put(name, (long) v);
        } else {
            o.put(name, v);
        }
    }

    /**
     * Adds a number where a non-finite value is a legitimate result: a finite value as by
     * {@link #number(ArrayNode, double)}, a non-finite one as the string {@code "-Infinity"},
     * {@code "Infinity"} or {@code "NaN"} (never {@code null}).
     */
    public static void extendedNumber(ArrayNode a, double v) {
        if (Double.isFinite(v)) {
            addFinite(a, v);
        } else {
            a.add(nonFiniteName(v));
        }
    }

    /** Puts a number under {@code name} as {@link #extendedNumber(ArrayNode, double)} adds it. */
    public static void extendedNumber(ObjectNode o, String name, double v) {
        if (Double.isFinite(v)) {
            putFinite(o, name, v);
        } else {
            o.put(name, nonFiniteName(v));
        }
    }

    /**
     * Puts a number whose NaN means "does not apply" (an accuracy for real-valued data, a standard
     * deviation over one seed): NaN leaves the field out, an infinity is written as by
     * {@link #extendedNumber(ObjectNode, String, double)}, a finite value as by
     * {@link #number(ObjectNode, String, double)}. A reader takes an absent field as NaN.
     */
    public static void optionalNumber(ObjectNode o, String name, double v) {
        if (!Double.isNaN(v)) {
            extendedNumber(o, name, v);
        }
    }

    /**
     * {@code values} as a JSON array with non-finite entries as the strings of
     * {@link #extendedNumber(ArrayNode, double)}: for a spec built from a caller's arrays and then read,
     * so that the reader rejects a NaN with the path of the field that holds it.
     */
    public static ArrayNode extendedVector(double[] values) {
        ArrayNode a = array();
        for (double v : values) {
            extendedNumber(a, v);
        }
        return a;
    }

    /** Nested arrays as {@link #extendedVector(double[])} writes each row. */
    public static ArrayNode extendedMatrix(double[][] rows) {
        ArrayNode a = array();
        for (double[] row : rows) {
            a.add(extendedVector(row));
        }
        return a;
    }

    /** Adds {@code null}, the mark of a missing observation (and of nothing else). */
    public static void missing(ArrayNode a) {
        a.addNull();
    }

    /** The JSON string written for a non-finite value: "-Infinity", "Infinity" or "NaN". */
    static String nonFiniteName(double v) {
        return Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
    }

    /**
     * Reads a number written by {@link #number} or {@link #extendedNumber}: a JSON number, or one of the
     * strings "-Infinity", "Infinity", "NaN". Anything else (including {@code null}) is NaN when
     * {@code node} is {@code null} or missing, and a {@link SpecException} naming {@code path} otherwise.
     *
     * @param source the file, for the error message
     * @param path   the JSON path of {@code node}, for the error message
     */
    public static double doubleValue(JsonNode node, String source, String path) {
        if (node != null && node.isNumber()) {
            return node.asDouble();
        }
        if (node != null && node.isTextual()) {
            switch (node.asText()) {
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "NaN":
                    return Double.NaN;
                default:
                    break;
            }
        }
        throw new SpecException(source, path, "expected a number (or \"-Infinity\", \"Infinity\", \"NaN\"), got "
                + (node == null ? "nothing" : node.toString()));
    }

    // The check of write(): every floating-point node finite.
    private static void requireFinite(JsonNode node, String path) {
        if (node == null) {
            return;
        }
        if (node.isFloatingPointNumber()) {
            double v = node.asDouble();
            if (!Double.isFinite(v)) {
                throw new NonFiniteNumberException(v, path);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                requireFinite(node.get(i), path + "[" + i + "]");
            }
        } else if (node.isObject()) {
            var fields = node.fields();
            while (fields.hasNext()) {
                var e = fields.next();
                requireFinite(e.getValue(), path + "." + e.getKey());
            }
        }
    }

    /**
     * A NaN or infinite number reached a JSON writer that only takes finite numbers: a bug in the
     * toolkit (the computation should have failed with a {@link org.statespace.NumericalException}
     * naming where, or the writer should have used {@link #extendedNumber}), never a user's mistake.
     * Unchecked and deliberately not a {@code StatespaceException}, so that the command line reports
     * it as an internal error and tests catch every such path.
     */
    public static final class NonFiniteNumberException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        /** @param where the JSON path or a description of the place being written */
        public NonFiniteNumberException(double v, String where) {
            super("a non-finite number (" + v + ") reached the JSON writer at " + where
                    + "; null would read as a missing value");
        }
    }
}
