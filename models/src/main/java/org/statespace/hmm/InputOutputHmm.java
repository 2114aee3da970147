package org.statespace.hmm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
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
import org.statespace.capability.Initialization;
import org.statespace.capability.PathDecoding;
import org.statespace.capability.PosteriorDraws;
import org.statespace.capability.PosteriorSampling;
import org.statespace.capability.StateRecording;
import org.statespace.capability.SufficientStatistics;
import org.statespace.data.Dataset;
import org.statespace.data.ObservedRows;
import org.statespace.data.Sequence;
import org.statespace.distribution.Mixture;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.spec.Json;

/**
 * An input-output HMM (Bengio &amp; Frasconi 1995), {@code "type": "iohmm"}: K hidden states whose transitions
 * depend on the p inputs u_t of the step,
 *
 * <pre>
 *   p(s_0 = j | u_0)            = π_j                 or softmax_j(V u_0 + c)      (input-driven start)
 *   p(s_t = j | s_{t-1} = i, u_t) = A_t(i, j)          = softmax_j(W_i u_t + b_i)    W_i K×p, b_i K
 *   o_t | s_t = k               ~ b_k(o_t)            any HMM emission, or a {@link RegressionEmission}
 *                                                      (mean C_k x_t on the inputs and/or previous observations)
 * </pre>
 *
 * With W = 0 (and a fixed π) it is the HMM with A_ij = softmax_j(b_i). Every input must be present (no
 * missing inputs). Filtering, smoothing, Viterbi and posterior path sampling run the HMM's
 * {@link ForwardBackward} with A_t in place of A (no second recursion). EM: the exact E-step of that
 * forward-backward; the M-step closed form for π (fixed start) and the emissions (weighted least squares for
 * regression emissions), and for each source state i the weighted multinomial logistic regression of the
 * expected transitions ξ_{t-1}(i, ·) on [u_t; 1] ({@link SoftmaxRegression}, Newton to convergence) with the
 * L2 ridge {@link #RIDGE} on W and b, which makes the optimum unique and finite. EM then never lowers
 * the penalised log-likelihood log p(o) - (λ/2) (||W||² + ||b||² (+ ||V||² + ||c||²)).
 */
public final class InputOutputHmm implements StateSpaceModel<InputOutputHmm.Belief, PredictiveDistribution>,
        DiscreteStateModel, StateRecording<InputOutputHmm.Belief>, PosteriorSampling, ExpectationMaximization, Initialization,
        org.statespace.capability.LongSequenceInference {

    /** The spec type. */
    public static final String TYPE = "iohmm";

    /** λ of the ridge on the softmax coefficients in the M-step. */
    public static final double RIDGE = 1e-3;

    final int states;
    final int p;
    final List<String> names;
    final double[] weights;        // K×K×p: W_i row j at (i·K + j)·p
    final double[] biases;         // K×K
    final boolean inputInitial;
    final double[] initial;        // K (fixed start)
    final double[] initialWeights; // K×p (input-driven start)
    final double[] initialBiases;  // K
    private final EmissionModel standard;        // exactly one of standard and regression is set
    private final RegressionEmission regression;
    private final Transition f = new Transition();
    private final Output g = new Output();

    InputOutputHmm(List<String> names, int states, int p, double[] weights, double[] biases, boolean inputInitial,
            double[] initial, double[] initialWeights, double[] initialBiases, EmissionModel standard,
            RegressionEmission regression) {
        this.names = names.isEmpty() ? PathDecoding.indexNames(states) : List.copyOf(names);
        this.states = states;
        this.p = p;
        this.weights = weights;
        this.biases = biases;
        this.inputInitial = inputInitial;
        this.initial = initial;
        this.initialWeights = initialWeights;
        this.initialBiases = initialBiases;
        this.standard = standard;
        this.regression = regression;
    }

    /** K. */
    public int stateCount() {
        return states;
    }

    /** p, the inputs per step. */
    public int inputDimension() {
        return p;
    }

    /** The HMM emission, when the emissions do not depend on the step. */
    public Optional<EmissionModel> emissionModel() {
        return Optional.ofNullable(standard);
    }

    /** The regression emission, when the emission means depend on the step. */
    public Optional<RegressionEmission> regressionEmission() {
        return Optional.ofNullable(regression);
    }

    /** W_i (K×p, a copy): row j holds the weights of the inputs in the score of moving from i to j. */
    public double[][] transitionWeights(int from) {
        double[][] w = new double[states][p];
        for (int j = 0; j < states; j++) {
            System.arraycopy(weights, (from * states + j) * p, w[j], 0, p);
        }
        return w;
    }

    /** b (K×K, a copy): row i the biases of the scores of moving from i. */
    public double[][] transitionBiases() {
        double[][] b = new double[states][];
        for (int i = 0; i < states; i++) {
            b[i] = Arrays.copyOfRange(biases, i * states, (i + 1) * states);
        }
        return b;
    }

    @Override
    public List<String> stateNames() {
        return names;
    }

    // ----------------------------------------------------------------------------------------------
    // π(u_0) and A_t(u_t)

    /** What the forward-backward kernels need: π and A_t of a sequence, from its inputs. */
    interface Schedule {
        /** π = p(s_0 | u_0) into {@code out[0..K)}. */
        void initial(Sequence s, double[] out);

        /** A_t (K×K, row i = p(s_t | s_{t-1} = i, u_t)) into {@code out[offset..)}, for t &gt;= 1. */
        void transition(Sequence s, int t, double[] out, int offset);
    }

    private final Schedule schedule = new Schedule() {
        @Override
        public void initial(Sequence s, double[] out) {
            initialProbabilities(s, out);
        }

        @Override
        public void transition(Sequence s, int t, double[] out, int offset) {
            transitionMatrix(s, t, out, offset);
        }
    };

    /** π and A_t from the inputs, for the kernels. */
    Schedule schedule() {
        return schedule;
    }

    private void requireInputs(Sequence s, int t) {
        if (s.inputDimension() != p) {
            throw new DataException("sequence '" + s.id() + "': an input-output HMM of " + p + " inputs needs "
                    + p + " inputs per step, the sequence has " + s.inputDimension());
        }
        for (int l = 0; l < p; l++) {
            double u = s.input(t, l);
            if (!Double.isFinite(u)) {
                throw new DataException("sequence '" + s.id() + "', step " + t + ": input " + l + " is " + u
                        + " (an input-output HMM needs every input)");
            }
        }
    }

    void initialProbabilities(Sequence s, double[] out) {
        if (!inputInitial) {
            System.arraycopy(initial, 0, out, 0, states);
            return;
        }
        requireInputs(s, 0);
        softmaxRow(initialWeights, 0, initialBiases, 0, s, 0, out, 0);
    }

    void transitionMatrix(Sequence s, int t, double[] out, int offset) {
        requireInputs(s, t);
        for (int i = 0; i < states; i++) {
            softmaxRow(weights, i * states * p, biases, i * states, s, t, out, offset + i * states);
        }
    }

    // out_j = softmax_j(w_j · u_t + b_j)
    private void softmaxRow(double[] w, int wOffset, double[] b, int bOffset, Sequence s, int t, double[] out, int o) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < states; j++) {
            double z = b[bOffset + j];
            int row = wOffset + j * p;
            for (int l = 0; l < p; l++) {
                z += w[row + l] * s.input(t, l);
            }
            out[o + j] = z;
            max = Math.max(max, z);
        }
        double sum = 0;
        for (int j = 0; j < states; j++) {
            out[o + j] = Math.exp(out[o + j] - max);
            sum += out[o + j];
        }
        for (int j = 0; j < states; j++) {
            out[o + j] /= sum;
        }
    }

    // ----------------------------------------------------------------------------------------------
    // the recurrence

    /** h_t: the predicted belief p(s_t | o_0..o_{t-1}, u_0..u_t). A per-run workspace. */
    public static final class Belief {
        final double[] predicted;
        final double[] densities;
        final double[] alpha;
        final double[] matrix;
        final double[][] rows; // matrix's rows, one array each (ForwardStep.predict)
        final double[] x;
        final double[] mean;
        final EmissionModel.Workspace emission;

        Belief(int states, int q, int d, EmissionModel.Workspace emission) {
            predicted = new double[states];
            densities = new double[states];
            alpha = new double[states];
            matrix = new double[states * states];
            rows = new double[states][states];
            x = new double[Math.max(q, 1)];
            mean = new double[Math.max(d, 1)];
            this.emission = emission;
        }

        /** p(s_t = k | past). */
        public double probability(int k) {
            return predicted[k];
        }
    }

    EmissionModel.Workspace newEmissionWorkspace() {
        return standard != null ? standard.newWorkspace() : regression.newWorkspace();
    }

    // log b_k(o_t) scaled into h.densities; returns the shift (max), -inf when o_t is impossible
    private static double scaledDensities(Belief h, Sequence s, int t) {
        h.emission.logDensities(s, t, h.densities, 0);
        return ForwardStep.scale(h.densities, 0, h.densities.length);
    }

    private final class Transition implements StateTransition<Belief> {
        @Override
        public Belief newState() {
            return new Belief(states, regression == null ? 0 : regression.q, regression == null ? 0 : regression.d,
                    newEmissionWorkspace());
        }

        @Override
        public void start(Belief h, Sequence sequence) {
            initialProbabilities(sequence, h.predicted);
        }

        /** α = h ⊙ b(o_{t-1}) / Σ, then h_t = αᵀ A_t(u_t). */
        @Override
        public void step(Belief h, Sequence sequence, int t) {
            scaledDensities(h, sequence, t - 1);
            double sum = ForwardStep.condition(h.predicted, 0, h.densities, 0, states, h.alpha, 0);
            if (!(sum > 0)) {
                System.arraycopy(h.predicted, 0, h.alpha, 0, states);
            }
            transitionMatrix(sequence, t, h.matrix, 0);
            ForwardStep.predict(h.alpha, 0, ForwardStep.rows(h.matrix, 0, states, h.rows), states, h.predicted);
        }
    }

    private final class Output implements Emission<Belief, PredictiveDistribution> {
        @Override
        public PredictiveDistribution newDistribution() {
            return regression != null ? regression.newPredictive() : standard.newPredictive();
        }

        @Override
        public void predict(Belief h, Sequence sequence, int t, PredictiveDistribution out) {
            if (regression != null) {
                regression.predict(h.predicted, sequence, t, (Mixture) out, h.x, h.mean);
            } else {
                standard.predict(h.predicted, out);
            }
        }

        /** log Σ_k h_t(k) b_k(o_t) from the state densities, as the forward filter scores it (0 when not scored). */
        @Override
        public double logDensity(Belief h, PredictiveDistribution predicted, Sequence sequence, int t) {
            double max = scaledDensities(h, sequence, t);
            if (max == Double.NEGATIVE_INFINITY) {
                return max;
            }
            double c = 0;
            for (int k = 0; k < states; k++) {
                c += h.predicted[k] * h.densities[k];
            }
            return Math.log(c) + max;
        }
    }

    /**
     * {@code filteredProbabilities} from the engine's own pass: after step t is scored the belief holds h_t and
     * the scaled densities b̃_t of o_t ({@link Output#logDensity}), so α̂_t = h_t ⊙ b̃_t / Σ, as the forward kernel
     * conditions (the prediction when o_t is impossible).
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
                return new StateProbabilities("filteredProbabilities", length, states, filtered[0], logLikelihood);
            }
        };
    }

    /** {@link #stateRecorder}'s {@code filteredProbabilities} of one step at a time. */
    @Override
    public StepRecorder<Belief> stepRecorder() {
        List<TrackShape> tracks = List.of(new TrackShape("filteredProbabilities", new int[] {states}));
        return StepRecorder.of(tracks, (window, t, h, blocks, row) -> {
            double c = ForwardStep.condition(h.predicted, 0, h.densities, 0, states, blocks[0], row * states);
            if (!(c > 0)) {
                System.arraycopy(h.predicted, 0, blocks[0], row * states, states);
            }
        });
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ObservationSpace observationSpace() {
        return (standard != null ? standard.observationSpace() : regression.observationSpace()).withInputs(p);
    }

    @Override
    public StateTransition<Belief> transition() {
        return f;
    }

    @Override
    public Emission<Belief, PredictiveDistribution> emission() {
        return g;
    }

    /** The start (K - 1, or K (p + 1)), the softmax coefficients K·K (p + 1), and the emissions' parameters. */
    @Override
    public int parameterCount() {
        int start = inputInitial ? states * (p + 1) : states - 1;
        return start + states * states * (p + 1)
                + (standard != null ? standard.parameterCount() : regression.parameterCount());
    }

    @Override
    public List<String> symbolNames() {
        return standard != null ? standard.symbolNames() : List.of();
    }

    @Override
    public ObjectNode toSpec() {
        ObjectNode o = Json.object();
        o.put("type", TYPE);
        ArrayNode a = o.putArray("states");
        stateNames().forEach(a::add);
        o.put("inputs", p);
        if (inputInitial) {
            o.set("initialWeights", Json.matrix(initialWeights, states, p));
            o.set("initialBiases", Json.vector(initialBiases));
        } else {
            o.set("initial", Json.vector(initial));
        }
        ArrayNode w = o.putArray("transitionWeights");
        for (int i = 0; i < states; i++) {
            w.add(Json.matrix(Arrays.copyOfRange(weights, i * states * p, (i + 1) * states * p), states, p));
        }
        o.set("transitionBiases", Json.matrix(biases, states, states));
        o.set("emission", standard != null ? standard.toSpec() : regression.toSpec());
        return o;
    }

    // ----------------------------------------------------------------------------------------------
    // kernels

    /** Fresh kernel workspaces (the HMM's forward-backward over A_t); one per thread. */
    public ForwardBackward forwardBackward() {
        return new ForwardBackward(states, newEmissionWorkspace(), schedule);
    }

    @Override
    public ForwardBackward recursions() {
        return forwardBackward();
    }

    /** Posterior paths by forward-filter backward-sample with the step's A_t: s_t ~ α̂_t(i) A_{t+1}(i, s_{t+1}). */
    @Override
    public PosteriorDraws samplePosterior(Sequence sequence, int count, RandomGenerator random) {
        return forwardBackward().samplePaths(sequence, count, random);
    }

    // ----------------------------------------------------------------------------------------------
    // EM

    /**
     * The E-step's statistics: for the transitions one row per step t &gt;= 1 ([u_t; 1] and ξ_{t-1}, K×K), for the
     * start γ_0 (summed for a fixed π, one row per sequence with [u_0; 1] for an input-driven one), and the
     * emissions' statistics. The transition rows are held in memory ({@link RegressionRows#inMemory}) until a
     * streamed E-step moves them to a spill file ({@link #spillTransitions}), where they stay as more are merged in
     * (the M-step reads them a block at a time); {@link #release} deletes that file.
     */
    static final class Statistics implements SufficientStatistics {
        final int k;
        final int q;
        final double[] initialCounts;
        RegressionRows transitions;
        final RegressionRows initialRows;
        final EmissionModel.Statistics emission;
        double logLikelihood;
        private final double[] row; // [u; 1] and ξ of one row, being set

        Statistics(int k, int p, EmissionModel.Statistics emission) {
            this.k = k;
            this.q = p + 1;
            this.initialCounts = new double[k];
            this.emission = emission;
            this.transitions = RegressionRows.inMemory(q, k * k);
            this.initialRows = RegressionRows.inMemory(q, k);
            this.row = new double[q + k * k];
        }

        void addTransitionRow(Sequence s, int t, double[] xi, int offset) {
            for (int l = 0; l < q - 1; l++) {
                row[l] = s.input(t, l);
            }
            row[q - 1] = 1;
            transitions.add(row, 0, xi, offset);
        }

        /**
         * Moves the transition rows to a spill file ({@code blockRows} rows a block in memory, a default size when
         * &lt;= 0), unless they are there already.
         */
        void spillTransitions(int blockRows) {
            if (!transitions.isSpilled()) {
                RegressionRows spilled = RegressionRows.spilled(q, k * k, blockRows);
                try {
                    spilled.addAll(transitions);
                } catch (RuntimeException e) {
                    spilled.release();
                    throw e;
                }
                transitions = spilled;
            }
        }

        /** Makes room for n transition rows after the present ones, to be set by {@link #setTransitionRow}; returns the first. */
        int reserveTransitionRows(int n) {
            return transitions.reserve(n);
        }

        /**
         * Row {@code row}: the inputs u[uOffset..+p) and 1, and ξ(i,j) = alpha[aOffset+i] · a[i·K+j] · v[j] (as
         * {@link ForwardBackward#twoSliceMarginals} forms it).
         */
        void setTransitionRow(int row, double[] u, int uOffset, double[] alpha, int aOffset, double[] a, double[] v) {
            System.arraycopy(u, uOffset, this.row, 0, q - 1);
            this.row[q - 1] = 1;
            for (int i = 0; i < k; i++) {
                double ai = alpha[aOffset + i];
                for (int j = 0; j < k; j++) {
                    this.row[q + i * k + j] = ai * a[i * k + j] * v[j];
                }
            }
            transitions.set(row, this.row, 0, this.row, q);
        }

        void addInitialRow(Sequence s, double[] gamma) {
            for (int l = 0; l < q - 1; l++) {
                row[l] = s.input(0, l);
            }
            row[q - 1] = 1;
            initialRows.add(row, 0, gamma, 0);
        }

        /**
         * Adds {@code other}'s rows after these, in order (the rows go to a spill file if either side's are in one;
         * a spilled other's rows are moved: its file taken over when these have no rows, else copied and deleted), and its sums.
         */
        @Override
        public void merge(SufficientStatistics other) {
            Statistics o = (Statistics) other;
            if (o.transitions.isSpilled() && transitions.count() == 0) {
                transitions.release();
                transitions = o.transitions;
                o.transitions = RegressionRows.inMemory(q, k * k);
            } else {
                if (o.transitions.isSpilled()) {
                    spillTransitions(0);
                }
                transitions.addAll(o.transitions);
                if (o.transitions.isSpilled()) {
                    o.release();
                }
            }
            initialRows.addAll(o.initialRows);
            GaussianEmission.Stats.add(initialCounts, o.initialCounts);
            emission.merge(o.emission);
            logLikelihood += o.logLikelihood;
        }

        /** Deletes the spill file of the transition rows, if any; the rows are gone afterwards. */
        @Override
        public void release() {
            transitions.release();
            transitions = RegressionRows.inMemory(q, k * k);
        }

        @Override
        public double logLikelihood() {
            return logLikelihood;
        }
    }

    @Override
    public SufficientStatistics newStatistics() {
        return new Statistics(states, p, standard != null ? standard.newStatistics() : regression.newStatistics());
    }

    /** The exact E-step: forward-backward over A_t, then γ_t into the emissions and ξ_{t-1} rows for the transitions. */
    @Override
    public double expectation(Sequence sequence, SufficientStatistics statistics) {
        Statistics st = (Statistics) statistics;
        ForwardBackward fb = forwardBackward();
        double ll = fb.smooth(sequence);
        int n = sequence.length();
        if (n > 0) {
            double[] gamma = fb.posteriorProbabilities();
            double[] xi = fb.twoSliceMarginals();
            EmissionModel.Workspace w = newEmissionWorkspace();
            for (int t = 0; t < n; t++) {
                w.accumulate(st.emission, sequence, t, gamma, t * states);
            }
            for (int t = 1; t < n; t++) {
                st.addTransitionRow(sequence, t, xi, (t - 1) * states * states);
            }
            if (inputInitial) {
                st.addInitialRow(sequence, Arrays.copyOf(gamma, states));
            } else {
                for (int k = 0; k < states; k++) {
                    st.initialCounts[k] += gamma[k];
                }
            }
        }
        st.logLikelihood += ll;
        return ll;
    }

    /**
     * The E-step of one sequence read in chunks ({@link SpilledForwardBackward}: its filter and inputs spilled to a
     * temporary file), with the in-memory E-step's statistics bit for bit. The statistics' row per step (u_t and
     * ξ_{t-1}, which the M-step's logistic regressions fit) goes to a spill file of its own, which the M-step reads a
     * block at a time, so memory stays constant in the length; {@link Statistics#release} deletes it.
     */
    @Override
    public double expectation(String id, Chunks chunks, SufficientStatistics statistics) {
        if (!(statistics instanceof Statistics st) || st.k != states) {
            throw new IllegalArgumentException("statistics must come from newStatistics() of this model");
        }
        return new SpilledForwardBackward(this, schedule, newEmissionWorkspace(), 0).expectation(id, chunks, st,
                regression == null ? 0 : regression.lags, inputInitial);
    }

    /** The posterior probabilities of one sequence read in chunks, its filter and inputs spilled to disk. */
    @Override
    public double smooth(String id, Chunks chunks, SmoothedSteps out) {
        return new SpilledForwardBackward(this, schedule, newEmissionWorkspace(), 0).smooth(id, chunks, out);
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
        return new SpilledForwardBackward(this, schedule, newEmissionWorkspace(), 0).samplePosterior(id, chunks, count,
                random, out);
    }

    /** The Viterbi path of one sequence read in chunks, its backpointers spilled to disk ({@link SpilledViterbi}). */
    @Override
    public double decode(String id, Chunks chunks, DecodedSteps out) {
        return new SpilledViterbi(this, schedule, newEmissionWorkspace(), 0).decode(id, chunks, out);
    }

    /**
     * The M-step (see the class comment); {@code settings} is an {@link HmmFitSettings} (its fit flags,
     * initial pseudo-count and covariance floor apply) or none.
     */
    @Override
    public InputOutputHmm maximization(SufficientStatistics statistics, FitSettings settings) {
        Statistics st = (Statistics) statistics;
        HmmFitSettings s = HmmFitSettings.of(settings, type());
        int q = p + 1;
        double[] newWeights = weights;
        double[] newBiases = biases;
        if (s.fitTransition() && st.transitions.count() > 0) {
            newWeights = weights.clone();
            newBiases = biases.clone();
            double[] start = new double[states * q];
            for (int i = 0; i < states; i++) {
                for (int j = 0; j < states; j++) {
                    System.arraycopy(weights, (i * states + j) * p, start, j * q, p);
                    start[j * q + p] = biases[i * states + j];
                }
                // the targets ξ_{t-1}(i, ·), at i·K in each row's ξ
                double[] theta = SoftmaxRegression.fit(st.transitions, i * states, states, RIDGE, start);
                for (int j = 0; j < states; j++) {
                    System.arraycopy(theta, j * q, newWeights, (i * states + j) * p, p);
                    newBiases[i * states + j] = theta[j * q + p];
                }
            }
        }
        double[] newInitial = initial;
        double[] newInitialWeights = initialWeights;
        double[] newInitialBiases = initialBiases;
        if (s.fitInitial()) {
            if (inputInitial && st.initialRows.count() > 0) {
                double[] start = new double[states * q];
                for (int j = 0; j < states; j++) {
                    System.arraycopy(initialWeights, j * p, start, j * q, p);
                    start[j * q + p] = initialBiases[j];
                }
                double[] theta = SoftmaxRegression.fit(st.initialRows, 0, states, RIDGE, start);
                newInitialWeights = new double[states * p];
                newInitialBiases = new double[states];
                for (int j = 0; j < states; j++) {
                    System.arraycopy(theta, j * q, newInitialWeights, j * p, p);
                    newInitialBiases[j] = theta[j * q + p];
                }
            } else if (!inputInitial) {
                double total = 0;
                for (double c : st.initialCounts) {
                    total += c + s.initialPseudoCount();
                }
                if (total > 0) {
                    newInitial = new double[states];
                    for (int k = 0; k < states; k++) {
                        newInitial[k] = (st.initialCounts[k] + s.initialPseudoCount()) / total;
                    }
                }
            }
        }
        EmissionModel newStandard = standard;
        RegressionEmission newRegression = regression;
        if (s.fitEmission()) {
            if (standard != null) {
                newStandard = standard.maximize(st.emission, s);
            } else {
                newRegression = regression.maximize((RegressionEmission.Statistics) st.emission, s.covarianceFloor());
            }
        }
        return new InputOutputHmm(names, states, p, newWeights, newBiases, inputInitial, newInitial, newInitialWeights,
                newInitialBiases, newStandard, newRegression);
    }

    /**
     * A data-driven start of the same structure for EM restarts: the HMM start of the same states
     * ({@link HiddenMarkovModel#initialize}: k-means++ means, random rows) with W = 0 (and V = 0),
     * b_i = log A_i, c = log π; regression emissions get C_k = 0 with the k-means mean of state k as intercept
     * and its covariance.
     */
    @Override
    public InputOutputHmm initialize(Dataset data, RandomGenerator random, FitSettings settings) {
        Dataset aligned;
        try {
            aligned = observationSpace().align(data, "");
        } catch (DataException e) {
            throw new DataException("cannot initialise from the data: " + e.getMessage(), e);
        }
        return initialize(ObservedRows.of(aligned), random, settings);
    }

    /** {@link #initialize(Dataset, RandomGenerator, FitSettings)} from the rows of data matched to this model. */
    @Override
    public InputOutputHmm initialize(ObservedRows data, RandomGenerator random, FitSettings settings) {
        int d = observationSpace().dimension();
        double[] uniform = new double[states];
        Arrays.fill(uniform, 1.0 / states);
        double[][] rows = new double[states][];
        for (int i = 0; i < states; i++) {
            rows[i] = uniform.clone();
        }
        EmissionModel e = standard;
        if (e == null) {
            double[][][] identities = new double[states][d][d];
            for (double[][] m : identities) {
                for (int j = 0; j < d; j++) {
                    m[j][j] = 1;
                }
            }
            e = GaussianEmission.full(new double[states][d], identities);
        }
        HmmFitSettings hmmSettings = HmmFitSettings.of(settings, type());
        HiddenMarkovModel hmm = HiddenMarkovModel.of(uniform, rows, e).initialize(data, random, hmmSettings);
        double[] newBiases = new double[states * states];
        double[][] a = hmm.transitionMatrix();
        for (int i = 0; i < states; i++) {
            for (int j = 0; j < states; j++) {
                newBiases[i * states + j] = Math.log(Math.max(a[i][j], 1e-12));
            }
        }
        double[] pi = hmm.initial();
        double[] newInitialBiases = null;
        if (inputInitial) {
            newInitialBiases = new double[states];
            for (int j = 0; j < states; j++) {
                newInitialBiases[j] = Math.log(Math.max(pi[j], 1e-12));
            }
        }
        RegressionEmission newRegression = null;
        if (regression != null) {
            GaussianEmission g = (GaussianEmission) hmm.emissionModel();
            int q = regression.q;
            double[] coefficients = new double[states * d * q];
            double[] covariances = new double[states * d * d];
            double[][] means = g.means();
            for (int k = 0; k < states; k++) {
                double[][] cov = g.covariance(k);
                for (int i = 0; i < d; i++) {
                    coefficients[(k * d + i) * q + q - 1] = means[k][i];
                    System.arraycopy(cov[i], 0, covariances, (k * d + i) * d, d);
                }
            }
            newRegression = new RegressionEmission(states, d, p, regression.inputs, regression.lags, coefficients,
                    covariances);
        }
        return new InputOutputHmm(names, states, p, new double[states * states * p], newBiases, inputInitial,
                inputInitial ? null : pi, inputInitial ? new double[states * p] : null, newInitialBiases,
                regression == null ? hmm.emissionModel() : null, newRegression);
    }

    /** The ridge penalty (λ/2) (||W||² + ||b||² (+ ||V||² + ||c||² for an input-driven start)) EM subtracts. */
    public double penalty() {
        double sum = 0;
        for (double v : weights) {
            sum += v * v;
        }
        for (double v : biases) {
            sum += v * v;
        }
        if (inputInitial) {
            for (double v : initialWeights) {
                sum += v * v;
            }
            for (double v : initialBiases) {
                sum += v * v;
            }
        }
        return 0.5 * RIDGE * sum;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputOutputHmm m && m.states == states && m.p == p && m.names.equals(names)
                && Arrays.equals(m.weights, weights) && Arrays.equals(m.biases, biases) && m.inputInitial == inputInitial
                && Arrays.equals(m.initial, initial) && Arrays.equals(m.initialWeights, initialWeights)
                && Arrays.equals(m.initialBiases, initialBiases) && java.util.Objects.equals(m.standard, standard)
                && java.util.Objects.equals(m.regression, regression);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(weights) * 31 + Arrays.hashCode(biases);
    }

    @Override
    public String toString() {
        return "InputOutputHmm[K=" + states + ", p=" + p + ", emission="
                + (standard != null ? standard.type() : "regression(lags=" + regression.lags + ")") + "]";
    }
}
