package org.statespace.numeric;

/**
 * Special functions in double precision: log-gamma, the regularised incomplete gamma functions, erfc,
 * the standard normal distribution function and its inverse, and a stable log-sum-exp.
 *
 * <p>Accuracy is near machine precision (relative error about 1e-14 or better over the ranges the
 * toolkit uses); the tests check them against published table values.
 */
public final class SpecialFunctions {
    /** log(2 pi). */
    public static final double LOG_2PI = Math.log(2 * Math.PI);
    private static final double SQRT2 = Math.sqrt(2);
    private static final double EPS = 1e-16;
    private static final double TINY = 1e-300;
    // Lanczos approximation, g = 7, n = 9.
    private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
        771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
        9.9843695780195716e-6, 1.5056327351493116e-7};

    private SpecialFunctions() {
    }

    /** log Γ(x) for x &gt; 0. */
    public static double logGamma(double x) {
        if (!(x > 0)) {
            throw new IllegalArgumentException("logGamma needs x > 0, got " + x);
        }
        if (x < 0.5) {
            // reflection: Γ(x) Γ(1-x) = π / sin(πx)
            return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
        }
        double z = x - 1;
        double a = LANCZOS[0];
        double t = z + 7.5;
        for (int i = 1; i < 9; i++) {
            a += LANCZOS[i] / (z + i);
        }
        return 0.5 * LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /** log(n!) for n &gt;= 0. */
    public static double logFactorial(double n) {
        return n < 2 ? 0 : logGamma(n + 1);
    }

    /** The regularised lower incomplete gamma function P(a, x) = γ(a, x) / Γ(a). */
    public static double regularizedGammaP(double a, double x) {
        if (!(a > 0) || !(x >= 0)) {
            throw new IllegalArgumentException("regularizedGammaP needs a > 0 and x >= 0, got a=" + a + ", x=" + x);
        }
        if (x == 0) {
            return 0;
        }
        if (x < a + 1) {
            return gammaSeries(a, x);
        }
        return 1 - gammaContinuedFraction(a, x);
    }

    /** The regularised upper incomplete gamma function Q(a, x) = 1 - P(a, x). */
    public static double regularizedGammaQ(double a, double x) {
        if (!(a > 0) || !(x >= 0)) {
            throw new IllegalArgumentException("regularizedGammaQ needs a > 0 and x >= 0, got a=" + a + ", x=" + x);
        }
        if (x == 0) {
            return 1;
        }
        if (x < a + 1) {
            return 1 - gammaSeries(a, x);
        }
        return gammaContinuedFraction(a, x);
    }

    // P(a, x) by its power series, for x < a + 1.
    private static double gammaSeries(double a, double x) {
        double ap = a;
        double sum = 1 / a;
        double del = sum;
        for (int n = 0; n < 10_000; n++) {
            ap += 1;
            del *= x / ap;
            sum += del;
            if (Math.abs(del) < Math.abs(sum) * EPS) {
                break;
            }
        }
        return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
    }

    // Q(a, x) by its continued fraction (modified Lentz), for x >= a + 1.
    private static double gammaContinuedFraction(double a, double x) {
        double b = x + 1 - a;
        double c = 1 / TINY;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 10_000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < TINY) {
                d = TINY;
            }
            c = b + an / c;
            if (Math.abs(c) < TINY) {
                c = TINY;
            }
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < EPS) {
                break;
            }
        }
        return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
    }

    /** The complementary error function erfc(x) = 1 - erf(x). */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x >= 0) {
            return x > 27 ? 0 : regularizedGammaQ(0.5, x * x);
        }
        return x < -6 ? 2 : 1 + regularizedGammaP(0.5, x * x);
    }

    /** The error function. */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        double p = x * x > 700 ? 1 : regularizedGammaP(0.5, x * x);
        return x >= 0 ? p : -p;
    }

    /** Φ(x), the standard normal distribution function, accurate in both tails. */
    public static double normalCdf(double x) {
        return 0.5 * erfc(-x / SQRT2);
    }

    /** log φ(x) for the standard normal density. */
    public static double normalLogDensity(double x) {
        return -0.5 * (LOG_2PI + x * x);
    }

    /**
     * log Φ(x), accurate far into both tails: log1p(-Φ(-x)) for x &gt; 0, log Φ(x) for -20 &lt;= x &lt;= 0, and
     * below -20 (where Φ underflows near -38) the asymptotic expansion
     * Φ(x) = φ(x)/|x| · Σ_n (-1)^n (2n-1)!! / x^(2n) (Abramowitz and Stegun 26.2.12), summed while its
     * terms shrink, which at |x| &gt;= 20 is to far below double precision.
     */
    public static double logNormalCdf(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x > 0) {
            return Math.log1p(-normalCdf(-x));
        }
        if (x >= -20) {
            return Math.log(normalCdf(x));
        }
        if (x == Double.NEGATIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        double inverseSquare = 1 / (x * x);
        double term = 1;
        double sum = 1;
        for (int n = 1; n < 200; n++) {
            double next = -term * (2 * n - 1) * inverseSquare;
            if (Math.abs(next) >= Math.abs(term) || Math.abs(next) < 1e-17 * Math.abs(sum)) {
                break;
            }
            term = next;
            sum += term;
        }
        return normalLogDensity(x) - Math.log(-x) + Math.log(sum);
    }

    /**
     * Φ⁻¹(p): Acklam's rational approximation refined by one Halley step on {@link #normalCdf}, which
     * brings it to full double precision.
     */
    public static double normalQuantile(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1], got " + p);
        }
        if (p == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (p == 1) {
            return Double.POSITIVE_INFINITY;
        }
        final double pLow = 0.02425;
        double x;
        if (p < pLow) {
            double q = Math.sqrt(-2 * Math.log(p));
            x = (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q
                    - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00)
                    / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q
                    + 3.754408661907416e+00) * q + 1);
        } else if (p <= 1 - pLow) {
            double q = p - 0.5;
            double r = q * q;
            x = (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r
                    + 1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q
                    / (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r
                    + 6.680131188771972e+01) * r - 1.328068155288572e+01) * r + 1);
        } else {
            double q = Math.sqrt(-2 * Math.log(1 - p));
            x = -(((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q
                    - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00)
                    / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q
                    + 3.754408661907416e+00) * q + 1);
        }
        // one Halley step: e = Φ(x) - p, u = e / φ(x)
        // (computed from the nearer tail so that it keeps its relative precision)
        double e = p < 0.5 ? normalCdf(x) - p : (1 - p) - normalCdf(-x);
        double u = e * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
        return x - u / (1 + 0.5 * x * u);
    }

    /** log(exp(a) + exp(b)) without overflow; -inf when both are -inf. */
    public static double logAddExp(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
    }

    /** log Σ exp(values[from..to)); -inf for an empty range or all -inf. */
    public static double logSumExp(double[] values, int from, int to) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            if (values[i] > max) {
                max = values[i];
            }
        }
        if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
            return max;
        }
        if (max == Double.POSITIVE_INFINITY) {
            return max;
        }
        double s = 0;
        for (int i = from; i < to; i++) {
            s += Math.exp(values[i] - max);
        }
        return max + Math.log(s);
    }

    /** log Σ exp(values). */
    public static double logSumExp(double[] values) {
        return logSumExp(values, 0, values.length);
    }
}
