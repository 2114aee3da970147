package org.statespace.spec;

import java.util.Objects;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;

/**
 * A model that is not built yet: a short template ({@link ModelType#template}) that the data it is fitted
 * to sizes and a seeded start initialises, typed by the model class it builds. It is the library's form of
 * hmmlearn's {@code GaussianHMM(n_components=2)} and of the templates that {@code statespace fit} and studies
 * accept; the families' factories make them, e.g. {@code HiddenMarkovModel.gaussian(2)} or
 * {@code StructuralModel.localLevel()}:
 *
 * <pre>{@code
 * ModelTemplate<HiddenMarkovModel> template = HiddenMarkovModel.gaussian(2);
 * HiddenMarkovModel start = template.start(data, Randoms.seeded(1));   // sized by the data
 * // or fit it in one call: Trainer.fit(template, data).model() is a HiddenMarkovModel
 * }</pre>
 *
 * Instances are immutable; {@link #toJson()} is the template as a study or {@code statespace fit} reads it.
 *
 * @param <M> the class of the model the template builds
 */
public final class ModelTemplate<M extends StateSpaceModel<?, ?>> {
    private final Class<M> modelClass;
    private final ObjectNode json;

    private ModelTemplate(Class<M> modelClass, ObjectNode json) {
        this.modelClass = Objects.requireNonNull(modelClass, "modelClass");
        this.json = json.deepCopy();
    }

    /**
     * A template from its JSON form ({@code {"type": "hmm", "states": 3, "emission": "poisson"}}) and the
     * class of the model it builds.
     *
     * @throws SpecException if the JSON has no known {@code "type"} or a field the type's templates lack
     */
    public static <M extends StateSpaceModel<?, ?>> ModelTemplate<M> of(Class<M> modelClass, ObjectNode json) {
        SpecNode node = SpecNode.root(json, "template");
        if (!ModelSpecs.isTemplate(node)) {
            java.util.List<String> fields = ModelSpecs.type(node.field("type")).templateFields();
            for (java.util.Iterator<String> it = json.fieldNames(); it.hasNext();) {
                String name = it.next();
                if (!name.equals("type") && !fields.contains(name)) {
                    throw node.errorAt(name, "unknown field \"" + name + "\"; a " + json.get("type").asText()
                            + " template takes only " + fields);
                }
            }
        }
        return new ModelTemplate<>(modelClass, json);
    }

    /**
     * A template of any class of model (an RNN template that may wrap its network in a standardising
     * {@link org.statespace.transform.StandardizedModel}, say).
     */
    @SuppressWarnings("unchecked")
    public static ModelTemplate<StateSpaceModel<?, ?>> ofAnyModel(ObjectNode json) {
        return of((Class<StateSpaceModel<?, ?>>) (Class<?>) StateSpaceModel.class, json);
    }

    /** The same template with one more field (e.g. {@code with("covarianceType", "full")}). */
    public ModelTemplate<M> with(String field, Object value) {
        ObjectNode copy = json.deepCopy();
        copy.set(field, Json.mapper().valueToTree(value));
        return of(modelClass, copy);
    }

    /** The model type name, e.g. {@code "hmm"}. */
    public String type() {
        return json.get("type").asText();
    }

    /** The class of the model {@link #start} builds. */
    public Class<M> modelClass() {
        return modelClass;
    }

    /** The template's JSON (a copy). */
    public ObjectNode toJson() {
        return json.deepCopy();
    }

    /**
     * The starting model for {@code data}: sized by it (dimension, alphabet, inputs) and initialised from it
     * with {@code random}.
     *
     * @throws org.statespace.DataException when the family does not apply to such data
     */
    public M start(Dataset data, RandomGenerator random) {
        StateSpaceModel<?, ?> model = ModelSpecs.template(SpecNode.root(json, "template"), data, random);
        if (!modelClass.isInstance(model)) {
            throw new SpecException("template", "type", "the " + type() + " template built a "
                    + model.getClass().getSimpleName() + ", not a " + modelClass.getSimpleName());
        }
        return modelClass.cast(model);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelTemplate<?> t && t.modelClass.equals(modelClass) && t.json.equals(json);
    }

    @Override
    public int hashCode() {
        return Objects.hash(modelClass, json);
    }

    @Override
    public String toString() {
        return Json.write(json).strip();
    }
}
