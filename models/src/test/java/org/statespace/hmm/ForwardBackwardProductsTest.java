package org.statespace.hmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import org.statespace.Sampling;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * The transition products of {@link ForwardBackward} (four rows at a time, the expected transition counts
 * as a blocked product over time) against the plain loops of their definitions.
 */
class ForwardBackwardProductsTest {

    private static double[] randomRow(SplittableRandom random, int length, boolean zeros) {
        double[] x = new double[length];
        for (int i = 0; i < length; i++) {
            x[i] = zeros && random.nextInt(3) == 0 ? 0 : random.nextDouble();
        }
        return x;
    }

    @Test
    void predictIsBitForBitTheRowByRowSum() {
        SplittableRandom random = new SplittableRandom(3);
        for (int k = 1; k <= 11; k++) {
            double[] a = randomRow(random, 3 + k * k, false);
            double[] belief = randomRow(random, 2 + k, true);
            double[] out = new double[k];
            ForwardStep.predict(belief, 2, ForwardStep.rows(a, 3, k, new double[k][k]), k, out);
            for (int j = 0; j < k; j++) {
                double h = 0;
                for (int i = 0; i < k; i++) {
                    if (belief[2 + i] != 0) {
                        h += belief[2 + i] * a[3 + i * k + j];
                    }
                }
                assertThat(out[j]).as("k=%d, j=%d", k, j).isEqualTo(h);
            }
        }
    }

    /** The backward step: predict over the columns of A is A v, each entry the dot product of a row in order. */
    @Test
    void predictOverTheColumnsIsBitForBitTheDotProductOfEachRow() {
        SplittableRandom random = new SplittableRandom(4);
        for (int k = 1; k <= 11; k++) {
            double[] a = randomRow(random, 1 + k * k, false);
            double[] v = randomRow(random, 5 + k, false);
            double[] out = new double[k];
            ForwardStep.predict(v, 5, ForwardStep.columns(a, 1, k, new double[k][k]), k, out);
            for (int i = 0; i < k; i++) {
                double b = 0;
                for (int j = 0; j < k; j++) {
                    b += a[1 + i * k + j] * v[5 + j];
                }
                assertThat(out[i]).as("k=%d, i=%d", k, i).isEqualTo(b);
            }
        }
    }

    /** Σ_t ξ_t from the two-slice marginals of smooth(), a path that sums no product over time. */
    @Test
    void expectedTransitionsEqualTheSumOfTwoSliceMarginalsAcrossBlockBoundaries() {
        for (int k : new int[] {3, 6}) {
            for (int length : new int[] {1, 2, ForwardBackward.BLOCK, ForwardBackward.BLOCK + 1, 3 * ForwardBackward.BLOCK + 7}) {
                SplittableRandom random = new SplittableRandom(k * 100L + length);
                double[] initial = new double[k];
                double[][] transition = new double[k][k];
                double[] means = new double[k];
                double[] variances = new double[k];
                for (int i = 0; i < k; i++) {
                    initial[i] = 1.0 / k;
                    double total = 0;
                    for (int j = 0; j < k; j++) {
                        transition[i][j] = random.nextDouble() + 0.05;
                        total += transition[i][j];
                    }
                    for (int j = 0; j < k; j++) {
                        transition[i][j] /= total;
                    }
                    means[i] = i;
                    variances[i] = 0.5 + random.nextDouble();
                }
                HiddenMarkovModel model = HiddenMarkovModel.of(initial, transition,
                        GaussianEmission.univariate(means, variances));
                Sequence data = Sampling.sample(model, "s", length, null, Randoms.seeded(length));
                HmmStatistics statistics = (HmmStatistics) model.newStatistics();
                model.expectation(data, statistics);
                ForwardBackward kernels = model.forwardBackward();
                kernels.smooth(data);
                double[] xi = kernels.twoSliceMarginals();
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        double expected = 0;
                        for (int t = 0; t < length - 1; t++) {
                            expected += xi[(t * k + i) * k + j];
                        }
                        assertThat(statistics.transitions[i * k + j]).as("K=%d, T=%d, (%d, %d)", k, length, i, j)
                                .isCloseTo(expected, within(1e-12 * Math.max(1, expected)));
                    }
                }
            }
        }
    }
}
