package org.statespace.capability;

import java.util.Arrays;

/**
 * One named per-step quantity of a run, packed: {@code length} steps, each a block of numbers of the
 * given {@code shape} (e.g. [K] for state probabilities, [n] for means, [n, n] for covariances), stored
 * row-major one step after the other.
 *
 * @param name   the JSON name, e.g. {@code "filteredProbabilities"}
 * @param length T
 * @param shape  the shape of one step's block
 * @param values T × prod(shape) numbers
 */
public record Track(String name, int length, int[] shape, double[] values) {

    public Track {
        shape = shape.clone();
        int width = 1;
        for (int s : shape) {
            width *= s;
        }
        if (values.length != length * width) {
            throw new IllegalArgumentException(name + ": " + values.length + " values do not make " + length
                    + " blocks of shape " + Arrays.toString(shape));
        }
    }

    /** Numbers per step. */
    public int width() {
        int width = 1;
        for (int s : shape) {
            width *= s;
        }
        return width;
    }

    /** Element {@code i} of step t's block. */
    public double value(int t, int i) {
        return values[t * width() + i];
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Track tr && name.equals(tr.name) && length == tr.length
                && Arrays.equals(shape, tr.shape) && Arrays.equals(values, tr.values);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Track[" + name + ", T=" + length + ", shape=" + Arrays.toString(shape) + "]";
    }
}
