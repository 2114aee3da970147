package org.statespace.rnn;

/**
 * The parameters in the layout the forward pass wants: every weight matrix W (rows × cols, PyTorch's
 * layout) also as Wᵀ (cols × rows), so that a step's gate pre-activations of a whole batch are one
 * product Z += Y · Wᵀ; and the two biases of a non-GRU layer summed. The backward pass reads the flat
 * parameter vector directly (dY += dZ · W). A workspace: {@link #load} refills it without allocating.
 */
final class Weights {
    final Network network;
    double[] parameters;
    final double[][] transposed;   // by matrix index in the network's plan
    final double[][] biasSum;      // per layer, b_ih + b_hh (unused for GRU)

    Weights(Network network) {
        this.network = network;
        this.transposed = new double[network.matrices.length][];
        for (int i = 0; i < transposed.length; i++) {
            transposed[i] = new double[network.matrices[i].size()];
        }
        this.biasSum = new double[network.layers.length][];
        for (int l = 0; l < biasSum.length; l++) {
            biasSum[l] = new double[network.layers[l].width];
        }
    }

    /** Points at {@code parameters} (kept by reference: the caller must not change it while in use). */
    Weights load(double[] parameters) {
        this.parameters = parameters;
        for (int i = 0; i < transposed.length; i++) {
            RnnArchitecture.Block b = network.matrices[i];
            Gemm.transpose(b.rows(), b.cols(), parameters, b.offset(), transposed[i], 0);
        }
        for (int l = 0; l < biasSum.length; l++) {
            Network.LayerPlan p = network.layers[l];
            for (int j = 0; j < p.width; j++) {
                biasSum[l][j] = parameters[p.biasIh.offset() + j] + parameters[p.biasHh.offset() + j];
            }
        }
        return this;
    }
}
