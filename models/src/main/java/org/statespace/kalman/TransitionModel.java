package org.statespace.kalman;

import org.statespace.data.Sequence;

/**
 * The state equation x_t = f(x_{t-1}, u_t) + w_t, w_t ~ N(0, Q), as a Gaussian filter's prediction needs
 * it: the propagated mean and covariance of a Gaussian belief. A linear model computes them exactly
 * (f(x, u) = F x + B u + b); an extended filter linearises f at the mean (F its Jacobian), an unscented
 * one propagates sigma points. Matrices are row-major {@code double[]}; n = {@link #stateDimension()}.
 *
 * <p>Implementations are immutable and may be shared between threads: the filter passes every output and
 * scratch array. Outputs never alias inputs.
 */
public interface TransitionModel {

    /** n, the state dimension. */
    int stateDimension();

    /**
     * a_t = f(a_{t-1|t-1}, u_t): writes the predicted mean (n) into {@code out}.
     *
     * @param filteredMean the filtered mean of step t-1 (n), not modified
     * @param inputs       the sequence whose row {@code t} holds u_t (models without inputs ignore it)
     */
    void propagateMean(double[] filteredMean, Sequence inputs, int t, double[] out);

    /**
     * P_t = F P_{t-1|t-1} Fᵀ + Q (n×n, exactly symmetric) into {@code out}, F = ∂f/∂x at the filtered mean
     * for a non-linear f.
     *
     * @param scratch at least {@link GaussianStateSpace#scratchLength()} doubles, overwritten
     */
    void propagateCovariance(double[] filteredMean, double[] filteredCovariance, Sequence inputs, int t,
            double[] out, double[] scratch);

    /**
     * Both moments of the predicted belief at once, from the whole filtered belief: the filter calls this.
     * The default is {@link #propagateMean} then {@link #propagateCovariance} (a linearising model needs
     * only the mean for the mean); a sigma-point model, whose predicted mean depends on the covariance
     * too, overrides it. {@code outMean} and {@code outCovariance} never alias the inputs.
     */
    default void propagate(double[] filteredMean, double[] filteredCovariance, Sequence inputs, int t,
            double[] outMean, double[] outCovariance, double[] scratch) {
        propagateMean(filteredMean, inputs, t, outMean);
        propagateCovariance(filteredMean, filteredCovariance, inputs, t, outCovariance, scratch);
    }
}
