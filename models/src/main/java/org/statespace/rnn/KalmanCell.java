package org.statespace.rnn;

import java.util.Arrays;

import org.statespace.NumericalException;
import org.statespace.kalman.DiffuseComponentUpdate;
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
 *
 * <p>Feedthrough (layer option, {@code "feedthrough": true}): the layer has n + d pre-activations; the last d,
 * e_t (D u_t through {@code weight_ih} = [0 | D], or any learned shift), are carried in the state
 * h = [a; vec(P); e] and shift the predicted observation: N(H a + c + e, ·), v = o_O - H_O a - c_O - e_O.
 *
 * <p>Exact diffuse start (layer option {@code "diffuseStates"}): the state carries the diffuse part P_∞ of the
 * predicted covariance P = P_* + κ P_∞ (κ → ∞) after P_*, h = [a; vec(P_*); vec(P_∞) (; e)], with P_∞,0 = 1 on
 * the diagonal of the diffuse states. While P_∞ ≠ 0 (the diffuse phase) the correction is the exact diffuse
 * one of Durbin &amp; Koopman (2012, sec. 5.2): the observed components are whitened by C = chol(R_OO)
 * (rows C⁻¹ H_O, residuals C⁻¹ (o_O - c_O - e_O), unit noise) and conditioned on one at a time by
 * {@link DiffuseComponentUpdate} (the kernel of the model family's own diffuse filter), P_∞ is set to zero once
 * it counts as zero, and it predicts P_∞' = sym(F P_∞ Fᵀ). The head's loss of a diffuse step is minus the
 * diffuse log-likelihood terms (-½ (log 2π + log F_∞) for a component with F_∞ &gt; 0, the usual Gaussian term
 * otherwise, plus log|C|); its predictive law is N(H a + c + e, F_* + κ F_∞) with κ = 1e7 · max(1, max diag F_*)
 * ({@link DiffuseComponentUpdate#PREDICTIVE_SCALE}), as the model family reports it. The backward pass
 * differentiates the branch taken (which components were diffuse, when P_∞ became zero), which is fixed
 * under small changes of the parameters.
 *
 * <p>Learned gain (layer option {@code "learnedGain": true}): the innovations form of a steady-state Kalman filter,
 * whose gain and innovation covariance are parameters instead of the covariance recursion. Blocks
 * {@code initial_mean}, {@code transition} F, {@code observation} H, {@code observation_offset} c, {@code gain} K
 * (n×d) and {@code innovation_cholesky} (d×d, S = L Lᵀ, log-diagonal); state h = [x̂ (; e)]:
 * <pre>
 *   v_O = o_O - H_O x̂ - c_O - e_O,   x̂' = F x̂ + K_O v_O + z   (K_O: the columns of the observed components)
 *   head: o_t ~ N(H x̂ + c + e, S), loss ½ (|O| log 2π + log det S_OO + v_Oᵀ S_OO⁻¹ v_O)
 * </pre>
 * With K = F P Hᵀ S⁻¹ and S = H P Hᵀ + R for the fixed point P of the Riccati recursion, it is the Kalman
 * filter of a time-invariant model once that filter has converged.
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
    /** Whether the state carries P_∞ (an exact diffuse start), at {@link #inf}. */
    final boolean diffuse;
    final int[] diffuseStates;
    /** Where P_∞ starts in the state (n + n²). */
    final int inf;
    /** The observation shift's width (0 or d) and where it starts in the state. */
    final int shift;
    final int shiftOffset;
    /** Innovations form: the gain K (n×d) and the innovation covariance's factor (d×d) are parameters (else -1). */
    final boolean learnedGain;
    /** Q and R diagonal: their blocks are the log standard deviations (n, d) instead of factors. */
    final boolean diagonalNoise;
    final int gain;
    final int innovationCholesky;

    KalmanCell(RnnArchitecture a, int layer) {
        this.layer = layer;
        this.n = a.layer(layer).hiddenSize();
        this.d = a.head().outputSize();
        Layer l = a.layer(layer);
        this.diffuse = !l.diffuseStates().isEmpty();
        this.diffuseStates = l.diffuseStates().stream().mapToInt(Integer::intValue).toArray();
        this.inf = n + n * n;
        this.shift = l.feedthrough();
        this.learnedGain = l.learnedGain();
        this.shiftOffset = learnedGain ? n : n + n * n + (diffuse ? n * n : 0);
        String s = "_l" + layer;
        initialMean = a.block("initial_mean" + s).offset();
        transition = a.block("transition" + s).offset();
        observation = a.block("observation" + s).offset();
        observationOffset = a.block("observation_offset" + s).offset();
        initialCholesky = learnedGain ? -1 : a.block("initial_cholesky" + s).offset();
        this.diagonalNoise = l.diagonalNoise();
        processCholesky = learnedGain ? -1 : a.block((diagonalNoise ? "process_log_diagonal" : "process_cholesky") + s).offset();
        observationCholesky = learnedGain ? -1
                : a.block((diagonalNoise ? "observation_log_diagonal" : "observation_cholesky") + s).offset();
        gain = learnedGain ? a.block("gain" + s).offset() : -1;
        innovationCholesky = learnedGain ? a.block("innovation_cholesky" + s).offset() : -1;
    }

    /** The block names of a Kalman layer's own parameters, in layout order. */
    static String[] blockNames(Layer l, int layer) {
        String s = "_l" + layer;
        if (l.learnedGain()) {
            return new String[] {"initial_mean" + s, "transition" + s, "observation" + s, "observation_offset" + s,
                "gain" + s, "innovation_cholesky" + s};
        }
        if (l.diagonalNoise()) {
            return new String[] {"initial_mean" + s, "initial_cholesky" + s, "transition" + s, "process_log_diagonal" + s,
                "observation" + s, "observation_offset" + s, "observation_log_diagonal" + s};
        }
        return new String[] {"initial_mean" + s, "initial_cholesky" + s, "transition" + s, "process_cholesky" + s,
            "observation" + s, "observation_offset" + s, "observation_cholesky" + s};
    }

    /** Their shapes {rows, cols} (cols 0: a vector). */
    static int[][] blockShapes(Layer l, int d) {
        int n = l.hiddenSize();
        if (l.learnedGain()) {
            return new int[][] {{n, 0}, {n, n}, {d, n}, {d, 0}, {n, d}, {d, d}};
        }
        if (l.diagonalNoise()) {
            return new int[][] {{n, 0}, {n, n}, {n, n}, {n, 0}, {d, n}, {d, 0}, {d, 0}};
        }
        return new int[][] {{n, 0}, {n, n}, {n, n}, {n, n}, {d, n}, {d, 0}, {d, d}};
    }

    // Q or R (k×k) into out from its block at off: L Lᵀ, or diag(exp(2 θ)) with diagonal noise
    private void noise(double[] theta, int off, int k, double[] lower, double[] out) {
        if (!diagonalNoise) {
            covariance(theta, off, k, lower, out);
            return;
        }
        Arrays.fill(out, 0, k * k, 0);
        for (int i = 0; i < k; i++) {
            double sd = Math.exp(theta[off + i]);
            out[i * k + i] = sd * sd;
        }
    }

    // backward of noise(): dθ_i = 2 G_ii σ_i² with diagonal noise
    private void noiseBackward(double[] theta, int off, int k, double[] dcov, double[] lower, double[] grad) {
        if (!diagonalNoise) {
            covarianceBackward(theta, off, k, dcov, lower, grad);
            return;
        }
        for (int i = 0; i < k; i++) {
            double sd = Math.exp(theta[off + i]);
            grad[off + i] += 2 * dcov[i * k + i] * sd * sd;
        }
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
        // the exact diffuse correction: filtered P_∞, whether it is still non-zero, the whitened rows and
        // residuals, the per-component values and the belief before each component (for the backward pass)
        final double[] pinf = new double[diffuse ? n * n : 0];
        boolean filteredDiffuse;
        final double[] rows = new double[diffuse ? d * n : 0];
        final double[] residuals = new double[diffuse ? d : 0];
        final double[] mInf = new double[diffuse ? d * n : 0];
        final double[] mStar = new double[diffuse ? d * n : 0];
        final double[] innovations = new double[diffuse ? d : 0];
        final double[] fInf = new double[diffuse ? d : 0];
        final double[] fStar = new double[diffuse ? d : 0];
        final double[] before = new double[diffuse ? d * (n + 2 * n * n) : 0];
        final double[] dpinf = new double[diffuse ? n * n : 0];
        final double[] drows = new double[diffuse ? d * n : 0];
        final double[] dres = new double[diffuse ? d : 0];
        final double[] dmInf = new double[diffuse ? n : 0];
        final double[] dmStar = new double[diffuse ? n : 0];
        final double[] dc = new double[diffuse ? d * d : 0];
        final double[] sizeBefore = new double[1];
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
        product(lower, k, out);
    }

    // out = L Lᵀ (k×k) of a lower-triangular L, exactly symmetric
    static void product(double[] lower, int k, double[] out) {
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

    /** h_0 = [m0; vec(P0)] (; P_∞,0 = diagonal of the diffuse states) (; e_0 = the last d of {@code z}). */
    void initial(double[] theta, double[] z, double[] out, Scratch s) {
        System.arraycopy(theta, initialMean, out, 0, n);
        if (learnedGain) {
            System.arraycopy(z, n, out, shiftOffset, shift);
            return;
        }
        covariance(theta, initialCholesky, n, s.lower, s.tmp);
        System.arraycopy(s.tmp, 0, out, n, n * n);
        if (diffuse) {
            Arrays.fill(out, inf, inf + n * n, 0);
            for (int i : diffuseStates) {
                out[inf + i * n + i] = 1;
            }
        }
        System.arraycopy(z, n, out, shiftOffset, shift);
    }

    /** Backward of {@link #initial}: the parameters' gradient into {@code grad}, the shift's into dz (n + shift). */
    void initialBackward(double[] theta, double[] dh, double[] dz, double[] grad, Scratch s) {
        for (int i = 0; i < n; i++) {
            grad[initialMean + i] += dh[i];
            dz[i] = 0;
        }
        System.arraycopy(dh, shiftOffset, dz, n, shift);
        if (learnedGain) {
            return;
        }
        System.arraycopy(dh, n, s.g, 0, n * n);
        covarianceBackward(theta, initialCholesky, n, s.g, s.lower, grad);
    }

    /** Whether the predicted belief h still has a diffuse part (P_∞ ≠ 0): the step lies in the diffuse phase. */
    boolean inDiffusePhase(double[] h) {
        if (!diffuse) {
            return false;
        }
        for (int i = 0; i < n * n; i++) {
            if (h[inf + i] != 0) {
                return true;
            }
        }
        return false;
    }

    // the observed components of y (NaN: missing) into s.index, their count into s.observed; returns it
    private int observedComponents(double[] y, Scratch s) {
        int o = 0;
        for (int j = 0; j < d; j++) {
            if (!Double.isNaN(y[j])) {
                s.index[o++] = j;
            }
        }
        s.observed = o;
        return o;
    }

    // the observation shift of h for component j (0 without a feedthrough)
    private double shiftOf(double[] h, int j) {
        return shift == 0 ? 0 : h[shiftOffset + j];
    }

    // The correction with the observed components of y (NaN: missing) from h = [a; P]: fills s.af, s.pf and the
    // intermediates (s.observed = |O|, s.u, s.s, s.c, s.sinv, s.v, s.w). Returns false if nothing is observed.
    private boolean correct(double[] theta, double[] h, double[] y, Scratch s) {
        int o = observedComponents(y, s);
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
        noise(theta, observationCholesky, d, s.lower, s.gd);
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
            double mean = theta[observationOffset + s.index[a]] + shiftOf(h, s.index[a]);
            for (int k = 0; k < n; k++) {
                mean += theta[rowA + k] * h[k];
            }
            s.v[a] = y[s.index[a]] - mean;
        }
        Cholesky.factor(s.s, o, s.c);
        Cholesky.inverse(s.c, o, s.col, s.sinv);
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

    /** One step t >= 1: h_{t-1} = {@code prev}, pre-activations {@code z} (n + shift), o_{t-1} = {@code y}; h_t into {@code out}. */
    void step(double[] theta, double[] prev, double[] z, double[] y, double[] out, Scratch s) {
        if (learnedGain) {
            gainStep(theta, prev, z, y, out, s);
            return;
        }
        boolean diffusePhase = filter(theta, prev, y, s);
        // a' = F a_f + z
        for (int i = 0; i < n; i++) {
            double v = z[i];
            for (int k = 0; k < n; k++) {
                v += theta[transition + i * n + k] * s.af[k];
            }
            out[i] = v;
        }
        noise(theta, processCholesky, n, s.lower, s.g);
        sandwich(theta, s.pf, s.g, out, n, s);
        if (diffuse) {
            if (s.filteredDiffuse) {
                sandwich(theta, s.pinf, null, out, inf, s);
            } else {
                Arrays.fill(out, inf, inf + n * n, 0);
            }
        }
        System.arraycopy(z, n, out, shiftOffset, shift);
    }

    // the correction of step() with o_{t-1}: the exact diffuse one while prev is in the diffuse phase (returns true)
    private boolean filter(double[] theta, double[] prev, double[] y, Scratch s) {
        if (inDiffusePhase(prev)) {
            diffuseCorrect(theta, prev, y, s);
            return true;
        }
        correct(theta, prev, y, s);
        s.filteredDiffuse = false;
        return false;
    }

    // out[off..) = sym(F M Fᵀ) + add (add may be null), M symmetric n×n
    private void sandwich(double[] theta, double[] m, double[] add, double[] out, int off, Scratch s) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = 0;
                for (int k = 0; k < n; k++) {
                    v += theta[transition + i * n + k] * m[k * n + j];
                }
                s.tmp[i * n + j] = v;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double ij = 0;
                double ji = 0;
                for (int k = 0; k < n; k++) {
                    ij += s.tmp[i * n + k] * theta[transition + j * n + k];
                    ji += s.tmp[j * n + k] * theta[transition + i * n + k];
                }
                double v = 0.5 * (ij + ji) + (add == null ? 0 : add[i * n + j]);
                out[off + i * n + j] = v;
                out[off + j * n + i] = v;
            }
        }
    }

    // Backward of out = sym(F M Fᵀ) (+ add): G = sym(dOut) into s.g; dF += G F Mᵀ + Gᵀ F M; dM = Fᵀ G F into dm.
    private void sandwichBackward(double[] theta, double[] dout, int off, double[] m, double[] dm, double[] grad, Scratch s) {
        int f = transition;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s.g[i * n + j] = 0.5 * (dout[off + i * n + j] + dout[off + j * n + i]);
            }
        }
        // tmp = F M
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = 0;
                for (int k = 0; k < n; k++) {
                    v += theta[f + i * n + k] * m[k * n + j];
                }
                s.tmp[i * n + j] = v;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = 0;
                for (int k = 0; k < n; k++) {
                    // (G F Mᵀ)_ij = Σ_k G_ik (F Mᵀ)_kj, (F Mᵀ)_kj = Σ_q F_kq M[j][q]; (Gᵀ F M)_ij = Σ_k G_ki (F M)_kj
                    double fmt = 0;
                    for (int q = 0; q < n; q++) {
                        fmt += theta[f + k * n + q] * m[j * n + q];
                    }
                    v += s.g[i * n + k] * fmt + s.g[k * n + i] * s.tmp[k * n + j];
                }
                grad[f + i * n + j] += v;
            }
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
                dm[i * n + j] = v;
            }
        }
    }

    /**
     * Backward of {@link #step}: given dh_t, writes dz (n + shift) into {@code dz}, adds dh_{t-1} into {@code dPrev}
     * (when non-null) and the parameters' gradient into {@code grad}.
     */
    void stepBackward(double[] theta, double[] prev, double[] y, double[] dh, double[] dz, double[] dPrev, double[] grad,
            Scratch s) {
        if (learnedGain) {
            gainStepBackward(theta, prev, y, dh, dz, dPrev, grad, s);
            return;
        }
        boolean diffusePhase = filter(theta, prev, y, s);
        int f = transition;
        System.arraycopy(dh, 0, dz, 0, n);
        System.arraycopy(dh, shiftOffset, dz, n, shift);
        // a' = F a_f + z: dF += da' a_fᵀ, da_f = Fᵀ da'
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                grad[f + i * n + j] += dh[i] * s.af[j];
            }
        }
        for (int j = 0; j < n; j++) {
            double v = 0;
            for (int i = 0; i < n; i++) {
                v += theta[f + i * n + j] * dh[i];
            }
            s.daf[j] = v;
        }
        if (diffuse && s.filteredDiffuse) {
            sandwichBackward(theta, dh, inf, s.pinf, s.dpinf, grad, s);
        } else if (diffuse) {
            Arrays.fill(s.dpinf, 0); // P_∞ was set to zero: nothing flows back through it
        }
        // P' = sym(F P_f Fᵀ) + Q
        sandwichBackward(theta, dh, n, s.pf, s.dpf, grad, s);
        noiseBackward(theta, processCholesky, n, s.g, s.lower, grad);
        if (diffusePhase) {
            diffuseBackward(theta, prev, s.daf, s.dpf, s.dpinf, 0, dPrev, grad, s);
            return;
        }
        if (dPrev == null && s.observed == 0) {
            return;
        }
        correctBackward(theta, prev, s.daf, s.dpf, dPrev, grad, s);
    }

    // The exact diffuse correction of h = [a; P_*; P_∞ (; e)] with the observed components of y: fills s.af, s.pf,
    // s.pinf, s.filteredDiffuse and the per-component values; returns the log-density terms (0 if nothing observed).
    private double diffuseCorrect(double[] theta, double[] h, double[] y, Scratch s) {
        int o = observedComponents(y, s);
        System.arraycopy(h, 0, s.af, 0, n);
        System.arraycopy(h, n, s.pf, 0, n * n);
        System.arraycopy(h, inf, s.pinf, 0, n * n);
        s.filteredDiffuse = true;
        if (o == 0) {
            return 0;
        }
        // C = chol(R_OO); rows C⁻¹ H_O, residuals C⁻¹ (y_O - c_O - e_O)
        noise(theta, observationCholesky, d, s.lower, s.gd);
        for (int a = 0; a < o; a++) {
            for (int b = 0; b < o; b++) {
                s.r[a * o + b] = s.gd[s.index[a] * d + s.index[b]];
            }
            System.arraycopy(theta, observation + s.index[a] * n, s.rows, a * n, n);
            s.residuals[a] = y[s.index[a]] - theta[observationOffset + s.index[a]] - shiftOf(h, s.index[a]);
        }
        try {
            Cholesky.factor(s.r, o, s.c);
        } catch (NumericalException e) {
            throw new NumericalException("kalman layer " + layer + ": the exact diffuse correction needs the observed block "
                    + "of the observation covariance to be positive definite (" + e.getMessage() + ")");
        }
        double term = 0;
        for (int a = 0; a < o; a++) {
            double diagonal = s.c[a * o + a];
            for (int k = 0; k < n; k++) {
                double v = s.rows[a * n + k];
                for (int b = 0; b < a; b++) {
                    v -= s.c[a * o + b] * s.rows[b * n + k];
                }
                s.rows[a * n + k] = v / diagonal;
            }
            double v = s.residuals[a];
            for (int b = 0; b < a; b++) {
                v -= s.c[a * o + b] * s.residuals[b];
            }
            s.residuals[a] = v / diagonal;
            term -= Math.log(diagonal);
        }
        double sizeBefore = 0;
        for (int i = 0; i < n * n; i++) {
            sizeBefore = Math.max(sizeBefore, Math.abs(s.pinf[i]));
        }
        s.sizeBefore[0] = sizeBefore;
        int block = n + 2 * n * n;
        for (int a = 0; a < o; a++) {
            System.arraycopy(s.af, 0, s.before, a * block, n);
            System.arraycopy(s.pf, 0, s.before, a * block + n, n * n);
            System.arraycopy(s.pinf, 0, s.before, a * block + n + n * n, n * n);
            double part = DiffuseComponentUpdate.update(n, s.rows, a * n, s.residuals[a], 1, s.af, s.pf, s.pinf, sizeBefore,
                    s.mInf, s.mStar, s.innovations, s.fInf, s.fStar, a);
            if (Double.isNaN(part)) {
                throw new NumericalException("kalman layer " + layer + ": observation component " + s.index[a]
                        + " has zero predictive variance in the diffuse phase");
            }
            term += part;
        }
        if (DiffuseComponentUpdate.resolved(s.pinf, 0, n, sizeBefore)) {
            Arrays.fill(s.pinf, 0);
            s.filteredDiffuse = false;
        }
        return term;
    }

    /**
     * Backward of {@link #diffuseCorrect} (run just before): given da_f, dP_*f, dP_∞f (ignored once P_∞ was set to
     * zero) and the derivative {@code dterm} of the loss in the log-density terms, adds da, dP_*, dP_∞ (and de) into
     * {@code dPrev} (when non-null) and the H, c, R gradients into {@code grad}. Overwrites daf, dpf, dpinf.
     */
    private void diffuseBackward(double[] theta, double[] h, double[] daf, double[] dpf, double[] dpinf, double dterm,
            double[] dPrev, double[] grad, Scratch s) {
        int o = s.observed;
        if (!s.filteredDiffuse) {
            Arrays.fill(dpinf, 0);
        }
        int block = n + 2 * n * n;
        Arrays.fill(s.drows, 0, o * n, 0);
        for (int a = o - 1; a >= 0; a--) {
            int za = a * n;
            int base = a * block;
            double v = s.innovations[a];
            double fs = s.fStar[a];
            double fi = s.fInf[a];
            double dv;
            double dfs;
            Arrays.fill(s.dmInf, 0);
            Arrays.fill(s.dmStar, 0);
            if (fi > 0) {
                double k0 = v / fi;
                double c1 = fs / (fi * fi);
                double dk0 = 0;
                double dc1 = 0;
                double dfi = -0.5 * dterm / fi;
                double gsSym = 0; // m_*ᵀ (dP_* + dP_*ᵀ) m_∞
                for (int i = 0; i < n; i++) {
                    dk0 += daf[i] * s.mInf[za + i];
                    s.dmInf[i] += daf[i] * k0;
                }
                for (int i = 0; i < n; i++) {
                    double gmi = 0; // ((dP_* + dP_*ᵀ) m_∞)_i
                    double gms = 0; // ((dP_* + dP_*ᵀ) m_*)_i
                    double imi = 0; // ((dP_∞ + dP_∞ᵀ) m_∞)_i
                    for (int j = 0; j < n; j++) {
                        double gs = dpf[i * n + j] + dpf[j * n + i];
                        double gi = dpinf[i * n + j] + dpinf[j * n + i];
                        gmi += gs * s.mInf[za + j];
                        gms += gs * s.mStar[za + j];
                        imi += gi * s.mInf[za + j];
                        dc1 += s.mInf[za + i] * dpf[i * n + j] * s.mInf[za + j];
                        dfi += s.mInf[za + i] * dpinf[i * n + j] * s.mInf[za + j] / (fi * fi);
                    }
                    s.dmInf[i] += c1 * gmi - gms / fi - imi / fi;
                    s.dmStar[i] -= gmi / fi;
                    gsSym += s.mStar[za + i] * gmi;
                }
                dfi += gsSym / (fi * fi);
                dfs = dc1 / (fi * fi);
                dfi -= 2 * dc1 * fs / (fi * fi * fi);
                dv = dk0 / fi;
                dfi -= dk0 * v / (fi * fi);
                for (int i = 0; i < n; i++) {
                    s.dmInf[i] += dfi * s.rows[za + i];
                    s.drows[za + i] += dfi * s.mInf[za + i];
                }
            } else {
                double k0 = v / fs;
                double dk0 = 0;
                dfs = 0;
                for (int i = 0; i < n; i++) {
                    dk0 += daf[i] * s.mStar[za + i];
                    s.dmStar[i] += daf[i] * k0;
                }
                for (int i = 0; i < n; i++) {
                    double gms = 0;
                    for (int j = 0; j < n; j++) {
                        gms += (dpf[i * n + j] + dpf[j * n + i]) * s.mStar[za + j];
                        dfs += s.mStar[za + i] * dpf[i * n + j] * s.mStar[za + j] / (fs * fs);
                    }
                    s.dmStar[i] -= gms / fs;
                }
                dfs += -0.5 * dterm * (1 / fs - v * v / (fs * fs));
                dv = -dterm * v / fs + dk0 / fs;
                dfs -= dk0 * v / (fs * fs);
            }
            // F_* = zᵀ m_* + 1; m_∞ = P_∞ z; m_* = P_* z; v = e - zᵀ a (a, P as before this component)
            for (int i = 0; i < n; i++) {
                s.dmStar[i] += dfs * s.rows[za + i];
                s.drows[za + i] += dfs * s.mStar[za + i] - dv * s.before[base + i];
            }
            for (int i = 0; i < n; i++) {
                double zs = 0;
                double zi = 0;
                for (int j = 0; j < n; j++) {
                    zs += s.before[base + n + j * n + i] * s.dmStar[j];
                    zi += s.before[base + n + n * n + j * n + i] * s.dmInf[j];
                    dpf[i * n + j] += s.dmStar[i] * s.rows[za + j];
                    dpinf[i * n + j] += s.dmInf[i] * s.rows[za + j];
                }
                s.drows[za + i] += zs + zi;
                daf[i] -= dv * s.rows[za + i];
            }
            s.dres[a] = dv;
        }
        // the whitening: rows Z = C⁻¹ H_O, residuals C⁻¹ r, term -Σ log C_aa. W = C⁻ᵀ dZ, w = C⁻ᵀ dres.
        for (int a = o - 1; a >= 0; a--) {
            double diagonal = s.c[a * o + a];
            for (int k = 0; k < n; k++) {
                double v = s.drows[a * n + k];
                for (int b = a + 1; b < o; b++) {
                    v -= s.c[b * o + a] * s.drows[b * n + k];
                }
                s.drows[a * n + k] = v / diagonal;
            }
            double v = s.dres[a];
            for (int b = a + 1; b < o; b++) {
                v -= s.c[b * o + a] * s.dres[b];
            }
            s.dres[a] = v / diagonal;
        }
        // dC = -lower(W Zᵀ + w resᵀ), dC_aa -= dterm / C_aa
        for (int a = 0; a < o; a++) {
            for (int b = 0; b < o; b++) {
                double v = 0;
                if (b <= a) {
                    v = -s.dres[a] * s.residuals[b];
                    for (int k = 0; k < n; k++) {
                        v -= s.drows[a * n + k] * s.rows[b * n + k];
                    }
                    if (a == b) {
                        v -= dterm / s.c[a * o + a];
                    }
                }
                s.dc[a * o + b] = v;
            }
        }
        for (int a = 0; a < o; a++) {
            int row = observation + s.index[a] * n;
            for (int k = 0; k < n; k++) {
                grad[row + k] += s.drows[a * n + k];
            }
            grad[observationOffset + s.index[a]] -= s.dres[a];
            if (dPrev != null && shift > 0) {
                dPrev[shiftOffset + s.index[a]] -= s.dres[a];
            }
        }
        // Cholesky backward (Murray 2016): P = Φ(Cᵀ dC) (lower triangle, halved diagonal), dR_OO = C⁻ᵀ P C⁻¹
        for (int a = 0; a < o; a++) {
            for (int b = 0; b < o; b++) {
                double v = 0;
                if (b <= a) {
                    for (int q = a; q < o; q++) {
                        v += s.c[q * o + a] * s.dc[q * o + b];
                    }
                    if (a == b) {
                        v *= 0.5;
                    }
                }
                s.ds[a * o + b] = v;
            }
        }
        // X = C⁻ᵀ P (solve Cᵀ X = P column by column), then dR = X C⁻¹ (solve C Yᵀ = Xᵀ: rows of dR)
        for (int col = 0; col < o; col++) {
            for (int a = o - 1; a >= 0; a--) {
                double v = s.ds[a * o + col];
                for (int b = a + 1; b < o; b++) {
                    v -= s.c[b * o + a] * s.ds[b * o + col];
                }
                s.ds[a * o + col] = v / s.c[a * o + a];
            }
        }
        for (int row = 0; row < o; row++) {
            for (int a = o - 1; a >= 0; a--) {
                double v = s.ds[row * o + a];
                for (int b = a + 1; b < o; b++) {
                    v -= s.ds[row * o + b] * s.c[b * o + a];
                }
                s.ds[row * o + a] = v / s.c[a * o + a];
            }
        }
        Arrays.fill(s.gd, 0, d * d, 0);
        for (int a = 0; a < o; a++) {
            for (int b = 0; b < o; b++) {
                s.gd[s.index[a] * d + s.index[b]] = s.ds[a * o + b];
            }
        }
        noiseBackward(theta, observationCholesky, d, s.gd, s.lower, grad);
        if (dPrev != null) {
            for (int i = 0; i < n; i++) {
                dPrev[i] += daf[i];
            }
            for (int i = 0; i < n * n; i++) {
                dPrev[n + i] += dpf[i];
                dPrev[inf + i] += dpinf[i];
            }
        }
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
        noiseBackward(theta, observationCholesky, d, s.gd, s.lower, grad);
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
            if (dPrev != null && shift > 0) {
                dPrev[shiftOffset + s.index[a]] -= dv[a];
            }
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
            Arrays.fill(dh, 0, shiftOffset + shift, 0);
        }
        if (learnedGain) {
            return gainLoss(theta, h, y, dh, grad, s);
        }
        if (inDiffusePhase(h)) {
            // minus the exact diffuse log-likelihood terms
            double term = diffuseCorrect(theta, h, y, s);
            if (dh != null && s.observed > 0) {
                Arrays.fill(s.daf, 0);
                Arrays.fill(s.dpf, 0);
                Arrays.fill(s.dpinf, 0);
                diffuseBackward(theta, h, s.daf, s.dpf, s.dpinf, -1, dh, grad, s);
            }
            return -term;
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

    /** The predictive mean H a + c (+ e) into out[0..d). */
    void predictiveMean(double[] theta, double[] h, double[] out) {
        for (int j = 0; j < d; j++) {
            double v = theta[observationOffset + j] + shiftOf(h, j);
            for (int k = 0; k < n; k++) {
                v += theta[observation + j * n + k] * h[k];
            }
            out[j] = v;
        }
    }

    /**
     * The predictive covariance H P Hᵀ + R (d×d row-major), exactly symmetric; in the diffuse phase
     * F_* + κ F_∞ with F_* = H P_* Hᵀ + R, F_∞ = H P_∞ Hᵀ and κ = 1e7 · max(1, max diag F_*), as the model family
     * reports it.
     */
    void predictiveCovariance(double[] theta, double[] h, double[] out, Scratch s) {
        if (learnedGain) {
            covariance(theta, innovationCholesky, d, s.lower, out);
            return;
        }
        finiteCovariance(theta, h, n, out, s);
        if (!inDiffusePhase(h)) {
            return;
        }
        double scale = 1;
        for (int i = 0; i < d; i++) {
            scale = Math.max(scale, out[i * d + i]);
        }
        addObserved(theta, h, inf, DiffuseComponentUpdate.PREDICTIVE_SCALE * scale, out);
    }

    // H P Hᵀ + R with P at h[off..)
    private void finiteCovariance(double[] theta, double[] h, int off, double[] out, Scratch s) {
        noise(theta, observationCholesky, d, s.lower, s.gd);
        System.arraycopy(s.gd, 0, out, 0, d * d);
        addObserved(theta, h, off, 1, out);
    }

    // out += weight · H M Hᵀ (d×d, mirrored from the lower triangle) with M at h[off..)
    private void addObserved(double[] theta, double[] h, int off, double weight, double[] out) {
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double v = 0;
                for (int k = 0; k < n; k++) {
                    double hp = 0;
                    for (int q = 0; q < n; q++) {
                        hp += theta[observation + i * n + q] * h[off + q * n + k];
                    }
                    v += hp * theta[observation + j * n + k];
                }
                out[i * d + j] += weight * v;
                out[j * d + i] = out[i * d + j];
            }
        }
    }
    // ------------------------------------------------------------------------------------------------
    // innovations form (learned gain): h = [x̂ (; e)]
    //   v_O = o_O - H_O x̂ - c_O - e_O,  x̂' = F x̂ + K_O v_O + z,  e' = the last d of z
    //   head: o_t ~ N(H x̂ + c + e, S), S = L Lᵀ (innovation_cholesky), loss -log N(v_O; 0, S_OO)

    // v_O into s.v, O into s.index / s.observed
    private void innovation(double[] theta, double[] h, double[] y, Scratch s) {
        int o = observedComponents(y, s);
        for (int a = 0; a < o; a++) {
            int j = s.index[a];
            double mean = theta[observationOffset + j] + shiftOf(h, j);
            for (int k = 0; k < n; k++) {
                mean += theta[observation + j * n + k] * h[k];
            }
            s.v[a] = y[j] - mean;
        }
    }

    private void gainStep(double[] theta, double[] prev, double[] z, double[] y, double[] out, Scratch s) {
        innovation(theta, prev, y, s);
        int o = s.observed;
        for (int i = 0; i < n; i++) {
            double v = z[i];
            for (int k = 0; k < n; k++) {
                v += theta[transition + i * n + k] * prev[k];
            }
            for (int a = 0; a < o; a++) {
                v += theta[gain + i * d + s.index[a]] * s.v[a];
            }
            out[i] = v;
        }
        System.arraycopy(z, n, out, shiftOffset, shift);
    }

    private void gainStepBackward(double[] theta, double[] prev, double[] y, double[] dh, double[] dz, double[] dPrev,
            double[] grad, Scratch s) {
        innovation(theta, prev, y, s);
        int o = s.observed;
        System.arraycopy(dh, 0, dz, 0, n);
        System.arraycopy(dh, shiftOffset, dz, n, shift);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                grad[transition + i * n + k] += dh[i] * prev[k];
            }
            for (int a = 0; a < o; a++) {
                grad[gain + i * d + s.index[a]] += dh[i] * s.v[a];
            }
        }
        for (int a = 0; a < o; a++) {
            double dv = 0;
            for (int i = 0; i < n; i++) {
                dv += theta[gain + i * d + s.index[a]] * dh[i];
            }
            s.dv[a] = dv;
        }
        innovationBackwardGain(theta, prev, s.dv, dPrev, grad, s);
        if (dPrev != null) {
            for (int k = 0; k < n; k++) {
                double v = 0;
                for (int i = 0; i < n; i++) {
                    v += theta[transition + i * n + k] * dh[i];
                }
                dPrev[k] += v;
            }
        }
    }

    // given dv (o), the H, c gradients and dx̂, de into dh (when non-null)
    private void innovationBackwardGain(double[] theta, double[] h, double[] dv, double[] dh, double[] grad, Scratch s) {
        for (int a = 0; a < s.observed; a++) {
            int j = s.index[a];
            grad[observationOffset + j] -= dv[a];
            for (int k = 0; k < n; k++) {
                grad[observation + j * n + k] -= dv[a] * h[k];
                if (dh != null) {
                    dh[k] -= theta[observation + j * n + k] * dv[a];
                }
            }
            if (dh != null && shift > 0) {
                dh[shiftOffset + j] -= dv[a];
            }
        }
    }

    private double gainLoss(double[] theta, double[] h, double[] y, double[] dh, double[] grad, Scratch s) {
        innovation(theta, h, y, s);
        int o = s.observed;
        if (o == 0) {
            return 0;
        }
        covariance(theta, innovationCholesky, d, s.lower, s.gd);
        for (int a = 0; a < o; a++) {
            for (int b = 0; b < o; b++) {
                s.s[a * o + b] = s.gd[s.index[a] * d + s.index[b]];
            }
        }
        Cholesky.factor(s.s, o, s.c);
        for (int a = 0; a < o; a++) {
            s.w[a] = s.v[a];
        }
        Cholesky.solveLower(s.c, o, s.w);
        double q = 0;
        for (int a = 0; a < o; a++) {
            q += s.w[a] * s.w[a];
        }
        Cholesky.solveUpperTransposed(s.c, o, s.w); // w = S_OO⁻¹ v
        double value = 0.5 * (o * SpecialFunctions.LOG_2PI + Cholesky.logDeterminant(s.c, o) + q);
        if (dh == null) {
            return value;
        }
        // dloss/dv = w, dloss/dS_OO = ½ (S_OO⁻¹ - w wᵀ)
        Cholesky.inverse(s.c, o, s.col, s.sinv);
        Arrays.fill(s.gd, 0, d * d, 0);
        for (int a = 0; a < o; a++) {
            for (int b = 0; b < o; b++) {
                s.gd[s.index[a] * d + s.index[b]] = 0.5 * (s.sinv[a * o + b] - s.w[a] * s.w[b]);
            }
        }
        covarianceBackward(theta, innovationCholesky, d, s.gd, s.lower, grad);
        innovationBackwardGain(theta, h, s.w, dh, grad, s);
        return value;
    }
}
