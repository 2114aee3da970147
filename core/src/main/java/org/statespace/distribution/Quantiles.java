package org.statespace.distribution;

/** Quantiles of distributions that only give a distribution function. */
final class Quantiles {
    private Quantiles() {
    }

    /**
     * Bisection on the marginal cdf of component j: brackets [mean - k sd, mean + k sd], widened until
     * it holds p, then halved until the interval is below 1e-12 of its scale.
     */
    static double byBisection(PredictiveDistribution d, int j, double p) {
        if (!(p > 0 && p < 1)) {
            if (p == 0) {
                return Double.NEGATIVE_INFINITY;
            }
            if (p == 1) {
                return Double.POSITIVE_INFINITY;
            }
            throw new IllegalArgumentException("probability must be in [0, 1], got " + p);
        }
        double mean = d.mean(j);
        double sd = Math.sqrt(Math.max(d.variance(j), 0));
        double step = sd > 0 ? sd : Math.max(1, Math.abs(mean));
        double lo = mean - step;
        double hi = mean + step;
        for (int i = 0; i < 200 && d.cdf(j, lo) > p; i++) {
            lo -= step;
            step *= 2;
        }
        step = sd > 0 ? sd : Math.max(1, Math.abs(mean));
        for (int i = 0; i < 200 && d.cdf(j, hi) < p; i++) {
            hi += step;
            step *= 2;
        }
        double scale = Math.max(Math.abs(lo), Math.abs(hi)) + sd;
        for (int i = 0; i < 200 && hi - lo > 1e-12 * scale; i++) {
            double mid = 0.5 * (lo + hi);
            if (d.cdf(j, mid) >= p) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }
}
