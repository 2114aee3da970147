package org.statespace.kalman;

import org.statespace.DataException;
import org.statespace.NumericalException;

/**
 * The fixed-interval smoother of a {@link LinearGaussianModel}: from the moments a forward Kalman filter
 * pass stored ({@link FilterMoments}; the smoother never runs the filter itself), the backward recursion
 * of Durbin &amp; Koopman (2012,
 * sec. 4.4) — the form of the Rauch-Tung-Striebel smoother that needs no inverse of a predicted
 * covariance, so it works with singular Q and with missing and partly missing observations. With
 * W_t = H_oᵀ F_oo⁻¹ H_o and s_t = H_oᵀ F_oo⁻¹ v_t (zero for a missing row), and r, N accumulated from the end
 * (r = 0, N = 0 after the last step):
 *
 * <pre>
 *   r  ← s_t + (I - W_t P_t) Fᵀ r,            N ← W_t + (I - W_t P_t) Fᵀ N F (I - P_t W_t)
 *   E[x_t | all]   = a_t + P_t r,             Var[x_t | all] = P_t - P_t N P_t
 *   Cov[x_t, x_{t+1} | all] = P_t|t Fᵀ (I - N_{t+1} P_{t+1})     (N_{t+1}: N before step t was folded in)
 * </pre>
 *
 * These are the smoothed moments of the RTS smoother. Steps of an exact diffuse start use the exact
 * initial smoothing of Durbin &amp; Koopman (2012, sec. 5.3) in its univariate form: r = r⁽⁰⁾ + κ⁻¹ r⁽¹⁾ and
 * N = N⁽⁰⁾ + κ⁻¹ N⁽¹⁾ + κ⁻² N⁽²⁾ are carried as their coefficients (all cross terms kept, so every N⁽ʲ⁾ is
 * symmetric), and the moments are the κ⁰ coefficients of the expressions above:
 * E[x_t | all] = a + P_* r⁽⁰⁾ + P_∞ r⁽¹⁾, Var = P_* - P_* N⁽⁰⁾ P_* - P_* N⁽¹⁾ P_∞ - P_∞ N⁽¹⁾ P_* - P_∞ N⁽²⁾ P_∞, and
 * Cov[x_t, x_{t+1}] = P_*|t Fᵀ (I - N⁽⁰⁾ P_* - N⁽¹⁾ P_∞) - P_∞|t Fᵀ (N⁽¹⁾ P_* + N⁽²⁾ P_∞) (predicted moments of
 * t+1 on the right).
 */
final class KalmanSmoother {
    private KalmanSmoother() {
    }

    /** Smoothed means (T×n), covariances (T×n×n) and lag-one cross-covariances Cov[x_t, x_{t-1}] (T×n×n, t = 0 NaN). */
    record Smoothed(FilterMoments moments, double[] means, double[] covariances, double[] lagOne) {
    }

    /**
     * The smoothed moments from the filter's stored ones ({@link FilterMoments#record}): {@link Backward} run over
     * the packed arrays from the last step to the first.
     *
     * @throws DataException when part of a diffuse initial state is still diffuse after the last step
     */
    static Smoothed smooth(FilterMoments rec) {
        int length = rec.length;
        int n = rec.n;
        int nn = n * n;
        requireIdentified(rec.sequenceId, length, rec.diffuseAtEnd);
        double[] means = new double[length * n];
        double[] covs = new double[length * nn];
        double[] lagOne = new double[length * nn];
        java.util.Arrays.fill(lagOne, 0, Math.min(length, 1) * nn, Double.NaN);
        Backward backward = new Backward(n, rec.transition, rec.sequenceId, length, rec.diffuseSteps);
        FilterMoments.Step in = backward.in;
        for (int t = length - 1; t >= 0; t--) {
            in.copyFrom(rec, t);
            if (t < length - 1) {
                System.arraycopy(rec.predictedCovariances, (t + 1) * nn, backward.nextPredictedCovariance, 0, nn);
            }
            backward.step(t);
            System.arraycopy(backward.mean, 0, means, t * n, n);
            System.arraycopy(backward.covariance, 0, covs, t * nn, nn);
            if (t < length - 1) {
                backward.lagOneInto(lagOne, (t + 1) * nn);
            }
        }
        return new Smoothed(rec, means, covs, lagOne);
    }

    /** The error of a sequence whose diffuse initial state is still partly diffuse after its last step. */
    static void requireIdentified(String sequenceId, int length, boolean diffuseAtEnd) {
        if (length > 0 && diffuseAtEnd) {
            throw new DataException("sequence '" + sequenceId + "' (" + length + " steps) does not identify the "
                    + "diffuse initial state: some of it is still diffuse after the last observation, so it cannot be smoothed");
        }
    }

    /**
     * The backward recursion one step at a time, from the last step to the first: the one kernel of the in-memory
     * smoother ({@link #smooth}) and of the spilled one ({@link SpilledKalman}). Before {@link #step step(t)} the
     * caller puts step t's stored moments in {@link #in} and, for t &lt; T-1, P_{t+1} in
     * {@link #nextPredictedCovariance}; after it, {@link #mean}, {@link #covariance} hold E[x_t | all], Var[x_t | all]
     * and {@link #cross} Cov[x_t, x_{t+1} | all] (for t &lt; T-1). The diffuse steps, a prefix of the sequence, are
     * held by the caller in a list. Workspaces are allocated once (the diffuse steps' few allocate as before).
     */
    static final class Backward {
        final int n;
        private final double[] f;
        private final String sequenceId;
        private final int length;
        private final java.util.List<FilterMoments.DiffuseStep> diffuseSteps;
        private final int diffuseCount;
        /** Step t's stored moments, filled by the caller. */
        final FilterMoments.Step in;
        /** P_{t+1}, filled by the caller for t &lt; T-1. */
        final double[] nextPredictedCovariance;
        /** E[x_t | all] (n), Var[x_t | all] (n×n), Cov[x_t, x_{t+1} | all] (n×n) after {@link #step}. */
        final double[] mean;
        final double[] covariance;
        final double[] cross;
        private final double[] r0;
        private final double[] r1;
        private final double[] n0;
        private final double[] n1;
        private final double[] n2;
        private final double[] tv;
        private final double[] t2;
        private final double[] t3;
        private final double[] zeros;

        Backward(int n, double[] transition, String sequenceId, int length,
                java.util.List<FilterMoments.DiffuseStep> diffuseSteps) {
            this.n = n;
            int nn = n * n;
            this.f = transition;
            this.sequenceId = sequenceId;
            this.length = length;
            this.diffuseSteps = diffuseSteps;
            this.diffuseCount = diffuseSteps.size();
            in = new FilterMoments.Step(n);
            nextPredictedCovariance = new double[nn];
            mean = new double[n];
            covariance = new double[nn];
            cross = new double[nn];
            r0 = new double[n];
            r1 = new double[n];
            n0 = new double[nn];
            n1 = new double[nn];
            n2 = new double[nn];
            tv = new double[n];
            t2 = new double[nn];
            t3 = new double[nn];
            zeros = new double[nn];
        }

        /** Cov[x_{t+1}, x_t | all] = crossᵀ into {@code lagOne[offset ..]}. */
        void lagOneInto(double[] lagOne, int offset) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    lagOne[offset + i * n + j] = cross[j * n + i];
                }
            }
        }

        /** Folds step t in (t = T-1, T-2, ..., 0 in turn). */
        void step(int t) {
            int nn = n * n;
            double[] pred = in.predictedCovariance;
            boolean diffuse = t < diffuseCount;
            if (t < length - 1) {
                // Cov[x_t, x_{t+1}] from N before folding in step t, then move r, N back through F
                double[] pNext = nextPredictedCovariance;
                double[] pInfNext = t + 1 < diffuseCount ? diffuseSteps.get(t + 1).predictedDiffuse : zeros;
                double[] pInfFiltered = diffuse ? diffuseSteps.get(t).filteredDiffuse : zeros;
                System.arraycopy(crossCovariance(f, in.filteredCovariance, 0, pInfFiltered, pNext, pInfNext,
                        n0, n1, n2, n), 0, cross, 0, nn);
                transposeTimes(f, r0, tv, n);
                System.arraycopy(tv, 0, r0, 0, n);
                congruence(f, n0, t2, t3, n);
                if (t + 1 < diffuseCount) {
                    transposeTimes(f, r1, tv, n);
                    System.arraycopy(tv, 0, r1, 0, n);
                    congruence(f, n1, t2, t3, n);
                    congruence(f, n2, t2, t3, n);
                }
            }
            if (!diffuse) {
                // Here r0 = Fᵀ r_{t+1} and n0 = Fᵀ N_{t+1} F (zero after the last step). The moments are taken
                // from the filtered ones, E = a_t|t + P_t|t r0 and V = P_t|t - P_t|t n0 P_t|t, which equal
                // a + P r and P - P N P after step t is folded in, but subtract terms of the size of P_t|t
                // rather than of P_t: when P_t is huge (an explosive or barely observed state) the latter lose
                // every digit and leave a negative variance.
                double[] pf = in.filteredCovariance;
                for (int i = 0; i < n; i++) {
                    double sum = in.filteredMean[i];
                    for (int j = 0; j < n; j++) {
                        sum += pf[i * n + j] * r0[j];
                    }
                    mean[i] = sum;
                }
                Dense.multiply(pf, n0, t2, n, n, n);
                for (int i = 0; i < n; i++) {
                    for (int j = i; j < n; j++) {
                        double sum = pf[i * n + j];
                        for (int l = 0; l < n; l++) {
                            sum -= t2[i * n + l] * pf[l * n + j];
                        }
                        covariance[i * n + j] = sum;
                        covariance[j * n + i] = sum;
                    }
                }
                regularStep(in, pred, r0, n0, t2, t3, tv, n);
            } else {
                FilterMoments.DiffuseStep d = diffuseSteps.get(t);
                diffuseStep(d, r0, r1, n0, n1, n2, n);
                double[] pInf = d.predictedDiffuse;
                for (int i = 0; i < n; i++) {
                    double sum = in.predictedMean[i];
                    for (int j = 0; j < n; j++) {
                        sum += pred[i * n + j] * r0[j] + pInf[i * n + j] * r1[j];
                    }
                    mean[i] = sum;
                }
                double[] v = new double[nn];
                double[] a = product3(pred, n0, pred, n);
                double[] b = product3(pred, n1, pInf, n);
                double[] c = product3(pInf, n2, pInf, n);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        v[i * n + j] = pred[i * n + j] - a[i * n + j] - b[i * n + j] - b[j * n + i] - c[i * n + j];
                    }
                }
                Dense.symmetrize(v, n);
                System.arraycopy(v, 0, covariance, 0, nn);
            }
            requireVariances(sequenceId, t, covariance, in.filteredCovariance, n);
        }
    }

    /**
     * A smoothed variance can never exceed the filtered one nor fall below zero; one that falls below zero
     * by more than rounding (1e-7 of the filtered variance it was subtracted from; rounding over long, nearly
     * noiseless sequences reaches 1e-8) means the backward
     * pass lost its digits, and every moment built on it would be wrong. That happens when the filter's
     * covariances are enormous: an explosive transition (an eigenvalue of modulus well above 1) or a state
     * the observations barely reach, often where EM has wandered.
     */
    private static void requireVariances(String sequenceId, int t, double[] covs, double[] filtered, int n) {
        for (int i = 0; i < n; i++) {
            double v = covs[i * n + i];
            double scale = Math.max(1, Math.abs(filtered[i * n + i]));
            if (!(v >= -1e-7 * scale)) {
                throw new NumericalException("sequence '" + sequenceId + "', step " + t + ": the smoothed variance of "
                        + "state " + i + " is " + v + " (filtered variance " + filtered[i * n + i] + "): the "
                        + "smoother lost its precision, as it does when the state's covariance grows without bound "
                        + "(an explosive transition matrix, or a state the observations do not determine)");
            }
        }
    }

    // r ← s + (I - W P) r ; N ← W + (I - W P) N (I - P W)
    private static void regularStep(FilterMoments.Step in, double[] pred, double[] r, double[] nMat, double[] t2,
            double[] t3, double[] tv, int n) {
        double[] w = in.information;
        // G = I - W P (t2)
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = i == j ? 1 : 0;
                for (int l = 0; l < n; l++) {
                    sum -= w[i * n + l] * pred[l * n + j];
                }
                t2[i * n + j] = sum;
            }
        }
        for (int i = 0; i < n; i++) {
            double sum = in.score[i];
            for (int j = 0; j < n; j++) {
                sum += t2[i * n + j] * r[j];
            }
            tv[i] = sum;
        }
        System.arraycopy(tv, 0, r, 0, n);
        // N ← W + G N Gᵀ
        Dense.multiply(t2, nMat, t3, n, n, n);
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double sum = w[i * n + j];
                for (int l = 0; l < n; l++) {
                    sum += t3[i * n + l] * t2[j * n + l];
                }
                nMat[i * n + j] = sum;
                nMat[j * n + i] = sum;
            }
        }
    }

    // One diffuse step, components from last to first (Durbin & Koopman 2012, sec. 5.3, univariate form).
    private static void diffuseStep(FilterMoments.DiffuseStep d, double[] r0, double[] r1, double[] n0, double[] n1, double[] n2, int n) {
        KalmanState.DiffuseComponents c = d.components;
        int nn = n * n;
        double[] l0 = new double[nn];
        double[] l1 = new double[nn];
        double[] l2 = new double[nn];
        double[] zz = new double[nn];
        for (int i = d.count - 1; i >= 0; i--) {
            int zi = i * n;
            double v = c.innovations[i];
            double fInf = c.diffuseVariances[i];
            double fStar = c.variances[i];
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    zz[a * n + b] = c.rows[zi + a] * c.rows[zi + b];
                }
            }
            if (fInf > 0) {
                double[] k0 = new double[n];
                double[] k1 = new double[n];
                double[] k2 = new double[n];
                for (int a = 0; a < n; a++) {
                    k0[a] = c.diffuseGains[zi + a] / fInf;
                    k1[a] = (c.gains[zi + a] - k0[a] * fStar) / fInf;
                    k2[a] = -fStar / fInf * k1[a];
                }
                fillGainMatrix(l0, k0, c.rows, zi, n, true);
                fillGainMatrix(l1, k1, c.rows, zi, n, false);
                fillGainMatrix(l2, k2, c.rows, zi, n, false);
                double f1 = 1 / fInf;
                double f2 = -fStar / (fInf * fInf);
                // r1 ← z v F1 + L0ᵀ r1 + L1ᵀ r0 ;  r0 ← L0ᵀ r0
                double[] nr1 = new double[n];
                double[] nr0 = new double[n];
                for (int a = 0; a < n; a++) {
                    double s1 = c.rows[zi + a] * v * f1;
                    double s0 = 0;
                    for (int b = 0; b < n; b++) {
                        s1 += l0[b * n + a] * r1[b] + l1[b * n + a] * r0[b];
                        s0 += l0[b * n + a] * r0[b];
                    }
                    nr1[a] = s1;
                    nr0[a] = s0;
                }
                System.arraycopy(nr1, 0, r1, 0, n);
                System.arraycopy(nr0, 0, r0, 0, n);
                // N2 ← zzᵀ F2 + L0ᵀN2L0 + L1ᵀN1L0 + L0ᵀN1L1 + L1ᵀN0L1 + L2ᵀN0L0 + L0ᵀN0L2
                double[] nn2 = sum(scaled(zz, f2), quad(l0, n2, l0, n), quad(l1, n1, l0, n), quad(l0, n1, l1, n),
                        quad(l1, n0, l1, n), quad(l2, n0, l0, n), quad(l0, n0, l2, n));
                // N1 ← zzᵀ F1 + L0ᵀN1L0 + L1ᵀN0L0 + L0ᵀN0L1
                double[] nn1 = sum(scaled(zz, f1), quad(l0, n1, l0, n), quad(l1, n0, l0, n), quad(l0, n0, l1, n));
                double[] nn0 = quad(l0, n0, l0, n);
                Dense.storeSymmetric(nn0, n0, n);
                Dense.storeSymmetric(nn1, n1, n);
                Dense.storeSymmetric(nn2, n2, n);
            } else {
                double[] k = new double[n];
                for (int a = 0; a < n; a++) {
                    k[a] = c.gains[zi + a] / fStar;
                }
                fillGainMatrix(l0, k, c.rows, zi, n, true);
                double[] nr0 = new double[n];
                double[] nr1 = new double[n];
                for (int a = 0; a < n; a++) {
                    double s0 = c.rows[zi + a] * v / fStar;
                    double s1 = 0;
                    for (int b = 0; b < n; b++) {
                        s0 += l0[b * n + a] * r0[b];
                        s1 += l0[b * n + a] * r1[b];
                    }
                    nr0[a] = s0;
                    nr1[a] = s1;
                }
                System.arraycopy(nr0, 0, r0, 0, n);
                System.arraycopy(nr1, 0, r1, 0, n);
                double[] nn0 = sum(scaled(zz, 1 / fStar), quad(l0, n0, l0, n));
                double[] nn1 = quad(l0, n1, l0, n);
                double[] nn2 = quad(l0, n2, l0, n);
                Dense.storeSymmetric(nn0, n0, n);
                Dense.storeSymmetric(nn1, n1, n);
                Dense.storeSymmetric(nn2, n2, n);
            }
        }
    }

    // out = (identity ? I : 0) - k zᵀ
    private static void fillGainMatrix(double[] out, double[] k, double[] rows, int zi, int n, boolean identity) {
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                out[a * n + b] = (identity && a == b ? 1 : 0) - k[a] * rows[zi + b];
            }
        }
    }

    // Aᵀ N B
    private static double[] quad(double[] a, double[] nMat, double[] b, int n) {
        double[] nb = new double[n * n];
        Dense.multiply(nMat, b, nb, n, n, n);
        double[] out = new double[n * n];
        Dense.multiplyTransposeA(a, nb, out, n, n, n);
        return out;
    }

    // A B C
    private static double[] product3(double[] a, double[] b, double[] c, int n) {
        double[] ab = new double[n * n];
        Dense.multiply(a, b, ab, n, n, n);
        double[] out = new double[n * n];
        Dense.multiply(ab, c, out, n, n, n);
        return out;
    }

    private static double[] scaled(double[] a, double s) {
        double[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= s;
        }
        return out;
    }

    private static double[] sum(double[]... terms) {
        double[] out = new double[terms[0].length];
        for (double[] term : terms) {
            for (int i = 0; i < out.length; i++) {
                out[i] += term[i];
            }
        }
        return out;
    }

    // Cov[x_t, x_{t+1}] = P_*|t Fᵀ (I - N0 P_* - N1 P_∞) - P_∞|t Fᵀ (N1 P_* + N2 P_∞), moments of t+1 on the right
    private static double[] crossCovariance(double[] f, double[] filteredCovariances, int offset, double[] pInfFiltered,
            double[] pNext, double[] pInfNext, double[] n0, double[] n1, double[] n2, int n) {
        int nn = n * n;
        double[] pf = java.util.Arrays.copyOfRange(filteredCovariances, offset, offset + nn);
        double[] pfFt = new double[nn];
        Dense.multiplyTransposeB(pf, f, pfFt, n, n, n);
        double[] inner = new double[nn];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = i == j ? 1 : 0;
                for (int l = 0; l < n; l++) {
                    sum -= n0[i * n + l] * pNext[l * n + j] + n1[i * n + l] * pInfNext[l * n + j];
                }
                inner[i * n + j] = sum;
            }
        }
        double[] out = new double[nn];
        Dense.multiply(pfFt, inner, out, n, n, n);
        if (Dense.maxAbs(pInfFiltered, nn) > 0) {
            double[] piFt = new double[nn];
            Dense.multiplyTransposeB(pInfFiltered, f, piFt, n, n, n);
            double[] second = new double[nn];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int l = 0; l < n; l++) {
                        sum += n1[i * n + l] * pNext[l * n + j] + n2[i * n + l] * pInfNext[l * n + j];
                    }
                    second[i * n + j] = sum;
                }
            }
            double[] minus = new double[nn];
            Dense.multiply(piFt, second, minus, n, n, n);
            for (int i = 0; i < nn; i++) {
                out[i] -= minus[i];
            }
        }
        return out;
    }

    // out = Fᵀ r
    private static void transposeTimes(double[] f, double[] r, double[] out, int n) {
        Dense.multiplyTransposeVector(f, r, out, n, n);
    }

    // N ← Fᵀ N F
    private static void congruence(double[] f, double[] nMat, double[] t2, double[] t3, int n) {
        Dense.multiply(nMat, f, t2, n, n, n);
        Dense.multiplyTransposeA(f, t2, t3, n, n, n);
        Dense.symmetrize(t3, n);
        System.arraycopy(t3, 0, nMat, 0, n * n);
    }
}
