package org.statespace.numeric;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Seeded random generators. All randomness in the toolkit goes through a generator made here from a
 * seed that the spec, the options or the command line gave, and that result files record.
 *
 * <p>Independent streams are derived from (seed, index) by a fixed mixing function, so work split over
 * threads or resumed from a checkpoint draws exactly the numbers an uninterrupted single-threaded run
 * would.
 */
public final class Randoms {
    private Randoms() {
    }

    /** A generator for {@code seed} ({@link SplittableRandom}, whose algorithm is specified and stable). */
    public static RandomGenerator seeded(long seed) {
        return new SplittableRandom(seed);
    }

    /** The generator of stream {@code index} under {@code seed} (e.g. sequence i, or epoch e). */
    public static RandomGenerator stream(long seed, long index) {
        return new SplittableRandom(mix(seed, index));
    }

    /** A seed derived from a seed and an index (SplitMix64 finaliser of their combination). */
    public static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + (index + 1) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * One draw from the categorical law {@code p[offset .. offset+n-1]} (entries summing to 1) by inversion of
     * one uniform; rounding that leaves the cumulative sum below the uniform gives the last positive entry.
     */
    public static int categorical(double[] p, int offset, int n, RandomGenerator random) {
        double u = random.nextDouble();
        double c = 0;
        int last = 0;
        for (int k = 0; k < n; k++) {
            double x = p[offset + k];
            if (x > 0) {
                last = k;
            }
            c += x;
            if (u < c) {
                return k;
            }
        }
        return last;
    }
}
