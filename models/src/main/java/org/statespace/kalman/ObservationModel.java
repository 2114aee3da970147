package org.statespace.kalman;

import org.statespace.data.Sequence;

/**
 * The observation equation y_t = h(x_t, u_t) + v_t, v_t ~ N(0, R), as a Gaussian filter's correction
 * needs it, given the predicted belief N(a_t, P_t): the observation mean, the cross covariance, the
 * innovation covariance and, for the sequential filter, H and R. A linear model computes them exactly
 * (h(x, u) = H x + D u + d); an extended filter uses the Jacobian H of h at a_t, an unscented one sigma
 * points. Matrices are row-major {@code double[]}; n states, m = {@link #observationDimension()}
 * components. Implementations are immutable; outputs never alias inputs.
 */
public interface ObservationModel {

    /** m, the number of observed components. */
    int observationDimension();

    /** ŷ_t = h(a_t, u_t) (m) into {@code out}; u_t is row {@code t} of {@code inputs}. */
    void observationMean(double[] mean, Sequence inputs, int t, double[] out);

    /**
     * Cov[y_t, x_t | past] = H P_t (m×n) into {@code out}: the transposed cross covariance P_t Hᵀ, stored
     * by rows of y so that the gain Kᵀ = S⁻¹ H P_t is a row-wise solve.
     */
    void crossCovariance(double[] mean, double[] covariance, Sequence inputs, int t, double[] out);

    /**
     * S_t = H P_t Hᵀ + R (m×m, exactly symmetric) into {@code out}, given the cross covariance H P_t this
     * model wrote for the same belief.
     */
    void innovationCovariance(double[] mean, double[] crossCovariance, Sequence inputs, int t, double[] out);

    /** H, the Jacobian of h at {@code mean} (m×n), into {@code out} (the sequential filter needs it). */
    void observationJacobian(double[] mean, Sequence inputs, int t, double[] out);

    /** R (m×m) of step t into {@code out}. */
    void observationNoise(Sequence inputs, int t, double[] out);

    /**
     * ŷ_t, H P_t and S_t of the predicted belief N(mean, covariance) at once: the filter calls this. The
     * default is {@link #observationMean}, {@link #crossCovariance}, {@link #innovationCovariance} in turn;
     * a sigma-point model, whose ŷ_t depends on the covariance too, overrides it.
     */
    default void observe(double[] mean, double[] covariance, Sequence inputs, int t, double[] outMean,
            double[] outCrossCovariance, double[] outInnovationCovariance) {
        observationMean(mean, inputs, t, outMean);
        crossCovariance(mean, covariance, inputs, t, outCrossCovariance);
        innovationCovariance(mean, outCrossCovariance, inputs, t, outInnovationCovariance);
    }

    /**
     * Whether the moments are those of a linearisation h(x) ≈ ŷ_t + H (x - a_t) (a linear or an extended
     * model: true, the default), so S = H P Hᵀ + R and the correction may use the Joseph form. A sigma-point
     * model has no such H and returns false: the correction is then P_t|t = P_t - K S_oo Kᵀ (Wan &amp; van der
     * Merwe 2000), and the sequential filter, which needs H, refuses the model.
     */
    default boolean linearized() {
        return true;
    }
}
