package org.statespace.hmm;

import java.util.random.RandomGenerator;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import org.statespace.NumericalException;
import org.statespace.data.Sequence;
import org.statespace.numeric.Cholesky;
import org.statespace.numeric.SpecialFunctions;

/**
 * A fixed set of n Gaussians N(μ_i, Σ_i) in d dimensions, the building block of Gaussian and
 * Gaussian-mixture emissions (n = K states, or K·C mixture components). Each Σ_i is kept expanded
 * (d×d) with its Cholesky factor and log-normaliser; {@code diagonal} marks that every Σ_i is diagonal,
 * which the kernels exploit. Immutable; the per-step work uses a {@link Scratch}.
 */
final class GaussianComponents {
    final int count;
    final int d;
    final boolean diagonal;
    final double[] means;          // count×d
    final double[][] covariances;  // count of d×d, row-major
    final double[][] factors;      // Cholesky factors L, Σ = L Lᵀ
    final double[] variances;      // count×d, the diagonals
    final double[] precisions;     // count×d, 1 / variances (used when diagonal)
    final double[] logVariances;   // count×d
    final double[] logNormalizers; // count: -(d log 2π + log det Σ_i) / 2

    private GaussianComponents(int count, int d, boolean diagonal, double[] means, double[][] covariances) {
        this.count = count;
        this.d = d;
        this.diagonal = diagonal;
        this.means = means;
        this.covariances = covariances;
        this.factors = new double[count][d * d];
        this.variances = new double[count * d];
        this.precisions = new double[count * d];
        this.logVariances = new double[count * d];
        this.logNormalizers = new double[count];
        for (int i = 0; i < count; i++) {
            Cholesky.factor(covariances[i], d, factors[i]);
            for (int j = 0; j < d; j++) {
                double v = covariances[i][j * d + j];
                variances[i * d + j] = v;
                precisions[i * d + j] = 1 / v;
                logVariances[i * d + j] = Math.log(v);
            }
            double logDet = diagonal ? sum(logVariances, i * d, d) : Cholesky.logDeterminant(factors[i], d);
            logNormalizers[i] = -0.5 * (d * SpecialFunctions.LOG_2PI + logDet);
        }
    }

    private static double sum(double[] a, int from, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[from + i];
        }
        return s;
    }

    /**
     * Components with full covariances (each d×d row-major, symmetric positive definite).
     *
     * @throws NumericalException if a covariance is not positive definite
     */
    static GaussianComponents full(int count, int d, double[] means, double[][] covariances) {
        double[][] copies = new double[count][];
        for (int i = 0; i < count; i++) {
            copies[i] = covariances[i].clone();
        }
        return new GaussianComponents(count, d, d == 1, means.clone(), copies);
    }

    /** Components with diagonal covariances given by their variances (count×d, all positive). */
    static GaussianComponents diagonal(int count, int d, double[] means, double[] variances) {
        double[][] covs = new double[count][d * d];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < d; j++) {
                covs[i][j * d + j] = variances[i * d + j];
            }
        }
        return new GaussianComponents(count, d, true, means.clone(), covs);
    }

    /** Scratch for one thread: the observed part of the current observation and solver buffers. */
    static final class Scratch {
        final int d;
        final int[] observed;
        final int[] missing;
        final double[] values;     // observed values, in observed order
        int observedCount;
        int missingCount;
        final double[] residual;
        final double[] solved;
        final double[] sub;
        final double[] subFactor;
        final double[] expected;   // E[y - μ | observed part], d
        final double[] conditional; // conditional covariance of the missing block, d×d

        Scratch(int d) {
            this.d = d;
            observed = new int[d];
            missing = new int[d];
            values = new double[d];
            residual = new double[d];
            solved = new double[d];
            sub = new double[d * d];
            subFactor = new double[d * d];
            expected = new double[d];
            conditional = new double[d * d];
        }

        /** Loads observation t; returns the number of observed components (0: missing). */
        int load(Sequence sequence, int t) {
            int n = 0;
            int m = 0;
            for (int j = 0; j < d; j++) {
                double v = sequence.value(t, j);
                if (Double.isNaN(v)) {
                    missing[m++] = j;
                } else {
                    observed[n] = j;
                    values[n++] = v;
                }
            }
            observedCount = n;
            missingCount = m;
            return n;
        }

        /** Loads a full observation y[offset..offset+d). */
        void loadValues(double[] y, int offset) {
            for (int j = 0; j < d; j++) {
                observed[j] = j;
                values[j] = y[offset + j];
            }
            observedCount = d;
            missingCount = 0;
        }
    }

    Scratch newScratch() {
        return new Scratch(d);
    }

    /** log N(y_o; μ_o, Σ_oo) of component i for the observation loaded in {@code w} (at least one observed). */
    double logDensity(int i, Scratch w) {
        int n = w.observedCount;
        double[] mu = means;
        int base = i * d;
        if (diagonal) {
            double q = 0;
            if (n == d) {
                for (int j = 0; j < d; j++) {
                    double r = w.values[j] - mu[base + j];
                    q += r * (r * precisions[base + j]); // scaled before squaring: r² alone overflows from |r| ≈ 1.3e154
                }
                return logNormalizers[i] - 0.5 * q;
            }
            double logDet = 0;
            for (int a = 0; a < n; a++) {
                int j = w.observed[a];
                double r = w.values[a] - mu[base + j];
                q += r * (r * precisions[base + j]);
                logDet += logVariances[base + j];
            }
            return -0.5 * (n * SpecialFunctions.LOG_2PI + logDet + q);
        }
        if (n == d) {
            for (int j = 0; j < d; j++) {
                w.residual[j] = w.values[j] - mu[base + j];
            }
            Cholesky.solveLower(factors[i], d, w.residual);
            double q = 0;
            for (int j = 0; j < d; j++) {
                q += w.residual[j] * w.residual[j];
            }
            return logNormalizers[i] - 0.5 * q;
        }
        factorObserved(i, w);
        for (int a = 0; a < n; a++) {
            w.residual[a] = w.values[a] - mu[base + w.observed[a]];
        }
        Cholesky.solveLower(w.subFactor, n, w.residual);
        double q = 0;
        for (int a = 0; a < n; a++) {
            q += w.residual[a] * w.residual[a];
        }
        return -0.5 * (n * SpecialFunctions.LOG_2PI + Cholesky.logDeterminant(w.subFactor, n) + q);
    }

    // Σ_oo of component i into w.sub and its Cholesky factor into w.subFactor.
    private void factorObserved(int i, Scratch w) {
        int n = w.observedCount;
        double[] cov = covariances[i];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                w.sub[a * n + b] = cov[w.observed[a] * d + w.observed[b]];
            }
        }
        Cholesky.factor(w.sub, n, w.subFactor);
    }

    /** Draws y ~ N(μ_i, Σ_i) into {@code out[offset..offset+d)}. */
    void sample(int i, RandomGenerator random, double[] out, int offset, Scratch w) {
        for (int j = 0; j < d; j++) {
            w.residual[j] = random.nextGaussian();
        }
        double[] l = factors[i];
        for (int a = 0; a < d; a++) {
            double s = means[i * d + a];
            for (int b = 0; b <= a; b++) {
                s += l[a * d + b] * w.residual[b];
            }
            out[offset + a] = s;
        }
    }

    /**
     * Adds {@code weight} times the expected centred statistics of the loaded observation under
     * component i: first[i·d..] += weight E[y - μ_i], and second += weight E[(y - μ_i)(y - μ_i)ᵀ]
     * (the lower triangle of a d×d block at i·d·d when {@code fullSecond}, else the diagonal at i·d).
     * Missing components are replaced by their conditional distribution given the observed ones.
     */
    void accumulate(int i, double weight, Scratch w, double[] first, double[] second, boolean fullSecond) {
        int n = w.observedCount;
        int base = i * d;
        double[] e = w.expected;
        boolean partial = n < d;
        if (!partial) {
            for (int j = 0; j < d; j++) {
                e[j] = w.values[j] - means[base + j];
            }
        } else {
            conditionalMoments(i, w);
        }
        for (int j = 0; j < d; j++) {
            first[base + j] += weight * e[j];
        }
        if (fullSecond) {
            int b2 = i * d * d;
            for (int a = 0; a < d; a++) {
                double wa = weight * e[a];
                for (int b = 0; b <= a; b++) {
                    second[b2 + a * d + b] += wa * e[b];
                }
            }
            if (partial) {
                for (int p = 0; p < w.missingCount; p++) {
                    int a = w.missing[p];
                    for (int q = 0; q < w.missingCount; q++) {
                        int b = w.missing[q];
                        if (b <= a) {
                            second[b2 + a * d + b] += weight * w.conditional[a * d + b];
                        }
                    }
                }
            }
        } else {
            for (int j = 0; j < d; j++) {
                second[base + j] += weight * e[j] * e[j];
            }
            if (partial) {
                for (int p = 0; p < w.missingCount; p++) {
                    int a = w.missing[p];
                    second[base + a] += weight * w.conditional[a * d + a];
                }
            }
        }
    }

    // E[y - μ | y_o] into w.expected and Cov[y_m | y_o] into w.conditional (missing block only).
    private void conditionalMoments(int i, Scratch w) {
        int n = w.observedCount;
        int base = i * d;
        double[] e = w.expected;
        double[] cov = covariances[i];
        for (int a = 0; a < n; a++) {
            e[w.observed[a]] = w.values[a] - means[base + w.observed[a]];
        }
        if (diagonal || n == 0) {
            for (int p = 0; p < w.missingCount; p++) {
                int a = w.missing[p];
                e[a] = 0;
                w.conditional[a * d + a] = cov[a * d + a];
                for (int q = 0; q < w.missingCount; q++) {
                    int b = w.missing[q];
                    if (b != a) {
                        w.conditional[a * d + b] = diagonal ? 0 : cov[a * d + b];
                    }
                }
            }
            return;
        }
        factorObserved(i, w);
        // x = Σ_oo⁻¹ r_o, E[y_m - μ_m | y_o] = Σ_mo x
        for (int a = 0; a < n; a++) {
            w.solved[a] = w.values[a] - means[base + w.observed[a]];
        }
        solveObserved(w, w.solved);
        for (int p = 0; p < w.missingCount; p++) {
            e[w.missing[p]] = rowTimesObserved(cov, w.missing[p], w, w.solved);
        }
        // Cov[y_m | y_o] = Σ_mm - Σ_mo Σ_oo⁻¹ Σ_om, one column of Σ_oo⁻¹ Σ_om at a time
        for (int q = 0; q < w.missingCount; q++) {
            int b = w.missing[q];
            for (int c = 0; c < n; c++) {
                w.residual[c] = cov[w.observed[c] * d + b];
            }
            solveObserved(w, w.residual);
            for (int p = 0; p < w.missingCount; p++) {
                int a = w.missing[p];
                w.conditional[a * d + b] = cov[a * d + b] - rowTimesObserved(cov, a, w, w.residual);
            }
        }
    }

    // v ← Σ_oo⁻¹ v with the factor in w.subFactor
    private static void solveObserved(Scratch w, double[] v) {
        Cholesky.solveLower(w.subFactor, w.observedCount, v);
        Cholesky.solveUpperTransposed(w.subFactor, w.observedCount, v);
    }

    // Σ_{a,o} · v: row a of the covariance restricted to the observed components
    private double rowTimesObserved(double[] cov, int a, Scratch w, double[] v) {
        double s = 0;
        for (int c = 0; c < w.observedCount; c++) {
            s += cov[a * d + w.observed[c]] * v[c];
        }
        return s;
    }

    // ----------------------------------------------------------------------------------------------
    // M-step helpers

    /**
     * From centred statistics of one component (total weight N, first = Σ w (y - μ_old), second = Σ w
     * (y - μ_old)(y - μ_old)ᵀ as a lower triangle or a diagonal), writes the mean shift δ = first/N into
     * {@code delta} and the scatter about the new mean, second/N - δδᵀ, into {@code scatter} (a full
     * symmetric d×d when {@code fullSecond}, else d variances).
     */
    static void scatter(int d, double n, double[] first, int firstOffset, double[] second, int secondOffset,
            boolean fullSecond, double[] delta, double[] scatter) {
        for (int j = 0; j < d; j++) {
            delta[j] = first[firstOffset + j] / n;
        }
        if (fullSecond) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b <= a; b++) {
                    double s = second[secondOffset + a * d + b] / n - delta[a] * delta[b];
                    scatter[a * d + b] = s;
                    scatter[b * d + a] = s;
                }
            }
        } else {
            for (int j = 0; j < d; j++) {
                scatter[j] = second[secondOffset + j] / n - delta[j] * delta[j];
            }
        }
    }

    /**
     * The symmetric d×d matrix nearest to {@code s} whose eigenvalues are all at least {@code floor}
     * (&gt; 0): s itself when it already is, else V max(Λ, floor) Vᵀ. This is the maximiser of the
     * Gaussian likelihood over covariances with eigenvalues &gt;= floor, so a floored M-step still never
     * lowers the likelihood. Returns {@code null} if s is not finite.
     */
    static double[] floorCovariance(double[] s, int d, double floor) {
        return clipCovariance(s, d, floor, Double.POSITIVE_INFINITY);
    }

    /**
     * As {@link #floorCovariance}, with the eigenvalues also at most {@code ceiling} (&ge; floor): V clip(Λ) Vᵀ,
     * the maximiser of the Gaussian likelihood over covariances whose eigenvalues lie in [floor, ceiling].
     */
    static double[] clipCovariance(double[] s, int d, double floor, double ceiling) {
        for (double v : s) {
            if (!Double.isFinite(v)) {
                return null;
            }
        }
        double[] out = new double[d * d];
        if (d == 1) {
            out[0] = Math.min(Math.max(s[0], floor), ceiling);
            return out;
        }
        DMatrixRMaj m = new DMatrixRMaj(d, d);
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                m.set(a, b, 0.5 * (s[a * d + b] + s[b * d + a]));
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(m.copy())) {
            throw new NumericalException("M-step: the eigen decomposition of a " + d + "x" + d + " scatter matrix failed");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < d; k++) {
            min = Math.min(min, eig.getEigenvalue(k).getReal());
            max = Math.max(max, eig.getEigenvalue(k).getReal());
        }
        if (min >= floor && max <= ceiling && isPositiveDefinite(m.data, d)) {
            System.arraycopy(m.data, 0, out, 0, d * d);
            return out;
        }
        for (int k = 0; k < d; k++) {
            double lambda = Math.min(Math.max(eig.getEigenvalue(k).getReal(), floor), ceiling);
            DMatrixRMaj v = eig.getEigenVector(k);
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    out[a * d + b] += lambda * v.get(a) * v.get(b);
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                double avg = 0.5 * (out[a * d + b] + out[b * d + a]);
                out[a * d + b] = avg;
                out[b * d + a] = avg;
            }
        }
        // rounding in the reconstruction can leave a pivot a hair below zero when floor is tiny
        // against the largest eigenvalue: raise the diagonal until the factorisation succeeds
        double jitter = floor;
        while (!isPositiveDefinite(out, d)) {
            for (int a = 0; a < d; a++) {
                out[a * d + a] += jitter;
            }
            jitter *= 2;
        }
        return out;
    }

    static boolean isPositiveDefinite(double[] a, int d) {
        return Cholesky.isPositiveDefinite(a, d, new double[d * d]);
    }
}
