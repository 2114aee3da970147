package org.statespace.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import org.statespace.numeric.Randoms;

/**
 * The paired tests against a hand computation, against the paired t-statistic computed directly, and
 * by their size: under the null (independent differences of mean 0) a 5% test rejects in about 5% of
 * seeded replications.
 */
class PairedTestTest {

    @Test
    void dieboldMarianoByHand() {
        // d = 1, -0.5, 2, 0.5, 1.5: mean 0.9, deviations 0.1, -1.4, 1.1, -0.4, 0.6
        // γ0 = (0.01 + 1.96 + 1.21 + 0.16 + 0.36)/5 = 0.74
        // γ1 = (-1.4·0.1 + 1.1·-1.4 + -0.4·1.1 + 0.6·-0.4)/5 = -2.36/5 = -0.472
        // L = 1, Bartlett weight 1/2: σ² = 0.74 - 0.472 = 0.268, se = √(0.268/5)
        // S = 0.9/√0.0536 and p = erfc(S/√2), both from mpmath (dps 30):
        // 3.8874079151161205908, 0.00010132040569170802293
        PairedTest test = PairedTest.dieboldMariano(new double[] {1, -0.5, 2, 0.5, 1.5}, 1);
        assertThat(test.meanDifference()).isCloseTo(0.9, within(1e-15));
        assertThat(test.standardError()).isCloseTo(Math.sqrt(0.0536), within(1e-15));
        assertThat(test.statistic()).isCloseTo(3.8874079151161205908, within(1e-13));
        assertThat(test.pValue()).isCloseTo(0.00010132040569170802293, within(1e-16));
        assertThat(test.lag()).isEqualTo(1);
        assertThat(test.method()).isEqualTo("diebold-mariano");
        assertThat(test.significantAt(0.05)).isTrue();
    }

    @Test
    void withLagZeroItIsThePairedTStatisticRescaled() {
        RandomGenerator random = Randoms.seeded(11);
        double[] a = new double[40];
        double[] b = new double[40];
        double[] d = new double[40];
        for (int t = 0; t < d.length; t++) {
            a[t] = random.nextGaussian();
            b[t] = 0.3 + random.nextGaussian();
            d[t] = a[t] - b[t];
        }
        // the paired t-statistic, from the two score series: mean difference over s/√T, s with T - 1
        double meanA = 0;
        double meanB = 0;
        for (int t = 0; t < d.length; t++) {
            meanA += a[t] / d.length;
            meanB += b[t] / d.length;
        }
        double ss = 0;
        for (int t = 0; t < d.length; t++) {
            double e = (a[t] - meanA) - (b[t] - meanB);
            ss += e * e;
        }
        double tStatistic = (meanA - meanB) / Math.sqrt(ss / (d.length - 1) / d.length);
        PairedTest test = PairedTest.dieboldMariano(d, 0);
        assertThat(test.statistic()).isCloseTo(tStatistic * Math.sqrt(d.length / (d.length - 1.0)), within(1e-12));
    }

    @Test
    void defaultLagIsTheFloorOfTheCubeRoot() {
        assertThat(PairedTest.defaultLag(7)).isEqualTo(1);
        assertThat(PairedTest.defaultLag(8)).isEqualTo(2);
        assertThat(PairedTest.defaultLag(999)).isEqualTo(9);
        assertThat(PairedTest.defaultLag(1000)).isEqualTo(10);
        assertThat(PairedTest.dieboldMariano(new double[] {1, 2, 4, 3, 5, 0, 1, 2, 3}).lag()).isEqualTo(2);
    }

    @Test
    void dieboldMarianoHoldsItsSizeUnderTheNull() {
        // 2000 seeded replications of T = 400 iid N(0, 1) differences: the rejection rate at 5% has a
        // binomial standard deviation of 0.5%; Newey-West at small T rejects slightly too often, so the
        // accepted band is [3.5%, 7%]
        RandomGenerator random = Randoms.seeded(20261202);
        int replications = 2000;
        int rejected = 0;
        double[] d = new double[400];
        for (int r = 0; r < replications; r++) {
            for (int t = 0; t < d.length; t++) {
                d[t] = random.nextGaussian();
            }
            if (PairedTest.dieboldMariano(d).significantAt(0.05)) {
                rejected++;
            }
        }
        assertThat(rejected / (double) replications).isBetween(0.035, 0.07);
    }

    @Test
    void theHacVarianceCorrectsForAutocorrelation() {
        // AR(1) differences with φ = 0.6 under the null: the lag-0 test ignores the dependence and rejects
        // far too often (its variance is short by (1+φ)/(1-φ) = 4), the HAC one stays much nearer 5%
        RandomGenerator random = Randoms.seeded(5);
        int replications = 1000;
        int naive = 0;
        int hac = 0;
        double[] d = new double[500];
        for (int r = 0; r < replications; r++) {
            double x = random.nextGaussian() / Math.sqrt(1 - 0.36);
            for (int t = 0; t < d.length; t++) {
                x = 0.6 * x + random.nextGaussian();
                d[t] = x;
            }
            naive += PairedTest.dieboldMariano(d, 0).significantAt(0.05) ? 1 : 0;
            hac += PairedTest.dieboldMariano(d, 12).significantAt(0.05) ? 1 : 0;
        }
        assertThat(naive / (double) replications).isGreaterThan(0.25);
        assertThat(hac / (double) replications).isLessThan(0.12);
    }

    @Test
    void blockBootstrapHoldsItsSizeAndSeesARealDifference() {
        RandomGenerator random = Randoms.seeded(99);
        int replications = 400;
        int rejected = 0;
        double[] d = new double[200];
        for (int r = 0; r < replications; r++) {
            for (int t = 0; t < d.length; t++) {
                d[t] = random.nextGaussian();
            }
            if (PairedTest.blockBootstrap(d, 5, 199, random).significantAt(0.05)) {
                rejected++;
            }
        }
        // binomial standard deviation at 400 replications: 1.1%; band [2%, 9%]
        assertThat(rejected / (double) replications).isBetween(0.02, 0.09);
        for (int t = 0; t < d.length; t++) {
            d[t] = 0.5 + random.nextGaussian();
        }
        PairedTest shifted = PairedTest.blockBootstrap(d, 5, 999, random);
        assertThat(shifted.pValue()).isEqualTo(1.0 / 1000);
        // the bootstrap standard error of a mean of 200 iid unit-variance values is near 1/√200
        assertThat(shifted.standardError()).isCloseTo(1 / Math.sqrt(200), within(0.015));
    }

    @Test
    void bootstrapsAreReproducibleFromTheSeed() {
        double[] d = {0.3, -0.2, 0.5, 0.1, -0.4, 0.8, 0.2, 0.0, 0.6, -0.1};
        PairedTest first = PairedTest.blockBootstrap(d, 3, 500, Randoms.seeded(3));
        PairedTest second = PairedTest.blockBootstrap(d, 3, 500, Randoms.seeded(3));
        assertThat(first).isEqualTo(second);
        double[][] bySequence = {{0.3, -0.2}, {0.5, 0.1, -0.4}, {0.8}, {0.2, 0.0, 0.6, -0.1}};
        PairedTest sequences = PairedTest.sequenceBootstrap(bySequence, 500, Randoms.seeded(3));
        assertThat(sequences).isEqualTo(PairedTest.sequenceBootstrap(bySequence, 500, Randoms.seeded(3)));
        // the pooled mean over all ten steps
        assertThat(sequences.meanDifference()).isCloseTo(1.8 / 10, within(1e-15));
        assertThat(sequences.observations()).isEqualTo(10);
    }

    @Test
    void sequenceBootstrapHoldsItsSizeUnderTheNull() {
        // 20 sequences of 30 steps with a per-sequence random offset (dependence within a sequence)
        RandomGenerator random = Randoms.seeded(17);
        int replications = 400;
        int rejected = 0;
        double[][] d = new double[20][30];
        for (int r = 0; r < replications; r++) {
            for (double[] sequence : d) {
                double offset = random.nextGaussian();
                for (int t = 0; t < sequence.length; t++) {
                    sequence[t] = offset + random.nextGaussian();
                }
            }
            if (PairedTest.sequenceBootstrap(d, 199, random).significantAt(0.05)) {
                rejected++;
            }
        }
        // 20 clusters make the bootstrap a little liberal; band [2%, 11%]
        assertThat(rejected / (double) replications).isBetween(0.02, 0.11);
    }

    @Test
    void constantDifferencesAndBadInput() {
        PairedTest zero = PairedTest.dieboldMariano(new double[] {0, 0, 0, 0}, 1);
        assertThat(zero.statistic()).isZero();
        assertThat(zero.pValue()).isEqualTo(1);
        PairedTest constant = PairedTest.dieboldMariano(new double[] {0.5, 0.5, 0.5}, 1);
        assertThat(constant.statistic()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(constant.pValue()).isZero();
        assertThatThrownBy(() -> PairedTest.dieboldMariano(new double[] {1})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2");
        assertThatThrownBy(() -> PairedTest.dieboldMariano(new double[] {1, Double.NaN, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("difference 1 is NaN");
        assertThatThrownBy(() -> PairedTest.dieboldMariano(new double[] {1, 2, 3}, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..2");
        assertThatThrownBy(() -> PairedTest.sequenceBootstrap(new double[][] {{1}}, 10, Randoms.seeded(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 sequences");
    }
}
