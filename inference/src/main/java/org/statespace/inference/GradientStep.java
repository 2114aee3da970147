package org.statespace.inference;

import org.statespace.NumericalException;

/**
 * First-order optimisers on a flat parameter vector, updating in place: SGD with momentum
 * (v ← μ v + g; θ ← θ - η v) and Adam (Kingma and Ba 2015, β1 = 0.9, β2 = 0.999, ε = 1e-8, with bias
 * correction). Their state (velocity, moments, step count) is exposed for checkpoints.
 */
final class GradientStep {
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPSILON = 1e-8;

    private final boolean adam;
    private final double learningRate;
    private final double momentum;
    final double[] first;   // SGD velocity, or Adam's first moment
    final double[] second;  // Adam's second moment (empty for SGD)
    long steps;

    GradientStep(TrainOptions.Optimizer optimizer, int size, double learningRate, double momentum) {
        this.adam = optimizer == TrainOptions.Optimizer.ADAM;
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.first = new double[size];
        this.second = adam ? new double[size] : new double[0];
    }

    /**
     * Scales g so that its Euclidean norm is at most {@code maxNorm} (0: no clipping); returns the norm before.
     *
     * @throws NumericalException when the norm is NaN or infinite: no scaling can repair such a gradient
     *         (an infinite one would be scaled to NaN), and a step along it would make every parameter NaN
     */
    static double clip(double[] g, double maxNorm) {
        // the norm scaled by the largest entry, so that huge but finite gradients do not overflow to infinity
        double largest = 0;
        for (double v : g) {
            largest = Math.max(largest, Math.abs(v));
        }
        double norm = 0;
        if (largest > 0 && Double.isFinite(largest)) {
            double s = 0;
            for (double v : g) {
                double r = v / largest;
                s += r * r;
            }
            norm = largest * Math.sqrt(s);
        } else if (!(largest == 0)) {
            norm = largest;
        }
        if (!Double.isFinite(norm)) {
            int bad = 0;
            while (bad < g.length && Double.isFinite(g[bad])) {
                bad++;
            }
            throw new NumericalException("the gradient is not finite (its norm is " + norm
                    + (bad < g.length ? ", parameter " + bad + " has " + g[bad] : "") + "): the network's activations "
                    + "or loss overflowed; lower the learning rate, scale the data, or start from smaller weights");
        }
        if (maxNorm > 0 && norm > maxNorm) {
            double scale = maxNorm / norm;
            for (int i = 0; i < g.length; i++) {
                g[i] *= scale;
            }
        }
        return norm;
    }

    void apply(double[] theta, double[] g) {
        steps++;
        if (adam) {
            double c1 = 1 - Math.pow(BETA1, steps);
            double c2 = 1 - Math.pow(BETA2, steps);
            for (int i = 0; i < theta.length; i++) {
                first[i] = BETA1 * first[i] + (1 - BETA1) * g[i];
                second[i] = BETA2 * second[i] + (1 - BETA2) * g[i] * g[i];
                double mHat = first[i] / c1;
                double vHat = second[i] / c2;
                theta[i] -= learningRate * mHat / (Math.sqrt(vHat) + EPSILON);
            }
        } else {
            for (int i = 0; i < theta.length; i++) {
                first[i] = momentum * first[i] + g[i];
                theta[i] -= learningRate * first[i];
            }
        }
    }
}
