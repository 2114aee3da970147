package org.statespace.rnn;

import org.statespace.spec.Field;
import org.statespace.spec.Fields;
import org.statespace.spec.Shape;

/**
 * The declared fields of {@code "rnn"} specs, templates and fit settings: the readers check field names
 * against these and the JSON Schema is generated from them ({@link org.statespace.spec.SpecSchema}).
 */
final class RnnFields {
    private RnnFields() {
    }

    static final Shape CELL = Shape.choice(Cell.jsonNames());
    static final Shape FORM = Shape.choice("i", "ii", "ii-literal");
    static final Shape HEAD_TYPE = Shape.choice("linear", "gaussian", "softmax", "belief");
    static final Shape LOSS = Shape.choice("default", "nll", "squared-error");
    static final Shape PRECISION = Shape.choice(Precision.jsonNames());

    static final Fields BELIEF_EMISSION = Fields.of("rnn hmm-cell emission", "The emission family of an hmm cell "
            + "(its parameters are weight blocks).",
            Field.required("type", Shape.choice(BeliefEmission.Kind.jsonNames()), "the emission family")
                    .example("\"gaussian\""),
            Field.optional("components", Shape.integer(1, 10_000), "mixture components per state (mixture only)")
                    .withDefault("1"),
            Field.optional("covariance", Shape.choice(BeliefEmission.Structure.jsonNames()), "gaussian and mixture only: "
                    + "the covariance structure the parametrisation keeps: full (emission_cholesky, one factor per "
                    + "Gaussian), diagonal (emission_log_diagonal), spherical (emission_log_scale) or tied (one shared "
                    + "emission_cholesky)").withDefault("\"full\""));

    static final Fields LAYER = Fields.of("rnn layer", "One recurrent layer.",
            Field.required("cell", CELL, "the cell").example("\"lstm\""),
            Field.required("hiddenSize", Shape.integer(1, 1_000_000), "the hidden size h").example("8"),
            Field.optional("form", FORM, "vanilla cells only (tanh, relu, sigmoid): i (PyTorch's, the default), ii, or "
                    + "ii-literal").example("\"ii\""),
            Field.optional("initialState", Shape.vector(), "h_0 (hiddenSize numbers); default 0").example("[0, 0]"),
            Field.optional("initialCell", Shape.vector(), "LSTM only: c_0 (hiddenSize numbers); default 0")
                    .example("[0, 0]"),
            Field.optional("emission", Shape.object(BELIEF_EMISSION), "hmm cells only: the emission family")
                    .example("{\"type\": \"categorical\"}"),
            Field.optional("diffuseStates", Shape.intVector(), "kalman cells only: the states with an exact diffuse "
                    + "start (P_inf = 1 on their diagonal; the state then carries P_inf too); default none")
                    .example("[0, 1]"),
            Field.optional("feedthrough", Shape.bool(), "kalman cells only: d more pre-activations shift the "
                    + "predicted observation (D u_t through weight_ih = [0 | D]); the state carries the shift")
                    .withDefault("false"),
            Field.optional("learnedGain", Shape.bool(), "kalman cells only: innovations form, a steady-state Kalman "
                    + "filter whose gain K (gain_l<l>) and innovation covariance S (innovation_cholesky_l<l>) are trained; "
                    + "the state is the predicted mean alone").withDefault("false"),
            Field.optional("diagonalNoise", Shape.bool(), "kalman cells only (without learnedGain): Q and R diagonal, kept "
                    + "so by their parametrisation (blocks process_log_diagonal, observation_log_diagonal: log standard "
                    + "deviations)").withDefault("false"));

    static final Fields EDGE = Fields.of("rnn edge", "An extra connection of a loop graph: layer `from`'s output, "
            + "`delay` steps old, feeds layer `to`.",
            Field.required("from", Shape.integer(0, Integer.MAX_VALUE), "the source layer index").example("1"),
            Field.required("to", Shape.integer(0, Integer.MAX_VALUE), "the target layer index").example("0"),
            Field.required("delay", Shape.integer(0, 1_000_000), "the delay in steps").example("1"));

    static final Fields HEAD = Fields.of("rnn head", "The output head: what the network emits.",
            Field.required("type", HEAD_TYPE, "linear (mean, fixed variance), gaussian (mean and log-variance), "
                    + "softmax (symbols) or belief (the top hybrid cell's own predictive distribution)")
                    .example("\"gaussian\""),
            Field.required("outputSize", Shape.integer(1, 10_000_000), "d (or M symbols)").example("1"),
            Field.optional("variance", Shape.vector(), "linear head only: d variances > 0; default 1").example("[1]"),
            Field.optional("symbols", Shape.names(), "softmax head only: the M symbol names")
                    .example("[\"a\", \"b\"]"));

    static final Fields SPEC = Fields.of(RnnModel.TYPE, "Recurrent neural network with PyTorch's weight layout.",
            Field.type(RnnModel.TYPE, "the model type"),
            Field.required("inputSize", Shape.integer(1, 10_000_000), "d (or M) for the previous observation + the "
                    + "number of exogenous inputs").example("1"),
            Field.required("layers", Shape.arrayOf(Shape.object(LAYER), true), "the layers, bottom first")
                    .example("[{\"cell\": \"gru\", \"hiddenSize\": 8}]"),
            Field.optional("edges", Shape.arrayOf(Shape.object(EDGE), false), "extra connections (a loop graph); "
                    + "absent: a plain stack").example("[{\"from\": 1, \"to\": 0, \"delay\": 1}]"),
            Field.required("head", Shape.object(HEAD), "the output head")
                    .example("{\"type\": \"gaussian\", \"outputSize\": 1}"),
            Field.optional("seed", Shape.integer(), "seeds PyTorch-style initial weights when `weights` is absent")
                    .withDefault("0"),
            Field.optional("weights", Shape.mapOf(Shape.anyOf(Shape.vector(), Shape.matrix())), "every weight block "
                    + "by its PyTorch name (weight_ih_l0, weight_hh_l0, bias_ih_l0, ...), matrices as rows")
                    .example("{\"weight_ih_l0\": [[0.1]], \"bias_ih_l0\": [0]}"),
            Field.optional("precision", PRECISION, "the arithmetic of the matrix products and weight gradients in "
                    + "training and running: float64, or float32 (PyTorch's float32, about 1.6 times as fast on large "
                    + "layers; cells, losses and metrics stay double, the weights stay double numbers)")
                    .withDefault("\"float64\""),
            Field.optional("fit", Shape.any(), "what gradient training holds: {\"fixed\": [paths]}, whole weight blocks "
                    + "(\"weights.weight_hh_l0\"), rows or single entries (\"weights.weight_hh_l0[2][3]\"); their "
                    + "gradient is zeroed (checked in full by the reader)")
                    .example("{\"fixed\": [\"weights.weight_hh_l0\"]}"));

    static final Fields TEMPLATE = Fields.of("rnn template", "A stack sized by the data, initialised as PyTorch does "
            + "from a seeded draw.",
            Field.type(RnnModel.TYPE, "the model type"),
            Field.optional("cell", CELL, "the cell of every layer").withDefault("\"gru\""),
            Field.optional("hiddenSize", Shape.integer(1, 100_000), "the hidden size of every layer").withDefault("16"),
            Field.optional("layers", Shape.integer(1, 100), "the number of layers").withDefault("1"),
            Field.optional("form", FORM, "vanilla cells only (tanh, relu, sigmoid): i (the default), ii, or ii-literal")
                    .example("\"ii\""),
            Field.optional("head", Shape.choice("auto", "linear", "gaussian", "softmax", "belief"), "the head; auto: the "
                    + "belief head for a hybrid cell (hmm, kalman), softmax for symbols, gaussian otherwise")
                    .withDefault("\"auto\""),
            Field.optional("emission", Shape.object(BELIEF_EMISSION), "hmm cell only: the emission family; default "
                    + "categorical for symbols, gaussian otherwise").example("{\"type\": \"gaussian\", \"covariance\": \"diagonal\"}"),
            Field.optional("learnedGain", Shape.bool(), "kalman cell only: the innovations form (trained gain and "
                    + "innovation covariance)").withDefault("false"),
            Field.optional("feedthrough", Shape.bool(), "kalman cell only: an observation shift from the inputs (D u_t)")
                    .withDefault("false"),
            Field.optional("diffuse", Shape.bool(), "kalman cell only: an exact diffuse start on every state")
                    .withDefault("false"),
            Field.optional("standardize", Shape.bool(), "run on standardised real data").withDefault("true"),
            Field.optional("precision", PRECISION, "float64, or float32 for the matrix products and weight gradients "
                    + "(see the spec's precision)").withDefault("\"float64\""));

    static final Fields TRUNCATION = Fields.of("rnn truncation", "Truncated BPTT: every k1 steps, back-propagate k2 "
            + "steps.",
            Field.required("k1", Shape.integer(1, 100_000_000), "steps between updates").example("20"),
            Field.required("k2", Shape.integer(1, 100_000_000), "steps back-propagated (>= k1)").example("40"));

    static final Fields FIT = Fields.of("rnn fit settings", "Gradient-training settings of RNNs.",
            Field.optional("loss", LOSS, "default: nll for probabilistic heads, squared error for a linear one")
                    .withDefault("\"default\""),
            Field.optional("truncation", Shape.object(TRUNCATION), "truncated BPTT; absent: full sequences")
                    .example("{\"k1\": 20, \"k2\": 40}"),
            Field.optional("shardSize", Shape.integer(1, 1_000_000), "sequences per parallel shard").withDefault("16"));
}
