package org.statespace.spec;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON shape of a spec field: what {@link SpecNode}'s accessors accept, said once so that the reader's
 * checks, the JSON Schema ({@link SpecSchema}) and the reference page come from one declaration. A shape
 * holds its JSON Schema fragment, a short human summary ("matrix of numbers") and the objects nested in it
 * (for "did you mean" across nesting and for the reference page).
 *
 * <pre>{@code
 * Shape.matrix()                                    // [[1, 0], [0, 1]]
 * Shape.choice("full", "diagonal", "spherical")     // one string of a list
 * Shape.object(GAUSSIAN_FIELDS)                     // a nested object declared by its own Fields
 * Shape.anyOf(Shape.object(A), Shape.object(B))     // variants, told apart by their "type"
 * }</pre>
 */
public final class Shape {
    private final ObjectNode schema;
    private final String summary;
    private final List<Fields> nested;
    private final List<String> choices;

    private Shape(ObjectNode schema, String summary, List<Fields> nested, List<String> choices) {
        this.schema = schema;
        this.summary = summary;
        this.nested = List.copyOf(nested);
        this.choices = List.copyOf(choices);
    }

    private static Shape of(String type, String summary) {
        ObjectNode s = Json.object();
        s.put("type", type);
        return new Shape(s, summary, List.of(), List.of());
    }

    /** Any JSON value (for a part whose shape its own reader checks). */
    public static Shape any() {
        return new Shape(Json.object(), "any JSON value", List.of(), List.of());
    }

    /** A number. */
    public static Shape number() {
        return of("number", "number");
    }

    /** A number of at least {@code min}. */
    public static Shape numberAtLeast(double min) {
        Shape s = of("number", "number >= " + plain(min));
        s.schema.put("minimum", min);
        return s;
    }

    /** A number strictly greater than zero. */
    public static Shape positive() {
        Shape s = of("number", "number > 0");
        s.schema.put("exclusiveMinimum", 0);
        return s;
    }

    /**
     * A number between {@code min} and {@code max}, each end included or not:
     * {@code range(0, true, 1, false)} is [0, 1).
     */
    public static Shape range(double min, boolean minIncluded, double max, boolean maxIncluded) {
        Shape s = of("number", "number in " + (minIncluded ? "[" : "(") + plain(min) + ", " + plain(max)
                + (maxIncluded ? "]" : ")"));
        s.schema.put(minIncluded ? "minimum" : "exclusiveMinimum", min);
        s.schema.put(maxIncluded ? "maximum" : "exclusiveMaximum", max);
        return s;
    }

    /** An integer (a number with no fractional part). */
    public static Shape integer() {
        return of("integer", "integer");
    }

    /** An integer in {@code [min, max]}. */
    public static Shape integer(long min, long max) {
        Shape s = of("integer", "integer in [" + min + ", " + max + "]");
        s.schema.put("minimum", min);
        s.schema.put("maximum", max);
        return s;
    }

    /** {@code true} or {@code false}. */
    public static Shape bool() {
        return of("boolean", "true or false");
    }

    /** JSON {@code null} (a missing value, where the reader allows one). */
    public static Shape nullValue() {
        return of("null", "null");
    }

    /** A string. */
    public static Shape text() {
        return of("string", "string");
    }

    /** One string of {@code choices}. */
    public static Shape choice(String... choices) {
        ObjectNode s = Json.object();
        s.put("type", "string");
        ArrayNode e = s.putArray("enum");
        for (String c : choices) {
            e.add(c);
        }
        String summary = choices.length == 1 ? "\"" + choices[0] + "\"" : "one of " + String.join(", ", choices);
        return new Shape(s, summary, List.of(), List.of(choices));
    }

    /** An array whose elements have the shape {@code items}; {@code nonEmpty} requires at least one. */
    public static Shape arrayOf(Shape items, boolean nonEmpty) {
        ObjectNode s = Json.object();
        s.put("type", "array");
        s.set("items", items.schema);
        if (nonEmpty) {
            s.put("minItems", 1);
        }
        return new Shape(s, "array of " + items.summary, items.nested, List.of());
    }

    /** A non-empty array of numbers. */
    public static Shape vector() {
        return arrayOf(number(), true).summarised("vector of numbers");
    }

    /** A non-empty array of integers. */
    public static Shape intVector() {
        return arrayOf(integer(), true).summarised("array of integers");
    }

    /** A non-empty array of non-empty arrays of numbers (rectangularity is the reader's check). */
    public static Shape matrix() {
        return arrayOf(vector(), true).summarised("matrix of numbers (array of rows)");
    }

    /** A non-empty array of matrices. */
    public static Shape matrices() {
        return arrayOf(matrix(), true).summarised("array of matrices");
    }

    /** A non-empty array of strings. */
    public static Shape textList() {
        return arrayOf(text(), true).summarised("array of strings");
    }

    /** A non-empty array of distinct strings. */
    public static Shape names() {
        Shape s = arrayOf(text(), true).summarised("array of distinct strings");
        s.schema.put("uniqueItems", true);
        return s;
    }

    /** An object declared by {@code fields}. */
    public static Shape object(Fields fields) {
        return new Shape(fields.schema(), "object", List.of(fields), List.of());
    }

    /** An object with any field names whose values have the shape {@code values}. */
    public static Shape mapOf(Shape values) {
        ObjectNode s = Json.object();
        s.put("type", "object");
        s.set("additionalProperties", values.schema);
        return new Shape(s, "object of " + values.summary, values.nested, List.of());
    }

    /** A reference to a schema defined elsewhere ({@code #/$defs/name}), e.g. a whole model spec. */
    public static Shape ref(String definition, String summary) {
        ObjectNode s = Json.object();
        s.put("$ref", "#/$defs/" + definition);
        return new Shape(s, summary, List.of(), List.of());
    }

    /** A value of any of the given shapes (variants of an object told apart by their "type"). */
    public static Shape anyOf(Shape... shapes) {
        ObjectNode s = Json.object();
        ArrayNode a = s.putArray("anyOf");
        List<Fields> nested = new ArrayList<>();
        List<String> summaries = new ArrayList<>();
        List<String> choices = new ArrayList<>();
        for (Shape x : shapes) {
            a.add(x.schema);
            nested.addAll(x.nested);
            choices.addAll(x.choices);
            if (!summaries.contains(x.summary)) {
                summaries.add(x.summary);
            }
        }
        return new Shape(s, String.join(" or ", summaries), nested, choices);
    }

    /** The same shape with another human summary. */
    public Shape summarised(String text) {
        return new Shape(schema, text, nested, choices);
    }

    /** A copy of the JSON Schema fragment. */
    public ObjectNode schema() {
        return schema.deepCopy();
    }

    /** A short human description of the shape, e.g. "matrix of numbers". */
    public String summary() {
        return summary;
    }

    /** The object declarations nested in this shape (its variants, its elements' objects). */
    public List<Fields> nested() {
        return nested;
    }

    /** The allowed strings of a {@link #choice} (empty otherwise). */
    public List<String> choices() {
        return choices;
    }

    /** The allowed strings as an array, for {@link SpecNode#asChoice(String...)}. */
    public String[] choiceArray() {
        return choices.toArray(new String[0]);
    }

    static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

}
