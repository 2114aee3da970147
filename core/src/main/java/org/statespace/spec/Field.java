package org.statespace.spec;

import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One field of a spec object, declared once by the reader that reads it: its name, JSON shape, whether it
 * is required or else its default, what it means and an example value. The reader checks unknown fields
 * against these declarations ({@link SpecNode#requireObject(Fields)}) and {@link SpecSchema} turns them into
 * the JSON Schema and the reference page, so the two cannot disagree.
 *
 * <pre>{@code
 * Field.required("transition", Shape.matrix(), "K×K row-stochastic matrix")
 *      .example("[[0.9, 0.1], [0.2, 0.8]]")
 * Field.optional("normalize", Shape.bool(), "rescale rows that do not sum to 1").withDefault("false")
 * }</pre>
 *
 * @param name         the JSON field name
 * @param shape        what the value must look like
 * @param required     whether the field must be given
 * @param defaultValue the value used when the field is absent ({@code null}: none, or it depends on other fields)
 * @param description  what the field means (one or two sentences, Markdown allowed)
 * @param example      an example value ({@code null}: none)
 */
public record Field(String name, Shape shape, boolean required, JsonNode defaultValue, String description,
        JsonNode example) {

    public Field {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(description, "description");
        if (required && defaultValue != null) {
            throw new IllegalArgumentException("a required field has no default: " + name);
        }
    }

    /** A field that must be given. */
    public static Field required(String name, Shape shape, String description) {
        return new Field(name, shape, true, null, description, null);
    }

    /** A field that may be left out. */
    public static Field optional(String name, Shape shape, String description) {
        return new Field(name, shape, false, null, description, null);
    }

    /** The {@code "type"} discriminator of an object that must have the value {@code value}. */
    public static Field type(String value, String description) {
        return required("type", Shape.choice(value), description).example('"' + value + '"');
    }

    /** The same field with a default, given as JSON text ({@code "false"}, {@code "\"diagonal\""}, {@code "1e-6"}). */
    public Field withDefault(String json) {
        return new Field(name, shape, false, Json.parse(json, "default of " + name), description, example);
    }

    /** The same field with an example value, given as JSON text. */
    public Field example(String json) {
        return new Field(name, shape, required, defaultValue, description, Json.parse(json, "example of " + name));
    }
}
