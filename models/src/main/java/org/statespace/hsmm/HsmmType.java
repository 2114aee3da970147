package org.statespace.hsmm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.StateSpaceModel;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.ObservedRows;
import org.statespace.hmm.EmissionModel;
import org.statespace.hmm.HiddenMarkovModel;
import org.statespace.hmm.HmmFitSettings;
import org.statespace.hmm.HmmType;
import org.statespace.numeric.Validate;
import org.statespace.hmm.HmmFields;
import org.statespace.spec.Fields;
import org.statespace.spec.ModelType;
import org.statespace.spec.SpecNode;

/**
 * Reads {@code "hsmm"} specs (explicit-duration HMMs):
 *
 * <pre>{@code
 * {"type": "hsmm", "states": ["calm", "busy"], "initial": [0.5, 0.5],
 *  "transition": [[0, 1], [1, 0]], "maxDuration": 30,
 *  "durations": [{"type": "poisson", "rate": 4}, {"type": "negative-binomial", "size": 2, "probability": 0.3}],
 *  "emission": {"type": "gaussian", ...}}
 * }</pre>
 *
 * K &ge; 2 is the size of the transition matrix, whose diagonal must be 0 (a state never follows itself).
 * {@code durations} has one entry per state: {@code poisson} ({@code rate}), {@code negative-binomial}
 * ({@code size}, {@code probability}), {@code table} ({@code probabilities} of durations 1..L, L &le;
 * maxDuration) or {@code geometric} ({@code probability} of leaving at each step); see {@link Duration}.
 * {@code maxDuration} (D) is required when a state has a Poisson or negative-binomial duration, otherwise it
 * defaults to the longest table. The emission is any HMM emission. {@code "normalize": true} rescales rows
 * as for an HMM. Fit options are the HMM's ({@link HmmFitSettings#KEYS}); {@code fitTransition} covers
 * the durations, and {@code selfTransitionPseudoCount} has no effect.
 */
public final class HsmmType implements ModelType {

    /** The largest maxDuration accepted. */
    static final int MAX_DURATION_LIMIT = 100_000;

    @Override
    public List<String> names() {
        return List.of(HiddenSemiMarkovModel.TYPE);
    }

    @Override
    public String description() {
        return "explicit-duration (hidden semi-Markov) model: Poisson, negative-binomial, table or geometric "
                + "state durations, any HMM emission";
    }

    @Override
    public HiddenSemiMarkovModel read(SpecNode spec) {
        spec.requireObject(HsmmFields.SPEC);
        boolean normalize = spec.optional("normalize").map(SpecNode::asBoolean).orElse(false);
        SpecNode transitionNode = spec.field("transition");
        double[][] rows = transitionNode.asSquareMatrix();
        int k = rows.length;
        if (k < 2) {
            throw transitionNode.error("is " + k + "x" + k + ", but an explicit-duration HMM needs at least 2 states");
        }
        List<SpecNode> rowNodes = transitionNode.elements();
        for (int i = 0; i < k; i++) {
            if (rows[i][i] != 0) {
                throw rowNodes.get(i).elements().get(i).error("is " + rows[i][i]
                        + ", but a state of an explicit-duration HMM never follows itself: the diagonal must be 0");
            }
        }
        rows = Validate.stochasticRows(transitionNode, rows, normalize);
        List<String> names = HmmType.readStateNames(spec, k, "the transition matrix");
        SpecNode initialNode = spec.field("initial");
        double[] initial = Validate.probabilities(initialNode, initialNode.asVector(k), normalize);
        SpecNode durationsNode = spec.field("durations");
        List<SpecNode> items = durationsNode.elements();
        if (items.size() != k) {
            throw durationsNode.error("has " + items.size() + " entries, but there are " + k + " states");
        }
        int maxDuration;
        if (spec.has("maxDuration")) {
            maxDuration = spec.field("maxDuration").asInt(1, MAX_DURATION_LIMIT);
        } else {
            maxDuration = 1;
            for (SpecNode item : items) {
                String type = item.field("type").asChoice(Duration.Poisson.TYPE, Duration.NegativeBinomial.TYPE,
                        Duration.Table.TYPE, Duration.Geometric.TYPE);
                if (type.equals(Duration.Poisson.TYPE) || type.equals(Duration.NegativeBinomial.TYPE)) {
                    throw spec.errorAt("maxDuration", "is required when a state has a " + type + " duration");
                }
                if (type.equals(Duration.Table.TYPE) && item.has("probabilities")) {
                    maxDuration = Math.max(maxDuration, item.field("probabilities").elements().size());
                }
            }
        }
        List<Duration> durations = new ArrayList<>(k);
        for (SpecNode item : items) {
            durations.add(Duration.read(item, maxDuration, normalize));
        }
        EmissionModel emission = HmmType.readEmission(spec.field("emission"), k, normalize);
        return HiddenSemiMarkovModel.trusted(names, initial.clone(), Validate.pack(rows), durations, maxDuration,
                emission);
    }

    /**
     * {@code {"type": "hsmm", "states": K, "duration": "negative-binomial", "maxDuration": 30, "emission": "auto",
     * "covarianceType": "diagonal", "components": C}}: K states (default 2, at least 2), every state with a
     * duration of the given type ({@code poisson}, {@code negative-binomial} (the default), {@code table} or
     * {@code geometric}) of mean about D/4 (at least 2), D = maxDuration (default 30); transitions uniform
     * over the other states; the emission (its fields as in the HMM template) started by k-means++ through
     * {@link HiddenMarkovModel#initialize}.
     */
    @Override
    public HiddenSemiMarkovModel template(SpecNode template, Dataset data, RandomGenerator random) {
        ObjectNode hmm = hmmTemplate(template);
        return fromHmm(template, new HmmType().template(SpecNode.root(hmm, template.source()), data, random));
    }

    /** The same start from the data's shape and rows (the HMM template's, with this template's durations). */
    @Override
    public Optional<StateSpaceModel<?, ?>> template(SpecNode template, Dataset shape,
            Function<StateSpaceModel<?, ?>, ObservedRows> rows, RandomGenerator random) {
        ObjectNode hmm = hmmTemplate(template);
        StateSpaceModel<?, ?> start = new HmmType().template(SpecNode.root(hmm, template.source()), shape, rows, random)
                .orElseThrow();
        return Optional.of(fromHmm(template, (HiddenMarkovModel) start));
    }

    // the HMM template this one extends: its fields without the durations (which are checked here first)
    private static ObjectNode hmmTemplate(SpecNode template) {
        template.requireObject(HsmmFields.TEMPLATE);
        int k = template.optional("states").map(n -> n.asInt(2, 1000)).orElse(2);
        template.optional("duration").map(n -> n.asChoice(HsmmFields.DURATION_TYPE.choiceArray()));
        template.optional("maxDuration").map(n -> n.asInt(1, MAX_DURATION_LIMIT));
        ObjectNode hmm = ((ObjectNode) template.json()).deepCopy();
        hmm.put("type", HiddenMarkovModel.TYPE);
        hmm.put("states", k);
        hmm.remove("duration");
        hmm.remove("maxDuration");
        return hmm;
    }

    // the HSMM of the template around an HMM template's start (its emissions)
    private static HiddenSemiMarkovModel fromHmm(SpecNode template, HiddenMarkovModel start) {
        int k = template.optional("states").map(n -> n.asInt(2, 1000)).orElse(2);
        String type = template.optional("duration").map(n -> n.asChoice(HsmmFields.DURATION_TYPE.choiceArray()))
                .orElse(Duration.NegativeBinomial.TYPE);
        int maxDuration = template.optional("maxDuration").map(n -> n.asInt(1, MAX_DURATION_LIMIT)).orElse(30);
        double mean = Math.max(2, maxDuration / 4.0);
        Duration d = switch (type) {
            case Duration.Poisson.TYPE -> new Duration.Poisson(mean - 1);
            case Duration.Geometric.TYPE -> new Duration.Geometric(1 / mean);
            case Duration.Table.TYPE -> new Duration.Table(new Duration.Poisson(mean - 1).probabilities(maxDuration));
            default -> new Duration.NegativeBinomial(2, 2 / (2 + mean - 1));
        };
        double[][] transition = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                transition[i][j] = i == j ? 0 : 1.0 / (k - 1);
            }
        }
        double[] initial = new double[k];
        java.util.Arrays.fill(initial, 1.0 / k);
        return HiddenSemiMarkovModel.of(List.of(), initial, transition, java.util.Collections.nCopies(k, d), maxDuration,
                start.emissionModel());
    }

    @Override
    public Declarations declarations() {
        return new Declarations(HsmmFields.SPEC, HsmmFields.TEMPLATE, HmmFields.FIT);
    }

    @Override
    public FitSettings readFitSettings(SpecNode options) {
        return new HmmType().readFitSettings(options);
    }
}
