package org.statespace.spec;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.statespace.SpecException;

/**
 * A JSON node that knows where it is. Every accessor checks the type and shape it promises and, when
 * the JSON does not keep that promise, throws a {@link SpecException} naming the path
 * ({@code emission.probabilities[1][3]}) and the value it found. Families read their specs only
 * through this class, so every error a user sees has the same form.
 */
public final class SpecNode {
    private final JsonNode node;
    private final String source;
    private final String path;

    private SpecNode(JsonNode node, String source, String path) {
        this.node = node;
        this.source = source;
        this.path = path;
    }

    /** The root of a document; {@code source} names the file (or "spec") in errors. */
    public static SpecNode root(JsonNode node, String source) {
        return new SpecNode(node, source, "");
    }

    /**
     * The same JSON reported as if it stood at {@code newPath} (for a node built from part of another,
     * so that errors still name the place in the user's document).
     */
    public SpecNode relocated(String newPath) {
        return new SpecNode(node, source, newPath);
    }

    /** The underlying JSON (read-only by convention). */
    public JsonNode json() {
        return node;
    }

    public String source() {
        return source;
    }

    /** The JSON path of this node; empty for the root. */
    public String path() {
        return path;
    }

    /** An error at this node. */
    public SpecException error(String problem) {
        return new SpecException(source, path, problem);
    }

    /** An error at a named field of this node (present or not). */
    public SpecException errorAt(String field, String problem) {
        return new SpecException(source, child(field), problem);
    }

    private String child(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    // ----------------------------------------------------------------------------------------------
    // objects

    /** Checks this is an object whose fields are all among {@code allowed}; unknown fields are errors. */
    public SpecNode requireObject(String... allowed) {
        if (!node.isObject()) {
            throw error("expected an object, got " + describe(node));
        }
        Set<String> ok = new LinkedHashSet<>(List.of(allowed));
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!ok.contains(name)) {
                throw errorAt(name, "unknown field; " + Suggestions.didYouMean(name, ok)
                        + "expected one of " + String.join(", ", ok));
            }
        }
        return this;
    }

    /**
     * Checks this is an object whose fields are all declared in {@code declared}; an unknown field is an
     * error that suggests the nearest declared name, or the nested field it most likely meant
     * ({@code unknown field; did you mean "emission.means"?}) when it was given at the wrong level.
     */
    public SpecNode requireObject(Fields declared) {
        if (!node.isObject()) {
            throw error("expected an object, got " + describe(node));
        }
        if (declared.open()) {
            return this;
        }
        List<String> ok = declared.names();
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!ok.contains(name)) {
                throw errorAt(name, "unknown field; " + suggestion(name, declared)
                        + "expected one of " + String.join(", ", ok));
            }
        }
        return this;
    }

    /** "did you mean ..." for an unknown field: a near declared name, else a nested field of that name. */
    static String suggestion(String name, Fields declared) {
        String near = Suggestions.didYouMean(name, declared.names());
        if (!near.isEmpty()) {
            return near;
        }
        java.util.Map<String, String> byLast = new java.util.LinkedHashMap<>();
        for (String p : declared.nestedPaths()) {
            byLast.putIfAbsent(p.substring(p.lastIndexOf('.') + 1), p);
        }
        return Suggestions.nearest(name, byLast.keySet())
                .map(last -> "did you mean \"" + byLast.get(last) + "\"? ").orElse("");
    }

    /** Whether this object has a field that is present and not {@code null}. */
    public boolean has(String field) {
        JsonNode child = node.get(field);
        return child != null && !child.isNull();
    }

    /** A required field. */
    public SpecNode field(String field) {
        if (!node.isObject()) {
            throw error("expected an object, got " + describe(node));
        }
        JsonNode child = node.get(field);
        if (child == null || child.isNull()) {
            throw errorAt(field, "missing field");
        }
        return new SpecNode(child, source, child(field));
    }

    /** An optional field ({@code null} counts as absent). */
    public Optional<SpecNode> optional(String field) {
        if (!node.isObject()) {
            throw error("expected an object, got " + describe(node));
        }
        JsonNode child = node.get(field);
        if (child == null || child.isNull()) {
            return Optional.empty();
        }
        return Optional.of(new SpecNode(child, source, child(field)));
    }

    /** The field names of this object in document order. */
    public List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    // ----------------------------------------------------------------------------------------------
    // scalars

    /** A finite number. */
    public double asDouble() {
        if (!node.isNumber()) {
            throw error("expected a number, got " + describe(node));
        }
        double v = node.doubleValue();
        if (!Double.isFinite(v)) {
            throw error("expected a finite number, got " + (Double.isNaN(v) ? "NaN" : node.asText()));
        }
        return v;
    }

    /** A finite number that is at least {@code min}. */
    public double asDoubleAtLeast(double min) {
        double v = asDouble();
        if (!(v >= min)) {
            throw error("must be at least " + min + ", got " + v);
        }
        return v;
    }

    /** A number strictly greater than zero. */
    public double asPositive() {
        double v = asDouble();
        if (!(v > 0)) {
            throw error("must be positive, got " + v);
        }
        return v;
    }

    /** An integer (a number with no fractional part that fits an int). */
    public int asInt() {
        if (!node.isNumber()) {
            throw error("expected an integer, got " + describe(node));
        }
        double v = node.doubleValue();
        if (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw error("expected an integer, got " + node.asText());
        }
        return (int) v;
    }

    /** An integer in {@code [min, max]}. */
    public int asInt(int min, int max) {
        int v = asInt();
        if (v < min || v > max) {
            throw error("must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    /** A long integer. */
    public long asLong() {
        if (!node.isIntegralNumber() && !(node.isNumber() && node.doubleValue() == Math.rint(node.doubleValue()))) {
            throw error("expected an integer, got " + describe(node));
        }
        if (node.isIntegralNumber() ? !node.canConvertToLong()
                : !(Math.abs(node.doubleValue()) < 0x1p63)) {
            throw error("integer out of range: " + node.asText());
        }
        return node.isIntegralNumber() ? node.longValue() : (long) node.doubleValue();
    }

    public boolean asBoolean() {
        if (!node.isBoolean()) {
            throw error("expected true or false, got " + describe(node));
        }
        return node.booleanValue();
    }

    public String asText() {
        if (!node.isTextual()) {
            throw error("expected a string, got " + describe(node));
        }
        return node.textValue();
    }

    /** A string that is one of {@code choices}. */
    public String asChoice(String... choices) {
        String v = asText();
        for (String c : choices) {
            if (c.equals(v)) {
                return v;
            }
        }
        throw error("expected one of " + String.join(", ", choices) + ", got \"" + v + "\"");
    }

    // ----------------------------------------------------------------------------------------------
    // arrays

    /** The elements of an array, each knowing its path. */
    public List<SpecNode> elements() {
        if (!node.isArray()) {
            throw error("expected an array, got " + describe(node));
        }
        List<SpecNode> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.add(new SpecNode(node.get(i), source, path + "[" + i + "]"));
        }
        return out;
    }

    /** The elements of a non-empty array. */
    public List<SpecNode> nonEmptyElements() {
        List<SpecNode> e = elements();
        if (e.isEmpty()) {
            throw error("must not be empty");
        }
        return e;
    }

    /** A non-empty array of finite numbers. */
    public double[] asVector() {
        List<SpecNode> e = nonEmptyElements();
        double[] v = new double[e.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = e.get(i).asDouble();
        }
        return v;
    }

    /** An array of exactly {@code length} finite numbers. */
    public double[] asVector(int length) {
        double[] v = asVector();
        if (v.length != length) {
            throw error("expected " + length + " numbers, got " + v.length);
        }
        return v;
    }

    /** A non-empty array of integers. */
    public int[] asIntVector() {
        List<SpecNode> e = nonEmptyElements();
        int[] v = new int[e.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = e.get(i).asInt();
        }
        return v;
    }

    /** A non-empty array of strings. */
    public List<String> asTextList() {
        List<SpecNode> e = nonEmptyElements();
        List<String> out = new ArrayList<>(e.size());
        for (SpecNode s : e) {
            out.add(s.asText());
        }
        return out;
    }

    /** A non-empty array of distinct strings. */
    public List<String> asDistinctTextList() {
        List<String> names = asTextList();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < names.size(); i++) {
            if (!seen.add(names.get(i))) {
                throw new SpecException(source, path + "[" + i + "]", "duplicate name \"" + names.get(i) + "\"");
            }
        }
        return names;
    }

    /** A non-empty rectangular array of arrays of finite numbers. */
    public double[][] asMatrix() {
        List<SpecNode> rows = nonEmptyElements();
        double[][] m = new double[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = rows.get(i).asVector();
            if (m[i].length != m[0].length) {
                throw rows.get(i).error("expected " + m[0].length + " numbers like row 0, got " + m[i].length
                        + " (the matrix must be rectangular)");
            }
        }
        return m;
    }

    /** A {@code rows}×{@code cols} matrix. */
    public double[][] asMatrix(int rows, int cols) {
        double[][] m = asMatrix();
        if (m.length != rows || m[0].length != cols) {
            throw error("expected a " + rows + "x" + cols + " matrix, got " + m.length + "x" + m[0].length);
        }
        return m;
    }

    /** A square matrix. */
    public double[][] asSquareMatrix() {
        double[][] m = asMatrix();
        if (m.length != m[0].length) {
            throw error("expected a square matrix, got " + m.length + "x" + m[0].length);
        }
        return m;
    }

    /** A square matrix of the given size. */
    public double[][] asSquareMatrix(int size) {
        double[][] m = asSquareMatrix();
        if (m.length != size) {
            throw error("expected a " + size + "x" + size + " matrix, got " + m.length + "x" + m.length);
        }
        return m;
    }

    // ----------------------------------------------------------------------------------------------

    /** A short description of a node for error messages: its type and, for scalars, its value. */
    public static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        if (n.isNull()) {
            return "null";
        }
        if (n.isTextual()) {
            String t = n.textValue();
            return "string \"" + (t.length() > 40 ? t.substring(0, 40) + "..." : t) + "\"";
        }
        if (n.isNumber()) {
            return "number " + n.asText();
        }
        if (n.isBoolean()) {
            return n.asText();
        }
        if (n.isArray()) {
            return "an array of " + n.size();
        }
        if (n.isObject()) {
            return "an object";
        }
        return n.getNodeType().toString().toLowerCase();
    }

    @Override
    public String toString() {
        return (source.isEmpty() ? "" : source + ":") + (path.isEmpty() ? "$" : path);
    }
}
