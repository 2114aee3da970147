package org.statespace.data;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

import org.statespace.DataException;

/**
 * One observed sequence o_0 .. o_{T-1}, each observation a vector of {@link #dimension()} numbers, with
 * optional exogenous inputs u_0 .. u_{T-1} and, when known (sampled data), the hidden states.
 *
 * <p>Storage is packed: observations are a T×d row-major array in which {@code NaN} marks a missing
 * component; a step whose components are all missing is a missing observation. A symbol is stored as
 * its integer index (d = 1). Inputs are a T×p array and are never missing. Hidden states, when present,
 * are a T×k array (k = 1 for a discrete state).
 *
 * <p>Immutable: factories copy their arguments and accessors never expose the arrays.
 */
public final class Sequence {
    private final String id;
    private final int length;
    private final int dimension;
    private final double[] observations;
    private final int inputDimension;
    private final double[] inputs;
    private final int stateDimension;
    private final double[] states;
    // the first step stored: 0, except for a window of a streamed sequence (see window)
    private final int offset;

    private Sequence(String id, int length, int dimension, double[] observations, int inputDimension,
            double[] inputs, int stateDimension, double[] states) {
        this(id, 0, length, dimension, observations, inputDimension, inputs, stateDimension, states);
    }

    private Sequence(String id, int offset, int length, int dimension, double[] observations, int inputDimension,
            double[] inputs, int stateDimension, double[] states) {
        this.id = Objects.requireNonNull(id, "id");
        this.offset = offset;
        this.length = length;
        this.dimension = dimension;
        this.observations = observations;
        this.inputDimension = inputDimension;
        this.inputs = inputs;
        this.stateDimension = stateDimension;
        this.states = states;
    }

    // A sequence over arrays owned by a SequenceBuffer (not copied).
    static Sequence shared(String id, int length, int dimension, double[] observations, int inputDimension,
            double[] inputs) {
        return new Sequence(id, length, dimension, observations, inputDimension, inputs, 0, null);
    }

    /**
     * A window of a sequence read in chunks ({@link SequenceReader}): steps {@code offset .. offset+rows-1}
     * of the whole sequence, indexed by their step in the whole sequence, over arrays the reader hands over
     * (not copied). Its {@link #length()} is {@code offset + rows}, the steps read so far; the steps before
     * {@code offset} are no longer held. Public for a streamed kernel that makes such windows of its own (a
     * simulated sequence fed to a spilled filter chunk by chunk).
     */
    public static Sequence window(String id, int offset, int rows, int dimension, double[] observations, int inputDimension,
            double[] inputs) {
        return new Sequence(id, offset, offset + rows, dimension, observations, inputDimension, inputs, 0, null);
    }

    /**
     * Steps {@code firstStep .. firstStep+rows-1} of a sequence, indexed by their step in the whole sequence (as a
     * window of a {@link SequenceReader}), copied from packed rows: how a model that spilled a long sequence's
     * observations and inputs to disk reads a block of them back for functions of the step's index (a
     * time-varying transition). {@code rows} is {@code observations.length / dimension}.
     *
     * @param observations rows×d row-major, {@code NaN} for a missing component
     * @param inputs       rows×p row-major (empty when p = 0)
     */
    public static Sequence windowOf(String id, int firstStep, int dimension, double[] observations, int inputDimension,
            double[] inputs) {
        int rows = observations.length / dimension;
        if (firstStep < 0 || rows * dimension != observations.length || inputs.length != rows * inputDimension) {
            throw new IllegalArgumentException("a window of " + rows + " steps from step " + firstStep + " needs "
                    + rows + "x" + dimension + " observations and " + rows + "x" + inputDimension + " inputs, got "
                    + observations.length + " and " + inputs.length + " values");
        }
        return new Sequence(id, firstStep, firstStep + rows, dimension, observations.clone(), inputDimension,
                inputs.clone(), 0, null);
    }

    /**
     * A sequence from packed observations.
     *
     * @param observations T×d row-major; {@code NaN} marks a missing component; infinities are rejected
     */
    public static Sequence of(String id, int dimension, double[] observations) {
        if (dimension < 1) {
            throw new DataException("sequence '" + id + "': observation dimension must be at least 1, got " + dimension);
        }
        if (observations.length % dimension != 0) {
            throw new DataException("sequence '" + id + "': " + observations.length
                    + " packed values do not make whole observations of dimension " + dimension);
        }
        for (int i = 0; i < observations.length; i++) {
            if (Double.isInfinite(observations[i])) {
                throw new DataException("sequence '" + id + "': observation at step " + (i / dimension)
                        + " is infinite (" + observations[i] + ")");
            }
        }
        return new Sequence(id, observations.length / dimension, dimension, observations.clone(), 0,
                new double[0], 0, null);
    }

    /** A sequence of symbols 0..M-1; a negative entry marks a missing observation. */
    public static Sequence ofSymbols(String id, int[] symbols) {
        double[] values = new double[symbols.length];
        for (int t = 0; t < symbols.length; t++) {
            values[t] = symbols[t] < 0 ? Double.NaN : symbols[t];
        }
        return new Sequence(id, symbols.length, 1, values, 0, new double[0], 0, null);
    }

    /** A sequence of scalars; {@code NaN} marks a missing observation. */
    public static Sequence ofScalars(String id, double[] values) {
        return of(id, 1, values);
    }

    /** A sequence of vectors (T rows of d); a {@code null} row is a missing observation. */
    public static Sequence ofVectors(String id, double[][] rows) {
        int d = -1;
        for (double[] row : rows) {
            if (row != null) {
                if (d < 0) {
                    d = row.length;
                } else if (row.length != d) {
                    throw new DataException("sequence '" + id + "': observations of different lengths (" + d
                            + " and " + row.length + ")");
                }
            }
        }
        if (d < 1) {
            throw new DataException("sequence '" + id + "': cannot tell the observation dimension: no observed vector");
        }
        double[] packed = new double[rows.length * d];
        for (int t = 0; t < rows.length; t++) {
            if (rows[t] == null) {
                Arrays.fill(packed, t * d, (t + 1) * d, Double.NaN);
            } else {
                System.arraycopy(rows[t], 0, packed, t * d, d);
            }
        }
        return of(id, d, packed);
    }

    /**
     * This sequence with exogenous inputs attached.
     *
     * @param inputDimension p
     * @param packedInputs   T×p row-major, all finite
     */
    public Sequence withInputs(int inputDimension, double[] packedInputs) {
        if (inputDimension == 0 && packedInputs.length == 0) {
            return new Sequence(id, length, dimension, observations, 0, new double[0], stateDimension, states);
        }
        if (inputDimension < 1 || packedInputs.length != length * inputDimension) {
            throw new DataException("sequence '" + id + "': inputs must be " + length + "x" + inputDimension
                    + " (one row per observation), got " + packedInputs.length + " values");
        }
        for (int i = 0; i < packedInputs.length; i++) {
            if (!Double.isFinite(packedInputs[i])) {
                throw new DataException("sequence '" + id + "': input at step " + (i / inputDimension)
                        + " is not finite (" + packedInputs[i] + "); inputs cannot be missing");
            }
        }
        return new Sequence(id, length, dimension, observations, inputDimension, packedInputs.clone(),
                stateDimension, states);
    }

    /**
     * This sequence with known hidden states attached (T×k packed), e.g. the path a sampler drew.
     */
    public Sequence withStates(int stateDimension, double[] packedStates) {
        if (stateDimension < 1 || packedStates.length != length * stateDimension) {
            throw new DataException("sequence '" + id + "': states must be " + length + "x" + stateDimension
                    + ", got " + packedStates.length + " values");
        }
        return new Sequence(id, length, dimension, observations, inputDimension, inputs, stateDimension,
                packedStates.clone());
    }

    /** This sequence under another id. */
    public Sequence withId(String newId) {
        return new Sequence(newId, offset, length, dimension, observations, inputDimension, inputs, stateDimension,
                states);
    }

    public String id() {
        return id;
    }

    /**
     * The first step this object holds: 0 for every sequence except a window of a sequence read in chunks
     * ({@link SequenceReader}), which holds steps {@code firstStep() .. length()-1} only; the whole-sequence
     * accessors ({@link #observations()}, {@link #observedSteps()}, ...) of a window cover those steps.
     */
    public int firstStep() {
        return offset;
    }

    /** T, the number of steps. */
    public int length() {
        return length;
    }

    /** d, the number of components of one observation (1 for symbols and scalars). */
    public int dimension() {
        return dimension;
    }

    /** p, the number of exogenous inputs per step (0 when there are none). */
    public int inputDimension() {
        return inputDimension;
    }

    /** Whether hidden states are attached. */
    public boolean hasStates() {
        return states != null;
    }

    /** k, the number of numbers per hidden state (0 when no states are attached). */
    public int stateDimension() {
        return stateDimension;
    }

    /** Component j of observation t; {@code NaN} when missing. */
    public double value(int t, int j) {
        return observations[(t - offset) * dimension + j];
    }

    /** Observation t as a scalar (component 0); {@code NaN} when missing. */
    public double scalar(int t) {
        return observations[(t - offset) * dimension];
    }

    /** Observation t as a symbol index, or -1 when missing. */
    public int symbol(int t) {
        double v = observations[(t - offset) * dimension];
        return Double.isNaN(v) ? -1 : (int) v;
    }

    /** Whether every component of observation t is missing. */
    public boolean isMissing(int t) {
        int base = (t - offset) * dimension;
        for (int j = 0; j < dimension; j++) {
            if (!Double.isNaN(observations[base + j])) {
                return false;
            }
        }
        return true;
    }

    /** Whether some but not all components of observation t are missing. */
    public boolean isPartiallyMissing(int t) {
        int base = (t - offset) * dimension;
        int missing = 0;
        for (int j = 0; j < dimension; j++) {
            if (Double.isNaN(observations[base + j])) {
                missing++;
            }
        }
        return missing > 0 && missing < dimension;
    }

    /** Copies observation t into {@code out[offset .. offset+d)}. */
    public void copyObservation(int t, double[] out, int offset) {
        System.arraycopy(observations, (t - this.offset) * dimension, out, offset, dimension);
    }

    /** Component j of input t. */
    public double input(int t, int j) {
        return inputs[(t - offset) * inputDimension + j];
    }

    /** Copies input t into {@code out[offset .. offset+p)}. */
    public void copyInput(int t, double[] out, int offset) {
        System.arraycopy(inputs, (t - this.offset) * inputDimension, out, offset, inputDimension);
    }

    /** Component j of hidden state t. */
    public double state(int t, int j) {
        if (states == null) {
            throw new IllegalStateException("sequence '" + id + "' has no hidden states");
        }
        return states[(t - offset) * stateDimension + j];
    }

    /** A copy of the packed T×d observations. */
    public double[] observations() {
        return observations.clone();
    }

    /** A copy of the packed T×p inputs (empty when there are none). */
    public double[] inputs() {
        return inputs.clone();
    }

    /** A copy of the packed T×k hidden states, if attached. */
    public Optional<double[]> states() {
        return states == null ? Optional.empty() : Optional.of(states.clone());
    }

    /** The number of observed (not missing) components. */
    public int observedCount() {
        int n = 0;
        for (double v : observations) {
            if (!Double.isNaN(v)) {
                n++;
            }
        }
        return n;
    }

    /** The number of steps with at least one observed component. */
    public int observedSteps() {
        int n = 0;
        for (int t = offset; t < length; t++) {
            if (!isMissing(t)) {
                n++;
            }
        }
        return n;
    }

    /**
     * This sequence followed by {@code steps} missing observations, with inputs u_T..u_{T+steps-1} from rows
     * {@code 0 .. steps-1} of {@code futureInputs} (ignored, may be null, when this sequence has no inputs): what a
     * forecast runs a filter over. A window ({@link #firstStep()}) stays a window: only the steps it holds are
     * copied, so the result is as small as the window.
     */
    public Sequence extendedByMissing(int steps, Sequence futureInputs) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be at least 0, got " + steps);
        }
        int held = length - offset;
        double[] obs = new double[(held + steps) * dimension];
        System.arraycopy(observations, 0, obs, 0, held * dimension);
        Arrays.fill(obs, held * dimension, obs.length, Double.NaN);
        double[] in = new double[(held + steps) * inputDimension];
        System.arraycopy(inputs, 0, in, 0, held * inputDimension);
        if (inputDimension > 0) {
            if (futureInputs == null || futureInputs.inputDimension() != inputDimension
                    || futureInputs.length() - futureInputs.firstStep() < steps) {
                throw new DataException("sequence '" + id + "': a forecast of " + steps + " steps needs " + steps
                        + " steps of " + inputDimension + " future inputs");
            }
            for (int t = 0; t < steps; t++) {
                futureInputs.copyInput(futureInputs.firstStep() + t, in, (held + t) * inputDimension);
            }
        }
        return new Sequence(id, offset, length + steps, dimension, obs, inputDimension, in, 0, null);
    }

    /** Steps {@code from} (inclusive) to {@code to} (exclusive) as a new sequence with the given id. */
    public Sequence slice(String newId, int from, int to) {
        if (from < 0 || to > length || from > to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of a sequence of length " + length);
        }
        return new Sequence(newId, to - from, dimension,
                Arrays.copyOfRange(observations, from * dimension, to * dimension), inputDimension,
                Arrays.copyOfRange(inputs, from * inputDimension, to * inputDimension), stateDimension,
                states == null ? null : Arrays.copyOfRange(states, from * stateDimension, to * stateDimension));
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Sequence s)) {
            return false;
        }
        return id.equals(s.id) && length == s.length && dimension == s.dimension
                && inputDimension == s.inputDimension && stateDimension == s.stateDimension
                && sameValues(observations, s.observations) && sameValues(inputs, s.inputs)
                && sameValues(states, s.states);
    }

    // equal as numbers, every NaN (a missing value) equal to every other: 0.0 and -0.0 are one observation (a
    // symbol index read as -0.0 is written back as its name and read again as 0), which Arrays.equals tells apart
    private static boolean sameValues(double[] a, double[] b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!(a[i] == b[i] || (Double.isNaN(a[i]) && Double.isNaN(b[i])))) {
                return false;
            }
        }
        return true;
    }

    private static int valueHash(double[] a) {
        int h = 1;
        for (double v : a) {
            h = 31 * h + Double.hashCode(v == 0 ? 0.0 : v);
        }
        return h;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, length, dimension, valueHash(observations));
    }

    @Override
    public String toString() {
        return "Sequence[" + id + ", T=" + length + ", d=" + dimension
                + (inputDimension > 0 ? ", p=" + inputDimension : "") + "]";
    }
}
