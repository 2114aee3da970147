package org.statespace.distribution;

import java.util.random.RandomGenerator;

import org.statespace.data.Sequence;

/**
 * The distribution of one observation y (d components) that a model predicts before seeing it:
 * p(o_t | o_0..o_{t-1}, inputs). Every family emits one at every step, which is what lets one engine
 * score them all on the same quantity.
 *
 * <p>Implementations are mutable workspaces: an emission writes its prediction into the same object at
 * every step, so an engine never allocates per step. A caller that keeps a distribution beyond the
 * current step takes a {@link #copy()}.
 *
 * <p>Missing values: a {@code NaN} component of y is integrated out (the marginal of the observed
 * components is used); an observation with every component missing has log-density 0.
 */
public interface PredictiveDistribution {

    /** d, the number of components of one observation (1 for a symbol). */
    int dimension();

    /** log p(y) for y = {@code y[offset .. offset+d)}, marginalising {@code NaN} components. */
    double logDensity(double[] y, int offset);

    /** log p(o_t) for the observation at step t of a sequence, marginalising missing components. */
    double logDensity(Sequence sequence, int t);

    /** The mean of component j. */
    double mean(int j);

    /** The variance of component j (its marginal variance). */
    double variance(int j);

    /** P(Y_j &lt;= x), the marginal distribution function of component j. */
    double cdf(int j, double x);

    /**
     * The p-quantile of component j: the smallest x with cdf(j, x) &gt;= p. The default solves
     * cdf(j, x) = p by safeguarded Newton steps (the marginal density is the slope) from a bracket
     * around the mean; closed forms and count distributions override it.
     */
    default double quantile(int j, double p) {
        return Quantiles.solve(this, j, p);
    }

    /**
     * The single best guess for component j: the mean for real observations, the most probable symbol
     * for categorical ones.
     */
    default double pointPrediction(int j) {
        return mean(j);
    }

    /** Draws one observation into {@code out[offset .. offset+d)}. */
    void sample(RandomGenerator random, double[] out, int offset);

    /** An independent copy that later updates of this workspace do not change. */
    PredictiveDistribution copy();
}
