package org.statespace.hsmm;

import java.util.ArrayList;
import java.util.List;

import org.statespace.hmm.HmmFields;
import org.statespace.spec.Field;
import org.statespace.spec.Fields;
import org.statespace.spec.Shape;

/**
 * The declared fields of {@code "hsmm"} specs, templates and state durations (see {@link HmmFields}).
 */
final class HsmmFields {
    private HsmmFields() {
    }

    private static final Shape PROBABILITY = Shape.range(0, false, 1, true);

    static final Fields POISSON = Fields.of("duration poisson", "Shifted Poisson duration: d - 1 ~ Poisson(rate).",
            Field.type(Duration.Poisson.TYPE, "the duration type"),
            Field.required("rate", Shape.positive(), "the Poisson rate").example("4"));

    static final Fields NEGATIVE_BINOMIAL = Fields.of("duration negative-binomial", "Shifted negative-binomial duration.",
            Field.type(Duration.NegativeBinomial.TYPE, "the duration type"),
            Field.required("size", Shape.positive(), "the size (number of successes)").example("2"),
            Field.required("probability", PROBABILITY, "the success probability").example("0.3"));

    static final Fields TABLE = Fields.of("duration table", "A duration given by its probabilities.",
            Field.type(Duration.Table.TYPE, "the duration type"),
            Field.required("probabilities", Shape.vector(), "P(d = 1), ..., P(d = L), L <= maxDuration, summing to 1")
                    .example("[0.2, 0.5, 0.3]"));

    static final Fields GEOMETRIC = Fields.of("duration geometric", "Geometric duration (an HMM state's own).",
            Field.type(Duration.Geometric.TYPE, "the duration type"),
            Field.required("probability", PROBABILITY, "the probability of leaving at each step").example("0.1"));

    static final Shape DURATION = Shape.anyOf(Shape.object(POISSON), Shape.object(NEGATIVE_BINOMIAL),
            Shape.object(TABLE), Shape.object(GEOMETRIC)).summarised("duration object");

    static final Shape DURATION_TYPE = Shape.choice(Duration.Poisson.TYPE, Duration.NegativeBinomial.TYPE,
            Duration.Table.TYPE, Duration.Geometric.TYPE);

    static final Fields SPEC = Fields.of(HiddenSemiMarkovModel.TYPE, "Explicit-duration HMM (hidden semi-Markov model) "
            + "with K >= 2 states.",
            Field.type(HiddenSemiMarkovModel.TYPE, "the model type"),
            HmmFields.SPEC.field("states"),
            HmmFields.SPEC.field("initial"),
            Field.required("transition", Shape.matrix(), "K×K transition matrix with a zero diagonal")
                    .example("[[0, 1], [1, 0]]"),
            Field.optional("maxDuration", Shape.integer(1, HsmmType.MAX_DURATION_LIMIT), "the longest duration D; "
                    + "required with poisson or negative-binomial durations, else the longest table").example("30"),
            Field.required("durations", Shape.arrayOf(DURATION, true), "one duration distribution per state")
                    .example("[{\"type\": \"poisson\", \"rate\": 4}, {\"type\": \"geometric\", \"probability\": 0.2}]"),
            Field.required("emission", HmmFields.EMISSION, "the per-state emission (as an HMM's)")
                    .example("{\"type\": \"poisson\", \"rates\": [[1.5], [8.0]]}"),
            Field.optional("normalize", Shape.bool(), "rescale rows that do not sum to 1").withDefault("false"));

    static final Fields TEMPLATE;

    static {
        List<Field> fields = new ArrayList<>();
        fields.add(Field.type(HiddenSemiMarkovModel.TYPE, "the model type"));
        fields.add(Field.optional("states", Shape.integer(2, 1000), "the number of states K").withDefault("2"));
        fields.add(Field.optional("duration", DURATION_TYPE, "every state's duration family, of mean about D/4")
                .withDefault("\"negative-binomial\""));
        fields.add(Field.optional("maxDuration", Shape.integer(1, HsmmType.MAX_DURATION_LIMIT), "the longest duration D")
                .withDefault("30"));
        for (String name : List.of("emission", "covarianceType", "components")) {
            fields.add(HmmFields.TEMPLATE.field(name));
        }
        TEMPLATE = Fields.of("hsmm template", "An explicit-duration HMM sized by the data; the emission is started "
                + "as the HMM template's.", fields);
    }
}
