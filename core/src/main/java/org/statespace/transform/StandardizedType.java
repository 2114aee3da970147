package org.statespace.transform;

import java.util.List;

import org.statespace.StateSpaceModel;
import org.statespace.data.ObservationKind;
import org.statespace.spec.Field;
import org.statespace.spec.Fields;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.ModelType;
import org.statespace.spec.Shape;
import org.statespace.spec.SpecNode;

/**
 * Reads {@code "standardized"} specs: a model (any type) run on standardised data; see
 * {@link StandardizedModel}.
 */
public final class StandardizedType implements ModelType {

    /** The fields of a {@code "standardized"} spec. */
    static final Fields SPEC = Fields.of(StandardizedModel.TYPE, "Any model run on standardised data: observations "
            + "are mapped to (y - mean) / scale before the inner model sees them, and scored on the data's own scale.",
            Field.type(StandardizedModel.TYPE, "the model type"),
            Field.required("model", Shape.ref("model", "a model spec"), "the inner model (any type), which sees "
                    + "standardised data").example("{\"type\": \"local-level\", \"observationVariance\": 15099, \"levelVariance\": 1469.1}"),
            Field.optional("observationMean", Shape.vector(), "the observations' means (one per dimension); required "
                    + "unless the model emits symbols").example("[1120.5]"),
            Field.optional("observationScale", Shape.vector(), "the observations' scales, each > 0; required with "
                    + "observationMean").example("[169.2]"),
            Field.optional("inputMean", Shape.vector(), "the inputs' means; required when the model takes inputs")
                    .example("[0.5]"),
            Field.optional("inputScale", Shape.vector(), "the inputs' scales, each > 0; required with inputMean")
                    .example("[2.0]"));

    @Override
    public Fields specFields(String name) {
        return SPEC;
    }

    @Override
    public List<String> names() {
        return List.of(StandardizedModel.TYPE);
    }

    @Override
    public String description() {
        return "any model run on standardised observations and inputs, scored on the data's own scale";
    }

    @Override
    public StateSpaceModel<?, ?> read(SpecNode spec) {
        spec.requireObject(SPEC);
        StateSpaceModel<?, ?> inner = ModelSpecs.read(spec.field("model"));
        boolean symbols = inner.observationSpace().kind() == ObservationKind.SYMBOLS;
        int d = symbols ? 0 : inner.observationSpace().dimension();
        int p = inner.observationSpace().inputDimension();
        double[][] obs = pair(spec, "observationMean", "observationScale", d,
                symbols ? "the model emits symbols, which are not standardised" : "");
        double[][] in = pair(spec, "inputMean", "inputScale", p, "the model takes no inputs");
        return StandardizedModel.of(inner, obs[0], obs[1], in[0], in[1]);
    }

    private static double[][] pair(SpecNode spec, String meanName, String scaleName, int n, String whyNone) {
        if (n == 0) {
            for (String name : List.of(meanName, scaleName)) {
                if (spec.has(name)) {
                    throw spec.errorAt(name, "not allowed: " + whyNone);
                }
            }
            return new double[][] {new double[0], new double[0]};
        }
        double[] mean = spec.field(meanName).asVector(n);
        SpecNode scaleNode = spec.field(scaleName);
        double[] scale = scaleNode.asVector(n);
        for (int j = 0; j < n; j++) {
            if (!(scale[j] > 0)) {
                throw new org.statespace.SpecException(scaleNode.source(), scaleNode.path() + "[" + j + "]",
                        "a scale must be positive, got " + scale[j]);
            }
        }
        return new double[][] {mean, scale};
    }
}
