package org.statespace.kalman;

import java.util.random.RandomGenerator;


/**
 * One step of a draw from a {@link LinearGaussianModel} itself, the kernel of
 * {@link LinearGaussianModel#sampleWithStates} and of the spilled simulation smoother
 * ({@link SpilledSimulationSmoother}), so both take the generator's numbers in one order and compute the same
 * numbers:
 * <pre>
 *   x_0 = μ_0 + S_0 z,         x_t = F x_{t-1} + c + B u_t + S_Q z     z ~ N(0, I_n)
 *   y_t = d + H x_t + D u_t + S_R w                                   w ~ N(0, I_m)
 * </pre>
 * with S_0, S_Q, S_R the symmetric square roots of P_0, Q, R (n then m {@code nextGaussian()} a step). Not
 * thread-safe; one per draw in progress.
 */
final class StateSimulator {
    private final LinearGaussianModel model;
    private final double[] initialRoot;
    private final double[] processRoot;
    private final double[] observationRoot;
    private final double[] next;
    private final double[] zn;
    private final double[] zm;
    /** x_t after {@link #step}: n numbers. */
    final double[] state;

    StateSimulator(LinearGaussianModel model) {
        this.model = model;
        int n = model.n;
        int m = model.m;
        initialRoot = Dense.psdSquareRoot(model.initialCovariance, n);
        processRoot = Dense.psdSquareRoot(model.processNoise, n);
        observationRoot = Dense.psdSquareRoot(model.observationNoise, m);
        next = new double[n];
        zn = new double[n];
        zm = new double[m];
        state = new double[n];
    }

    /**
     * Step t: x_t into {@link #state} (from x_{t-1} there) and y_t into {@code observations[offset .. offset+m)},
     * with u_t at {@code inputs[inputOffset .. +p)} (not read when p = 0).
     */
    void step(int t, double[] inputs, int inputOffset, RandomGenerator random, double[] observations, int offset) {
        int n = model.n;
        int m = model.m;
        int p = model.p;
        double[] x = state;
        for (int i = 0; i < n; i++) {
            zn[i] = random.nextGaussian();
        }
        if (t == 0) {
            Dense.multiplyVector(initialRoot, zn, x, n, n);
            for (int i = 0; i < n; i++) {
                x[i] += model.initialMean[i];
            }
        } else {
            Dense.multiplyVector(model.transition, x, next, n, n);
            for (int i = 0; i < n; i++) {
                double sum = next[i] + model.transitionOffset[i];
                for (int j = 0; j < p; j++) {
                    sum += model.control[i * p + j] * inputs[inputOffset + j];
                }
                for (int j = 0; j < n; j++) {
                    sum += processRoot[i * n + j] * zn[j];
                }
                x[i] = sum;
            }
        }
        for (int j = 0; j < m; j++) {
            zm[j] = random.nextGaussian();
        }
        for (int i = 0; i < m; i++) {
            double sum = model.observationOffset[i];
            for (int j = 0; j < n; j++) {
                sum += model.observation[i * n + j] * x[j];
            }
            for (int j = 0; j < p; j++) {
                sum += model.feedthrough[i * p + j] * inputs[inputOffset + j];
            }
            for (int j = 0; j < m; j++) {
                sum += observationRoot[i * m + j] * zm[j];
            }
            observations[offset + i] = sum;
        }
    }
}
