package org.statespace.hmm;

import org.statespace.spec.Field;
import org.statespace.spec.Fields;
import org.statespace.spec.Shape;

/**
 * The declared fields of {@code "iohmm"} specs, their regression emission and templates: the readers check
 * field names against these and the JSON Schema and reference page are generated from them.
 */
final class IoHmmFields {
    private IoHmmFields() {
    }

    /** A regression (or autoregressive) Gaussian emission. */
    static final Fields REGRESSION = Fields.of("emission regression", "Gaussian emissions whose mean is a regression: "
            + "o_t | s_t = k ~ N(C_k x_t, Σ_k), x_t = [u_t; o_{t-1}; ...; o_{t-L}; 1].",
            Field.type(RegressionEmission.TYPE, "the emission type"),
            Field.optional("inputs", Shape.bool(), "whether the inputs u_t are regressors").withDefault("true"),
            Field.optional("lags", Shape.integer(0, 100), "previous observations L that are regressors "
                    + "(autoregressive)").withDefault("0"),
            Field.required("coefficients", Shape.matrices(), "K matrices C_k, each d×q (the last column the "
                    + "intercept)").example("[[[0.5, 1.0]], [[-0.5, 3.0]]]"),
            Field.required("covariances", Shape.matrices(), "K covariance matrices d×d, symmetric positive definite")
                    .example("[[[1.0]], [[0.5]]]"));

    /** A full {@code "iohmm"} spec. */
    static final Fields SPEC = Fields.of(InputOutputHmm.TYPE, "Input-output HMM: transitions from state i are "
            + "softmax(W_i u_t + b_i) on the inputs u_t.",
            Field.type(InputOutputHmm.TYPE, "the model type"),
            Field.optional("states", Shape.names(), "names of the K states; default \"0\"..\"K-1\"")
                    .example("[\"calm\", \"busy\"]"),
            Field.required("inputs", Shape.integer(0, 10_000), "the number p of inputs per step").example("1"),
            Field.optional("initial", Shape.vector(), "a fixed initial distribution (K probabilities); or give "
                    + "initialWeights and initialBiases").example("[0.5, 0.5]"),
            Field.optional("initialWeights", Shape.matrix(), "K×p weights V of a start softmax(V u_0 + c)")
                    .example("[[0.0], [1.0]]"),
            Field.optional("initialBiases", Shape.vector(), "the K biases c of that start").example("[0.0, 0.0]"),
            Field.required("transitionWeights", Shape.matrices(), "K matrices W_i, each K×p").example(
                    "[[[0.0], [1.0]], [[0.0], [-1.0]]]"),
            Field.required("transitionBiases", Shape.matrix(), "K×K biases, row i = b_i").example(
                    "[[0.0, -2.0], [-2.0, 0.0]]"),
            Field.required("emission", HmmFields.emission(java.util.Map.of(RegressionEmission.TYPE, REGRESSION)),
                    "the per-state emission").example("{\"type\": \"poisson\", \"rates\": [[1.5], [8.0]]}"),
            Field.optional("normalize", Shape.bool(), "rescale the initial distribution and categorical rows that do "
                    + "not sum to 1").withDefault("false"));

    /** An {@code "iohmm"} template. */
    static final Fields TEMPLATE = Fields.of("iohmm template", "An input-output HMM sized by the data (its inputs) "
            + "and started by the HMM's k-means++ start, then fitted by EM.",
            Field.type(InputOutputHmm.TYPE, "the model type"),
            Field.optional("states", Shape.integer(1, 1000), "the number of states K").withDefault("2"),
            Field.optional("emission", Shape.choice(GaussianEmission.TYPE, RegressionEmission.TYPE, "autoregressive"),
                    "gaussian, regression on the inputs, or autoregressive on previous observations")
                    .withDefault("\"gaussian\""),
            Field.optional("lags", Shape.integer(1, 100), "previous observations of an autoregressive emission")
                    .withDefault("1"));
}
