package org.statespace.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.StateSpaceModel;
import org.statespace.capability.FitSettings;
import org.statespace.spec.Fields;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.ModelType;
import org.statespace.spec.SpecNode;

/**
 * Fit options read from JSON: the keys the trainer understands ({@link TrainOptions#KEYS}) and the rest,
 * which the model's family reads as its {@link FitSettings}. An unknown key is an error naming it.
 *
 * <pre>{@code
 * {"maxIterations": 200, "tolerance": 1e-8, "restarts": 3, "pseudoCount": 1}
 * {"method": "online-em", "chunkLength": 1000, "batchSize": 1, "stepExponent": 0.6, "stepOffset": 2, "warmUp": 1}
 * }</pre>
 *
 * @param options  the trainer's options
 * @param settings the family's settings
 */
public record FitConfiguration(TrainOptions options, FitSettings settings) {

    /** Defaults for a model: {@link TrainOptions#defaults()} and the family's default settings. */
    public static FitConfiguration defaults(StateSpaceModel<?, ?> model) {
        return read(SpecNode.root(Json.object(), "fit"), model, TrainOptions.defaults());
    }

    /**
     * Reads fit options for a model built from a template: the options {@code node} gives, and for a key it does
     * not give, the value the template carries ({@link ModelType#templateFitOptions}, e.g. a Markov chain
     * template's {@code pseudoCount}). {@code template} null: as {@link #read(SpecNode, StateSpaceModel,
     * TrainOptions)}.
     */
    public static FitConfiguration read(SpecNode node, SpecNode template, StateSpaceModel<?, ?> model,
            TrainOptions base) {
        if (template == null || !node.json().isObject()) {
            return read(node, model, base);
        }
        ObjectNode carried = ModelSpecs.type(template.field("type")).templateFitOptions(template);
        if (carried.isEmpty()) {
            return read(node, model, base);
        }
        ObjectNode merged = ((ObjectNode) node.json()).deepCopy();
        carried.fields().forEachRemaining(e -> {
            if (!merged.has(e.getKey())) {
                merged.set(e.getKey(), e.getValue());
            }
        });
        return read(SpecNode.root(merged, node.source()).relocated(node.path()), model, base);
    }

    /**
     * Reads fit options for a model.
     *
     * @param node  the JSON object (may be empty)
     * @param base  the options to start from (command-line values, defaults)
     */
    public static FitConfiguration read(SpecNode node, StateSpaceModel<?, ?> model, TrainOptions base) {
        ModelType type = ModelSpecs.type(model.type());
        if (!node.json().isObject()) {
            throw node.error("fit options must be an object, got " + SpecNode.describe(node.json()));
        }
        Fields family = type.fitFields();
        node.requireObject(family == null ? TrainFields.FIELDS : TrainFields.FIELDS.plus(family.fields()));
        TrainOptions o = base;
        if (node.has("method")) {
            String m = node.field("method").asChoice(TrainFields.FIELDS.field("method").shape().choiceArray());
            o = o.withMethod(TrainOptions.Method.fromJson(m));
        }
        if (node.has("maxIterations") && node.has("epochs")) {
            throw node.errorAt("epochs", "give maxIterations or epochs, not both");
        }
        if (node.has("maxIterations")) {
            o = o.withMaxIterations(node.field("maxIterations").asInt(1, 100_000_000));
        }
        if (node.has("epochs")) {
            o = o.withMaxIterations(node.field("epochs").asInt(1, 100_000_000));
        }
        if (node.has("tolerance")) {
            o = o.withTolerance(node.field("tolerance").asDoubleAtLeast(0));
        }
        if (node.has("restarts")) {
            o = o.withRestarts(node.field("restarts").asInt(0, 10_000));
        }
        if (node.has("seed")) {
            o = o.withSeed(node.field("seed").asLong());
        }
        if (node.has("optimizer")) {
            o = o.withOptimizer(TrainOptions.Optimizer.fromJson(node.field("optimizer")
                    .asChoice(TrainOptions.Optimizer.names().toArray(new String[0]))));
        }
        if (node.has("learningRate")) {
            o = o.withLearningRate(node.field("learningRate").asPositive());
        }
        if (node.has("momentum")) {
            SpecNode m = node.field("momentum");
            double v = m.asDouble();
            if (!(v >= 0 && v < 1)) {
                throw m.error("must be in [0, 1), got " + v);
            }
            o = o.withMomentum(v);
        }
        if (node.has("batchSize")) {
            o = o.withBatchSize(node.field("batchSize").asInt(1, 1_000_000));
        }
        if (node.has("chunkLength")) {
            o = o.withChunkLength(node.field("chunkLength").asInt(0, 100_000_000));
        }
        if (node.has("clipNorm")) {
            o = o.withClipNorm(node.field("clipNorm").asDoubleAtLeast(0));
        }
        if (node.has("validationFraction")) {
            SpecNode f = node.field("validationFraction");
            double v = f.asDouble();
            if (!(v >= 0 && v < 1)) {
                throw f.error("must be in [0, 1), got " + v);
            }
            o = o.withValidationFraction(v);
        }
        if (node.has("patience")) {
            o = o.withPatience(node.field("patience").asInt(0, 1_000_000));
        }
        if (node.has("checkpointEvery")) {
            o = o.withCheckpoint(o.checkpoint(), node.field("checkpointEvery").asInt(1, 1_000_000));
        }
        if (node.has("stepExponent")) {
            SpecNode a = node.field("stepExponent");
            double v = a.asDouble();
            if (!(v > 0.5 && v <= 1)) {
                throw a.error("must be in (0.5, 1] (the step sizes (k + t0)^-stepExponent of online EM), got " + v);
            }
            o = o.withOnline(o.online().withStepExponent(v));
        }
        if (node.has("stepOffset")) {
            o = o.withOnline(o.online().withStepOffset(node.field("stepOffset").asDoubleAtLeast(0)));
        }
        if (node.has("warmUp")) {
            o = o.withOnline(o.online().withWarmUp(node.field("warmUp").asInt(0, 100_000_000)));
        }
        ObjectNode familyPart = Json.object();
        for (String name : node.fieldNames()) {
            if (!TrainOptions.KEYS.contains(name)) {
                familyPart.set(name, node.json().get(name));
            }
        }
        FitSettings settings = type.readFitSettings(SpecNode.root(familyPart, node.source()).relocated(node.path()));
        return new FitConfiguration(o, settings);
    }
}
