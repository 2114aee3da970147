package org.statespace.kalman;

import org.statespace.NumericalException;
import org.statespace.data.Sequence;
import org.statespace.distribution.Gaussian;
import org.statespace.numeric.Cholesky;
import org.statespace.numeric.SpecialFunctions;

/**
 * The conventional Kalman filter over any {@link GaussianStateSpace}: predict and correct as explicit
 * operations on a {@link FilterState}. With a, P the predicted belief of x_t and o the observed
 * (non-NaN) components of y_t:
 *
 * <pre>
 *   predict   a ← f(a_{t-1|t-1}, u_t),  P ← F P Fᵀ + Q                       ({@link TransitionModel})
 *   correct   ŷ = h(a, u_t),  C = H P,  S = C Hᵀ + R                          ({@link ObservationModel})
 *             v = y_o - ŷ_o,  S_oo = L Lᵀ (Cholesky),  Kᵀ = S_oo⁻¹ C_o  (two triangular solves, no inverse)
 *             a ← a + K v
 *             P ← (I - K H_o) P (I - K H_o)ᵀ + K R_oo Kᵀ                      (Joseph form)
 *             (a sigma-point model, {@link ObservationModel#linearized()} false: P ← P - K S_oo Kᵀ)
 *             log-likelihood += log N(v; 0, S_oo) = -½ (k log 2π + log|S_oo| + |L⁻¹ v|²)
 * </pre>
 *
 * A step with no observed component leaves the belief as it is and adds nothing. The Joseph form keeps P
 * symmetric positive semidefinite for any gain; it is evaluated as M = P - K (H_o P), then
 * P ← M + (K R_oo - M H_oᵀ) Kᵀ on the upper triangle, mirrored. The linear model's recurrence
 * ({@link LinearGaussianModel#transition()}) runs these same kernels, so both give the same bits.
 *
 * <p>Not thread-safe: an instance is one run's workspace (every scratch array allocated once here, nothing
 * per step); the model may be shared.
 */
public final class ConventionalKalmanFilter extends AbstractGaussianFilter {
    static final double LOG_2PI = SpecialFunctions.LOG_2PI;

    private final double[] observationMean;
    private final double[] cross;
    private final double[] innovationCovariance;
    private final double[] lower;
    private final double[] gainTransposed;
    private final double[] jacobian;
    private final double[] noise;
    private final double[] innovation;
    private final double[] whitened;
    private final int[] observed;
    private final double[] josephM;
    private final double[] josephC;

    /** A filter (and its workspace) over {@code model}. */
    public ConventionalKalmanFilter(GaussianStateSpace model) {
        super(model);
        observationMean = new double[m];
        cross = new double[m * n];
        innovationCovariance = new double[m * m];
        lower = new double[m * m];
        gainTransposed = new double[m * n];
        jacobian = new double[m * n];
        noise = new double[m * m];
        innovation = new double[m];
        whitened = new double[m];
        observed = new int[m];
        josephM = new double[n * n];
        josephC = new double[n * m];
    }

    /**
     * Writes the predictive law of y_t, N(ŷ_t, S_t), of the predicted belief of step t into {@code out}.
     *
     * @throws NumericalException naming the sequence and step when S_t is not positive definite
     */
    public void predictive(FilterState state, Sequence inputs, int t, Gaussian out) {
        requirePredicted("predictive", state, t);
        model.observe(state.mean, state.covariance, inputs, t, observationMean, cross, innovationCovariance);
        try {
            out.set(observationMean, 0, innovationCovariance);
        } catch (NumericalException e) {
            throw new NumericalException("sequence '" + inputs.id() + "', step " + t
                    + ": the innovation covariance H P Hᵀ + R is not positive definite (" + e.getMessage() + ")");
        }
    }

    /**
     * Conditions the predicted belief of step t on the observed components of row t of {@code sequence};
     * returns log p(o_t | o_0..o_{t-1}) (0 when nothing is observed) and adds it to the state's
     * log-likelihood.
     *
     * @throws NumericalException naming the sequence and step when S_oo is not positive definite or the
     *                            log-density is not a finite double
     */
    @Override
    public double correct(FilterState state, Sequence sequence, int t) {
        requireCorrectable(state, sequence, t);
        int k = 0;
        for (int j = 0; j < m; j++) {
            if (!Double.isNaN(sequence.value(t, j))) {
                observed[k++] = j;
            }
        }
        state.corrected = true;
        if (k == 0) {
            return 0;
        }
        double[] a = state.mean;
        double[] p = state.covariance;
        model.observe(a, p, sequence, t, observationMean, cross, innovationCovariance);
        factor(innovationCovariance, m, observed, k, lower, sequence, t);
        for (int b = 0; b < k; b++) {
            innovation[b] = sequence.value(t, observed[b]) - observationMean[observed[b]];
        }
        double term = requireRepresentable(logDensity(lower, k, innovation, whitened), sequence, t, m);
        gain(lower, k, observed, cross, gainTransposed, n);
        boolean linearized = model.linearized();
        if (linearized) {
            // H and R at the predicted mean, before it moves
            model.observationJacobian(a, sequence, t, jacobian);
            model.observationNoise(sequence, t, noise);
        }
        for (int i = 0; i < n; i++) {
            nextMean[i] = a[i] + Dense.dot(gainTransposed, i, n, innovation, 0, 1, k);
        }
        System.arraycopy(nextMean, 0, a, 0, n);
        if (linearized) {
            joseph(n, m, k, observed, gainTransposed, cross, jacobian, noise, p, josephM, josephC, nextCovariance);
        } else {
            // P - K S_oo Kᵀ = P - K (H P)_o, as K S_oo = (H P)_oᵀ; upper triangle, mirrored
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    double sum = p[i * n + j];
                    for (int b = 0; b < k; b++) {
                        sum -= gainTransposed[b * n + i] * cross[observed[b] * n + j];
                    }
                    nextCovariance[i * n + j] = sum;
                    nextCovariance[j * n + i] = sum;
                }
            }
        }
        System.arraycopy(nextCovariance, 0, p, 0, n * n);
        state.logLikelihood += term;
        return term;
    }

    // ------------------------------------------------------------------------------------------------
    // kernels shared with the linear model's recurrence (KalmanFilter)

    /**
     * L with L Lᵀ = S_oo into {@code out}: the whole S when every component is observed (k = m), else the
     * block of the observed components.
     */
    static void factor(double[] innovationCovariance, int m, int[] observed, int k, double[] out, Sequence sequence,
            int t) {
        try {
            if (k == m) {
                Cholesky.factor(innovationCovariance, m, out);
            } else {
                Dense.factorBlock(innovationCovariance, m, observed, k, out);
            }
        } catch (NumericalException e) {
            throw new NumericalException("sequence '" + sequence.id() + "', step " + t + ": the innovation covariance "
                    + (k == m ? "H P Hᵀ + R" : "of the observed components") + " is not positive definite ("
                    + e.getMessage() + ")");
        }
    }

    /** Kᵀ = S_oo⁻¹ (H_o P): copies the observed rows of H P, then solves L Lᵀ Kᵀ = H_o P row-block-wise. */
    static void gain(double[] lower, int k, int[] observed, double[] hp, double[] gainTransposed, int n) {
        for (int a = 0; a < k; a++) {
            System.arraycopy(hp, observed[a] * n, gainTransposed, a * n, n);
        }
        solveLowerRows(lower, k, gainTransposed, n);
        solveUpperTransposedRows(lower, k, gainTransposed, n);
    }

    /**
     * Joseph form P_t|t = A P Aᵀ + K R_oo Kᵀ, A = I - K H_o, valid for any gain K, evaluated as
     * M = A P = P - K (H_o P), then M Aᵀ = M - (M H_oᵀ) Kᵀ, so P_t|t = M + (K R_oo - M H_oᵀ) Kᵀ; only the upper
     * triangle is formed and mirrored into {@code out}. K = gainTransposedᵀ (n×k); {@code mMat} (n×n) and
     * {@code c} (n×k) are scratch.
     */
    static void joseph(int n, int m, int k, int[] o, double[] g, double[] hp, double[] h, double[] r, double[] p,
            double[] mMat, double[] c, double[] out) {
        if (k == m) {
            // every component observed: no index indirection
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    mMat[i * n + j] = p[i * n + j] - Dense.dot(g, i, n, hp, j, n, m);
                }
            }
            for (int i = 0; i < n; i++) {
                for (int b = 0; b < m; b++) {
                    c[i * m + b] = Dense.dot(g, i, n, r, b, m, m) - Dense.dot(mMat, i * n, h, b * n, n);
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = p[i * n + j];
                    for (int b = 0; b < k; b++) {
                        sum -= g[b * n + i] * hp[o[b] * n + j];
                    }
                    mMat[i * n + j] = sum;
                }
            }
            // C = K R_oo - M H_oᵀ (n×k)
            for (int i = 0; i < n; i++) {
                for (int b = 0; b < k; b++) {
                    int ob = o[b];
                    double sum = 0;
                    for (int d = 0; d < k; d++) {
                        sum += g[d * n + i] * r[o[d] * m + ob];
                    }
                    c[i * k + b] = sum - Dense.dot(mMat, i * n, h, ob * n, n);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double sum = mMat[i * n + j] + Dense.dot(c, i * k, 1, g, j, n, k);
                out[i * n + j] = sum;
                out[j * n + i] = sum;
            }
        }
    }

    /**
     * log N(v; 0, L Lᵀ) = -½ (k log 2π + 2 Σ log L_aa + |L⁻¹ v|²), with {@code whitened} = L⁻¹ v left behind;
     * the same operations in the same order as {@link org.statespace.distribution.Gaussian#logDensity}, so
     * both give the same bits.
     */
    static double logDensity(double[] lower, int k, double[] v, double[] whitened) {
        System.arraycopy(v, 0, whitened, 0, k);
        Cholesky.solveLower(lower, k, whitened);
        double q = 0;
        for (int a = 0; a < k; a++) {
            q += whitened[a] * whitened[a];
        }
        return -0.5 * (k * LOG_2PI + Cholesky.logDeterminant(lower, k) + q);
    }

    /** Solves L X = B in place for B (k×c, row-major), L lower triangular k×k. */
    static void solveLowerRows(double[] lower, int k, double[] b, int c) {
        solveRows(lower, k, b, c, false);
    }

    /** Solves Lᵀ X = B in place for B (k×c). */
    static void solveUpperTransposedRows(double[] lower, int k, double[] b, int c) {
        solveRows(lower, k, b, c, true);
    }

    /**
     * Substitution row by row of B (k×c): forward through L (row a less L_ad times the solved rows d &lt; a),
     * or with {@code transposed} backward through Lᵀ (rows d &gt; a, (Lᵀ)_ad = L_da); then row a over the
     * diagonal L_aa. Zero coefficients are skipped.
     */
    private static void solveRows(double[] lower, int k, double[] b, int c, boolean transposed) {
        for (int step = 0; step < k; step++) {
            int a = transposed ? k - 1 - step : step;
            int ra = a * c;
            int from = transposed ? a + 1 : 0;
            int to = transposed ? k : a;
            for (int d = from; d < to; d++) {
                double l = transposed ? lower[d * k + a] : lower[a * k + d];
                if (l == 0) {
                    continue;
                }
                int rd = d * c;
                for (int j = 0; j < c; j++) {
                    b[ra + j] -= l * b[rd + j];
                }
            }
            double inv = 1 / lower[a * k + a];
            for (int j = 0; j < c; j++) {
                b[ra + j] *= inv;
            }
        }
    }

    /**
     * A Gaussian density is never zero, so a log-density of -∞ (or NaN) means the true value lies
     * outside the range of a double (an observation some 1e154 predictive standard deviations from its
     * mean): a {@link NumericalException} naming the sequence, step and observation, never a silent -∞.
     */
    static double requireRepresentable(double logDensity, Sequence sequence, int t, int m) {
        if (Double.isFinite(logDensity)) {
            return logDensity;
        }
        StringBuilder value = new StringBuilder();
        for (int j = 0; j < m; j++) {
            value.append(j == 0 ? "" : ", ").append(sequence.value(t, j));
        }
        throw new NumericalException("sequence '" + sequence.id() + "', step " + t + ": the predictive log-density of "
                + "observation " + (m == 1 ? value : "[" + value + "]") + " is " + logDensity
                + " (the observation lies too far from its predictive mean for the log-density to be a double)");
    }
}
