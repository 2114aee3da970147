package org.statespace.hsmm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.DataException;
import org.statespace.Emission;
import org.statespace.ObservationSpace;
import org.statespace.StateSpaceModel;
import org.statespace.StateTransition;
import org.statespace.capability.ExpectationMaximization;
import org.statespace.capability.FitSettings;
import org.statespace.capability.Forecasting;
import org.statespace.capability.Initialization;
import org.statespace.capability.LatentSampling;
import org.statespace.capability.LongSequenceInference;
import org.statespace.capability.PosteriorDraws;
import org.statespace.capability.PosteriorSampling;
import org.statespace.capability.StateRecording;
import org.statespace.capability.SufficientStatistics;
import org.statespace.data.Dataset;
import org.statespace.data.ObservedRows;
import org.statespace.data.Sequence;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.hmm.DiscreteStateModel;
import org.statespace.hmm.EmissionModel;
import org.statespace.hmm.HmmFitSettings;
import org.statespace.hmm.StateRecursions;
import org.statespace.numeric.Validate;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;

/**
 * An explicit-duration hidden Markov model (hidden semi-Markov model) with K &ge; 2 states: the first
 * segment's state s ~ π, each segment of state k lasts d ~ p_k steps ({@link Duration}), the next segment's
 * state j ~ A[k] with A_kk = 0, and every step of a segment of state k emits o_t ~ b_k (an
 * {@link EmissionModel}, shared with the HMM family). Immutable and thread-safe; fitting returns a new model.
 *
 * <p>Inference runs over the expanded chain whose state is (k, e), e the steps the current segment has
 * lasted so far (see the package documentation); it is an ordinary Markov chain over M = Σ_k slots_k states
 * with a sparse transition (continue to (k, e+1) or end, then enter (j, 1)), so one step costs
 * O(M + K²) = O(K·D + K²).
 *
 * <p>A sequence longer than memory is smoothed, decoded, fitted and drawn from over its chunks
 * ({@link LongSequenceInference}): the forward pass spills (M + K + 1 + d)·8 bytes a step (α̂_t over the slots, b̃_t,
 * c_t, o_t; d the observation's dimension), Viterbi 4M bytes a step (its backpointers) and posterior draws 8 bytes a
 * step more (a draw's states) to temporary files, which the backward pass, the trace back or backward sampling reads
 * in reverse blocks; the numbers are the in-memory kernels' bit for bit.
 */
public final class HiddenSemiMarkovModel implements StateSpaceModel<HiddenSemiMarkovModel.Belief, PredictiveDistribution>,
        DiscreteStateModel, StateRecording<HiddenSemiMarkovModel.Belief>, LatentSampling, PosteriorSampling, Forecasting,
        ExpectationMaximization, Initialization, LongSequenceInference {

    /** The spec type. */
    public static final String TYPE = "hsmm";

    final int states;
    private final List<String> names;
    final double[] initial;       // K
    final double[] transition;    // K×K row-major, zero diagonal
    private final List<Duration> durations;
    final int maxDuration;
    final EmissionModel emission;
    // the expanded chain
    final int size;               // M
    final int[] owner;            // M: the state k of slot m
    final int[] entry;            // K: the slot (k, 1)
    final int[] slotCount;        // K
    final int[] next;             // M: (k, e+1), or m itself for the last slot (a self-loop when stay > 0)
    final double[] hazard;        // M
    final double[] stay;          // M
    private final Transition f = new Transition();
    private final Output g = new Output();

    private HiddenSemiMarkovModel(List<String> names, double[] initial, double[] transition, List<Duration> durations,
            int maxDuration, EmissionModel emission) {
        this.states = initial.length;
        this.names = List.copyOf(names);
        this.initial = initial;
        this.transition = transition;
        this.durations = List.copyOf(durations);
        this.maxDuration = maxDuration;
        this.emission = emission;
        slotCount = new int[states];
        entry = new int[states];
        int m = 0;
        for (int k = 0; k < states; k++) {
            entry[k] = m;
            slotCount[k] = durations.get(k).slots(maxDuration);
            m += slotCount[k];
        }
        size = m;
        owner = new int[m];
        next = new int[m];
        hazard = new double[m];
        stay = new double[m];
        for (int k = 0; k < states; k++) {
            double[] h = durations.get(k).hazards(maxDuration);
            double[] s = durations.get(k).stays(maxDuration);
            for (int e = 0; e < slotCount[k]; e++) {
                int i = entry[k] + e;
                owner[i] = k;
                next[i] = e + 1 < slotCount[k] ? i + 1 : i;
                hazard[i] = h[e];
                stay[i] = s[e];
            }
        }
    }

    /**
     * A K-state explicit-duration HMM (negative-binomial durations up to 30 steps, emissions chosen by the data:
     * categorical for symbols, Gaussian otherwise) that the data it is fitted to sizes and a seeded start
     * initialises:
     *
     * <pre>{@code
     * HiddenSemiMarkovModel hsmm = Trainer.fit(HiddenSemiMarkovModel.withStates(3), data).model();
     * }</pre>
     *
     * Other durations or emissions: {@code withStates(3).with("duration", "poisson").with("maxDuration", 50)}.
     *
     * @param states K, 2 to 1000
     */
    public static org.statespace.spec.ModelTemplate<HiddenSemiMarkovModel> withStates(int states) {
        if (states < 2 || states > 1000) {
            throw new org.statespace.SpecException("template", "states", "an HSMM needs 2 to 1000 states, got " + states);
        }
        ObjectNode json = Json.object();
        json.put("type", TYPE);
        json.put("states", states);
        return org.statespace.spec.ModelTemplate.of(HiddenSemiMarkovModel.class, json);
    }

    /**
     * An explicit-duration HMM.
     *
     * @param stateNames  K names, or empty
     * @param initial     π, the state of the first segment
     * @param transition  A, K×K with a zero diagonal, rows summing to 1
     * @param durations   K duration distributions
     * @param maxDuration D, where Poisson and negative-binomial durations are truncated (tail folded into D)
     *                    and the longest a table may be
     * @param emission    the emission densities of the K states
     */
    public static HiddenSemiMarkovModel of(List<String> stateNames, double[] initial, double[][] transition,
            List<Duration> durations, int maxDuration, EmissionModel emission) {
        int k = initial.length;
        if (k < 2) {
            throw new IllegalArgumentException("an explicit-duration HMM needs at least 2 states, got " + k);
        }
        probabilities("initial", initial);
        if (transition.length != k) {
            throw new IllegalArgumentException("transition must be " + k + "x" + k + ", got " + transition.length + " rows");
        }
        for (int i = 0; i < k; i++) {
            if (transition[i].length != k) {
                throw new IllegalArgumentException("transition[" + i + "] has " + transition[i].length
                        + " entries, expected " + k);
            }
            if (transition[i][i] != 0) {
                throw new IllegalArgumentException("transition[" + i + "][" + i + "] must be 0 (no self-transitions), got "
                        + transition[i][i]);
            }
            probabilities("transition[" + i + "]", transition[i]);
        }
        if (durations.size() != k) {
            throw new IllegalArgumentException(durations.size() + " durations for " + k + " states");
        }
        if (maxDuration < 1) {
            throw new IllegalArgumentException("maxDuration must be at least 1, got " + maxDuration);
        }
        for (int i = 0; i < k; i++) {
            if (durations.get(i).slots(maxDuration) > maxDuration) {
                throw new IllegalArgumentException("durations[" + i + "] is longer than maxDuration " + maxDuration);
            }
        }
        if (emission.stateCount() != k) {
            throw new IllegalArgumentException("the emission has " + emission.stateCount() + " states, the chain " + k);
        }
        if (!stateNames.isEmpty() && (stateNames.size() != k || stateNames.stream().distinct().count() != k)) {
            throw new IllegalArgumentException("state names must be " + k + " distinct names: " + stateNames);
        }
        return new HiddenSemiMarkovModel(stateNames, initial.clone(), Validate.pack(transition), durations, maxDuration,
                emission);
    }

    static HiddenSemiMarkovModel trusted(List<String> names, double[] initial, double[] transition,
            List<Duration> durations, int maxDuration, EmissionModel emission) {
        return new HiddenSemiMarkovModel(names, initial, transition, durations, maxDuration, emission);
    }

    private static void probabilities(String what, double[] p) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0 && p[i] <= 1)) {
                throw new IllegalArgumentException(what + "[" + i + "] must be in [0, 1], got " + p[i]);
            }
            sum += p[i];
        }
        if (Math.abs(sum - 1) > Validate.SUM_TOLERANCE) {
            throw new IllegalArgumentException(what + " sums to " + sum + ", expected 1");
        }
    }

    /** K. */
    public int stateCount() {
        return states;
    }

    /**
     * The K state names: those of the spec, or "0".."K-1" when it gives none (as the HMM's, and as
     * {@code PathDecoding.stateNames()} asks on main since the names merge).
     */
    public List<String> stateNames() {
        if (!names.isEmpty()) {
            return names;
        }
        List<String> index = new ArrayList<>(states);
        for (int k = 0; k < states; k++) {
            index.add(Integer.toString(k));
        }
        return List.copyOf(index);
    }

    /** π (a copy). */
    public double[] initial() {
        return initial.clone();
    }

    /** A as K rows of K (a copy); the diagonal is 0. */
    public double[][] transitionMatrix() {
        return Validate.unpack(transition, states, states);
    }

    /** The duration distributions of the K states. */
    public List<Duration> durations() {
        return durations;
    }

    /** D. */
    public int maxDuration() {
        return maxDuration;
    }

    /** The emission densities. */
    public EmissionModel emissionModel() {
        return emission;
    }

    /** M, the number of states of the expanded chain (state, steps so far). */
    public int expandedSize() {
        return size;
    }

    // ----------------------------------------------------------------------------------------------
    // the recurrence

    /**
     * h_t for an explicit-duration HMM: the predicted belief over the expanded chain,
     * p((s_t, e_t) | o_0..o_{t-1}), M entries. A per-run workspace.
     */
    public static final class Belief {
        final double[] predicted;   // M
        final double[] alpha;       // M
        final double[] exit;        // K
        final double[] weights;     // K: p(s_t = k | past)
        final double[] densities;   // K: scaled b̃_k of the scored step
        final EmissionModel.Workspace emission;
        Sequence scoredSequence;
        int scoredStep = -1;
        double scoredNormalizer;

        Belief(int size, int states, EmissionModel.Workspace emission) {
            predicted = new double[size];
            alpha = new double[size];
            exit = new double[states];
            weights = new double[states];
            densities = new double[states];
            this.emission = emission;
        }

        /** p(s_t = k | o_0..o_{t-1}) (summed over the steps the segment has lasted). */
        public double probability(int k) {
            return weights[k];
        }
    }

    // b̃_k = exp(log b_k - max) into out; returns the max (-inf when no state can emit o_t: out all 0)
    static double scaledDensities(EmissionModel.Workspace w, Sequence sequence, int t, double[] out, int offset, int k) {
        w.logDensities(sequence, t, out, offset);
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            if (out[offset + j] > max) {
                max = out[offset + j];
            }
        }
        if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
            Arrays.fill(out, offset, offset + k, 0);
            return Double.NEGATIVE_INFINITY;
        }
        for (int j = 0; j < k; j++) {
            out[offset + j] = Math.exp(out[offset + j] - max);
        }
        return max;
    }

    /** out = αᵀ P over the expanded chain: continue (stay) or end (hazard) and enter (j, 1) with A_kj. */
    void propagate(double[] alpha, int offset, double[] out, double[] exit) {
        Arrays.fill(out, 0);
        Arrays.fill(exit, 0);
        for (int m = 0; m < size; m++) {
            double a = alpha[offset + m];
            if (a == 0) {
                continue;
            }
            out[next[m]] += a * stay[m];
            exit[owner[m]] += a * hazard[m];
        }
        for (int k = 0; k < states; k++) {
            double e = exit[k];
            if (e == 0) {
                continue;
            }
            int r = k * states;
            for (int j = 0; j < states; j++) {
                out[entry[j]] += e * transition[r + j];
            }
        }
    }

    void start(double[] predicted) {
        Arrays.fill(predicted, 0);
        for (int k = 0; k < states; k++) {
            predicted[entry[k]] = initial[k];
        }
    }

    void stateWeights(double[] predicted, double[] weights) {
        Arrays.fill(weights, 0);
        for (int m = 0; m < size; m++) {
            weights[owner[m]] += predicted[m];
        }
    }

    private final class Transition implements StateTransition<Belief> {
        @Override
        public Belief newState() {
            return new Belief(size, states, emission.newWorkspace());
        }

        @Override
        public void start(Belief h, Sequence sequence) {
            HiddenSemiMarkovModel.this.start(h.predicted);
            stateWeights(h.predicted, h.weights);
            h.scoredSequence = null;
            h.scoredStep = -1;
        }

        /** Conditions h_{t-1} on o_{t-1} (α = h ⊙ b(o_{t-1}) / Σ) and predicts h_t = αᵀ P. */
        @Override
        public void step(Belief h, Sequence sequence, int t) {
            double sum;
            if (h.scoredSequence == sequence && h.scoredStep == t - 1) {
                sum = h.scoredNormalizer;
            } else {
                // o_{t-1} scored on another window of the sequence (a file read in chunks): the normaliser as
                // logDensity sums it, Σ_k p(s = k | past) b̃_k, so a chunked run gives the in-memory run's bits
                scaledDensities(h.emission, sequence, t - 1, h.densities, 0, states);
                sum = 0;
                for (int k = 0; k < states; k++) {
                    sum += h.weights[k] * h.densities[k];
                }
            }
            h.scoredSequence = null;
            h.scoredStep = -1;
            if (sum > 0) {
                double inv = 1 / sum;
                for (int m = 0; m < size; m++) {
                    h.alpha[m] = h.predicted[m] * h.densities[owner[m]] * inv;
                }
            } else {
                // o_{t-1} was impossible (the log-likelihood is already -inf): carry the prediction on
                System.arraycopy(h.predicted, 0, h.alpha, 0, size);
            }
            propagate(h.alpha, 0, h.predicted, h.exit);
            stateWeights(h.predicted, h.weights);
        }
    }

    private final class Output implements Emission<Belief, PredictiveDistribution> {
        @Override
        public PredictiveDistribution newDistribution() {
            return emission.newPredictive();
        }

        /** p(o_t | past) = Σ_k p(s_t = k | past) b_k(o_t): a categorical or a mixture of the state densities. */
        @Override
        public void predict(Belief h, Sequence sequence, int t, PredictiveDistribution out) {
            emission.predict(h.weights, out);
        }

        /** log Σ_k p(s_t = k | past) b_k(o_t); 0 for a missing observation. */
        @Override
        public double logDensity(Belief h, PredictiveDistribution predicted, Sequence sequence, int t) {
            double max = scaledDensities(h.emission, sequence, t, h.densities, 0, states);
            double c = 0;
            for (int k = 0; k < states; k++) {
                c += h.weights[k] * h.densities[k];
            }
            h.scoredSequence = sequence;
            h.scoredStep = t;
            h.scoredNormalizer = c;
            if (max == Double.NEGATIVE_INFINITY) {
                return max;
            }
            return Math.log(c) + max;
        }
    }

    /** State estimates recorded in the engine's pass. */
    private record Recorded(int length, double logLikelihood, List<org.statespace.capability.Track> tracks)
            implements org.statespace.capability.StateEstimates {
    }

    /**
     * {@code filteredProbabilities} from the engine's own pass: after step t is scored the belief holds the
     * expanded prediction and the scaled densities b̃_t of o_t ({@link Output#logDensity}), so p(s_t = k | o_0..o_t)
     * = Σ_{m of k} predicted_m b̃_k / Σ_m predicted_m b̃_{owner(m)}, as the forward kernel collapses its α (the
     * prediction when o_t is impossible).
     */
    @Override
    public StateRecorder<Belief> stateRecorder(Sequence sequence) {
        int length = sequence.length();
        StepRecorder<Belief> step = stepRecorder();
        double[][] filtered = org.statespace.capability.StateRecording.allocate(step.tracks(), length);
        return new StateRecorder<>() {
            @Override
            public void record(int t, Belief h) {
                step.record(sequence, t, h, filtered, t);
            }

            @Override
            public org.statespace.capability.StateEstimates estimates(double logLikelihood) {
                // the track filterStates' StateProbabilities holds (its constructor is the hmm package's)
                return new Recorded(length, logLikelihood, List.of(step.tracks().get(0).track(length, filtered[0])));
            }
        };
    }

    /** {@link #stateRecorder}'s {@code filteredProbabilities} of one step at a time. */
    @Override
    public StepRecorder<Belief> stepRecorder() {
        List<TrackShape> tracks = List.of(new TrackShape("filteredProbabilities", new int[] {states}));
        double[] alpha = new double[size];
        return StepRecorder.of(tracks, (window, t, h, blocks, row) -> {
            double[] filtered = blocks[0];
            double c = 0;
            for (int m = 0; m < size; m++) {
                double a = h.predicted[m] * h.densities[owner[m]];
                alpha[m] = a;
                c += a;
            }
            int base = row * states;
            if (!(c > 0)) {
                System.arraycopy(h.weights, 0, filtered, base, states);
                return;
            }
            Arrays.fill(filtered, base, base + states, 0);
            double inv = 1 / c;
            for (int m = 0; m < size; m++) {
                filtered[base + owner[m]] += alpha[m] * inv;
            }
        });
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ObservationSpace observationSpace() {
        return emission.observationSpace();
    }

    @Override
    public StateTransition<Belief> transition() {
        return f;
    }

    @Override
    public Emission<Belief, PredictiveDistribution> emission() {
        return g;
    }

    /** (K - 1) for π, K(K - 2) for A (zero diagonal), the durations' and the emission's free parameters. */
    @Override
    public int parameterCount() {
        int n = (states - 1) + states * (states - 2) + emission.parameterCount();
        for (Duration d : durations) {
            n += d.parameterCount();
        }
        return n;
    }

    @Override
    public List<String> symbolNames() {
        return emission.symbolNames();
    }

    @Override
    public ObjectNode toSpec() {
        ObjectNode o = Json.object();
        o.put("type", TYPE);
        if (!names.isEmpty()) {
            ArrayNode a = o.putArray("states");
            names.forEach(a::add);
        }
        o.set("initial", Json.vector(initial));
        o.set("transition", Json.matrix(transition, states, states));
        o.put("maxDuration", maxDuration);
        ArrayNode d = o.putArray("durations");
        durations.forEach(x -> d.add(x.toSpec()));
        o.set("emission", emission.toSpec());
        return o;
    }

    // ----------------------------------------------------------------------------------------------
    // whole-sequence kernels

    /** Fresh kernel workspaces for this model (one per thread). */
    SemiMarkovKernels kernels() {
        return new SemiMarkovKernels(this);
    }

    /** The scaled forward and forward-backward recursions and Viterbi over the expanded chain (state, steps so far). */
    @Override
    public StateRecursions recursions() {
        return kernels();
    }

    /**
     * Joint draws of s_0..s_{T-1} from p(s | o) by forward-filter backward-sample over the expanded chain
     * (state, steps so far): x_{T-1} ~ α̂_{T-1}, then x_t ~ α̂_t(m) P(m, x_{t+1}), which is exact because the
     * expanded chain is Markov; the state of each drawn slot is the draw. O(T·M) per draw after one
     * forward pass.
     */
    @Override
    public PosteriorDraws samplePosterior(Sequence sequence, int count, RandomGenerator random) {
        PosteriorDraws.requireCount(count);
        SemiMarkovKernels k = kernels();
        int[][] paths = new int[count][];
        if (sequence.length() > 0) {
            k.forward(sequence);
        }
        for (int d = 0; d < count; d++) {
            paths[d] = sequence.length() == 0 ? new int[0] : k.samplePath(random);
        }
        return PosteriorDraws.paths(sequence.length(), paths);
    }

    /**
     * The first segment's state from π, each segment's length from its duration, the next state from A; the
     * hidden path is attached as states (T×1). Takes no inputs.
     */
    @Override
    public Sequence sampleWithStates(String id, int length, Sequence inputs, RandomGenerator random) {
        if (length < 1) {
            throw new IllegalArgumentException("length must be at least 1, got " + length);
        }
        int d = emission.observationSpace().dimension();
        EmissionModel.Workspace w = emission.newWorkspace();
        double[] observations = new double[length * d];
        double[] path = new double[length];
        int m = entry[Randoms.categorical(initial, 0, states, random)];
        for (int t = 0; t < length; t++) {
            if (t > 0) {
                if (random.nextDouble() < hazard[m]) {
                    m = entry[Randoms.categorical(transition, owner[m] * states, states, random)];
                } else {
                    m = next[m];
                }
            }
            path[t] = owner[m];
            w.sample(owner[m], random, observations, t * d);
        }
        return Sequence.of(id, d, observations).withStates(1, path);
    }

    /** p(o_T), ..., p(o_{T+n-1}) given o_0..o_{T-1}: the last belief propagated through the expanded chain. */
    @Override
    public List<PredictiveDistribution> forecast(Sequence history, int steps, Sequence futureInputs) {
        return Forecasting.byPropagation(this, history, steps, this::moveAhead);
    }

    /** From the filter's state of step T-1: conditions on o_{T-1}, moves to step T, then forecasts as {@link #forecast}. */
    @Override
    public List<PredictiveDistribution> forecastAfter(Object filterState, Sequence window, int steps,
            Sequence futureInputs) {
        return Forecasting.byPropagationAfter(this, Belief.class, filterState, window, steps, this::moveAhead);
    }

    // the predicted belief one step further ahead, with no observation to condition on
    private void moveAhead(Belief h) {
        System.arraycopy(h.predicted, 0, h.alpha, 0, size);
        propagate(h.alpha, 0, h.predicted, h.exit);
        stateWeights(h.predicted, h.weights);
    }

    // ----------------------------------------------------------------------------------------------
    // learning

    @Override
    public SufficientStatistics newStatistics() {
        return new SemiMarkovStatistics(states, size, emission.newStatistics());
    }

    /** The E-step of one sequence: expected initial states, transitions, segment ends and emission weights. */
    @Override
    public double expectation(Sequence sequence, SufficientStatistics statistics) {
        if (!(statistics instanceof SemiMarkovStatistics s) || s.states != states || s.size != size) {
            throw new IllegalArgumentException("statistics must come from newStatistics() of this model");
        }
        return kernels().expectation(sequence, s);
    }

    /**
     * The E-step of one sequence read in chunks, its filter spilled to disk ((M + K + 1 + d)·8 bytes a step,
     * {@link SpilledSemiMarkov}): the statistics and log-likelihood of {@link #expectation(Sequence,
     * SufficientStatistics)} bit for bit.
     */
    @Override
    public double expectation(String id, Chunks chunks, SufficientStatistics statistics) {
        if (!(statistics instanceof SemiMarkovStatistics s) || s.states != states || s.size != size) {
            throw new IllegalArgumentException("statistics must come from newStatistics() of this model");
        }
        return new SpilledSemiMarkov(this).expectation(id, chunks, s);
    }

    /** {@code posteriorProbabilities} of one sequence read in chunks, its filter spilled to disk ({@link SpilledSemiMarkov}). */
    @Override
    public double smooth(String id, Chunks chunks, SmoothedSteps out) {
        return new SpilledSemiMarkov(this).smooth(id, chunks, out);
    }

    /** The Viterbi path of one sequence read in chunks, its backpointers spilled to disk (4M bytes a step). */
    @Override
    public double decode(String id, Chunks chunks, DecodedSteps out) {
        return new SpilledSemiMarkov(this).decode(id, chunks, out);
    }

    /** True: {@link #samplePosterior(String, Chunks, int, RandomGenerator, DrawnSteps)} runs over chunks. */
    @Override
    public boolean streamsPosteriorDraws() {
        return true;
    }

    /**
     * The draws of {@link #samplePosterior(Sequence, int, RandomGenerator)} for one sequence read in chunks, from the
     * same numbers of {@code random} in the same order: its filter spilled to disk as for {@link #smooth(String,
     * Chunks, SmoothedSteps)} and each draw's states (8 bytes a step) to a second file ({@link SpilledSemiMarkov}).
     */
    @Override
    public double samplePosterior(String id, Chunks chunks, int count, RandomGenerator random, DrawnSteps out) {
        return new SpilledSemiMarkov(this).samplePosterior(id, chunks, count, random, out);
    }

    /**
     * The M-step (see the package documentation): π ∝ Σ γ_0 + α_π; A_kj ∝ expected k→j transitions + α_A
     * (j ≠ k); durations from the expected segment counts ({@link DurationFit}); emissions by
     * {@link EmissionModel#maximize} with the posterior state weights. {@code fitTransition} covers the
     * durations too. Parts the settings hold fixed are kept, and so is any row without counts.
     */
    @Override
    public HiddenSemiMarkovModel maximization(SufficientStatistics statistics, FitSettings settings) {
        HmmFitSettings s = FitSettings.of(settings, HmmFitSettings.class, HmmFitSettings.defaults(), type());
        SemiMarkovStatistics st = (SemiMarkovStatistics) statistics;
        double[] nextInitial = initial.clone();
        if (s.fitInitial()) {
            normalize(st.initial, 0, s.initialPseudoCount(), -1, nextInitial);
        }
        double[] nextTransition = transition.clone();
        List<Duration> nextDurations = durations;
        if (s.fitTransition()) {
            for (int k = 0; k < states; k++) {
                normalize(st.transitions, k * states, s.transitionPseudoCount(), k, nextTransition);
            }
            nextDurations = new ArrayList<>(states);
            for (int k = 0; k < states; k++) {
                nextDurations.add(DurationFit.maximize(durations.get(k), maxDuration, st, k, entry[k], slotCount[k]));
            }
        }
        EmissionModel nextEmission = s.fitEmission() ? emission.maximize(st.emission, s) : emission;
        return new HiddenSemiMarkovModel(names, nextInitial, nextTransition, nextDurations, maxDuration, nextEmission);
    }

    // out[offset..offset+K) = (counts + α) / Σ over the entries other than skip; left as is when the total is 0
    private void normalize(double[] counts, int offset, double alpha, int skip, double[] out) {
        double total = 0;
        for (int j = 0; j < states; j++) {
            if (j != skip) {
                total += counts[offset + j] + alpha;
            }
        }
        if (!(total > 0) || !Double.isFinite(total)) {
            return;
        }
        for (int j = 0; j < states; j++) {
            out[offset + j] = j == skip ? 0 : (counts[offset + j] + alpha) / total;
        }
    }

    /**
     * A random start of the same structure: π and the rows of A (zero diagonal) random, the durations kept,
     * emissions by {@link EmissionModel#initialize} (k-means++ for Gaussian and mixture emissions).
     */
    @Override
    public HiddenSemiMarkovModel initialize(Dataset dataset, RandomGenerator random, FitSettings settings) {
        FitSettings.of(settings, HmmFitSettings.class, HmmFitSettings.defaults(), type());
        Dataset data;
        try {
            data = observationSpace().align(dataset, "");
        } catch (DataException e) {
            throw new DataException("cannot initialise from the data: " + e.getMessage(), e);
        }
        return initialize(ObservedRows.of(data), random, settings);
    }

    /** {@link #initialize(Dataset, RandomGenerator, FitSettings)} from the rows of data matched to this model. */
    @Override
    public HiddenSemiMarkovModel initialize(ObservedRows data, RandomGenerator random, FitSettings settings) {
        HmmFitSettings s = FitSettings.of(settings, HmmFitSettings.class, HmmFitSettings.defaults(), type());
        double[] nextInitial = initial.clone();
        if (s.fitInitial()) {
            randomRow(random, nextInitial, 0, -1);
        }
        double[] nextTransition = transition.clone();
        if (s.fitTransition()) {
            for (int k = 0; k < states; k++) {
                randomRow(random, nextTransition, k * states, k);
            }
        }
        EmissionModel nextEmission = s.fitEmission() ? emission.initialize(data, random, s) : emission;
        return new HiddenSemiMarkovModel(names, nextInitial, nextTransition, durations, maxDuration, nextEmission);
    }

    // half uniform, half random weights: every entry but skip positive
    private void randomRow(RandomGenerator random, double[] out, int offset, int skip) {
        double total = 0;
        for (int j = 0; j < states; j++) {
            out[offset + j] = j == skip ? 0 : 1 + random.nextDouble();
            total += out[offset + j];
        }
        for (int j = 0; j < states; j++) {
            out[offset + j] /= total;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HiddenSemiMarkovModel m && states == m.states && names.equals(m.names)
                && maxDuration == m.maxDuration && Arrays.equals(initial, m.initial)
                && Arrays.equals(transition, m.transition) && durations.equals(m.durations)
                && emission.equals(m.emission);
    }

    @Override
    public int hashCode() {
        return Objects.hash(states, names, maxDuration, Arrays.hashCode(initial), Arrays.hashCode(transition), durations,
                emission);
    }

    @Override
    public String toString() {
        return "HiddenSemiMarkovModel[K=" + states + ", D=" + maxDuration + ", durations=" + durations + ", " + emission
                + "]";
    }
}
