package org.statespace.data;

import java.util.Arrays;

/**
 * A sum of doubles kept exactly, as non-overlapping partials (Shewchuk 1997, "Adaptive precision floating-point
 * arithmetic", the algorithm of Python's {@code math.fsum}), and rounded once at the end. The rounded value is
 * the exact sum correctly rounded, so it does not depend on the order of the terms or on how they were split
 * into parts and merged: a dataset summed on one machine and summed by partitions on a cluster give the same bits.
 * Non-finite terms make the sum non-finite (their own sum).
 */
final class ExactSum {
    private double[] partials = new double[4];
    private int size;
    private double nonFinite;
    private boolean hasNonFinite;

    void add(double value) {
        double x = value;
        if (!Double.isFinite(x)) {
            nonFinite += x;
            hasNonFinite = true;
            return;
        }
        int kept = 0;
        for (int j = 0; j < size; j++) {
            double y = partials[j];
            if (Math.abs(x) < Math.abs(y)) {
                double t = x;
                x = y;
                y = t;
            }
            double hi = x + y;
            double lo = y - (hi - x);   // exact: x + y = hi + lo (Knuth's two-sum with |x| >= |y|)
            if (lo != 0) {
                partials[kept++] = lo;
            }
            x = hi;
        }
        if (!Double.isFinite(x)) {      // the exact sum left the double range
            nonFinite += x;
            hasNonFinite = true;
            return;
        }
        if (kept == partials.length) {
            partials = Arrays.copyOf(partials, 2 * kept);
        }
        partials[kept++] = x;
        size = kept;
    }

    /** Adds every term of {@code other} (exactly: its partials are its sum). */
    void merge(ExactSum other) {
        for (int i = 0; i < other.size; i++) {
            add(other.partials[i]);
        }
        if (other.hasNonFinite) {
            nonFinite += other.nonFinite;
            hasNonFinite = true;
        }
    }

    /** The exact sum rounded to the nearest double (ties to even). */
    double value() {
        if (hasNonFinite) {
            return nonFinite;
        }
        int n = size;
        if (n == 0) {
            return 0.0;
        }
        double hi = partials[--n];
        double lo = 0;
        while (n > 0) {
            double x = hi;
            double y = partials[--n];
            hi = x + y;
            lo = y - (hi - x);
            if (lo != 0) {
                break;
            }
        }
        // half-way case: the partials below lo push the rounding the other way
        if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
            double y = lo * 2;
            double x = hi + y;
            if (y == x - hi) {
                hi = x;
            }
        }
        return hi;
    }
}
