package org.statespace.rnn;

import java.util.Arrays;

import org.statespace.numeric.Cholesky;
import org.statespace.numeric.SpecialFunctions;

/**
 * The kernels of a Kalman cell (layer of {@link Cell#KALMAN}, n states, d observed components) for one row.
 * Its state is the predicted Gaussian belief of x_t given o_0..o_{t-1}, h = [a; vec(P)] (n + n², P row-major);
 * its pre-activations z (n) are a drift added to the predicted mean, so the layer below, the exogenous inputs
 * (B u_t) and any extra edge move the state. Parameters (blocks of layer l): {@code initial_mean_l<l>} m0 (n),
 * {@code initial_cholesky_l<l>} (n×n), {@code transition_l<l>} F (n×n), {@code process_cholesky_l<l>} (n×n),
 * {@code observation_l<l>} H (d×n), {@code observation_offset_l<l>} c (d), {@code observation_cholesky_l<l>}
 * (d×d); each covariance is L Lᵀ with L lower triangular and its diagonal stored as logarithms (entries above
 * the diagonal are not read; -1e300 gives an exact zero, so a singular covariance is expressible).
 *
 * <pre>
 *   h_0:  a = m0, P = P0
 *   correct with the observed components O of o_{t-1} (none: a_f = a, P_f = P):
 *     U = P H_Oᵀ,  S = sym(H_O U) + R_OO,  v = o_O - H_O a - c_O,
 *     a_f = a + U S⁻¹ v,  P_f = P - U S⁻¹ Uᵀ
 *   predict:  a' = F a_f + z,  P' = sym(F P_f Fᵀ) + Q
 *   head:     o_t ~ N(H a + c, H P Hᵀ + R), loss ½ (|O| log 2π + log det S + vᵀ S⁻¹ v)
 * </pre>
 *
 * sym(M) = (M + Mᵀ)/2 keeps the covariances exactly symmetric. The backward step is the reverse-mode
 * derivative of these formulas (recomputing the forward intermediates).
 */
final class KalmanCell {
    final int layer;
    final int n;
    final int d;
    final int initialMean;
    final int initialCholesky;
    final int transition;
    final int processCholesky;
    final int observation;
    final int observationOffset;
    final int observationCholesky;

    KalmanCell(RnnArchitecture a, int layer) {
        this.layer = layer;
        this.n = a.layer(layer).hiddenSize();
        this.d = a.head().outputSize();
        String s = "_l" + layer;
        initialMean = a.block("initial_mean" + s).offset();
        initialCholesky = a.block("initial_cholesky" + s).offset();
        transition = a.block("transition" + s).offset();
        processCholesky = a.block("process_cholesky" + s).offset();
        observation = a.block("observation" + s).offset();
        observationOffset = a.block("observation_offset" + s).offset();
        observationCholesky = a.block("observation_cholesky" + s).offset();
    }

    /** The block names of a Kalman layer's own parameters, in layout order. */
    static String[] blockNames(int layer) {
        String s = "_l" + layer;
        return new String[] {"initial_mean" + s, "initial_cholesky" + s, "transition" + s, "process_cholesky" + s,
            "observation" + s, "observation_offset" + s, "observation_cholesky" + s};
    }

    /** Their shapes {rows, cols} (cols 0: a vector). */
    static int[][] blockShapes(int n, int d) {
        return new int[][] {{n, 0}, {n, n}, {n, n}, {n, n}, {d, n}, {d, 0}, {d, d}};
    }

    /** Per-thread scratch. */
    final class Scratch {
        final double[] lower = new double[Math.max(n, d) * Math.max(n, d)];
        final double[] r = new double[d * d];          // R_OO
        final double[] af = new double[n];
        final double[] pf = new double[n * n];
        final double[] u = new double[n * d];          // n × |O|
        final double[] s = new double[d * d];
        final double[] c = new double[d * d];
        final double[] sinv = new double[d * d];
        final double[] v = new double[d];
        final double[] w = new double[d];
        final double[] col = new double[d];
        final double[] su = new double[d * n];         // S⁻¹ Uᵀ, |O| × n
        final int[] index = new int[d];
        final double[] tmp = new double[n * n];
        final double[] g = new double[n * n];
        final double[] daf = new double[n];
        final double[] dpf = new double[n * n];
        final double[] du = new double[n * d];
        final double[] dsinv = new double[d * d];
        final double[] ds = new double[d * d];
        final double[] dm = new double[d * d];
        final double[] dv = new double[d];
        final double[] gd = new double[Math.max(n, d) * Math.max(n, d)];
        int observed;
    }

    Scratch scratch() {
        return new Scratch();
    }

    // L of the covariance block at off (k×k): below the diagonal as stored, the diagonal exponentiated (also the
    // HMM cell's Gaussians)
    static void lower(double[] theta, int off, int k, double[] out) {
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                out[i * k + j] = j < i ? theta[off + i * k + j] : j == i ? Math.exp(theta[off + i * k + i]) : 0;
            }
        }
    }

    // out = L Lᵀ (k×k) of the block at off, exactly symmetric
    static void covariance(double[] theta, int off, int k, double[] lower, double[] out) {
        lower(theta, off, k, lower);
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double v = 0;
                for (int q = 0; q <= j; q++) {
                    v += lower[i * k + q] * lower[j * k + q];
                }
                out[i * k + j] = v;
                out[j * k + i] = v;
            }
        }
    }

    // grad(L block) += (G + Gᵀ) L restricted to the lower triangle, the diagonal times L_ii (log-parametrised)
    private static void covarianceBackward(double[] theta, int off, int k, double[] dcov, double[] lower, double[] grad) {
        lower(theta, off, k, lower);
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double v = 0;
                for (int q = j; q < k; q++) {
                    v += (dcov[i * k + q] + dcov[q * k + i]) * lower[q * k + j];
                }
                grad[off + i * k + j] += i == j ? v * lower[i * k + i] : v;
            }
        }
    }

    /** h_0 = [m0; vec(P0)]. */
    void initial(double[] theta, double[] out, Scratch s) {
        System.arraycopy(theta, initialMean, out, 0, n);
        covariance(theta, initialCholesky, n, s.lower, s.tmp);
        System.arraycopy(s.tmp, 0, out, n, n * n);
    }

    void initialBackward(double[] theta, double[] dh, double[] grad, Scratch s) {
        for (int i = 0; i < n; i++) {
            grad[initialMean + i] += dh[i];
        }
        System.arraycopy(dh, n, s.g, 0, n * n);
        covarianceBackward(theta, initialCholesky, n, s.g, s.lower, grad);
    }

    // The correction with the observed components of y (NaN: missing) from h = [a; P]: fills s.af, s.pf and the
    // intermediates (s.observed = |O|, s.u, s.s, s.c, s.sinv, s.v, s.w). Returns false if nothing is observed.
    private boolean correct(double[] theta, double[] h, double[] y, Scratch s) {
        int o = 0;
        for (int j = 0; j < d; j++) {
            if (!Double.isNaN(y[j])) {
                s.index[o++] = j;
            }
        }
        s.observed = o;
        System.arraycopy(h, 0, s.af, 0, n);
        System.arraycopy(h, n, s.pf, 0, n * n);
        if (o == 0) {
            return false;
        }
        // U = P H_Oᵀ (n × o)
        for (int i = 0; i < n; i++) {
            for (int b = 0; b < o; b++) {
                int row = observation + s.index[b] * n;
                double v = 0;
                for (int k = 0; k < n; k++) {
                    v += h[n + i * n + k] * theta[row + k];
                }
                s.u[i * o + b] = v;
            }
        }
        covariance(theta, observationCholesky, d, s.lower, s.gd);
        for (int a = 0; a < o; a++) {
            int rowA = observation + s.index[a] * n;
            for (int b = 0; b < o; b++) {
                int rowB = observation + s.index[b] * n;
                double ab = 0;
                double ba = 0;
                for (int k = 0; k < n; k++) {
                    ab += theta[rowA + k] * s.u[k * o + b];
                    ba += theta[rowB + k] * s.u[k * o + a];
                }
                s.r[a * o + b] = s.gd[s.index[a] * d + s.index[b]];
                s.s[a * o + b] = 0.5 * (ab + ba) + s.r[a * o + b];
            }
            double mean = theta[observationOffset + s.index[a]];
            for (int k = 0; k < n; k++) {
                mean += theta[rowA + k] * h[k];
            }
            s.v[a] = y[s.index[a]] - mean;
        }
        Cholesky.factor(s.s, o, s.c);
        for (int b = 0; b < o; b++) {
            Arrays.fill(s.col, 0, o, 0);
            s.col[b] = 1;
            Cholesky.solveLower(s.c, o, s.col);
            Cholesky.solveUpperTransposed(s.c, o, s.col);
            for (int a = 0; a < o; a++) {
                s.sinv[a * o + b] = s.col[a];
            }
        }
        for (int a = 0; a < o; a++) {
            double v = 0;
            for (int b = 0; b < o; b++) {
                v += s.sinv[a * o + b] * s.v[b];
            }
            s.w[a] = v;
        }
        // S⁻¹ Uᵀ (o × n)
        for (int a = 0; a < o; a++) {
            for (int i = 0; i < n; i++) {
                double v = 0;
                for (int b = 0; b < o; b++) {
                    v += s.sinv[a * o + b] * s.u[i * o + b];
                }
                s.su[a * n + i] = v;
            }
        }
        for (int i = 0; i < n; i++) {
            double v = 0;
            for (int a = 0; a < o; a++) {
                v += s.u[i * o + a] * s.w[a];
            }
            s.af[i] += v;
            for (int j = 0; j < n; j++) {
                double q = 0;
                for (int a = 0; a < o; a++) {
                    q += s.u[i * o + a] * s.su[a * n + j];
                }
                s.pf[i * n + j] -= q;
            }
        }
        return true;
    }

    /** One step t >= 1: h_{t-1} = {@code prev}, drift {@code z} (n), o_{t-1} = {@code y}; h_t into {@code out}. */
    void step(double[] theta, double[] prev, double[] z, double[] y, double[] out, Scratch s) {
        correct(theta, prev, y, s);
        // a' = F a_f + z
        for (int i = 0; i < n; i++) {
            double v = z[i];
            for (int k = 0; k < n; k++) {
                v += theta[transition + i * n + k] * s.af[k];
            }
            out[i] = v;
        }
        // tmp = F P_f; P' = sym(tmp Fᵀ) + Q
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = 0;
                for (int k = 0; k < n; k++) {
                    v += theta[transition + i * n + k] * s.pf[k * n + j];
                }
                s.tmp[i * n + j] = v;
            }
        }
        covariance(theta, processCholesky, n, s.lower, s.g);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double ij = 0;
                double ji = 0;
                for (int k = 0; k < n; k++) {
                    ij += s.tmp[i * n + k] * theta[transition + j * n + k];
                    ji += s.tmp[j * n + k] * theta[transition + i * n + k];
                }
                double v = 0.5 * (ij + ji) + s.g[i * n + j];
                out[n + i * n + j] = v;
                out[n + j * n + i] = v;
            }
        }
    }

    /**
     * Backward of {@link #step}: given dh_t, writes dz (n) into {@code dz}, adds dh_{t-1} into {@code dPrev} (when
     * non-null) and the parameters' gradient into {@code grad}.
     */
    void stepBackward(double[] theta, double[] prev, double[] y, double[] dh, double[] dz, double[] dPrev, double[] grad,
            Scratch s) {
        correct(theta, prev, y, s);
        int f = transition;
        // G = sym(dP'); dQ = G; dF += G F P_fᵀ + Gᵀ F P_f; dP_f = Fᵀ G F; a' = F a_f + z
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s.g[i * n + j] = 0.5 * (dh[n + i * n + j] + dh[n + j * n + i]);
            }
        }
        covarianceBackward(theta, processCholesky, n, s.g, s.lower, grad);
        for (int i = 0; i < n; i++) {
            dz[i] = dh[i];
        }
        // tmp = F P_f
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = 0;
                for (int k = 0; k < n; k++) {
                    v += theta[f + i * n + k] * s.pf[k * n + j];
                }
                s.tmp[i * n + j] = v;
            }
        }
        // dF_ij += Σ_k G_ik (F P_f)ᵀ... : (G F P_fᵀ)_ij + (Gᵀ F P_f)_ij, G symmetric: 2 (G F sym(P_f))_ij; use both terms
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = dh[i] * s.af[j];
                for (int k = 0; k < n; k++) {
                    // (G F P_fᵀ)_ij = Σ_k G_ik (F P_fᵀ)_kj ; (F P_fᵀ)_kj = Σ_q F_kq P_f[j][q]
                    // (Gᵀ F P_f)_ij = Σ_k G_ki (F P_f)_kj
                    double fpt = 0;
                    for (int q = 0; q < n; q++) {
                        fpt += theta[f + k * n + q] * s.pf[j * n + q];
                    }
                    v += s.g[i * n + k] * fpt + s.g[k * n + i] * s.tmp[k * n + j];
                }
                grad[f + i * n + j] += v;
            }
        }
        // da_f = Fᵀ da'; dP_f = Fᵀ G F
        for (int j = 0; j < n; j++) {
            double v = 0;
            for (int i = 0; i < n; i++) {
                v += theta[f + i * n + j] * dh[i];
            }
            s.daf[j] = v;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = 0;
                for (int k = 0; k < n; k++) {
                    v += s.g[i * n + k] * theta[f + k * n + j];
                }
                s.tmp[i * n + j] = v; // G F
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = 0;
                for (int k = 0; k < n; k++) {
                    v += theta[f + k * n + i] * s.tmp[k * n + j];
                }
                s.dpf[i * n + j] = v;
            }
        }
        if (dPrev == null && s.observed == 0) {
            return;
        }
        correctBackward(theta, prev, s.daf, s.dpf, dPrev, grad, s);
    }

    // Backward of correct(): given da_f, dP_f, adds da, dP into dPrev (if non-null) and the H, c, R gradients.
    private void correctBackward(double[] theta, double[] h, double[] daf, double[] dpf, double[] dPrev, double[] grad,
            Scratch s) {
        int o = s.observed;
        if (o == 0) {
            if (dPrev != null) {
                for (int i = 0; i < n; i++) {
                    dPrev[i] += daf[i];
                }
                for (int i = 0; i < n * n; i++) {
                    dPrev[n + i] += dpf[i];
                }
            }
            return;
        }
        // dU = da_f wᵀ - (dP_f + dP_fᵀ) U S⁻¹ ; dS⁻¹ = -Uᵀ dP_f U + dw vᵀ ; dw = Uᵀ da_f
        for (int i = 0; i < n; i++) {
            for (int b = 0; b < o; b++) {
                double v = daf[i] * s.w[b];
                for (int k = 0; k < n; k++) {
                    double sym = dpf[i * n + k] + dpf[k * n + i];
                    // (U S⁻¹)_kb = Σ_a U_ka S⁻¹_ab = (S⁻¹ Uᵀ)ᵀ_kb = su[b][k] (S⁻¹ symmetric)
                    v -= sym * s.su[b * n + k];
                }
                s.du[i * o + b] = v;
            }
        }
        for (int a = 0; a < o; a++) {
            double dw = 0;
            for (int i = 0; i < n; i++) {
                dw += s.u[i * o + a] * daf[i];
            }
            s.col[a] = dw;
        }
        for (int a = 0; a < o; a++) {
            for (int b = 0; b < o; b++) {
                double v = s.col[a] * s.v[b];
                for (int i = 0; i < n; i++) {
                    double t = 0;
                    for (int j = 0; j < n; j++) {
                        t += dpf[i * n + j] * s.u[j * o + b];
                    }
                    v -= s.u[i * o + a] * t;
                }
                s.dsinv[a * o + b] = v;
            }
        }
        // dv = S⁻¹ᵀ dw
        for (int a = 0; a < o; a++) {
            double v = 0;
            for (int b = 0; b < o; b++) {
                v += s.sinv[b * o + a] * s.col[b];
            }
            s.dv[a] = v;
        }
        // dS = -S⁻¹ᵀ dS⁻¹ S⁻¹ᵀ
        for (int a = 0; a < o; a++) {
            for (int b = 0; b < o; b++) {
                double v = 0;
                for (int p = 0; p < o; p++) {
                    double inner = 0;
                    for (int q = 0; q < o; q++) {
                        inner += s.dsinv[p * o + q] * s.sinv[b * o + q];
                    }
                    v += s.sinv[p * o + a] * inner;
                }
                s.ds[a * o + b] = -v;
            }
        }
        if (dPrev != null) {
            for (int i = 0; i < n; i++) {
                dPrev[i] += daf[i];
            }
            for (int i = 0; i < n * n; i++) {
                dPrev[n + i] += dpf[i];
            }
        }
        innovationBackward(theta, h, s.dv, s.ds, dPrev, grad, s);
    }

    // Given dv (o) and dS (o×o) for v = y_O - H_O a - c_O and S = sym(H_O P H_Oᵀ) + R_OO (U = P H_Oᵀ already in
    // s.u), adds dU's own part s.du (o columns, zero when called from the head), and propagates to a, P, H, c, R.
    private void innovationBackward(double[] theta, double[] h, double[] dv, double[] ds, double[] dPrev, double[] grad,
            Scratch s) {
        int o = s.observed;
        // dR_OO = dS -> embed; dM = sym(dS)
        Arrays.fill(s.gd, 0, d * d, 0);
        for (int a = 0; a < o; a++) {
            for (int b = 0; b < o; b++) {
                s.gd[s.index[a] * d + s.index[b]] = ds[a * o + b];
                s.dm[a * o + b] = 0.5 * (ds[a * o + b] + ds[b * o + a]);
            }
        }
        covarianceBackward(theta, observationCholesky, d, s.gd, s.lower, grad);
        // M = H_O U: dH_O += dM Uᵀ; dU += H_Oᵀ dM
        for (int a = 0; a < o; a++) {
            int row = observation + s.index[a] * n;
            for (int k = 0; k < n; k++) {
                double v = 0;
                for (int b = 0; b < o; b++) {
                    v += s.dm[a * o + b] * s.u[k * o + b];
                }
                grad[row + k] += v;
            }
        }
        for (int k = 0; k < n; k++) {
            for (int b = 0; b < o; b++) {
                double v = 0;
                for (int a = 0; a < o; a++) {
                    v += theta[observation + s.index[a] * n + k] * s.dm[a * o + b];
                }
                s.du[k * o + b] += v;
            }
        }
        // v = y_O - H_O a - c_O
        for (int a = 0; a < o; a++) {
            int row = observation + s.index[a] * n;
            grad[observationOffset + s.index[a]] -= dv[a];
            for (int k = 0; k < n; k++) {
                grad[row + k] -= dv[a] * h[k];
                if (dPrev != null) {
                    dPrev[k] -= theta[row + k] * dv[a];
                }
            }
        }
        // U = P H_Oᵀ: dP += dU H_O; dH_O += dUᵀ P
        for (int b = 0; b < o; b++) {
            int row = observation + s.index[b] * n;
            for (int k = 0; k < n; k++) {
                double v = 0;
                for (int i = 0; i < n; i++) {
                    v += s.du[i * o + b] * h[n + i * n + k];
                }
                grad[row + k] += v;
            }
        }
        if (dPrev != null) {
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < n; k++) {
                    double v = 0;
                    for (int b = 0; b < o; b++) {
                        v += s.du[i * o + b] * theta[observation + s.index[b] * n + k];
                    }
                    dPrev[n + i * n + k] += v;
                }
            }
        }
    }

    /**
     * The head's loss -log N(y_O; H_O a + c_O, S) for one row (0 when y is missing); with {@code dh} non-null,
     * writes its gradient in h there and adds the parameters' gradient into {@code grad}.
     */
    double loss(double[] theta, double[] h, double[] y, double[] dh, double[] grad, Scratch s) {
        if (dh != null) {
            Arrays.fill(dh, 0, n + n * n, 0);
        }
        if (!correct(theta, h, y, s)) {
            return 0;
        }
        int o = s.observed;
        double q = 0;
        for (int a = 0; a < o; a++) {
            q += s.v[a] * s.w[a];
        }
        double value = 0.5 * (o * SpecialFunctions.LOG_2PI + Cholesky.logDeterminant(s.c, o) + q);
        if (dh == null) {
            return value;
        }
        // dloss/dv = S⁻¹ v = w, dloss/dS = ½ (S⁻¹ - w wᵀ)
        for (int a = 0; a < o; a++) {
            s.dv[a] = s.w[a];
            for (int b = 0; b < o; b++) {
                s.ds[a * o + b] = 0.5 * (s.sinv[a * o + b] - s.w[a] * s.w[b]);
            }
        }
        Arrays.fill(s.du, 0, n * o, 0);
        innovationBackward(theta, h, s.dv, s.ds, dh, grad, s);
        return value;
    }

    /** The predictive mean H a + c into out[0..d). */
    void predictiveMean(double[] theta, double[] h, double[] out) {
        for (int j = 0; j < d; j++) {
            double v = theta[observationOffset + j];
            for (int k = 0; k < n; k++) {
                v += theta[observation + j * n + k] * h[k];
            }
            out[j] = v;
        }
    }

    /** The predictive covariance H P Hᵀ + R (d×d row-major), exactly symmetric. */
    void predictiveCovariance(double[] theta, double[] h, double[] out, Scratch s) {
        covariance(theta, observationCholesky, d, s.lower, s.gd);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double v = 0;
                for (int k = 0; k < n; k++) {
                    double hp = 0;
                    for (int q = 0; q < n; q++) {
                        hp += theta[observation + i * n + q] * h[n + q * n + k];
                    }
                    v += hp * theta[observation + j * n + k];
                }
                out[i * d + j] = v + s.gd[i * d + j];
                out[j * d + i] = out[i * d + j];
            }
        }
    }
}
