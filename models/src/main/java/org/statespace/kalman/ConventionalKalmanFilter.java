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
 * symmetric positive semidefinite for any gain; with S_oo = H_o P H_oᵀ + R_oo it is evaluated as
 * P ← P - K (H_o P) + C Kᵀ, C = K S_oo - (H_o P)ᵀ, on the lower triangle, mirrored ({@link #joseph}). The linear model's recurrence
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
    private final double[] innovation;
    private final double[] whitened;
    private final int[] observed;
    private final JosephWorkspace josephWorkspace;

    /** A filter (and its workspace) over {@code model}. */
    public ConventionalKalmanFilter(GaussianStateSpace model) {
        super(model);
        observationMean = new double[m];
        cross = new double[m * n];
        innovationCovariance = new double[m * m];
        lower = new double[m * m];
        gainTransposed = new double[m * n];
        innovation = new double[m];
        whitened = new double[m];
        observed = new int[m];
        josephWorkspace = new JosephWorkspace(n, m);
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
        for (int i = 0; i < n; i++) {
            nextMean[i] = a[i] + Dense.dot(gainTransposed, i, n, innovation, 0, 1, k);
        }
        System.arraycopy(nextMean, 0, a, 0, n);
        if (model.linearized()) {
            joseph(n, m, k, observed, gainTransposed, cross, innovationCovariance, p, josephWorkspace, nextCovariance);
        } else {
            // P - K S_oo Kᵀ = P - K (H P)_o, as K S_oo = (H P)_oᵀ
            subtractGain(n, m, k, observed, gainTransposed, cross, p, josephWorkspace, nextCovariance);
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
     * Joseph form P_t|t = A P Aᵀ + K R_oo Kᵀ, A = I - K H_o, valid for any gain K. With S_oo = H_o P H_oᵀ + R_oo
     * (the innovation covariance the gain was solved from) it expands to
     * P_t|t = P - K (H_o P) + C Kᵀ with C = K S_oo - (H_o P)ᵀ, the residual of the gain equation K S_oo = P H_oᵀ
     * (zero for the exact gain, so an error in K enters P_t|t only to second order, as in the product form);
     * H and R need not be formed again. Cost: k²n for C and two n²k/2 products on the upper triangle, against
     * 2.5 n²k for M = A P, M H_oᵀ and M + C Kᵀ in turn (the form of before, which rounds differently: equal
     * to about 1e-15 relative). Every product is a row kernel ({@link Dense#accumulate}); only the upper
     * triangle is formed, mirrored into {@code out}. K = gainTransposedᵀ (n×k), {@code s} the m×m innovation
     * covariance, {@code hp} = H P (m×n).
     */
    static void joseph(int n, int m, int k, int[] o, double[] g, double[] hp, double[] s, double[] p,
            JosephWorkspace w, double[] out) {
        double[] sOo = w.innovationBlock;
        for (int b = 0; b < k; b++) {
            for (int d = 0; d < k; d++) {
                sOo[b * k + d] = s[o[b] * m + o[d]];
            }
        }
        if (n < Dense.ROW_KERNELS) {
            josephLoops(n, m, k, o, g, hp, p, w, out);
        } else {
            josephRows(n, k, o, g, hp, p, w, out);
        }
    }

    /** {@link #joseph} as row kernels ({@link Dense#accumulate}), S_oo already in the workspace. */
    static void josephRows(int n, int k, int[] o, double[] g, double[] hp, double[] p, JosephWorkspace w,
            double[] out) {
        double[] sOo = w.innovationBlock;
        double[][] h = w.cross;
        double[][] gain = w.gain;
        double[][] ct = w.correction;
        for (int b = 0; b < k; b++) {
            System.arraycopy(hp, o[b] * n, h[b], 0, n);
            System.arraycopy(g, b * n, gain[b], 0, n);
        }
        // Cᵀ = S_oo Kᵀ - H_o P (k×n), row b = Σ_d (S_oo)_bd Kᵀ_d - (H_o P)_b
        for (int b = 0; b < k; b++) {
            double[] c = ct[b];
            java.util.Arrays.fill(c, 0, n, 0);
            Dense.accumulate(c, n, sOo, b * k, k, gain);
            double[] hb = h[b];
            for (int i = 0; i < n; i++) {
                c[i] -= hb[i];
            }
        }
        double[] first = w.first;
        double[] second = w.second;
        double[] x = w.x;
        double[] y = w.y;
        for (int i = 0; i < n; i++) {
            // row i of the lower triangle: (K H_o P)_ij = Σ_b K_ib (H_o P)_bj and (C Kᵀ)_ij = Σ_b C_ib K_jb, j <= i
            for (int b = 0; b < k; b++) {
                x[b] = gain[b][i];
                y[b] = ct[b][i];
            }
            java.util.Arrays.fill(first, 0, i + 1, 0);
            java.util.Arrays.fill(second, 0, i + 1, 0);
            Dense.accumulate(first, i + 1, x, 0, k, h);
            Dense.accumulate(second, i + 1, y, 0, k, gain);
            for (int j = 0; j <= i; j++) {
                double v = (p[j * n + i] - first[j]) + second[j];
                out[i * n + j] = v;
                out[j * n + i] = v;
            }
        }
    }

    /**
     * {@link #joseph} for small n as plain loops (copying into rows costs more than the vector loops save
     * below {@link Dense#ROW_KERNELS}): the same sums in the same order, so the same bits.
     */
    static void josephLoops(int n, int m, int k, int[] o, double[] g, double[] hp, double[] p,
            JosephWorkspace w, double[] out) {
        double[] sOo = w.innovationBlock;
        double[] h = hp;
        if (k < m) {
            h = w.packed;
            for (int b = 0; b < k; b++) {
                System.arraycopy(hp, o[b] * n, h, b * n, n);
            }
        }
        double[] ct = w.packedCorrection;
        for (int b = 0; b < k; b++) {
            for (int i = 0; i < n; i++) {
                ct[b * n + i] = Dense.dot(sOo, b * k, 1, g, i, n, k) - h[b * n + i];
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = (p[j * n + i] - Dense.dot(g, i, n, h, j, n, k)) + Dense.dot(ct, i, n, g, j, n, k);
                out[i * n + j] = v;
                out[j * n + i] = v;
            }
        }
    }

    /** P_t|t = P - K S_oo Kᵀ = P - K (H_o P) on the lower triangle, mirrored (the sigma-point update). */
    static void subtractGain(int n, int m, int k, int[] o, double[] g, double[] hp, double[] p, JosephWorkspace w,
            double[] out) {
        double[][] h = w.cross;
        for (int b = 0; b < k; b++) {
            System.arraycopy(hp, o[b] * n, h[b], 0, n);
        }
        double[] first = w.first;
        double[] x = w.x;
        for (int i = 0; i < n; i++) {
            for (int b = 0; b < k; b++) {
                x[b] = g[b * n + i];
            }
            java.util.Arrays.fill(first, 0, i + 1, 0);
            Dense.accumulate(first, i + 1, x, 0, k, h);
            for (int j = 0; j <= i; j++) {
                double v = p[j * n + i] - first[j];
                out[i * n + j] = v;
                out[j * n + i] = v;
            }
        }
    }

    /**
     * The scratch of {@link #joseph} for n states and m components, allocated once per run; the rows are
     * arrays of their own so that the row kernels vectorise ({@link Dense.RowWorkspace}).
     */
    static final class JosephWorkspace {
        final double[][] cross;
        final double[][] gain;
        final double[][] correction;
        final double[] innovationBlock;
        final double[] first;
        final double[] second;
        final double[] x;
        final double[] y;
        final double[] packed;
        final double[] packedCorrection;

        JosephWorkspace(int n, int m) {
            packed = new double[m * n];
            packedCorrection = new double[m * n];
            cross = new double[m][n];
            gain = new double[m][n];
            correction = new double[m][n];
            innovationBlock = new double[m * m];
            first = new double[n];
            second = new double[n];
            x = new double[m];
            y = new double[m];
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
