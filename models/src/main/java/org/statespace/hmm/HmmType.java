package org.statespace.hmm;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.random.RandomGenerator;

import org.statespace.StateSpaceModel;
import org.statespace.DataException;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.ObservedRows;
import org.statespace.data.ObservationKind;
import org.statespace.numeric.Validate;
import org.statespace.spec.Fields;
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
 * mixture weights that do not sum to 1. Fit options of the family: {@link HmmFitSettings#KEYS}. The optional
 * {@code "prior"} (MAP EM) and {@code "fit"} (fixed, tied and bounded parameters) blocks are described in
 * the package documentation; they are written back with the fitted spec.
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
        spec.requireObject(HmmFields.SPEC);
        boolean normalize = spec.optional("normalize").map(SpecNode::asBoolean).orElse(false);
        SpecNode transitionNode = spec.field("transition");
        double[][] rows = transitionNode.asSquareMatrix();
        int k = rows.length;
        rows = Validate.stochasticRows(transitionNode, rows, normalize);
        List<String> names = readStateNames(spec, k, "the transition matrix");
        SpecNode initialNode = spec.field("initial");
        double[] initial = Validate.probabilities(initialNode, initialNode.asVector(k), normalize);
        EmissionModel emission = readEmission(spec.field("emission"), k, normalize);
        double[] packed = Validate.pack(rows);
        HmmFitControl control = HmmFitControl.read(spec, initial, packed, emission);
        return HiddenMarkovModel.trusted(names, initial.clone(), packed, emission, control);
    }

    /**
     * The optional {@code "states"} of a spec of K states: K distinct names, or none when the field is absent;
     * {@code sizedBy} names the field whose size K is, for the error.
     */
    public static List<String> readStateNames(SpecNode spec, int k, String sizedBy) {
        if (!spec.has("states")) {
            return List.of();
        }
        SpecNode namesNode = spec.field("states");
        List<String> names = namesNode.asDistinctTextList();
        if (names.size() != k) {
            throw namesNode.error(names.size() + " state names, but " + sizedBy + " is " + k + "x" + k);
        }
        return names;
    }

    /**
     * Reads an {@code "emission"} object of K states (categorical, gaussian, gmm or poisson), as in an
     * HMM spec; other families with per-state emissions (the explicit-duration HMM) read theirs here.
     */
    public static EmissionModel readEmission(SpecNode e, int k, boolean normalize) {
        String type = e.field("type").asChoice(CategoricalEmission.TYPE, GaussianEmission.TYPE,
                GaussianMixtureEmission.TYPE, PoissonEmission.TYPE);
        return switch (type) {
            case CategoricalEmission.TYPE -> CategoricalEmission.read(e, k, normalize);
            case GaussianEmission.TYPE -> GaussianEmission.read(e, k);
            case GaussianMixtureEmission.TYPE -> GaussianMixtureEmission.read(e, k, normalize);
            case PoissonEmission.TYPE -> PoissonEmission.read(e, k);
            default -> throw new IllegalStateException(type);
        };
    }

    /**
     * {@code {"type": "hmm", "states": K, "emission": "auto", "covarianceType": "diagonal", "components": C}}:
     * an HMM of K states (default 2) sized by the data and started by {@link HiddenMarkovModel#initialize}
     * (k-means++ for Gaussian emissions). {@code emission} is {@code categorical}, {@code gaussian},
     * {@code poisson}, {@code gmm}, or {@code auto} (the default: categorical for symbols, Gaussian
     * otherwise); {@code covarianceType} (default diagonal, as in hmmlearn) and {@code components}
     * (default 2) apply to Gaussian and mixture emissions.
     */
    @Override
    public HiddenMarkovModel template(SpecNode template, Dataset data, RandomGenerator random) {
        return skeleton(template, data).initialize(data, random, HmmFitSettings.defaults());
    }

    /** The same start from the data's shape and rows: the skeleton sized by the shape, drawn from the rows. */
    @Override
    public Optional<StateSpaceModel<?, ?>> template(SpecNode template, Dataset shape,
            Function<StateSpaceModel<?, ?>, ObservedRows> rows, RandomGenerator random) {
        HiddenMarkovModel skeleton = skeleton(template, shape);
        return Optional.of(skeleton.initialize(rows.apply(skeleton), random, HmmFitSettings.defaults()));
    }

    // the template's model sized by the data, with uniform rows and unit emissions (before its draw)
    HiddenMarkovModel skeleton(SpecNode template, Dataset data) {
        template.requireObject(HmmFields.TEMPLATE);
        int k = template.optional("states").map(n -> n.asInt(1, 1000)).orElse(2);
        String emission = template.optional("emission")
                .map(n -> n.asChoice(HmmFields.TEMPLATE_EMISSION.choiceArray()))
                .orElse("auto");
        CovarianceType covariance = template.optional("covarianceType")
                .map(n -> CovarianceType.fromJson(n.asChoice(HmmFields.COVARIANCE_TYPE.choiceArray())))
                .orElse(CovarianceType.DIAGONAL);
        int c = template.optional("components").map(n -> n.asInt(1, 100)).orElse(2);
        boolean symbols = data.kind() == ObservationKind.SYMBOLS;
        if (emission.equals("auto")) {
            emission = symbols ? CategoricalEmission.TYPE : GaussianEmission.TYPE;
        }
        if (symbols != emission.equals(CategoricalEmission.TYPE)) {
            throw new DataException("a " + emission + " HMM does not apply to " + (symbols ? "symbols" : "real values"));
        }
        int d = data.dimension();
        double[][] means = new double[k][d];
        EmissionModel e = switch (emission) {
            case CategoricalEmission.TYPE -> {
                int m = data.alphabetSize();
                double[][] p = new double[k][m];
                for (double[] row : p) {
                    java.util.Arrays.fill(row, 1.0 / m);
                }
                yield CategoricalEmission.of(data.symbolNames(), p);
            }
            case PoissonEmission.TYPE -> {
                double[][] rates = new double[k][d];
                for (double[] row : rates) {
                    java.util.Arrays.fill(row, 1);
                }
                yield PoissonEmission.of(rates);
            }
            case GaussianEmission.TYPE -> switch (covariance) {
                case FULL -> GaussianEmission.full(means, identities(k, d));
                case DIAGONAL -> GaussianEmission.diagonal(means, ones(k, d));
                case SPHERICAL -> GaussianEmission.spherical(means, ones(1, k)[0]);
                case TIED -> GaussianEmission.tied(means, identities(1, d)[0]);
            };
            default -> {
                double[][] weights = new double[k][c];
                for (double[] row : weights) {
                    java.util.Arrays.fill(row, 1.0 / c);
                }
                double[][][] mixtureMeans = new double[k][c][d];
                if (covariance == CovarianceType.FULL) {
                    double[][][][] covs = new double[k][][][];
                    for (int i = 0; i < k; i++) {
                        covs[i] = identities(c, d);
                    }
                    yield GaussianMixtureEmission.full(weights, mixtureMeans, covs);
                }
                if (covariance != CovarianceType.DIAGONAL) {
                    throw template.errorAt("covarianceType", "a gmm emission takes full or diagonal covariances");
                }
                double[][][] variances = new double[k][][];
                for (int i = 0; i < k; i++) {
                    variances[i] = ones(c, d);
                }
                yield GaussianMixtureEmission.diagonal(weights, mixtureMeans, variances);
            }
        };
        double[] initial = new double[k];
        java.util.Arrays.fill(initial, 1.0 / k);
        double[][] transition = new double[k][k];
        for (double[] row : transition) {
            java.util.Arrays.fill(row, 1.0 / k);
        }
        return HiddenMarkovModel.of(initial, transition, e);
    }

    private static double[][][] identities(int count, int d) {
        double[][][] out = new double[count][d][d];
        for (double[][] m : out) {
            for (int j = 0; j < d; j++) {
                m[j][j] = 1;
            }
        }
        return out;
    }

    private static double[][] ones(int rows, int cols) {
        double[][] out = new double[rows][cols];
        for (double[] row : out) {
            java.util.Arrays.fill(row, 1);
        }
        return out;
    }

    @Override
    public Declarations declarations() {
        return new Declarations(HmmFields.SPEC, HmmFields.TEMPLATE, HmmFields.FIT);
    }

    @Override
    public FitSettings readFitSettings(SpecNode options) {
        options.requireObject(HmmFields.FIT);
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
}
