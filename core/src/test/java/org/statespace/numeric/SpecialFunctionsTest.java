package org.statespace.numeric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;

/**
 * Special functions against published values: the standard normal table (Abramowitz and Stegun, table
 * 26.1, as reproduced in R's pnorm/qnorm to 16 digits), closed forms (Γ(1/2) = √π, Γ(n) = (n-1)!,
 * P(2, x) = 1 - (1 + x) e^{-x}, erf via its series value at 1).
 */
class SpecialFunctionsTest {

    @Test
    void normalDistributionFunctionMatchesTables() {
        assertThat(SpecialFunctions.normalCdf(0)).isEqualTo(0.5);
        assertThat(SpecialFunctions.normalCdf(1.96)).isCloseTo(0.9750021048517795, within(1e-15));
        assertThat(SpecialFunctions.normalCdf(-1)).isCloseTo(0.15865525393145707, within(1e-15));
        assertThat(SpecialFunctions.normalCdf(-8)).isCloseTo(6.22096057427178e-16, within(1e-28));
        // far tail against the Mills-ratio series φ(x)/x (1 - 1/x² + 3/x⁴ - 15/x⁶ + 105/x⁸)
        for (double x : new double[] {20, 30, 37}) {
            double series = 1 - 1 / (x * x) + 3 / Math.pow(x, 4) - 15 / Math.pow(x, 6) + 105 / Math.pow(x, 8);
            double logExpected = -0.5 * x * x - 0.5 * Math.log(2 * Math.PI) - Math.log(x) + Math.log(series);
            assertThat(Math.log(SpecialFunctions.normalCdf(-x))).isCloseTo(logExpected, within(1e-9));
        }
    }

    @Test
    void normalQuantileMatchesTables() {
        assertThat(SpecialFunctions.normalQuantile(0.975)).isCloseTo(1.959963984540054, within(1e-14));
        assertThat(SpecialFunctions.normalQuantile(0.5)).isCloseTo(0, within(1e-16));
        assertThat(SpecialFunctions.normalQuantile(1e-10)).isCloseTo(-6.361340902404056, within(1e-12));
        assertThat(SpecialFunctions.normalQuantile(0.95)).isCloseTo(1.6448536269514722, within(1e-14));
        assertThat(SpecialFunctions.normalQuantile(0.75)).isCloseTo(0.6744897501960817, within(1e-14));
    }

    @Property
    void quantileInvertsTheDistributionFunction(
            @ForAll @DoubleRange(min = 0, max = 1, minIncluded = false, maxIncluded = false) @Scale(14) double p) {
        double x = SpecialFunctions.normalQuantile(p);
        double back = p < 0.5 ? SpecialFunctions.normalCdf(x) : 1 - SpecialFunctions.normalCdf(-x);
        assertThat(back).isCloseTo(p, within(1e-13 * Math.max(1e-3, Math.min(p, 1 - p)) + 1e-16));
    }

    @Test
    void errorFunctions() {
        assertThat(SpecialFunctions.erf(1)).isCloseTo(0.8427007929497149, within(1e-15));
        assertThat(SpecialFunctions.erfc(0.5)).isCloseTo(0.4795001221869535, within(1e-15));
        assertThat(SpecialFunctions.erfc(3)).isCloseTo(2.209049699858544e-05, within(1e-19));
        assertThat(SpecialFunctions.erfc(-1)).isCloseTo(1.8427007929497148, within(1e-15));
    }

    @Test
    void logGammaClosedForms() {
        assertThat(SpecialFunctions.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-14));
        assertThat(SpecialFunctions.logGamma(10)).isCloseTo(Math.log(362880), within(1e-13));
        assertThat(SpecialFunctions.logGamma(1)).isCloseTo(0, within(1e-15));
        assertThat(SpecialFunctions.logGamma(171)).isCloseTo(706.5730622457874, within(1e-10));
        assertThat(SpecialFunctions.logFactorial(5)).isCloseTo(Math.log(120), within(1e-14));
    }

    @Test
    void incompleteGammaClosedForms() {
        for (double x : new double[] {0.1, 1, 3, 10, 40}) {
            double expected = 1 - (1 + x) * Math.exp(-x);
            assertThat(SpecialFunctions.regularizedGammaP(2, x)).isCloseTo(expected, within(1e-14));
            assertThat(SpecialFunctions.regularizedGammaQ(2, x)).isCloseTo((1 + x) * Math.exp(-x), within(1e-14));
        }
    }

    @Test
    void logSumExpIsStable() {
        assertThat(SpecialFunctions.logSumExp(new double[] {-1000, -1000})).isCloseTo(-1000 + Math.log(2), within(1e-12));
        assertThat(SpecialFunctions.logSumExp(new double[] {1000, 1000})).isCloseTo(1000 + Math.log(2), within(1e-12));
        assertThat(SpecialFunctions.logSumExp(new double[] {Double.NEGATIVE_INFINITY})).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(SpecialFunctions.logAddExp(Math.log(2), Math.log(3))).isCloseTo(Math.log(5), within(1e-15));
    }
}
