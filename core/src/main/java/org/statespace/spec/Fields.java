package org.statespace.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The declared fields of one kind of spec object (a model type, an emission, a study entry, fit options):
 * the single source from which its reader checks field names ({@link SpecNode#requireObject(Fields)}) and
 * {@link SpecSchema} writes the JSON Schema and the reference page. Immutable.
 *
 * <pre>{@code
 * static final Fields SPEC = Fields.of("markov-chain", "discrete Markov chain",
 *         Field.type("markov-chain", "the model type"),
 *         Field.required("transition", Shape.matrix(), "..."),
 *         Field.optional("normalize", Shape.bool(), "...").withDefault("false"));
 * ...
 * spec.requireObject(SPEC);
 * }</pre>
 */
public final class Fields {
    private final String title;
    private final String description;
    private final Map<String, Field> fields;
    private final boolean open;

    private Fields(String title, String description, List<Field> fields, boolean open) {
        this.title = title;
        this.description = description;
        Map<String, Field> map = new LinkedHashMap<>();
        for (Field f : fields) {
            if (map.put(f.name(), f) != null) {
                throw new IllegalArgumentException(title + ": field \"" + f.name() + "\" declared twice");
            }
        }
        this.fields = java.util.Collections.unmodifiableMap(map);
        this.open = open;
    }

    /** An object with exactly these fields (any other is an error). */
    public static Fields of(String title, String description, Field... fields) {
        return new Fields(title, description, List.of(fields), false);
    }

    /** An object with exactly these fields. */
    public static Fields of(String title, String description, List<Field> fields) {
        return new Fields(title, description, fields, false);
    }

    /**
     * An object with these fields and possibly others whose names are not fixed (a result's per-sequence
     * tracks, named by the model that writes them): the declared ones are checked, the rest accepted.
     */
    public static Fields openOf(String title, String description, Field... fields) {
        return new Fields(title, description, List.of(fields), true);
    }

    /**
     * A model type whose fields are not declared: any object with this {@code "type"} (the default of
     * {@link ModelType#specFields}, so that a family without declarations still has a schema entry).
     */
    public static Fields undeclared(String type, String description) {
        return new Fields(type, description + " (fields not declared; the reader checks them)",
                List.of(Field.type(type, "the model type")), true);
    }

    /** The same declarations with more fields after these (a name declared here already keeps this declaration). */
    public Fields plus(List<Field> more) {
        List<Field> all = new ArrayList<>(fields.values());
        for (Field f : more) {
            if (!fields.containsKey(f.name())) {
                all.add(f);
            }
        }
        return new Fields(title, description, all, open);
    }

    /** The same declarations under another title. */
    public Fields titled(String newTitle) {
        return new Fields(newTitle, description, List.copyOf(fields.values()), open);
    }

    public String title() {
        return title;
    }

    public String description() {
        return description;
    }

    /** Whether fields beyond the declared ones are accepted ({@link #undeclared} types, {@link #openOf} objects). */
    public boolean open() {
        return open;
    }

    /** The fields in declaration order. */
    public List<Field> fields() {
        return List.copyOf(fields.values());
    }

    /** The field names in declaration order. */
    public List<String> names() {
        return List.copyOf(fields.keySet());
    }

    /** The field names except {@code "type"} (a template's fields, for {@link ModelType#templateFields}). */
    public List<String> namesButType() {
        List<String> out = new ArrayList<>(fields.keySet());
        out.remove("type");
        return out;
    }

    /** The declared field, which must exist (a reader asking for an undeclared one is a bug). */
    public Field field(String name) {
        Field f = fields.get(name);
        if (f == null) {
            throw new IllegalArgumentException(title + " declares no field \"" + name + "\"");
        }
        return f;
    }

    /** The declared field of that name, if any. */
    public Optional<Field> find(String name) {
        return Optional.ofNullable(fields.get(name));
    }

    /**
     * The dotted paths of every field nested below this object ({@code emission.means}), for "did you mean"
     * when a field is given at the wrong level. Variants contribute their fields under the same prefix.
     */
    public List<String> nestedPaths() {
        List<String> out = new ArrayList<>();
        collect("", this, out, 0);
        return out;
    }

    private static void collect(String prefix, Fields f, List<String> out, int depth) {
        if (depth > 4) {
            return;
        }
        for (Field field : f.fields.values()) {
            for (Fields inner : field.shape().nested()) {
                for (String name : inner.fields.keySet()) {
                    String path = prefix + field.name() + "." + name;
                    if (!name.equals("type") && !out.contains(path)) {
                        out.add(path);
                    }
                }
                collect(prefix + field.name() + ".", inner, out, depth + 1);
            }
        }
    }

    /** The JSON Schema of this object (draft 2020-12 keywords). */
    public ObjectNode schema() {
        ObjectNode s = Json.object();
        s.put("type", "object");
        s.put("title", title);
        s.put("description", description);
        ObjectNode props = s.putObject("properties");
        ArrayNode required = Json.array();
        for (Field f : fields.values()) {
            ObjectNode p = f.shape().schema();
            p.put("description", f.description());
            if (f.defaultValue() != null) {
                p.set("default", f.defaultValue());
            }
            if (f.example() != null) {
                p.putArray("examples").add(f.example());
            }
            props.set(f.name(), p);
            if (f.required()) {
                required.add(f.name());
            }
        }
        if (!required.isEmpty()) {
            s.set("required", required);
        }
        if (!open) {
            s.put("additionalProperties", false);
        }
        return s;
    }

    @Override
    public String toString() {
        return title + fields.keySet();
    }
}
