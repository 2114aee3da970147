package org.statespace.hsmm;

/**
 * The M-step of one state's duration distribution from the expected segment counts.
 *
 * <p>A segment that ends inside the sequence contributes its expected ends per duration d (the E-step's
 * {@code ends}). A segment still running at the last step (censored after e steps) is completed with its
 * unobserved remainder as latent data: it counts for every d &ge; e with weight p̃(d) / S(e) under the
 * current parameters. With these expected counts n(d), d = 1..slots, EM maximises
 * Q(θ) = Σ_d n(d) log p̃_θ(d), the truncated and folded distribution of {@link Duration}:
 * <ul>
 *   <li>table: p(d) = n(d) / Σ n, exact;</li>
 *   <li>Poisson: λ = Σ n(d)(d-1) / Σ n, the mean of the expected durations minus one (exact without
 *       truncation);</li>
 *   <li>negative binomial: for each size r the untruncated maximiser q(r) = r / (r + mean(d - 1)); the size by
 *       golden-section search of Q(r, q(r)) over log r in [log 10⁻⁴, log 10⁴] (a 1-D numerical maximisation);</li>
 *   <li>geometric: q = expected segment ends / expected steps spent in the state that have a successor
 *       (the exact maximiser of the expanded chain's expected log-likelihood, as Baum-Welch for A_kk).</li>
 * </ul>
 * For Poisson and negative binomial, whose maximiser above ignores the folding at D, the new parameters are
 * kept only when Q does not decrease (a generalised EM step), so the likelihood never decreases.
 */
final class DurationFit {
    private DurationFit() {
    }

    static Duration maximize(Duration current, int maxDuration, SemiMarkovStatistics st, int state, int offset,
            int slots) {
        if (current instanceof Duration.Geometric g) {
            double q = st.ends[offset] / st.occupancy[state];
            if (!(q > 0) || !Double.isFinite(q)) {
                return g;
            }
            return new Duration.Geometric(Math.min(1, q));
        }
        double[] p = current.probabilities(maxDuration);
        double[] survival = Duration.survival(p);
        double[] n = new double[slots];
        double total = 0;
        for (int d = 0; d < slots; d++) {
            n[d] += st.ends[offset + d];
            double c = st.censored[offset + d];
            if (c > 0 && survival[d] > 0) {
                for (int x = d; x < slots; x++) {
                    n[x] += c * p[x] / survival[d];
                }
            }
        }
        double weighted = 0;
        for (int d = 0; d < slots; d++) {
            total += n[d];
            weighted += n[d] * d;
        }
        if (!(total > 0) || !Double.isFinite(total)) {
            return current;
        }
        if (current instanceof Duration.Table) {
            double[] v = new double[slots];
            for (int d = 0; d < slots; d++) {
                v[d] = n[d] / total;
            }
            return new Duration.Table(v);
        }
        double mean = weighted / total;
        if (!(mean > 0)) {
            return current;
        }
        Duration candidate;
        if (current instanceof Duration.Poisson) {
            candidate = new Duration.Poisson(mean);
        } else {
            candidate = negativeBinomial(n, mean, maxDuration);
        }
        return q(candidate, n, maxDuration) >= q(current, n, maxDuration) ? candidate : current;
    }

    private static Duration negativeBinomial(double[] n, double mean, int maxDuration) {
        double lo = Math.log(1e-4);
        double hi = Math.log(1e4);
        double golden = (Math.sqrt(5) - 1) / 2;
        double a = hi - golden * (hi - lo);
        double b = lo + golden * (hi - lo);
        double fa = q(nb(a, mean), n, maxDuration);
        double fb = q(nb(b, mean), n, maxDuration);
        for (int i = 0; i < 80; i++) {
            if (fa >= fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - golden * (hi - lo);
                fa = q(nb(a, mean), n, maxDuration);
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + golden * (hi - lo);
                fb = q(nb(b, mean), n, maxDuration);
            }
        }
        return nb(fa >= fb ? a : b, mean);
    }

    private static Duration.NegativeBinomial nb(double logSize, double mean) {
        double r = Math.exp(logSize);
        return new Duration.NegativeBinomial(r, r / (r + mean));
    }

    /** Q = Σ_d n(d) log p̃(d). */
    static double q(Duration duration, double[] n, int maxDuration) {
        double[] p = duration.probabilities(maxDuration);
        double sum = 0;
        for (int d = 0; d < n.length; d++) {
            if (n[d] > 0) {
                sum += n[d] * Math.log(p[d]);
            }
        }
        return sum;
    }
}
