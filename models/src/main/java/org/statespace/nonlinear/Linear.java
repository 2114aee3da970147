package org.statespace.nonlinear;

import java.util.random.RandomGenerator;

import org.statespace.NumericalException;
import org.statespace.numeric.Cholesky;

/** Small dense helpers of the non-linear filters (row-major {@code double[]}). */
final class Linear {
    private Linear() {
    }

    /** Packs a square matrix after checking its shape, finiteness, symmetry and (semi)definiteness. */
    static double[] checkedCovariance(String name, double[][] a, int size, boolean definite) {
        if (a.length != size) {
            throw new IllegalArgumentException(name + ": expected " + size + "x" + size + ", got " + a.length + " rows");
        }
        double[] out = new double[size * size];
        for (int i = 0; i < size; i++) {
            if (a[i].length != size) {
                throw new IllegalArgumentException(name + ": expected " + size + "x" + size + ", row " + i + " has "
                        + a[i].length + " entries");
            }
            for (int j = 0; j < size; j++) {
                if (!Double.isFinite(a[i][j])) {
                    throw new IllegalArgumentException(name + "[" + i + "][" + j + "] is " + a[i][j]);
                }
                out[i * size + j] = a[i][j];
            }
        }
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < i; j++) {
                if (Math.abs(out[i * size + j] - out[j * size + i]) > 1e-9 * Math.max(1, Math.abs(out[i * size + j]))) {
                    throw new IllegalArgumentException(name + " is not symmetric: [" + i + "][" + j + "] = "
                            + out[i * size + j] + ", [" + j + "][" + i + "] = " + out[j * size + i]);
                }
            }
        }
        if (definite && !Cholesky.isPositiveDefinite(out, size, new double[size * size])) {
            throw new IllegalArgumentException(name + " is not positive definite");
        }
        if (!definite) {
            semidefiniteFactor(out, size);
        }
        return out;
    }

    /** L with L Lᵀ = A for a symmetric positive semidefinite A; a new array. */
    static double[] semidefiniteFactor(double[] a, int size) {
        double[] lower = new double[size * size];
        semidefiniteFactor(a, size, 1, lower);
        return lower;
    }

    /**
     * L with L Lᵀ = scale·A (lower triangular, row-major, into {@code lower}) for a symmetric positive
     * semidefinite A: the Cholesky factorisation, where a pivot within rounding of zero (relative to the
     * largest diagonal entry) gives a zero column, as the semidefinite factor does. A clearly negative pivot
     * is a {@link NumericalException}.
     */
    static void semidefiniteFactor(double[] a, int size, double scale, double[] lower) {
        double largest = 0;
        for (int i = 0; i < size; i++) {
            largest = Math.max(largest, Math.abs(a[i * size + i]));
        }
        double tolerance = 1e-13 * largest * scale;
        for (int j = 0; j < size; j++) {
            double d = scale * a[j * size + j];
            for (int k = 0; k < j; k++) {
                d -= lower[j * size + k] * lower[j * size + k];
            }
            if (!(d > tolerance)) {
                if (d < -1e-8 * Math.max(largest * scale, Double.MIN_NORMAL) || Double.isNaN(d)) {
                    throw new NumericalException("a covariance is not positive semidefinite (pivot " + j + " is " + d + ")");
                }
                for (int i = j; i < size; i++) {
                    lower[i * size + j] = 0;
                }
                for (int k = j + 1; k < size; k++) {
                    lower[j * size + k] = 0;
                }
                continue;
            }
            double root = Math.sqrt(d);
            lower[j * size + j] = root;
            for (int i = j + 1; i < size; i++) {
                double s = scale * a[i * size + j];
                for (int k = 0; k < j; k++) {
                    s -= lower[i * size + k] * lower[j * size + k];
                }
                lower[i * size + j] = s / root;
            }
            for (int k = j + 1; k < size; k++) {
                lower[j * size + k] = 0;
            }
        }
    }

    /** out = mean + L z with z standard normal ({@code z} scratch of at least {@code size}); out may be mean. */
    static void gaussian(double[] mean, double[] lower, int size, RandomGenerator random, double[] z, double[] out) {
        for (int i = 0; i < size; i++) {
            z[i] = random.nextGaussian();
        }
        for (int i = 0; i < size; i++) {
            double s = mean[i];
            for (int k = 0; k <= i; k++) {
                s += lower[i * size + k] * z[k];
            }
            out[i] = s;
        }
    }

    /** Mirrors the upper triangle of a (size×size) onto the lower. */
    static void mirrorUpper(double[] a, int size) {
        for (int i = 0; i < size; i++) {
            for (int j = i + 1; j < size; j++) {
                a[j * size + i] = a[i * size + j];
            }
        }
    }
}
