package org.statespace.kalman;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import org.statespace.NumericalException;
import org.statespace.numeric.Cholesky;

/**
 * Small dense kernels on row-major {@code double[]} arrays for the filter's hot loop. Every method
 * writes into an output the caller owns and never allocates (except {@link #psdSquareRoot}, used
 * once per sampled sequence). Outputs must not alias inputs unless a method says so.
 *
 * <p>Why our loops and not EJML's {@code CommonOps_DDRM}: measured on {@code KalmanBenchmark}'s grid
 * (T = 10⁵, thread CPU time of {@code KalmanBenchmark --cpu}, best of 2-3 rounds, on a 2-core machine shared
 * with other jobs, 2026-12-02; ms per log-likelihood of the series), against the same Joseph filter on
 * preallocated {@code DMatrixRMaj} with {@code LinearSolverFactory_DDRM.symmPosDef} and on EJML's fixed-size
 * types (n and m padded to 2×2 or 4×4), before the row kernels:
 * <pre>
 *   (n, m)              (1,1) (1,2) (2,1) (2,2) (2,4) (4,1) (4,2) (8,1) (16,1) (16,4) (16,8)
 *   ours, full update    15.6  23.3  20.5  24.5  44.2  40.9  36.9   186    567    769   1488
 *   ours, steady state    9.2  10.4   9.6   8.4  45.8  35.2  38.6   136    549    787   1718
 *   EJML DMatrixRMaj     24.8  29.3  36.3  45.9  75.4  72.7  96.4   294   1346   1904   2266
 *   EJML fixed-size       8.8  11.6  10.6   7.7  30.8  29.1  27.5     -      -      -      -
 * </pre>
 * Our loops beat EJML's general operations on every shape measured (1.2-2.6×), so the products stay ours.
 * EJML's fixed-size types beat our full update on the shapes with n, m ≤ 4 (1.3-3×); our filter has no
 * fixed-size path (it would need kernels generated per size that also handle missing components and inputs).
 *
 * <p>The row kernels ({@link #accumulate}: c += Σ_l a_il B_l, i-l-j order, the inner loop along a row held in
 * an array of its own) run the n³ products from n = {@link #ROW_KERNELS}. HotSpot's superword pass (JDK 17)
 * vectorises such a loop only when every row it reads or writes is a separate array indexed from 0; over a flat
 * row-major array at offsets i·n it stays scalar (F P alone, n = 16: 0.55-0.75 ns per multiply-add with or
 * without {@code -XX:-UseSuperWord}; over row arrays 0.25-0.37 ns with it, 0.46-0.69 without). The whole filter
 * (full update, thread CPU time, old and new run in turn, same machine): n = 16, m = 2 from 976 to 467 ms;
 * n = 16, m = 1 from 864 to 590; n = 8, m = 8 from 694 to 500 in one run and 703 to 743 in another (below
 * n = 16 only the Joseph expression is new). At n = 4 and n = 8 the row kernels lost (m = 2: 72 against 115 ms; n = 8, m = 1: 144
 * against 192): copying the operands into rows and the vector loops' pre- and post-loops cost more than they
 * save on rows of 4-8, hence the threshold. The figures of the whole grid are in {@code benchmarks/README.md}.
 */
final class Dense {
    /**
     * The smallest n at which the products run as row kernels ({@link #accumulate}); below it copying the
     * operands into rows costs more than the vector loops save, and plain loops with the same sums in the
     * same order (the same bits) run instead.
     */
    static final int ROW_KERNELS = 16;

    private Dense() {
    }

    /**
     * Σ_l a[ai + l] b[bi + l] for l &lt; len, summed left to right. Every length up to 4 is written out (the
     * same sums in the same order as the loop, so the same bits): measured with {@code KalmanBenchmark --cpu}
     * against the plain loop for every length (A, B, A, B runs, thread CPU time, full update), the filter took
     * 17.8 / 21.0 ms against 22.9 / 25.7 ms at n = 2, m = 1 and 36.9 / 41.3 ms against 64.2 / 60.9 ms at
     * n = 4, m = 2; longer dot products are not affected.
     */
    static double dot(double[] a, int ai, double[] b, int bi, int len) {
        switch (len) {
            case 1:
                return a[ai] * b[bi];
            case 2:
                return a[ai] * b[bi] + a[ai + 1] * b[bi + 1];
            case 3:
                return a[ai] * b[bi] + a[ai + 1] * b[bi + 1] + a[ai + 2] * b[bi + 2];
            case 4:
                return a[ai] * b[bi] + a[ai + 1] * b[bi + 1] + a[ai + 2] * b[bi + 2] + a[ai + 3] * b[bi + 3];
            default:
                double sum = 0;
                for (int l = 0; l < len; l++) {
                    sum += a[ai + l] * b[bi + l];
                }
                return sum;
        }
    }

    /** Σ_l a[ai + l·as] b[bi + l·bs] for l &lt; len, written out up to 4 like {@link #dot}. */
    static double dot(double[] a, int ai, int as, double[] b, int bi, int bs, int len) {
        switch (len) {
            case 1:
                return a[ai] * b[bi];
            case 2:
                return a[ai] * b[bi] + a[ai + as] * b[bi + bs];
            case 3:
                return a[ai] * b[bi] + a[ai + as] * b[bi + bs] + a[ai + 2 * as] * b[bi + 2 * bs];
            case 4:
                return a[ai] * b[bi] + a[ai + as] * b[bi + bs] + a[ai + 2 * as] * b[bi + 2 * bs]
                        + a[ai + 3 * as] * b[bi + 3 * bs];
            default:
                double sum = 0;
                for (int l = 0; l < len; l++) {
                    sum += a[ai + l * as] * b[bi + l * bs];
                }
                return sum;
        }
    }

    /** out (r×c) = a (r×k) · b (k×c). */
    static void multiply(double[] a, double[] b, double[] out, int r, int k, int c) {
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                out[i * c + j] = dot(a, i * k, 1, b, j, c, k);
            }
        }
    }

    /** out (r×c) = a (r×k) · bᵀ, b being c×k. */
    static void multiplyTransposeB(double[] a, double[] b, double[] out, int r, int k, int c) {
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                out[i * c + j] = dot(a, i * k, b, j * k, k);
            }
        }
    }

    /** out (r×c) = aᵀ · b, a being k×r and b k×c. */
    static void multiplyTransposeA(double[] a, double[] b, double[] out, int k, int r, int c) {
        for (int i = 0; i < r * c; i++) {
            out[i] = 0;
        }
        for (int l = 0; l < k; l++) {
            for (int i = 0; i < r; i++) {
                double x = a[l * r + i];
                if (x == 0) {
                    continue;
                }
                for (int j = 0; j < c; j++) {
                    out[i * c + j] += x * b[l * c + j];
                }
            }
        }
    }

    /**
     * out (r×r, symmetric) = left (r×k) · rightᵀ + add, computing the upper triangle and mirroring it,
     * so the result is exactly symmetric. {@code add} (r×r) may be {@code null}. Used as the second
     * half of a sandwich A S Aᵀ with left = A S and right = A.
     */
    static void symmetricProduct(double[] left, double[] right, double[] add, double[] out, int r, int k) {
        for (int i = 0; i < r; i++) {
            for (int j = i; j < r; j++) {
                double s = (add == null ? 0 : add[i * r + j]) + dot(left, i * k, right, j * k, k);
                out[i * r + j] = s;
                out[j * r + i] = s;
            }
        }
    }

    /**
     * out (n×n, symmetric) = a S aᵀ + add for a symmetric S (n×n), {@code a} given by its nonzero entries
     * ({@link Rows}). S is copied into the workspace's rows; then W = a S one row at a time,
     * W_i = Σ_k a_ik S_k (rows of S, as S = Sᵀ), by {@link #accumulate}, stored as column i of Wᵀ; then row i
     * of the lower triangle, Σ_k a_ik Wᵀ_k[0..i], with add added and mirrored. Entry (j, i), j ≤ i, is
     * add_ji + Σ_l W_jl a_il summed over l ascending: the same operations in the same order as
     * {@link #multiplyTransposeB} into a scratch matrix followed by {@link #symmetricProduct} (so the same
     * bits, up to the sign of an exact zero where a zero of {@code a} was skipped), but every inner loop runs
     * along a row held in its own array, which C2 vectorises, and the zeros of {@code a} are skipped (a
     * structural or companion transition costs about 1.5 nnz(a)·n multiply-adds instead of 1.5 n³).
     * {@code add} (read on its upper triangle) may be {@code null}; {@code out} must not alias {@code s}.
     */
    static void symmetricSandwich(Rows a, double[] dense, double[] s, double[] add, double[] out, RowWorkspace w,
            int n) {
        if (n < ROW_KERNELS) {
            symmetricSandwichLoops(dense, s, add, out, w.row, n);
        } else {
            symmetricSandwichRows(a, s, add, out, w, n);
        }
    }

    /** {@link #symmetricSandwich} as row kernels (any n; the filter uses it from {@link #ROW_KERNELS}). */
    static void symmetricSandwichRows(Rows a, double[] s, double[] add, double[] out, RowWorkspace w, int n) {
        double[][] rows = w.rows(s, n);
        double[][] wt = w.transposed;
        double[] acc = w.row;
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(acc, 0, n, 0);
            accumulate(acc, n, a, i, rows);
            for (int l = 0; l < n; l++) {
                wt[l][i] = acc[l];
            }
        }
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(acc, 0, i + 1, 0);
            accumulate(acc, i + 1, a, i, wt);
            for (int j = 0; j <= i; j++) {
                double v = (add == null ? 0 : add[j * n + i]) + acc[j];
                out[i * n + j] = v;
                out[j * n + i] = v;
            }
        }
    }

    /**
     * The same for small n as dot products of rows ({@link #dot}, written out up to length 4): row i of a S,
     * (a S)_il = a_i · S_l, into {@code row} (n), then out_ij = add_ij + (a S)_i · a_j for j ≥ i, mirrored.
     */
    static void symmetricSandwichLoops(double[] a, double[] s, double[] add, double[] out, double[] row, int n) {
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < n; l++) {
                row[l] = dot(a, i * n, s, l * n, n);
            }
            for (int j = i; j < n; j++) {
                double v = (add == null ? 0 : add[i * n + j]) + dot(row, 0, a, j * n, n);
                out[i * n + j] = v;
                out[j * n + i] = v;
            }
        }
    }

    /** {@link #symmetricSandwich(Rows, double[], double[], double[], double[], RowWorkspace, int)} for a dense a (tests). */
    static void symmetricSandwich(double[] a, double[] s, double[] add, double[] out, int n) {
        symmetricSandwich(Rows.of(a, n, n), a, s, add, out, new RowWorkspace(n), n);
    }

    /**
     * out (r×n) = a S for a symmetric S (n×n) and a given by its nonzero entries (r×n): row i is
     * Σ_l a_il S_l (the same sums in the same order as a_i · S_j, S being symmetric).
     */
    static void multiplySymmetric(Rows a, double[] dense, double[] s, double[] out, RowWorkspace w, int n) {
        if (n < ROW_KERNELS) {
            multiplyTransposeB(dense, s, out, a.rows(), n, n);
        } else {
            multiplySymmetricRows(a, s, out, w, n);
        }
    }

    /** {@link #multiplySymmetric} as row kernels (any n). */
    static void multiplySymmetricRows(Rows a, double[] s, double[] out, RowWorkspace w, int n) {
        double[][] rows = w.rows(s, n);
        double[] acc = w.row;
        for (int i = 0; i < a.rows(); i++) {
            java.util.Arrays.fill(acc, 0, n, 0);
            accumulate(acc, n, a, i, rows);
            System.arraycopy(acc, 0, out, i * n, n);
        }
    }

    /**
     * Scratch of the row kernels for an n×n matrix, allocated once per run: a copy of a matrix as n row
     * arrays, an n×n transposed product and a row. HotSpot's superword pass (JDK 17) vectorises a loop over
     * a row only when each row it reads or writes is an array of its own indexed from 0 (the same loop over a
     * flat row-major array at offsets i·n stays scalar: measured with -XX:-UseSuperWord, no change), so the
     * kernels copy their operands into rows (n² copies against n³ multiply-adds).
     */
    static final class RowWorkspace {
        final double[][] matrix;
        final double[][] transposed;
        final double[] row;

        RowWorkspace(int n) {
            matrix = new double[n][n];
            transposed = new double[n][n];
            row = new double[n];
        }

        /** {@code a} (n×n row-major) copied into {@link #matrix}. */
        double[][] rows(double[] a, int n) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(a, i * n, matrix[i], 0, n);
            }
            return matrix;
        }
    }

    /**
     * The nonzero entries of an r×c row-major matrix, row by row (compressed sparse rows): row i holds the
     * columns {@code column[start[i]..start[i+1])} with their {@code value}s, ascending. Made once per model
     * for the constant F and H, so a product skips their structural zeros.
     */
    record Rows(int rows, int columns, int[] start, int[] column, double[] value) {
        static Rows of(double[] a, int r, int c) {
            int count = 0;
            for (int i = 0; i < r * c; i++) {
                if (a[i] != 0) {
                    count++;
                }
            }
            int[] start = new int[r + 1];
            int[] column = new int[count];
            double[] value = new double[count];
            int e = 0;
            for (int i = 0; i < r; i++) {
                start[i] = e;
                for (int j = 0; j < c; j++) {
                    double x = a[i * c + j];
                    if (x != 0) {
                        column[e] = j;
                        value[e++] = x;
                    }
                }
            }
            start[r] = e;
            return new Rows(r, c, start, column, value);
        }
    }

    /**
     * The row kernel of the products: c[j] += Σ_l a_il b_l[j] for j &lt; len over the nonzero a_il of row i of
     * {@code a}, l ascending, four terms per pass (c = (((c + t0) + t1) + t2) + t3: the order of the plain
     * loop, so the same bits as a dot product summed left to right from 0). {@code c} is none of b's rows.
     */
    static void accumulate(double[] c, int len, Rows a, int i, double[][] b) {
        int[] column = a.column;
        double[] value = a.value;
        int e = a.start[i];
        int end = a.start[i + 1];
        for (; e + 4 <= end; e += 4) {
            add4(c, len, value[e], value[e + 1], value[e + 2], value[e + 3], b[column[e]], b[column[e + 1]],
                    b[column[e + 2]], b[column[e + 3]]);
        }
        for (; e < end; e++) {
            add1(c, len, value[e], b[column[e]]);
        }
    }

    /**
     * c[j] += Σ_{l &lt; k} x[x0 + l] b_l[j] for j &lt; len, l ascending, four terms per pass as in
     * {@link #accumulate(double[], int, Rows, int, double[][])}, for multipliers that change every step.
     */
    static void accumulate(double[] c, int len, double[] x, int x0, int k, double[][] b) {
        int l = 0;
        for (; l + 4 <= k; l += 4) {
            add4(c, len, x[x0 + l], x[x0 + l + 1], x[x0 + l + 2], x[x0 + l + 3], b[l], b[l + 1], b[l + 2], b[l + 3]);
        }
        for (; l < k; l++) {
            add1(c, len, x[x0 + l], b[l]);
        }
    }

    // c[j] = (((c[j] + x0 b0[j]) + x1 b1[j]) + x2 b2[j]) + x3 b3[j]
    private static void add4(double[] c, int len, double x0, double x1, double x2, double x3, double[] b0,
            double[] b1, double[] b2, double[] b3) {
        for (int j = 0; j < len; j++) {
            c[j] = c[j] + x0 * b0[j] + x1 * b1[j] + x2 * b2[j] + x3 * b3[j];
        }
    }

    // c[j] += x b[j]
    private static void add1(double[] c, int len, double x, double[] b) {
        for (int j = 0; j < len; j++) {
            c[j] += x * b[j];
        }
    }

    /** a := (a + aᵀ) / 2 in place (n×n). */
    static void symmetrize(double[] a, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = 0.5 * (a[i * n + j] + a[j * n + i]);
                a[i * n + j] = s;
                a[j * n + i] = s;
            }
        }
    }

    /** out (r) = a (r×c) · x (c). */
    static void multiplyVector(double[] a, double[] x, double[] out, int r, int c) {
        for (int i = 0; i < r; i++) {
            out[i] = dot(a, i * c, x, 0, c);
        }
    }

    /** out (c) = aᵀ · x, a being r×c. */
    static void multiplyTransposeVector(double[] a, double[] x, double[] out, int r, int c) {
        for (int j = 0; j < c; j++) {
            out[j] = 0;
        }
        for (int i = 0; i < r; i++) {
            double xi = x[i];
            for (int j = 0; j < c; j++) {
                out[j] += a[i * c + j] * xi;
            }
        }
    }

    /**
     * Copies the k×k block of rows and columns {@code index[0..k)} of a square row-major matrix with
     * {@code stride} columns into {@code out} and factors it in place (Cholesky, {@code out} = L).
     *
     * @throws NumericalException when the block is not positive definite
     */
    static void factorBlock(double[] matrix, int stride, int[] index, int k, double[] out) {
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                out[a * k + b] = matrix[index[a] * stride + index[b]];
            }
        }
        Cholesky.factor(out, k, out);
    }

    /** Symmetrises {@code from} (n×n) and copies it into {@code to}. */
    static void storeSymmetric(double[] from, double[] to, int n) {
        symmetrize(from, n);
        System.arraycopy(from, 0, to, 0, n * n);
    }

    /** The largest absolute entry of a[0..len). */
    static double maxAbs(double[] a, int len) {
        double m = 0;
        for (int i = 0; i < len; i++) {
            m = Math.max(m, Math.abs(a[i]));
        }
        return m;
    }

    /**
     * A square root S of a symmetric positive semidefinite n×n matrix (S Sᵀ = a), from its
     * eigen-decomposition, with eigenvalues below zero (rounding) taken as zero. Works for singular
     * matrices, where a Cholesky factor does not exist.
     */
    static double[] psdSquareRoot(double[] a, int n) {
        DMatrixRMaj m = new DMatrixRMaj(n, n);
        System.arraycopy(a, 0, m.data, 0, n * n);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(m)) {
            throw new NumericalException("eigen-decomposition of a " + n + "x" + n + " covariance did not converge");
        }
        double[] s = new double[n * n];
        for (int k = 0; k < n; k++) {
            double lambda = eig.getEigenvalue(k).getReal();
            DMatrixRMaj v = eig.getEigenVector(k);
            if (v == null || !(lambda > 0)) {
                continue;
            }
            double root = Math.sqrt(lambda);
            for (int i = 0; i < n; i++) {
                s[i * n + k] = v.data[i] * root;
            }
        }
        return s;
    }
}
