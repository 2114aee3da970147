package org.statespace.markov;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.DataException;
import org.statespace.Emission;
import org.statespace.ObservationSpace;
import org.statespace.Recurrence;
import org.statespace.StateSpaceModel;
import org.statespace.StateTransition;
import org.statespace.capability.ClosedFormFitting;
import org.statespace.capability.FitSettings;
import org.statespace.capability.Forecasting;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.distribution.Categorical;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.spec.Json;

/**
 * A discrete Markov chain of order k over S states, observed directly.
 *
 * <p>Parameters: {@code initial}, the distribution of the first k states (s_0..s_{k-1}) jointly, a
 * vector of S^k; and {@code transition}, an S^k × S matrix whose row r is p(s_t | s_{t-k}..s_{t-1}) for
 * the context whose index is r = s_{t-k}·S^{k-1} + ... + s_{t-2}·S + s_{t-1} (oldest state most
 * significant, i.e. contexts in lexicographic order). For k = 1 these are the usual initial vector and
 * transition matrix. Immutable.
 *
 * <p>As a filter (see the package documentation) its state is the distribution of the window
 * Z_t = (s_t..s_{t+k-1}) given the past observations, a point mass in the usual fully observed order-1
 * case; missing observations simply propagate it.
 */
public final class MarkovChain implements StateSpaceModel<MarkovChain.Belief, Categorical>, ClosedFormFitting,
        Forecasting, org.statespace.capability.UnconstrainedParameters {

    /** The spec type. */
    public static final String TYPE = "markov-chain";

    private final int states;
    private final int order;
    private final int windows;      // S^k
    private final int suffixes;     // S^(k-1)
    private final List<String> names;
    private final double[] initial;     // S^k
    private final double[] transition;  // S^k × S, row-major
    private final Transition f = new Transition();
    private final Output g = new Output();

    private MarkovChain(int states, int order, List<String> names, double[] initial, double[] transition) {
        this.states = states;
        this.order = order;
        this.windows = pow(states, order);
        this.suffixes = windows / states;
        this.names = List.copyOf(names);
        this.initial = initial;
        this.transition = transition;
    }

    /**
     * A Markov chain of order k whose alphabet the data it is fitted to gives, fitted in closed form (counts):
     *
     * <pre>{@code
     * MarkovChain chain = Trainer.fit(MarkovChain.ofOrder(2), symbols).model();
     * }</pre>
     *
     * @param order k, 1 to 8
     */
    public static org.statespace.spec.ModelTemplate<MarkovChain> ofOrder(int order) {
        if (order < 1 || order > 8) {
            throw new org.statespace.SpecException("template", "order", "a Markov chain's order must be 1 to 8, got " + order);
        }
        ObjectNode json = Json.object();
        json.put("type", TYPE);
        json.put("order", order);
        return org.statespace.spec.ModelTemplate.of(MarkovChain.class, json);
    }

    /**
     * A first-order chain. Rows are checked to be probability vectors (within 1e-9).
     *
     * @param initial    S
     * @param transition S×S, row i = p(s_t | s_{t-1} = i)
     */
    public static MarkovChain of(double[] initial, double[][] transition) {
        return of(List.of(), 1, initial, transition);
    }

    /**
     * A chain of order k with optional state names (empty for none).
     *
     * @param initial    S^k, the joint distribution of the first k states in context order
     * @param transition S^k × S in context order
     */
    public static MarkovChain of(List<String> names, int order, double[] initial, double[][] transition) {
        if (order < 1) {
            throw new IllegalArgumentException("order must be at least 1, got " + order);
        }
        if (transition.length == 0) {
            throw new IllegalArgumentException("transition has no rows");
        }
        int s = transition[0].length;
        if (s < 1) {
            throw new IllegalArgumentException("transition has no columns");
        }
        if (!names.isEmpty() && names.size() != s) {
            throw new IllegalArgumentException(names.size() + " state names for " + s + " states");
        }
        long w = 1;
        for (int i = 0; i < order; i++) {
            w *= s;
            if (w > 10_000_000) {
                throw new IllegalArgumentException("S^k = " + s + "^" + order + " contexts is too many");
            }
        }
        if (transition.length != w) {
            throw new IllegalArgumentException("transition must have S^k = " + w + " rows, got " + transition.length);
        }
        if (initial.length != w) {
            throw new IllegalArgumentException("initial must have S^k = " + w + " entries, got " + initial.length);
        }
        checkProbabilities("initial", initial);
        double[] packed = new double[(int) w * s];
        for (int r = 0; r < w; r++) {
            if (transition[r].length != s) {
                throw new IllegalArgumentException("transition[" + r + "] has " + transition[r].length + " entries, expected " + s);
            }
            checkProbabilities("transition[" + r + "]", transition[r]);
            System.arraycopy(transition[r], 0, packed, r * s, s);
        }
        return new MarkovChain(s, order, names, initial.clone(), packed);
    }

    private static void checkProbabilities(String what, double[] p) {
        double sum = 0;
        for (double v : p) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException(what + " has an entry outside [0, 1]: " + v);
            }
            sum += v;
        }
        if (Math.abs(sum - 1) > 1e-9) {
            throw new IllegalArgumentException(what + " sums to " + sum + ", expected 1");
        }
    }

    static int pow(int base, int exp) {
        int r = 1;
        for (int i = 0; i < exp; i++) {
            r *= base;
        }
        return r;
    }

    /** S. */
    public int stateCount() {
        return states;
    }

    /** k. */
    public int order() {
        return order;
    }

    /** S^k, the number of contexts (rows of the transition matrix). */
    public int contextCount() {
        return windows;
    }

    /** State names, empty when none were given. */
    public List<String> stateNames() {
        return names;
    }

    @Override
    public List<String> symbolNames() {
        return names;
    }

    /** The name of state i, or its index as text. */
    public String stateName(int i) {
        return names.isEmpty() ? Integer.toString(i) : names.get(i);
    }

    /** A copy of the initial distribution (S^k). */
    public double[] initial() {
        return initial.clone();
    }

    /** The transition matrix as S^k rows of S. */
    public double[][] transitionMatrix() {
        double[][] m = new double[windows][states];
        for (int r = 0; r < windows; r++) {
            System.arraycopy(transition, r * states, m[r], 0, states);
        }
        return m;
    }

    /** p(s_t = j | context r). */
    public double transition(int context, int next) {
        return transition[context * states + next];
    }

    /** The context index of the k states {@code window[0..k)}, oldest first. */
    public int contextIndex(int... window) {
        if (window.length != order) {
            throw new IllegalArgumentException("a context has " + order + " states, got " + window.length);
        }
        int r = 0;
        for (int s : window) {
            if (s < 0 || s >= states) {
                throw new IllegalArgumentException("state " + s + " outside 0.." + (states - 1));
            }
            r = r * states + s;
        }
        return r;
    }

    // ----------------------------------------------------------------------------------------------
    // the recurrence

    /**
     * h_t for a Markov chain: the distribution of the window Z_t = (s_t..s_{t+k-1}) given o_0..o_{t-1}
     * (for order 1 with s_{t-1} observed, simply row s_{t-1} of the transition matrix).
     */
    public static final class Belief {
        final double[] probabilities;
        final double[] scratch;

        Belief(int windows) {
            probabilities = new double[windows];
            scratch = new double[windows];
        }

        /** p(Z_t = z), a copy. */
        public double[] windowProbabilities() {
            return probabilities.clone();
        }
    }

    private final class Transition implements StateTransition<Belief> {
        @Override
        public Belief newState() {
            return new Belief(windows);
        }

        @Override
        public void start(Belief h, Sequence sequence) {
            System.arraycopy(initial, 0, h.probabilities, 0, windows);
        }

        @Override
        public void step(Belief h, Sequence sequence, int t) {
            int observed = sequence.symbol(t - 1);
            if (observed >= states) {
                throw new DataException("sequence '" + sequence.id() + "', step " + (t - 1) + ": symbol " + observed
                        + " outside the chain's states 0.." + (states - 1));
            }
            if (order == 1 && observed >= 0) {
                // the fast path: s_{t-1} is known, so Z_t = s_t has distribution A[s_{t-1}]
                System.arraycopy(transition, observed * states, h.probabilities, 0, states);
                return;
            }
            condition(h, observed);
            propagate(h);
        }
    }

    // Conditions the window belief on its first state being `observed` (no-op when missing).
    private void condition(Belief h, int observed) {
        if (observed < 0) {
            return;
        }
        double total = 0;
        int from = observed * suffixes;
        int to = from + suffixes;
        for (int z = 0; z < windows; z++) {
            if (z < from || z >= to) {
                h.probabilities[z] = 0;
            } else {
                total += h.probabilities[z];
            }
        }
        if (total > 0) {
            for (int z = from; z < to; z++) {
                h.probabilities[z] /= total;
            }
        }
    }

    // Z_t -> Z_{t+1}: drop the oldest state, append s_{t+k} ~ A[Z_t].
    private void propagate(Belief h) {
        Arrays.fill(h.scratch, 0);
        for (int z = 0; z < windows; z++) {
            double p = h.probabilities[z];
            if (p == 0) {
                continue;
            }
            int base = (z % suffixes) * states;
            int row = z * states;
            for (int j = 0; j < states; j++) {
                h.scratch[base + j] += p * transition[row + j];
            }
        }
        System.arraycopy(h.scratch, 0, h.probabilities, 0, windows);
    }

    private final class Output implements Emission<Belief, Categorical> {
        @Override
        public Categorical newDistribution() {
            return new Categorical(states);
        }

        @Override
        public void predict(Belief h, Sequence sequence, int t, Categorical out) {
            // p(o_t = a | past) = P(first state of Z_t = a)
            if (order == 1) {
                out.set(h.probabilities);
                return;
            }
            for (int a = 0; a < states; a++) {
                double p = 0;
                int from = a * suffixes;
                for (int z = from; z < from + suffixes; z++) {
                    p += h.probabilities[z];
                }
                out.set(a, p);
            }
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ObservationSpace observationSpace() {
        return ObservationSpace.symbols(states, names);
    }

    @Override
    public StateTransition<Belief> transition() {
        return f;
    }

    @Override
    public Emission<Belief, Categorical> emission() {
        return g;
    }

    /** (S^k - 1) for the initial distribution and S^k (S - 1) for the transition rows. */
    @Override
    public int parameterCount() {
        return (windows - 1) + windows * (states - 1);
    }

    @Override
    public ObjectNode toSpec() {
        ObjectNode o = Json.object();
        o.put("type", TYPE);
        if (!names.isEmpty()) {
            ArrayNode a = o.putArray("states");
            names.forEach(a::add);
        }
        if (order != 1) {
            o.put("order", order);
        }
        o.set("initial", Json.vector(initial));
        o.set("transition", Json.matrix(transition, windows, states));
        return o;
    }

    // ----------------------------------------------------------------------------------------------
    // what a Markov chain can do

    /**
     * log p(s_0..s_{T-1}) of a fully observed state sequence (and of one with missing states, whose
     * steps are marginalised): the sum of the predictive log-probabilities.
     */
    public double logLikelihood(int... path) {
        return Recurrence.logLikelihood(this, Sequence.ofSymbols("path", path));
    }

    /** log-likelihood of a sequence (missing steps marginalised). */
    public double logLikelihood(Sequence sequence) {
        return Recurrence.logLikelihood(this, sequence);
    }

    /**
     * The distribution of s_n (n = 0 is the first state) when starting from {@code initial}: for order 1,
     * initial · Aⁿ computed by repeated squaring; for order k through the window chain.
     */
    public double[] distributionAt(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be non-negative, got " + n);
        }
        MarkovChain windowChain = windowChain();
        double[] window = MatrixPower.vectorTimesPower(initial, windowChain.transition, windows, n);
        return marginalOfFirst(window);
    }

    /**
     * The distribution of the state n steps after a given one: row {@code from} of Aⁿ (order 1 only;
     * for order k use {@link #windowChain()}).
     */
    public double[] distributionAfter(int from, long n) {
        if (order != 1) {
            throw new IllegalStateException("distributionAfter(state, n) is for first-order chains; use windowChain()");
        }
        double[] start = new double[states];
        start[from] = 1;
        return MatrixPower.vectorTimesPower(start, transition, states, n);
    }

    /** The distribution of the state n steps after a distribution {@code start} (order 1). */
    public double[] distributionAfter(double[] start, long n) {
        if (order != 1) {
            throw new IllegalStateException("distributionAfter(distribution, n) is for first-order chains; use windowChain()");
        }
        if (start.length != states) {
            throw new IllegalArgumentException("start distribution has " + start.length + " entries, expected " + states);
        }
        return MatrixPower.vectorTimesPower(start, transition, states, n);
    }

    private double[] marginalOfFirst(double[] window) {
        double[] p = new double[states];
        for (int z = 0; z < windows; z++) {
            p[z / suffixes] += window[z];
        }
        return p;
    }

    /**
     * The equivalent first-order chain over the S^k windows Z_t = (s_t..s_{t+k-1}), named "a b c"; this
     * chain itself when k = 1. Classification and stationary analysis of a k-th order chain work on it.
     */
    public MarkovChain windowChain() {
        if (order == 1) {
            return this;
        }
        double[] packed = new double[windows * windows];
        for (int z = 0; z < windows; z++) {
            int base = (z % suffixes) * states;
            for (int j = 0; j < states; j++) {
                packed[z * windows + base + j] = transition[z * states + j];
            }
        }
        List<String> windowNames = new ArrayList<>(windows);
        for (int z = 0; z < windows; z++) {
            StringBuilder b = new StringBuilder();
            int rest = z;
            String[] parts = new String[order];
            for (int i = order - 1; i >= 0; i--) {
                parts[i] = stateName(rest % states);
                rest /= states;
            }
            for (int i = 0; i < order; i++) {
                if (i > 0) {
                    b.append(' ');
                }
                b.append(parts[i]);
            }
            windowNames.add(b.toString());
        }
        return new MarkovChain(windows, 1, windowNames, initial.clone(), packed);
    }

    /** Classes, periods, stationary distributions, passage and absorption: see {@link MarkovChainAnalysis}. */
    public MarkovChainAnalysis analyze() {
        return MarkovChainAnalysis.of(windowChain());
    }

    @Override
    public List<PredictiveDistribution> forecast(Sequence history, int steps, Sequence futureInputs) {
        return Forecasting.byPropagation(this, history, steps, this::propagate);
    }

    /** From the filter's state of step T-1: step T conditions on the last observation o_{T-1} and moves to s_T. */
    @Override
    public List<PredictiveDistribution> forecastAfter(Object filterState, Sequence window, int steps,
            Sequence futureInputs) {
        return Forecasting.byPropagationAfter(this, Belief.class, filterState, window, steps, this::propagate);
    }

    /**
     * Maximum likelihood (with an optional Dirichlet pseudo-count α added to every cell) from the
     * observed transitions of all sequences. Transitions that touch a missing observation are not
     * counted; rows and an initial vector without any count keep this model's values. The sequences are
     * counted whole by {@link #newCounts}.
     */
    @Override
    public MarkovChain fitClosedForm(Dataset dataset, FitSettings settings) {
        return (MarkovChain) ClosedFormFitting.super.fitClosedForm(dataset, settings);
    }

    /**
     * Counts of the first window (s_0..s_{k-1}) of each sequence and of each transition from a context of k
     * states, for {@link #fitClosedForm}; a window of a sequence read in chunks must hold the k steps before
     * its new steps (a {@link org.statespace.data.SequenceReader} chunk holds {@link
     * org.statespace.data.SequenceReader#HISTORY}).
     */
    @Override
    public Counts newCounts(FitSettings settings) {
        return new Counts(FitSettings.of(settings, MarkovFitSettings.class, MarkovFitSettings.defaults(), type()));
    }

    /** A Markov chain's counts: integers held in doubles, so the order sequences are added in does not matter. */
    public final class Counts implements ClosedFormFitting.Counts {
        private final MarkovFitSettings settings;
        private final double[] initialCounts = new double[windows];
        private final double[] counts = new double[windows * states];
        private boolean sawInitial;

        private Counts(MarkovFitSettings settings) {
            this.settings = settings;
        }

        @Override
        public void add(Sequence seq, int from) {
            int length = seq.length();
            int first = Math.max(from, order);
            if (from < 0 || (first < length && first - order < seq.firstStep())
                    || (from < order && seq.firstStep() > 0)) {
                throw new IllegalArgumentException("a window of steps " + seq.firstStep() + ".." + (length - 1)
                        + " does not hold the " + order + " steps before step " + from + " that an order-" + order
                        + " chain's context needs");
            }
            if (from < order && length >= order) {
                int z = 0;
                boolean complete = true;
                for (int i = 0; i < order; i++) {
                    int sym = seq.symbol(i);
                    if (sym < 0) {
                        complete = false;
                        break;
                    }
                    z = z * states + sym;
                }
                if (complete) {
                    initialCounts[z]++;
                    sawInitial = true;
                }
            }
            for (int t = first; t < length; t++) {
                int next = seq.symbol(t);
                if (next < 0) {
                    continue;
                }
                int context = 0;
                boolean complete = true;
                for (int i = t - order; i < t; i++) {
                    int sym = seq.symbol(i);
                    if (sym < 0) {
                        complete = false;
                        break;
                    }
                    context = context * states + sym;
                }
                if (complete) {
                    counts[context * states + next]++;
                }
            }
        }

        @Override
        public MarkovChain fitted() {
            double alpha = settings.pseudoCount();
            double[] newInitial = initial.clone();
            if (settings.fitInitial() && (sawInitial || alpha > 0)) {
                normalizeInto(initialCounts, 0, windows, alpha, newInitial, 0);
            }
            double[] newTransition = transition.clone();
            for (int r = 0; r < windows; r++) {
                double rowTotal = 0;
                for (int j = 0; j < states; j++) {
                    rowTotal += counts[r * states + j];
                }
                if (rowTotal > 0 || alpha > 0) {
                    normalizeInto(counts, r * states, states, alpha, newTransition, r * states);
                }
            }
            return new MarkovChain(states, order, names, newInitial, newTransition);
        }
    }

    private static void normalizeInto(double[] counts, int offset, int n, double alpha, double[] out, int outOffset) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += counts[offset + i] + alpha;
        }
        for (int i = 0; i < n; i++) {
            out[outOffset + i] = (counts[offset + i] + alpha) / total;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MarkovChain m && states == m.states && order == m.order && names.equals(m.names)
                && Arrays.equals(initial, m.initial) && Arrays.equals(transition, m.transition);
    }

    @Override
    public int hashCode() {
        return Objects.hash(states, order, names, Arrays.hashCode(initial), Arrays.hashCode(transition));
    }

    @Override
    public String toString() {
        return "MarkovChain[S=" + states + (order > 1 ? ", order=" + order : "") + "]";
    }

    // ----------------------------------------------------------------------------------------------
    // standard errors: each transition row by the logits of its positive entries (SimplexLogits)

    /** The logits of every transition row's positive entries, row after row. */
    @Override
    public double[] unconstrainedParameters() {
        List<Double> out = new ArrayList<>();
        for (int c = 0; c < windows; c++) {
            org.statespace.numeric.SimplexLogits.toLogits(Arrays.copyOfRange(transition, c * states, (c + 1) * states),
                    out);
        }
        double[] theta = new double[out.size()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = out.get(i);
        }
        return theta;
    }

    /** The chain with these row logits; the initial distribution and every zero entry as in this chain. */
    @Override
    public MarkovChain withUnconstrainedParameters(double[] theta) {
        double[] next = new double[transition.length];
        double[] row = new double[states];
        int offset = 0;
        for (int c = 0; c < windows; c++) {
            offset = org.statespace.numeric.SimplexLogits.fromLogits(
                    Arrays.copyOfRange(transition, c * states, (c + 1) * states), theta, offset, row);
            System.arraycopy(row, 0, next, c * states, states);
        }
        if (offset != theta.length) {
            throw new IllegalArgumentException("expected " + offset + " logits, got " + theta.length);
        }
        return new MarkovChain(states, order, names, initial, next);
    }

    /** {@code transition[a->b]} (order k: {@code transition[a,b->c]}, the context oldest first), every entry. */
    @Override
    public List<String> parameterNames() {
        List<String> symbols = names.isEmpty() ? Dataset.integerNames(states) : names;
        List<String> out = new ArrayList<>(transition.length);
        for (int c = 0; c < windows; c++) {
            StringBuilder context = new StringBuilder();
            int rest = c;
            String[] digits = new String[order];
            for (int i = order - 1; i >= 0; i--) {
                digits[i] = symbols.get(rest % states);
                rest /= states;
            }
            context.append(String.join(",", digits));
            for (int j = 0; j < states; j++) {
                out.add("transition[" + context + "->" + symbols.get(j) + "]");
            }
        }
        return out;
    }

    @Override
    public double[] parameterValues() {
        return transition.clone();
    }

    @Override
    public String heldFixed() {
        return "the initial distribution is held at its estimate, as are transition probabilities that are exactly 0";
    }

    // for the spec reader: arrays already validated
    static MarkovChain trusted(int states, int order, List<String> names, double[] initial, double[] packed) {
        return new MarkovChain(states, order, names, initial, packed);
    }
}
