package org.statespace.rnn;

/**
 * The parameters in the layout the kernels want, by block index of the network: every weight matrix W
 * (PyTorch's rows × cols) as row arrays, and as Wᵀ (cols × rows) so that a step's gate pre-activations of
 * a whole batch are one product Z += Y · Wᵀ; bias vectors; and the two biases of each layer summed. A
 * workspace: {@link #load} refills it from a flat parameter vector without allocating.
 */
final class Weights {
    final Network network;
    final double[][] vectors;        // by block: biases (null for matrices)
    final double[][][] matrices;     // by block: W, rows × cols (null for vectors)
    final double[][][] transposed;   // by block: Wᵀ, cols × rows (null for vectors)
    final double[][] biasSum;        // per layer: b_ih + b_hh
    final double[] theta;            // the flat vector itself (the hybrid cells read their blocks from it)

    Weights(Network network) {
        this.network = network;
        theta = new double[network.architecture.parameterCount()];
        vectors = vectors(network);
        matrices = matrices(network, false);
        transposed = matrices(network, true);
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
            double[][] w = matrices[i];
            double[][] wt = transposed[i];
            int cols = b.cols();
            for (int r = 0; r < b.rows(); r++) {
                System.arraycopy(parameters, off + r * cols, w[r], 0, cols);
                for (int c = 0; c < cols; c++) {
                    wt[c][r] = w[r][c];
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
     * A gradient accumulator of the same blocks. A weight block with more rows than columns (the gate
     * blocks, G·H × cols) is accumulated transposed, as dWᵀ (cols × rows) += Yᵀ · dZ, so that the
     * kernel's inner loop runs over the long side; {@link #addTo} writes it back in W's layout. Each
     * entry is the same sum in the same order either way.
     */
    static final class Gradient {
        final Network network;
        final double[][] vectors;
        final double[][][] matrices;     // by block: dW (rows × cols), or dWᵀ if transposed[block]
        final boolean[] transposed;
        final double[] flat;             // the hybrid cells' gradients, in the flat layout

        Gradient(Network network) {
            this.network = network;
            flat = new double[network.architecture.parameterCount()];
            vectors = Weights.vectors(network);
            matrices = new double[network.blocks.length][][];
            transposed = new boolean[network.blocks.length];
            for (int i = 0; i < matrices.length; i++) {
                RnnArchitecture.Block b = network.blocks[i];
                if (!b.vector()) {
                    transposed[i] = b.rows() > b.cols();
                    matrices[i] = transposed[i] ? Gemm.matrix(b.cols(), b.rows()) : Gemm.matrix(b.rows(), b.cols());
                }
            }
        }

        /**
         * dW += dZᵀ · Y for weight block {@code block} (W is width × cols): dZ is rows × width, Y rows × cols,
         * summed over the rows of the batch.
         */
        void addProduct(int block, int rows, int width, int cols, double[][] dz, double[][] y) {
            if (transposed[block]) {
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
            if (transposed[block]) {
                Gemm.multiplyTransposedA(segments, count, m, cols, width, y, dz, matrices[block]);
            } else {
                Gemm.multiplyTransposedA(segments, count, m, width, cols, dz, y, matrices[block]);
            }
        }

        void clear() {
            java.util.Arrays.fill(flat, 0);
            for (int i = 0; i < vectors.length; i++) {
                if (vectors[i] != null) {
                    java.util.Arrays.fill(vectors[i], 0);
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
                } else if (transposed[i]) {
                    int cols = b.cols();
                    for (int c = 0; c < cols; c++) {
                        double[] column = matrices[i][c];
                        for (int r = 0; r < b.rows(); r++) {
                            flat[off + r * cols + c] += column[r];
                        }
                    }
                } else {
                    int cols = b.cols();
                    for (int r = 0; r < b.rows(); r++) {
                        double[] row = matrices[i][r];
                        int o = off + r * cols;
                        for (int j = 0; j < cols; j++) {
                            flat[o + j] += row[j];
                        }
                    }
                }
            }
        }
    }
}
