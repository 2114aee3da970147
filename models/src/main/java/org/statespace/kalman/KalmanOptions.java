package org.statespace.kalman;

/**
 * How the Kalman filter of a linear-Gaussian model runs; the results do not depend on it, only the time.
 *
 * @param exactSteadyState whether to take the exact steady-state shortcut: once the predicted covariance of
 *                         a fully observed step equals, bit for bit, that of an earlier step of the same fully
 *                         observed stretch (in floating point the Riccati recursion ends on a cycle: a fixed
 *                         point, a cycle of two, or one of hundreds of steps), the innovation covariances, their
 *                         factors, the gains and the covariances of the cycle's steps are recorded once and
 *                         replayed, and only the means are updated. Every result is identical to the full
 *                         update (a missing component ends the shortcut; a cycle too long to keep, over 2^20
 *                         doubles, is not taken). On by default; off to time the full update at every step.
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
