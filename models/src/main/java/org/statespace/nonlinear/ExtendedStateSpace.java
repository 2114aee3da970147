package org.statespace.nonlinear;

import org.statespace.data.Sequence;
import org.statespace.kalman.FixedNoiseStateSpace;

/**
 * The extended Kalman filter's view of a {@link NonlinearSystem} (Jazwinski 1970): f and h linearised at the
 * mean of the belief, F = ∂f/∂x at a_{t-1|t-1}, H = ∂h/∂x at a_t:
 *
 * <pre>
 *   a_t = f(a_{t-1|t-1}, u_t),   P_t = F P_{t-1|t-1} Fᵀ + Q
 *   ŷ_t = h(a_t, u_t),           H P_t,   S_t = (H P_t) Hᵀ + R
 * </pre>
 *
 * The filter ({@link org.statespace.kalman.ConventionalKalmanFilter}) then corrects in the Joseph form with
 * this H. Nothing of the filter is edited: this class is all the extended filter adds. Immutable and
 * thread-safe (the Jacobians' scratch is per thread).
 */
final class ExtendedStateSpace implements FixedNoiseStateSpace {
    final NonlinearSystem system;
    private final int n;
    private final int m;
    private final Constants constants;
    private final ThreadLocal<double[][]> work;

    ExtendedStateSpace(NonlinearSystem system) {
        this.system = system;
        n = system.n;
        m = system.m;
        constants = Constants.sharing(n, m, system.initialMean, system.initialCovariance, system.observationNoise);
        work = ThreadLocal.withInitial(() -> new double[][] {new double[Math.max(n, m) * n], new double[Math.max(n, m)]});
    }

    @Override
    public Constants constants() {
        return constants;
    }

    @Override
    public void propagateMean(double[] filteredMean, Sequence inputs, int t, double[] out) {
        system.transition.value(filteredMean, inputs, t, out);
    }

    /** F (n×n) of step t at {@code mean} into {@code out}. */
    void transitionJacobian(double[] mean, Sequence inputs, int t, double[] out) {
        system.transition.jacobian(mean, inputs, t, work.get()[1], out);
    }

    /** P = F P Fᵀ + Q on the upper triangle, mirrored. */
    @Override
    public void propagateCovariance(double[] filteredMean, double[] filteredCovariance, Sequence inputs, int t,
            double[] out, double[] scratch) {
        double[] f = work.get()[0];
        transitionJacobian(filteredMean, inputs, t, f);
        sandwich(f, filteredCovariance, system.processNoise, n, out);
    }

    /** out = F P Fᵀ + Q (upper triangle formed, mirrored); F, P, Q n×n. */
    static void sandwich(double[] f, double[] p, double[] q, int n, double[] out) {
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double sum = 0;
                for (int a = 0; a < n; a++) {
                    double fia = f[i * n + a];
                    if (fia == 0) {
                        continue;
                    }
                    double row = 0;
                    for (int b = 0; b < n; b++) {
                        row += p[a * n + b] * f[j * n + b];
                    }
                    sum += fia * row;
                }
                out[i * n + j] = sum + q[i * n + j];
            }
        }
        Linear.mirrorUpper(out, n);
    }

    @Override
    public void observationMean(double[] mean, Sequence inputs, int t, double[] out) {
        system.observation.value(mean, inputs, t, out);
    }

    @Override
    public void crossCovariance(double[] mean, double[] covariance, Sequence inputs, int t, double[] out) {
        double[][] w = work.get();
        double[] h = w[0];
        system.observation.jacobian(mean, inputs, t, w[1], h);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int a = 0; a < n; a++) {
                    sum += h[i * n + a] * covariance[a * n + j];
                }
                out[i * n + j] = sum;
            }
        }
    }

    @Override
    public void innovationCovariance(double[] mean, double[] crossCovariance, Sequence inputs, int t, double[] out) {
        double[][] w = work.get();
        double[] h = w[0];
        system.observation.jacobian(mean, inputs, t, w[1], h);
        double[] r = system.observationNoise;
        for (int i = 0; i < m; i++) {
            for (int j = i; j < m; j++) {
                double sum = 0;
                for (int a = 0; a < n; a++) {
                    sum += crossCovariance[i * n + a] * h[j * n + a];
                }
                out[i * m + j] = sum + r[i * m + j];
            }
        }
        Linear.mirrorUpper(out, m);
    }

    @Override
    public void observationJacobian(double[] mean, Sequence inputs, int t, double[] out) {
        system.observation.jacobian(mean, inputs, t, work.get()[1], out);
    }

}
