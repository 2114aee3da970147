package org.statespace.rnn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The compiled form of an {@link RnnArchitecture}: for every layer the list of what feeds it (the input
 * or another layer, with a delay and a weight block), and the kernels that run one step of the unrolled
 * DAG forwards and backwards for a batch of rows at once. Within a step the layers run in the loop
 * graph's topological order, steps run in time order: that is the unrolled graph's topological order,
 * and backpropagation through time walks it in reverse. Every product is a matrix-matrix product over
 * the rows of the batch with all gates of a layer in one product. Immutable and shareable; the mutable
 * parts live in {@link Weights} and {@link Tape}.
 *
 * <p>Rows are packed: at step t the first {@code rows} rows are the sequences still running (the
 * caller sorts them by length, longest first), so a finished sequence costs nothing and contributes
 * nothing, as with PyTorch's PackedSequence.
 */
final class Network {

    /** A non-recurrent input of a layer: x (layer -1) or a layer's state {@code delay} steps back. */
    record Source(int layer, int delay, RnnArchitecture.Block weight, int matrix, int columns) {
    }

    /** One layer's plan. */
    static final class LayerPlan {
        final int index;
        final Cell cell;
        final boolean preactivation;   // form (ii): consumers apply σ to the state
        final int hidden;
        final int width;               // G·H
        final Source[] sources;
        final RnnArchitecture.Block weightHh;
        final int matrixHh;
        final RnnArchitecture.Block biasIh;
        final RnnArchitecture.Block biasHh;

        LayerPlan(int index, Layer layer, Source[] sources, RnnArchitecture.Block weightHh, int matrixHh,
                RnnArchitecture.Block biasIh, RnnArchitecture.Block biasHh) {
            this.index = index;
            this.cell = layer.cell();
            this.preactivation = layer.preactivationState();
            this.hidden = layer.hiddenSize();
            this.width = layer.width();
            this.sources = sources;
            this.weightHh = weightHh;
            this.matrixHh = matrixHh;
            this.biasIh = biasIh;
            this.biasHh = biasHh;
        }
    }

    final RnnArchitecture architecture;
    final int inputSize;
    final int headRows;
    final int maxDelay;
    final int[] order;
    final LayerPlan[] layers;
    final int top;
    final RnnArchitecture.Block[] matrices;   // every weight matrix, indexed by Source.matrix etc.
    final RnnArchitecture.Block headWeight;
    final RnnArchitecture.Block headBias;
    final int headMatrix;

    Network(RnnArchitecture a) {
        this.architecture = a;
        this.inputSize = a.inputSize();
        this.headRows = a.head().rows();
        LoopGraph graph = a.graph();
        this.maxDelay = graph.maxDelay();
        this.order = graph.topologicalOrder();
        int n = a.layerCount();
        this.top = n - 1;
        List<RnnArchitecture.Block> m = new ArrayList<>();
        this.layers = new LayerPlan[n];
        for (int l = 0; l < n; l++) {
            List<Source> sources = new ArrayList<>();
            RnnArchitecture.Block ih = a.block("weight_ih_l" + l);
            m.add(ih);
            sources.add(new Source(l == 0 ? -1 : l - 1, 0, ih, m.size() - 1, ih.cols()));
            for (Edge e : a.edges()) {
                if (e.to() == l) {
                    RnnArchitecture.Block w = a.block(e.weightName());
                    m.add(w);
                    sources.add(new Source(e.from(), e.delay(), w, m.size() - 1, w.cols()));
                }
            }
            RnnArchitecture.Block hh = a.block("weight_hh_l" + l);
            m.add(hh);
            layers[l] = new LayerPlan(l, a.layer(l), sources.toArray(new Source[0]), hh, m.size() - 1,
                    a.block("bias_ih_l" + l), a.block("bias_hh_l" + l));
        }
        this.headWeight = a.block("head.weight");
        this.headBias = a.block("head.bias");
        m.add(headWeight);
        this.headMatrix = m.size() - 1;
        this.matrices = m.toArray(new RnnArchitecture.Block[0]);
    }

    // ----------------------------------------------------------------------------------------------
    // forward

    /** Runs every layer at step t for the first {@code rows} rows; x_t must be in the tape. */
    void forward(Weights w, Tape tape, int t, int rows) {
        for (int l : order) {
            forwardLayer(w, tape, layers[l], t, rows);
        }
    }

    private void forwardLayer(Weights w, Tape tape, LayerPlan p, int t, int rows) {
        int h = p.hidden;
        int width = p.width;
        int stride = tape.rows;
        int slot = tape.slot(t);
        double[] params = w.parameters;
        double[] z;
        int zOff;
        if (p.cell.isVanilla()) {
            z = tape.value[p.index];
            zOff = slot * stride * h;
        } else {
            z = tape.gates[p.index];
            zOff = slot * stride * width;
        }
        // Z = biases
        if (p.cell == Cell.GRU) {
            Gemm.fillRows(rows, width, params, p.biasIh.offset(), z, zOff, width);
        } else {
            Gemm.fillRows(rows, width, w.biasSum[p.index], 0, z, zOff, width);
        }
        // Z += Σ_sources Y_source · Wᵀ
        for (Source s : p.sources) {
            double[] in;
            int inOff;
            if (s.layer() < 0) {
                in = tape.x;
                inOff = slot * stride * inputSize;
            } else {
                LayerPlan q = layers[s.layer()];
                in = tape.value[q.index];
                inOff = tape.slot(t - s.delay()) * stride * q.hidden;
                if (q.preactivation) {
                    Activations.apply(q.cell, in, inOff, tape.act, 0, rows * q.hidden);
                    in = tape.act;
                    inOff = 0;
                }
            }
            Gemm.multiply(rows, s.columns(), width, in, inOff, s.columns(), w.transposed[s.matrix()], 0, width, z, zOff, width);
        }
        // the layer's own state at t - 1
        int prevSlot = tape.slot(t - 1);
        double[] prev = tape.value[p.index];
        int prevOff = prevSlot * stride * h;
        if (p.preactivation) {
            Activations.apply(p.cell, prev, prevOff, tape.act, 0, rows * h);
            prev = tape.act;
            prevOff = 0;
        }
        switch (p.cell) {
            case TANH, RELU, SIGMOID -> {
                Gemm.multiply(rows, h, width, prev, prevOff, h, w.transposed[p.matrixHh], 0, width, z, zOff, width);
                if (!p.preactivation) {
                    Activations.apply(p.cell, z, zOff, z, zOff, rows * h);
                }
            }
            case LSTM -> {
                Gemm.multiply(rows, h, width, prev, prevOff, h, w.transposed[p.matrixHh], 0, width, z, zOff, width);
                lstmCell(tape, p, slot, prevSlot, rows, z, zOff);
            }
            case GRU -> {
                double[] zh = tape.zh;
                Gemm.fillRows(rows, width, params, p.biasHh.offset(), zh, 0, width);
                Gemm.multiply(rows, h, width, prev, prevOff, h, w.transposed[p.matrixHh], 0, width, zh, 0, width);
                gruCell(tape, p, slot, prevSlot, rows, z, zOff);
            }
        }
    }

    // i, f, g, o from their pre-activations (in place); c = f ⊙ c_prev + i ⊙ g; h = o ⊙ tanh(c).
    private static void lstmCell(Tape tape, LayerPlan p, int slot, int prevSlot, int rows, double[] z, int zOff) {
        int h = p.hidden;
        int stride = tape.rows;
        double[] c = tape.cell[p.index];
        double[] tc = tape.aux[p.index];
        double[] out = tape.value[p.index];
        int cOff = slot * stride * h;
        int cPrev = prevSlot * stride * h;
        for (int r = 0; r < rows; r++) {
            int g0 = zOff + r * 4 * h;
            int o0 = cOff + r * h;
            int p0 = cPrev + r * h;
            for (int j = 0; j < h; j++) {
                double i = Activations.sigmoid(z[g0 + j]);
                double f = Activations.sigmoid(z[g0 + h + j]);
                double g = Activations.tanh(z[g0 + 2 * h + j]);
                double o = Activations.sigmoid(z[g0 + 3 * h + j]);
                z[g0 + j] = i;
                z[g0 + h + j] = f;
                z[g0 + 2 * h + j] = g;
                z[g0 + 3 * h + j] = o;
                double cell = f * c[p0 + j] + i * g;
                double t = Activations.tanh(cell);
                c[o0 + j] = cell;
                tc[o0 + j] = t;
                out[o0 + j] = o * t;
            }
        }
    }

    // r = σ(zi_r + zh_r), u = σ(zi_z + zh_z), n = tanh(zi_n + r ⊙ zh_n), h = (1 - u) ⊙ n + u ⊙ h_prev.
    private static void gruCell(Tape tape, LayerPlan p, int slot, int prevSlot, int rows, double[] z, int zOff) {
        int h = p.hidden;
        int stride = tape.rows;
        double[] zh = tape.zh;
        double[] hn = tape.aux[p.index];
        double[] out = tape.value[p.index];
        int oOff = slot * stride * h;
        int pOff = prevSlot * stride * h;
        for (int r = 0; r < rows; r++) {
            int g0 = zOff + r * 3 * h;
            int s0 = r * 3 * h;
            int o0 = oOff + r * h;
            int p0 = pOff + r * h;
            for (int j = 0; j < h; j++) {
                double reset = Activations.sigmoid(z[g0 + j] + zh[s0 + j]);
                double update = Activations.sigmoid(z[g0 + h + j] + zh[s0 + h + j]);
                double hidden = zh[s0 + 2 * h + j];
                double n = Activations.tanh(z[g0 + 2 * h + j] + reset * hidden);
                z[g0 + j] = reset;
                z[g0 + h + j] = update;
                z[g0 + 2 * h + j] = n;
                hn[o0 + j] = hidden;
                out[o0 + j] = (1 - update) * n + update * out[p0 + j];
            }
        }
    }

    /** The head's outputs at step t: P = b + Y_top · Wᵀ (σ applied first for a form-(ii) top layer). */
    void head(Weights w, Tape tape, int t, int rows) {
        int slot = tape.slot(t);
        int stride = tape.rows;
        LayerPlan q = layers[top];
        double[] in = tape.value[top];
        int inOff = slot * stride * q.hidden;
        if (q.preactivation) {
            Activations.apply(q.cell, in, inOff, tape.act, 0, rows * q.hidden);
            in = tape.act;
            inOff = 0;
        }
        int pOff = slot * stride * headRows;
        Gemm.fillRows(rows, headRows, w.parameters, headBias.offset(), tape.head, pOff, headRows);
        Gemm.multiply(rows, q.hidden, headRows, in, inOff, q.hidden, w.transposed[headMatrix], 0, headRows, tape.head,
                pOff, headRows);
    }

    // ----------------------------------------------------------------------------------------------
    // backward

    /**
     * Backpropagates the head gradient of step t (in {@link Tape#headGradient}) into the top layer's
     * state gradient and the head's parameter gradients.
     */
    void backwardHead(Weights w, Tape tape, int t, int rows, double[] gradient) {
        int slot = tape.slot(t);
        int stride = tape.rows;
        LayerPlan q = layers[top];
        int h = q.hidden;
        int gOff = slot * stride * headRows;
        double[] in = tape.value[top];
        int inOff = slot * stride * h;
        if (q.preactivation) {
            Activations.apply(q.cell, in, inOff, tape.act, 0, rows * h);
            in = tape.act;
            inOff = 0;
        }
        Gemm.addColumnSums(rows, headRows, tape.headGradient, gOff, headRows, gradient, headBias.offset());
        Gemm.multiplyTransposedA(rows, headRows, h, tape.headGradient, gOff, headRows, in, inOff, h, gradient,
                headWeight.offset(), h);
        propagate(tape, q, t, rows, tape.headGradient, gOff, headRows, w.parameters, headWeight.offset());
    }

    /**
     * Backpropagates step t through every layer (reverse topological order), for the first
     * {@code rows} rows, accumulating parameter gradients into {@code gradient} and state gradients
     * into the tape; gradients that would reach steps before {@code windowStart} are dropped (truncated
     * BPTT). Leaves the tape's gradient slots of step t zeroed.
     */
    void backward(Weights w, Tape tape, int t, int rows, int windowStart, double[] gradient) {
        for (int k = order.length - 1; k >= 0; k--) {
            backwardLayer(w, tape, layers[order[k]], t, rows, windowStart, gradient);
        }
    }

    private void backwardLayer(Weights w, Tape tape, LayerPlan p, int t, int rows, int windowStart, double[] gradient) {
        int h = p.hidden;
        int width = p.width;
        int stride = tape.rows;
        int slot = tape.slot(t);
        int prevSlot = tape.slot(t - 1);
        boolean previousInWindow = t - 1 >= windowStart;
        double[] params = w.parameters;
        double[] dv = tape.dValue[p.index];
        int dvOff = slot * stride * h;
        double[] dz = tape.dz;
        double[] dzRecurrent = dz;
        switch (p.cell) {
            case TANH, RELU, SIGMOID -> {
                if (p.preactivation) {
                    System.arraycopy(dv, dvOff, dz, 0, rows * h);
                } else {
                    double[] y = tape.value[p.index];
                    for (int i = 0; i < rows * h; i++) {
                        dz[i] = dv[dvOff + i] * Activations.derivativeFromOutput(p.cell, y[dvOff + i]);
                    }
                }
            }
            case LSTM -> lstmBackward(tape, p, slot, prevSlot, rows, previousInWindow);
            case GRU -> {
                gruBackward(tape, p, slot, prevSlot, rows, previousInWindow);
                dzRecurrent = tape.dzh;
            }
        }
        Gemm.addColumnSums(rows, width, dz, 0, width, gradient, p.biasIh.offset());
        Gemm.addColumnSums(rows, width, dzRecurrent, 0, width, gradient, p.biasHh.offset());
        for (Source s : p.sources) {
            int k = s.columns();
            double[] in;
            int inOff;
            int sourceStep = t - s.delay();
            if (s.layer() < 0) {
                in = tape.x;
                inOff = slot * stride * inputSize;
            } else {
                LayerPlan q = layers[s.layer()];
                in = tape.value[q.index];
                inOff = tape.slot(sourceStep) * stride * q.hidden;
                if (q.preactivation) {
                    Activations.apply(q.cell, in, inOff, tape.act, 0, rows * q.hidden);
                    in = tape.act;
                    inOff = 0;
                }
            }
            Gemm.multiplyTransposedA(rows, width, k, dz, 0, width, in, inOff, k, gradient, s.weight().offset(), k);
            if (s.layer() >= 0 && sourceStep >= windowStart) {
                propagate(tape, layers[s.layer()], sourceStep, rows, dz, 0, width, params, s.weight().offset());
            }
        }
        double[] prev = tape.value[p.index];
        int prevOff = prevSlot * stride * h;
        if (p.preactivation) {
            Activations.apply(p.cell, prev, prevOff, tape.act, 0, rows * h);
            prev = tape.act;
            prevOff = 0;
        }
        Gemm.multiplyTransposedA(rows, width, h, dzRecurrent, 0, width, prev, prevOff, h, gradient, p.weightHh.offset(), h);
        if (previousInWindow) {
            propagate(tape, p, t - 1, rows, dzRecurrent, 0, width, params, p.weightHh.offset());
        }
        Arrays.fill(dv, dvOff, dvOff + rows * h, 0);
        if (p.cell == Cell.LSTM) {
            Arrays.fill(tape.dCell[p.index], dvOff, dvOff + rows * h, 0);
        }
    }

    /**
     * Adds dZ · W (rows × H of layer q) to the state gradient of layer q at step s: directly for a
     * layer whose consumers read its state, through σ'(a) for a form-(ii) layer.
     */
    private static void propagate(Tape tape, LayerPlan q, int s, int rows, double[] dz, int dzOff, int width,
            double[] params, int weightOffset) {
        int h = q.hidden;
        int off = tape.slot(s) * tape.rows * h;
        if (!q.preactivation) {
            Gemm.multiply(rows, width, h, dz, dzOff, width, params, weightOffset, h, tape.dValue[q.index], off, h);
            return;
        }
        double[] din = tape.din;
        Arrays.fill(din, 0, rows * h, 0);
        Gemm.multiply(rows, width, h, dz, dzOff, width, params, weightOffset, h, din, 0, h);
        double[] a = tape.value[q.index];
        double[] dv = tape.dValue[q.index];
        for (int i = 0; i < rows * h; i++) {
            double y = Activations.apply(q.cell, a[off + i]);
            dv[off + i] += din[i] * Activations.derivativeFromOutput(q.cell, y);
        }
    }

    // dZ of an LSTM layer at step t into tape.dz; dc_{t-1} += dc ⊙ f.
    private static void lstmBackward(Tape tape, LayerPlan p, int slot, int prevSlot, int rows, boolean previousInWindow) {
        int h = p.hidden;
        int stride = tape.rows;
        double[] gates = tape.gates[p.index];
        double[] c = tape.cell[p.index];
        double[] tc = tape.aux[p.index];
        double[] dv = tape.dValue[p.index];
        double[] dc = tape.dCell[p.index];
        double[] dz = tape.dz;
        int off = slot * stride * h;
        int prevOff = prevSlot * stride * h;
        int gOff = slot * stride * 4 * h;
        for (int r = 0; r < rows; r++) {
            int g0 = gOff + r * 4 * h;
            int d0 = r * 4 * h;
            int o0 = off + r * h;
            int p0 = prevOff + r * h;
            for (int j = 0; j < h; j++) {
                double i = gates[g0 + j];
                double f = gates[g0 + h + j];
                double g = gates[g0 + 2 * h + j];
                double o = gates[g0 + 3 * h + j];
                double t = tc[o0 + j];
                double dh = dv[o0 + j];
                double dcell = dc[o0 + j] + dh * o * (1 - t * t);
                dz[d0 + j] = dcell * g * i * (1 - i);
                dz[d0 + h + j] = dcell * c[p0 + j] * f * (1 - f);
                dz[d0 + 2 * h + j] = dcell * i * (1 - g * g);
                dz[d0 + 3 * h + j] = dh * t * o * (1 - o);
                if (previousInWindow) {
                    dc[p0 + j] += dcell * f;
                }
            }
        }
    }

    // dZ of a GRU layer: input side into tape.dz, recurrent side into tape.dzh; dh_{t-1} += dh ⊙ u.
    private static void gruBackward(Tape tape, LayerPlan p, int slot, int prevSlot, int rows, boolean previousInWindow) {
        int h = p.hidden;
        int stride = tape.rows;
        double[] gates = tape.gates[p.index];
        double[] hn = tape.aux[p.index];
        double[] value = tape.value[p.index];
        double[] dv = tape.dValue[p.index];
        double[] dz = tape.dz;
        double[] dzh = tape.dzh;
        int off = slot * stride * h;
        int prevOff = prevSlot * stride * h;
        int gOff = slot * stride * 3 * h;
        for (int r = 0; r < rows; r++) {
            int g0 = gOff + r * 3 * h;
            int d0 = r * 3 * h;
            int o0 = off + r * h;
            int p0 = prevOff + r * h;
            for (int j = 0; j < h; j++) {
                double reset = gates[g0 + j];
                double update = gates[g0 + h + j];
                double n = gates[g0 + 2 * h + j];
                double dh = dv[o0 + j];
                double dn = dh * (1 - update) * (1 - n * n);
                double du = dh * (value[p0 + j] - n) * update * (1 - update);
                double dr = dn * hn[o0 + j] * reset * (1 - reset);
                dz[d0 + j] = dr;
                dz[d0 + h + j] = du;
                dz[d0 + 2 * h + j] = dn;
                dzh[d0 + j] = dr;
                dzh[d0 + h + j] = du;
                dzh[d0 + 2 * h + j] = dn * reset;
                if (previousInWindow) {
                    dv[p0 + j] += dh * update;
                }
            }
        }
    }
}
