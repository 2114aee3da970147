package org.statespace.spec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON Schemas (draft 2020-12) and the Markdown reference page, generated from the {@link Fields} the readers
 * declare and use: one source of truth, nothing kept by hand. A catalog holds named kinds (a model type,
 * {@code model}, {@code template}, {@code study}, {@code dataset}, ...), each a root shape, and shared
 * definitions that the roots reference as {@code #/$defs/NAME}; {@link #document} writes one kind as a
 * self-contained schema with only the definitions it reaches.
 */
public final class SpecSchema {
    /** The JSON Schema dialect of every document. */
    public static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";
    /** The base of the documents' {@code $id}s. */
    public static final String ID_BASE = "https://statespace.invalid/schema/";

    /** One kind of document: its name, what it is, its root shape and the declarations it documents. */
    public record Kind(String name, String description, Shape root, List<Fields> documented) {
    }

    private final Map<String, Kind> kinds;
    private final Map<String, Shape> definitions;

    private SpecSchema(Map<String, Kind> kinds, Map<String, Shape> definitions) {
        this.kinds = Map.copyOf(kinds);
        this.definitions = Map.copyOf(definitions);
        this.order = List.copyOf(kinds.keySet());
    }

    private final List<String> order;

    /** A builder of a catalog. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects kinds and definitions. */
    public static final class Builder {
        private final Map<String, Kind> kinds = new LinkedHashMap<>();
        private final Map<String, Shape> definitions = new LinkedHashMap<>();

        /** A shared definition, referenced as {@code Shape.ref(name, ...)}. */
        public Builder define(String name, Shape shape) {
            definitions.put(name, shape);
            return this;
        }

        /** A kind of document; {@code documented} are the declarations its reference section lists. */
        public Builder kind(String name, String description, Shape root, List<Fields> documented) {
            if (kinds.putIfAbsent(name, new Kind(name, description, root, documented)) != null) {
                throw new IllegalArgumentException("schema kind \"" + name + "\" declared twice");
            }
            return this;
        }

        public SpecSchema build() {
            return new SpecSchema(kinds, definitions);
        }
    }

    /** The kinds in the order they were declared. */
    public List<String> kinds() {
        return order;
    }

    /** The kind of that name; {@code null} when there is none. */
    public Kind kind(String name) {
        return kinds.get(name);
    }

    /** One kind as a self-contained JSON Schema document. */
    public ObjectNode document(String name) {
        Kind k = kinds.get(name);
        if (k == null) {
            throw new IllegalArgumentException("no schema kind \"" + name + "\"");
        }
        ObjectNode doc = Json.object();
        doc.put("$schema", DIALECT);
        doc.put("$id", ID_BASE + name + ".json");
        doc.put("title", "Statespace " + name);
        doc.put("description", k.description());
        ObjectNode root = k.root().schema();
        root.remove("title");
        root.remove("description");
        doc.setAll(root);
        Set<String> reached = new LinkedHashSet<>();
        Deque<JsonNode> todo = new ArrayDeque<>();
        todo.add(root);
        while (!todo.isEmpty()) {
            JsonNode n = todo.pop();
            if (n.isObject() && n.has("$ref") && n.get("$ref").isTextual()) {
                String ref = n.get("$ref").textValue();
                if (ref.startsWith("#/$defs/")) {
                    String def = ref.substring("#/$defs/".length());
                    Shape s = definitions.get(def);
                    if (s == null) {
                        throw new IllegalStateException("schema " + name + " refers to undefined " + def);
                    }
                    if (reached.add(def)) {
                        todo.add(s.schema());
                    }
                }
            }
            n.forEach(todo::add);
        }
        if (!reached.isEmpty()) {
            ObjectNode defs = doc.putObject("$defs");
            for (String d : definitions.keySet()) {
                if (reached.contains(d)) {
                    defs.set(d, definitions.get(d).schema());
                }
            }
        }
        return doc;
    }

    /**
     * The reference page: for every kind, every declared object with a table of its fields (name, shape,
     * required or default, meaning, example). Deterministic, so a test can compare it with the checked-in
     * page.
     */
    public String markdown(String header) {
        StringBuilder md = new StringBuilder(header);
        Map<Fields, Boolean> done = new IdentityHashMap<>();
        for (String name : order) {
            Kind k = kinds.get(name);
            md.append("\n## `").append(name).append("`\n\n").append(k.description()).append("\n");
            List<Fields> queue = new ArrayList<>(k.documented());
            for (int i = 0; i < queue.size(); i++) {
                Fields f = queue.get(i);
                if (done.put(f, Boolean.TRUE) != null) {
                    continue;
                }
                table(md, f);
                for (Field field : f.fields()) {
                    queue.addAll(field.shape().nested());
                }
            }
        }
        return md.toString();
    }

    private static void table(StringBuilder md, Fields f) {
        md.append("\n### ").append(f.title()).append("\n\n").append(f.description()).append("\n\n");
        md.append("| field | shape | required / default | meaning | example |\n");
        md.append("|---|---|---|---|---|\n");
        for (Field field : f.fields()) {
            md.append("| `").append(field.name()).append("` | ").append(cell(field.shape().summary()))
                    .append(" | ").append(field.required() ? "required"
                            : field.defaultValue() == null ? "optional" : "default `" + compact(field.defaultValue()) + "`")
                    .append(" | ").append(cell(field.description()))
                    .append(" | ").append(field.example() == null ? "" : "`" + compact(field.example()) + "`")
                    .append(" |\n");
        }
        if (f.open()) {
            md.append("\nOther fields are accepted here.\n");
        }
    }

    private static String compact(JsonNode n) {
        return cell(n.toString());
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
