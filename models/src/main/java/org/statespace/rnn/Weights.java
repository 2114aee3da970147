package org.statespace.rnn;

/**
 * The parameters in the layout the kernels want, by block index of the network: every weight matrix W
 * (PyTorch's rows × cols) as row arrays, and as Wᵀ (cols × rows) so that a step's gate pre-activations of
 * a whole batch are one product Z += Y · Wᵀ; bias vectors; and the two biases of each layer summed. A
 * workspace: {@link #load} refills it from a flat parameter vector without allocating. In {@link Precision#FLOAT32}
 * the matrices are held as floats (W and Wᵀ rounded) and the products run on them (see {@link #multiply}).
 */
final class Weights {
    final Network network;
    final boolean single;            // Precision.FLOAT32: the matrices as floats
    final double[][] vectors;        // by block: biases (null for matrices)
    final double[][][] matrices;     // by block: W, rows × cols (null for vectors, and in float32)
    final double[][][] transposed;   // by block: Wᵀ, cols × rows (null for vectors, and in float32)
    final float[][][] matrices32;    // float32: W rounded (else null)
    final float[][][] transposed32;  // float32: Wᵀ rounded (else null)
    final double[][] biasSum;        // per layer: b_ih + b_hh
    final double[] theta;            // the flat vector itself (the hybrid cells read their blocks from it)

    Weights(Network network) {
        this.network = network;
        this.single = network.precision == Precision.FLOAT32;
        theta = new double[network.architecture.parameterCount()];
        vectors = vectors(network);
        matrices = single ? null : matrices(network, false);
        transposed = single ? null : matrices(network, true);
        matrices32 = single ? matrices32(network, false) : null;
        transposed32 = single ? matrices32(network, true) : null;
        biasSum = new double[network.layers.length][];
        for (int l = 0; l < biasSum.length; l++) {
            biasSum[l] = new double[network.layers[l].width];
        }
    }

    // a vector per bias block (null for matrices)
    private static double[][] vectors(Network network) {
        double[][] v = new double[network.blocks.length][];
        for (int i = 0; i < v.length; i++) {
            RnnArchitecture.Block b = network.blocks[i];
            v[i] = b.vector() ? new double[b.rows()] : null;
        }
        return v;
    }

    // row arrays per matrix block, rows × cols or transposed (null for vectors)
    private static double[][][] matrices(Network network, boolean transpose) {
        double[][][] m = new double[network.blocks.length][][];
        for (int i = 0; i < m.length; i++) {
            RnnArchitecture.Block b = network.blocks[i];
            if (!b.vector()) {
                m[i] = transpose ? Gemm.matrix(b.cols(), b.rows()) : Gemm.matrix(b.rows(), b.cols());
            }
        }
        return m;
    }

    // the same as floats
    private static float[][][] matrices32(Network network, boolean transpose) {
        float[][][] m = new float[network.blocks.length][][];
        for (int i = 0; i < m.length; i++) {
            RnnArchitecture.Block b = network.blocks[i];
            if (!b.vector()) {
                m[i] = transpose ? Gemm32.matrix(b.cols(), b.rows()) : Gemm32.matrix(b.rows(), b.cols());
            }
        }
        return m;
    }

    /** Copies the flat parameter vector (layout of {@link RnnArchitecture}) in. */
    Weights load(double[] parameters) {
        System.arraycopy(parameters, 0, theta, 0, theta.length);
        for (int i = 0; i < network.blocks.length; i++) {
            RnnArchitecture.Block b = network.blocks[i];
            int off = b.offset();
            if (b.vector()) {
                System.arraycopy(parameters, off, vectors[i], 0, b.rows());
                continue;
            }
            int cols = b.cols();
            for (int r = 0; r < b.rows(); r++) {
                int o = off + r * cols;
                if (single) {
                    float[] w = matrices32[i][r];
                    for (int c = 0; c < cols; c++) {
                        w[c] = (float) parameters[o + c];
                        transposed32[i][c][r] = w[c];
                    }
                } else {
                    double[] w = matrices[i][r];
                    System.arraycopy(parameters, o, w, 0, cols);
                    for (int c = 0; c < cols; c++) {
                        transposed[i][c][r] = w[c];
                    }
                }
            }
        }
        for (int l = 0; l < biasSum.length; l++) {
            Network.LayerPlan p = network.layers[l];
            double[] ih = vectors[p.biasIh];
            double[] hh = vectors[p.biasHh];
            for (int j = 0; j < p.width; j++) {
                biasSum[l][j] = ih[j] + hh[j];
            }
        }
        return this;
    }

    /**
     * C (rows × n) += A (rows × k) · Wᵀ for weight block {@code block} (W is n × k): a step's pre-activations from
     * one source. In float32 A is rounded into the tape's scratch and the product, formed in float, added to C.
     */
    void multiplyTransposed(Tape tape, int rows, int k, int n, double[][] a, int block, double[][] c) {
        if (single) {
            multiply32(tape, rows, k, n, a, transposed32[block], c);
        } else {
            Gemm.multiply(rows, k, n, a, transposed[block], c);
        }
    }

    /** C (rows × n) += A (rows × k) · W for weight block {@code block} (W is k × n): a state gradient dZ · W. */
    void multiply(Tape tape, int rows, int k, int n, double[][] a, int block, double[][] c) {
        if (single) {
            multiply32(tape, rows, k, n, a, matrices32[block], c);
        } else {
            Gemm.multiply(rows, k, n, a, matrices[block], c);
        }
    }

    private static void multiply32(Tape tape, int rows, int k, int n, double[][] a, float[][] b, double[][] c) {
        float[][] product = tape.product32;
        Gemm32.zeroRows(rows, n, product);
        Gemm32.multiply(rows, k, n, Precision.narrow(rows, k, a, tape.operand32), b, product);
        Precision.addWidened(rows, n, product, c);
    }

    /**
     * A gradient accumulator of the same blocks. A weight block with more rows than columns (the gate
     * blocks, G·H × cols) is accumulated transposed, as dWᵀ (cols × rows) += Yᵀ · dZ, so that the
     * kernel's inner loop runs over the long side; {@link #addTo} writes it back in W's layout. Each
     * entry is the same sum in the same order either way. In {@link Precision#FLOAT32} the weight gradients
     * are float sums of the rounded dZ and Y (the bias gradients and the hybrid cells' stay double).
     */
    static final class Gradient {
        final Network network;
        final boolean single;
        final double[][] vectors;
        final double[][][] matrices;     // by block: dW (rows × cols), or dWᵀ if transposed[block] (null in float32)
        final float[][][] matrices32;    // float32: the same as floats (else null)
        final boolean[] transposed;
        final double[] flat;             // the hybrid cells' gradients, in the flat layout
        private float[][] left32 = new float[0][];  // float32: dZ rounded, grown to the rows of a product
        private float[][] right32 = new float[0][]; // float32: Y rounded

        Gradient(Network network) {
            this.network = network;
            this.single = network.precision == Precision.FLOAT32;
            flat = new double[network.architecture.parameterCount()];
            vectors = Weights.vectors(network);
            matrices = single ? null : new double[network.blocks.length][][];
            matrices32 = single ? new float[network.blocks.length][][] : null;
            transposed = new boolean[network.blocks.length];
            for (int i = 0; i < transposed.length; i++) {
                RnnArchitecture.Block b = network.blocks[i];
                if (!b.vector()) {
                    transposed[i] = b.rows() > b.cols();
                    int r = transposed[i] ? b.cols() : b.rows();
                    int c = transposed[i] ? b.rows() : b.cols();
                    if (single) {
                        matrices32[i] = Gemm32.matrix(r, c);
                    } else {
                        matrices[i] = Gemm.matrix(r, c);
                    }
                }
            }
        }

        /**
         * dW += dZᵀ · Y for weight block {@code block} (W is width × cols): dZ is rows × width, Y rows × cols,
         * summed over the rows of the batch.
         */
        void addProduct(int block, int rows, int width, int cols, double[][] dz, double[][] y) {
            if (single) {
                float[][] d = narrow(rows, width, dz, true);
                float[][] v = narrow(rows, cols, y, false);
                if (transposed[block]) {
                    Gemm32.multiplyTransposedA(rows, cols, width, v, d, matrices32[block]);
                } else {
                    Gemm32.multiplyTransposedA(rows, width, cols, d, v, matrices32[block]);
                }
            } else if (transposed[block]) {
                Gemm.multiplyTransposedA(rows, cols, width, y, dz, matrices[block]);
            } else {
                Gemm.multiplyTransposedA(rows, width, cols, dz, y, matrices[block]);
            }
        }

        /**
         * {@link #addProduct} for {@code count} steps at once, their rows stacked (m in all, segment s of
         * {@code segments[s]} rows): the same sums in the same order, one sweep over dW.
         */
        void addProducts(int block, int[] segments, int count, int m, int width, int cols, double[][] dz,
                double[][] y) {
            if (single) {
                float[][] d = narrow(m, width, dz, true);
                float[][] v = narrow(m, cols, y, false);
                if (transposed[block]) {
                    Gemm32.multiplyTransposedA(segments, count, m, cols, width, v, d, matrices32[block]);
                } else {
                    Gemm32.multiplyTransposedA(segments, count, m, width, cols, d, v, matrices32[block]);
                }
            } else if (transposed[block]) {
                Gemm.multiplyTransposedA(segments, count, m, cols, width, y, dz, matrices[block]);
            } else {
                Gemm.multiplyTransposedA(segments, count, m, width, cols, dz, y, matrices[block]);
            }
        }

        // m rows of n rounded into the left (dZ) or right (Y) scratch, grown when it is too small
        private float[][] narrow(int m, int n, double[][] from, boolean left) {
            float[][] to = left ? left32 : right32;
            if (to.length < m || to[0].length < n) {
                to = Gemm32.matrix(Math.max(m, to.length), Math.max(n, to.length == 0 ? 0 : to[0].length));
                if (left) {
                    left32 = to;
                } else {
                    right32 = to;
                }
            }
            return Precision.narrow(m, n, from, to);
        }

        void clear() {
            java.util.Arrays.fill(flat, 0);
            for (int i = 0; i < vectors.length; i++) {
                if (vectors[i] != null) {
                    java.util.Arrays.fill(vectors[i], 0);
                } else if (single) {
                    for (float[] row : matrices32[i]) {
                        java.util.Arrays.fill(row, 0);
                    }
                } else {
                    for (double[] row : matrices[i]) {
                        java.util.Arrays.fill(row, 0);
                    }
                }
            }
        }

        /** flat += this, in the layout of {@link RnnArchitecture}. */
        void addTo(double[] flat) {
            for (int i = 0; i < flat.length; i++) {
                flat[i] += this.flat[i];
            }
            for (int i = 0; i < vectors.length; i++) {
                RnnArchitecture.Block b = network.blocks[i];
                int off = b.offset();
                if (vectors[i] != null) {
                    double[] v = vectors[i];
                    for (int j = 0; j < v.length; j++) {
                        flat[off + j] += v[j];
                    }
                    continue;
                }
                int cols = b.cols();
                for (int r = 0; r < b.rows(); r++) {
                    int o = off + r * cols;
                    for (int c = 0; c < cols; c++) {
                        flat[o + c] += entry(i, r, c);
                    }
                }
            }
        }

        // dW[r][c] of matrix block i, from dW or dWᵀ, double or float
        private double entry(int i, int r, int c) {
            int a = transposed[i] ? c : r;
            int b = transposed[i] ? r : c;
            return single ? matrices32[i][a][b] : matrices[i][a][b];
        }
    }
}
