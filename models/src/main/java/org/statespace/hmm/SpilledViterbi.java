package org.statespace.hmm;

import java.io.IOException;

import org.statespace.NumericalException;
import org.statespace.capability.LongSequenceInference;
import org.statespace.data.Sequence;
import org.statespace.io.SpillFile;
import org.statespace.io.SpilledSteps;

/**
 * {@link ForwardBackward#viterbi} for one sequence read in chunks, the backpointers on disk: the forward pass
 * (log space, the same loops) writes each step's K backpointers to a temporary file in blocks; the trace back
 * reads the blocks from the last to the first, follows the pointers and writes each step's state over the first
 * pointer of its record; a last forward read hands the path over in step order. Memory is a block (1 MB) and
 * O(K²); the disk holds 4K bytes a step, deleted when the call returns or fails. The path and its log-probability
 * are the in-memory ones (ties go to the smaller state index). For an input-output HMM the log π and log A_tᵀ of
 * each step come from its inputs ({@link InputOutputHmm.Schedule}), computed as {@link ForwardBackward#viterbi}
 * computes them; nothing more is spilled (the trace back needs the pointers only).
 */
final class SpilledViterbi {
    private final int k;
    private final double[] logInitial;
    private final double[] logTransitionTransposed; // refilled from A_t at every step with a schedule
    private final InputOutputHmm.Schedule schedule;  // π and A_t from the inputs, or null (fixed)
    private final double[] stepTransition;
    private final EmissionModel.Workspace emission;
    private final int blockSteps;
    private final SpillFile.IntRecords records; // the block's buffer to and from the file
    private final int[] values; // one block of records
    private SpillFile spill;

    SpilledViterbi(HiddenMarkovModel model, int blockSteps) {
        this(model.stateCount(), model.logInitialArray(), model.logTransitionTransposedArray(), null,
                model.emissionModel().newWorkspace(), blockSteps);
    }

    /** The decoder of an input-output HMM: π and A_t from {@code schedule}. */
    SpilledViterbi(InputOutputHmm model, InputOutputHmm.Schedule schedule, EmissionModel.Workspace emission,
            int blockSteps) {
        this(model.stateCount(), new double[model.stateCount()], new double[model.stateCount() * model.stateCount()],
                schedule, emission, blockSteps);
    }

    private SpilledViterbi(int k, double[] logInitial, double[] logTransitionTransposed, InputOutputHmm.Schedule schedule,
            EmissionModel.Workspace emission, int blockSteps) {
        this.k = k;
        this.logInitial = logInitial;
        this.logTransitionTransposed = logTransitionTransposed;
        this.schedule = schedule;
        this.stepTransition = new double[k * k];
        this.emission = emission;
        this.blockSteps = SpilledSteps.blockSteps(blockSteps, k * Integer.BYTES);
        this.records = new SpillFile.IntRecords(k, this.blockSteps);
        this.values = new int[this.blockSteps * k];
    }

    SpilledViterbi(HiddenMarkovModel model) {
        this(model, 0);
    }

    double decode(String id, LongSequenceInference.Chunks chunks, LongSequenceInference.DecodedSteps out) {
        try {
            spill = new SpillFile();
            double[] lb = new double[k];
            double[] cur = new double[k];
            double[] prev = new double[k];
            int t = 0;
            int filled = 0;
            for (Sequence chunk = chunks.next(); chunk != null; chunk = chunks.next()) {
                for (; t < chunk.length(); t++) {
                    emission.logDensities(chunk, t, lb, 0);
                    double best = Double.NEGATIVE_INFINITY;
                    int bp = filled * k;
                    if (t == 0) {
                        if (schedule != null) { // log π(u_0)
                            schedule.initial(chunk, stepTransition);
                            for (int j = 0; j < k; j++) {
                                logInitial[j] = Math.log(stepTransition[j]);
                            }
                        }
                        for (int j = 0; j < k; j++) {
                            cur[j] = logInitial[j] + lb[j];
                            best = Math.max(best, cur[j]);
                            values[bp + j] = 0;
                        }
                    } else {
                        System.arraycopy(cur, 0, prev, 0, k);
                        if (schedule != null) { // log A_tᵀ of this step
                            schedule.transition(chunk, t, stepTransition, 0);
                            for (int i = 0; i < k; i++) {
                                for (int j = 0; j < k; j++) {
                                    logTransitionTransposed[j * k + i] = Math.log(stepTransition[i * k + j]);
                                }
                            }
                        }
                        for (int j = 0; j < k; j++) {
                            int col = j * k;
                            double m = Double.NEGATIVE_INFINITY;
                            int arg = 0;
                            for (int i = 0; i < k; i++) {
                                double c = prev[i] + logTransitionTransposed[col + i];
                                if (c > m) {
                                    m = c;
                                    arg = i;
                                }
                            }
                            values[bp + j] = arg;
                            cur[j] = m + lb[j];
                            best = Math.max(best, cur[j]);
                        }
                    }
                    if (best == Double.NEGATIVE_INFINITY || Double.isNaN(best)) {
                        throw new NumericalException("sequence '" + id + "', step " + t
                                + ": no hidden path has positive probability");
                    }
                    if (++filled == blockSteps) {
                        write(t + 1 - filled, filled);
                        filled = 0;
                    }
                }
            }
            if (filled > 0) {
                write(t - filled, filled);
            }
            int length = t;
            if (length == 0) {
                out.begin(0, 0);
                return 0;
            }
            int state = 0;
            for (int j = 1; j < k; j++) {
                if (cur[j] > cur[state]) {
                    state = j;
                }
            }
            double logProbability = cur[state];
            out.begin(logProbability, length);
            // trace back: record t's pointer at the state of step t gives the state of step t-1
            for (int from = ((length - 1) / blockSteps) * blockSteps; from >= 0; from -= blockSteps) {
                int n = Math.min(blockSteps, length - from);
                read(from, n);
                for (int b = n - 1; b >= 0; b--) {
                    int before = values[b * k + state];
                    values[b * k] = state;
                    state = before;
                }
                write(from, n);
            }
            for (int from = 0; from < length; from += blockSteps) {
                int n = Math.min(blockSteps, length - from);
                read(from, n);
                for (int b = 0; b < n; b++) {
                    out.step(from + b, values[b * k]);
                }
            }
            return logProbability;
        } catch (IOException e) {
            throw spill.failed(e);
        } finally {
            if (spill != null) {
                spill.close();
                spill = null;
            }
        }
    }

    private void write(int from, int n) throws IOException {
        records.write(spill, values, from, n);
    }

    private void read(int from, int n) throws IOException {
        records.read(spill, values, from, n);
    }
}
