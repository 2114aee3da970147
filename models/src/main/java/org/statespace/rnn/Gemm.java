package org.statespace.rnn;

/**
 * The matrix products of the forward and backward passes, on matrices held as arrays of row arrays and
 * accumulating into the output (C += ...). HotSpot's superword pass (JDK 17) vectorises an inner loop
 * over a row only when every row it touches is a separate array: a kernel on one flat array at several
 * offsets stays scalar. So each output row is updated from 4 rows of the right-hand factor at a time,
 * c_i += a_i0 b_0 + a_i1 b_1 + a_i2 b_2 + a_i3 b_3 (measured fastest: wider blocks are not vectorised). No
 * allocation; an output row must not be an input row.
 */
final class Gemm {
    private Gemm() {
    }

    /** C (m×n) += A (m×k) · B (k×n). */
    static void multiply(int m, int k, int n, double[][] a, double[][] b, double[][] c) {
        int p = 0;
        for (; p + 4 <= k; p += 4) {
            double[] b0 = b[p];
            double[] b1 = b[p + 1];
            double[] b2 = b[p + 2];
            double[] b3 = b[p + 3];
            for (int i = 0; i < m; i++) {
                double[] ai = a[i];
                double x0 = ai[p];
                double x1 = ai[p + 1];
                double x2 = ai[p + 2];
                double x3 = ai[p + 3];
                double[] ci = c[i];
                for (int j = 0; j < n; j++) {
                    ci[j] += x0 * b0[j] + x1 * b1[j] + x2 * b2[j] + x3 * b3[j];
                }
            }
        }
        for (; p < k; p++) {
            double[] bp = b[p];
            for (int i = 0; i < m; i++) {
                double x = a[i][p];
                double[] ci = c[i];
                for (int j = 0; j < n; j++) {
                    ci[j] += x * bp[j];
                }
            }
        }
    }

    /**
     * C (k×n) += Aᵀ · B with A m×k and B m×n: the weight gradient dW += dZᵀ · Y of a step, summed over
     * the m rows of the batch.
     */
    static void multiplyTransposedA(int m, int k, int n, double[][] a, double[][] b, double[][] c) {
        int p = 0;
        for (; p + 4 <= m; p += 4) {
            double[] a0 = a[p];
            double[] a1 = a[p + 1];
            double[] a2 = a[p + 2];
            double[] a3 = a[p + 3];
            double[] b0 = b[p];
            double[] b1 = b[p + 1];
            double[] b2 = b[p + 2];
            double[] b3 = b[p + 3];
            for (int i = 0; i < k; i++) {
                double x0 = a0[i];
                double x1 = a1[i];
                double x2 = a2[i];
                double x3 = a3[i];
                double[] ci = c[i];
                for (int j = 0; j < n; j++) {
                    ci[j] += x0 * b0[j] + x1 * b1[j] + x2 * b2[j] + x3 * b3[j];
                }
            }
        }
        for (; p < m; p++) {
            double[] ap = a[p];
            double[] bp = b[p];
            for (int i = 0; i < k; i++) {
                double x = ap[i];
                double[] ci = c[i];
                for (int j = 0; j < n; j++) {
                    ci[j] += x * bp[j];
                }
            }
        }
    }

    /** out[j] += Σ_i A[i][j] over m rows of n (a bias gradient). */
    static void addColumnSums(int m, int n, double[][] a, double[] out) {
        for (int i = 0; i < m; i++) {
            double[] ai = a[i];
            for (int j = 0; j < n; j++) {
                out[j] += ai[j];
            }
        }
    }

    /** The first n entries of each of m rows of C set to {@code row}. */
    static void fillRows(int m, int n, double[] row, double[][] c) {
        for (int i = 0; i < m; i++) {
            System.arraycopy(row, 0, c[i], 0, n);
        }
    }

    /** The first n entries of each of m rows of C set to 0. */
    static void zeroRows(int m, int n, double[][] c) {
        for (int i = 0; i < m; i++) {
            java.util.Arrays.fill(c[i], 0, n, 0);
        }
    }

    /** An r×c matrix of row arrays. */
    static double[][] matrix(int rows, int cols) {
        return new double[rows][cols];
    }
}
