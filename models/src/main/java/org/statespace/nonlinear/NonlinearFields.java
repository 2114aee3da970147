package org.statespace.nonlinear;

import java.util.List;

import org.statespace.spec.Field;
import org.statespace.spec.Fields;
import org.statespace.spec.Shape;

/**
 * The declared fields of {@code "nonlinear"} specs (a template is the same object): the reader checks field
 * names against these and the JSON Schema and reference page are generated from them.
 */
final class NonlinearFields {
    private NonlinearFields() {
    }

    static final List<String> FILTERS = List.of("ekf", "ukf", "particle");

    static final Fields SPEC = Fields.of(NonlinearModel.TYPE, "Non-linear Gaussian state-space model x_t = f(x_{t-1}) "
            + "+ w_t, y_t = h(x_t) + v_t of a built-in or neural (MLP) f and h, run by an extended or unscented Kalman filter or a "
            + "bootstrap particle filter.",
            Field.type(NonlinearModel.TYPE, "the model type"),
            Field.optional("model", Shape.choice(BuiltinModel.names().toArray(new String[0])), "the built-in f and h "
                    + "(or \"transition\" and \"observation\")").example("\"growth\""),
            Field.optional("transition", Shape.any(), "neural f instead of a built-in model: {\"type\": \"mlp\", "
                    + "\"activation\": tanh|relu|sigmoid|identity, \"layers\": [{\"weight\": r×c, \"bias\": r}, ...]}, reading "
                    + "(x_{t-1}, u_t), giving n; or one rnn cell, {\"type\": tanh|relu|sigmoid|lstm|gru, \"hiddenSize\": H, \"weights\": "
                    + "{weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0}} (PyTorch layout) whose state is x (an LSTM's (h, c)) "
                    + "and input u_t (checked in full by the reader)")
                    .example("{\"type\": \"mlp\", \"activation\": \"tanh\", \"layers\": [{\"weight\": [[0.5]], \"bias\": [0]}]}"),
            Field.optional("observation", Shape.any(), "neural h (with \"transition\"): an mlp reading (x_t, u_t), "
                    + "giving m (checked in full by the reader)")
                    .example("{\"type\": \"mlp\", \"layers\": [{\"weight\": [[1.0]], \"bias\": [0]}]}"),
            Field.required("filter", Shape.choice(FILTERS.toArray(new String[0])), "ekf, ukf or particle")
                    .example("\"ukf\""),
            Field.optional("parameters", Shape.mapOf(Shape.number()), "the model's named parameters (default: the "
                    + "model's own)").example("{\"phi\": 0.9}"),
            Field.optional("processNoise", Shape.matrix(), "Q, n×n symmetric positive definite (default: the model's; "
                    + "required for a neural model, as are R, m0 and P0)")
                    .example("[[10.0]]"),
            Field.optional("observationNoise", Shape.matrix(), "R, m×m symmetric positive definite (default: the "
                    + "model's)").example("[[1.0]]"),
            Field.optional("initialMean", Shape.vector(), "m0, n numbers (default: the model's)").example("[0.0]"),
            Field.optional("initialCovariance", Shape.matrix(), "P0, n×n positive semidefinite (default: the model's)")
                    .example("[[5.0]]"),
            Field.optional("alpha", Shape.range(0, false, 1, true), "ukf: sigma-point spread α in (0, 1]").withDefault("1"),
            Field.optional("beta", Shape.numberAtLeast(0), "ukf: β (2 is optimal for Gaussian priors)").withDefault("2"),
            Field.optional("kappa", Shape.number(), "ukf: κ").withDefault("0"),
            Field.optional("particles", Shape.integer(1, 100_000_000), "particle: the number of particles")
                    .withDefault("1000"),
            Field.optional("resampleThreshold", Shape.range(0, true, 1, true), "particle: resample when the effective "
                    + "sample size falls below this fraction of the particles").withDefault("0.5"),
            Field.optional("seed", Shape.integer(), "particle: the seed of its random numbers").withDefault("1"),
            Field.optional("smootherDraws", Shape.integer(1, 1_000_000), "particle: backward-simulation draws of the "
                    + "smoother").withDefault("100"),
            Field.optional("free", Shape.names(), "what maximum likelihood estimates: processNoise, observationNoise "
                    + "and parameter names").withDefault("[\"processNoise\", \"observationNoise\"]"));
}
