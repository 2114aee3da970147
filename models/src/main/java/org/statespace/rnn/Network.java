package org.statespace.rnn;

import java.util.ArrayList;
import java.util.List;

/**
 * The compiled form of an {@link RnnArchitecture}: for every layer what feeds it (the input or another
 * layer, with a delay and a weight block), and the kernels that run one step of the unrolled DAG
 * forwards and backwards for a batch of rows at once. Within a step the layers run in the loop graph's
 * topological order and steps run in time order: that is the unrolled graph's topological order, and
 * backpropagation through time walks it in reverse. Every product is a matrix-matrix product over the
 * rows of the batch, all gates of a layer in one product. Immutable and shareable; the mutable parts
 * live in {@link Weights}, {@link Weights.Gradient} and {@link Tape}.
 *
 * <p>Rows are packed: at step t the first {@code rows} rows are the sequences still running (the
 * caller sorts them by length, longest first), so a finished sequence costs nothing and contributes
 * nothing, as with PyTorch's PackedSequence.
 */
final class Network {

    /** A non-recurrent input of a layer: x (layer -1) or a layer's state {@code delay} steps back. */
    record Source(int layer, int delay, int weight, int columns) {
    }

    /** One layer's plan; weights are block indices. */
    static final class LayerPlan {
        final int index;
        final Cell cell;
        final boolean preactivation;   // forms (ii): its recurrence and the head apply σ to the state
        final boolean rawForOthers;    // form (ii-literal): other layers read the state without σ
        final int hidden;
        final int width;               // G·H
        final Source[] sources;
        final int weightHh;
        final int biasIh;
        final int biasHh;
        final HmmCell hmm;             // the kernels of an HMM layer, else null
        final KalmanCell kalman;       // the kernels of a Kalman layer, else null

        LayerPlan(int index, Layer layer, Source[] sources, int weightHh, int biasIh, int biasHh) {
            this.index = index;
            this.cell = layer.cell();
            this.preactivation = layer.preactivationState();
            this.rawForOthers = preactivation && !layer.activatedForOtherLayers();
            this.hidden = layer.stateSize();
            this.width = layer.width();
            this.sources = sources;
            this.weightHh = weightHh;
            this.biasIh = biasIh;
            this.biasHh = biasHh;
            this.hmm = null;
            this.kalman = null;
        }

        LayerPlan(LayerPlan p, HmmCell hmm, KalmanCell kalman) {
            this.index = p.index;
            this.cell = p.cell;
            this.preactivation = p.preactivation;
            this.rawForOthers = p.rawForOthers;
            this.hidden = p.hidden;
            this.width = p.width;
            this.sources = p.sources;
            this.weightHh = p.weightHh;
            this.biasIh = p.biasIh;
            this.biasHh = p.biasHh;
            this.hmm = hmm;
            this.kalman = kalman;
        }
    }

    final RnnArchitecture architecture;
    final RnnArchitecture.Block[] blocks;
    final int inputSize;
    final int headRows;
    final int maxDelay;
    final int[] order;
    final LayerPlan[] layers;
    final int top;
    final int headWeight;
    final int headBias;
    final boolean belief;             // a belief head: the top layer's filter, no weights
    final boolean hybrid;             // some layer is a hybrid cell (the tape carries o_{t-1})
    final int observationWidth;       // 1 (a symbol index) or d
    final Precision precision;        // of the matrix products (see Weights)

    /** The network of {@code a} in double precision. */
    Network(RnnArchitecture a) {
        this(a, Precision.FLOAT64);
    }

    Network(RnnArchitecture a, Precision precision) {
        this.architecture = a;
        this.precision = precision;
        this.blocks = a.blocks().values().toArray(new RnnArchitecture.Block[0]);
        this.inputSize = a.inputSize();
        this.headRows = a.head().rows();
        LoopGraph graph = a.graph();
        this.maxDelay = graph.maxDelay();
        this.order = graph.topologicalOrder();
        int n = a.layerCount();
        this.top = n - 1;
        this.layers = new LayerPlan[n];
        for (int l = 0; l < n; l++) {
            List<Source> sources = new ArrayList<>();
            sources.add(new Source(l == 0 ? -1 : l - 1, 0, index("weight_ih_l" + l), a.block("weight_ih_l" + l).cols()));
            for (Edge e : a.edges()) {
                if (e.to() == l) {
                    sources.add(new Source(e.from(), e.delay(), index(e.weightName()), a.block(e.weightName()).cols()));
                }
            }
            layers[l] = new LayerPlan(l, a.layer(l), sources.toArray(new Source[0]), index("weight_hh_l" + l),
                    index("bias_ih_l" + l), index("bias_hh_l" + l));
            if (a.layer(l).cell() == Cell.HMM) {
                layers[l] = new LayerPlan(layers[l], new HmmCell(a, l), null);
            }
            if (a.layer(l).cell() == Cell.KALMAN) {
                layers[l] = new LayerPlan(layers[l], null, new KalmanCell(a, l));
            }
        }
        this.belief = !a.head().hasWeights();
        this.headWeight = belief ? -1 : index("head.weight");
        this.headBias = belief ? -1 : index("head.bias");
        boolean anyHybrid = false;
        for (Layer layer : a.layers()) {
            anyHybrid |= layer.cell().isHybrid();
        }
        this.hybrid = anyHybrid;
        this.observationWidth = a.head().symbolic() ? 1 : a.head().outputSize();
    }

    private int index(String block) {
        for (int i = 0; i < blocks.length; i++) {
            if (blocks[i].name().equals(block)) {
                return i;
            }
        }
        throw new IllegalStateException("no block " + block);
    }

    // ----------------------------------------------------------------------------------------------
    // forward

    /** Runs every layer at step t for the first {@code rows} rows; x_t must be in the tape. */
    void forward(Weights w, Tape tape, int t, int rows) {
        for (int l : order) {
            forwardLayer(w, tape, layers[l], t, rows);
        }
    }

    /**
     * The rows a source gives at step s: a layer's state, or σ of it (into scratch) for a form-(ii) layer,
     * and for a form-(ii-literal) layer when {@code own} (its own recurrence or the head reads it).
     */
    private double[][] input(Tape tape, int layer, int s, int rows, boolean own) {
        LayerPlan q = layers[layer];
        double[][] v = tape.value[layer][tape.slot(s)];
        if (!activated(q, own)) {
            return v;
        }
        for (int r = 0; r < rows; r++) {
            Activations.apply(q.cell, v[r], 0, tape.act[r], 0, q.hidden);
        }
        return tape.act;
    }

    /** Whether a consumer reads q's state through σ; {@code own}: q's own recurrence or the head. */
    private static boolean activated(LayerPlan q, boolean own) {
        return q.preactivation && (own || !q.rawForOthers);
    }

    private void forwardLayer(Weights w, Tape tape, LayerPlan p, int t, int rows) {
        int h = p.hidden;
        int width = p.width;
        int slot = tape.slot(t);
        double[][] z = p.cell.isVanilla() ? tape.value[p.index][slot] : tape.gates[p.index][slot];
        // Z = biases + Σ_sources Y_source · Wᵀ (+ the recurrence below)
        Gemm.fillRows(rows, width, p.cell == Cell.GRU ? w.vectors[p.biasIh] : w.biasSum[p.index], z);
        for (Source s : p.sources) {
            double[][] in = s.layer() < 0 ? tape.x[slot]
                    : input(tape, s.layer(), t - s.delay(), rows, s.layer() == p.index);
            w.multiplyTransposed(tape, rows, s.columns(), width, in, s.weight(), z);
        }
        double[][] prev = input(tape, p.index, t - 1, rows, true);
        switch (p.cell) {
            case TANH, RELU, SIGMOID -> {
                w.multiplyTransposed(tape, rows, h, width, prev, p.weightHh, z);
                if (!p.preactivation) {
                    for (int r = 0; r < rows; r++) {
                        Activations.apply(p.cell, z[r], 0, z[r], 0, h);
                    }
                }
            }
            case LSTM -> {
                w.multiplyTransposed(tape, rows, h, width, prev, p.weightHh, z);
                lstmCell(tape, p, slot, tape.slot(t - 1), rows, z);
            }
            case GRU -> {
                Gemm.fillRows(rows, width, w.vectors[p.biasHh], tape.zh);
                w.multiplyTransposed(tape, rows, h, width, prev, p.weightHh, tape.zh);
                gruCell(tape, p, slot, tape.slot(t - 1), rows, z);
            }
            case HMM -> {
                w.multiplyTransposed(tape, rows, h, width, prev, p.weightHh, z);
                hmmCell(w, tape, p, t, rows, z);
            }
            case KALMAN -> {
                w.multiplyTransposed(tape, rows, h, width, prev, p.weightHh, z);
                int prevSlot = tape.slot(t - 1);
                for (int r = 0; r < rows; r++) {
                    double[] out = tape.value[p.index][slot][r];
                    if (t == 0) {
                        p.kalman.initial(w.theta, z[r], out, tape.kalman[p.index]);
                    } else {
                        p.kalman.step(w.theta, tape.value[p.index][prevSlot][r], z[r], tape.observation[slot][r], out,
                                tape.kalman[p.index]);
                    }
                }
            }
        }
    }

    // step 0: h = softmax(initial logits); later: α = h_{t-1} weighted by b(o_{t-1}), A = softmax rows of Z, h = Aᵀα
    private static void hmmCell(Weights w, Tape tape, LayerPlan p, int t, int rows, double[][] z) {
        int slot = tape.slot(t);
        int prevSlot = tape.slot(t - 1);
        HmmCell cell = p.hmm;
        for (int r = 0; r < rows; r++) {
            double[] out = tape.value[p.index][slot][r];
            if (t == 0) {
                cell.initial(w.theta, out);
                continue;
            }
            cell.step(w.theta, tape.value[p.index][prevSlot][r], z[r], tape.observation[slot][r],
                    tape.densities[p.index][slot][r], tape.aux[p.index][slot][r], out, tape.hmm[p.index]);
        }
    }

    // i, f, g, o from their pre-activations (in place); c = f ⊙ c_prev + i ⊙ g; h = o ⊙ tanh(c).
    private static void lstmCell(Tape tape, LayerPlan p, int slot, int prevSlot, int rows, double[][] z) {
        int h = p.hidden;
        for (int r = 0; r < rows; r++) {
            double[] g0 = z[r];
            double[] c = tape.cell[p.index][slot][r];
            double[] cPrev = tape.cell[p.index][prevSlot][r];
            double[] tc = tape.aux[p.index][slot][r];
            double[] out = tape.value[p.index][slot][r];
            for (int j = 0; j < h; j++) {
                double i = Activations.sigmoid(g0[j]);
                double f = Activations.sigmoid(g0[h + j]);
                double g = Activations.tanh(g0[2 * h + j]);
                double o = Activations.sigmoid(g0[3 * h + j]);
                g0[j] = i;
                g0[h + j] = f;
                g0[2 * h + j] = g;
                g0[3 * h + j] = o;
                double cell = f * cPrev[j] + i * g;
                double t = Activations.tanh(cell);
                c[j] = cell;
                tc[j] = t;
                out[j] = o * t;
            }
        }
    }

    // r = σ(zi_r + zh_r), u = σ(zi_z + zh_z), n = tanh(zi_n + r ⊙ zh_n), h = (1 - u) ⊙ n + u ⊙ h_prev.
    private static void gruCell(Tape tape, LayerPlan p, int slot, int prevSlot, int rows, double[][] z) {
        int h = p.hidden;
        for (int r = 0; r < rows; r++) {
            double[] g0 = z[r];
            double[] s0 = tape.zh[r];
            double[] hn = tape.aux[p.index][slot][r];
            double[] out = tape.value[p.index][slot][r];
            double[] prev = tape.value[p.index][prevSlot][r];
            for (int j = 0; j < h; j++) {
                double reset = Activations.sigmoid(g0[j] + s0[j]);
                double update = Activations.sigmoid(g0[h + j] + s0[h + j]);
                double hidden = s0[2 * h + j];
                double n = Activations.tanh(g0[2 * h + j] + reset * hidden);
                g0[j] = reset;
                g0[h + j] = update;
                g0[2 * h + j] = n;
                hn[j] = hidden;
                out[j] = (1 - update) * n + update * prev[j];
            }
        }
    }

    /** The head's outputs at step t: P = b + Y_top · Wᵀ (σ applied first for a form-(ii) top layer). */
    void head(Weights w, Tape tape, int t, int rows) {
        if (belief) {
            beliefHead(w, tape, t, rows);
            return;
        }
        double[][] in = input(tape, top, t, rows, true);
        double[][] out = tape.head[tape.slot(t)];
        Gemm.fillRows(rows, headRows, w.vectors[headBias], out);
        w.multiplyTransposed(tape, rows, layers[top].hidden, headRows, in, headWeight, out);
    }

    // ----------------------------------------------------------------------------------------------
    // backward

    /**
     * Backpropagates the head gradient of step t (in {@link Tape#headGradient}) into the top layer's
     * state gradient and the head's parameter gradients.
     */
    void backwardHead(Weights w, Tape tape, int t, int rows, Weights.Gradient gradient) {
        if (belief) {
            // the loss already wrote dLoss/dh_t of the top layer (and its emission gradient)
            double[][] dh = tape.headGradient[tape.slot(t)];
            double[][] dv = tape.dValue[top][tape.gradientSlot(t)];
            int h = layers[top].hidden;
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < h; j++) {
                    dv[r][j] += dh[r][j];
                }
            }
            return;
        }
        double[][] dp = tape.headGradient[tape.slot(t)];
        double[][] in = input(tape, top, t, rows, true);
        Gemm.addColumnSums(rows, headRows, dp, gradient.vectors[headBias]);
        gradient.addProduct(headWeight, rows, headRows, layers[top].hidden, dp, in);
        propagate(w, tape, layers[top], t, rows, dp, headWeight, true);
    }

    /**
     * Backpropagates step t through every layer (reverse topological order), for the first
     * {@code rows} rows, accumulating parameter gradients into {@code gradient} and state gradients
     * into the tape; gradients that would reach steps before {@code windowStart} are dropped (truncated
     * BPTT). Leaves the tape's gradient slots of step t zeroed.
     */
    void backward(Weights w, Tape tape, int t, int rows, int windowStart, Weights.Gradient gradient) {
        if (tape.held == tape.holdSteps) {
            flush(tape, gradient);
        }
        for (int k = order.length - 1; k >= 0; k--) {
            backwardLayer(w, tape, layers[order[k]], t, rows, windowStart, gradient);
        }
        tape.heldRows[tape.held++] = rows;
        tape.stacked += rows;
    }

    /**
     * Adds the weight-gradient products dW += dZᵀ · Y that {@link #backward} holds back (see {@link Tape}) into
     * {@code gradient}; called at the end of every backward pass, before a forward step overwrites the tape.
     * The held steps' products are summed in one sweep over each dW, in the order the steps were walked,
     * every entry the same sum in the same order as one product per step.
     */
    void flush(Tape tape, Weights.Gradient gradient) {
        if (tape.held == 0) {
            return;
        }
        for (LayerPlan p : layers) {
            double[][][] inputs = tape.heldInputs[p.index];
            for (int q = 0; q < inputs.length; q++) {
                if (tape.heldDirect[p.index][q]) {
                    continue;
                }
                boolean recurrent = q == p.sources.length;
                int block = recurrent ? p.weightHh : p.sources[q].weight();
                int cols = recurrent ? p.hidden : p.sources[q].columns();
                gradient.addProducts(block, tape.heldRows, tape.held, tape.stacked, p.width, cols,
                        recurrent ? tape.heldDzRecurrent[p.index] : tape.heldDz[p.index], inputs[q]);
            }
        }
        tape.held = 0;
        tape.stacked = 0;
    }

    // dW += dZᵀ · Y for product q of layer p (its sources, then the recurrence): held, Y's rows stacked, when dW is
    // larger than Gemm.HOLD_BYTES and Y's rows stay in the tape until the flush; added now when dW stays in cache
    // or Y is scratch (σ of a form-(ii) state)
    private static void hold(Tape tape, LayerPlan p, int q, int rows, int width, int cols, int block, double[][] dz,
            double[][] in, Weights.Gradient gradient) {
        boolean direct = in == tape.act || !Tape.held(tape.network, block);
        tape.heldDirect[p.index][q] = direct;
        if (direct) {
            gradient.addProduct(block, rows, width, cols, dz, in);
            return;
        }
        System.arraycopy(in, 0, tape.heldInputs[p.index][q], tape.stacked, rows);
    }

    private void backwardLayer(Weights w, Tape tape, LayerPlan p, int t, int rows, int windowStart,
            Weights.Gradient gradient) {
        int h = p.hidden;
        int width = p.width;
        int slot = tape.slot(t);
        boolean previousInWindow = t - 1 >= windowStart;
        int gradientSlot = tape.gradientSlot(t);
        double[][] dv = tape.dValue[p.index][gradientSlot];
        int ring = tape.holding[p.index] ? tape.held : 0;
        double[][] dz = tape.dz[p.index][ring];
        double[][] dzRecurrent = dz;
        switch (p.cell) {
            case TANH, RELU, SIGMOID -> {
                double[][] y = tape.value[p.index][slot];
                for (int r = 0; r < rows; r++) {
                    double[] d = dz[r];
                    double[] g = dv[r];
                    if (p.preactivation) {
                        System.arraycopy(g, 0, d, 0, h);
                    } else {
                        double[] yr = y[r];
                        for (int j = 0; j < h; j++) {
                            d[j] = g[j] * Activations.derivativeFromOutput(p.cell, yr[j]);
                        }
                    }
                }
            }
            case LSTM -> lstmBackward(tape, p, t, rows, previousInWindow, dz);
            case GRU -> {
                dzRecurrent = tape.dzh[p.index][ring];
                gruBackward(tape, p, t, rows, previousInWindow, dz, dzRecurrent);
            }
            case HMM -> hmmBackward(w, tape, p, t, rows, previousInWindow, gradient, dz);
            case KALMAN -> kalmanBackward(w, tape, p, t, rows, previousInWindow, gradient, dz);
        }
        Gemm.addColumnSums(rows, width, dz, gradient.vectors[p.biasIh]);
        Gemm.addColumnSums(rows, width, dzRecurrent, gradient.vectors[p.biasHh]);
        System.arraycopy(dz, 0, tape.heldDz[p.index], tape.stacked, rows);
        System.arraycopy(dzRecurrent, 0, tape.heldDzRecurrent[p.index], tape.stacked, rows);
        for (int q = 0; q < p.sources.length; q++) {
            Source s = p.sources[q];
            int step = t - s.delay();
            boolean own = s.layer() == p.index;
            double[][] in = s.layer() < 0 ? tape.x[slot] : input(tape, s.layer(), step, rows, own);
            hold(tape, p, q, rows, width, s.columns(), s.weight(), dz, in, gradient);
            if (s.layer() >= 0 && step >= windowStart) {
                propagate(w, tape, layers[s.layer()], step, rows, dz, s.weight(), own);
            }
        }
        double[][] prev = input(tape, p.index, t - 1, rows, true);
        hold(tape, p, p.sources.length, rows, width, h, p.weightHh, dzRecurrent, prev, gradient);
        if (previousInWindow) {
            propagate(w, tape, p, t - 1, rows, dzRecurrent, p.weightHh, true);
        }
        Gemm.zeroRows(rows, h, dv);
        if (p.cell == Cell.LSTM) {
            Gemm.zeroRows(rows, h, tape.dCell[p.index][gradientSlot]);
        }
    }

    /**
     * Adds dZ · W (rows × H of layer q) to the state gradient of layer q at step s: directly for a layer
     * whose consumer reads its state, through σ'(a) when the consumer reads σ(a) (see {@link #input}).
     */
    private static void propagate(Weights w, Tape tape, LayerPlan q, int s, int rows, double[][] dz, int weight,
            boolean own) {
        int h = q.hidden;
        int width = w.network.blocks[weight].rows();
        double[][] dv = tape.dValue[q.index][tape.gradientSlot(s)];
        if (!activated(q, own)) {
            w.multiply(tape, rows, width, h, dz, weight, dv);
            return;
        }
        double[][] din = tape.din;
        Gemm.zeroRows(rows, h, din);
        w.multiply(tape, rows, width, h, dz, weight, din);
        double[][] a = tape.value[q.index][tape.slot(s)];
        for (int r = 0; r < rows; r++) {
            double[] ar = a[r];
            double[] dr = dv[r];
            double[] ir = din[r];
            for (int j = 0; j < h; j++) {
                dr[j] += ir[j] * Activations.derivativeFromOutput(q.cell, Activations.apply(q.cell, ar[j]));
            }
        }
    }

    // dZ of an LSTM layer at step t into dzRows; dc_{t-1} += dc ⊙ f. The f, g and o quarters of a gate row
    // are copied into rows of their own and their quarters of dZ computed in rows of their own, then copied
    // into place: C2's superword (JDK 17) vectorises these loops only when every access is at index j, not
    // at j + h. One loop per output (dc_t first, into the scratch row din).
    private static void lstmBackward(Tape tape, LayerPlan p, int t, int rows, boolean previousInWindow,
            double[][] dzRows) {
        int h = p.hidden;
        int h2 = 2 * h;
        int h3 = 3 * h;
        int slot = tape.slot(t);
        int prevSlot = tape.slot(t - 1);
        double[][][] dCell = tape.dCell[p.index];
        int gradientSlot = tape.gradientSlot(t);
        int prevGradientSlot = tape.gradientSlot(t - 1);
        double[] f = tape.gateRows[0];
        double[] g = tape.gateRows[1];
        double[] o = tape.gateRows[2];
        double[] dzf = tape.gateRows[3];
        double[] dzg = tape.gateRows[4];
        double[] dzo = tape.gateRows[5];
        for (int r = 0; r < rows; r++) {
            double[] gates = tape.gates[p.index][slot][r];
            double[] cPrev = tape.cell[p.index][prevSlot][r];
            double[] tc = tape.aux[p.index][slot][r];
            double[] dv = tape.dValue[p.index][gradientSlot][r];
            double[] dc = dCell[gradientSlot][r];
            double[] dcPrev = dCell[prevGradientSlot][r];
            double[] dcell = tape.din[r];
            double[] dz = dzRows[r];
            System.arraycopy(gates, h, f, 0, h);
            System.arraycopy(gates, h2, g, 0, h);
            System.arraycopy(gates, h3, o, 0, h);
            // dc_t = dc + dh ⊙ o ⊙ (1 - tanh²(c))
            for (int j = 0; j < h; j++) {
                double tj = tc[j];
                dcell[j] = dc[j] + dv[j] * o[j] * (1 - tj * tj);
            }
            if (previousInWindow) {
                for (int j = 0; j < h; j++) {
                    dcPrev[j] += dcell[j] * f[j];
                }
            }
            for (int j = 0; j < h; j++) {
                double i = gates[j];
                dz[j] = dcell[j] * g[j] * i * (1 - i);
            }
            for (int j = 0; j < h; j++) {
                double fj = f[j];
                dzf[j] = dcell[j] * cPrev[j] * fj * (1 - fj);
            }
            for (int j = 0; j < h; j++) {
                double gj = g[j];
                dzg[j] = dcell[j] * gates[j] * (1 - gj * gj);
            }
            for (int j = 0; j < h; j++) {
                double oj = o[j];
                dzo[j] = dv[j] * tc[j] * oj * (1 - oj);
            }
            System.arraycopy(dzf, 0, dz, h, h);
            System.arraycopy(dzg, 0, dz, h2, h);
            System.arraycopy(dzo, 0, dz, h3, h);
        }
    }

    // dZ of an HMM layer into dzRows (zero at step 0, whose state comes from the initial logits), dh_{t-1} and the
    // emission gradient (see HmmCell)
    private static void hmmBackward(Weights w, Tape tape, LayerPlan p, int t, int rows, boolean previousInWindow,
            Weights.Gradient gradient, double[][] dzRows) {
        int slot = tape.slot(t);
        int prevSlot = tape.slot(t - 1);
        double[][] dv = tape.dValue[p.index][tape.gradientSlot(t)];
        double[][] dvPrev = tape.dValue[p.index][tape.gradientSlot(t - 1)];
        HmmCell cell = p.hmm;
        for (int r = 0; r < rows; r++) {
            double[] dz = dzRows[r];
            if (t == 0) {
                java.util.Arrays.fill(dz, 0, p.width, 0);
                cell.initialBackward(tape.value[p.index][slot][r], dv[r], gradient.flat);
                continue;
            }
            cell.stepBackward(w.theta, tape.value[p.index][prevSlot][r], tape.gates[p.index][slot][r],
                    tape.observation[slot][r], tape.densities[p.index][slot][r], tape.aux[p.index][slot][r], dv[r], dz,
                    previousInWindow ? dvPrev[r] : null, gradient.flat, tape.hmm[p.index]);
        }
    }

    // dz (the drift's and the observation shift's gradient) of a Kalman layer into dzRows (the drift's zero at
    // step 0), dh_{t-1} and the parameters' gradient
    private static void kalmanBackward(Weights w, Tape tape, LayerPlan p, int t, int rows, boolean previousInWindow,
            Weights.Gradient gradient, double[][] dzRows) {
        int slot = tape.slot(t);
        int prevSlot = tape.slot(t - 1);
        double[][] dv = tape.dValue[p.index][tape.gradientSlot(t)];
        double[][] dvPrev = tape.dValue[p.index][tape.gradientSlot(t - 1)];
        for (int r = 0; r < rows; r++) {
            double[] dz = dzRows[r];
            if (t == 0) {
                p.kalman.initialBackward(w.theta, dv[r], dz, gradient.flat, tape.kalman[p.index]);
                continue;
            }
            p.kalman.stepBackward(w.theta, tape.value[p.index][prevSlot][r], tape.observation[slot][r], dv[r], dz,
                    previousInWindow ? dvPrev[r] : null, gradient.flat, tape.kalman[p.index]);
        }
    }

    // A belief head's outputs: the predictive means (probabilities over symbols) Σ_k h_k E[o | s = k].
    private void beliefHead(Weights w, Tape tape, int t, int rows) {
        LayerPlan p = layers[top];
        double[][] out = tape.head[tape.slot(t)];
        for (int r = 0; r < rows; r++) {
            if (p.hmm != null) {
                p.hmm.predictiveMean(w.theta, tape.value[top][tape.slot(t)][r], out[r]);
            } else {
                p.kalman.predictiveMean(w.theta, tape.value[top][tape.slot(t)][r], out[r]);
            }
        }
    }

    /**
     * The loss of a belief head at step t for one row, -log p(o_t | past) (0 when o_t is missing); writes
     * dLoss/dh_t into {@code dh} and adds the emission gradient when {@code gradient} is non-null.
     */
    double beliefLoss(Weights w, Tape tape, int t, int row, double[] observation, double[] dh, Weights.Gradient gradient) {
        LayerPlan p = layers[top];
        if (p.kalman != null) {
            return p.kalman.loss(w.theta, tape.value[top][tape.slot(t)][row], observation, dh,
                    gradient == null ? null : gradient.flat, tape.kalman[top]);
        }
        return p.hmm.loss(w.theta, tape.value[top][tape.slot(t)][row], observation, dh,
                gradient == null ? null : gradient.flat, tape.hmm[top]);
    }

    // dZ of a GRU layer: input side into dzRows, recurrent side into dzhRows; dh_{t-1} += dh ⊙ u.
    private static void gruBackward(Tape tape, LayerPlan p, int t, int rows, boolean previousInWindow,
            double[][] dzRows, double[][] dzhRows) {
        int h = p.hidden;
        int slot = tape.slot(t);
        int prevSlot = tape.slot(t - 1);
        int gradientSlot = tape.gradientSlot(t);
        int prevGradientSlot = tape.gradientSlot(t - 1);
        for (int r = 0; r < rows; r++) {
            double[] gates = tape.gates[p.index][slot][r];
            double[] hn = tape.aux[p.index][slot][r];
            double[] prev = tape.value[p.index][prevSlot][r];
            double[] dv = tape.dValue[p.index][gradientSlot][r];
            double[] dvPrev = tape.dValue[p.index][prevGradientSlot][r];
            double[] dz = dzRows[r];
            double[] dzh = dzhRows[r];
            for (int j = 0; j < h; j++) {
                double reset = gates[j];
                double update = gates[h + j];
                double n = gates[2 * h + j];
                double dh = dv[j];
                double dn = dh * (1 - update) * (1 - n * n);
                double du = dh * (prev[j] - n) * update * (1 - update);
                double dr = dn * hn[j] * reset * (1 - reset);
                dz[j] = dr;
                dz[h + j] = du;
                dz[2 * h + j] = dn;
                dzh[j] = dr;
                dzh[h + j] = du;
                dzh[2 * h + j] = dn * reset;
                if (previousInWindow) {
                    dvPrev[j] += dh * update;
                }
            }
        }
    }
}
