package org.statespace.nonlinear;

import org.statespace.data.Sequence;
import org.statespace.kalman.FixedNoiseStateSpace;

/**
 * The unscented Kalman filter's view of a {@link NonlinearSystem} (Julier &amp; Uhlmann 1997; the scaled sigma
 * points of Wan &amp; van der Merwe 2000). For a belief N(μ, Σ) of dimension n, with λ = α²(n + κ) − n and
 * L Lᵀ = (n + λ) Σ (Cholesky), the 2n + 1 sigma points and weights are
 *
 * <pre>
 *   χ_0 = μ,  χ_i = μ + L_i,  χ_{n+i} = μ − L_i      (L_i the i-th column of L)
 *   W_0^m = λ / (n + λ),  W_0^c = W_0^m + 1 − α² + β,  W_i^m = W_i^c = 1 / (2 (n + λ))
 * </pre>
 *
 * and the filter's moments are (additive noise; the points are drawn again from the predicted belief for the
 * observation):
 *
 * <pre>
 *   predict   χ from N(a_{t-1|t-1}, P_{t-1|t-1}),  Y_i = f(χ_i, u_t),  a_t = Σ W_i^m Y_i,
 *             P_t = Σ W_i^c (Y_i − a_t)(Y_i − a_t)ᵀ + Q
 *   observe   χ from N(a_t, P_t),  Z_i = h(χ_i, u_t),  ŷ_t = Σ W_i^m Z_i,
 *             S_t = Σ W_i^c (Z_i − ŷ_t)(Z_i − ŷ_t)ᵀ + R,   C_t = Σ W_i^c (Z_i − ŷ_t)(χ_i − a_t)ᵀ  (m×n)
 * </pre>
 *
 * Not {@link #linearized()}: the filter corrects with P_t|t = P_t − K S Kᵀ. The moments need the whole
 * belief, so the filter calls {@link #propagate} and {@link #observe}; the single-moment methods that lack
 * the covariance throw. Immutable and thread-safe (the sigma points' scratch is per thread).
 */
final class UnscentedStateSpace implements FixedNoiseStateSpace {
    final NonlinearSystem system;
    private final int n;
    private final int m;
    private final Constants constants;
    private final int points;
    private final double scale;
    final double[] meanWeights;
    final double[] covarianceWeights;
    private final ThreadLocal<Work> work;

    private static final class Work {
        final double[] lower;
        final double[] sigma;
        final double[] images;
        final double[] point;
        final double[] image;

        Work(int n, int m, int points) {
            point = new double[n];
            image = new double[Math.max(n, m)];
            lower = new double[n * n];
            sigma = new double[points * n];
            images = new double[points * Math.max(n, m)];
        }
    }

    UnscentedStateSpace(NonlinearSystem system, double alpha, double beta, double kappa) {
        this.system = system;
        n = system.n;
        m = system.m;
        constants = Constants.sharing(n, m, system.initialMean, system.initialCovariance, system.observationNoise);
        points = 2 * n + 1;
        double lambda = alpha * alpha * (n + kappa) - n;
        scale = n + lambda;
        meanWeights = new double[points];
        covarianceWeights = new double[points];
        meanWeights[0] = lambda / scale;
        covarianceWeights[0] = lambda / scale + 1 - alpha * alpha + beta;
        for (int i = 1; i < points; i++) {
            meanWeights[i] = 1 / (2 * scale);
            covarianceWeights[i] = 1 / (2 * scale);
        }
        work = ThreadLocal.withInitial(() -> new Work(n, m, points));
    }

    @Override
    public Constants constants() {
        return constants;
    }

    @Override
    public boolean linearized() {
        return false;
    }

    /** The 2n + 1 sigma points of N(mean, covariance) into {@code sigma} ((2n+1)×n). */
    void sigmaPoints(double[] mean, double[] covariance, double[] lower, double[] sigma) {
        Linear.semidefiniteFactor(covariance, n, scale, lower);
        System.arraycopy(mean, 0, sigma, 0, n);
        for (int i = 0; i < n; i++) {
            int plus = (1 + i) * n;
            int minus = (1 + n + i) * n;
            for (int r = 0; r < n; r++) {
                double l = lower[r * n + i];
                sigma[plus + r] = mean[r] + l;
                sigma[minus + r] = mean[r] - l;
            }
        }
    }

    @Override
    public void propagate(double[] filteredMean, double[] filteredCovariance, Sequence inputs, int t, double[] outMean,
            double[] outCovariance, double[] scratch) {
        propagateWithCross(filteredMean, filteredCovariance, inputs, t, outMean, outCovariance, null);
    }

    /**
     * The prediction, and with {@code outCross} non-null the cross covariance
     * D = Σ W_i^c (χ_i − a_{t-1|t-1})(Y_i − a_t)ᵀ (n×n) that the unscented smoother needs.
     */
    void propagateWithCross(double[] filteredMean, double[] filteredCovariance, Sequence inputs, int t,
            double[] outMean, double[] outCovariance, double[] outCross) {
        Work w = work.get();
        sigmaPoints(filteredMean, filteredCovariance, w.lower, w.sigma);
        double[] y = w.images;
        images(system.transition, w, inputs, t, n, y);
        weightedMean(y, n, outMean);
        weightedCovariance(y, outMean, y, outMean, n, n, system.processNoise, outCovariance, true);
        if (outCross != null) {
            weightedCovariance(w.sigma, filteredMean, y, outMean, n, n, null, outCross, false);
        }
    }

    @Override
    public void observe(double[] mean, double[] covariance, Sequence inputs, int t, double[] outMean,
            double[] outCrossCovariance, double[] outInnovationCovariance) {
        Work w = work.get();
        sigmaPoints(mean, covariance, w.lower, w.sigma);
        double[] z = w.images;
        images(system.observation, w, inputs, t, m, z);
        weightedMean(z, m, outMean);
        weightedCovariance(z, outMean, z, outMean, m, m, system.observationNoise, outInnovationCovariance, true);
        weightedCovariance(z, outMean, w.sigma, mean, m, n, null, outCrossCovariance, false);
    }

    /** fn(χ_k, u_t) of each sigma point in {@code w.sigma} into row k of {@code out} (points × width). */
    private void images(DifferentiableFunction fn, Work w, Sequence inputs, int t, int width, double[] out) {
        for (int k = 0; k < points; k++) {
            System.arraycopy(w.sigma, k * n, w.point, 0, n);
            fn.value(w.point, inputs, t, w.image);
            System.arraycopy(w.image, 0, out, k * width, width);
        }
    }

    private void weightedMean(double[] values, int width, double[] out) {
        for (int i = 0; i < width; i++) {
            double sum = 0;
            for (int k = 0; k < points; k++) {
                sum += meanWeights[k] * values[k * width + i];
            }
            out[i] = sum;
        }
    }

    // out (ra×rb) = Σ_k W_k^c (a_k − ma)(b_k − mb)ᵀ + noise; symmetric: upper triangle, mirrored
    private void weightedCovariance(double[] a, double[] ma, double[] b, double[] mb, int ra, int rb, double[] noise,
            double[] out, boolean symmetric) {
        for (int i = 0; i < ra; i++) {
            for (int j = symmetric ? i : 0; j < rb; j++) {
                double sum = 0;
                for (int k = 0; k < points; k++) {
                    sum += covarianceWeights[k] * (a[k * ra + i] - ma[i]) * (b[k * rb + j] - mb[j]);
                }
                out[i * rb + j] = noise == null ? sum : sum + noise[i * rb + j];
            }
        }
        if (symmetric) {
            Linear.mirrorUpper(out, ra);
        }
    }

    private static UnsupportedOperationException needsBelief(String what) {
        return new UnsupportedOperationException("the unscented " + what + " needs the whole belief (mean and covariance); "
                + "call propagate/observe");
    }

    @Override
    public void propagateMean(double[] filteredMean, Sequence inputs, int t, double[] out) {
        throw needsBelief("predicted mean");
    }

    @Override
    public void propagateCovariance(double[] filteredMean, double[] filteredCovariance, Sequence inputs, int t,
            double[] out, double[] scratch) {
        propagateWithCross(filteredMean, filteredCovariance, inputs, t, new double[n], out, null);
    }

    @Override
    public void observationMean(double[] mean, Sequence inputs, int t, double[] out) {
        throw needsBelief("observation mean");
    }

    @Override
    public void crossCovariance(double[] mean, double[] covariance, Sequence inputs, int t, double[] out) {
        observe(mean, covariance, inputs, t, new double[m], out, new double[m * m]);
    }

    @Override
    public void innovationCovariance(double[] mean, double[] crossCovariance, Sequence inputs, int t, double[] out) {
        throw needsBelief("innovation covariance");
    }

    @Override
    public void observationJacobian(double[] mean, Sequence inputs, int t, double[] out) {
        throw new UnsupportedOperationException("a sigma-point model has no observation Jacobian (it is not linearised)");
    }

}
