package org.statespace.data;

import java.util.Arrays;

import org.statespace.DataException;

/**
 * A sequence being generated one step at a time. {@link #view()} is a {@link Sequence} that shares
 * this buffer's storage, so a model can run its recurrence over the part already written while a
 * sampler writes the next step; {@link #toSequence()} gives the finished, independent sequence.
 * Steps not yet written read as missing.
 */
public final class SequenceBuffer {
    private final double[] observations;
    private final int dimension;
    private final Sequence view;
    private double[] states;
    private int stateDimension;

    /**
     * @param inputs the inputs of the sequence to generate (at least {@code length} steps), or
     *               {@code null} for none
     */
    public SequenceBuffer(String id, int length, int dimension, Sequence inputs) {
        this.dimension = dimension;
        observations = new double[length * dimension];
        Arrays.fill(observations, Double.NaN);
        int p = inputs == null ? 0 : inputs.inputDimension();
        double[] u = new double[length * p];
        if (p > 0) {
            if (inputs.length() < length) {
                throw new DataException("inputs for sampling have " + inputs.length()
                        + " steps, need " + length);
            }
            double[] all = inputs.inputs();
            System.arraycopy(all, 0, u, 0, length * p);
        }
        view = Sequence.shared(id, length, dimension, observations, p, u);
    }

    /**
     * A buffer whose inputs are given packed (T×p) rather than taken from a sequence, e.g. transformed
     * inputs; observations start missing.
     */
    public SequenceBuffer(String id, int length, int dimension, int inputDimension, double[] packedInputs) {
        this.dimension = dimension;
        observations = new double[length * dimension];
        Arrays.fill(observations, Double.NaN);
        if (packedInputs.length != length * inputDimension) {
            throw new DataException("inputs for " + id + " must be " + length + "x" + inputDimension + ", got "
                    + packedInputs.length + " values");
        }
        view = Sequence.shared(id, length, dimension, observations, inputDimension, packedInputs.clone());
    }

    /** Sets component j of observation t. */
    public void set(int t, int j, double value) {
        observations[t * dimension + j] = value;
    }

    /** The live view (observations not yet written are missing). */
    public Sequence view() {
        return view;
    }

    /** Writes observation t from {@code values[offset .. offset+d)}. */
    public void set(int t, double[] values, int offset) {
        System.arraycopy(values, offset, observations, t * dimension, dimension);
    }

    /** Records hidden state t (k numbers); the first call fixes k. */
    public void setState(int t, double[] values, int offset, int k) {
        if (states == null) {
            stateDimension = k;
            states = new double[view.length() * k];
        }
        System.arraycopy(values, offset, states, t * stateDimension, stateDimension);
    }

    /** The finished sequence, independent of this buffer. */
    public Sequence toSequence() {
        Sequence s = Sequence.of(view.id(), dimension, observations).withInputs(view.inputDimension(), view.inputs());
        return states == null ? s : s.withStates(stateDimension, states);
    }
}
