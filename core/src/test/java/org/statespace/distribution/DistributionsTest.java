package org.statespace.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import org.statespace.numeric.Randoms;

/**
 * Predictive distributions against direct formulas: the bivariate normal density written out, the
 * marginal of a normal, the Poisson pmf, the mixture as a weighted sum; sample moments against the
 * distribution's own mean and variance.
 */
class DistributionsTest {

    @Test
    void bivariateNormalDensityMatchesTheFormula() {
        double s1 = 2, s2 = 0.5, rho = 0.3;
        double[] cov = {s1 * s1, rho * s1 * s2, rho * s1 * s2, s2 * s2};
        Gaussian g = Gaussian.of(new double[] {1, -1}, cov);
        double x = 0.3, y = -0.2;
        double zx = (x - 1) / s1, zy = (y + 1) / s2;
        double q = (zx * zx - 2 * rho * zx * zy + zy * zy) / (1 - rho * rho);
        double expected = -Math.log(2 * Math.PI * s1 * s2 * Math.sqrt(1 - rho * rho)) - q / 2;
        assertThat(g.logDensity(new double[] {x, y}, 0)).isCloseTo(expected, within(1e-13));
    }

    @Test
    void missingComponentsAreMarginalisedOut() {
        double[] cov = {4, 0.3, 0.3, 0.25};
        Gaussian g = Gaussian.of(new double[] {1, -1}, cov);
        double onlySecond = g.logDensity(new double[] {Double.NaN, -0.2}, 0);
        double expected = -0.5 * (Math.log(2 * Math.PI * 0.25) + 0.64 / 0.25);
        assertThat(onlySecond).isCloseTo(expected, within(1e-13));
        assertThat(g.logDensity(new double[] {Double.NaN, Double.NaN}, 0)).isZero();
    }

    @Test
    void gaussianQuantilesAndCdfAgree() {
        Gaussian g = Gaussian.univariate(3, 4);
        assertThat(g.quantile(0, 0.975)).isCloseTo(3 + 2 * 1.959963984540054, within(1e-12));
        assertThat(g.cdf(0, 3)).isCloseTo(0.5, within(1e-15));
    }

    @Test
    void poissonMatchesItsPmf() {
        Poisson p = Poisson.of(3.5);
        double pmf = Math.exp(-3.5) * Math.pow(3.5, 4) / 24;
        assertThat(p.logDensity(new double[] {4}, 0)).isCloseTo(Math.log(pmf), within(1e-13));
        double cdf = 0;
        for (int k = 0; k <= 4; k++) {
            cdf += Math.exp(-3.5) * Math.pow(3.5, k) / factorial(k);
        }
        assertThat(p.cdf(0, 4)).isCloseTo(cdf, within(1e-14));
        assertThat(p.cdf(0, 4.7)).isCloseTo(cdf, within(1e-14));
        assertThat(p.quantile(0, cdf - 1e-12)).isEqualTo(4);
        assertThat(p.quantile(0, cdf + 1e-9)).isEqualTo(5);
        assertThat(p.logDensity(new double[] {2.5}, 0)).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    private static double factorial(int k) {
        double f = 1;
        for (int i = 2; i <= k; i++) {
            f *= i;
        }
        return f;
    }

    @Test
    void mixtureIsTheWeightedSum() {
        Mixture m = new Mixture(Gaussian.univariate(0, 1), Gaussian.univariate(5, 4));
        m.setWeights(new double[] {0.3, 0.7}, 0);
        double y = 1.2;
        double expected = Math.log(0.3 * Math.exp(-0.5 * (Math.log(2 * Math.PI) + y * y))
                + 0.7 * Math.exp(-0.5 * (Math.log(2 * Math.PI * 4) + (y - 5) * (y - 5) / 4)));
        assertThat(m.logDensity(new double[] {y}, 0)).isCloseTo(expected, within(1e-13));
        assertThat(m.mean(0)).isCloseTo(3.5, within(1e-14));
        // total variance: 0.3 (1 + 0) + 0.7 (4 + 25) - 3.5^2
        assertThat(m.variance(0)).isCloseTo(0.3 + 0.7 * 29 - 12.25, within(1e-12));
        assertThat(m.componentLogDensity(1)).isCloseTo(-0.5 * (Math.log(2 * Math.PI * 4) + (y - 5) * (y - 5) / 4), within(1e-13));
        for (double level : new double[] {0.05, 0.25, 0.5, 0.9, 0.999}) {
            assertThat(m.cdf(0, m.quantile(0, level))).isCloseTo(level, within(1e-11));
        }
        Mixture counts = new Mixture(Poisson.of(2), Poisson.of(9));
        double k = counts.quantile(0, 0.5);
        assertThat(k).isEqualTo(Math.rint(k));
        assertThat(counts.cdf(0, k)).isGreaterThanOrEqualTo(0.5);
        assertThat(counts.cdf(0, k - 1)).isLessThan(0.5);
    }

    @Test
    void samplesHaveTheRightMoments() {
        RandomGenerator r = Randoms.seeded(3);
        Mixture m = new Mixture(Gaussian.univariate(0, 1), Poisson.of(40));
        m.setWeights(new double[] {0.5, 0.5}, 0);
        Categorical c = Categorical.of(0.2, 0.5, 0.3);
        int n = 200_000;
        double[] y = new double[1];
        double sum = 0, sumSq = 0, symbols = 0;
        for (int i = 0; i < n; i++) {
            m.sample(r, y, 0);
            sum += y[0];
            sumSq += y[0] * y[0];
            symbols += c.sampleSymbol(r);
        }
        double mean = sum / n;
        double variance = sumSq / n - mean * mean;
        assertThat(mean).isCloseTo(m.mean(0), within(5 * Math.sqrt(m.variance(0) / n)));
        assertThat(variance).isCloseTo(m.variance(0), within(0.02 * m.variance(0)));
        assertThat(symbols / n).isCloseTo(c.mean(0), within(0.01));
    }

    @Test
    void categoricalBasics() {
        Categorical c = Categorical.of(0.2, 0.5, 0.3);
        assertThat(c.mode()).isEqualTo(1);
        assertThat(c.pointPrediction(0)).isEqualTo(1);
        assertThat(c.logDensity(new double[] {2}, 0)).isCloseTo(Math.log(0.3), within(1e-15));
        assertThat(c.logDensity(new double[] {3}, 0)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(c.logDensity(new double[] {Double.NaN}, 0)).isZero();
        assertThat(c.copy().probability(2)).isEqualTo(0.3);
    }
}
