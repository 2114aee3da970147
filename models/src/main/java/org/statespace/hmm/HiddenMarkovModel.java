package org.statespace.hmm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.DataException;
import org.statespace.Emission;
import org.statespace.ObservationSpace;
import org.statespace.Recurrence;
import org.statespace.StateSpaceModel;
import org.statespace.StateTransition;
import org.statespace.capability.ExpectationMaximization;
import org.statespace.capability.FitSettings;
import org.statespace.capability.Forecasting;
import org.statespace.capability.Initialization;
import org.statespace.capability.LatentSampling;
import org.statespace.capability.PathDecoding;
import org.statespace.capability.PosteriorDraws;
import org.statespace.capability.PosteriorSampling;
import org.statespace.capability.StateEstimates;
import org.statespace.capability.StateRecording;
import org.statespace.capability.SufficientStatistics;
import org.statespace.capability.SymmetryBreaking;
import org.statespace.capability.UnconstrainedParameters;
import org.statespace.data.Dataset;
import org.statespace.data.ObservedRows;
import org.statespace.data.Sequence;
import org.statespace.distribution.Categorical;
import org.statespace.distribution.Mixture;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.numeric.Validate;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;
import org.statespace.spec.SpecNode;

/**
 * A hidden Markov model with K states: s_0 ~ π, s_t | s_{t-1} ~ A[s_{t-1}], o_t | s_t ~ b_{s_t}
 * (an {@link EmissionModel}: categorical, Gaussian, Gaussian mixture or Poisson). Immutable and
 * thread-safe; fitting returns a new model.
 *
 * <p>As a recurrence (see the package documentation) its state h_t is the predicted belief
 * p(s_t | o_0..o_{t-1}); one step conditions on o_{t-1} and predicts with A; the emission is the
 * predictive distribution of o_t, a {@link Categorical} Σ_k h_k B_k for categorical emissions and a
 * {@link Mixture} of the state densities with weights h otherwise. The whole-sequence kernels (forward
 * filter, backward pass, smoothing, Viterbi, posterior sampling, Baum-Welch statistics) are in
 * {@link ForwardBackward}.
 */
public final class HiddenMarkovModel implements StateSpaceModel<HiddenMarkovModel.Belief, PredictiveDistribution>,
        DiscreteStateModel, StateRecording<HiddenMarkovModel.Belief>, LatentSampling, PosteriorSampling, Forecasting,
        ExpectationMaximization, Initialization, SymmetryBreaking, UnconstrainedParameters,
        org.statespace.capability.LongSequenceInference {

    /** The spec type. */
    public static final String TYPE = "hmm";

    private final int states;
    private final List<String> names;
    private final double[] initial;                  // K
    private final double[] transition;               // K×K row-major
    private final double[][] transitionRows;         // the same K rows, one array each (ForwardStep.predict)
    private final double[] logInitial;               // K
    private final double[] logTransitionTransposed;  // K×K, [j][i] = log A_ij
    private final EmissionModel emission;
    private final HmmFitControl control;             // the spec's "prior" and "fit" blocks, or null
    private final Transition f = new Transition();
    private final Output g = new Output();

    private HiddenMarkovModel(List<String> names, double[] initial, double[] transition, EmissionModel emission) {
        this(names, initial, transition, emission, null);
    }

    private HiddenMarkovModel(List<String> names, double[] initial, double[] transition, EmissionModel emission,
            HmmFitControl control) {
        this.control = control;
        this.states = initial.length;
        this.names = List.copyOf(names);
        this.initial = initial;
        this.transition = transition;
        this.transitionRows = ForwardStep.rows(transition, 0, states, new double[states][states]);
        this.emission = emission;
        this.logInitial = new double[states];
        this.logTransitionTransposed = new double[states * states];
        for (int i = 0; i < states; i++) {
            logInitial[i] = Math.log(initial[i]);
            for (int j = 0; j < states; j++) {
                logTransitionTransposed[j * states + i] = Math.log(transition[i * states + j]);
            }
        }
    }

    /**
     * hmmlearn's {@code GaussianHMM(n_components=k)}: a K-state HMM with Gaussian emissions (diagonal covariances)
     * that the data it is fitted to sizes and a seeded start initialises.
     *
     * <pre>{@code
     * FittedModel<HiddenMarkovModel> fit = Trainer.fit(HiddenMarkovModel.gaussian(2), data);
     * String summary = fit.summary();     // estimates, standard errors, log-likelihood, AIC, BIC
     * }</pre>
     *
     * @param states K, at least 1
     */
    public static org.statespace.spec.ModelTemplate<HiddenMarkovModel> gaussian(int states) {
        return template(states, GaussianEmission.TYPE);
    }

    /**
     * A K-state Gaussian HMM with the given covariance type, e.g.
     * {@code HiddenMarkovModel.gaussian(3, CovarianceType.FULL)}.
     */
    public static org.statespace.spec.ModelTemplate<HiddenMarkovModel> gaussian(int states, CovarianceType covariance) {
        return template(states, GaussianEmission.TYPE).with("covarianceType", covariance.jsonName());
    }

    /**
     * A K-state HMM of counts with Poisson emissions: {@code Trainer.fit(HiddenMarkovModel.poisson(3), counts)}.
     */
    public static org.statespace.spec.ModelTemplate<HiddenMarkovModel> poisson(int states) {
        return template(states, PoissonEmission.TYPE);
    }

    /**
     * A K-state HMM of symbols (hmmlearn's {@code CategoricalHMM}) whose alphabet the data gives:
     * {@code Trainer.fit(HiddenMarkovModel.categorical(2), rolls)}.
     */
    public static org.statespace.spec.ModelTemplate<HiddenMarkovModel> categorical(int states) {
        return template(states, CategoricalEmission.TYPE);
    }

    /**
     * A K-state HMM whose emissions are mixtures of C Gaussians (hmmlearn's {@code GMMHMM}):
     * {@code Trainer.fit(HiddenMarkovModel.gaussianMixture(2, 3), data)}.
     *
     * @param components C, 1 to 100
     */
    public static org.statespace.spec.ModelTemplate<HiddenMarkovModel> gaussianMixture(int states, int components) {
        if (components < 1 || components > 100) {
            throw new org.statespace.SpecException("template", "components", "a mixture needs 1 to 100 components, got " + components);
        }
        return template(states, GaussianMixtureEmission.TYPE).with("components", components);
    }

    private static org.statespace.spec.ModelTemplate<HiddenMarkovModel> template(int states, String emission) {
        if (states < 1 || states > 1000) {
            throw new org.statespace.SpecException("template", "states", "an HMM needs 1 to 1000 states, got " + states);
        }
        com.fasterxml.jackson.databind.node.ObjectNode json = org.statespace.spec.Json.object();
        json.put("type", TYPE);
        json.put("states", states);
        json.put("emission", emission);
        return org.statespace.spec.ModelTemplate.of(HiddenMarkovModel.class, json);
    }

    /**
     * An HMM without state names.
     *
     * @param initial    π, K probabilities
     * @param transition A, K×K, row i = p(s_t | s_{t-1} = i)
     * @param emission   the emission densities of the K states
     */
    public static HiddenMarkovModel of(double[] initial, double[][] transition, EmissionModel emission) {
        return of(List.of(), initial, transition, emission);
    }

    /** An HMM with state names (K of them, or empty for none). Rows are checked to sum to 1 within 1e-9. */
    public static HiddenMarkovModel of(List<String> stateNames, double[] initial, double[][] transition,
            EmissionModel emission) {
        int k = initial.length;
        if (k < 1) {
            throw new IllegalArgumentException("an HMM needs at least one state");
        }
        Checks.probabilities("initial", initial);
        if (transition.length != k) {
            throw new IllegalArgumentException("transition must be " + k + "x" + k + ", got " + transition.length + " rows");
        }
        for (int i = 0; i < k; i++) {
            if (transition[i].length != k) {
                throw new IllegalArgumentException("transition[" + i + "] has " + transition[i].length
                        + " entries, expected " + k);
            }
            Checks.probabilities("transition[" + i + "]", transition[i]);
        }
        if (emission.stateCount() != k) {
            throw new IllegalArgumentException("the emission has " + emission.stateCount() + " states, the chain " + k);
        }
        if (!stateNames.isEmpty() && stateNames.size() != k) {
            throw new IllegalArgumentException(stateNames.size() + " state names for " + k + " states");
        }
        if (stateNames.stream().distinct().count() != stateNames.size()) {
            throw new IllegalArgumentException("state names must be distinct: " + stateNames);
        }
        return new HiddenMarkovModel(stateNames, initial.clone(), Validate.pack(transition), emission);
    }

    // for the spec reader and the M-step: arrays already checked and owned
    static HiddenMarkovModel trusted(List<String> names, double[] initial, double[] transition, EmissionModel emission) {
        return new HiddenMarkovModel(names, initial, transition, emission);
    }

    // the same with the spec's prior and fit blocks (null for none)
    static HiddenMarkovModel trusted(List<String> names, double[] initial, double[] transition, EmissionModel emission,
            HmmFitControl control) {
        return new HiddenMarkovModel(names, initial, transition, emission, control);
    }

    List<String> names() {
        return names;
    }

    HmmFitControl control() {
        return control;
    }

    /** K. */
    public int stateCount() {
        return states;
    }

    /** The K state names: those of the spec, or "0".."K-1" when it gives none. */
    @Override
    public List<String> stateNames() {
        return names.isEmpty() ? PathDecoding.indexNames(states) : names;
    }

    /** The name of state k, or its index as text. */
    public String stateName(int k) {
        return names.isEmpty() ? Integer.toString(k) : names.get(k);
    }

    /** π (a copy). */
    public double[] initial() {
        return initial.clone();
    }

    /** A as K rows of K (a copy). */
    public double[][] transitionMatrix() {
        return Validate.unpack(transition, states, states);
    }

    /** A_ij = p(s_t = j | s_{t-1} = i). */
    public double transition(int from, int to) {
        return transition[from * states + to];
    }

    /** The emission densities. */
    public EmissionModel emissionModel() {
        return emission;
    }

    double[] initialArray() {
        return initial;
    }

    double[] transitionArray() {
        return transition;
    }

    double[] logInitialArray() {
        return logInitial;
    }

    double[] logTransitionTransposedArray() {
        return logTransitionTransposed;
    }

    /** This model with another initial distribution (checked). */
    public HiddenMarkovModel withInitial(double[] p) {
        return of(names, p, transitionMatrix(), emission);
    }

    /** This model with another transition matrix (checked). */
    public HiddenMarkovModel withTransition(double[][] a) {
        return of(names, initial, a, emission);
    }

    /** This model with other emissions of the same number of states. */
    public HiddenMarkovModel withEmission(EmissionModel e) {
        return of(names, initial, transitionMatrix(), e);
    }

    // ----------------------------------------------------------------------------------------------
    // the recurrence

    /**
     * h_t for an HMM: the predicted belief p(s_t | o_0..o_{t-1}), with the emission densities of the
     * observation last scored kept for the next step. A per-run workspace.
     */
    public static final class Belief {
        final double[] predicted;
        final double[] densities;   // scaled b̃_k(o_t) of the scored step
        final double[] alpha;       // α̂ of the last conditioned step
        final double[] scratch;
        final EmissionModel.Workspace emission;
        Sequence scoredSequence;
        int scoredStep = -1;
        double scoredNormalizer;    // Σ_k predicted_k b̃_k of the scored step

        Belief(int states, EmissionModel.Workspace emission) {
            predicted = new double[states];
            densities = new double[states];
            alpha = new double[states];
            scratch = new double[states];
            this.emission = emission;
        }

        /** K. */
        public int stateCount() {
            return predicted.length;
        }

        /** p(s_t = k | o_0..o_{t-1}). */
        public double probability(int k) {
            return predicted[k];
        }

        /** The predicted state probabilities (a copy). */
        public double[] probabilities() {
            return predicted.clone();
        }
    }

    // Scaled emission densities of o_t into h.densities: b̃_k = exp(log b_k - max); returns the max.
    private static double scaledDensities(Belief h, Sequence sequence, int t) {
        h.emission.logDensities(sequence, t, h.densities, 0);
        return ForwardStep.scale(h.densities, 0, h.densities.length);
    }

    private final class Transition implements StateTransition<Belief> {
        @Override
        public Belief newState() {
            return new Belief(states, emission.newWorkspace());
        }

        @Override
        public void start(Belief h, Sequence sequence) {
            System.arraycopy(initial, 0, h.predicted, 0, states);
            h.scoredSequence = null;
            h.scoredStep = -1;
        }

        /**
         * Conditions h_{t-1} on o_{t-1} (α = h ⊙ b(o_{t-1}) / Σ, reusing the densities the emission
         * computed when it scored o_{t-1}) and predicts h_t = αᵀ A.
         */
        @Override
        public void step(Belief h, Sequence sequence, int t) {
            double sum;
            if (h.scoredSequence == sequence && h.scoredStep == t - 1) {
                // the emission scored o_{t-1} a moment ago: α and Σ_k h_k b̃_k are at hand
                sum = h.scoredNormalizer;
            } else {
                scaledDensities(h, sequence, t - 1);
                sum = ForwardStep.condition(h.predicted, 0, h.densities, 0, states, h.alpha, 0);
            }
            h.scoredSequence = null;
            h.scoredStep = -1;
            if (!(sum > 0)) {
                // o_{t-1} was impossible (the log-likelihood is already -inf): carry the prediction on
                System.arraycopy(h.predicted, 0, h.alpha, 0, states);
            }
            ForwardStep.predict(h.alpha, 0, transitionRows, states, h.predicted);
        }
    }

    private final class Output implements Emission<Belief, PredictiveDistribution> {
        @Override
        public PredictiveDistribution newDistribution() {
            return emission.newPredictive();
        }

        /** p(o_t | past) = Σ_k h_t(k) b_k(o_t): a categorical or a mixture with weights h_t. */
        @Override
        public void predict(Belief h, Sequence sequence, int t, PredictiveDistribution out) {
            emission.predict(h.predicted, out);
        }

        /**
         * log Σ_k h_t(k) b_k(o_t), computed from the state densities, which stay in the belief for the next
         * step; 0 for a missing observation.
         */
        @Override
        public double logDensity(Belief h, PredictiveDistribution predicted, Sequence sequence, int t) {
            double max = scaledDensities(h, sequence, t);
            h.scoredSequence = sequence;
            h.scoredStep = t;
            double c = ForwardStep.condition(h.predicted, 0, h.densities, 0, states, h.alpha, 0);
            h.scoredNormalizer = c;
            if (max == Double.NEGATIVE_INFINITY) {
                return max;
            }
            return Math.log(c) + max;
        }
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

    /**
     * (K - 1) for π, K(K - 1) for A, and the emission's free parameters; under a spec's {@code "fit"} block and
     * structural zeros only the parameters EM moves.
     */
    @Override
    public int parameterCount() {
        if (control != null) {
            return control.parameterCount(emission);   // fixed, tied and structurally zero parameters are not free
        }
        return (states - 1) + states * (states - 1) + emission.parameterCount();
    }

    @Override
    public List<String> symbolNames() {
        return emission.symbolNames();
    }

    @Override
    public ObjectNode toSpec() {
        ObjectNode o = Json.object();
        o.put("type", TYPE);
        ArrayNode a = o.putArray("states");     // the default names "0".."K-1" written out when none were given
        for (int k = 0; k < states; k++) {
            a.add(stateName(k));
        }
        o.set("initial", Json.vector(initial));
        o.set("transition", Json.matrix(transition, states, states));
        o.set("emission", emission.toSpec());
        if (control != null) {
            control.writeTo(o);
        }
        return o;
    }

    // ----------------------------------------------------------------------------------------------
    // kernels

    /** Fresh kernel workspaces for this model (one per thread, reusable across sequences). */
    public ForwardBackward forwardBackward() {
        return new ForwardBackward(this);
    }

    @Override
    public ForwardBackward recursions() {
        return forwardBackward();
    }

    /**
     * {@code filteredProbabilities} read off the belief of each step as the engine runs: the predicted belief
     * conditioned on the observation the emission just scored, h_t ⊙ b(o_t) / Σ (the prediction itself when
     * o_t has probability zero).
     */
    @Override
    public StateRecorder<Belief> stateRecorder(Sequence sequence) {
        int length = sequence.length();
        StepRecorder<Belief> step = stepRecorder();
        double[][] filtered = StateRecording.allocate(step.tracks(), length);
        return new StateRecorder<>() {
            @Override
            public void record(int t, Belief h) {
                step.record(sequence, t, h, filtered, t);
            }

            @Override
            public StateEstimates estimates(double logLikelihood) {
                return new StateProbabilities("filteredProbabilities", length, states, filtered[0], logLikelihood);
            }
        };
    }

    /** {@link #stateRecorder}'s {@code filteredProbabilities} of one step at a time. */
    @Override
    public StepRecorder<Belief> stepRecorder() {
        List<TrackShape> tracks = List.of(new TrackShape("filteredProbabilities", new int[] {states}));
        return StepRecorder.of(tracks, (window, t, h, blocks, row) -> {
            if (h.scoredSequence != window || h.scoredStep != t) {
                throw new IllegalStateException("step " + t + " of '" + window.id() + "' was not scored");
            }
            double[] filtered = blocks[0];
            double sum = h.scoredNormalizer;
            for (int k = 0; k < states; k++) {
                filtered[row * states + k] = sum > 0 ? h.predicted[k] * h.densities[k] / sum : h.predicted[k];
            }
        });
    }

    /** p(s_t = i, s_{t+1} = j | o_0..o_{T-1}) for t &lt; T-1, packed (T-1)×K×K. */
    public double[] twoSliceMarginals(Sequence sequence) {
        ForwardBackward fb = forwardBackward();
        fb.smooth(sequence);
        return fb.twoSliceMarginals();
    }

    /** {@code count} independent paths drawn from p(s | o) by forward-filter backward-sample. */
    public List<int[]> samplePosteriorPaths(Sequence sequence, int count, RandomGenerator random) {
        ForwardBackward fb = forwardBackward();
        fb.forward(sequence);
        List<int[]> out = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            out.add(fb.samplePath(random));
        }
        return out;
    }

    /** {@link #samplePosteriorPaths} as the capability's packed draws. */
    @Override
    public PosteriorDraws samplePosterior(Sequence sequence, int count, RandomGenerator random) {
        return forwardBackward().samplePaths(sequence, count, random);
    }

    /**
     * The predictive distribution p(o_t | o_0..o_{t-1}) of every step (independent copies; for long
     * sequences stream them with {@link Recurrence} instead).
     */
    public List<PredictiveDistribution> predictiveDistributions(Sequence sequence) {
        List<PredictiveDistribution> out = new ArrayList<>(sequence.length());
        Recurrence.workspace(this).run(sequence, (t, h, predicted, logDensity) -> out.add(predicted.copy()));
        return out;
    }

    /**
     * s_0 ~ π, o_t ~ b_{s_t}, s_{t+1} ~ A[s_t]; the hidden path is attached as states (T×1).
     * HMMs take no inputs, so {@code inputs} is ignored.
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
        int s = Randoms.categorical(initial, 0, states, random);
        for (int t = 0; t < length; t++) {
            if (t > 0) {
                s = Randoms.categorical(transition, s * states, states, random);
            }
            path[t] = s;
            w.sample(s, random, observations, t * d);
        }
        return Sequence.of(id, d, observations).withStates(1, path);
    }

    /**
     * p(o_T), ..., p(o_{T+n-1}) given o_0..o_{T-1}: the filtered belief of the last step propagated by A
     * once per step ahead, each emitted as {@link #predictiveDistributions} does.
     */
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
        System.arraycopy(h.predicted, 0, h.scratch, 0, states);
        ForwardStep.predict(h.scratch, 0, transitionRows, states, h.predicted);
    }

    // ----------------------------------------------------------------------------------------------
    // learning

    @Override
    public SufficientStatistics newStatistics() {
        return new HmmStatistics(states, emission.newStatistics());
    }

    /** The Baum-Welch E-step of one sequence (see {@link ForwardBackward}). */
    @Override
    public double expectation(Sequence sequence, SufficientStatistics statistics) {
        if (!(statistics instanceof HmmStatistics s) || s.states != states) {
            throw new IllegalArgumentException("statistics must come from newStatistics() of an HMM with " + states
                    + " states");
        }
        return forwardBackward().expectation(sequence, s);
    }

    /** The Baum-Welch E-step of one sequence read in chunks, its filter spilled to disk ({@link SpilledForwardBackward}). */
    @Override
    public double expectation(String id, Chunks chunks, SufficientStatistics statistics) {
        if (!(statistics instanceof HmmStatistics s) || s.states != states) {
            throw new IllegalArgumentException("statistics must come from newStatistics() of an HMM with " + states
                    + " states");
        }
        return new SpilledForwardBackward(this).expectation(id, chunks, s);
    }

    /** {@code posteriorProbabilities} of one sequence read in chunks, its filter spilled to disk. */
    @Override
    public double smooth(String id, Chunks chunks, SmoothedSteps out) {
        return new SpilledForwardBackward(this).smooth(id, chunks, out);
    }

    /** Forward-filter backward-sample over the chunks ({@link SpilledForwardBackward#samplePosterior}). */
    @Override
    public boolean streamsPosteriorDraws() {
        return true;
    }

    /**
     * {@link #samplePosterior(Sequence, int, RandomGenerator)}'s draws of one sequence read in
     * chunks, the same paths from the same generator: its filter spilled to disk, each draw's path to a second
     * spill, handed to {@code out} draw after draw in step order.
     */
    @Override
    public double samplePosterior(String id, Chunks chunks, int count, RandomGenerator random,
            DrawnSteps out) {
        return new SpilledForwardBackward(this).samplePosterior(id, chunks, count, random, out);
    }

    /** The Viterbi path of one sequence read in chunks, its backpointers spilled to disk ({@link SpilledViterbi}). */
    @Override
    public double decode(String id, Chunks chunks, DecodedSteps out) {
        return new SpilledViterbi(this).decode(id, chunks, out);
    }

    /**
     * The Baum-Welch M-step: π ∝ Σ γ_0 + α_π, A_i ∝ Σ ξ(i, ·) + α_A (+ α_self on the diagonal),
     * emission by {@link EmissionModel#maximize}; the parts the settings hold fixed are kept, and so is
     * any row without expected counts or pseudo-counts.
     */
    @Override
    public HiddenMarkovModel maximization(SufficientStatistics statistics, FitSettings settings) {
        HmmFitSettings s = HmmFitSettings.of(settings, type());
        HmmStatistics stats = (HmmStatistics) statistics;
        if (control != null) {
            return maximization(stats, s, control);
        }
        double[] nextInitial = initial.clone();
        if (s.fitInitial()) {
            Checks.normalizeRow(stats.initial, 0, states, s.initialPseudoCount(), 0, -1, nextInitial);
        }
        double[] nextTransition = transition.clone();
        if (s.fitTransition()) {
            for (int i = 0; i < states; i++) {
                Checks.normalizeRow(stats.transitions, i * states, states, s.transitionPseudoCount(),
                        s.selfTransitionPseudoCount(), i, nextTransition);
            }
        }
        EmissionModel nextEmission = s.fitEmission() ? emission.maximize(stats.emission, s) : emission;
        return new HiddenMarkovModel(names, nextInitial, nextTransition, nextEmission);
    }

    // the M-step under the spec's prior and constraints (see HmmFitControl): the MAP, constrained maximum
    private HiddenMarkovModel maximization(HmmStatistics stats, HmmFitSettings s, HmmFitControl c) {
        double[] nextInitial = initial.clone();
        double[] nextTransition = transition.clone();
        c.maximizeChain(stats, s, initial, transition, nextInitial, nextTransition);
        EmissionModel nextEmission = s.fitEmission() ? c.maximizeEmission(emission, stats.emission, s) : emission;
        return new HiddenMarkovModel(names, nextInitial, nextTransition, nextEmission, c);
    }

    /** Whether the spec gave a {@code "prior"}: EM then maximises the log-posterior. */
    @Override
    public boolean hasPrior() {
        return control != null && control.hasPrior();
    }

    /**
     * log p(θ): the normalised log-density of this model's parameters under the spec's {@code "prior"}
     * (Dirichlet, Gamma, Normal-inverse-Wishart; see the package documentation); 0 without one.
     */
    @Override
    public double logPrior() {
        return control == null ? 0 : control.logPrior(initial, transition, emission);
    }

    /**
     * A random start of the same structure for a restart: π half uniform, half Dirichlet; rows of A
     * Dirichlet draws that favour staying; emissions by {@link EmissionModel#initialize} (k-means++ for
     * Gaussian and mixture emissions). Parts the settings hold fixed are kept.
     */
    @Override
    public HiddenMarkovModel initialize(Dataset dataset, RandomGenerator random, FitSettings settings) {
        return initialize(ObservedRows.of(aligned(dataset)), random, settings);
    }

    /** {@link #initialize(Dataset, RandomGenerator, FitSettings)} from the rows of data matched to this model. */
    @Override
    public HiddenMarkovModel initialize(ObservedRows data, RandomGenerator random, FitSettings settings) {
        HmmFitSettings s = HmmFitSettings.of(settings, type());
        double[] nextInitial = s.fitInitial() ? Starts.initialDistribution(random, states) : initial.clone();
        double[] nextTransition = s.fitTransition() ? Starts.transitionMatrix(random, states) : transition.clone();
        EmissionModel nextEmission = s.fitEmission() ? emission.initialize(data, random, s) : emission;
        HiddenMarkovModel drawn = new HiddenMarkovModel(names, nextInitial, nextTransition, nextEmission);
        // fixed parameters, structural zeros and ties of the spec hold in every restart too
        return control == null ? drawn : control.enforce(drawn, this);
    }

    private Dataset aligned(Dataset dataset) {
        try {
            return observationSpace().align(dataset, "");
        } catch (DataException e) {
            throw new DataException("cannot initialise from the data: " + e.getMessage(), e);
        }
    }

    /** The share of the way {@link #brokenSymmetry} moves a symmetric start towards a random one. */
    static final double SYMMETRY_BREAKING_SHARE = 0.25;

    /**
     * Empty unless K &ge; 2, every row of A is the same, and every state gives every observed step of
     * {@code data} the same emission density (compared by {@link EmissionModel.Workspace#logDensities}, so
     * states that differ only where the data never go count as alike). Then every state has the same
     * posterior at every step and Baum-Welch keeps them alike forever.
     */
    @Override
    public Optional<String> symmetry(Dataset data) {
        if (states < 2) {
            return Optional.empty();
        }
        for (int i = 1; i < states; i++) {
            for (int j = 0; j < states; j++) {
                if (Double.compare(transition[i * states + j], transition[j]) != 0) {
                    return Optional.empty();
                }
            }
        }
        EmissionModel.Workspace w = emission.newWorkspace();
        double[] logB = new double[states];
        for (Sequence s : data.sequences()) {
            for (int t = 0; t < s.length(); t++) {
                if (s.isMissing(t)) {
                    continue;
                }
                w.logDensities(s, t, logB, 0);
                for (int k = 1; k < states; k++) {
                    if (Double.compare(logB[k], logB[0]) != 0
                            && !(Math.abs(logB[k] - logB[0]) <= 1e-12 * Math.max(1, Math.abs(logB[0])))) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.of("all " + states + " states have the same transition row and give every observation the "
                + "same emission density, so EM cannot tell them apart: a saddle point it never leaves");
    }

    /**
     * This model moved {@value #SYMMETRY_BREAKING_SHARE} of the way towards {@link #initialize}'s draw: every
     * number of the spec (initial, transition rows, emission parameters) becomes (1 &minus; s) &middot; this +
     * s &middot; draw, which keeps rows stochastic and covariances positive definite, and keeps the pooled level
     * and scale of the given start while the states take different values.
     */
    @Override
    public HiddenMarkovModel brokenSymmetry(Dataset data, RandomGenerator random, FitSettings settings) {
        return brokenSymmetry(ObservedRows.of(aligned(data)), random, settings);
    }

    /** {@link #brokenSymmetry(Dataset, RandomGenerator, FitSettings)} from the rows of data matched to this model. */
    @Override
    public HiddenMarkovModel brokenSymmetry(ObservedRows data, RandomGenerator random, FitSettings settings) {
        HiddenMarkovModel draw = initialize(data, random, settings);
        ObjectNode mixed = toSpec();
        mix(mixed, draw.toSpec(), SYMMETRY_BREAKING_SHARE);
        mixed.remove("prior");   // the control is this model's own, not a mixture
        mixed.remove("fit");
        HiddenMarkovModel moved = new HmmType().read(SpecNode.root(mixed, "symmetry-broken start"));
        return control == null ? moved : control.enforce(moved.withControl(control), this);
    }

    private static void mix(com.fasterxml.jackson.databind.JsonNode into, com.fasterxml.jackson.databind.JsonNode other,
            double share) {
        if (into instanceof ObjectNode o) {
            var names = o.fieldNames();
            List<String> fields = new ArrayList<>();
            names.forEachRemaining(fields::add);
            for (String f : fields) {
                var a = o.get(f);
                var b = other.get(f);
                if (a.isNumber() && b != null && b.isNumber()) {
                    o.put(f, (1 - share) * a.asDouble() + share * b.asDouble());
                } else if (b != null) {
                    mix(a, b, share);
                }
            }
        } else if (into instanceof ArrayNode arr && other.isArray() && other.size() == arr.size()) {
            for (int i = 0; i < arr.size(); i++) {
                var a = arr.get(i);
                var b = other.get(i);
                if (a.isNumber() && b.isNumber()) {
                    arr.set(i, Json.mapper().getNodeFactory().numberNode((1 - share) * a.asDouble() + share * b.asDouble()));
                } else {
                    mix(a, b, share);
                }
            }
        }
    }

    private HiddenMarkovModel withControl(HmmFitControl c) {
        return new HiddenMarkovModel(names, initial, transition, emission, c);
    }

    /** Transition logits, then the emission's free parameters (see {@link HmmParameters}). */
    @Override
    public double[] unconstrainedParameters() {
        return HmmParameters.theta(this);
    }

    @Override
    public HiddenMarkovModel withUnconstrainedParameters(double[] theta) {
        return HmmParameters.with(this, theta);
    }

    /** {@code transition[i->j]} for every pair, then the emission's parameters ({@code rate[i]}, {@code mean[i]}, ...). */
    @Override
    public List<String> parameterNames() {
        return HmmParameters.names(this);
    }

    @Override
    public double[] parameterValues() {
        return HmmParameters.values(this);
    }

    @Override
    public Optional<String> unavailable() {
        return HmmParameters.unavailable(this);
    }

    @Override
    public String heldFixed() {
        return "the initial-state probabilities are held at their estimates (with one sequence they sit on the "
                + "simplex's boundary), as are probabilities that are exactly 0";
    }

    @Override
    public boolean equals(Object o) {
        // names compared as written: unnamed states are "0".."K-1", which the spec writes out
        return o instanceof HiddenMarkovModel m && states == m.states && effectiveNames().equals(m.effectiveNames())
                && Arrays.equals(initial, m.initial) && Arrays.equals(transition, m.transition)
                && emission.equals(m.emission) && Objects.equals(control, m.control);
    }

    private List<String> effectiveNames() {
        List<String> out = new ArrayList<>(states);
        for (int k = 0; k < states; k++) {
            out.add(stateName(k));
        }
        return out;
    }

    @Override
    public int hashCode() {
        return Objects.hash(states, effectiveNames(), Arrays.hashCode(initial), Arrays.hashCode(transition), emission,
                control);
    }

    @Override
    public String toString() {
        return "HiddenMarkovModel[K=" + states + ", " + emission + "]";
    }
}
