package org.statespace.numeric;

import java.util.Arrays;

import org.statespace.NumericalException;

/**
 * Cholesky factorisation and triangular solves on small dense row-major arrays, without allocation.
 * For the few-dimensional covariances of predictive distributions these loops beat a general matrix
 * library; larger problems use EJML.
 */
public final class Cholesky {
    private Cholesky() {
    }

    /**
     * Factors the symmetric positive definite n×n matrix {@code a} (row-major, only the lower triangle
     * is read) into {@code lower}, so that a = L Lᵀ. {@code lower} may be {@code a} itself.
     *
     * @throws NumericalException if a pivot is not positive (the matrix is not positive definite)
     */
    public static void factor(double[] a, int n, double[] lower) {
        if (n == 2) {
            factorTwo(a, lower);
            return;
        }
        int failed = factorRows(a, n, lower);
        if (failed >= 0) {
            throw new NumericalException("matrix is not positive definite (pivot " + failed + " is "
                    + lower[failed * n + failed] + ")");
        }
    }

    /**
     * The Cholesky loop of {@link #factor} and {@link #isPositiveDefinite}: row by row, L_ij = (a_ij - Σ_k&lt;j
     * L_ik L_jk) / L_jj and L_ii = sqrt(a_ii - Σ_k&lt;i L_ik²), the upper triangle zeroed. Returns -1, or the index
     * of the first pivot that is not positive, whose value it leaves in {@code lower[i][i]}.
     */
    private static int factorRows(double[] a, int n, double[] lower) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    s -= lower[i * n + k] * lower[j * n + k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        lower[i * n + i] = s;
                        return i;
                    }
                    lower[i * n + i] = Math.sqrt(s);
                } else {
                    lower[i * n + j] = s / lower[j * n + j];
                }
            }
            for (int j = i + 1; j < n; j++) {
                lower[i * n + j] = 0;
            }
        }
        return -1;
    }

    // n = 2 written out (the innovation covariance of a bivariate filter, every step): the same operations
    // in the same order as the loop, so the same bits.
    private static void factorTwo(double[] a, double[] lower) {
        double a00 = a[0];
        double a10 = a[2];
        double a11 = a[3];
        if (!(a00 > 0)) {
            throw new NumericalException("matrix is not positive definite (pivot 0 is " + a00 + ")");
        }
        double l00 = Math.sqrt(a00);
        double l10 = a10 / l00;
        double s = a11 - l10 * l10;
        if (!(s > 0)) {
            throw new NumericalException("matrix is not positive definite (pivot 1 is " + s + ")");
        }
        lower[0] = l00;
        lower[1] = 0;
        lower[2] = l10;
        lower[3] = Math.sqrt(s);
    }

    /** Whether {@code a} (n×n, lower triangle read) is positive definite; {@code scratch} holds n×n. */
    public static boolean isPositiveDefinite(double[] a, int n, double[] scratch) {
        return factorRows(a, n, scratch) < 0;
    }

    /** Solves L z = b in place ({@code b} becomes z), L lower triangular n×n. */
    public static void solveLower(double[] lower, int n, double[] b) {
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= lower[i * n + k] * b[k];
            }
            b[i] = s / lower[i * n + i];
        }
    }

    /** Solves Lᵀ x = z in place ({@code z} becomes x). */
    public static void solveUpperTransposed(double[] lower, int n, double[] z) {
        for (int i = n - 1; i >= 0; i--) {
            double s = z[i];
            for (int k = i + 1; k < n; k++) {
                s -= lower[k * n + i] * z[k];
            }
            z[i] = s / lower[i * n + i];
        }
    }

    /** Solves A x = b in place for A = L Lᵀ ({@code b} becomes x): the two triangular solves. */
    public static void solve(double[] lower, int n, double[] b) {
        solveLower(lower, n, b);
        solveUpperTransposed(lower, n, b);
    }

    /**
     * A⁻¹ for A = L Lᵀ into {@code out} (n×n row-major), column by column through {@code column} (length at
     * least n, overwritten).
     */
    public static void inverse(double[] lower, int n, double[] column, double[] out) {
        for (int c = 0; c < n; c++) {
            Arrays.fill(column, 0, n, 0);
            column[c] = 1;
            solve(lower, n, column);
            for (int r = 0; r < n; r++) {
                out[r * n + c] = column[r];
            }
        }
    }

    /**
     * log det(a) = 2 log Π L_ii from the factor: one logarithm instead of n (the filters take it every
     * step) while every partial product is a normal double, else 2 Σ log L_ii. The two agree to within a
     * few units in the last place of the product.
     */
    public static double logDeterminant(double[] lower, int n) {
        double product = 1;
        for (int i = 0; i < n; i++) {
            product *= lower[i * n + i];
            if (!(product >= Double.MIN_NORMAL && product <= Double.MAX_VALUE)) {
                return 2 * sumOfLogs(lower, n);
            }
        }
        return 2 * Math.log(product);
    }

    private static double sumOfLogs(double[] lower, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.log(lower[i * n + i]);
        }
        return s;
    }
}
