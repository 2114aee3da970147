package org.statespace.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.SpecException;
import org.statespace.StateSpaceModel;

/**
 * The spec registry: reads and writes models as JSON with a {@code "type"} discriminator. The types are
 * those registered through {@link ServiceLoader} ({@link ModelType}); the registry itself knows none.
 *
 * <pre>{@code
 * StateSpaceModel<?, ?> m = ModelSpecs.read(Path.of("weather.json"));
 * String json = ModelSpecs.write(m);
 * }</pre>
 */
public final class ModelSpecs {
    private static final Map<String, ModelType> TYPES = load();

    private ModelSpecs() {
    }

    private static Map<String, ModelType> load() {
        Map<String, ModelType> types = new LinkedHashMap<>();
        for (ModelType type : ServiceLoader.load(ModelType.class, ModelSpecs.class.getClassLoader())) {
            for (String name : type.names()) {
                ModelType previous = types.putIfAbsent(name, type);
                if (previous != null && previous.getClass() != type.getClass()) {
                    throw new IllegalStateException("two families register the spec type '" + name + "': "
                            + previous.getClass().getName() + " and " + type.getClass().getName());
                }
            }
        }
        return Collections.unmodifiableMap(types);
    }

    /** The registered type names, in discovery order. */
    public static List<String> typeNames() {
        return new ArrayList<>(TYPES.keySet());
    }

    /** The registered entry for a type name. */
    public static ModelType type(String name) {
        ModelType t = TYPES.get(name);
        if (t == null) {
            throw new SpecException("", "type", "unknown model type \"" + name + "\"; known types: "
                    + String.join(", ", TYPES.keySet()));
        }
        return t;
    }

    /**
     * The registered entry for the type named by a spec's {@code "type"} node; an unknown name is an
     * error at that node (its file and path).
     */
    public static ModelType type(SpecNode typeNode) {
        String name = typeNode.asText();
        ModelType t = TYPES.get(name);
        if (t == null) {
            throw typeNode.error("unknown model type \"" + name + "\"; known types: " + String.join(", ", TYPES.keySet()));
        }
        return t;
    }

    /** Reads a model spec file. */
    public static StateSpaceModel<?, ?> read(Path file) {
        return read(Json.read(file), file.toString());
    }

    /** Reads a model spec from JSON text; {@code source} names it in errors. */
    public static StateSpaceModel<?, ?> parse(String json, String source) {
        return read(Json.parse(json, source), source);
    }

    /** Reads a model spec from a JSON tree. */
    public static StateSpaceModel<?, ?> read(JsonNode json, String source) {
        return read(SpecNode.root(json, source));
    }

    /** Reads a model spec at a node (which may be nested in a larger document, e.g. a study). */
    public static StateSpaceModel<?, ?> read(SpecNode spec) {
        if (!spec.json().isObject()) {
            throw spec.error("a model spec must be a JSON object with a \"type\", got "
                    + SpecNode.describe(spec.json()));
        }
        return type(spec.field("type")).read(spec);
    }

    /** The JSON tree of a model's spec. */
    public static ObjectNode toJson(StateSpaceModel<?, ?> model) {
        return model.toSpec();
    }

    /** A model's spec as pretty JSON text. */
    public static String write(StateSpaceModel<?, ?> model) {
        return Json.write(model.toSpec());
    }
}
