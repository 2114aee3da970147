package org.statespace.nonlinear;

/**
 * How the non-linear filters run.
 *
 * @param alpha             the unscented filter's spread of the sigma points, in (0, 1] (default 1: with κ = 0 the
 *                          points lie at ±√n standard deviations and no mean weight is negative; small α such as
 *                          Wan &amp; van der Merwe's 1e-3 give a large negative centre weight, which on the growth
 *                          model makes the filter diverge)
 * @param beta              its prior-knowledge weight, &gt;= 0 (2 is optimal for a Gaussian prior)
 * @param kappa             its secondary scaling; n + κ must be positive (default 0)
 * @param particles         the particle filter's N, &gt;= 1 (default 1000)
 * @param resampleThreshold resample when the effective sample size falls below this fraction of N, in [0, 1]
 *                          (default 0.5; 1 resamples at every observed step, 0 never)
 * @param seed              the seed of the particle filter's generator (default 1); the same seed gives the
 *                          same random numbers at every run (common random numbers)
 * @param smootherDraws     the number of backward-simulated trajectories of the particle smoother (default 100)
 */
public record NonlinearOptions(double alpha, double beta, double kappa, int particles, double resampleThreshold,
        long seed, int smootherDraws) {

    /** α = 1, β = 2, κ = 0, 1000 particles, threshold 0.5, seed 1, 100 smoother draws. */
    public static NonlinearOptions defaults() {
        return new NonlinearOptions(1, 2, 0, 1000, 0.5, 1, 100);
    }

    /** See {@link #alpha()}. */
    public NonlinearOptions withAlpha(double a) {
        return new NonlinearOptions(a, beta, kappa, particles, resampleThreshold, seed, smootherDraws);
    }

    /** See {@link #beta()}. */
    public NonlinearOptions withBeta(double b) {
        return new NonlinearOptions(alpha, b, kappa, particles, resampleThreshold, seed, smootherDraws);
    }

    /** See {@link #kappa()}. */
    public NonlinearOptions withKappa(double k) {
        return new NonlinearOptions(alpha, beta, k, particles, resampleThreshold, seed, smootherDraws);
    }

    /** See {@link #particles()}. */
    public NonlinearOptions withParticles(int n) {
        return new NonlinearOptions(alpha, beta, kappa, n, resampleThreshold, seed, smootherDraws);
    }

    /** See {@link #resampleThreshold()}. */
    public NonlinearOptions withResampleThreshold(double t) {
        return new NonlinearOptions(alpha, beta, kappa, particles, t, seed, smootherDraws);
    }

    /** See {@link #seed()}. */
    public NonlinearOptions withSeed(long s) {
        return new NonlinearOptions(alpha, beta, kappa, particles, resampleThreshold, s, smootherDraws);
    }

    /** See {@link #smootherDraws()}. */
    public NonlinearOptions withSmootherDraws(int d) {
        return new NonlinearOptions(alpha, beta, kappa, particles, resampleThreshold, seed, d);
    }

    /**
     * The first option out of range for a state of dimension n, as "field: problem", or null when all are valid.
     */
    String problem(int n) {
        if (!(alpha > 0 && alpha <= 1)) {
            return "alpha: must be in (0, 1], got " + alpha;
        }
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            return "beta: must be a finite number >= 0, got " + beta;
        }
        if (!(n + kappa > 0) || Double.isInfinite(kappa)) {
            return "kappa: n + kappa must be positive (n = " + n + "), got " + kappa;
        }
        if (particles < 1) {
            return "particles: must be at least 1, got " + particles;
        }
        if (!(resampleThreshold >= 0 && resampleThreshold <= 1)) {
            return "resampleThreshold: must be in [0, 1], got " + resampleThreshold;
        }
        if (smootherDraws < 1) {
            return "smootherDraws: must be at least 1, got " + smootherDraws;
        }
        return null;
    }
}
