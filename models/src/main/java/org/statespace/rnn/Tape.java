package org.statespace.rnn;

/**
 * The workspace of one run of a network over a batch of rows: what the forward pass records at every
 * step (inputs, layer states, gates, cells, head outputs) in ring buffers of {@code slots} steps, and,
 * for training, the gradients flowing back. Step t lives in slot t mod slots; the steps before 0 hold the
 * initial states. The state gradients live in a shorter ring of maxDelay + 1 steps (step t in gradient slot
 * t mod (maxDelay + 1)): walking back from step t only adds into steps t - maxDelay .. t, and a step's slot
 * is cleared once it has been used, so a short ring stays in cache where one slot per step would stream the
 * whole run through memory. Every matrix is an array of row arrays ([slot][row][unit]), the layout the
 * kernels of {@link Gemm} vectorise. Allocated once per run (or grown between batches), never per step.
 *
 * <p>Training holds back the weight-gradient products dW += dZᵀ · Y of a dW larger than {@link Gemm#HOLD_BYTES}
 * for up to {@code holdSteps} steps (about 128 rows in all): each step's dZ stays in a ring of its own, the rows of
 * dZ and Y are stacked by reference, and {@link Network#flush} sums them in one sweep over each dW. A dW of a hidden-512 LSTM is 8 MB; summed one
 * step of 16 rows at a time it streamed through memory four times per step.
 */
final class Tape {
    final Network network;
    final int rows;
    final int slots;
    final boolean training;

    final double[][][] x;            // [slot][row][inputSize]
    final double[][][][] value;      // [layer][slot][row][H]: h (form (i), LSTM, GRU) or a (form (ii))
    final double[][][][] cell;       // LSTM c
    final double[][][][] gates;      // LSTM i,f,g,o / GRU r,z,n after their nonlinearities: [..][G·H]
    final double[][][][] aux;        // LSTM tanh(c) / GRU W_hn h + b_hn / HMM α (filtered belief)
    final double[][][][] densities;  // HMM: e_k = log b_k(o_{t-1}), [layer][slot][row][K]
    final double[][][] observation;  // [slot][row][1 or d]: o_{t-1} for the hybrid cells (NaN: missing)
    final HmmCell.Scratch[] hmm;     // per layer, HMM layers only
    final KalmanCell.Scratch[] kalman; // per layer, Kalman layers only
    final double[][][] head;         // [slot][row][R], the head's outputs
    final double[][][] headGradient; // training: dLoss/d(head outputs)
    final double[][][][] dValue;     // training: d/d(value), [layer][gradient slot][row][H]
    final double[][][][] dCell;      // training, LSTM: d/dc, [layer][gradient slot][row][H]

    // scratch for one step
    final double[][] act;            // rows × maxH: σ(a) of a form-(ii) source
    final double[][] din;            // rows × maxH: dσ of a form-(ii) source, or an LSTM's dc_t
    final double[][] gateRows;       // 6 × maxH: an LSTM row's f, g, o and their quarters of dZ
    final double[][] zh;             // rows × maxWidth: the recurrent half of a GRU's pre-activations
    final float[][] operand32;       // float32: rows × the longest side of a weight block, a product's left operand
    final float[][] product32;       // float32: rows × the same, a product (see Weights#multiply)

    // training: the weight-gradient products held back (see the class comment)
    final int holdSteps;
    final double[][][][] dz;         // [layer][held step][row][maxWidth]: dZ (a GRU: its input side)
    final double[][][][] dzh;        // [layer][held step][row][maxWidth]: a GRU's recurrent side of dZ
    final double[][][] heldDz;       // [layer][stacked row]: the rows of dz of the held steps, in step order
    final double[][][] heldDzRecurrent; // [layer][stacked row]: dZ of the recurrent product (a GRU's dzh)
    final double[][][][] heldInputs; // [layer][product: sources, then the recurrence][stacked row]: Y
    final boolean[][] heldDirect;    // [layer][product]: added at once (dW stays in cache, or Y is scratch)
    final boolean[] holding;         // [layer]: some weight gradient of the layer is held (else one dz, reused)
    final int[] heldRows;            // rows of each held step
    int held;                        // steps held
    int stacked;                     // rows stacked

    Tape(Network network, int rows, int slots, boolean training) {
        if (slots < network.maxDelay + 1) {
            throw new IllegalArgumentException("a tape needs at least " + (network.maxDelay + 1) + " slots, got " + slots);
        }
        this.network = network;
        this.rows = rows;
        this.slots = slots;
        this.training = training;
        int layers = network.layers.length;
        x = new double[slots][rows][network.inputSize];
        value = new double[layers][][][];
        cell = new double[layers][][][];
        gates = new double[layers][][][];
        aux = new double[layers][][][];
        dValue = new double[layers][][][];
        dCell = new double[layers][][][];
        densities = new double[layers][][][];
        hmm = new HmmCell.Scratch[layers];
        kalman = new KalmanCell.Scratch[layers];
        int maxH = 1;
        int maxW = 1;
        for (int l = 0; l < layers; l++) {
            Network.LayerPlan p = network.layers[l];
            maxH = Math.max(maxH, p.hidden);
            maxW = Math.max(maxW, p.width);
            value[l] = new double[slots][rows][p.hidden];
            if (!p.cell.isVanilla()) {
                gates[l] = new double[slots][rows][p.width];
                aux[l] = new double[slots][rows][p.hidden];
            }
            if (p.cell == Cell.LSTM) {
                cell[l] = new double[slots][rows][p.hidden];
            }
            if (p.hmm != null) {
                densities[l] = new double[slots][rows][p.hidden];
                hmm[l] = p.hmm.scratch();
            }
            if (p.kalman != null) {
                kalman[l] = p.kalman.scratch();
            }
            if (training) {
                dValue[l] = new double[network.maxDelay + 1][rows][p.hidden];
                if (p.cell == Cell.LSTM) {
                    dCell[l] = new double[network.maxDelay + 1][rows][p.hidden];
                }
            }
        }
        head = new double[slots][rows][network.headRows];
        int topState = network.layers[network.top].hidden;
        headGradient = training ? new double[slots][rows][Math.max(network.headRows, topState)] : null;
        observation = network.hybrid ? new double[slots][rows][network.observationWidth] : null;
        act = new double[rows][maxH];
        din = new double[rows][maxH];
        gateRows = new double[6][maxH];
        zh = new double[rows][maxW];
        int side = 1;
        for (RnnArchitecture.Block b : network.blocks) {
            side = Math.max(side, b.vector() ? 1 : Math.max(b.rows(), b.cols()));
        }
        boolean single = network.precision == Precision.FLOAT32;
        operand32 = single ? new float[rows][side] : null;
        product32 = single ? new float[rows][side] : null;
        holdSteps = training ? Math.max(1, 128 / rows) : 0;
        dz = new double[layers][][][];
        dzh = new double[layers][][][];
        heldDz = new double[layers][][];
        heldDzRecurrent = new double[layers][][];
        heldInputs = new double[layers][][][];
        heldDirect = new boolean[layers][];
        heldRows = new int[holdSteps];
        holding = new boolean[layers];
        if (training) {
            for (int l = 0; l < layers; l++) {
                Network.LayerPlan p = network.layers[l];
                holding[l] = held(network, p.weightHh);
                for (Network.Source source : p.sources) {
                    holding[l] |= held(network, source.weight());
                }
                int ring = holding[l] ? holdSteps : 1;
                dz[l] = new double[ring][rows][maxW];
                dzh[l] = p.cell == Cell.GRU ? new double[ring][rows][maxW] : null;
                heldDz[l] = new double[holdSteps * rows][];
                heldDzRecurrent[l] = new double[holdSteps * rows][];
                heldInputs[l] = new double[p.sources.length + 1][holdSteps * rows][];
                heldDirect[l] = new boolean[p.sources.length + 1];
            }
        }
    }

    /**
     * Whether the products of weight block {@code block} are held: its gradient (8 bytes an entry, 4 in
     * {@link Precision#FLOAT32}) is larger than {@link Gemm#HOLD_BYTES}.
     */
    static boolean held(Network network, int block) {
        RnnArchitecture.Block b = network.blocks[block];
        long bytes = network.precision == Precision.FLOAT32 ? 4L : 8L;
        return bytes * b.rows() * b.cols() > Gemm.HOLD_BYTES;
    }

    /** The slot of step t (t may be negative, down to -maxDelay, for the initial states). */
    int slot(int t) {
        return Math.floorMod(t, slots);
    }

    /** The gradient slot of step t (see the class comment). */
    int gradientSlot(int t) {
        return Math.floorMod(t, network.maxDelay + 1);
    }

    /**
     * Whether this tape is big enough for {@code needRows} rows and a ring of {@code needSlots} steps (a
     * longer ring works the same), and has gradient buffers if asked.
     */
    boolean fits(int needRows, int needSlots, boolean needTraining) {
        return needRows <= rows && needSlots <= slots && (!needTraining || training);
    }

    /**
     * Sets the steps before 0 of every layer to the initial state: zeros, or per layer the given state
     * (h, or a for form (ii); the same for every row) and LSTM cell. Clears the gradient buffers and drops
     * weight-gradient products still held.
     */
    void reset(int activeRows, double[][] initialStates, double[][] initialCells) {
        held = 0;
        stacked = 0;
        for (int l = 0; l < network.layers.length; l++) {
            int h = network.layers[l].hidden;
            for (int t = -network.maxDelay; t < 0; t++) {
                int s = slot(t);
                for (int r = 0; r < activeRows; r++) {
                    set(value[l][s][r], initialStates == null ? null : initialStates[l], h);
                    if (cell[l] != null) {
                        set(cell[l][s][r], initialCells == null ? null : initialCells[l], h);
                    }
                }
            }
            if (training) {
                for (double[][] slot : dValue[l]) {
                    Gemm.zeroRows(rows, h, slot);
                }
                if (dCell[l] != null) {
                    for (double[][] slot : dCell[l]) {
                        Gemm.zeroRows(rows, h, slot);
                    }
                }
            }
        }
    }

    private static void set(double[] row, double[] values, int n) {
        if (values == null) {
            java.util.Arrays.fill(row, 0, n, 0);
        } else {
            System.arraycopy(values, 0, row, 0, n);
        }
    }
}
