package org.statespace.kalman;

/**
 * How the Kalman filter of a linear-Gaussian model runs; the results do not depend on it, only the time.
 *
 * @param exactSteadyState whether to take the exact steady-state shortcut: once the predicted covariance of
 *                         a fully observed step equals, bit for bit, that of the step before (or of the step
 *                         before that: rounding often settles the Riccati recursion on a cycle of two), the
 *                         innovation covariance, its factor, the gain and the covariances of that earlier step
 *                         are reused and only the means are updated. Every result is identical to the full
 *                         update (a missing component ends the shortcut). On by default; off to time the full
 *                         update at every step.
 */
public record KalmanOptions(boolean exactSteadyState) {

    /** The exact steady-state shortcut on. */
    public static KalmanOptions defaults() {
        return new KalmanOptions(true);
    }

    /** See {@link #exactSteadyState()}. */
    public KalmanOptions withExactSteadyState(boolean on) {
        return new KalmanOptions(on);
    }
}
