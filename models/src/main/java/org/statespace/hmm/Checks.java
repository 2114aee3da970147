package org.statespace.hmm;

import org.statespace.numeric.Cholesky;

/** Argument checks of the programmatic factories, and the shared normalisation of expected counts. */
final class Checks {
    private Checks() {
    }

    /** Entries in [0, 1] summing to 1 within 1e-9. */
    static void probabilities(String what, double[] p) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0 && p[i] <= 1)) {
                throw new IllegalArgumentException(what + "[" + i + "] must be in [0, 1], got " + p[i]);
            }
            sum += p[i];
        }
        if (Math.abs(sum - 1) > 1e-9) {
            throw new IllegalArgumentException(what + " sums to " + sum + ", expected 1");
        }
    }

    /** Positive and finite. */
    static void positive(String what, double v) {
        if (!(v > 0) || v == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(what + " must be positive and finite, got " + v);
        }
    }

    /** Finite. */
    static void finite(String what, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be finite, got " + v);
        }
    }

    /** A symmetric positive definite d×d matrix given as rows. */
    static double[] covariance(String what, double[][] m, int d) {
        if (m.length != d) {
            throw new IllegalArgumentException(what + " must be " + d + "x" + d + ", got " + m.length + " rows");
        }
        double[] packed = new double[d * d];
        for (int a = 0; a < d; a++) {
            if (m[a].length != d) {
                throw new IllegalArgumentException(what + "[" + a + "] has " + m[a].length + " entries, expected " + d);
            }
            for (int b = 0; b < d; b++) {
                finite(what + "[" + a + "][" + b + "]", m[a][b]);
                packed[a * d + b] = m[a][b];
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                double scale = Math.max(Math.abs(m[a][b]), Math.sqrt(Math.abs(m[a][a] * m[b][b])));
                if (Math.abs(m[a][b] - m[b][a]) > 1e-9 * Math.max(scale, Double.MIN_NORMAL)) {
                    throw new IllegalArgumentException(what + " is not symmetric at [" + a + "][" + b + "]");
                }
            }
        }
        if (!Cholesky.isPositiveDefinite(packed, d, new double[d * d])) {
            throw new IllegalArgumentException(what + " is not positive definite");
        }
        return packed;
    }

    /**
     * Normalises expected counts plus pseudo-counts into a probability vector:
     * out[i] = (counts[i] + α + [i = extraIndex]·extra) / Σ. Leaves {@code out} unchanged when the
     * total is not positive (no data and no prior), so a state without responsibility keeps its values.
     *
     * @return whether the row was written
     */
    static boolean normalizeRow(double[] counts, int offset, int n, double alpha, double extra, int extraIndex,
            double[] out) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += counts[offset + i] + alpha + (i == extraIndex ? extra : 0);
        }
        if (!(total > 0) || !Double.isFinite(total)) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            out[offset + i] = (counts[offset + i] + alpha + (i == extraIndex ? extra : 0)) / total;
        }
        return true;
    }
}
