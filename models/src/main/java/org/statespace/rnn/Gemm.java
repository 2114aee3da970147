package org.statespace.rnn;

/**
 * The two matrix products backpropagation through time needs, on row-major matrices stored in flat
 * arrays at an offset with a leading dimension, accumulating into the output (C += ...). Written so that
 * HotSpot's superword pass vectorises the innermost loop: 4 rows of C are updated together from 4 rows
 * of the right-hand factor, so every element of C loaded and stored serves 16 multiply-adds. No
 * allocation; the output must not alias an input.
 */
final class Gemm {
    private Gemm() {
    }

    /**
     * C (m×n) += A (m×k) · B (k×n).
     */
    static void multiply(int m, int k, int n, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
            double[] c, int cOff, int ldc) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int c0 = cOff + i * ldc;
            int c1 = c0 + ldc;
            int c2 = c1 + ldc;
            int c3 = c2 + ldc;
            int a0 = aOff + i * lda;
            int a1 = a0 + lda;
            int a2 = a1 + lda;
            int a3 = a2 + lda;
            int p = 0;
            for (; p + 4 <= k; p += 4) {
                double x00 = a[a0 + p], x01 = a[a0 + p + 1], x02 = a[a0 + p + 2], x03 = a[a0 + p + 3];
                double x10 = a[a1 + p], x11 = a[a1 + p + 1], x12 = a[a1 + p + 2], x13 = a[a1 + p + 3];
                double x20 = a[a2 + p], x21 = a[a2 + p + 1], x22 = a[a2 + p + 2], x23 = a[a2 + p + 3];
                double x30 = a[a3 + p], x31 = a[a3 + p + 1], x32 = a[a3 + p + 2], x33 = a[a3 + p + 3];
                int b0 = bOff + p * ldb;
                int b1 = b0 + ldb;
                int b2 = b1 + ldb;
                int b3 = b2 + ldb;
                for (int j = 0; j < n; j++) {
                    double y0 = b[b0 + j], y1 = b[b1 + j], y2 = b[b2 + j], y3 = b[b3 + j];
                    c[c0 + j] += x00 * y0 + x01 * y1 + x02 * y2 + x03 * y3;
                    c[c1 + j] += x10 * y0 + x11 * y1 + x12 * y2 + x13 * y3;
                    c[c2 + j] += x20 * y0 + x21 * y1 + x22 * y2 + x23 * y3;
                    c[c3 + j] += x30 * y0 + x31 * y1 + x32 * y2 + x33 * y3;
                }
            }
            for (; p < k; p++) {
                double x0 = a[a0 + p], x1 = a[a1 + p], x2 = a[a2 + p], x3 = a[a3 + p];
                int b0 = bOff + p * ldb;
                for (int j = 0; j < n; j++) {
                    double y = b[b0 + j];
                    c[c0 + j] += x0 * y;
                    c[c1 + j] += x1 * y;
                    c[c2 + j] += x2 * y;
                    c[c3 + j] += x3 * y;
                }
            }
        }
        for (; i < m; i++) {
            int c0 = cOff + i * ldc;
            int a0 = aOff + i * lda;
            int p = 0;
            for (; p + 4 <= k; p += 4) {
                double x0 = a[a0 + p], x1 = a[a0 + p + 1], x2 = a[a0 + p + 2], x3 = a[a0 + p + 3];
                int b0 = bOff + p * ldb;
                int b1 = b0 + ldb;
                int b2 = b1 + ldb;
                int b3 = b2 + ldb;
                for (int j = 0; j < n; j++) {
                    c[c0 + j] += x0 * b[b0 + j] + x1 * b[b1 + j] + x2 * b[b2 + j] + x3 * b[b3 + j];
                }
            }
            for (; p < k; p++) {
                double x = a[a0 + p];
                int b0 = bOff + p * ldb;
                for (int j = 0; j < n; j++) {
                    c[c0 + j] += x * b[b0 + j];
                }
            }
        }
    }

    /**
     * C (k×n) += Aᵀ · B with A m×k and B m×n: the weight gradient dW += dZᵀ · Y of a step, summed over
     * the m rows of the batch.
     */
    static void multiplyTransposedA(int m, int k, int n, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
            double[] c, int cOff, int ldc) {
        int i = 0;
        for (; i + 4 <= k; i += 4) {
            int c0 = cOff + i * ldc;
            int c1 = c0 + ldc;
            int c2 = c1 + ldc;
            int c3 = c2 + ldc;
            int p = 0;
            for (; p + 4 <= m; p += 4) {
                int a0 = aOff + p * lda + i;
                int a1 = a0 + lda;
                int a2 = a1 + lda;
                int a3 = a2 + lda;
                // x_rs = A[p + s][i + r]
                double x00 = a[a0], x01 = a[a1], x02 = a[a2], x03 = a[a3];
                double x10 = a[a0 + 1], x11 = a[a1 + 1], x12 = a[a2 + 1], x13 = a[a3 + 1];
                double x20 = a[a0 + 2], x21 = a[a1 + 2], x22 = a[a2 + 2], x23 = a[a3 + 2];
                double x30 = a[a0 + 3], x31 = a[a1 + 3], x32 = a[a2 + 3], x33 = a[a3 + 3];
                int b0 = bOff + p * ldb;
                int b1 = b0 + ldb;
                int b2 = b1 + ldb;
                int b3 = b2 + ldb;
                for (int j = 0; j < n; j++) {
                    double y0 = b[b0 + j], y1 = b[b1 + j], y2 = b[b2 + j], y3 = b[b3 + j];
                    c[c0 + j] += x00 * y0 + x01 * y1 + x02 * y2 + x03 * y3;
                    c[c1 + j] += x10 * y0 + x11 * y1 + x12 * y2 + x13 * y3;
                    c[c2 + j] += x20 * y0 + x21 * y1 + x22 * y2 + x23 * y3;
                    c[c3 + j] += x30 * y0 + x31 * y1 + x32 * y2 + x33 * y3;
                }
            }
            for (; p < m; p++) {
                int a0 = aOff + p * lda + i;
                double x0 = a[a0], x1 = a[a0 + 1], x2 = a[a0 + 2], x3 = a[a0 + 3];
                int b0 = bOff + p * ldb;
                for (int j = 0; j < n; j++) {
                    double y = b[b0 + j];
                    c[c0 + j] += x0 * y;
                    c[c1 + j] += x1 * y;
                    c[c2 + j] += x2 * y;
                    c[c3 + j] += x3 * y;
                }
            }
        }
        for (; i < k; i++) {
            int c0 = cOff + i * ldc;
            int p = 0;
            for (; p + 4 <= m; p += 4) {
                int a0 = aOff + p * lda + i;
                double x0 = a[a0], x1 = a[a0 + lda], x2 = a[a0 + 2 * lda], x3 = a[a0 + 3 * lda];
                int b0 = bOff + p * ldb;
                int b1 = b0 + ldb;
                int b2 = b1 + ldb;
                int b3 = b2 + ldb;
                for (int j = 0; j < n; j++) {
                    c[c0 + j] += x0 * b[b0 + j] + x1 * b[b1 + j] + x2 * b[b2 + j] + x3 * b[b3 + j];
                }
            }
            for (; p < m; p++) {
                double x = a[aOff + p * lda + i];
                int b0 = bOff + p * ldb;
                for (int j = 0; j < n; j++) {
                    c[c0 + j] += x * b[b0 + j];
                }
            }
        }
    }

    /** out[j] += Σ_i A[i][j] over m rows of n (a bias gradient). */
    static void addColumnSums(int m, int n, double[] a, int aOff, int lda, double[] out, int outOff) {
        for (int i = 0; i < m; i++) {
            int a0 = aOff + i * lda;
            for (int j = 0; j < n; j++) {
                out[outOff + j] += a[a0 + j];
            }
        }
    }

    /** Each of m rows of C (n wide) set to {@code row[rowOff..rowOff+n)}. */
    static void fillRows(int m, int n, double[] row, int rowOff, double[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            System.arraycopy(row, rowOff, c, cOff + i * ldc, n);
        }
    }

    /** B (n×m) = Aᵀ for A m×n (both dense, leading dimensions n and m). */
    static void transpose(int m, int n, double[] a, int aOff, double[] b, int bOff) {
        for (int i = 0; i < m; i++) {
            int a0 = aOff + i * n;
            for (int j = 0; j < n; j++) {
                b[bOff + j * m + i] = a[a0 + j];
            }
        }
    }
}
