package org.statespace.numeric;

import java.util.Arrays;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import org.statespace.NumericalException;
import org.statespace.SpecException;
import org.statespace.spec.SpecNode;

/**
 * Checks on parameters read from specs: stochastic vectors and rows, symmetric positive (semi)definite
 * matrices. Each failure is a {@link org.statespace.SpecException} at the node the values came from,
 * naming the row and the value.
 */
public final class Validate {
    /** How far a probability vector may sum from 1 and still be accepted as it is. */
    public static final double SUM_TOLERANCE = 1e-9;
    /** Relative asymmetry accepted in a covariance. */
    public static final double SYMMETRY_TOLERANCE = 1e-9;

    private Validate() {
    }

    /**
     * A probability vector: finite, non-negative, summing to 1 within {@link #SUM_TOLERANCE}. With
     * {@code normalize} a vector of non-negative entries with a positive sum is rescaled instead: divided
     * by its largest entry first and then by the sum of the scaled entries (between 1 and the length), so
     * entries near the double range ({@code [1e308, 1e308]}, whose plain sum overflows) or far below it
     * ({@code [1e-320, 3e-320]}) normalise exactly as their ratios say; a vector that still does not give
     * a probability vector (all zeros) is a {@link SpecException} naming the field and row.
     *
     * @param at where the values came from (used in errors)
     * @return the vector (a rescaled copy when normalised)
     */
    public static double[] probabilities(SpecNode at, double[] p, boolean normalize) {
        double sum = 0;
        double max = 0;
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0 && p[i] < Double.POSITIVE_INFINITY)) {
                throw new SpecException(at.source(), at.path() + "[" + i + "]",
                        "probability must be " + (p[i] > 0 ? "finite" : "non-negative") + ", got " + p[i]);
            }
            sum += p[i];
            max = Math.max(max, p[i]);
        }
        if (normalize) {
            if (!(max > 0)) {
                throw at.error("cannot normalise: every entry is 0");
            }
            double scaledSum = 0;
            for (double v : p) {
                scaledSum += v / max;
            }
            double[] q = new double[p.length];
            double total = 0;
            for (int i = 0; i < p.length; i++) {
                q[i] = p[i] / max / scaledSum;
                total += q[i];
            }
            if (!(Math.abs(total - 1) <= SUM_TOLERANCE)) {
                throw at.error("cannot normalise: the rescaled entries sum to " + total + ", expected 1");
            }
            return q;
        }
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            throw at.error("sums to " + sum + ", expected 1 (add \"normalize\": true to rescale)");
        }
        return p;
    }

    /** Every row of a matrix is a probability vector (see {@link #probabilities}). */
    public static double[][] stochasticRows(SpecNode at, double[][] rows, boolean normalize) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            SpecNode row = at.elements().get(i);
            out[i] = probabilities(row, rows[i], normalize);
        }
        return out;
    }

    /**
     * A symmetric positive definite matrix (a covariance that must be invertible).
     */
    public static void positiveDefinite(SpecNode at, double[][] m) {
        symmetric(at, m);
        int n = m.length;
        double[] packed = pack(m);
        if (!Cholesky.isPositiveDefinite(packed, n, new double[n * n])) {
            throw at.error("not positive definite (smallest eigenvalue " + smallestEigenvalue(m) + ")");
        }
    }

    /**
     * A symmetric positive semidefinite matrix: every eigenvalue at least -1e-12 times the largest.
     */
    public static void positiveSemidefinite(SpecNode at, double[][] m) {
        symmetric(at, m);
        double[] eig = eigenvalues(m);
        double max = 0;
        double min = Double.POSITIVE_INFINITY;
        for (double e : eig) {
            max = Math.max(max, Math.abs(e));
            min = Math.min(min, e);
        }
        if (min < -1e-12 * Math.max(max, Double.MIN_NORMAL)) {
            throw at.error("not positive semidefinite (smallest eigenvalue " + min + ")");
        }
    }

    /** A square matrix equal to its transpose within {@link #SYMMETRY_TOLERANCE} (relative). */
    public static void symmetric(SpecNode at, double[][] m) {
        int n = m.length;
        for (double[] row : m) {
            if (row.length != n) {
                throw at.error("expected a square matrix, got " + n + "x" + row.length);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double scale = Math.max(Math.max(Math.abs(m[i][j]), Math.abs(m[j][i])),
                        Math.sqrt(Math.abs(m[i][i] * m[j][j])));
                if (Math.abs(m[i][j] - m[j][i]) > SYMMETRY_TOLERANCE * Math.max(scale, Double.MIN_NORMAL)) {
                    throw at.error("not symmetric: [" + i + "][" + j + "] = " + m[i][j] + " but [" + j + "][" + i
                            + "] = " + m[j][i]);
                }
            }
        }
    }

    /** The eigenvalues of a symmetric matrix, ascending. */
    public static double[] eigenvalues(double[][] m) {
        int n = m.length;
        DMatrixRMaj a = new DMatrixRMaj(m);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
        if (!eig.decompose(a)) {
            throw new NumericalException("eigen decomposition did not converge for a " + n + "x" + n + " matrix");
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = eig.getEigenvalue(i).getReal();
        }
        Arrays.sort(values);
        return values;
    }

    private static double smallestEigenvalue(double[][] m) {
        return eigenvalues(m)[0];
    }

    /** Row-major copy of a rectangular matrix. */
    public static double[] pack(double[][] m) {
        int rows = m.length;
        int cols = rows == 0 ? 0 : m[0].length;
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(m[i], 0, out, i * cols, cols);
        }
        return out;
    }

    /** Rows of a row-major packed matrix. */
    public static double[][] unpack(double[] packed, int rows, int cols) {
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(packed, i * cols, out[i], 0, cols);
        }
        return out;
    }
}
