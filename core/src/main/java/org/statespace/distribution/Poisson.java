package org.statespace.distribution;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import org.statespace.data.Sequence;
import org.statespace.numeric.SpecialFunctions;

/**
 * Independent Poisson counts: component j ~ Poisson(λ_j). A mutable workspace ({@link #set}); a value
 * that is not a non-negative integer has density zero.
 */
public final class Poisson implements PredictiveDistribution {
    private final double[] rates;

    /** A workspace of d components, all with rate 1. */
    public Poisson(int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be at least 1, got " + dimension);
        }
        rates = new double[dimension];
        Arrays.fill(rates, 1);
    }

    /** Checked rates, each positive and finite. */
    public static Poisson of(double... rates) {
        for (double r : rates) {
            if (!(r > 0) || r == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("a Poisson rate must be positive and finite, got " + r);
            }
        }
        Poisson p = new Poisson(rates.length);
        p.set(rates, 0);
        return p;
    }

    /** Copies λ = {@code r[offset..offset+d)} in. */
    public void set(double[] r, int offset) {
        System.arraycopy(r, offset, rates, 0, rates.length);
    }

    /** λ_j. */
    public double rate(int j) {
        return rates[j];
    }

    @Override
    public int dimension() {
        return rates.length;
    }

    /** log P(Y = k) for one component with rate λ. */
    public static double logProbability(double k, double rate) {
        if (k < 0 || k != Math.rint(k)) {
            return Double.NEGATIVE_INFINITY;
        }
        return k * Math.log(rate) - rate - SpecialFunctions.logFactorial(k);
    }

    @Override
    public double logDensity(double[] y, int offset) {
        double s = 0;
        for (int j = 0; j < rates.length; j++) {
            double v = y[offset + j];
            if (!Double.isNaN(v)) {
                s += logProbability(v, rates[j]);
            }
        }
        return s;
    }

    @Override
    public double logDensity(Sequence sequence, int t) {
        double s = 0;
        for (int j = 0; j < rates.length; j++) {
            double v = sequence.value(t, j);
            if (!Double.isNaN(v)) {
                s += logProbability(v, rates[j]);
            }
        }
        return s;
    }

    @Override
    public double mean(int j) {
        return rates[j];
    }

    @Override
    public double variance(int j) {
        return rates[j];
    }

    @Override
    public double cdf(int j, double x) {
        if (x < 0) {
            return 0;
        }
        // P(Y <= k) = Q(k + 1, λ)
        return SpecialFunctions.regularizedGammaQ(Math.floor(x) + 1, rates[j]);
    }

    @Override
    public double quantile(int j, double p) {
        return Quantiles.integer(this, j, p);
    }

    @Override
    public void sample(RandomGenerator random, double[] out, int offset) {
        for (int j = 0; j < rates.length; j++) {
            out[offset + j] = sampleCount(random, rates[j]);
        }
    }

    /**
     * One Poisson(λ) draw: inversion by sequential search for λ &lt; 30, Hörmann's PTRS transformed
     * rejection (1993) above.
     */
    public static long sampleCount(RandomGenerator random, double rate) {
        if (rate < 30) {
            double u = random.nextDouble();
            long k = 0;
            double p = Math.exp(-rate);
            double c = p;
            while (u > c && k < 10_000) {
                k++;
                p *= rate / k;
                c += p;
            }
            return k;
        }
        double smu = Math.sqrt(rate);
        double b = 0.931 + 2.53 * smu;
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        double logRate = Math.log(rate);
        while (true) {
            double u = random.nextDouble() - 0.5;
            double v = random.nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + rate + 0.43);
            if (us >= 0.07 && v <= vr) {
                return k;
            }
            if (k < 0 || (us < 0.013 && v > us)) {
                continue;
            }
            if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b)
                    <= -rate + k * logRate - SpecialFunctions.logFactorial(k)) {
                return k;
            }
        }
    }

    @Override
    public Poisson copy() {
        Poisson p = new Poisson(rates.length);
        p.set(rates, 0);
        return p;
    }

    @Override
    public String toString() {
        return "Poisson" + Arrays.toString(rates);
    }
}
