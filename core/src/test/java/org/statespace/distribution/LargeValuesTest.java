package org.statespace.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;

/**
 * Values far from 1 whose squares overflow a double while the quantity asked for does not: each
 * expected value is the formula evaluated by hand in exact powers of ten.
 */
class LargeValuesTest {

    @Test
    void gaussianLogDensityScalesBeforeSquaring() {
        // N(2e200; 1e200, 1e300): z = 1e200 / 1e150 = 1e50, log density = -½ (log 2π + log 1e300 + 1e100) ≈ -5e99
        Gaussian g = Gaussian.univariate(1e200, 1e300);
        assertThat(g.logDensity(new double[] {2e200}, 0)).isCloseTo(-5e99, withinPercentage(1e-10));
    }

    @Test
    void mixtureVarianceIsFiniteWhenTheSquaredSpreadAloneOverflows() {
        // weights (1, 1e-300), means ±1e200, unit variances: mean 1e200 (the 1e-100 shift is below its ulp),
        // variance = 1 + 1e-300 · (2e200)² + … = 4e100 + 1 (the second component's spread dominates)
        Mixture m = new Mixture(Gaussian.univariate(1e200, 1), Gaussian.univariate(-1e200, 1));
        m.setWeights(new double[] {1, 1e-300}, 0);
        assertThat(m.mean(0)).isEqualTo(1e200);
        assertThat(m.variance(0)).isCloseTo(4e100, withinPercentage(1e-10));
    }

    @Test
    void mixtureVarianceOfComponentsNearTheDoubleRangeIsTheirWithinVariance() {
        // both at 1.7e308: E[x²] alone overflows, the law of total variance gives ½·1 + ½·3 = 2 exactly
        Mixture m = new Mixture(Gaussian.univariate(1.7e308, 1), Gaussian.univariate(1.7e308, 3));
        m.setWeights(new double[] {0.5, 0.5}, 0);
        assertThat(m.variance(0)).isEqualTo(2);
    }

    @Test
    void mixtureVarianceBeyondTheDoubleRangeIsInfiniteNotNaN() {
        // means ±1e308 with equal weights: the variance is 1e616, which no double holds
        Mixture m = new Mixture(Gaussian.univariate(1e308, 1), Gaussian.univariate(-1e308, 1));
        m.setWeights(new double[] {0.5, 0.5}, 0);
        assertThat(m.variance(0)).isEqualTo(Double.POSITIVE_INFINITY);
    }
}
