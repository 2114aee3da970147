package org.statespace.plots;

import org.statespace.DataException;
import org.statespace.DimensionMismatchException;

/**
 * The hidden units of one RNN layer over a sequence, packed: h_t,i for t in 0..T-1, i in 0..H-1.
 *
 * @param sequenceId the sequence's id
 * @param layer      the layer's name, e.g. "layer 1 (LSTM, 16 units)"
 * @param length     T
 * @param units      H
 * @param values     T×H, row-major
 */
public record HiddenUnits(String sequenceId, String layer, int length, int units, double[] values) {

    public HiddenUnits {
        if (length <= 0 || units <= 0) {
            throw new DataException(layer + ": hidden units need at least one step and one unit, got " + length
                    + " steps of " + units + " units");
        }
        if (values.length != length * units) {
            throw new DimensionMismatchException(layer, length + "x" + units + " values", values.length + " values");
        }
        values = values.clone();
    }

    /** From a T×H array. */
    public static HiddenUnits of(String sequenceId, String layer, double[][] values) {
        if (values.length == 0) {
            throw new DataException(layer + ": no steps");
        }
        int h = values[0].length;
        double[] packed = new double[values.length * h];
        for (int t = 0; t < values.length; t++) {
            if (values[t].length != h) {
                throw new DimensionMismatchException(layer + "[" + t + "]", h + " units", values[t].length + " units");
            }
            System.arraycopy(values[t], 0, packed, t * h, h);
        }
        return new HiddenUnits(sequenceId, layer, values.length, h, packed);
    }

    /** h_t,i. */
    public double value(int t, int i) {
        return values[t * units + i];
    }

    @Override
    public double[] values() {
        return values.clone();
    }
}
