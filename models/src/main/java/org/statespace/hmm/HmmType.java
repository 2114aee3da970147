package org.statespace.hmm;

import java.util.List;

import org.statespace.capability.FitSettings;
import org.statespace.numeric.Validate;
import org.statespace.spec.ModelType;
import org.statespace.spec.SpecNode;

/**
 * Reads {@code "hmm"} specs:
 *
 * <pre>{@code
 * {"type": "hmm", "states": ["fair", "loaded"], "initial": [0.5, 0.5],
 *  "transition": [[0.95, 0.05], [0.1, 0.9]],
 *  "emission": {"type": "categorical", "probabilities": [[...], [...]]}}
 * }</pre>
 *
 * {@code states} (names) is optional; K is the size of the transition matrix. The emission is one of
 * {@code categorical}, {@code gaussian}, {@code gmm}, {@code poisson} (see their classes for the fields).
 * {@code "normalize": true} rescales the initial vector, the transition rows, categorical rows and
 * mixture weights that do not sum to 1. Fit options of the family: {@link HmmFitSettings#KEYS}.
 */
public final class HmmType implements ModelType {

    @Override
    public List<String> names() {
        return List.of(HiddenMarkovModel.TYPE);
    }

    @Override
    public String description() {
        return "hidden Markov model with categorical, Gaussian, Gaussian-mixture or Poisson emissions";
    }

    @Override
    public HiddenMarkovModel read(SpecNode spec) {
        spec.requireObject("type", "states", "initial", "transition", "emission", "normalize");
        boolean normalize = spec.optional("normalize").map(SpecNode::asBoolean).orElse(false);
        SpecNode transitionNode = spec.field("transition");
        double[][] rows = transitionNode.asSquareMatrix();
        int k = rows.length;
        rows = Validate.stochasticRows(transitionNode, rows, normalize);
        List<String> names = List.of();
        if (spec.has("states")) {
            SpecNode namesNode = spec.field("states");
            names = namesNode.asDistinctTextList();
            if (names.size() != k) {
                throw namesNode.error(names.size() + " state names, but the transition matrix is " + k + "x" + k);
            }
        }
        SpecNode initialNode = spec.field("initial");
        double[] initial = Validate.probabilities(initialNode, initialNode.asVector(k), normalize);
        SpecNode e = spec.field("emission");
        String type = e.field("type").asChoice(CategoricalEmission.TYPE, GaussianEmission.TYPE,
                GaussianMixtureEmission.TYPE, PoissonEmission.TYPE);
        EmissionModel emission = switch (type) {
            case CategoricalEmission.TYPE -> CategoricalEmission.read(e, k, normalize);
            case GaussianEmission.TYPE -> GaussianEmission.read(e, k);
            case GaussianMixtureEmission.TYPE -> GaussianMixtureEmission.read(e, k, normalize);
            case PoissonEmission.TYPE -> PoissonEmission.read(e, k);
            default -> throw new IllegalStateException(type);
        };
        return HiddenMarkovModel.trusted(names, initial.clone(), Validate.pack(rows), emission);
    }

    @Override
    public FitSettings readFitSettings(SpecNode options) {
        options.requireObject(HmmFitSettings.KEYS.toArray(new String[0]));
        HmmFitSettings s = HmmFitSettings.defaults();
        if (options.has("fitInitial")) {
            s = s.withFitInitial(options.field("fitInitial").asBoolean());
        }
        if (options.has("fitTransition")) {
            s = s.withFitTransition(options.field("fitTransition").asBoolean());
        }
        if (options.has("fitEmission")) {
            s = s.withFitEmission(options.field("fitEmission").asBoolean());
        }
        if (options.has("initialPseudoCount")) {
            s = s.withInitialPseudoCount(options.field("initialPseudoCount").asDoubleAtLeast(0));
        }
        if (options.has("transitionPseudoCount")) {
            s = s.withTransitionPseudoCount(options.field("transitionPseudoCount").asDoubleAtLeast(0));
        }
        if (options.has("selfTransitionPseudoCount")) {
            s = s.withSelfTransitionPseudoCount(options.field("selfTransitionPseudoCount").asDoubleAtLeast(0));
        }
        if (options.has("emissionPseudoCount")) {
            s = s.withEmissionPseudoCount(options.field("emissionPseudoCount").asDoubleAtLeast(0));
        }
        if (options.has("covarianceFloor")) {
            s = s.withCovarianceFloor(options.field("covarianceFloor").asPositive());
        }
        if (options.has("rateFloor")) {
            s = s.withRateFloor(options.field("rateFloor").asPositive());
        }
        return s;
    }

    @Override
    public List<String> fitSettingNames() {
        return HmmFitSettings.KEYS;
    }
}
