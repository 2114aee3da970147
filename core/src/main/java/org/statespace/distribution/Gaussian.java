package org.statespace.distribution;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import org.statespace.data.Sequence;
import org.statespace.numeric.Cholesky;
import org.statespace.numeric.SpecialFunctions;

/**
 * A multivariate normal N(μ, Σ) over d components, kept with the Cholesky factor L of Σ (Σ = L Lᵀ).
 * A mutable workspace: emissions {@link #set} it at every step without allocating; {@link #of} makes a
 * checked standalone value. Missing ({@code NaN}) components are integrated out exactly: the density
 * of the observed ones is that of the marginal N(μ_o, Σ_oo).
 */
public final class Gaussian implements PredictiveDistribution {
    private final int d;
    private final double[] mean;
    private final double[] covariance;
    private final double[] lower;
    private boolean diagonal;
    private double logDeterminant;
    // scratch for evaluation with missing components and for sampling
    private final int[] observed;
    private final double[] subCovariance;
    private final double[] residual;

    /** A workspace of dimension d, initially N(0, I). */
    public Gaussian(int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be at least 1, got " + dimension);
        }
        d = dimension;
        mean = new double[d];
        covariance = new double[d * d];
        lower = new double[d * d];
        observed = new int[d];
        subCovariance = new double[d * d];
        residual = new double[d];
        for (int i = 0; i < d; i++) {
            covariance[i * d + i] = 1;
            lower[i * d + i] = 1;
        }
        diagonal = true;
        logDeterminant = 0;
    }

    /** A checked N(mean, covariance); the covariance (d×d row-major) must be symmetric positive definite. */
    public static Gaussian of(double[] mean, double[] covariance) {
        Gaussian g = new Gaussian(mean.length);
        if (covariance.length != mean.length * mean.length) {
            throw new IllegalArgumentException("covariance must be " + mean.length + "x" + mean.length
                    + ", got " + covariance.length + " values");
        }
        g.set(mean, 0, covariance);
        return g;
    }

    /** A univariate N(mean, variance). */
    public static Gaussian univariate(double mean, double variance) {
        Gaussian g = new Gaussian(1);
        g.setUnivariate(mean, variance);
        return g;
    }

    /**
     * Sets μ = {@code m[offset..offset+d)} and Σ = {@code cov} (d×d row-major) and factors Σ.
     *
     * @throws org.statespace.NumericalException if Σ is not positive definite
     */
    public void set(double[] m, int offset, double[] cov) {
        System.arraycopy(m, offset, mean, 0, d);
        System.arraycopy(cov, 0, covariance, 0, d * d);
        Cholesky.factor(covariance, d, lower);
        logDeterminant = Cholesky.logDeterminant(lower, d);
        diagonal = false;
    }

    /**
     * Sets μ and Σ together with a factor the caller already holds (Σ = L Lᵀ, L lower triangular
     * row-major), so that a filter that factored the innovation covariance does not factor it twice.
     */
    public void setFactored(double[] m, int offset, double[] cov, double[] factor) {
        System.arraycopy(m, offset, mean, 0, d);
        System.arraycopy(cov, 0, covariance, 0, d * d);
        System.arraycopy(factor, 0, lower, 0, d * d);
        logDeterminant = Cholesky.logDeterminant(lower, d);
        diagonal = false;
    }

    /** Sets μ and a diagonal Σ = diag(variances); every variance must be positive. */
    public void setDiagonal(double[] m, int meanOffset, double[] variances, int varianceOffset) {
        System.arraycopy(m, meanOffset, mean, 0, d);
        Arrays.fill(covariance, 0);
        Arrays.fill(lower, 0);
        double logDet = 0;
        for (int i = 0; i < d; i++) {
            double v = variances[varianceOffset + i];
            if (!(v > 0) || v == Double.POSITIVE_INFINITY) {
                throw new org.statespace.NumericalException("variance " + i + " must be positive and finite, got " + v);
            }
            covariance[i * d + i] = v;
            lower[i * d + i] = Math.sqrt(v);
            logDet += Math.log(v);
        }
        logDeterminant = logDet;
        diagonal = true;
    }

    /** Sets a univariate N(m, v) (d must be 1). */
    public void setUnivariate(double m, double v) {
        if (d != 1) {
            throw new IllegalStateException("setUnivariate on a " + d + "-dimensional Gaussian");
        }
        if (!(v > 0) || v == Double.POSITIVE_INFINITY) {
            throw new org.statespace.NumericalException("variance must be positive and finite, got " + v);
        }
        mean[0] = m;
        covariance[0] = v;
        lower[0] = Math.sqrt(v);
        logDeterminant = Math.log(v);
        diagonal = true;
    }

    @Override
    public int dimension() {
        return d;
    }

    /** Copies μ into {@code out[offset..offset+d)}. */
    public void copyMean(double[] out, int offset) {
        System.arraycopy(mean, 0, out, offset, d);
    }

    /** Copies Σ (d×d row-major) into {@code out[offset..offset+d*d)}. */
    public void copyCovariance(double[] out, int offset) {
        System.arraycopy(covariance, 0, out, offset, d * d);
    }

    /** Σ_ij. */
    public double covariance(int i, int j) {
        return covariance[i * d + j];
    }

    @Override
    public double logDensity(double[] y, int offset) {
        int n = 0;
        for (int j = 0; j < d; j++) {
            if (!Double.isNaN(y[offset + j])) {
                observed[n++] = j;
            }
        }
        if (n == 0) {
            return 0;
        }
        for (int a = 0; a < n; a++) {
            residual[a] = y[offset + observed[a]] - mean[observed[a]];
        }
        return evaluate(n);
    }

    @Override
    public double logDensity(Sequence sequence, int t) {
        int n = 0;
        for (int j = 0; j < d; j++) {
            double v = sequence.value(t, j);
            if (!Double.isNaN(v)) {
                residual[n] = v - mean[j];
                observed[n++] = j;
            }
        }
        if (n == 0) {
            return 0;
        }
        return evaluate(n);
    }

    // residual[0..n) holds y_o - μ_o for the observed components observed[0..n).
    private double evaluate(int n) {
        if (diagonal) {
            double q = 0;
            double logDet = 0;
            for (int a = 0; a < n; a++) {
                double v = covariance[observed[a] * d + observed[a]];
                q += residual[a] * (residual[a] / v); // divided before squaring: r² alone overflows from |r| ≈ 1.3e154
                logDet += Math.log(v);
            }
            return -0.5 * (n * SpecialFunctions.LOG_2PI + logDet + q);
        }
        if (n == d) {
            Cholesky.solveLower(lower, d, residual);
            double q = 0;
            for (int a = 0; a < d; a++) {
                q += residual[a] * residual[a];
            }
            return -0.5 * (d * SpecialFunctions.LOG_2PI + logDeterminant + q);
        }
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                subCovariance[a * n + b] = covariance[observed[a] * d + observed[b]];
            }
        }
        Cholesky.factor(subCovariance, n, subCovariance);
        Cholesky.solveLower(subCovariance, n, residual);
        double q = 0;
        for (int a = 0; a < n; a++) {
            q += residual[a] * residual[a];
        }
        return -0.5 * (n * SpecialFunctions.LOG_2PI + Cholesky.logDeterminant(subCovariance, n) + q);
    }

    @Override
    public double mean(int j) {
        return mean[j];
    }

    @Override
    public double variance(int j) {
        return covariance[j * d + j];
    }

    @Override
    public double cdf(int j, double x) {
        return SpecialFunctions.normalCdf((x - mean[j]) / Math.sqrt(covariance[j * d + j]));
    }

    @Override
    public double quantile(int j, double p) {
        return mean[j] + Math.sqrt(covariance[j * d + j]) * SpecialFunctions.normalQuantile(p);
    }

    @Override
    public void sample(RandomGenerator random, double[] out, int offset) {
        for (int i = 0; i < d; i++) {
            residual[i] = random.nextGaussian();
        }
        for (int i = 0; i < d; i++) {
            double s = mean[i];
            for (int k = 0; k <= i; k++) {
                s += lower[i * d + k] * residual[k];
            }
            out[offset + i] = s;
        }
    }

    @Override
    public Gaussian copy() {
        Gaussian g = new Gaussian(d);
        System.arraycopy(mean, 0, g.mean, 0, d);
        System.arraycopy(covariance, 0, g.covariance, 0, d * d);
        System.arraycopy(lower, 0, g.lower, 0, d * d);
        g.diagonal = diagonal;
        g.logDeterminant = logDeterminant;
        return g;
    }

    @Override
    public String toString() {
        return "Gaussian[mean=" + Arrays.toString(mean) + ", covariance=" + Arrays.toString(covariance) + "]";
    }
}
