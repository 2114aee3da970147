package org.statespace.hmm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.util.Arrays;

import org.statespace.NumericalException;
import org.statespace.ResourceException;
import org.statespace.capability.LongSequenceInference;
import org.statespace.data.Sequence;
import org.statespace.io.SpillFile;

/**
 * {@link ForwardBackward}'s E-step and smoother for one sequence read in chunks, with the per-step arrays on disk
 * instead of in memory ({@link LongSequenceInference}). The forward pass is {@link ForwardStep}'s, step by step
 * over the chunks; each step's record (α̂_t, b̃_t, c_t, o_t: 2K + 1 + d doubles) goes to a temporary file in
 * blocks. The backward pass reads the blocks from the last to the first and runs the recursion of
 * {@link ForwardBackward} (β̂, γ, the outer products α̂_t v_tᵀ one step at a time, the emission statistics from
 * the observations read back), in the same order of operations, so statistics and posteriors are bit for bit
 * the in-memory ones. For the smoother, γ_t overwrites α̂_t in the block, the block is written back, and a last
 * forward read hands γ to the caller in step order.
 *
 * <p>A homogeneous HMM only (an input-output HMM's A_t would have to be spilled too). Not thread-safe; one per
 * call.
 */
final class SpilledForwardBackward {
    /** Bytes of one block of records, read or written at once. */
    static final int BLOCK_BYTES = 1 << 20;

    private final int k;
    private final int d;
    private final int record; // doubles per step
    private final double[] initial;
    private final double[] transition;
    /** A's rows and columns as arrays of their own, for {@link ForwardStep#predict}'s vectorised product. */
    private final double[][] transitionRows;
    private final double[][] transitionColumns;
    private final EmissionModel.Workspace emission;
    private final int blockSteps;
    private final ByteBuffer bytes;
    private final DoubleBuffer block;
    private final double[] values; // one block of records
    private SpillFile spill;
    private int length;

    SpilledForwardBackward(HiddenMarkovModel model, int blockSteps) {
        this.k = model.stateCount();
        this.d = model.observationSpace().dimension();
        this.record = 2 * k + 1 + d;
        this.initial = model.initialArray();
        this.transition = model.transitionArray();
        this.transitionRows = ForwardStep.rows(transition, 0, k, new double[k][k]);
        this.transitionColumns = ForwardStep.columns(transition, 0, k, new double[k][k]);
        this.emission = model.emissionModel().newWorkspace();
        this.blockSteps = blockSteps > 0 ? blockSteps : Math.max(1, BLOCK_BYTES / (record * Double.BYTES));
        this.bytes = ByteBuffer.allocateDirect(this.blockSteps * record * Double.BYTES).order(ByteOrder.nativeOrder());
        this.block = bytes.asDoubleBuffer();
        this.values = new double[this.blockSteps * record];
    }

    SpilledForwardBackward(HiddenMarkovModel model) {
        this(model, 0);
    }

    /** The E-step of {@link ForwardBackward#expectation} over the chunks. */
    double expectation(String id, LongSequenceInference.Chunks chunks, HmmStatistics statistics) {
        try {
            open();
            double ll = forward(id, chunks);
            statistics.sequences++;
            if (length > 0) {
                backward(id, statistics, false);
            }
            statistics.logLikelihood += ll;
            return ll;
        } catch (IOException e) {
            throw spillFailed(e);
        } finally {
            close();
        }
    }

    /** The posterior probabilities of {@link ForwardBackward#smooth} over the chunks, handed over in step order. */
    double smooth(String id, LongSequenceInference.Chunks chunks, LongSequenceInference.SmoothedSteps out) {
        try {
            open();
            double ll = forward(id, chunks);
            out.begin("posteriorProbabilities", k, ll, length);
            if (length > 0) {
                backward(id, null, true);
                for (int from = 0; from < length; from += blockSteps) {
                    int n = Math.min(blockSteps, length - from);
                    read(from, n);
                    for (int b = 0; b < n; b++) {
                        out.step(from + b, values, b * record);
                    }
                }
            }
            return ll;
        } catch (IOException e) {
            throw spillFailed(e);
        } finally {
            close();
        }
    }

    private ResourceException spillFailed(IOException e) {
        return spill.failed(e);
    }

    private void open() {
        spill = new SpillFile();
    }

    private void close() {
        if (spill != null) {
            spill.close();
            spill = null;
        }
    }

    // The scaled forward filter (ForwardBackward.forward, step by step), every step's record spilled.
    private double forward(String id, LongSequenceInference.Chunks chunks) throws IOException {
        double[] predicted = new double[k];
        double[] filtered = new double[k];
        double total = 0;
        int t = 0;
        int filled = 0;
        for (Sequence chunk = chunks.next(); chunk != null; chunk = chunks.next()) {
            for (; t < chunk.length(); t++) {
                int r = filled * record;
                int dens = r + k;
                emission.logDensities(chunk, t, values, dens);
                double shift = ForwardStep.scale(values, dens, k);
                if (shift == Double.NEGATIVE_INFINITY) {
                    throw new NumericalException("sequence '" + id + "', step " + t
                            + ": the observation has probability zero under every state");
                }
                if (t == 0) {
                    System.arraycopy(initial, 0, predicted, 0, k);
                } else {
                    ForwardStep.predict(filtered, 0, transitionRows, k, predicted);
                }
                double c = ForwardStep.condition(predicted, 0, values, dens, k, filtered, 0);
                if (!(c > 0)) {
                    throw new NumericalException("sequence '" + id + "', step " + t
                            + ": the observation has probability zero given the past (log-likelihood -inf)");
                }
                System.arraycopy(filtered, 0, values, r, k);
                values[r + 2 * k] = c;
                chunk.copyObservation(t, values, r + 2 * k + 1);
                total += Math.log(c) + shift;
                if (++filled == blockSteps) {
                    write(t + 1 - filled, filled);
                    filled = 0;
                }
            }
        }
        if (filled > 0) {
            write(t - filled, filled);
        }
        length = t;
        return total;
    }

    /**
     * The backward pass of ForwardBackward.expectation (statistics) or ForwardBackward.smooth (γ written back over
     * α̂ in the spill). Records are read a block at a time from the end; step t needs b̃ and c of step t+1, carried.
     */
    private void backward(String id, HmmStatistics statistics, boolean writeBack) throws IOException {
        double[] beta = new double[k];
        double[] gamma = new double[k];
        double[] v = new double[k];
        double[] densitiesAfter = new double[k];
        double scaleAfter = 0;
        double[] x = statistics == null ? null : new double[k * k];
        double[] observations = statistics == null ? null : new double[blockSteps * d];
        Arrays.fill(beta, 1);
        int last = length - 1;
        int top = ((last) / blockSteps) * blockSteps;
        for (int from = top; from >= 0; from -= blockSteps) {
            int n = Math.min(blockSteps, length - from);
            read(from, n);
            Sequence window = null;
            if (statistics != null) {
                for (int b = 0; b < n; b++) {
                    System.arraycopy(values, b * record + 2 * k + 1, observations, b * d, d);
                }
                window = Sequence.of(id, d, n * d == observations.length ? observations
                        : Arrays.copyOf(observations, n * d));
            }
            for (int b = n - 1; b >= 0; b--) {
                int t = from + b;
                int r = b * record;
                if (t == last) {
                    System.arraycopy(values, r, gamma, 0, k);
                } else {
                    double inv = 1 / scaleAfter;
                    for (int j = 0; j < k; j++) {
                        v[j] = densitiesAfter[j] * beta[j] * inv;
                    }
                    ForwardStep.predict(v, 0, transitionColumns, k, beta);   // β̂_t(i) = Σ_j A_ij v(j)
                    if (x != null) {
                        for (int i = 0; i < k; i++) {
                            double ai = values[r + i];
                            int row = i * k;
                            for (int j = 0; j < k; j++) {
                                x[row + j] += ai * v[j];
                            }
                        }
                    }
                    double sum = 0;
                    for (int i = 0; i < k; i++) {
                        gamma[i] = values[r + i] * beta[i];
                        sum += gamma[i];
                    }
                    double norm = 1 / sum;
                    for (int i = 0; i < k; i++) {
                        gamma[i] *= norm;
                    }
                }
                if (statistics != null) {
                    emission.accumulate(statistics.emission, window, b, gamma, 0);
                }
                System.arraycopy(values, r + k, densitiesAfter, 0, k);
                scaleAfter = values[r + 2 * k];
                if (writeBack) {
                    System.arraycopy(gamma, 0, values, r, k);
                }
            }
            if (writeBack) {
                write(from, n);
            }
        }
        if (statistics != null) {
            for (int i = 0; i < k; i++) {
                statistics.initial[i] += gamma[i];
            }
            for (int i = 0; i < k * k; i++) {
                statistics.transitions[i] += transition[i] * x[i];
            }
        }
    }

    // records of steps from .. from+n-1 from values[0 ..] to the file
    private void write(int from, int n) throws IOException {
        block.clear();
        block.put(values, 0, n * record);
        bytes.clear().limit(n * record * Double.BYTES);
        spill.write(bytes, (long) from * record * Double.BYTES);
    }

    // records of steps from .. from+n-1 from the file into values[0 ..]
    private void read(int from, int n) throws IOException {
        bytes.clear().limit(n * record * Double.BYTES);
        spill.read(bytes, (long) from * record * Double.BYTES, from + n - 1);
        block.clear();
        block.get(values, 0, n * record);
    }
}
