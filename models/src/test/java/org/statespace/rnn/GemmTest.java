package org.statespace.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The blocked kernels against the textbook triple loop, on every shape up to 9 in each dimension (so every
 * remainder of the row pairs and the blocks of 4 is hit), accumulating into a nonzero C and leaving the
 * columns past n untouched.
 */
class GemmTest {

    private static double[][] random(int rows, int cols, SplittableRandom random) {
        double[][] x = new double[rows][cols];
        for (double[] row : x) {
            for (int j = 0; j < cols; j++) {
                row[j] = random.nextDouble(-1, 1);
            }
        }
        return x;
    }

    private static double[][] copy(double[][] x) {
        double[][] c = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            c[i] = x[i].clone();
        }
        return c;
    }

    private static void assertClose(double[][] actual, double[][] expected, String what) {
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                assertThat(actual[i][j]).as("%s [%d][%d]", what, i, j).isCloseTo(expected[i][j], within(1e-13));
            }
        }
    }

    @Test
    void multiplyIsTheTextbookProduct() {
        SplittableRandom random = new SplittableRandom(1);
        for (int m = 1; m <= 9; m++) {
            for (int k = 1; k <= 9; k++) {
                for (int n = 1; n <= 9; n++) {
                    double[][] a = random(m, k, random);
                    double[][] b = random(k, n, random);
                    double[][] c = random(m, n + 2, random);
                    double[][] expected = copy(c);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            for (int p = 0; p < k; p++) {
                                expected[i][j] += a[i][p] * b[p][j];
                            }
                        }
                    }
                    Gemm.multiply(m, k, n, a, b, c);
                    assertClose(c, expected, m + "x" + k + "x" + n);
                }
            }
        }
    }

    @Test
    void multiplyTransposedAIsTheTextbookProduct() {
        SplittableRandom random = new SplittableRandom(2);
        for (int m = 1; m <= 9; m++) {
            for (int k = 1; k <= 9; k++) {
                for (int n = 1; n <= 9; n++) {
                    double[][] a = random(m, k, random);
                    double[][] b = random(m, n, random);
                    double[][] c = random(k, n + 2, random);
                    double[][] expected = copy(c);
                    for (int i = 0; i < k; i++) {
                        for (int j = 0; j < n; j++) {
                            for (int p = 0; p < m; p++) {
                                expected[i][j] += a[p][i] * b[p][j];
                            }
                        }
                    }
                    Gemm.multiplyTransposedA(m, k, n, a, b, c);
                    assertClose(c, expected, m + "x" + k + "x" + n);
                }
            }
        }
    }

    /**
     * Steps stacked as segments (as {@link Network#flush} sums the held weight-gradient products): the textbook
     * product over all rows, with segments that end off the blocks of 4 and n across several column tiles; and
     * bit for bit one product per segment in turn, which is what keeps training results unchanged.
     */
    @Test
    void stackedSegmentsAreTheProductOfEverySegmentInTurn() {
        SplittableRandom random = new SplittableRandom(3);
        int[] segments = {5, 16, 3, 16, 1, 7};
        int m = 48;
        for (int k : new int[] {1, 2, 7}) {
            for (int n : new int[] {3, Gemm.TILE, 2 * Gemm.TILE + 37}) {
                double[][] a = random(m, k, random);
                double[][] b = random(m, n, random);
                double[][] c = random(k, n + 2, random);
                double[][] expected = copy(c);
                double[][] inTurn = copy(c);
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < n; j++) {
                        for (int p = 0; p < m; p++) {
                            expected[i][j] += a[p][i] * b[p][j];
                        }
                    }
                }
                Gemm.multiplyTransposedA(segments, segments.length, m, k, n, a, b, c);
                assertClose(c, expected, "stacked " + k + "x" + n);
                int start = 0;
                for (int rows : segments) {
                    Gemm.multiplyTransposedA(rows, k, n, java.util.Arrays.copyOfRange(a, start, start + rows),
                            java.util.Arrays.copyOfRange(b, start, start + rows), inTurn);
                    start += rows;
                }
                for (int i = 0; i < k; i++) {
                    assertThat(c[i]).as("row %d, %dx%d", i, k, n).isEqualTo(inTurn[i]);
                }
            }
        }
    }
}
