package org.statespace.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.random.RandomGenerator;

import org.statespace.StateSpaceModel;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.ObservedRows;

/**
 * A family's entry in the spec registry. Families register implementations in
 * {@code META-INF/services/org.statespace.spec.ModelType}; the core finds them with
 * {@link java.util.ServiceLoader} and never names a family.
 *
 * <p>A family declares its fields once, as {@link Fields} constants, and uses them in its readers
 * ({@link SpecNode#requireObject(Fields)} for the unknown-field check with its "did you mean",
 * {@link Shape#choiceArray()} for the allowed strings); it returns them once from {@link #declarations()}
 * (which {@link #specFields}, {@link #templateSpecFields} and {@link #fitFields} give), and the JSON Schemas
 * ({@code statespace schema}) and {@code docs/spec-reference.md} are generated from nothing else:
 *
 * <pre>{@code
 * static final Fields SPEC = Fields.of("ar1", "AR(1) with Gaussian noise.",
 *         Field.type("ar1", "the model type"),
 *         Field.required("coefficient", Shape.range(-1, false, 1, false), "φ").example("0.8"),
 *         Field.optional("noiseVariance", Shape.positive(), "σ²").withDefault("1"));
 *
 * public Declarations declarations() { return new Declarations(SPEC, null, null); }
 * public StateSpaceModel<?, ?> read(SpecNode spec) { spec.requireObject(SPEC); ... }
 * }</pre>
 *
 * A family that declares nothing still gets an open schema entry (any object with its {@code "type"}).
 */
public interface ModelType {

    /** The {@code "type"} values this entry reads, e.g. {@code ["markov-chain"]}. */
    List<String> names();

    /** A one-line description for {@code --help} and listings. */
    String description();

    /**
     * Reads a model from its spec. {@code spec} is the whole object including {@code "type"}; unknown
     * fields, wrong shapes and invalid values are {@link org.statespace.SpecException}s at their path.
     */
    StateSpaceModel<?, ?> read(SpecNode spec);

    /**
     * Reads the family-specific part of fit options (the keys the trainer does not handle itself, such
     * as pseudo-counts or which parameters to hold fixed). {@code options} holds only those keys; an
     * unknown one is an error. The default accepts none.
     */
    default FitSettings readFitSettings(SpecNode options) {
        options.requireObject();
        return FitSettings.NONE;
    }

    /**
     * Builds a starting model from a short template sized by the data it will be fitted to, so one
     * entry of a comparative study applies to datasets of different shapes: e.g.
     * {@code {"type": "hmm", "states": 3, "emission": "gaussian"}} or
     * {@code {"type": "rnn", "cell": "gru", "hiddenSize": 16}}. {@code template} includes its
     * {@code "type"}; unknown fields are errors. The default has no templates.
     *
     * @param data   the training data (its kind, dimension, alphabet and inputs size the model)
     * @param random for any random part of the start (seeded by the study)
     * @throws org.statespace.SpecException for a malformed template
     * @throws org.statespace.DataException when the family does not apply to such data (a study reports
     *                                      the pair as skipped, with the message as the reason)
     */
    default StateSpaceModel<?, ?> template(SpecNode template, Dataset data, RandomGenerator random) {
        throw template.error("a " + names().get(0) + " model has no template; give a full spec under \"init\"");
    }

    /**
     * The start {@link #template(SpecNode, Dataset, RandomGenerator)} gives, for data that are not in memory (a
     * cluster's partitions): the model sized by {@code shape}, then drawn from the data's {@link ObservedRows} with
     * the same generator, so that equal data give an equal start. Empty when this family's template reads more
     * of the data than its shape and rows (their counts, {@linkplain ObservedRows#moments moments} and rows chosen
     * by index); the default.
     *
     * @param shape a dataset of the data's kind, dimension, inputs and alphabet (one of its sequences in the
     *              alphabet of them all, say), which only sizes the model
     * @param rows  the rows of the data matched to the observation space of a model of this template's structure
     *              (asked once, with the sized model before its draw)
     * @throws org.statespace.SpecException  for a malformed template
     * @throws org.statespace.DataException  when the family does not apply to such data
     */
    default Optional<StateSpaceModel<?, ?>> template(SpecNode template, Dataset shape,
            Function<StateSpaceModel<?, ?>, ObservedRows> rows, RandomGenerator random) {
        return Optional.empty();
    }

    /**
     * The fields a template of this type accepts besides "type" (for help texts); empty when none. The default
     * lists those of the {@link #declarations()} template.
     */
    default List<String> templateFields() {
        Declarations d = declarations();
        return d == null || d.template() == null ? List.of() : d.template().namesButType();
    }

    /**
     * The family-specific fit keys {@link #readFitSettings} understands (for error messages and help). The default
     * lists those of the {@link #declarations()} fit settings.
     */
    default List<String> fitSettingNames() {
        Declarations d = declarations();
        return d == null || d.fit() == null ? List.of() : d.fit().names();
    }

    /**
     * The fit options a template carries for the fit that follows it, as keys of {@link #readFitSettings}, each
     * used where the fit options do not give that key: e.g. a Markov chain template's additive smoothing
     * ({@code "pseudoCount"}), so that a template scores held-out data sensibly without a fit block. Reads and
     * checks only those fields of {@code template} (a malformed one is a {@link org.statespace.SpecException}
     * at its path). The default carries none.
     */
    default com.fasterxml.jackson.databind.node.ObjectNode templateFitOptions(SpecNode template) {
        return Json.object();
    }

    // ----------------------------------------------------------------------------------------------
    // declarations: the one source of the reader's field check, the JSON Schema and the reference page.
    // A family declares its fields as Fields constants, passes them to SpecNode.requireObject(Fields) in
    // its readers and returns them here; SpecSchema generates the schema from nothing else.

    /**
     * A family's declarations of one spec type: its full spec, its template and its fit settings, each the
     * {@link Fields} its reader checks.
     *
     * @param spec     the fields of a full spec, including {@code "type"}
     * @param template the fields of a template, including {@code "type"}; null when the type has no template
     * @param fit      the family-specific fit settings; null when it has none
     */
    record Declarations(Fields spec, Fields template, Fields fit) {
        public Declarations {
            java.util.Objects.requireNonNull(spec, "spec");
        }
    }

    /**
     * The family's declarations, from which {@link #specFields}, {@link #templateSpecFields}, {@link #fitFields},
     * {@link #templateFields} and {@link #fitSettingNames} answer unless a family overrides them; null (the
     * default) for a family that declares nothing.
     */
    default Declarations declarations() {
        return null;
    }

    /**
     * The fields of a full spec of type {@code name} (one of {@link #names()}), including {@code "type"}.
     * The default gives the {@link #declarations()} spec, or for a family that declares none only {@code "type"},
     * accepting any other field, so an undeclared family still has an (open) schema entry.
     */
    default Fields specFields(String name) {
        Declarations d = declarations();
        return d != null ? d.spec() : Fields.undeclared(name, description());
    }

    /**
     * The fields of a template of type {@code name} ({@link #template}), including {@code "type"};
     * {@code null} when the type has no template. The default gives the {@link #declarations()} template, or
     * for a family that declares none {@link #templateFields()} with any value.
     */
    default Fields templateSpecFields(String name) {
        Declarations d = declarations();
        if (d != null) {
            return d.template();
        }
        return anyValues(name + " template", "a short " + name + " template sized by the data",
                List.of(Field.type(name, "the model type")), templateFields());
    }

    /**
     * The family-specific fit settings ({@link #readFitSettings}); the default gives the {@link #declarations()} fit
     * settings, or for a family that declares none {@link #fitSettingNames()} with any value.
     */
    default Fields fitFields() {
        Declarations d = declarations();
        if (d != null) {
            return d.fit();
        }
        return anyValues(names().get(0) + " fit settings", "fit settings of " + names().get(0) + " models",
                List.of(), fitSettingNames());
    }

    private static Fields anyValues(String title, String description, List<Field> first, List<String> names) {
        if (names.isEmpty()) {
            return null;
        }
        List<Field> all = new ArrayList<>(first);
        for (String n : names) {
            all.add(Field.optional(n, Shape.any(), "(not declared by the family)"));
        }
        return Fields.of(title, description, all);
    }
}
