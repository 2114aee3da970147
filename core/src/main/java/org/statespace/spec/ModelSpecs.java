package org.statespace.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;

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

    /** The registered entries, each once, in discovery order. */
    public static List<ModelType> types() {
        List<ModelType> out = new ArrayList<>();
        for (ModelType t : TYPES.values()) {
            if (!out.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    /** The registered entry for a type name. */
    public static ModelType type(String name) {
        ModelType t = TYPES.get(name);
        if (t == null) {
            throw new SpecException("", "type", "unknown model type \"" + name + "\"; "
                    + Suggestions.didYouMean(name, TYPES.keySet()) + "known types: " + String.join(", ", TYPES.keySet()));
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
            throw typeNode.error("unknown model type \"" + name + "\"; " + Suggestions.didYouMean(name, TYPES.keySet())
                    + "known types: " + String.join(", ", TYPES.keySet()));
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

    /**
     * Whether a model spec is a short template ({@link ModelType#template}) rather than a full spec: an
     * object whose fields other than {@code "type"} are all template fields of its type, e.g.
     * {@code {"type": "local-level"}} or {@code {"type": "hmm", "states": 3, "emission": "poisson"}}. No
     * full spec is one (every family's full spec needs a field no template has: a transition matrix, the
     * variances, the input size). An unknown type is an error at its node.
     */
    public static boolean isTemplate(SpecNode spec) {
        if (!spec.json().isObject()) {
            throw spec.error("a model spec must be a JSON object with a \"type\", got "
                    + SpecNode.describe(spec.json()));
        }
        ModelType type = type(spec.field("type"));
        List<String> fields = type.templateFields();
        for (java.util.Iterator<String> it = spec.json().fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!name.equals("type") && !fields.contains(name)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Builds a starting model from a template sized by the data it will be fitted to (the one path studies
     * and {@code fit} share; see {@link ModelType#template}).
     *
     * @throws SpecException                 for a malformed template
     * @throws org.statespace.DataException  when the family does not apply to such data
     */
    public static StateSpaceModel<?, ?> template(SpecNode template, Dataset data, RandomGenerator random) {
        if (!template.json().isObject()) {
            throw template.error("a model template must be a JSON object with a \"type\", got "
                    + SpecNode.describe(template.json()));
        }
        return type(template.field("type")).template(template, data, random);
    }

    /**
     * The start {@link #template(SpecNode, Dataset, RandomGenerator)} gives, for data not in memory: sized by a
     * shape and drawn from rows ({@link ModelType#template(SpecNode, Dataset, java.util.function.Function,
     * RandomGenerator)}); empty when the template's family needs the data in memory.
     */
    public static java.util.Optional<StateSpaceModel<?, ?>> template(SpecNode template, Dataset shape,
            java.util.function.Function<StateSpaceModel<?, ?>, org.statespace.data.ObservedRows> rows,
            RandomGenerator random) {
        if (!template.json().isObject()) {
            throw template.error("a model template must be a JSON object with a \"type\", got "
                    + SpecNode.describe(template.json()));
        }
        return type(template.field("type")).template(template, shape, rows, random);
    }

    /**
     * Adds the model kinds to a schema catalog: {@code model} (any full spec), {@code template} (any short
     * template) and one kind per registered type name (its full spec; its template and fit settings are
     * documented beside it). Generated from each type's {@link ModelType#specFields},
     * {@link ModelType#templateSpecFields} and {@link ModelType#fitFields}.
     */
    public static void addSchemas(SpecSchema.Builder catalog) {
        List<Shape> specs = new ArrayList<>();
        List<Shape> templates = new ArrayList<>();
        Map<String, SpecSchema.Kind> perType = new LinkedHashMap<>();
        for (Map.Entry<String, ModelType> e : TYPES.entrySet()) {
            String name = e.getKey();
            ModelType t = e.getValue();
            Fields spec = t.specFields(name);
            catalog.define("model-" + name, Shape.object(spec));
            specs.add(Shape.ref("model-" + name, name + " spec"));
            List<Fields> documented = new ArrayList<>(List.of(spec));
            Fields template = t.templateSpecFields(name);
            if (template != null) {
                catalog.define("template-" + name, Shape.object(template));
                templates.add(Shape.ref("template-" + name, name + " template"));
                documented.add(template);
            }
            Fields fit = t.fitFields();
            if (fit != null && !name.equals(t.names().get(0))) {
                fit = null; // documented once, under the family's first name
            }
            if (fit != null) {
                documented.add(fit);
            }
            perType.put(name, new SpecSchema.Kind(name, t.description(), Shape.ref("model-" + name, name + " spec"),
                    documented));
        }
        Shape model = Shape.anyOf(specs.toArray(new Shape[0])).summarised("a model spec (any type)");
        Shape template = Shape.anyOf(templates.toArray(new Shape[0])).summarised("a model template (any type)");
        catalog.define("model", model);
        catalog.define("template", template);
        catalog.kind("model", "A full model spec of any type (`\"type\"` says which; see the types below).",
                Shape.ref("model", "a model spec"), List.of());
        catalog.kind("template", "A short template of any type that has one, sized by the data it is fitted to "
                + "(`fit`, a study's `template`).", Shape.ref("template", "a model template"), List.of());
        for (SpecSchema.Kind k : perType.values()) {
            catalog.kind(k.name(), k.description(), k.root(), k.documented());
        }
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
