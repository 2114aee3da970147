package org.statespace.rnn;

/**
 * The matrix products of the forward and backward passes, on matrices held as arrays of row arrays and
 * accumulating into the output (C += ...). HotSpot's superword pass (JDK 17) vectorises an inner loop
 * over a row only when every row it touches is a separate array (a kernel on one flat array at several
 * offsets stays scalar), and only when the loop body is small: C2 unrolls a loop far enough to fill its
 * vectors only if the body is under its unrolling limit. The kernel that fits: two output rows updated
 * from four rows of the right-hand factor in the same pass, c_i += a_i0 b_0 + ... + a_i3 b_3 and
 * c_i' += a_i'0 b_0 + ... + a_i'3 b_3, each a chain of four {@link Math#fma} (one rounding per term), so
 * every load of b feeds two FMAs.
 *
 * <p>Measured with {@code GemmBenchmark} (JMH, one core of an AMD EPYC Zen 4, AVX-512, the shapes of a
 * 16-row shard of a hidden-128 LSTM), against the previous kernel (one output row from four rows of b,
 * written with * and +): the product 16×512×128 went from 89 to 61-66 µs; Aᵀ·B with a 128×512 output
 * from about 80 to 61-63 µs; 16×128×512, whose 16 output rows of 512 do not fit in L1, from 83-88 to
 * 63-86 µs (it varies from one JVM to the next). The same 2 × 4 block written with * and + has
 * twice the nodes and is not vectorised, nor are 4 × 4 or 1 × 8 blocks (2 to 3.5 times slower); 3 × 4
 * is vectorised but was no faster; walking the output rows in the outer loop (an output row pair kept
 * in L1 over all rows of A) or in alternating directions (so a sweep starts on rows still in cache) was
 * slower or no faster in the whole training step. The result of an entry does not depend on the row
 * blocking, only on the order of the inner index (ascending, in blocks of 4). No allocation; an output
 * row must not be an input row.
 *
 * <p>The weight gradient of a training run, dW += Σ_t dZ_tᵀ Y_t, is formed over several steps at once (their
 * rows stacked as segments, see {@link Tape}): each pair of C's rows is updated over all stacked rows, a tile
 * of 256 columns at a time (the stacked tile of B, 128 rows, is 256 KB and stays in L2), so C is swept once
 * per flush instead of m/4 times per step. Measured 2026-12-02 on one core of an AMD EPYC Zen 3 (AVX2), an
 * LSTM training step at input 64, hidden 512, batch 64 (the benchmark's largest shape): in a JFR profile of
 * the step 88% of the samples were in this class's inner loops, 37% of them the weight-gradient products
 * (one product per step: the 8 MB dW^T of the recurrent block streamed four times per step of a 16-row
 * shard), 25% the forward products and 27% the state-gradient products dZ · W; the step ran at about
 * 7.8 G multiply-adds per second, about a third of the core's double-precision peak. Holding the products
 * (alternating runs of the old and new code, process CPU time on the shared 2-core machine) took a step
 * from 4.9-5.2 to 4.3-4.6 s of CPU on one thread, with the same gradient to the last bit; the weight
 * products then cost per multiply-add what the forward ones do. Tiling the columns of {@link #multiply}
 * too was no faster (512 or 1,024 columns) or 30% slower (128: the short loops spend a large share in
 * C2's scalar pre- and post-loops); the 1 × 4 block on its own (every row of C in turn) was 15-20% slower
 * than the 2 × 4 block in the step, though a loop of it alone runs faster. What remains is the rate of
 * these loops on 256-bit vectors: a float kernel (8 lanes) or explicit vectors are the way past it.
 *
 * <p>The float kernels of {@link Precision#FLOAT32}, {@code Gemm32}, are generated from this file at build time
 * (models/pom.xml: every {@code double} becomes {@code float}), so the two share this blocking scheme and these
 * measurements are to be repeated for both when it changes.
 */
final class Gemm {
    /**
     * Columns of C per tile in {@link #multiplyTransposedA}: the tile of B, 128 stacked rows of 256 columns, is
     * 256 KB and stays in L2 while every pair of C's rows is updated from it (chosen for that fit, not tuned).
     */
    static final int TILE = 256;

    /**
     * The size of a weight gradient above which training holds its products back and sums them over stacked
     * steps (512 KB, the L2 of a Zen 3 core): a hidden-512 LSTM's recurrent dW (8 MB) went 13% faster held; a
     * hidden-128 LSTM's (512 KB) went 12-15% slower held (the per-step kernel keeps it in cache, the tile loop
     * only adds work).
     */
    static final long HOLD_BYTES = 512 * 1024;

    private Gemm() {
    }

    /**
     * C (m×n) += A (m×k) · B (k×n).
     *
     * <p>The shape check also keeps this method over C2's limit for inlining a hot call (FreqInlineSize, 325 bytes
     * of bytecode): the float kernel generated from it ran at half speed once inlined into its small caller in
     * {@link Weights} (2.5 s of CPU for a training step at input 64, hidden 512, batch 64 becoming 5 s in the same
     * JVM; measured 2026-12-02 with -XX:CompileCommand=dontinline as the control), and the double kernel ran the
     * same either way.
     */
    static void multiply(int m, int k, int n, double[][] a, double[][] b, double[][] c) {
        if (a.length < m || c.length < m || b.length < k) {
            throw new IllegalArgumentException("a product of " + m + "x" + k + " by " + k + "x" + n + " with "
                    + a.length + " rows of A, " + b.length + " of B and " + c.length + " of C");
        }
        int p = 0;
        for (; p + 4 <= k; p += 4) {
            double[] b0 = b[p];
            double[] b1 = b[p + 1];
            double[] b2 = b[p + 2];
            double[] b3 = b[p + 3];
            int i = 0;
            for (; i + 2 <= m; i += 2) {
                double[] ai = a[i];
                double x0 = ai[p];
                double x1 = ai[p + 1];
                double x2 = ai[p + 2];
                double x3 = ai[p + 3];
                double[] ai1 = a[i + 1];
                double y0 = ai1[p];
                double y1 = ai1[p + 1];
                double y2 = ai1[p + 2];
                double y3 = ai1[p + 3];
                update(c[i], c[i + 1], 0, n, x0, x1, x2, x3, y0, y1, y2, y3, b0, b1, b2, b3);
            }
            if (i < m) {
                double[] ai = a[i];
                update(c[i], 0, n, ai[p], ai[p + 1], ai[p + 2], ai[p + 3], b0, b1, b2, b3);
            }
        }
        for (; p < k; p++) {
            double[] bp = b[p];
            for (int i = 0; i < m; i++) {
                update(c[i], 0, n, a[i][p], bp);
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
            int i = 0;
            for (; i + 2 <= k; i += 2) {
                update(c[i], c[i + 1], 0, n, a0[i], a1[i], a2[i], a3[i], a0[i + 1], a1[i + 1], a2[i + 1], a3[i + 1],
                        b0, b1, b2, b3);
            }
            if (i < k) {
                update(c[i], 0, n, a0[i], a1[i], a2[i], a3[i], b0, b1, b2, b3);
            }
        }
        for (; p < m; p++) {
            double[] ap = a[p];
            double[] bp = b[p];
            for (int i = 0; i < k; i++) {
                update(c[i], 0, n, ap[i], bp);
            }
        }
    }

    /**
     * C (k×n) += Aᵀ · B over {@code count} segments of rows stacked in A and B (segment s has
     * {@code segments[s]} rows, m in all): the weight gradient of several steps at once, each step's rows one
     * segment. Every entry is the same sum in the same order as one
     * {@link #multiplyTransposedA(int, int, int, double[][], double[][], double[][])} per segment in turn, so
     * stacking steps changes no bit of the result; C is swept once (a tile of {@link #TILE} columns at a
     * time, every row of C updated over all stacked rows) instead of m/4 times. For a C that stays in cache
     * the per-step kernel is faster (no tile loop): see {@link #HOLD_BYTES}.
     */
    static void multiplyTransposedA(int[] segments, int count, int m, int k, int n, double[][] a, double[][] b,
            double[][] c) {
        for (int from = 0; from < n; from += TILE) {
            int to = Math.min(n, from + TILE);
            int i = 0;
            for (; i + 2 <= k; i += 2) {
                double[] ci = c[i];
                double[] ci1 = c[i + 1];
                int start = 0;
                for (int s = 0; s < count; s++) {
                    int end = start + segments[s];
                    int p = start;
                    for (; p + 4 <= end; p += 4) {
                        double[] a0 = a[p];
                        double[] a1 = a[p + 1];
                        double[] a2 = a[p + 2];
                        double[] a3 = a[p + 3];
                        update(ci, ci1, from, to, a0[i], a1[i], a2[i], a3[i], a0[i + 1], a1[i + 1], a2[i + 1],
                                a3[i + 1], b[p], b[p + 1], b[p + 2], b[p + 3]);
                    }
                    for (; p < end; p++) {
                        update(ci, from, to, a[p][i], b[p]);
                        update(ci1, from, to, a[p][i + 1], b[p]);
                    }
                    start = end;
                }
            }
            if (i < k) {
                double[] ci = c[i];
                int start = 0;
                for (int s = 0; s < count; s++) {
                    int end = start + segments[s];
                    int p = start;
                    for (; p + 4 <= end; p += 4) {
                        update(ci, from, to, a[p][i], a[p + 1][i], a[p + 2][i], a[p + 3][i], b[p], b[p + 1], b[p + 2],
                                b[p + 3]);
                    }
                    for (; p < end; p++) {
                        update(ci, from, to, a[p][i], b[p]);
                    }
                    start = end;
                }
            }
        }
    }

    // c[j] += x0 b0[j] + ... + x3 b3[j] and d[j] += y0 b0[j] + ... + y3 b3[j] for j in [from, to), each a chain of
    // 4 FMAs
    private static void update(double[] c, double[] d, int from, int to, double x0, double x1, double x2, double x3,
            double y0, double y1, double y2, double y3, double[] b0, double[] b1, double[] b2, double[] b3) {
        for (int j = from; j < to; j++) {
            double v0 = b0[j];
            double v1 = b1[j];
            double v2 = b2[j];
            double v3 = b3[j];
            c[j] = Math.fma(x3, v3, Math.fma(x2, v2, Math.fma(x1, v1, Math.fma(x0, v0, c[j]))));
            d[j] = Math.fma(y3, v3, Math.fma(y2, v2, Math.fma(y1, v1, Math.fma(y0, v0, d[j]))));
        }
    }

    // c[j] += x0 b0[j] + ... + x3 b3[j] for j in [from, to), a chain of 4 FMAs
    private static void update(double[] c, int from, int to, double x0, double x1, double x2, double x3, double[] b0,
            double[] b1, double[] b2, double[] b3) {
        for (int j = from; j < to; j++) {
            c[j] = Math.fma(x3, b3[j], Math.fma(x2, b2[j], Math.fma(x1, b1[j], Math.fma(x0, b0[j], c[j]))));
        }
    }

    // c[j] += x b[j] for j in [from, to)
    private static void update(double[] c, int from, int to, double x, double[] b) {
        for (int j = from; j < to; j++) {
            c[j] = Math.fma(x, b[j], c[j]);
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
