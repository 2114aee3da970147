package org.statespace.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.function.DoubleUnaryOperator;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import org.statespace.numeric.Randoms;
import org.statespace.numeric.SpecialFunctions;

/**
 * Every score against a computation that does not share its formula: CRPS against the integral
 * ∫ (F(x) - 1{x >= y})² dx done here by composite Simpson on a fine grid, and against the identity
 * E|X - y| - ½ E|X - X'| summed over the support for discrete distributions; log scores against
 * mpmath at 60 digits (values quoted with the call that made them); PIT, coverage and the
 * Kolmogorov-Smirnov distance against hand computations.
 */
class ScoresTest {

    // ∫_lo^hi (F(x) - 1{x >= y})² dx by composite Simpson, split at y so the jump sits on a node
    private static double integratedCrps(DoubleUnaryOperator cdf, double y, double lo, double hi, int n) {
        DoubleUnaryOperator below = x -> {
            double f = cdf.applyAsDouble(x);
            return f * f;
        };
        DoubleUnaryOperator above = x -> {
            double s = 1 - cdf.applyAsDouble(x);
            return s * s;
        };
        return simpson(below, lo, y, n) + simpson(above, y, hi, n);
    }

    private static double simpson(DoubleUnaryOperator f, double a, double b, int n) {
        double h = (b - a) / n;
        double s = f.applyAsDouble(a) + f.applyAsDouble(b);
        for (int i = 1; i < n; i++) {
            s += f.applyAsDouble(a + i * h) * (i % 2 == 1 ? 4 : 2);
        }
        return s * h / 3;
    }

    private static double phi(double x) {
        return SpecialFunctions.normalCdf(x);
    }

    @Test
    void normalCrpsAtTheMeanIsThePublishedConstant() {
        // CRPS(N(0,1), 0) = 2φ(0) - 1/√π = (√2 - 1)/√π (Gneiting and Raftery 2007); mpmath:
        // nstr((sqrt(2)-1)/sqrt(pi), 20)
        assertThat(Scores.crps(Gaussian.univariate(0, 1), 0, 0)).isCloseTo(0.23369497725510906893, within(1e-15));
        // scales with σ: N(5, 4) at 5
        assertThat(Scores.crps(Gaussian.univariate(5, 4), 0, 5)).isCloseTo(2 * 0.23369497725510906893, within(1e-14));
    }

    @Test
    void normalCrpsEqualsTheIntegral() {
        double mean = 1.5;
        double sd = 2.5;
        Gaussian g = Gaussian.univariate(mean, sd * sd);
        for (double y : new double[] {-7, 0.3, 1.5, 4, 12}) {
            double brute = integratedCrps(x -> phi((x - mean) / sd), y, mean - 15 * sd - 20, mean + 15 * sd + 20,
                    40_000);
            assertThat(Scores.crps(g, 0, y)).as("y=%s", y).isCloseTo(brute, within(1e-9));
        }
    }

    @Test
    void marginalOfAMultivariateNormalIsScoredOnItsComponent() {
        Gaussian g = Gaussian.of(new double[] {1, -2}, new double[] {4, 0.6, 0.6, 0.25});
        double brute = integratedCrps(x -> phi((x + 2) / 0.5), -1.4, -12, 8, 40_000);
        assertThat(Scores.crps(g, 1, -1.4)).isCloseTo(brute, within(1e-9));
    }

    @Test
    void normalMixtureCrpsEqualsTheIntegral() {
        Mixture m = new Mixture(Gaussian.univariate(0, 1), Gaussian.univariate(5, 4), Gaussian.univariate(-3, 0.25));
        m.setWeights(new double[] {0.5, 0.3, 0.2}, 0);
        DoubleUnaryOperator cdf = x -> 0.5 * phi(x) + 0.3 * phi((x - 5) / 2) + 0.2 * phi((x + 3) / 0.5);
        for (double y : new double[] {-4, -1, 0.7, 5, 9}) {
            double brute = integratedCrps(cdf, y, -40, 45, 40_000);
            assertThat(Scores.crps(m, 0, y)).as("y=%s", y).isCloseTo(brute, within(1e-9));
        }
    }

    // Σ_i w_i A(y - μ_i, σ_i²) - ½ between, between = Σ_i Σ_k w_i w_k A(μ_i - μ_k, σ_i² + σ_k²) over every ordered
    // pair (Grimit et al. 2006), written here, with A(m, s²) = m (2Φ(m/s) - 1) + 2 s φ(m/s)
    private static double grimitCrps(double[] w, double[] mean, double[] variance, double between, double y) {
        double toObservation = 0;
        for (int i = 0; i < w.length; i++) {
            toObservation += w[i] * absoluteMoment(y - mean[i], variance[i]);
        }
        return toObservation - 0.5 * between;
    }

    private static double grimitBetween(double[] w, double[] mean, double[] variance) {
        double between = 0;
        for (int i = 0; i < w.length; i++) {
            for (int k = 0; k < w.length; k++) {
                between += w[i] * w[k] * absoluteMoment(mean[i] - mean[k], variance[i] + variance[k]);
            }
        }
        return between;
    }

    private static double absoluteMoment(double m, double variance) {
        double s = Math.sqrt(variance);
        return m * (2 * phi(m / s) - 1) + 2 * s * Math.exp(-0.5 * (m / s) * (m / s)) / Math.sqrt(2 * Math.PI);
    }

    /**
     * Mixtures of 64 to 700 normals take the grid form of the between-term; it equals the O(N²) double sum to
     * 1e-10 relative on random mixtures: one shared variance (a particle filter's), variances spread over a
     * factor 100, means bunched or spread over 200 standard deviations, weights equal or random.
     */
    @Test
    void largeNormalMixtureCrpsEqualsTheDoubleSum() {
        RandomGenerator random = Randoms.stream(17, 0);
        for (int trial = 0; trial < 12; trial++) {
            int n = 64 + random.nextInt(640);
            double spread = trial % 3 == 0 ? 0.5 : trial % 3 == 1 ? 10 : 200;
            boolean shared = trial % 2 == 0;
            double[] w = new double[n];
            double[] mean = new double[n];
            double[] variance = new double[n];
            double sum = 0;
            Gaussian[] components = new Gaussian[n];
            for (int i = 0; i < n; i++) {
                w[i] = trial % 4 < 2 ? 1 : random.nextDouble() + 0.01;
                sum += w[i];
                mean[i] = 3 + spread * random.nextGaussian();
                variance[i] = shared ? 1.7 : Math.exp(Math.log(100) * random.nextDouble()) / 10;
                components[i] = Gaussian.univariate(mean[i], variance[i]);
            }
            for (int i = 0; i < n; i++) {
                w[i] /= sum;
            }
            Mixture m = new Mixture(components);
            m.setWeights(w, 0);
            Scores.NormalTerms terms = new Scores.NormalTerms();
            terms.collect(m, 0, 1, 0, 1);
            if (shared) {
                assertThat(terms.gridBetween()).as("trial %s takes the grid", trial).isNotNaN();
            }
            double between = grimitBetween(w, mean, variance);
            for (double y : new double[] {3, 3 + spread, -400, mean[0]}) {
                double exact = grimitCrps(w, mean, variance, between, y);
                assertThat(Scores.crps(m, 0, y)).as("trial %s, n=%s, y=%s", trial, n, y)
                        .isCloseTo(exact, within(1e-10 * Math.abs(exact)));
            }
        }
    }

    @Test
    void nestedMixturesAndAffineComponentsAreFlattenedIntoOneNormalMixture() {
        // the predictive of an HMM with mixture emissions is a mixture of mixtures
        Mixture inner = new Mixture(Gaussian.univariate(-2, 0.5), Gaussian.univariate(1, 1));
        inner.setWeights(new double[] {0.3, 0.7}, 0);
        Affine shifted = new Affine(Gaussian.univariate(0, 1), new double[] {6}, new double[] {1.5});
        Mixture outer = new Mixture(inner, shifted);
        outer.setWeights(new double[] {0.6, 0.4}, 0);
        DoubleUnaryOperator cdf = x -> 0.6 * (0.3 * phi((x + 2) / Math.sqrt(0.5)) + 0.7 * phi(x - 1))
                + 0.4 * phi((x - 6) / 1.5);
        for (double y : new double[] {-3, 0.5, 4, 7.5}) {
            double brute = integratedCrps(cdf, y, -30, 40, 40_000);
            assertThat(Scores.crps(outer, 0, y)).as("y=%s", y).isCloseTo(brute, within(1e-9));
        }
    }

    @Test
    void quadratureFallbackAgreesWithTheClosedForms() {
        Mixture m = new Mixture(Gaussian.univariate(0, 1), Gaussian.univariate(5, 4));
        m.setWeights(new double[] {0.4, 0.6}, 0);
        for (double y : new double[] {-2, 2.5, 8}) {
            assertThat(Scores.crpsByIntegration(m, 0, y)).isCloseTo(Scores.crps(m, 0, y), within(1e-8));
            Gaussian g = Gaussian.univariate(1, 9);
            assertThat(Scores.crpsByIntegration(g, 0, y)).isCloseTo(Scores.crps(g, 0, y), within(1e-8));
        }
    }

    @Test
    void aMixtureOfACountAndADensityIsIntegratedNumerically() {
        // no closed form: the quadrature fallback against Simpson on every unit segment between the jumps
        Mixture m = new Mixture(Poisson.of(3), Gaussian.univariate(10, 4));
        m.setWeights(new double[] {0.4, 0.6}, 0);
        double[] mass = poissonMasses(3, 60);
        DoubleUnaryOperator smooth = x -> 0.6 * phi((x - 10) / 2);
        for (double y : new double[] {2, 6.5, 11}) {
            double brute = 0;
            double cumulative = 0;
            for (int k = -30; k < 60; k++) {
                if (k >= 0) {
                    cumulative += mass[k];
                }
                double step = 0.4 * cumulative;
                DoubleUnaryOperator f = x -> step + smooth.applyAsDouble(x);
                double lo = k;
                double hi = k + 1;
                if (y > lo && y < hi) {
                    brute += integratedCrps(f, y, lo, hi, 2000);
                } else {
                    brute += y >= hi ? simpson(x -> Math.pow(f.applyAsDouble(x), 2), lo, hi, 2000)
                            : simpson(x -> Math.pow(1 - f.applyAsDouble(x), 2), lo, hi, 2000);
                }
            }
            assertThat(Scores.crps(m, 0, y)).as("y=%s", y).isCloseTo(brute, within(1e-7));
        }
    }

    @Test
    void affineCrpsEqualsTheIntegralOfItsDistributionFunction() {
        // Y = 10 + 3 Z with Z a two-component normal mixture: the mixture branch through the affine map
        Mixture z = new Mixture(Gaussian.univariate(-1, 0.5), Gaussian.univariate(1, 0.5));
        z.setWeights(new double[] {0.25, 0.75}, 0);
        Affine y = new Affine(z, new double[] {10}, new double[] {3});
        DoubleUnaryOperator cdf = x -> {
            double u = (x - 10) / 3;
            return 0.25 * phi((u + 1) / Math.sqrt(0.5)) + 0.75 * phi((u - 1) / Math.sqrt(0.5));
        };
        for (double obs : new double[] {2, 9.5, 14}) {
            double brute = integratedCrps(cdf, obs, -30, 50, 40_000);
            assertThat(Scores.crps(y, 0, obs)).as("y=%s", obs).isCloseTo(brute, within(1e-9));
        }
        // an affine map of a Poisson goes through the inner CRPS, scaled
        Affine counts = new Affine(Poisson.of(2), new double[] {-1}, new double[] {0.5});
        assertThat(Scores.crps(counts, 0, 0.2)).isCloseTo(0.5 * Scores.crps(Poisson.of(2), 0, 2.4), within(1e-14));
    }

    // E|X - y| - ½ E|X - X'| over the support 0..K of a mass function
    private static double energyForm(double[] mass, double y) {
        double first = 0;
        double second = 0;
        for (int i = 0; i < mass.length; i++) {
            first += mass[i] * Math.abs(i - y);
            for (int k = 0; k < mass.length; k++) {
                second += mass[i] * mass[k] * Math.abs(i - k);
            }
        }
        return first - 0.5 * second;
    }

    private static double[] poissonMasses(double rate, int n) {
        double[] mass = new double[n];
        double p = Math.exp(-rate);
        for (int k = 0; k < n; k++) {
            mass[k] = p;
            p *= rate / (k + 1);
        }
        return mass;
    }

    @Test
    void poissonCrpsEqualsTheEnergyFormSummedOverTheSupport() {
        for (double rate : new double[] {0.3, 3.7, 40}) {
            double[] mass = poissonMasses(rate, 200);
            for (double y : new double[] {-2, 0, 1, 2.5, 4, 37, 60, 500}) {
                assertThat(Scores.crps(Poisson.of(rate), 0, y)).as("rate=%s y=%s", rate, y)
                        .isCloseTo(energyForm(mass, y), within(1e-10));
            }
        }
    }

    @Test
    void poissonMixtureAndCategoricalCrpsEqualTheEnergyForm() {
        Mixture m = new Mixture(Poisson.of(2), Poisson.of(9));
        m.setWeights(new double[] {0.35, 0.65}, 0);
        double[] a = poissonMasses(2, 120);
        double[] b = poissonMasses(9, 120);
        double[] mass = new double[120];
        for (int k = 0; k < mass.length; k++) {
            mass[k] = 0.35 * a[k] + 0.65 * b[k];
        }
        for (double y : new double[] {0, 3, 7.5, 30}) {
            assertThat(Scores.crps(m, 0, y)).isCloseTo(energyForm(mass, y), within(1e-10));
        }
        double[] probabilities = {0.1, 0.0, 0.6, 0.3};
        Categorical c = Categorical.of(probabilities);
        for (int y = 0; y < 4; y++) {
            assertThat(Scores.crps(c, 0, y)).isCloseTo(energyForm(probabilities, y), within(1e-14));
        }
    }

    @Test
    void brierScoreByHand() {
        Categorical c = Categorical.of(0.1, 0.6, 0.3);
        // (0.1)² + (0.6 - 1)² + (0.3)² = 0.01 + 0.16 + 0.09
        assertThat(Scores.brierScore(c, 1)).isCloseTo(0.26, within(1e-15));
        // (0.1 - 1)² + 0.36 + 0.09
        assertThat(Scores.brierScore(c, 0)).isCloseTo(1.26, within(1e-15));
    }

    @Test
    void logNormalCdfMatchesMpmathInBothTailsAndAcrossTheSeriesSwitch() {
        // mpmath (mp.dps = 40): nstr(log(ncdf(x)), 20)
        double[][] cases = {{-10, -53.231285150512470578}, {-19.9, -201.91716770733259757},
            {-20.1, -205.92711840194824576}, {-30, -454.32124395634319711}, {-40, -804.60844201375378817},
            {-100, -5005.5242086942050886}, {0.5, -0.36894641528865639307}, {3, -0.0013508099647481937988}};
        for (double[] c : cases) {
            assertThat(SpecialFunctions.logNormalCdf(c[0])).as("x=%s", c[0])
                    .isCloseTo(c[1], within(2e-14 * Math.abs(c[1])));
        }
        assertThat(SpecialFunctions.logNormalCdf(10)).isCloseTo(-7.6198530241605260704e-24, within(1e-36));
    }

    @Test
    void discretisedLogScoreOfANormalMatchesMpmathFarIntoBothTails() {
        // mpmath (mp.dps = 60): log(ncdf(b) - ncdf(a)), or log(ncdf(-a) - ncdf(-b)) in the upper tail
        Gaussian standard = Gaussian.univariate(0, 1);
        assertThat(Scores.discretisedLogScore(standard, 0, 0)).isCloseTo(-0.95991633369562231933, within(1e-14));
        assertThat(Scores.discretisedLogScore(standard, 0, 40)).isCloseTo(-784.72087910431757721, within(1e-10));
        assertThat(Scores.discretisedLogScore(standard, 0, -60)).isCloseTo(-1775.1301971124937011, within(1e-10));
        assertThat(Scores.discretisedLogScore(standard, 0, 1000)).isCloseTo(-499507.95119468814337, within(1e-7));
        assertThat(Scores.discretisedLogScore(Gaussian.univariate(2, 9), 0, 7))
                .isCloseTo(-3.3982808284201918953, within(1e-13));
        // a diffuse prediction (σ = 1e6): mass ≈ φ(3e-6)/1e6, no cancellation
        assertThat(Scores.discretisedLogScore(Gaussian.univariate(0, 1e12), 0, 3))
                .isCloseTo(-14.73444909117348877, within(1e-9));
    }

    @Test
    void discretisedLogScoreOfACountDistributionIsItsLogMass() {
        Poisson p = Poisson.of(4.2);
        double mass = Math.exp(-4.2) * Math.pow(4.2, 6) / 720;
        assertThat(Scores.discretisedLogScore(p, 0, 6)).isCloseTo(Math.log(mass), within(1e-13));
        assertThat(Scores.discretisedLogScore(Categorical.of(0.2, 0.8), 0, 1)).isCloseTo(Math.log(0.8), within(1e-15));
        assertThat(Scores.discretisedLogScore(Categorical.of(0.2, 0.8), 0, 2)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Scores.discretisedLogScore(p, 0, -1)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Scores.discretisedLogScore(p, 0, Double.NaN)).isNaN();
        assertThatThrownBy(() -> Scores.discretisedLogScore(p, 0, 2.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2.5");
    }

    @Test
    void discretisedLogScoreOfMixturesAndAffineMapsIsTheDirectMass() {
        Mixture m = new Mixture(Poisson.of(3), Gaussian.univariate(10, 4));
        m.setWeights(new double[] {0.4, 0.6}, 0);
        double y = 5;
        double direct = 0.4 * Math.exp(-3) * Math.pow(3, 5) / 120 + 0.6 * (phi((5.5 - 10) / 2) - phi((4.5 - 10) / 2));
        assertThat(Scores.discretisedLogScore(m, 0, y)).isCloseTo(Math.log(direct), within(1e-13));
        // Y = 100 + 20 Z, Z ~ N(0.5, 0.25): the mass of [110.5, 111.5] directly
        Affine a = new Affine(Gaussian.univariate(0.5, 0.25), new double[] {100}, new double[] {20});
        double affineMass = phi(((111.5 - 100) / 20 - 0.5) / 0.5) - phi(((110.5 - 100) / 20 - 0.5) / 0.5);
        assertThat(Scores.discretisedLogScore(a, 0, 111)).isCloseTo(Math.log(affineMass), within(1e-12));
    }

    @Test
    void aDensityNoLongerBeatsTheTrueMassOnCounts() {
        // the complaint in small: a narrow normal around an integer has a density above 1 there,
        // so its log density beats the Poisson's log mass; its discretised log score cannot exceed 0
        Gaussian narrow = Gaussian.univariate(3, 0.01);
        assertThat(narrow.logDensity(new double[] {3}, 0)).isGreaterThan(0);
        assertThat(Scores.discretisedLogScore(narrow, 0, 3)).isLessThanOrEqualTo(0);
    }

    @Test
    void pitIsTheDistributionFunctionForContinuousAndRandomisedForCounts() {
        Gaussian g = Gaussian.univariate(1, 4);
        assertThat(Scores.pit(g, 0, 2, Randoms.seeded(1))).isCloseTo(phi(0.5), within(1e-15));
        Poisson p = Poisson.of(2.5);
        RandomGenerator ours = Randoms.seeded(7);
        RandomGenerator theirs = Randoms.seeded(7);
        double[] mass = poissonMasses(2.5, 10);
        double below = mass[0] + mass[1] + mass[2];
        for (int i = 0; i < 5; i++) {
            double u = theirs.nextDouble();
            assertThat(Scores.pit(p, 0, 3, ours)).isCloseTo(below + u * mass[3], within(1e-14));
        }
        assertThat(Scores.pit(p, 0, Double.NaN, ours)).isNaN();
    }

    @Test
    void randomisedPitOfCalibratedCountsIsUniformAndOfAWrongRateIsNot() {
        int n = 4000;
        RandomGenerator random = Randoms.seeded(2026);
        Poisson truth = Poisson.of(3);
        Poisson wrong = Poisson.of(6);
        double[] calibrated = new double[n];
        double[] miscalibrated = new double[n];
        for (int i = 0; i < n; i++) {
            long y = Poisson.sampleCount(random, 3);
            calibrated[i] = Scores.pit(truth, 0, y, random);
            miscalibrated[i] = Scores.pit(wrong, 0, y, random);
        }
        // 1.63/√n is Kolmogorov's 1% critical value: a seeded draw of a calibrated forecaster stays below it
        assertThat(Scores.kolmogorovSmirnovDistance(calibrated)).isLessThan(1.63 / Math.sqrt(n));
        assertThat(Scores.kolmogorovSmirnovDistance(miscalibrated)).isGreaterThan(0.2);
    }

    @Test
    void kolmogorovSmirnovDistanceAndHistogramByHand() {
        // sorted 0.1, 0.4, 0.7: max over i of (i+1)/n - u_i and u_i - i/n is 1 - 0.7 = 0.3
        assertThat(Scores.kolmogorovSmirnovDistance(new double[] {0.7, 0.1, 0.4})).isCloseTo(0.3, within(1e-15));
        assertThat(Scores.pitHistogram(new double[] {0.05, 0.1, 0.5, 0.99, 1.0}, 4)).containsExactly(2, 0, 1, 2);
        assertThatThrownBy(() -> Scores.kolmogorovSmirnovDistance(new double[] {0.2, 1.5}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
    }

    @Test
    void coverageUsesTheCentralQuantiles() {
        Gaussian g = Gaussian.univariate(0, 1);
        // the 97.5% point is 1.959963984540054
        assertThat(Scores.covers(g, 0, 1.95, 0.95)).isTrue();
        assertThat(Scores.covers(g, 0, 1.97, 0.95)).isFalse();
        assertThat(Scores.covers(g, 0, -1.97, 0.95)).isFalse();
        // Poisson(3): cumulative 0.0498, 0.1991, 0.4232, 0.6472, 0.8153; the 50% interval is [2, 4]
        Poisson p = Poisson.of(3);
        assertThat(Scores.covers(p, 0, 1, 0.5)).isFalse();
        assertThat(Scores.covers(p, 0, 2, 0.5)).isTrue();
        assertThat(Scores.covers(p, 0, 4, 0.5)).isTrue();
        assertThat(Scores.covers(p, 0, 5, 0.5)).isFalse();
        assertThat(Scores.defaultCoverageLevels()).containsExactly(0.5, 0.8, 0.95);
        assertThatThrownBy(() -> Scores.covers(g, 0, 0, 1.0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void meanAndMedianErrors() {
        // Poisson(3.7): P(Y <= 2) = 0.2854, P(Y <= 3) = 0.4942, P(Y <= 4) = 0.6872, so the median is 4
        Poisson p = Poisson.of(3.7);
        assertThat(Scores.meanError(p, 0, 6)).isCloseTo(2.3, within(1e-15));
        assertThat(Scores.medianError(p, 0, 6)).isEqualTo(2);
        Mixture m = new Mixture(Gaussian.univariate(-1, 1), Gaussian.univariate(1, 1));
        assertThat(Scores.medianError(m, 0, 0.5)).isCloseTo(0.5, within(1e-10));
    }

    @Test
    void integerValuedMeansAllMassOnTheIntegers() {
        Mixture counts = new Mixture(Poisson.of(1), Poisson.of(4));
        Mixture mixed = new Mixture(Poisson.of(1), Gaussian.univariate(0, 1));
        assertThat(Scores.isIntegerValued(counts)).isTrue();
        assertThat(Scores.isIntegerValued(Categorical.of(1.0))).isTrue();
        assertThat(Scores.isIntegerValued(mixed)).isFalse();
        assertThat(Scores.isIntegerValued(Gaussian.univariate(0, 1))).isFalse();
    }
}
