package org.statespace.transform;

import java.util.List;

import org.statespace.StateSpaceModel;
import org.statespace.data.ObservationKind;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.ModelType;
import org.statespace.spec.SpecNode;

/**
 * Reads {@code "standardized"} specs: a model (any type) run on standardised data; see
 * {@link StandardizedModel}.
 */
public final class StandardizedType implements ModelType {

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
        spec.requireObject("type", "observationMean", "observationScale", "inputMean", "inputScale", "model");
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
