package org.statespace.kalman;

/**
 * A state-space model with Gaussian noise as a Gaussian filter sees it: the initial belief, the
 * {@link TransitionModel} and the {@link ObservationModel}. {@link ConventionalKalmanFilter} and
 * {@link SequentialKalmanFilter} run over any implementation; {@link LinearGaussianModel#stateSpace()} is
 * the exact linear one, and an extended (Jacobians) or unscented (sigma points) filter is a new
 * implementation of this interface, not an edit of a filter ({@code org.statespace.nonlinear} has both; the
 * unscented one overrides {@link #propagate} and {@link #observe} and is not {@link #linearized()}).
 */
public interface GaussianStateSpace extends TransitionModel, ObservationModel {

    /** m0, the mean of x_0 (n), into {@code out}. */
    void initialMean(double[] out);

    /** P0, the covariance of x_0 (n×n), into {@code out}. */
    void initialCovariance(double[] out);

    /** How many doubles of scratch the operations need (the filter allocates them once). */
    default int scratchLength() {
        return Math.max(stateDimension(), observationDimension());
    }
}
