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

    /** Writes a node as pretty JSON text with a final newline. */
    public static String write(JsonNode node) {
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
     * Adds a number, writing an integral value as an integer so that {@code 1} stays {@code 1}, and a
     * non-finite value as {@code null} (JSON has no NaN; a reader sees it as missing).
     */
    public static void number(ArrayNode a, double v) {
        if (!Double.isFinite(v)) {
            a.addNull();
        } else if (isSmallInt(v)) {
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

    /** Puts a number under {@code name} with the same rules as {@link #number(ArrayNode, double)}. */
    public static void number(ObjectNode o, String name, double v) {
        if (!Double.isFinite(v)) {
            o.putNull(name);
        } else if (isSmallInt(v)) {
            o.put(name, (int) v);
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15 && !(v == 0 && 1 / v < 0)) {
            o.put(name, (long) v);
        } else {
            o.put(name, v);
        }
    }
}
