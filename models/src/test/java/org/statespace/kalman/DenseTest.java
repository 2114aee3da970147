package org.statespace.kalman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The fused kernels of {@link Dense} against the two-step products they replace, bit for bit; the row kernels
 * ({@link Dense#accumulate}, used from n = {@link Dense#ROW_KERNELS}) against the plain loops on random shapes,
 * sparse operands and missing components; the Joseph update against its product form.
 */
class DenseTest {
    private static final long SEED = 20261129L;

    @Test
    void symmetricSandwichHasTheBitsOfTheTwoProducts() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int n = 1; n <= 6; n++) {
            for (int trial = 0; trial < 20; trial++) {
                double[] a = randomMatrix(random, n);
                double[] b = randomMatrix(random, n);
                double[] s = new double[n * n];
                Dense.symmetricProduct(b, b, null, s, n, n); // S = B Bᵀ, symmetric
                double[] add = trial % 2 == 0 ? null : randomMatrix(random, n);
                double[] left = new double[n * n];
                double[] expected = new double[n * n];
                Dense.multiplyTransposeB(a, s, left, n, n, n);
                Dense.symmetricProduct(left, a, add, expected, n, n);
                double[] actual = new double[n * n];
                Dense.symmetricSandwich(a, s, add, actual, n);
                assertThat(actual).as("n = %d, trial %d", n, trial).containsExactly(expected);
            }
        }
    }

    @Test
    void rowKernelsHaveTheBitsOfThePlainLoops() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        for (int n = 1; n <= 20; n++) {
            for (int trial = 0; trial < 6; trial++) {
                int m = 1 + random.nextInt(Math.min(2 * n, 9));
                double[] f = randomMatrix(random, n);
                double[] h = randomMatrix(random, m, n);
                if (trial % 2 == 1) { // structural zeros, skipped by the row kernels
                    sparsify(random, f);
                    sparsify(random, h);
                }
                double[] b = randomMatrix(random, n);
                double[] s = new double[n * n];
                Dense.symmetricProduct(b, b, null, s, n, n);
                double[] add = trial % 3 == 0 ? null : randomMatrix(random, n);
                Dense.RowWorkspace w = new Dense.RowWorkspace(n);
                double[] loops = new double[n * n];
                double[] rows = new double[n * n];
                Dense.symmetricSandwichLoops(f, s, add, loops, new double[n], n);
                Dense.symmetricSandwichRows(Dense.Rows.of(f, n, n), s, add, rows, w, n);
                // equal as numbers: a skipped zero may turn a -0.0 into 0.0
                assertThat(rows).as("F P Fᵀ, n = %d, trial %d", n, trial).containsExactly(loops, within(0.0));
                double[] hpLoops = new double[m * n];
                double[] hpRows = new double[m * n];
                Dense.multiplyTransposeB(h, s, hpLoops, m, n, n);
                Dense.multiplySymmetricRows(Dense.Rows.of(h, m, n), s, hpRows, w, n);
                assertThat(hpRows).as("H P, n = %d, m = %d", n, m).containsExactly(hpLoops, within(0.0));
            }
        }
    }

    @Test
    void josephKernelsAgreeWithEachOtherBitForBitAndWithTheProductForm() {
        SplittableRandom random = new SplittableRandom(SEED + 2);
        for (int n = 1; n <= 20; n++) {
            for (int trial = 0; trial < 6; trial++) {
                int m = 1 + random.nextInt(Math.min(2 * n, 9));
                double[] h = randomMatrix(random, m, n);
                double[] b = randomMatrix(random, n);
                double[] p = new double[n * n];
                Dense.symmetricProduct(b, b, null, p, n, n);
                for (int i = 0; i < n; i++) {
                    p[i * n + i] += 0.5;
                }
                double[] c = randomMatrix(random, m);
                double[] r = new double[m * m];
                Dense.symmetricProduct(c, c, null, r, m, m);
                for (int i = 0; i < m; i++) {
                    r[i * m + i] += 0.5;
                }
                // missing components: a random nonempty subset observed (every one on trial 0)
                int[] o = new int[m];
                int k = 0;
                for (int j = 0; j < m; j++) {
                    if (trial == 0 || random.nextBoolean()) {
                        o[k++] = j;
                    }
                }
                if (k == 0) {
                    o[k++] = random.nextInt(m);
                }
                double[] hp = new double[m * n];
                Dense.multiplyTransposeB(h, p, hp, m, n, n);
                double[] sInnov = new double[m * m];
                Dense.symmetricProduct(hp, h, r, sInnov, m, n);
                double[] lower = new double[m * m];
                ConventionalKalmanFilter.factor(sInnov, m, o, k, lower, null, 0);
                double[] g = new double[m * n];
                ConventionalKalmanFilter.gain(lower, k, o, hp, g, n);

                ConventionalKalmanFilter.JosephWorkspace w = new ConventionalKalmanFilter.JosephWorkspace(n, m);
                double[] loops = new double[n * n];
                double[] rows = new double[n * n];
                ConventionalKalmanFilter.joseph(n, m, k, o, g, hp, sInnov, p, w, loops); // fills S_oo in w
                ConventionalKalmanFilter.josephLoops(n, m, k, o, g, hp, p, w, loops);
                ConventionalKalmanFilter.josephRows(n, k, o, g, hp, p, w, rows);
                assertThat(rows).as("n = %d, m = %d, k = %d", n, m, k).containsExactly(loops, within(0.0));

                // (I - K H_o) P (I - K H_o)ᵀ + K R_oo Kᵀ, formed as written
                double[] a = new double[n * n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double sum = i == j ? 1 : 0;
                        for (int e = 0; e < k; e++) {
                            sum -= g[e * n + i] * h[o[e] * n + j];
                        }
                        a[i * n + j] = sum;
                    }
                }
                double[] kr = new double[n * k];
                for (int i = 0; i < n; i++) {
                    for (int e = 0; e < k; e++) {
                        double sum = 0;
                        for (int d = 0; d < k; d++) {
                            sum += g[d * n + i] * r[o[d] * m + o[e]];
                        }
                        kr[i * k + e] = sum;
                    }
                }
                double scale = Dense.maxAbs(p, n * n);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double sum = 0;
                        for (int x = 0; x < n; x++) {
                            for (int y = 0; y < n; y++) {
                                sum += a[i * n + x] * p[x * n + y] * a[j * n + y];
                            }
                        }
                        for (int e = 0; e < k; e++) {
                            sum += kr[i * k + e] * g[e * n + j];
                        }
                        assertThat(rows[i * n + j]).as("n = %d, m = %d, k = %d, (%d, %d)", n, m, k, i, j)
                                .isCloseTo(sum, within(1e-11 * scale));
                    }
                }
            }
        }
    }

    private static void sparsify(SplittableRandom random, double[] a) {
        for (int i = 0; i < a.length; i++) {
            if (random.nextInt(3) > 0) {
                a[i] = 0;
            }
        }
    }

    private static double[] randomMatrix(SplittableRandom random, int rows, int columns) {
        double[] a = new double[rows * columns];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextDouble(-2, 2);
        }
        return a;
    }

    private static double[] randomMatrix(SplittableRandom random, int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n * n; i++) {
            a[i] = random.nextDouble(-2, 2);
        }
        return a;
    }
}
