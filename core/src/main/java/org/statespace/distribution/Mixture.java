package org.statespace.distribution;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import org.statespace.data.Sequence;
import org.statespace.numeric.SpecialFunctions;

/**
 * A finite mixture Σ_k w_k p_k(y) of components of one dimension. The predictive distribution of an
 * HMM with continuous emissions is one: the weights are the predicted state probabilities and the
 * components the state emission densities. A mutable workspace: the components are fixed when it is
 * built (and may be updated in place by their owner); {@link #setWeights} changes the weights.
 *
 * <p>After each {@code logDensity} call, {@link #componentLogDensity(int)} holds log p_k(y) of every
 * component for the same y, so a filter that needs them (the forward update) does not evaluate them
 * again.
 */
public final class Mixture implements PredictiveDistribution {
    private final PredictiveDistribution[] components;
    private final double[] weights;
    private final double[] logTerms;
    private final double[] componentLogDensities;
    private final int d;

    /** A mixture of the given components (kept, not copied), initially with equal weights. */
    public Mixture(PredictiveDistribution... components) {
        if (components.length == 0) {
            throw new IllegalArgumentException("a mixture needs at least one component");
        }
        d = components[0].dimension();
        for (PredictiveDistribution c : components) {
            if (c.dimension() != d) {
                throw new IllegalArgumentException("mixture components have dimensions " + d + " and " + c.dimension());
            }
        }
        this.components = components.clone();
        weights = new double[components.length];
        Arrays.fill(weights, 1.0 / components.length);
        logTerms = new double[components.length];
        componentLogDensities = new double[components.length];
    }

    /** K, the number of components. */
    public int size() {
        return components.length;
    }

    /** Component k (the live workspace, not a copy). */
    public PredictiveDistribution component(int k) {
        return components[k];
    }

    /** w_k. */
    public double weight(int k) {
        return weights[k];
    }

    /** Copies w = {@code w[offset..offset+K)} in; the caller keeps them a probability vector. */
    public void setWeights(double[] w, int offset) {
        System.arraycopy(w, offset, weights, 0, weights.length);
    }

    /** log p_k(y) for the y of the last {@code logDensity} call. */
    public double componentLogDensity(int k) {
        return componentLogDensities[k];
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public double logDensity(double[] y, int offset) {
        for (int k = 0; k < components.length; k++) {
            componentLogDensities[k] = components[k].logDensity(y, offset);
        }
        return combine();
    }

    @Override
    public double logDensity(Sequence sequence, int t) {
        for (int k = 0; k < components.length; k++) {
            componentLogDensities[k] = components[k].logDensity(sequence, t);
        }
        return combine();
    }

    private double combine() {
        for (int k = 0; k < components.length; k++) {
            logTerms[k] = weights[k] > 0 ? Math.log(weights[k]) + componentLogDensities[k] : Double.NEGATIVE_INFINITY;
        }
        return SpecialFunctions.logSumExp(logTerms);
    }

    @Override
    public double mean(int j) {
        double m = 0;
        for (int k = 0; k < components.length; k++) {
            if (weights[k] > 0) {
                m += weights[k] * components[k].mean(j);
            }
        }
        return m;
    }

    /**
     * The law of total variance, Σ_k w_k σ_k² + Σ_k (√w_k (μ_k - μ̄))², never E[x²] - E[x]²: each spread
     * term is scaled by √w_k before it is squared (and the difference halved first when it alone
     * overflows), so the result is finite whenever the variance itself is representable, for instance
     * components at ±1e200 with a weight of 1e-300 on one of them. It is +∞ only when the variance
     * truly exceeds the double range.
     */
    @Override
    public double variance(int j) {
        double m = mean(j);
        double v = 0;
        for (int k = 0; k < components.length; k++) {
            if (weights[k] > 0) {
                double mu = components[k].mean(j);
                double root = Math.sqrt(weights[k]);
                double spread = root * (mu - m);
                if (Double.isInfinite(spread)) {
                    // μ_k - μ̄ overflowed (components near ±1.8e308): the same in halves
                    spread = 2 * (root * (0.5 * mu - 0.5 * m));
                }
                v += weights[k] * components[k].variance(j) + spread * spread;
            }
        }
        return v;
    }

    @Override
    public double cdf(int j, double x) {
        double c = 0;
        for (int k = 0; k < components.length; k++) {
            if (weights[k] > 0) {
                c += weights[k] * components[k].cdf(j, x);
            }
        }
        return Math.min(1, c);
    }

    /** For a mixture of count distributions the smallest integer with cdf &gt;= p; else see the default. */
    @Override
    public double quantile(int j, double p) {
        boolean counts = true;
        for (PredictiveDistribution c : components) {
            counts &= c instanceof Poisson;
        }
        return counts ? Quantiles.integer(this, j, p) : Quantiles.solve(this, j, p);
    }

    @Override
    public void sample(RandomGenerator random, double[] out, int offset) {
        double u = random.nextDouble();
        double c = 0;
        int chosen = components.length - 1;
        for (int k = 0; k < components.length; k++) {
            c += weights[k];
            if (u < c) {
                chosen = k;
                break;
            }
        }
        while (weights[chosen] <= 0 && chosen > 0) {
            chosen--;
        }
        components[chosen].sample(random, out, offset);
    }

    @Override
    public Mixture copy() {
        PredictiveDistribution[] copies = new PredictiveDistribution[components.length];
        for (int k = 0; k < copies.length; k++) {
            copies[k] = components[k].copy();
        }
        Mixture m = new Mixture(copies);
        m.setWeights(weights, 0);
        return m;
    }

    @Override
    public String toString() {
        return "Mixture[weights=" + Arrays.toString(weights) + ", components=" + Arrays.toString(components) + "]";
    }
}
