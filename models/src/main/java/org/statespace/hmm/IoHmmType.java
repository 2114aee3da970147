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
import org.statespace.spec.ModelType;
import org.statespace.spec.SpecNode;

/**
 * Reads {@code "iohmm"} specs, input-output HMMs ({@link InputOutputHmm}):
 *
 * <pre>{@code
 * {"type": "iohmm", "states": ["calm", "storm"], "inputs": 1,
 *  "initial": [0.5, 0.5],                                   (or "initialWeights": K×p, "initialBiases": K)
 *  "transitionWeights": [[[0], [0.8]], [[-0.8], [0]]],      K matrices K×p: W_i, row j = weights of i -> j
 *  "transitionBiases": [[2, -2], [-2, 2]],                  K×K: b_i
 *  "emission": {"type": "gaussian", ...}}                   any HMM emission, or "regression" (RegressionEmission)
 * }</pre>
 *
 * A type of its own rather than an option of {@code "hmm"}: its transition parameters are softmax
 * coefficients, not a stochastic matrix, it needs inputs, and its emission may be a regression on them, so
 * every field but {@code states} and {@code emission} differs; the HMM's kernels are shared underneath.
 * Fit options are the HMM's ({@link HmmFitSettings#KEYS}).
 */
public final class IoHmmType implements ModelType {

    @Override
    public List<String> names() {
        return List.of(InputOutputHmm.TYPE);
    }

    @Override
    public String description() {
        return "input-output HMM: transitions softmax(W_i u_t + b_i) on the inputs; any HMM emission, or "
                + "regression / autoregressive Gaussian emissions";
    }

    @Override
    public InputOutputHmm read(SpecNode spec) {
        spec.requireObject(IoHmmFields.SPEC);
        boolean normalize = spec.optional("normalize").map(SpecNode::asBoolean).orElse(false);
        int p = spec.field("inputs").asInt(0, 10_000);
        SpecNode biasNode = spec.field("transitionBiases");
        double[][] b = biasNode.asSquareMatrix();
        int k = b.length;
        if (k < 1) {
            throw biasNode.error("expected at least one state");
        }
        List<String> names = HmmType.readStateNames(spec, k, "transitionBiases");
        SpecNode weightNode = spec.field("transitionWeights");
        List<SpecNode> perState = weightNode.elements();
        if (perState.size() != k) {
            throw weightNode.error("expected " + k + " matrices (one per source state, each " + k + "x" + p + "), got "
                    + perState.size());
        }
        double[] weights = new double[k * k * p];
        for (int i = 0; i < k; i++) {
            double[][] w = p == 0 ? new double[k][0] : perState.get(i).asMatrix(k, p);
            if (p == 0 && perState.get(i).elements().size() != k) {
                throw perState.get(i).error("expected " + k + " empty rows (the model has no inputs)");
            }
            for (int j = 0; j < k; j++) {
                System.arraycopy(w[j], 0, weights, (i * k + j) * p, p);
            }
        }
        boolean inputInitial = spec.has("initialWeights") || spec.has("initialBiases");
        double[] initial = null;
        double[] initialWeights = null;
        double[] initialBiases = null;
        if (inputInitial) {
            if (spec.has("initial")) {
                throw spec.errorAt("initial", "give either initial (a fixed start) or initialWeights and initialBiases "
                        + "(a start driven by the first input), not both");
            }
            initialWeights = Validate.pack(p == 0 ? new double[k][0] : spec.field("initialWeights").asMatrix(k, p));
            initialBiases = spec.field("initialBiases").asVector(k);
        } else {
            SpecNode initialNode = spec.field("initial");
            initial = Validate.probabilities(initialNode, initialNode.asVector(k), normalize).clone();
        }
        SpecNode e = spec.field("emission");
        EmissionModel standard = null;
        RegressionEmission regression = null;
        if (e.has("type") && e.field("type").json().isTextual() && e.field("type").asText().equals(RegressionEmission.TYPE)) {
            regression = RegressionEmission.read(e, k, p);
        } else {
            standard = HmmType.readEmission(e, k, normalize);
        }
        return new InputOutputHmm(names, k, p, weights, Validate.pack(b), inputInitial, initial, initialWeights,
                initialBiases, standard, regression);
    }

    /**
     * {@code {"type": "iohmm", "states": K, "emission": "gaussian" | "regression" | "autoregressive", "lags": L}}:
     * K states (default 2) and the data's inputs, full Gaussian covariances, started by
     * {@link InputOutputHmm#initialize} (the HMM's k-means++ start: W = 0, b_i = log A_i, and for regression
     * emissions C_k = 0 with the k-means mean as intercept)
     * ({@code "regression"}: on the inputs; {@code "autoregressive"}: on L previous observations, default 1,
     * and no inputs in the mean).
     */
    @Override
    public InputOutputHmm template(SpecNode template, Dataset data, RandomGenerator random) {
        return skeleton(template, data).initialize(data, random, HmmFitSettings.defaults());
    }

    /** The same start from the data's shape and rows: the skeleton sized by the shape, drawn from the rows. */
    @Override
    public Optional<StateSpaceModel<?, ?>> template(SpecNode template, Dataset shape,
            Function<StateSpaceModel<?, ?>, ObservedRows> rows, RandomGenerator random) {
        InputOutputHmm skeleton = skeleton(template, shape);
        return Optional.of(skeleton.initialize(rows.apply(skeleton), random, HmmFitSettings.defaults()));
    }

    // the template's model sized by the data, before its draw
    private InputOutputHmm skeleton(SpecNode template, Dataset data) {
        template.requireObject(IoHmmFields.TEMPLATE);
        int k = template.optional("states").map(n -> n.asInt(1, 1000)).orElse(2);
        String emission = template.optional("emission")
                .map(n -> n.asChoice(GaussianEmission.TYPE, RegressionEmission.TYPE, "autoregressive"))
                .orElse(GaussianEmission.TYPE);
        int lags = template.optional("lags").map(n -> n.asInt(1, 100)).orElse(1);
        if (template.has("lags") && !emission.equals("autoregressive")) {
            throw template.errorAt("lags", "lags go with \"emission\": \"autoregressive\"");
        }
        if (data.kind() == ObservationKind.SYMBOLS) {
            throw new DataException("an iohmm template has Gaussian emissions, which do not apply to symbols");
        }
        int p = data.inputDimension();
        if (p == 0 && !emission.equals("autoregressive")) {
            throw new DataException("an input-output HMM needs inputs, and the dataset has none");
        }
        int d = data.dimension();
        double[] uniform = new double[k];
        java.util.Arrays.fill(uniform, 1.0 / k);
        double[][][] identities = new double[k][d][d];
        double[] flatIdentities = new double[k * d * d];
        for (int s = 0; s < k; s++) {
            for (int j = 0; j < d; j++) {
                identities[s][j][j] = 1;
                flatIdentities[(s * d + j) * d + j] = 1;
            }
        }
        EmissionModel standard = null;
        RegressionEmission regression = null;
        if (emission.equals(GaussianEmission.TYPE)) {
            standard = GaussianEmission.full(new double[k][d], identities);
        } else {
            boolean inputs = emission.equals(RegressionEmission.TYPE);
            int lagCount = inputs ? 0 : lags;
            int q = (inputs ? p : 0) + lagCount * d + 1;
            regression = new RegressionEmission(k, d, p, inputs, lagCount, new double[k * d * q], flatIdentities);
        }
        return new InputOutputHmm(List.of(), k, p, new double[k * k * p], new double[k * k], false,
                uniform, null, null, standard, regression);
    }

    @Override
    public Declarations declarations() {
        return new Declarations(IoHmmFields.SPEC, IoHmmFields.TEMPLATE, HmmFields.FIT);
    }

    @Override
    public FitSettings readFitSettings(SpecNode options) {
        return new HmmType().readFitSettings(options);
    }
}
