package org.statespace.markov;

import org.statespace.spec.Field;
import org.statespace.spec.Fields;
import org.statespace.spec.Shape;

/**
 * The declared fields of {@code "markov-chain"} specs, templates and fit settings: the readers check field
 * names against these and the JSON Schema is generated from them ({@link org.statespace.spec.SpecSchema}).
 */
final class MarkovFields {
    private MarkovFields() {
    }

    static final Fields SPEC = Fields.of(MarkovChain.TYPE, "Discrete Markov chain of order k over S observed states.",
            Field.type(MarkovChain.TYPE, "the model type"),
            Field.optional("states", Shape.names(), "names of the S states (matched to the data's symbols by name); "
                    + "default \"0\"..\"S-1\"").example("[\"sunny\", \"cloudy\", \"rainy\"]"),
            Field.optional("order", Shape.integer(1, 16), "the order k (how many past states the next depends on)")
                    .withDefault("1"),
            Field.required("initial", Shape.vector(), "distribution of the first k states: S^k probabilities in "
                    + "context order").example("[1, 0, 0]"),
            Field.required("transition", Shape.matrix(), "S^k rows of S probabilities: row c = P(next | context c)")
                    .example("[[0.8, 0.15, 0.05], [0.2, 0.6, 0.2], [0.25, 0.25, 0.5]]"),
            Field.optional("normalize", Shape.bool(), "rescale rows that do not sum to 1").withDefault("false"));

    static final Fields TEMPLATE = Fields.of("markov-chain template", "A chain over the data's alphabet with uniform "
            + "rows, fitted by counting.",
            Field.type(MarkovChain.TYPE, "the model type"),
            Field.optional("order", Shape.integer(1, 8), "the order k").withDefault("1"),
            Field.optional("pseudoCount", Shape.numberAtLeast(0), "additive smoothing of the counted fit "
                    + "(Krichevsky-Trofimov); a pseudoCount in the fit options wins").withDefault("0.5"));

    static final Fields FIT = Fields.of("markov-chain fit settings", "Settings of the closed-form (counting) fit.",
            Field.optional("pseudoCount", Shape.numberAtLeast(0), "pseudo-count added to every transition count")
                    .withDefault("0"),
            Field.optional("fitInitial", Shape.bool(), "estimate the initial distribution too").withDefault("true"));
}
