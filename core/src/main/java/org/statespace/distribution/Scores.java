package org.statespace.distribution;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import org.statespace.numeric.SpecialFunctions;

/**
 * Proper scores of a one-step predictive distribution F for one observed component y, so that models of
 * every family (densities and masses alike) are scored on the same quantity. All work on the marginal of
 * component j; a {@code NaN} (missing) y gives {@code NaN} (not scored). Conventions: the log scores are
 * higher-is-better (nats), CRPS and the Brier score lower-is-better.
 *
 * <ul>
 * <li><b>Discretised log score</b> (for integer-valued data, e.g. counts):
 * log P(y - 1/2 &lt; Y &lt;= y + 1/2) = log(F(y + 1/2) - F(y - 1/2)), which for an integer-valued
 * distribution is the ordinary log mass log p(y), so a density and a mass are compared on the same
 * event. For a normal it is computed from log Φ in the tail the interval lies in (log Φ(b) +
 * log(1 - exp(log Φ(a) - log Φ(b))), mirrored for the upper tail), so it stays finite and accurate
 * hundreds of standard deviations out; a mixture combines its components' log masses by log-sum-exp.</li>
 * <li><b>CRPS</b> (continuous ranked probability score, Matheson and Winkler 1976; Gneiting and Raftery
 * 2007, eq. 20-21): CRPS(F, y) = ∫ (F(x) - 1{x &gt;= y})² dx = E|X - y| - ½ E|X - X'|, in the units of y.
 * Normal N(μ, σ²), with z = (y - μ)/σ: σ [z (2Φ(z) - 1) + 2φ(z) - 1/√π] (Gneiting et al. 2005, eq. 5).
 * Mixture of normals Σ w_i N(μ_i, σ_i²) (Grimit et al. 2006; nested mixtures and affine maps of normals
 * flattened into one): Σ_i w_i A(y - μ_i, σ_i²) - ½ Σ_i Σ_k w_i w_k
 * A(μ_i - μ_k, σ_i² + σ_k²), with A(m, s²) = E|N(m, s²)| = m (2Φ(m/s) - 1) + 2 s φ(m/s); from 64 components
 * on (a particle filter's mixture) the double sum, O(N²), is replaced by the equal integral
 * 2 ∫ F (1 - F) dx on a uniform grid of step σ_min/1.5, O(N + grid), exact to rounding (see
 * {@code NormalTerms.gridBetween}). Affine Y = μ +
 * σZ: σ CRPS(F_Z, (y - μ)/σ), since the CRPS scales with the data. Integer-valued distributions (Poisson,
 * Categorical, mixtures of them): exact by summing the step function, Σ_k over unit segments [k, k+1) of
 * (F(k) - 1{x &gt;= y})² integrated over the segment, from the last k with F(k) &lt; 1e-16 below y to the
 * first k &gt;= y with survival 1 - F(k) &lt; 1e-16 (each omitted term is below 1e-32). Anything else:
 * the integral by adaptive Simpson quadrature on both half-lines after x = y ± s·t/(1 - t).</li>
 * <li><b>Categorical</b>: the CRPS treats the symbol indices 0..M-1 as ordered integers (it is then the
 * ranked probability score of Epstein 1969, unnormalised), which means something only when the order of
 * the symbols does (grades, counts). For nominal symbols (letters, weather states) use
 * {@link #brierScore}, which does not depend on the order.</li>
 * <li><b>PIT</b> (probability integral transform, Dawid 1984): F(y) for a continuous F; for an
 * integer-valued F at an integer y the randomised PIT F(y - 1) + U·p(y), U ~ Uniform(0, 1) (Czado, Gneiting
 * and Held 2009), drawn from the generator given. Under a calibrated one-step forecaster the PIT values
 * are independent uniform (Diebold, Gunther and Tay 1998). Calibration measure:
 * {@link #kolmogorovSmirnovDistance} (sup |empirical PIT cdf - u|), with {@link #pitHistogram} for the
 * picture.</li>
 * <li><b>Central interval coverage</b>: whether y lies in [q((1 - level)/2), q((1 + level)/2)] of the
 * predictive quantiles, both ends included (for a discrete F the interval then holds at least the level).
 * Default levels {@link #defaultCoverageLevels()}: 50, 80 and 95%.</li>
 * <li><b>Point errors</b>: y minus the predictive mean and y minus the predictive median.</li>
 * </ul>
 */
public final class Scores {
    /** Tail mass below which a discrete CRPS sum stops. */
    static final double TAIL = 1e-16;
    private static final double INVERSE_SQRT_PI = 1 / Math.sqrt(Math.PI);
    /** Mixtures of normals with at least this many components take the grid form of the CRPS's between-term. */
    static final int GRID_MINIMUM_COMPONENTS = 64;
    /** How many standard deviations from its mean a component's Φ is evaluated on the grid (Φ(-9) ≈ 1e-19). */
    private static final double GRID_REACH = 9;

    private Scores() {
    }

    /** The coverage levels a study reports unless told otherwise: 0.5, 0.8, 0.95 (a new array each call). */
    public static double[] defaultCoverageLevels() {
        return new double[] {0.5, 0.8, 0.95};
    }

    /**
     * Whether a distribution puts all its mass on the integers: Poisson, Categorical, and mixtures of
     * only those. Such a distribution is scored on counts by its plain log mass.
     */
    public static boolean isIntegerValued(PredictiveDistribution p) {
        if (p instanceof Poisson || p instanceof Categorical) {
            return true;
        }
        if (p instanceof Mixture m) {
            for (int k = 0; k < m.size(); k++) {
                if (!isIntegerValued(m.component(k))) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * The discretised log score log P(y - 1/2 &lt; Y_j &lt;= y + 1/2) of an integer observation y (nats,
     * higher is better; {@code -Infinity} when the predictive gives the interval no mass).
     *
     * @throws IllegalArgumentException if y is not an integer
     */
    public static double discretisedLogScore(PredictiveDistribution p, int j, double y) {
        if (Double.isNaN(y)) {
            return Double.NaN;
        }
        if (y != Math.rint(y)) {
            throw new IllegalArgumentException("the discretised log score is for integer observations, got " + y);
        }
        return logUnitMass(p, j, y);
    }

    // log P(y - 1/2 < Y_j <= y + 1/2) for an integer y
    private static double logUnitMass(PredictiveDistribution p, int j, double y) {
        return logMass(p, j, y - 0.5, y + 0.5);
    }

    /**
     * log P(a &lt; Y_j &lt;= b): from log Φ in the right tail for normals (and affine maps of them), by
     * log-sum-exp over the components of a mixture, as the log of the summed masses of the integers in
     * (a, b] for Poisson and Categorical, and log(F(b) - F(a)) for anything else.
     */
    static double logMass(PredictiveDistribution p, int j, double a, double b) {
        if (p instanceof Gaussian g) {
            double sd = Math.sqrt(g.variance(j));
            return logNormalMass((a - g.mean(j)) / sd, (b - g.mean(j)) / sd);
        }
        if (p instanceof Affine affine) {
            double mu = affine.location(j);
            double sigma = affine.scale(j);
            return logMass(affine.inner(), j, (a - mu) / sigma, (b - mu) / sigma);
        }
        if (p instanceof Mixture m) {
            double[] terms = new double[m.size()];
            for (int k = 0; k < m.size(); k++) {
                double w = m.weight(k);
                terms[k] = w > 0 ? Math.log(w) + logMass(m.component(k), j, a, b) : Double.NEGATIVE_INFINITY;
            }
            return SpecialFunctions.logSumExp(terms);
        }
        if (p instanceof Poisson || p instanceof Categorical) {
            double first = Math.max(0, Math.floor(a) + 1);
            double last = Math.floor(b);
            if (p instanceof Categorical c) {
                last = Math.min(last, c.size() - 1);
            }
            if (last < first) {
                return Double.NEGATIVE_INFINITY;
            }
            if (last - first < 64) {
                double[] terms = new double[(int) (last - first) + 1];
                for (int i = 0; i < terms.length; i++) {
                    terms[i] = p instanceof Poisson poisson ? Poisson.logProbability(first + i, poisson.rate(j))
                            : Math.log(((Categorical) p).probability((int) first + i));
                }
                return SpecialFunctions.logSumExp(terms);
            }
        }
        return Math.log(p.cdf(j, b) - p.cdf(j, a));
    }

    /**
     * log(Φ(b) - Φ(a)) for a &lt; b, from the tail the interval lies in: with both ends at or below 0,
     * log Φ(b) + log(1 - exp(log Φ(a) - log Φ(b))); at or above 0 the same on (-b, -a); across 0 the plain
     * difference, which is then at least φ(max(|a|, |b|))·(b - a) and loses nothing.
     */
    static double logNormalMass(double a, double b) {
        if (!(a < b)) {
            return Double.NEGATIVE_INFINITY;
        }
        if (a >= 0) {
            double t = a;
            a = -b;
            b = -t;
        }
        if (b <= 0) {
            double logB = SpecialFunctions.logNormalCdf(b);
            double logA = SpecialFunctions.logNormalCdf(a);
            return logB + log1mExp(logA - logB);
        }
        return Math.log(SpecialFunctions.normalCdf(b) - SpecialFunctions.normalCdf(a));
    }

    // log(1 - exp(x)) for x <= 0 (Mächler 2012: expm1 near 0, log1p further out)
    private static double log1mExp(double x) {
        return x > -0.6931471805599453 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
    }

    /**
     * The CRPS of the marginal of component j at y, in the units of y (lower is better); see the class
     * comment for the formula used per distribution.
     */
    public static double crps(PredictiveDistribution p, int j, double y) {
        if (Double.isNaN(y)) {
            return Double.NaN;
        }
        if (isNormal(p)) {
            return normalCrps(p.mean(j), Math.sqrt(p.variance(j)), y);
        }
        if (p instanceof Affine a) {
            double sigma = a.scale(j);
            return sigma * crps(a.inner(), j, (y - a.location(j)) / sigma);
        }
        if (p instanceof Mixture m) {
            NormalTerms terms = new NormalTerms();
            if (terms.collect(m, j, 1, 0, 1)) {
                return terms.crps(y);
            }
        }
        if (isIntegerValued(p)) {
            return integerCrps(p, j, y);
        }
        return crpsByIntegration(p, j, y);
    }

    // a Gaussian, or an affine map of one: its marginals are normal with the distribution's mean and variance
    private static boolean isNormal(PredictiveDistribution p) {
        return p instanceof Gaussian || (p instanceof Affine a && isNormal(a.inner()));
    }

    /** σ [z (2Φ(z) - 1) + 2φ(z) - 1/√π], z = (y - μ)/σ. */
    static double normalCrps(double mean, double sd, double y) {
        double z = (y - mean) / sd;
        return sd * (z * (2 * SpecialFunctions.normalCdf(z) - 1) + 2 * Math.exp(SpecialFunctions.normalLogDensity(z))
                - INVERSE_SQRT_PI);
    }

    // A(m, s²) = E|N(m, s²)|
    private static double expectedAbsolute(double m, double variance) {
        double s = Math.sqrt(variance);
        double r = m / s;
        return m * (2 * SpecialFunctions.normalCdf(r) - 1) + 2 * s * Math.exp(SpecialFunctions.normalLogDensity(r));
    }

    /**
     * The normal components of a mixture, flattened: nested mixtures and affine maps of normals are
     * mixtures of normals too (weight w·w', mean μ + σ m, variance σ² v).
     */
    static final class NormalTerms {
        double[] weights = new double[8];
        double[] means = new double[8];
        double[] variances = new double[8];
        int size;

        // adds w · (shift + scale · p) for component j; false when some part is not normal
        boolean collect(PredictiveDistribution p, int j, double w, double shift, double scale) {
            if (!(w > 0)) {
                return true;
            }
            if (p instanceof Gaussian) {
                add(w, shift + scale * p.mean(j), scale * scale * p.variance(j));
                return true;
            }
            if (p instanceof Affine a) {
                return collect(a.inner(), j, w, shift + scale * a.location(j), scale * a.scale(j));
            }
            if (p instanceof Mixture m) {
                for (int k = 0; k < m.size(); k++) {
                    if (!collect(m.component(k), j, w * m.weight(k), shift, scale)) {
                        return false;
                    }
                }
                return true;
            }
            return false;
        }

        private void add(double w, double mean, double variance) {
            if (size == weights.length) {
                weights = Arrays.copyOf(weights, 2 * size);
                means = Arrays.copyOf(means, 2 * size);
                variances = Arrays.copyOf(variances, 2 * size);
            }
            weights[size] = w;
            means[size] = mean;
            variances[size] = variance;
            size++;
        }

        /**
         * Σ_i w_i A(y - μ_i, σ_i²) - ½ E|X - X'|: the between-term ½ Σ_i Σ_k w_i w_k A(μ_i - μ_k, σ_i² + σ_k²)
         * exactly by its double sum for a small mixture ({@link #pairwise}), else by {@link #gridBetween}, whose
         * cost does not grow with the square of the components (a particle filter's mixture of 1000).
         */
        double crps(double y) {
            double toObservation = 0;
            for (int i = 0; i < size; i++) {
                toObservation += weights[i] * expectedAbsolute(y - means[i], variances[i]);
            }
            double between = size >= GRID_MINIMUM_COMPONENTS ? gridBetween() : Double.NaN;
            if (Double.isNaN(between)) {
                between = pairwise();
            }
            return toObservation - 0.5 * between;
        }

        /**
         * Σ_i Σ_k w_i w_k A(μ_i - μ_k, σ_i² + σ_k²) (= E|X - X'| for weights summing to 1), the double sum
         * taken once over i &lt; k (A is even in its first argument) plus the diagonal: O(N²).
         */
        double pairwise() {
            double between = 0;
            for (int i = 0; i < size; i++) {
                between += weights[i] * weights[i] * expectedAbsolute(0, 2 * variances[i]);
                for (int k = i + 1; k < size; k++) {
                    between += 2 * weights[i] * weights[k]
                            * expectedAbsolute(means[i] - means[k], variances[i] + variances[k]);
                }
            }
            return between;
        }

        /**
         * The same double sum as {@link #pairwise} through the identity Σ_i Σ_k w_i w_k E|X_i - X_k| =
         * 2 ∫ F(x) (W - F(x)) dx, F = Σ_i w_i Φ((x - μ_i)/σ_i), W = Σ_i w_i (each pair's E|X_i - X_k| is
         * ∫ Φ_i (1 - Φ_k) + Φ_k (1 - Φ_i) dx). The integrand is smooth and vanishes in both tails, so the
         * trapezoidal rule on a uniform grid converges geometrically: by Poisson summation its error is the
         * integrand's Fourier transform at multiples of 2π/h, which decays as exp(-σ_min² ω²/2), so the step
         * h = σ_min/1.5 leaves a relative error near exp(-2π² · 2.25) ≈ 5e-20, far below rounding. The grid
         * runs from min(μ_i - 9σ_i) to max(μ_i + 9σ_i) (beyond it F(W - F) &lt; Φ(-9) W² ≈ 1e-19 W²). F is
         * built component by component: component i adds w_i Φ at the nodes within 9σ_i of μ_i and w_i
         * (Φ = 1 to 1e-19) at every node above them (a difference array), so the cost is about 27 Φ
         * evaluations per component plus one per node, O(N + G), against the double sum's N²/2 pairs.
         * Checked against {@link #pairwise} on random mixtures to 1e-10 relative (ScoresTest).
         *
         * @return the sum, or NaN when a component has zero variance or the grid would cost more than the
         *         double sum (components of very different widths spread far apart)
         */
        double gridBetween() {
            double smallest = Double.POSITIVE_INFINITY;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            double total = 0;
            double work = 0;
            for (int i = 0; i < size; i++) {
                double sd = Math.sqrt(variances[i]);
                if (!(sd > 0) || Double.isInfinite(sd) || !Double.isFinite(means[i])) {
                    return Double.NaN;
                }
                smallest = Math.min(smallest, sd);
                lo = Math.min(lo, means[i] - GRID_REACH * sd);
                hi = Math.max(hi, means[i] + GRID_REACH * sd);
                total += weights[i];
                work += sd;
            }
            double h = smallest / 1.5;
            double nodes = Math.floor((hi - lo) / h) + 1;
            work = 2 * GRID_REACH * work / h + 2 * nodes;
            if (!(work < 0.5 * size * (double) size)) {
                return Double.NaN;
            }
            int count = (int) nodes;
            double[] f = new double[count + 1];
            double[] above = new double[count + 1];
            for (int i = 0; i < size; i++) {
                double sd = Math.sqrt(variances[i]);
                int first = Math.max(0, (int) Math.ceil((means[i] - GRID_REACH * sd - lo) / h));
                int last = Math.min(count - 1, (int) Math.floor((means[i] + GRID_REACH * sd - lo) / h));
                for (int k = first; k <= last; k++) {
                    f[k] += weights[i] * SpecialFunctions.normalCdf((lo + k * h - means[i]) / sd);
                }
                above[last + 1] += weights[i];
            }
            double full = 0;
            double sum = 0;
            for (int k = 0; k < count; k++) {
                full += above[k];
                double value = f[k] + full;
                sum += value * (total - value);
            }
            return 2 * h * sum;
        }
    }

    // P(Y_j > k) for an integer-valued distribution, computed from the upper tail where that is exact
    private static double survival(PredictiveDistribution p, int j, double k) {
        if (p instanceof Poisson poisson) {
            return k < 0 ? 1 : SpecialFunctions.regularizedGammaP(Math.floor(k) + 1, poisson.rate(j));
        }
        if (p instanceof Categorical c) {
            double s = 0;
            for (int i = c.size() - 1; i > k && i >= 0; i--) {
                s += c.probability(i);
            }
            return s;
        }
        if (p instanceof Mixture m) {
            double s = 0;
            for (int i = 0; i < m.size(); i++) {
                if (m.weight(i) > 0) {
                    s += m.weight(i) * survival(m.component(i), j, k);
                }
            }
            return s;
        }
        return 1 - p.cdf(j, k);
    }

    /**
     * The CRPS of an integer-valued distribution on {0, 1, ...}: F is constant, F(k), on every segment
     * [k, k+1), so the integral is a sum of (length below y)·F(k)² + (length above y)·(1 - F(k))², plus
     * the length of [y, 0) for a negative y.
     */
    static double integerCrps(PredictiveDistribution p, int j, double y) {
        double total = 0;
        if (y < 0) {
            total += -y;
        }
        // below the 1e-16 quantile every F(k)² is below 1e-32: start there (or at y, if lower)
        double start = Math.min(Math.max(0, Math.floor(y)), lowestRelevant(p, j));
        for (double k = start;; k++) {
            double f = p.cdf(j, k);
            double s = survival(p, j, k);
            if (y <= k) {
                total += s * s;
                if (s < TAIL) {
                    break;
                }
            } else if (s < TAIL) {
                // F(x) is 1 to within 1e-16 from k on: [k, y) adds (y - k)·F(k)², [y, ∞) below 1e-32 a segment
                total += (y - k) * f * f;
                break;
            } else if (y >= k + 1) {
                total += f * f;
            } else {
                total += (y - k) * f * f + (k + 1 - y) * s * s;
            }
        }
        return total;
    }

    // the largest k >= 0 with F(k - 1) < 1e-16, found by walking down from the mean
    private static double lowestRelevant(PredictiveDistribution p, int j) {
        double k = Math.max(0, Math.floor(p.mean(j)));
        while (k > 0 && p.cdf(j, k - 1) >= TAIL) {
            k--;
        }
        return k;
    }

    /**
     * The CRPS by quadrature: ∫_{-∞}^{y} F(x)² dx + ∫_{y}^{∞} (1 - F(x))² dx, each half-line mapped to
     * [0, 1) by x = y ∓ s·t/(1 - t) (s the predictive standard deviation) and integrated by adaptive
     * Simpson to an absolute tolerance of 1e-10·s.
     */
    static double crpsByIntegration(PredictiveDistribution p, int j, double y) {
        double v = p.variance(j);
        double s = v > 0 && Double.isFinite(v) ? Math.sqrt(v) : 1;
        java.util.function.DoubleUnaryOperator below = t -> {
            if (t >= 1) {
                return 0;
            }
            double f = p.cdf(j, y - s * t / (1 - t));
            return f * f * s / ((1 - t) * (1 - t));
        };
        java.util.function.DoubleUnaryOperator above = t -> {
            if (t >= 1) {
                return 0;
            }
            double f = 1 - p.cdf(j, y + s * t / (1 - t));
            return f * f * s / ((1 - t) * (1 - t));
        };
        return simpson(below, 0, 1, 1e-10 * s) + simpson(above, 0, 1, 1e-10 * s);
    }

    private static double simpson(java.util.function.DoubleUnaryOperator f, double a, double b, double tolerance) {
        double fa = f.applyAsDouble(a);
        double fm = f.applyAsDouble(0.5 * (a + b));
        double fb = f.applyAsDouble(b);
        double whole = (b - a) / 6 * (fa + 4 * fm + fb);
        return simpson(f, a, b, fa, fm, fb, whole, tolerance, 50);
    }

    private static double simpson(java.util.function.DoubleUnaryOperator f, double a, double b, double fa, double fm,
            double fb, double whole, double tolerance, int depth) {
        double m = 0.5 * (a + b);
        double lm = f.applyAsDouble(0.5 * (a + m));
        double rm = f.applyAsDouble(0.5 * (m + b));
        double left = (m - a) / 6 * (fa + 4 * lm + fm);
        double right = (b - m) / 6 * (fm + 4 * rm + fb);
        double delta = left + right - whole;
        if (depth <= 0 || Math.abs(delta) <= 15 * tolerance) {
            return left + right + delta / 15;
        }
        return simpson(f, a, m, fa, lm, fm, left, tolerance / 2, depth - 1)
                + simpson(f, m, b, fm, rm, fb, right, tolerance / 2, depth - 1);
    }

    /**
     * The Brier score Σ_k (p_k - 1{k = symbol})² of a symbol prediction (0 to 2, lower is better): the
     * quadratic proper score that, unlike the CRPS, does not depend on the order of the symbols
     * (Brier 1950; Gneiting and Raftery 2007, eq. 11 with the sign turned to a loss).
     */
    public static double brierScore(Categorical p, int symbol) {
        double total = 0;
        for (int k = 0; k < p.size(); k++) {
            double e = p.probability(k) - (k == symbol ? 1 : 0);
            total += e * e;
        }
        return total;
    }

    /**
     * The probability integral transform of y under the marginal of component j: F(y) for a continuous
     * distribution; for an integer-valued one at an integer y the randomised F(y - 1) + U·P(Y = y) with one
     * U ~ Uniform(0, 1) drawn from {@code random} (nothing is drawn otherwise).
     */
    public static double pit(PredictiveDistribution p, int j, double y, RandomGenerator random) {
        if (Double.isNaN(y)) {
            return Double.NaN;
        }
        if (isIntegerValued(p) && y == Math.rint(y)) {
            double below = p.cdf(j, y - 1);
            double atOrBelow = p.cdf(j, y);
            return below + random.nextDouble() * (atOrBelow - below);
        }
        return p.cdf(j, y);
    }

    /**
     * The Kolmogorov-Smirnov distance sup_u |G(u) - u| of the empirical distribution G of PIT values from
     * the uniform: 0 for perfect calibration; with n independent uniform values it exceeds
     * 1.36/√n only 5% of the time (Kolmogorov's limit law), which is a scale to read it against.
     *
     * @throws IllegalArgumentException if a value is outside [0, 1] or there are none
     */
    public static double kolmogorovSmirnovDistance(double[] pitValues) {
        if (pitValues.length == 0) {
            throw new IllegalArgumentException("no PIT values");
        }
        double[] u = sortedChecked(pitValues);
        int n = u.length;
        double d = 0;
        for (int i = 0; i < n; i++) {
            d = Math.max(d, Math.max((i + 1.0) / n - u[i], u[i] - (double) i / n));
        }
        return d;
    }

    /**
     * Counts of PIT values in {@code bins} equal bins of [0, 1] (1 in the last): flat for a calibrated
     * forecaster, U-shaped when it is overconfident, hump-shaped when underconfident.
     */
    public static long[] pitHistogram(double[] pitValues, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("a histogram needs at least one bin, got " + bins);
        }
        long[] counts = new long[bins];
        for (double u : sortedChecked(pitValues)) {
            counts[Math.min(bins - 1, (int) (u * bins))]++;
        }
        return counts;
    }

    private static double[] sortedChecked(double[] values) {
        double[] u = values.clone();
        for (int i = 0; i < u.length; i++) {
            if (!(u[i] >= 0 && u[i] <= 1)) {
                throw new IllegalArgumentException("PIT value " + i + " is " + u[i] + ", expected a value in [0, 1]");
            }
        }
        Arrays.sort(u);
        return u;
    }

    /**
     * Whether y lies in the central {@code level} predictive interval of component j,
     * [q((1 - level)/2), q((1 + level)/2)], ends included (false for a missing y).
     *
     * @throws IllegalArgumentException if level is not in (0, 1)
     */
    public static boolean covers(PredictiveDistribution p, int j, double y, double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("a coverage level must be in (0, 1), got " + level);
        }
        return y >= p.quantile(j, 0.5 * (1 - level)) && y <= p.quantile(j, 0.5 * (1 + level));
    }

    /** y minus the predictive mean of component j. */
    public static double meanError(PredictiveDistribution p, int j, double y) {
        return y - p.mean(j);
    }

    /** y minus the predictive median (the 0.5-quantile) of component j. */
    public static double medianError(PredictiveDistribution p, int j, double y) {
        return y - p.quantile(j, 0.5);
    }
}
