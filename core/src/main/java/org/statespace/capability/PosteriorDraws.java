package org.statespace.capability;

/**
 * Joint posterior draws of the hidden states of one sequence, packed: draw d, step t, component i at
 * {@code (d·T + t)·n + i}. Discrete hidden states ({@link #discrete()}) have n = 1 and the value is the
 * state index; continuous ones (a linear-Gaussian model) have n state components.
 */
public final class PosteriorDraws {
    private final int count;
    private final int length;
    private final int dimension;
    private final boolean discrete;
    private final double[] values;

    private PosteriorDraws(int count, int length, int dimension, boolean discrete, double[] values) {
        if (values.length != count * length * dimension) {
            throw new IllegalArgumentException("expected " + count + "x" + length + "x" + dimension + " values, got "
                    + values.length);
        }
        this.count = count;
        this.length = length;
        this.dimension = dimension;
        this.discrete = discrete;
        this.values = values;
    }

    /**
     * The check every {@link PosteriorSampling} makes of its count.
     *
     * @throws IllegalArgumentException when {@code count} is below 1
     */
    public static int requireCount(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("the number of draws must be at least 1, got " + count);
        }
        return count;
    }

    /** Draws of continuous states, packed count×T×n (taken, not copied). */
    public static PosteriorDraws continuous(int count, int length, int dimension, double[] values) {
        return new PosteriorDraws(count, length, dimension, false, values);
    }

    /** Draws of discrete paths: {@code paths[d]} is draw d, T state indices. */
    public static PosteriorDraws paths(int length, int[][] paths) {
        double[] v = new double[paths.length * length];
        for (int d = 0; d < paths.length; d++) {
            if (paths[d].length != length) {
                throw new IllegalArgumentException("draw " + d + " has " + paths[d].length + " steps, expected " + length);
            }
            for (int t = 0; t < length; t++) {
                v[d * length + t] = paths[d][t];
            }
        }
        return new PosteriorDraws(paths.length, length, 1, true, v);
    }

    /** The number of draws. */
    public int count() {
        return count;
    }

    /** T. */
    public int length() {
        return length;
    }

    /** n, the components of a state (1 for a discrete state). */
    public int dimension() {
        return dimension;
    }

    /** Whether the states are discrete (the values are state indices). */
    public boolean discrete() {
        return discrete;
    }

    /** Component i of the state at step t in draw d. */
    public double value(int draw, int t, int i) {
        return values[(draw * length + t) * dimension + i];
    }

    /** The state index at step t in draw d (discrete states). */
    public int state(int draw, int t) {
        if (!discrete) {
            throw new IllegalStateException("the draws are of continuous states");
        }
        return (int) values[draw * length + t];
    }

    @Override
    public String toString() {
        return "PosteriorDraws[count=" + count + ", T=" + length + ", n=" + dimension
                + (discrete ? ", discrete" : "") + "]";
    }
}
