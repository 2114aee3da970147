package org.statespace.distribution;

import java.util.random.RandomGenerator;

import org.statespace.data.Sequence;

/**
 * The law of Y = μ + σ ⊙ Z for a distribution of Z and per-component location μ and scale σ &gt; 0:
 * a model that works on standardised data predicts Z, and this says what that means for the data.
 * log p(y) = log p_Z((y - μ) / σ) - Σ_observed log σ_j. A mutable view of a live inner workspace.
 */
public final class Affine implements PredictiveDistribution {
    private final PredictiveDistribution inner;
    private final double[] location;
    private final double[] scale;
    private final double[] z;

    /**
     * @param inner    the distribution of Z (kept, not copied)
     * @param location μ, one per component
     * @param scale    σ, one per component, all positive
     */
    public Affine(PredictiveDistribution inner, double[] location, double[] scale) {
        int d = inner.dimension();
        if (location.length != d || scale.length != d) {
            throw new IllegalArgumentException("location and scale need " + d + " entries, got " + location.length
                    + " and " + scale.length);
        }
        for (double s : scale) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("scales must be positive and finite, got " + s);
            }
        }
        this.inner = inner;
        this.location = location.clone();
        this.scale = scale.clone();
        this.z = new double[d];
    }

    /** The distribution of Z. */
    public PredictiveDistribution inner() {
        return inner;
    }

    /** μ_j (for the scores, which shift by it). */
    double location(int j) {
        return location[j];
    }

    /** σ_j (for the scores, which scale by it). */
    double scale(int j) {
        return scale[j];
    }

    @Override
    public int dimension() {
        return z.length;
    }

    @Override
    public double logDensity(double[] y, int offset) {
        double correction = 0;
        for (int j = 0; j < z.length; j++) {
            double v = y[offset + j];
            z[j] = (v - location[j]) / scale[j];
            if (!Double.isNaN(v)) {
                correction += Math.log(scale[j]);
            }
        }
        return inner.logDensity(z, 0) - correction;
    }

    @Override
    public double logDensity(Sequence sequence, int t) {
        double correction = 0;
        for (int j = 0; j < z.length; j++) {
            double v = sequence.value(t, j);
            z[j] = (v - location[j]) / scale[j];
            if (!Double.isNaN(v)) {
                correction += Math.log(scale[j]);
            }
        }
        return inner.logDensity(z, 0) - correction;
    }

    /** Σ log σ_j over the components of observation t that are observed: what the density loses by scaling. */
    public double logScale(Sequence sequence, int t) {
        double correction = 0;
        for (int j = 0; j < z.length; j++) {
            if (!Double.isNaN(sequence.value(t, j))) {
                correction += Math.log(scale[j]);
            }
        }
        return correction;
    }

    @Override
    public double mean(int j) {
        return location[j] + scale[j] * inner.mean(j);
    }

    @Override
    public double variance(int j) {
        return scale[j] * scale[j] * inner.variance(j);
    }

    @Override
    public double cdf(int j, double x) {
        return inner.cdf(j, (x - location[j]) / scale[j]);
    }

    @Override
    public double quantile(int j, double p) {
        return location[j] + scale[j] * inner.quantile(j, p);
    }

    @Override
    public double pointPrediction(int j) {
        return location[j] + scale[j] * inner.pointPrediction(j);
    }

    @Override
    public void sample(RandomGenerator random, double[] out, int offset) {
        inner.sample(random, out, offset);
        for (int j = 0; j < z.length; j++) {
            out[offset + j] = location[j] + scale[j] * out[offset + j];
        }
    }

    @Override
    public Affine copy() {
        return new Affine(inner.copy(), location, scale);
    }

    @Override
    public String toString() {
        return "Affine[" + inner + "]";
    }
}
