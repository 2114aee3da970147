package org.statespace.markov;

import java.util.List;
import java.util.random.RandomGenerator;

import org.statespace.DataException;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.ObservationKind;
import org.statespace.numeric.Validate;
import org.statespace.spec.Fields;
import org.statespace.spec.ModelType;
import org.statespace.spec.SpecNode;

/**
 * Reads {@code "markov-chain"} specs:
 *
 * <pre>{@code
 * {"type": "markov-chain", "states": ["sunny", "cloudy", "rainy"], "initial": [1, 0, 0],
 *  "transition": [[0.8, 0.15, 0.05], [0.2, 0.6, 0.2], [0.25, 0.25, 0.5]]}
 * }</pre>
 *
 * {@code states} is optional (the number of states is then the number of columns); {@code "order": k}
 * makes a k-th order chain whose {@code initial} has S^k entries and whose {@code transition} has S^k
 * rows in context order (see {@link MarkovChain}); {@code "normalize": true} rescales rows that do not
 * sum to 1.
 */
public final class MarkovChainType implements ModelType {

    @Override
    public List<String> names() {
        return List.of(MarkovChain.TYPE);
    }

    @Override
    public String description() {
        return "discrete Markov chain of order k over observed states";
    }

    @Override
    public MarkovChain read(SpecNode spec) {
        spec.requireObject(MarkovFields.SPEC);
        boolean normalize = spec.optional("normalize").map(SpecNode::asBoolean).orElse(false);
        int order = spec.optional("order").map(n -> n.asInt(1, 16)).orElse(1);
        SpecNode transitionNode = spec.field("transition");
        double[][] rows = transitionNode.asMatrix();
        int states = rows[0].length;
        List<String> names = List.of();
        if (spec.has("states")) {
            SpecNode namesNode = spec.field("states");
            names = namesNode.asDistinctTextList();
            if (names.size() != states) {
                throw namesNode.error(names.size() + " state names, but the transition matrix has " + states + " columns");
            }
        }
        long contexts = 1;
        for (int i = 0; i < order; i++) {
            contexts *= states;
            if (contexts > 1_000_000) {
                throw spec.errorAt("order", "S^k = " + states + "^" + order + " contexts is too many");
            }
        }
        if (rows.length != contexts) {
            throw transitionNode.error(order == 1
                    ? "expected a square matrix, got " + rows.length + "x" + states
                    : "a chain of order " + order + " over " + states + " states needs S^k = " + contexts
                            + " rows, got " + rows.length);
        }
        rows = Validate.stochasticRows(transitionNode, rows, normalize);
        SpecNode initialNode = spec.field("initial");
        double[] initial = initialNode.asVector((int) contexts);
        initial = Validate.probabilities(initialNode, initial, normalize);
        return MarkovChain.trusted(states, order, names, initial.clone(), Validate.pack(rows));
    }

    /**
     * Additive smoothing a template gives its fit unless the fit options say otherwise: 1/2 added to every
     * transition count, the Krichevsky-Trofimov estimator. It is the posterior mean under the Jeffreys prior
     * Dirichlet(1/2, ..., 1/2), and for predicting a sequence symbol by symbol, which is what a study scores
     * with the log score, it is the estimator whose regret against the best chain in hindsight is minimax to
     * first order (Krichevsky &amp; Trofimov 1981; the basis of context-tree weighting). Laplace's 1 (as in
     * scikit-learn's {@code MultinomialNB}) smooths more and costs much on sparse high-order contexts; 0 (the
     * maximum-likelihood fit) gives a transition never seen in training probability 0, so one such step in
     * held-out data makes the log score minus infinity.
     */
    public static final double TEMPLATE_PSEUDO_COUNT = 0.5;

    /** The same start for data not in memory: it reads only their shape. */
    @Override
    public java.util.Optional<org.statespace.StateSpaceModel<?, ?>> template(SpecNode template, Dataset shape,
            java.util.function.Function<org.statespace.StateSpaceModel<?, ?>, org.statespace.data.ObservedRows> rows,
            RandomGenerator random) {
        return java.util.Optional.of(template(template, shape, random));
    }

    /**
     * {@code {"type": "markov-chain", "order": k, "pseudoCount": α}}: uniform initial and transition rows over
     * the data's alphabet (its symbol names become the state names). {@code pseudoCount} (default
     * {@value #TEMPLATE_PSEUDO_COUNT}, see {@link #TEMPLATE_PSEUDO_COUNT}) is the additive smoothing of the fit
     * that follows, unless its fit options give {@code pseudoCount} themselves ({@link #templateFitOptions}).
     */
    @Override
    public MarkovChain template(SpecNode template, Dataset data, RandomGenerator random) {
        template.requireObject(MarkovFields.TEMPLATE);
        templateFitOptions(template);
        int order = template.optional("order").map(n -> n.asInt(1, 8)).orElse(1);
        if (data.kind() != ObservationKind.SYMBOLS) {
            throw new DataException("a Markov chain models symbols; the data are real values");
        }
        int s = data.alphabetSize();
        if (s < 1) {
            throw new DataException("the data has no observed symbol to size the chain");
        }
        long windows = 1;
        for (int i = 0; i < order; i++) {
            windows *= s;
            if (windows * s > 10_000_000) {
                throw new DataException("a chain of order " + order + " over the data's " + s + " symbols would have "
                        + "S^k = " + s + "^" + order + " contexts of " + s + " probabilities each, too many to fit "
                        + "(at most 10,000,000 probabilities); lower \"order\"");
            }
        }
        int contexts = (int) windows;
        double[] initial = new double[contexts];
        java.util.Arrays.fill(initial, 1.0 / contexts);
        double[] packed = new double[contexts * s];
        java.util.Arrays.fill(packed, 1.0 / s);
        return MarkovChain.trusted(s, order, data.symbolNames(), initial, packed);
    }

    @Override
    public Declarations declarations() {
        return new Declarations(MarkovFields.SPEC, MarkovFields.TEMPLATE, MarkovFields.FIT);
    }

    /** {@code {"pseudoCount": α}}: the template's additive smoothing ({@value #TEMPLATE_PSEUDO_COUNT} unless given). */
    @Override
    public com.fasterxml.jackson.databind.node.ObjectNode templateFitOptions(SpecNode template) {
        double alpha = template.optional("pseudoCount").map(n -> n.asDoubleAtLeast(0)).orElse(TEMPLATE_PSEUDO_COUNT);
        if (Double.isInfinite(alpha)) {
            throw template.errorAt("pseudoCount", "must be finite, got " + alpha);
        }
        com.fasterxml.jackson.databind.node.ObjectNode o = org.statespace.spec.Json.object();
        o.put("pseudoCount", alpha);
        return o;
    }

    @Override
    public FitSettings readFitSettings(SpecNode options) {
        options.requireObject(MarkovFields.FIT);
        MarkovFitSettings s = MarkovFitSettings.defaults();
        if (options.has("pseudoCount")) {
            s = s.withPseudoCount(options.field("pseudoCount").asDoubleAtLeast(0));
        }
        if (options.has("fitInitial")) {
            s = s.withFitInitial(options.field("fitInitial").asBoolean());
        }
        return s;
    }
}
