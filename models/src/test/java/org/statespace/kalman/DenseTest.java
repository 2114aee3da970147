package org.statespace.kalman;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The fused kernels of {@link Dense} against the two-step products they replace, bit for bit. */
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
                Dense.symmetricSandwich(a, s, add, actual, new double[n], n);
                assertThat(actual).as("n = %d, trial %d", n, trial).containsExactly(expected);
            }
        }
    }

    private static double[] randomMatrix(SplittableRandom random, int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n * n; i++) {
            a[i] = random.nextDouble(-2, 2);
        }
        return a;
    }
}
