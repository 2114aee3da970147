package org.statespace.distribution;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import org.statespace.data.Sequence;

/**
 * A distribution over M symbols 0..M-1 with probabilities p_0..p_{M-1}. A mutable workspace: emissions
 * {@link #set} it at every step; {@link #of} makes a checked standalone value.
 */
public final class Categorical implements PredictiveDistribution {
    private final double[] probabilities;

    /** A workspace over {@code size} symbols, initially uniform. */
    public Categorical(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a categorical distribution needs at least one symbol, got " + size);
        }
        probabilities = new double[size];
        Arrays.fill(probabilities, 1.0 / size);
    }

    /** A checked distribution: entries finite, non-negative, summing to 1 within 1e-9. */
    public static Categorical of(double... probabilities) {
        double sum = 0;
        for (double p : probabilities) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("probability must be in [0, 1], got " + p);
            }
            sum += p;
        }
        if (Math.abs(sum - 1) > 1e-9) {
            throw new IllegalArgumentException("probabilities sum to " + sum + ", expected 1");
        }
        Categorical c = new Categorical(probabilities.length);
        c.set(probabilities);
        return c;
    }

    /** Copies {@code p} (length M) in; the caller guarantees it is a probability vector. */
    public void set(double[] p) {
        System.arraycopy(p, 0, probabilities, 0, probabilities.length);
    }

    /** Copies {@code p[offset .. offset+M)} in. */
    public void set(double[] p, int offset) {
        System.arraycopy(p, offset, probabilities, 0, probabilities.length);
    }

    /** Sets one probability (the caller keeps the whole vector normalised). */
    public void set(int symbol, double p) {
        probabilities[symbol] = p;
    }

    /** M. */
    public int size() {
        return probabilities.length;
    }

    /** p_k. */
    public double probability(int symbol) {
        return probabilities[symbol];
    }

    /** Copies the probabilities into {@code out[offset .. offset+M)}. */
    public void copyProbabilities(double[] out, int offset) {
        System.arraycopy(probabilities, 0, out, offset, probabilities.length);
    }

    /** The most probable symbol (the smallest index among ties). */
    public int mode() {
        int best = 0;
        for (int k = 1; k < probabilities.length; k++) {
            if (probabilities[k] > probabilities[best]) {
                best = k;
            }
        }
        return best;
    }

    @Override
    public int dimension() {
        return 1;
    }

    @Override
    public double logDensity(double[] y, int offset) {
        return logProbabilityOf(y[offset]);
    }

    @Override
    public double logDensity(Sequence sequence, int t) {
        return logProbabilityOf(sequence.scalar(t));
    }

    private double logProbabilityOf(double y) {
        if (Double.isNaN(y)) {
            return 0;
        }
        int k = (int) y;
        if (k != y || k < 0 || k >= probabilities.length) {
            return Double.NEGATIVE_INFINITY;
        }
        return Math.log(probabilities[k]);
    }

    @Override
    public double mean(int j) {
        double m = 0;
        for (int k = 0; k < probabilities.length; k++) {
            m += k * probabilities[k];
        }
        return m;
    }

    @Override
    public double variance(int j) {
        double m = mean(0);
        double v = 0;
        for (int k = 0; k < probabilities.length; k++) {
            v += (k - m) * (k - m) * probabilities[k];
        }
        return v;
    }

    @Override
    public double cdf(int j, double x) {
        double c = 0;
        for (int k = 0; k < probabilities.length && k <= x; k++) {
            c += probabilities[k];
        }
        return Math.min(1, c);
    }

    @Override
    public double quantile(int j, double p) {
        double c = 0;
        for (int k = 0; k < probabilities.length; k++) {
            c += probabilities[k];
            if (c >= p) {
                return k;
            }
        }
        return probabilities.length - 1;
    }

    @Override
    public double pointPrediction(int j) {
        return mode();
    }

    @Override
    public void sample(RandomGenerator random, double[] out, int offset) {
        out[offset] = sampleSymbol(random);
    }

    /** Draws a symbol by inversion. */
    public int sampleSymbol(RandomGenerator random) {
        double u = random.nextDouble();
        double c = 0;
        for (int k = 0; k < probabilities.length; k++) {
            c += probabilities[k];
            if (u < c) {
                return k;
            }
        }
        // rounding left u above the total: the last symbol with positive probability
        for (int k = probabilities.length - 1; k >= 0; k--) {
            if (probabilities[k] > 0) {
                return k;
            }
        }
        return probabilities.length - 1;
    }

    @Override
    public Categorical copy() {
        Categorical c = new Categorical(probabilities.length);
        c.set(probabilities);
        return c;
    }

    @Override
    public String toString() {
        return "Categorical" + Arrays.toString(probabilities);
    }
}
