package org.statespace.hmm;

import org.statespace.spec.Field;
import org.statespace.spec.Fields;
import org.statespace.spec.Shape;

/**
 * The declared fields of {@code "hmm"} specs, templates, emissions and fit settings: the readers check
 * field names against these ({@link org.statespace.spec.SpecNode#requireObject(Fields)}) and the JSON
 * Schema and reference page are generated from them ({@link org.statespace.spec.SpecSchema}).
 */
public final class HmmFields {
    private HmmFields() {
    }

    /** The covariance types a Gaussian emission accepts. */
    public static final Shape COVARIANCE_TYPE = Shape.choice("full", "diagonal", "spherical", "tied");

    private static final Shape COVARIANCES = Shape.anyOf(Shape.vector(), Shape.matrix(), Shape.matrices())
            .summarised("by covarianceType: full K matrices d×d, diagonal K×d variances, spherical K variances, "
                    + "tied one d×d matrix");

    /** A categorical emission. */
    public static final Fields CATEGORICAL = Fields.of("emission categorical", "Categorical emissions over M symbols: "
            + "row k is P(o_t = symbol | s_t = k).",
            Field.type(CategoricalEmission.TYPE, "the emission type"),
            Field.optional("symbols", Shape.names(), "names of the M symbols (matched to the data's by name); "
                    + "default \"0\"..\"M-1\"").example("[\"H\", \"T\"]"),
            Field.required("probabilities", Shape.matrix(), "K×M matrix, each row a probability vector")
                    .example("[[0.5, 0.5], [0.9, 0.1]]"));

    /** A Gaussian emission. */
    public static final Fields GAUSSIAN = Fields.of("emission gaussian", "Gaussian emissions: o_t | s_t = k ~ "
            + "N(means[k], Σ_k).",
            Field.type(GaussianEmission.TYPE, "the emission type"),
            Field.optional("covarianceType", COVARIANCE_TYPE, "the covariance shape (as hmmlearn)")
                    .withDefault("\"diagonal\""),
            Field.required("means", Shape.matrix(), "K×d matrix, one mean per state (nested even for d = 1)")
                    .example("[[0.0], [3.0]]"),
            Field.required("covariances", COVARIANCES, "the covariances in the shape covarianceType says; "
                    + "variances > 0, matrices symmetric positive definite").example("[[1.0], [0.5]]"));

    /** A Gaussian-mixture emission. */
    public static final Fields GMM = Fields.of("emission gmm", "Gaussian-mixture emissions: C components per state.",
            Field.type(GaussianMixtureEmission.TYPE, "the emission type"),
            Field.optional("covarianceType", Shape.choice("full", "diagonal"), "the covariance shape")
                    .withDefault("\"diagonal\""),
            Field.required("weights", Shape.matrix(), "K×C mixture weights, each row a probability vector")
                    .example("[[0.5, 0.5], [0.3, 0.7]]"),
            Field.required("means", Shape.matrices(), "K blocks of C×d means").example("[[[0], [1]], [[4], [6]]]"),
            Field.required("covariances", Shape.arrayOf(COVARIANCES, true), "K blocks of C covariances in the shape "
                    + "covarianceType says (diagonal: C×d variances)").example("[[[1], [1]], [[2], [2]]]"));

    /** A Poisson emission. */
    public static final Fields POISSON = Fields.of("emission poisson", "Independent Poisson counts: o_t[j] | s_t = k ~ "
            + "Poisson(rates[k][j]).",
            Field.type(PoissonEmission.TYPE, "the emission type"),
            Field.required("rates", Shape.matrix(), "K×d matrix of rates > 0").example("[[1.5], [8.0]]"));

    /** The emission object of an HMM (and of other families with per-state emissions). */
    public static final Shape EMISSION = emission(java.util.Map.of());

    /**
     * The emission object of the HMM's emissions followed by {@code more} (type name to fields), each named by its
     * type: the one list of emission kinds that every family with per-state emissions extends.
     */
    static Shape emission(java.util.Map<String, Fields> more) {
        java.util.Map<String, Fields> kinds = new java.util.LinkedHashMap<>();
        kinds.put(CategoricalEmission.TYPE, CATEGORICAL);
        kinds.put(GaussianEmission.TYPE, GAUSSIAN);
        kinds.put(GaussianMixtureEmission.TYPE, GMM);
        kinds.put(PoissonEmission.TYPE, POISSON);
        kinds.putAll(more);
        return Shape.anyOf(kinds.values().stream().map(Shape::object).toArray(Shape[]::new))
                .summarised("emission object (" + String.join(", ", kinds.keySet()) + ")");
    }

    /** A full {@code "hmm"} spec. */
    public static final Fields SPEC = Fields.of(HiddenMarkovModel.TYPE, "Hidden Markov model with K states.",
            Field.type(HiddenMarkovModel.TYPE, "the model type"),
            Field.optional("states", Shape.names(), "names of the K states; default \"0\"..\"K-1\"")
                    .example("[\"fair\", \"loaded\"]"),
            Field.required("initial", Shape.vector(), "initial distribution π (K probabilities)").example("[0.5, 0.5]"),
            Field.required("transition", Shape.matrix(), "K×K transition matrix A, row i = P(s_t | s_{t-1} = i)")
                    .example("[[0.95, 0.05], [0.1, 0.9]]"),
            Field.required("emission", EMISSION, "the per-state emission distribution")
                    .example("{\"type\": \"poisson\", \"rates\": [[1.5], [8.0]]}"),
            Field.optional("normalize", Shape.bool(), "rescale initial, transition rows, categorical rows and mixture "
                    + "weights that do not sum to 1").withDefault("false"),
            Field.optional("prior", Shape.any(), "conjugate priors for MAP EM: \"initial\" and \"transition\" "
                    + "({\"concentration\": α, \"sticky\": κ}, Dirichlet per row) and \"emission\" (Normal-inverse-Wishart "
                    + "meanPrior/meanWeight/covarianceScale/covarianceDegreesOfFreedom, Gamma shape/rate, Dirichlet "
                    + "concentration or weightConcentration); checked in full by the reader")
                    .example("{\"transition\": {\"concentration\": 1, \"sticky\": 50}}"),
            Field.optional("fit", Shape.any(), "what EM holds: \"fixed\" (parameter paths), \"tied\" (named groups of "
                    + "paths) and \"bounds\" (path to {\"lower\", \"upper\"}); checked in full by the reader")
                    .example("{\"fixed\": [\"emission.means[0]\"], \"tied\": {\"shared\": [\"emission.covariances[1]\", "
                            + "\"emission.covariances[2]\"]}}"));

    /** The template choices of {@code "emission"}. */
    public static final Shape TEMPLATE_EMISSION = Shape.choice("auto", CategoricalEmission.TYPE, GaussianEmission.TYPE,
            PoissonEmission.TYPE, GaussianMixtureEmission.TYPE);

    /** An {@code "hmm"} template. */
    public static final Fields TEMPLATE = Fields.of("hmm template", "An HMM sized by the data and started by k-means++ "
            + "(Gaussian) or seeded draws, then fitted by EM.",
            Field.type(HiddenMarkovModel.TYPE, "the model type"),
            Field.optional("states", Shape.integer(1, 1000), "the number of states K").withDefault("2"),
            Field.optional("emission", TEMPLATE_EMISSION, "the emission family; auto: categorical for symbols, "
                    + "Gaussian otherwise").withDefault("\"auto\""),
            Field.optional("covarianceType", COVARIANCE_TYPE, "covariance shape of gaussian and gmm emissions "
                    + "(gmm: full or diagonal)").withDefault("\"diagonal\""),
            Field.optional("components", Shape.integer(1, 100), "mixture components per state (gmm)")
                    .withDefault("2"));

    /** The HMM's fit settings. */
    public static final Fields FIT = Fields.of("hmm fit settings", "EM settings of HMMs (besides the trainer's options).",
            Field.optional("fitInitial", Shape.bool(), "re-estimate the initial distribution").withDefault("true"),
            Field.optional("fitTransition", Shape.bool(), "re-estimate the transition matrix").withDefault("true"),
            Field.optional("fitEmission", Shape.bool(), "re-estimate the emission parameters").withDefault("true"),
            Field.optional("initialPseudoCount", Shape.numberAtLeast(0), "Dirichlet pseudo-count added to the "
                    + "initial distribution's expected counts").withDefault("0"),
            Field.optional("transitionPseudoCount", Shape.numberAtLeast(0), "pseudo-count added to every "
                    + "transition count").withDefault("0"),
            Field.optional("selfTransitionPseudoCount", Shape.numberAtLeast(0), "extra pseudo-count on the "
                    + "diagonal (sticky states)").withDefault("0"),
            Field.optional("emissionPseudoCount", Shape.numberAtLeast(0), "pseudo-count added to categorical "
                    + "emission counts").withDefault("0"),
            Field.optional("covarianceFloor", Shape.positive(), "smallest variance EM may give a Gaussian")
                    .withDefault("1e-6"),
            Field.optional("rateFloor", Shape.positive(), "smallest Poisson rate EM may give").withDefault("1e-9"));
}
