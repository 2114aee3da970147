package org.statespace.rnn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.Emission;
import org.statespace.NumericalException;
import org.statespace.ObservationSpace;
import org.statespace.Recurrence;
import org.statespace.StateSpaceModel;
import org.statespace.StateTransition;
import org.statespace.capability.Differentiable;
import org.statespace.capability.FitSettings;
import org.statespace.capability.GradientEvaluator;
import org.statespace.capability.StateFiltering;
import org.statespace.capability.StateRecording;
import org.statespace.capability.SummedRefit;
import org.statespace.capability.Track;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.distribution.Categorical;
import org.statespace.distribution.Gaussian;
import org.statespace.distribution.Mixture;
import org.statespace.distribution.Poisson;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;

/**
 * A recurrent neural network as a state-space model: the state h_t is the hidden vectors of every layer
 * (and LSTM cells), one step runs the loop graph on x_t = [enc(o_{t-1}); u_t], and the head gives the
 * predictive distribution of o_t, so the network is scored like any other family. The equations, gate
 * orders and weight layout are PyTorch's (see the package documentation).
 *
 * <p>Parameters: the flat vector of {@link RnnArchitecture} (PyTorch names), and for a linear head its
 * variance vector (d). Immutable and thread-safe; {@link #withParameters} gives a new model.
 *
 * <p>Capabilities: {@link Differentiable} (exact BPTT, truncated BPTT, batches of sequences of different
 * lengths; see {@link RnnFitSettings}), {@link StateFiltering} (the hidden units of every layer).
 */
public final class RnnModel implements StateSpaceModel<RnnModel.State, PredictiveDistribution>, Differentiable,
        StateFiltering, StateRecording<RnnModel.State>, SummedRefit {

    /** The spec type. */
    public static final String TYPE = "rnn";

    /** The smallest variance re-estimation gives a linear head. */
    public static final double VARIANCE_FLOOR = 1e-12;

    private final RnnArchitecture architecture;
    private final double[] parameters;
    private final double[] variance;
    private final long seed;
    private final InitialStates initial;
    private final Network network;
    private final Weights weights;
    private final RnnFitControl fit; // null: no "fit" block
    private final Precision precision;
    private final Transition f = new Transition();
    private final Output g = new Output();

    private RnnModel(RnnArchitecture architecture, double[] parameters, double[] variance, long seed) {
        this(architecture, parameters, variance, seed, InitialStates.zeros(), null, Precision.FLOAT64);
    }

    private RnnModel(RnnArchitecture architecture, double[] parameters, double[] variance, long seed,
            InitialStates initial, RnnFitControl fit, Precision precision) {
        this.fit = fit;
        this.precision = precision;
        this.architecture = architecture;
        this.parameters = parameters;
        this.variance = variance;
        this.seed = seed;
        this.initial = initial;
        this.network = new Network(architecture, precision);
        this.weights = new Weights(network).load(parameters);
    }

    /**
     * PyTorch's {@code nn.LSTM(inputSize, hiddenSize)} with an output head: one LSTM layer over inputs of
     * {@code inputSize} (the previous observation and the step's inputs), initialised from {@code seed} as
     * PyTorch does:
     *
     * <pre>{@code
     * RnnModel net = RnnModel.lstm(32, 128, Head.of(Head.Type.GAUSSIAN, 32), 7);   // 32 in, 128 hidden, 32 out
     * }</pre>
     *
     * @throws IllegalArgumentException for sizes below 1 or an input smaller than the head's output
     */
    public static RnnModel lstm(int inputSize, int hiddenSize, Head head, long seed) {
        return stack(Cell.LSTM, inputSize, hiddenSize, head, seed);
    }

    /** PyTorch's {@code nn.GRU(inputSize, hiddenSize)} with an output head (see {@link #lstm(int, int, Head, long)}). */
    public static RnnModel gru(int inputSize, int hiddenSize, Head head, long seed) {
        return stack(Cell.GRU, inputSize, hiddenSize, head, seed);
    }

    /** PyTorch's {@code nn.RNN(inputSize, hiddenSize)} (tanh) with an output head (see {@link #lstm(int, int, Head, long)}). */
    public static RnnModel vanilla(int inputSize, int hiddenSize, Head head, long seed) {
        return stack(Cell.TANH, inputSize, hiddenSize, head, seed);
    }

    private static RnnModel stack(Cell cell, int inputSize, int hiddenSize, Head head, long seed) {
        return initialized(RnnArchitecture.stack(inputSize, List.of(Layer.of(cell, hiddenSize)), head), seed);
    }

    /**
     * A one-layer LSTM of the given hidden size that the data it is fitted to sizes (input: the previous
     * observation and the inputs; head: Gaussian for real values, softmax for symbols); real data are
     * standardised, so the model built may be a {@link org.statespace.transform.StandardizedModel} around the network:
     *
     * <pre>{@code
     * FittedModel<StateSpaceModel<?, ?>> fit = Trainer.fit(RnnModel.lstm(16), data,
     *         TrainOptions.defaults().withMaxIterations(50));
     * }</pre>
     *
     * @param hiddenSize H, 1 to 100000
     */
    public static org.statespace.spec.ModelTemplate<StateSpaceModel<?, ?>> lstm(int hiddenSize) {
        return template(Cell.LSTM, hiddenSize);
    }

    /** A one-layer GRU sized by the data (see {@link #lstm(int)}): {@code Trainer.fit(RnnModel.gru(16), data)}. */
    public static org.statespace.spec.ModelTemplate<StateSpaceModel<?, ?>> gru(int hiddenSize) {
        return template(Cell.GRU, hiddenSize);
    }

    /** A one-layer tanh RNN sized by the data (see {@link #lstm(int)}): {@code Trainer.fit(RnnModel.vanilla(16), data)}. */
    public static org.statespace.spec.ModelTemplate<StateSpaceModel<?, ?>> vanilla(int hiddenSize) {
        return template(Cell.TANH, hiddenSize);
    }

    private static org.statespace.spec.ModelTemplate<StateSpaceModel<?, ?>> template(Cell cell, int hiddenSize) {
        if (hiddenSize < 1 || hiddenSize > 100_000) {
            throw new org.statespace.SpecException("template", "hiddenSize", "the hidden size must be 1 to 100000, got "
                    + hiddenSize);
        }
        ObjectNode json = Json.object();
        json.put("type", TYPE);
        json.put("cell", cell.jsonName());
        json.put("hiddenSize", hiddenSize);
        return org.statespace.spec.ModelTemplate.ofAnyModel(json);
    }

    /**
     * A network initialised as PyTorch does: every weight and bias of layer l uniform on ±1/√H_l (an
     * extra edge: ±1/√H_to), the head ({@code nn.Linear}) uniform on ±1/√H_top; a linear head's variance 1.
     * Block i of the layout is drawn row-major from {@code Randoms.stream(seed, i)} (PyTorch's own
     * generator cannot be reproduced, only its distribution).
     */
    public static RnnModel initialized(RnnArchitecture architecture, long seed) {
        double[] theta = new double[architecture.parameterCount()];
        int index = 0;
        for (RnnArchitecture.Block b : architecture.blocks().values()) {
            double bound = 1 / Math.sqrt(fanIn(architecture, b.name()));
            RandomGenerator random = Randoms.stream(seed, index++);
            for (int i = 0; i < b.size(); i++) {
                theta[b.offset() + i] = bound * (2 * random.nextDouble() - 1);
            }
            if (b.name().contains("_cholesky_")) {
                zeroAboveDiagonal(theta, b);
            }
        }
        return new RnnModel(architecture, theta, defaultVariance(architecture), seed);
    }

    // a stack of d×d Cholesky factors: the entries above each diagonal are not parameters
    private static void zeroAboveDiagonal(double[] theta, RnnArchitecture.Block b) {
        int d = b.cols();
        for (int r = 0; r < b.rows(); r++) {
            for (int c = r % d + 1; c < d; c++) {
                theta[b.offset() + r * d + c] = 0;
            }
        }
    }

    private static int fanIn(RnnArchitecture a, String block) {
        if (block.startsWith("head.")) {
            return a.topHidden();
        }
        if (!block.startsWith("weight_") && !block.startsWith("bias_")) {
            return a.layer(Integer.parseInt(block.substring(block.lastIndexOf('l') + 1))).hiddenSize();
        }
        if (block.startsWith("weight_edge_")) {
            return a.layer(Integer.parseInt(block.substring(block.lastIndexOf('_') + 1))).hiddenSize();
        }
        return a.layer(Integer.parseInt(block.substring(block.lastIndexOf('l') + 1))).hiddenSize();
    }

    private static double[] defaultVariance(RnnArchitecture a) {
        if (a.head().type() != Head.Type.LINEAR) {
            return new double[0];
        }
        double[] v = new double[a.head().outputSize()];
        Arrays.fill(v, 1);
        return v;
    }

    /**
     * A network with the given flat parameters (layout of {@link RnnArchitecture}).
     *
     * @param headVariance d positive variances for a linear head ({@code null}: all 1); must be
     *                     {@code null} or empty for the other heads
     */
    public static RnnModel of(RnnArchitecture architecture, double[] parameters, double[] headVariance, long seed) {
        if (parameters.length != architecture.parameterCount()) {
            throw new IllegalArgumentException("expected " + architecture.parameterCount() + " parameters, got "
                    + parameters.length);
        }
        for (int i = 0; i < parameters.length; i++) {
            if (!Double.isFinite(parameters[i])) {
                throw new IllegalArgumentException("parameter " + i + " (" + blockOf(architecture, i) + ") is " + parameters[i]);
            }
        }
        return new RnnModel(architecture, parameters.clone(), checkVariance(architecture, headVariance), seed);
    }

    private static String blockOf(RnnArchitecture a, int index) {
        for (RnnArchitecture.Block b : a.blocks().values()) {
            if (index >= b.offset() && index < b.offset() + b.size()) {
                int k = index - b.offset();
                return b.vector() ? b.name() + "[" + k + "]" : b.name() + "[" + k / b.cols() + "][" + k % b.cols() + "]";
            }
        }
        return "?";
    }

    private static double[] checkVariance(RnnArchitecture a, double[] v) {
        if (a.head().type() != Head.Type.LINEAR) {
            if (v != null && v.length > 0) {
                throw new IllegalArgumentException("only a linear head has a variance parameter");
            }
            return new double[0];
        }
        if (v == null) {
            return defaultVariance(a);
        }
        if (v.length != a.head().outputSize()) {
            throw new IllegalArgumentException("head variance: expected " + a.head().outputSize() + " values, got " + v.length);
        }
        for (int j = 0; j < v.length; j++) {
            if (!(v[j] > 0) || Double.isInfinite(v[j])) {
                throw new IllegalArgumentException("head variance[" + j + "] must be positive and finite, got " + v[j]);
            }
        }
        return v.clone();
    }

    // ----------------------------------------------------------------------------------------------
    // accessors

    public RnnArchitecture architecture() {
        return architecture;
    }

    /** The seed the weights were (or would be) initialised from. */
    public long seed() {
        return seed;
    }

    /** A copy of a named weight block, flat row-major (PyTorch name, e.g. {@code weight_hh_l0}). */
    public double[] weight(String name) {
        RnnArchitecture.Block b = block(name);
        return Arrays.copyOfRange(parameters, b.offset(), b.offset() + b.size());
    }

    /** A named weight block as rows (a bias as one column). */
    public double[][] weightMatrix(String name) {
        RnnArchitecture.Block b = block(name);
        double[][] m = new double[b.rows()][b.cols()];
        for (int i = 0; i < b.rows(); i++) {
            System.arraycopy(parameters, b.offset() + i * b.cols(), m[i], 0, b.cols());
        }
        return m;
    }

    /** The model with one block replaced (flat row-major values). */
    public RnnModel withWeight(String name, double[] values) {
        RnnArchitecture.Block b = block(name);
        if (values.length != b.size()) {
            throw new IllegalArgumentException(name + ": expected " + b.shape() + " (" + b.size() + " values), got "
                    + values.length);
        }
        double[] theta = parameters.clone();
        System.arraycopy(values, 0, theta, b.offset(), b.size());
        return of(architecture, theta, variance, seed).withInitialStates(initial).withFitControl(fit)
                .withPrecision(precision);
    }

    private RnnArchitecture.Block block(String name) {
        RnnArchitecture.Block b = architecture.block(name);
        if (b == null) {
            throw new IllegalArgumentException("no weight " + name + "; the weights are " + architecture.blockNames());
        }
        return b;
    }

    /** The variance of a linear head (d values; empty for the other heads). */
    public double[] headVariance() {
        return variance.clone();
    }

    /** The same network with another linear-head variance. */
    public RnnModel withHeadVariance(double[] v) {
        return new RnnModel(architecture, parameters, checkVariance(architecture, v), seed, initial, fit, precision);
    }

    /**
     * The states of every layer before step 0 that the recurrence, the filter and training start from
     * (zeros unless the spec or {@link #withInitialStates} set them).
     */
    public InitialStates initialStates() {
        return initial.copy();
    }

    /**
     * The same network starting from other initial states (h_0 for form (i), LSTM and GRU layers, a_0
     * for forms (ii); constants, not trained).
     *
     * @throws IllegalArgumentException when a shape does not match, a value is not finite, or a cell is
     *         given for a layer that is not an LSTM
     */
    public RnnModel withInitialStates(InitialStates states) {
        InitialStates s = states == null ? InitialStates.zeros() : states.copy();
        s.check(architecture);
        return new RnnModel(architecture, parameters, variance, seed, s, fit, precision);
    }

    // The same network with the spec's "fit" block (null: none).
    RnnModel withFitControl(RnnFitControl control) {
        return control == fit ? this : new RnnModel(architecture, parameters, variance, seed, initial, control, precision);
    }

    /** The precision of the matrix products in training and running (default {@link Precision#FLOAT64}). */
    public Precision precision() {
        return precision;
    }

    /**
     * The same network with its matrix products and weight gradients in another precision (see {@link Precision}:
     * {@link Precision#FLOAT32} is PyTorch's float32, for speed; the parameters stay the same doubles).
     */
    public RnnModel withPrecision(Precision p) {
        if (p == null) {
            throw new IllegalArgumentException("a precision is float64 or float32, not null");
        }
        return p == precision ? this : new RnnModel(architecture, parameters, variance, seed, initial, fit, p);
    }

    // The spec's "fit" block, or null.
    RnnFitControl fitControl() {
        return fit;
    }

    /**
     * A linear head's variance re-estimated from the one-step residuals on {@code data}: σ²_j = mean over
     * observed (t, sequence) of (o_tj - mean_tj)², the maximum-likelihood value given the means (floored
     * at {@link #VARIANCE_FLOOR}; a component never observed keeps its value). This model for other heads.
     */
    public RnnModel withResidualVariance(Dataset data) {
        if (architecture.head().type() != Head.Type.LINEAR) {
            return this;
        }
        int d = variance.length;
        double[] sum = new double[d];
        double[] count = new double[d];
        Recurrence.Workspace<State, PredictiveDistribution> w = Recurrence.workspace(this);
        for (Sequence s : data.sequences()) {
            addResiduals(w, s, 0, sum, count);
        }
        return withResidualSums(sum, count);
    }

    // Adds a sequence's squared one-step residuals (per component) and their counts, of steps from on (continuing
    // the run w holds when from > 0: the next chunk of a sequence read in chunks).
    private static void addResiduals(Recurrence.Workspace<State, PredictiveDistribution> w, Sequence s, int from,
            double[] sum, double[] count) {
        w.run(s, from, (t, state, predicted, logDensity) -> {
            for (int j = 0; j < sum.length; j++) {
                double v = s.value(t, j);
                if (!Double.isNaN(v)) {
                    double r = v - predicted.mean(j);
                    sum[j] += r * r;
                    count[j]++;
                }
            }
        });
    }

    private RnnModel withResidualSums(double[] sum, double[] count) {
        double[] v = variance.clone();
        for (int j = 0; j < v.length; j++) {
            if (count[j] > 0) {
                v[j] = Math.max(VARIANCE_FLOOR, sum[j] / count[j]);
            }
        }
        return withHeadVariance(v);
    }

    /** Only a linear head re-estimates (its variance) from the data. */
    @Override
    public boolean usesStatistics() {
        return architecture.head().type() == Head.Type.LINEAR;
    }

    /**
     * A linear head's per-sequence residual statistics for {@link #withResidualVariance}: the summed squared
     * one-step residuals of each component (d), then how many were observed (d). Empty for other heads. The
     * sequence is the one chunk of an {@link #accumulator()}, so a sequence read in chunks gives the same sums.
     */
    @Override
    public double[] refitStatistics(Sequence sequence) {
        SummedRefit.Accumulator a = accumulator();
        a.add(sequence, 0);
        return a.statistics();
    }

    /**
     * {@link #refitStatistics} a chunk at a time: the network's state is carried from chunk to chunk and each
     * step's residual is added in step order, so the sums are those of the whole sequence.
     */
    @Override
    public SummedRefit.Accumulator accumulator() {
        boolean linear = architecture.head().type() == Head.Type.LINEAR;
        int d = linear ? variance.length : 0;
        Recurrence.Workspace<State, PredictiveDistribution> w = linear ? Recurrence.workspace(this) : null;
        double[] sum = new double[d];
        double[] count = new double[d];
        return new SummedRefit.Accumulator() {
            @Override
            public void add(Sequence chunk, int from) {
                if (linear) {
                    addResiduals(w, chunk, from, sum, count);
                }
            }

            @Override
            public double[] statistics() {
                double[] out = Arrays.copyOf(sum, 2 * d);
                System.arraycopy(count, 0, out, d, d);
                return out;
            }
        };
    }

    /** {@link #withResidualVariance} from the sum of {@link #refitStatistics} over the data. */
    @Override
    public RnnModel withRefit(double[] summed) {
        if (architecture.head().type() != Head.Type.LINEAR) {
            return this;
        }
        int d = variance.length;
        if (summed.length != 2 * d) {
            throw new IllegalArgumentException("expected " + 2 * d + " residual statistics, got " + summed.length);
        }
        return withResidualSums(Arrays.copyOf(summed, d), Arrays.copyOfRange(summed, d, 2 * d));
    }

    /** The loop graph unrolled over {@code steps} steps (for export and drawing). */
    public UnrolledGraph unroll(int steps) {
        return architecture.graph().unroll(steps);
    }

    Network network() {
        return network;
    }

    // ----------------------------------------------------------------------------------------------
    // raw forward pass

    /**
     * Runs the network on raw inputs (T × inputSize, bypassing the observation encoding) from the given
     * initial states, as PyTorch's {@code module(input, h0)} does with batch 1.
     */
    public ForwardPass forward(double[][] inputs, InitialStates initial) {
        int length = inputs.length;
        if (length < 1) {
            throw new IllegalArgumentException("no inputs");
        }
        initial.check(architecture);
        int n = architecture.inputSize();
        Tape tape = new Tape(network, 1, length + network.maxDelay, false);
        tape.reset(1, initial.states(), initial.cells());
        int layers = architecture.layerCount();
        double[][][] states = new double[layers][length][];
        double[][][] hidden = new double[layers][length][];
        double[][][] cells = new double[layers][][];
        double[][] output = new double[length][];
        for (int l = 0; l < layers; l++) {
            if (architecture.layer(l).cell() == Cell.LSTM) {
                cells[l] = new double[length][];
            }
        }
        for (int t = 0; t < length; t++) {
            if (inputs[t].length != n) {
                throw new IllegalArgumentException("inputs[" + t + "]: expected " + n + " values, got " + inputs[t].length);
            }
            System.arraycopy(inputs[t], 0, tape.x[tape.slot(t)][0], 0, n);
            if (network.hybrid) {
                Inputs.observationFromInput(architecture, inputs[t], t, tape.observation[tape.slot(t)][0]);
            }
            network.forward(weights, tape, t, 1);
            network.head(weights, tape, t, 1);
            for (int l = 0; l < layers; l++) {
                Layer layer = architecture.layer(l);
                int h = layer.stateSize();
                int slot = tape.slot(t);
                states[l][t] = tape.value[l][slot][0].clone();
                hidden[l][t] = states[l][t].clone();
                if (layer.preactivationState()) {
                    Activations.apply(layer.cell(), states[l][t], 0, hidden[l][t], 0, h);
                }
                if (cells[l] != null) {
                    cells[l][t] = tape.cell[l][slot][0].clone();
                }
            }
            output[t] = tape.head[tape.slot(t)][0].clone();
        }
        return new ForwardPass(architecture, length, states, hidden, cells, output);
    }

    // ----------------------------------------------------------------------------------------------
    // the recurrence

    /**
     * h_t of an RNN: the states of every layer over the last steps its connections reach back (a ring
     * of max-delay + 1 steps), with LSTM cells and the head's outputs. A workspace of one run.
     */
    public static final class State implements org.statespace.DiffusePhase {
        final Tape tape;
        final double[] scratch;
        final RnnArchitecture architecture;
        int step = -1;

        final double[] observed;
        final double[] beliefMean;        // a belief head's scratch: probabilities, means or mixture weights
        final double[] beliefCovariance;
        final KalmanCell diffuseTop;      // the top Kalman cell of a belief head with an exact diffuse start, else null
        final int top;

        State(Network network) {
            this.architecture = network.architecture;
            KalmanCell kalman = network.layers[network.top].kalman;
            this.diffuseTop = network.belief && kalman != null && kalman.diffuse ? kalman : null;
            this.top = network.top;
            this.tape = new Tape(network, 1, network.maxDelay + 1, false);
            this.scratch = new double[network.headRows];
            this.observed = new double[network.observationWidth];
            int d = network.architecture.head().outputSize();
            Layer top = network.architecture.layer(network.top);
            int weights = top.emission() == null ? 0 : top.hiddenSize() * top.emission().components();
            this.beliefMean = new double[network.belief ? Math.max(d, weights) : 0];
            this.beliefCovariance = new double[network.belief && top.cell() == Cell.KALMAN ? d * d : 0];
        }

        /** The step t this state is at (-1 before the start). */
        public int step() {
            return step;
        }

        /**
         * Whether the prediction of this step comes from a belief head on a Kalman cell whose exact diffuse start
         * is not over (P_∞ ≠ 0): scored as the Kalman family scores it (the engine leaves such steps out).
         */
        @Override
        public boolean inDiffusePhase() {
            return diffuseTop != null && step >= 0 && diffuseTop.inDiffusePhase(tape.value[top][tape.slot(step)][0]);
        }

        /** A copy of layer l's output h_t (σ(a_t) for form (ii)). */
        public double[] hidden(int layer) {
            double[] h = state(layer);
            Layer l = architecture.layer(layer);
            if (l.preactivationState()) {
                Activations.apply(l.cell(), h, 0, h, 0, h.length);
            }
            return h;
        }

        /** A copy of layer l's state: h_t, or a_t for form (ii). */
        public double[] state(int layer) {
            return tape.value[layer][tape.slot(step)][0].clone();
        }

        /** A copy of an LSTM layer's cell c_t. */
        public double[] cell(int layer) {
            if (tape.cell[layer] == null) {
                throw new IllegalArgumentException("layer " + layer + " has no cell");
            }
            return tape.cell[layer][tape.slot(step)][0].clone();
        }

        // copies into out[off..) without allocating (for the filter's tracks)
        void copyHidden(int layer, double[] out, int off) {
            Layer l = architecture.layer(layer);
            double[] v = tape.value[layer][tape.slot(step)][0];
            if (l.preactivationState()) {
                Activations.apply(l.cell(), v, 0, out, off, v.length);
            } else {
                System.arraycopy(v, 0, out, off, v.length);
            }
        }
    }

    private final class Transition implements StateTransition<State> {
        @Override
        public State newState() {
            return new State(network);
        }

        @Override
        public void start(State state, Sequence sequence) {
            Inputs.check(architecture, sequence);
            state.tape.reset(1, initial.states(), initial.cells());
            advance(state, sequence, 0);
        }

        @Override
        public void step(State state, Sequence sequence, int t) {
            advance(state, sequence, t);
        }

        private void advance(State state, Sequence sequence, int t) {
            Tape tape = state.tape;
            Inputs.encode(architecture, sequence, t, tape.x[tape.slot(t)][0], 0);
            if (network.hybrid) {
                Inputs.previousObservation(architecture, sequence, t, tape.observation[tape.slot(t)][0]);
            }
            network.forward(weights, tape, t, 1);
            state.step = t;
        }
    }

    private final class Output implements Emission<State, PredictiveDistribution> {
        @Override
        public PredictiveDistribution newDistribution() {
            Head h = architecture.head();
            if (h.type() == Head.Type.BELIEF) {
                return beliefDistribution();
            }
            return h.symbolic() ? new Categorical(h.outputSize()) : new Gaussian(h.outputSize());
        }

        /**
         * A belief head's log-density: the filter's own -loss, log Σ_k h_k b_k(o_t), the same code training
         * differentiates (the distribution of {@link #predict} holds the same numbers up to rounding).
         */
        @Override
        public double logDensity(State state, PredictiveDistribution predicted, Sequence sequence, int t) {
            if (architecture.head().type() != Head.Type.BELIEF) {
                return predicted.logDensity(sequence, t);
            }
            Inputs.observation(architecture, sequence, t, state.observed);
            return -network.beliefLoss(weights, state.tape, state.step, 0, state.observed, null, null);
        }

        @Override
        public void predict(State state, Sequence sequence, int t, PredictiveDistribution out) {
            Tape tape = state.tape;
            network.head(weights, tape, state.step, 1);
            double[] z = tape.head[tape.slot(state.step)][0];
            Head h = architecture.head();
            double[] s = state.scratch;
            switch (h.type()) {
                case BELIEF -> setBelief(state, out);
                case SOFTMAX -> {
                    softmax(z, 0, z.length, s);
                    ((Categorical) out).set(s);
                }
                case LINEAR -> ((Gaussian) out).setDiagonal(z, 0, variance, 0);
                case GAUSSIAN -> {
                    int d = h.outputSize();
                    for (int j = 0; j < d; j++) {
                        s[j] = Math.exp(z[d + j]);
                    }
                    try {
                        ((Gaussian) out).setDiagonal(z, 0, s, 0);
                    } catch (NumericalException e) {
                        throw new NumericalException("sequence '" + sequence.id() + "', step " + t
                                + ": the head's log-variance gives " + e.getMessage());
                    }
                }
            }
        }
    }

    // The predictive distribution of a belief head on an HMM cell: categorical Σ_k h_k B_k, or the mixture of the
    // state densities (K·C Gaussians for a mixture emission) weighted by h_k (times the component weights).
    private PredictiveDistribution beliefDistribution() {
        if (network.layers[network.top].kalman != null) {
            return new Gaussian(architecture.head().outputSize());
        }
        HmmCell cell = network.layers[network.top].hmm;
        int m = cell.observed;
        int k = cell.states;
        double[] theta = weights.theta;
        return switch (cell.emission.kind()) {
            case CATEGORICAL -> new Categorical(m);
            case POISSON -> {
                PredictiveDistribution[] parts = new PredictiveDistribution[k];
                for (int s = 0; s < k; s++) {
                    double[] rates = new double[m];
                    for (int j = 0; j < m; j++) {
                        rates[j] = Math.exp(theta[cell.logits + s * m + j]);
                    }
                    parts[s] = Poisson.of(rates);
                }
                yield new Mixture(parts);
            }
            case GAUSSIAN, MIXTURE -> {
                int count = k * cell.emission.components();
                PredictiveDistribution[] parts = new PredictiveDistribution[count];
                for (int g = 0; g < count; g++) {
                    parts[g] = Gaussian.of(Arrays.copyOfRange(theta, cell.means + g * m, cell.means + (g + 1) * m),
                            cell.covariance(theta, g));
                }
                yield new Mixture(parts);
            }
        };
    }

    private void setBelief(State state, PredictiveDistribution out) {
        double[] h = state.tape.value[network.top][state.tape.slot(state.step)][0];
        KalmanCell kalman = network.layers[network.top].kalman;
        if (kalman != null) {
            double[] mean = state.beliefMean;
            double[] covariance = state.beliefCovariance;
            kalman.predictiveMean(weights.theta, h, mean);
            kalman.predictiveCovariance(weights.theta, h, covariance, state.tape.kalman[network.top]);
            ((Gaussian) out).set(mean, 0, covariance);
            return;
        }
        HmmCell cell = network.layers[network.top].hmm;
        double[] theta = weights.theta;
        switch (cell.emission.kind()) {
            case CATEGORICAL -> {
                double[] p = state.beliefMean;
                cell.predictiveMean(theta, h, p);
                ((Categorical) out).set(p);
            }
            case POISSON, GAUSSIAN -> ((Mixture) out).setWeights(h, 0);
            case MIXTURE -> {
                int c = cell.emission.components();
                double[] w = state.beliefMean;
                for (int s = 0; s < cell.states; s++) {
                    int off = cell.logits + s * c;
                    double lse = HmmCell.logSumExp(theta, off, c);
                    for (int q = 0; q < c; q++) {
                        w[s * c + q] = h[s] * Math.exp(theta[off + q] - lse);
                    }
                }
                ((Mixture) out).setWeights(w, 0);
            }
        }
    }

    /** p = softmax(z[off..off+n)) into p[0..n), shifted by the maximum. */
    static void softmax(double[] z, int off, int n, double[] p) {
        softmax(z, off, n, p, 0);
    }

    /** p[pOff..pOff+n) = softmax(z[off..off+n)); p may be z with pOff = off (in place). */
    static void softmax(double[] z, int off, int n, double[] p, int pOff) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, z[off + k]);
        }
        double sum = 0;
        for (int k = 0; k < n; k++) {
            p[pOff + k] = Math.exp(z[off + k] - max);
            sum += p[pOff + k];
        }
        for (int k = 0; k < n; k++) {
            p[pOff + k] /= sum;
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ObservationSpace observationSpace() {
        return architecture.observationSpace();
    }

    @Override
    public StateTransition<State> transition() {
        return f;
    }

    @Override
    public Emission<State, PredictiveDistribution> emission() {
        return g;
    }

    /** Every weight and bias, plus the d variances of a linear head. */
    @Override
    public int parameterCount() {
        return parameters.length + variance.length;
    }

    @Override
    public List<String> symbolNames() {
        return architecture.head().symbols();
    }

    // ----------------------------------------------------------------------------------------------
    // spec

    @Override
    public ObjectNode toSpec() {
        ObjectNode o = Json.object();
        o.put("type", TYPE);
        o.put("inputSize", architecture.inputSize());
        ArrayNode layers = o.putArray("layers");
        for (Layer l : architecture.layers()) {
            ObjectNode n = layers.addObject();
            n.put("cell", l.cell().jsonName());
            n.put("hiddenSize", l.hiddenSize());
            if (l.cell().isVanilla()) {
                n.put("form", l.form().jsonName());
            }
            if (!l.diffuseStates().isEmpty()) {
                ArrayNode diffuse = n.putArray("diffuseStates");
                l.diffuseStates().forEach(diffuse::add);
            }
            if (l.feedthrough() > 0) {
                n.put("feedthrough", true);
            }
            if (l.learnedGain()) {
                n.put("learnedGain", true);
            }
            if (l.diagonalNoise()) {
                n.put("diagonalNoise", true);
            }
            if (l.emission() != null) {
                ObjectNode e = n.putObject("emission");
                e.put("type", l.emission().kind().jsonName());
                if (l.emission().kind() == BeliefEmission.Kind.MIXTURE) {
                    e.put("components", l.emission().components());
                }
                if (l.emission().covariance() != BeliefEmission.Structure.FULL) {
                    e.put("covariance", l.emission().covariance().jsonName());
                }
            }
        }
        for (int l = 0; l < architecture.layerCount(); l++) {
            double[] h0 = initial.state(l);
            double[] c0 = initial.cell(l);
            ObjectNode n = (ObjectNode) layers.get(l);
            if (h0 != null && !new InitialStates(new double[][] {h0}, null).isZero()) {
                n.set("initialState", Json.vector(h0));
            }
            if (c0 != null && !new InitialStates(null, new double[][] {c0}).isZero()) {
                n.set("initialCell", Json.vector(c0));
            }
        }
        if (!architecture.edges().isEmpty()) {
            ArrayNode edges = o.putArray("edges");
            for (Edge e : architecture.edges()) {
                edges.add(e.toJson());
            }
        }
        ObjectNode head = o.putObject("head");
        Head h = architecture.head();
        head.put("type", h.type().jsonName());
        head.put("outputSize", h.outputSize());
        if (!h.symbols().isEmpty()) {
            ArrayNode names = head.putArray("symbols");
            h.symbols().forEach(names::add);
        }
        if (variance.length > 0) {
            head.set("variance", Json.vector(variance));
        }
        if (seed == (int) seed) {
            o.put("seed", (int) seed);
        } else {
            o.put("seed", seed);
        }
        if (precision != Precision.FLOAT64) {
            o.put("precision", precision.jsonName());
        }
        ObjectNode w = o.putObject("weights");
        for (RnnArchitecture.Block b : architecture.blocks().values()) {
            w.set(b.name(), b.vector() ? Json.vector(parameters, b.offset(), b.offset() + b.size())
                    : Json.matrix(Arrays.copyOfRange(parameters, b.offset(), b.offset() + b.size()), b.rows(), b.cols()));
        }
        if (fit != null) {
            o.set("fit", fit.fitJson.deepCopy());
        }
        return o;
    }

    // ----------------------------------------------------------------------------------------------
    // capabilities

    @Override
    public double[] parameters() {
        return parameters.clone();
    }

    /**
     * The same network with other parameters.
     *
     * @throws NumericalException when a parameter is not finite (a diverged optimiser)
     */
    @Override
    public RnnModel withParameters(double[] theta) {
        for (int i = 0; i < theta.length; i++) {
            if (!Double.isFinite(theta[i])) {
                throw new NumericalException("parameter " + i + " (" + blockOf(architecture, i) + ") is " + theta[i]
                        + " (lower the learning rate or turn on clipping)");
            }
        }
        return of(architecture, theta, variance, seed).withInitialStates(initial).withFitControl(fit)
                .withPrecision(precision);
    }

    /** With the new parameters, a linear head's variance re-estimated from the training residuals. */
    @Override
    public RnnModel withParameters(double[] theta, Dataset training) {
        return withParameters(theta).withResidualVariance(training);
    }

    @Override
    public GradientEvaluator gradientEvaluator(FitSettings settings) {
        RnnFitSettings s = FitSettings.of(settings, RnnFitSettings.class, RnnFitSettings.defaults(), type());
        return new RnnGradient(this, s);
    }

    @Override
    public HiddenStates filterStates(Sequence sequence) {
        StateRecorder<State> recorder = stateRecorder(sequence);
        double ll = Recurrence.workspace(this).run(sequence, (t, state, predicted, logDensity) -> recorder.record(t, state));
        return (HiddenStates) recorder.estimates(ll);
    }

    /**
     * {@code hidden_l<l>} (and {@code cell_l<l>} for LSTM layers, {@code preactivation_l<l>} for forms ii and
     * ii-literal) copied out of the state of each step as the engine runs; {@link #filterStates} is one such run.
     */
    @Override
    public StateRecorder<State> stateRecorder(Sequence sequence) {
        int length = sequence.length();
        StepRecorder<State> steps = stepRecorder();
        double[][] arrays = org.statespace.capability.StateRecording.allocate(steps.tracks(), length);
        return new StateRecorder<>() {
            @Override
            public void record(int t, State state) {
                steps.record(sequence, t, state, arrays, t);
            }

            @Override
            public HiddenStates estimates(double logLikelihood) {
                List<Track> tracks = new ArrayList<>();
                for (int i = 0; i < arrays.length; i++) {
                    tracks.add(steps.tracks().get(i).track(length, arrays[i]));
                }
                return new HiddenStates(length, logLikelihood, tracks);
            }
        };
    }

    /** {@link #stateRecorder}'s tracks of one step at a time, layer by layer. */
    @Override
    public StepRecorder<State> stepRecorder() {
        int layers = architecture.layerCount();
        List<TrackShape> tracks = new ArrayList<>();
        int[] hidden = new int[layers];
        int[] cells = new int[layers];
        int[] pre = new int[layers];
        for (int l = 0; l < layers; l++) {
            Layer layer = architecture.layer(l);
            int[] shape = {layer.stateSize()};
            hidden[l] = tracks.size();
            tracks.add(new TrackShape("hidden_l" + l, shape));
            cells[l] = layer.cell() == Cell.LSTM ? tracks.size() : -1;
            if (cells[l] >= 0) {
                tracks.add(new TrackShape("cell_l" + l, shape));
            }
            pre[l] = layer.preactivationState() ? tracks.size() : -1;
            if (pre[l] >= 0) {
                tracks.add(new TrackShape("preactivation_l" + l, shape));
            }
        }
        List<TrackShape> shapes = List.copyOf(tracks);
        return StepRecorder.of(shapes, (window, t, state, blocks, row) -> {
            for (int l = 0; l < layers; l++) {
                int h = architecture.layer(l).stateSize();
                state.copyHidden(l, blocks[hidden[l]], row * h);
                int slot = state.tape.slot(t);
                if (cells[l] >= 0) {
                    System.arraycopy(state.tape.cell[l][slot][0], 0, blocks[cells[l]], row * h, h);
                }
                if (pre[l] >= 0) {
                    System.arraycopy(state.tape.value[l][slot][0], 0, blocks[pre[l]], row * h, h);
                }
            }
        });
    }

    // ----------------------------------------------------------------------------------------------

    @Override
    public boolean equals(Object o) {
        return o instanceof RnnModel m && m.architecture.equals(architecture) && Arrays.equals(m.parameters, parameters)
                && Arrays.equals(m.variance, variance) && m.seed == seed && m.initial.equals(initial)
                && java.util.Objects.equals(m.fit, fit) && m.precision == precision;
    }

    @Override
    public int hashCode() {
        return (architecture.hashCode() * 31 + Arrays.hashCode(parameters)) * 31 + Long.hashCode(seed);
    }

    @Override
    public String toString() {
        return "RnnModel[" + architecture + ", " + parameters.length + " parameters]";
    }
}
