package org.statespace.hmm;

import java.io.IOException;
import java.util.Arrays;
import java.util.random.RandomGenerator;

import org.statespace.NumericalException;
import org.statespace.ResourceException;
import org.statespace.capability.LongSequenceInference;
import org.statespace.data.Sequence;
import org.statespace.io.SpilledSteps;

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
 * <p>The same kernel runs an input-output HMM ({@link InputOutputHmm}), whose π and A_t come from the inputs
 * ({@link InputOutputHmm.Schedule}, as in {@link ForwardBackward}): its record adds the step's inputs u_t (p
 * doubles), A_t is computed from them in the forward pass and again from the spilled u_t in the backward pass
 * (the same arithmetic, so the same numbers), and the smoothed posteriors are those of {@link ForwardBackward}'s
 * smoother bit for bit; its E-step ({@link #expectation(String, LongSequenceInference.Chunks,
 * InputOutputHmm.Statistics, int, boolean)}) writes γ back and adds the emission statistics in a last forward read,
 * in step order as in memory. Not thread-safe; one per call.
 */
final class SpilledForwardBackward {
    private final int k;
    private final int d;
    private final int p; // inputs spilled per step: 0 for a homogeneous HMM
    private final int record; // doubles per step
    private final double[] initial;
    private final double[] transition;
    /** π and A_t from the inputs (an input-output HMM), or null (A fixed). */
    private final InputOutputHmm.Schedule schedule;
    private final double[] stepTransition; // A_t of one step (K×K), with a schedule
    /** A's rows and columns as arrays of their own, for {@link ForwardStep#predict}'s vectorised product; refilled
     * from A_t at every step with a schedule. */
    private final double[][] transitionRows;
    private final double[][] transitionColumns;
    private final EmissionModel.Workspace emission;
    private final int blockSteps;
    private final SpilledSteps steps; // the records on disk
    private final double[] values; // one block of records: steps.values
    private int length;

    SpilledForwardBackward(HiddenMarkovModel model, int blockSteps) {
        this(model.stateCount(), model.observationSpace().dimension(), 0, model.initialArray(), model.transitionArray(),
                null, model.emissionModel().newWorkspace(), blockSteps);
    }

    /** The kernels of an input-output HMM: π and A_t from {@code schedule}, u_t spilled with each step. */
    SpilledForwardBackward(InputOutputHmm model, InputOutputHmm.Schedule schedule, EmissionModel.Workspace emission,
            int blockSteps) {
        this(model.stateCount(), model.observationSpace().dimension(), model.inputDimension(), null, null, schedule,
                emission, blockSteps);
    }

    private SpilledForwardBackward(int k, int d, int p, double[] initial, double[] transition,
            InputOutputHmm.Schedule schedule, EmissionModel.Workspace emission, int blockSteps) {
        this.k = k;
        this.d = d;
        this.p = p;
        this.record = 2 * k + 1 + d + p;
        this.initial = initial;
        this.transition = transition;
        this.schedule = schedule;
        this.stepTransition = new double[k * k];
        this.transitionRows = new double[k][k];
        this.transitionColumns = new double[k][k];
        if (schedule == null) {
            ForwardStep.rows(transition, 0, k, transitionRows);
            ForwardStep.columns(transition, 0, k, transitionColumns);
        }
        this.emission = emission;
        this.steps = new SpilledSteps(record, blockSteps);
        this.blockSteps = steps.blockSteps;
        this.values = steps.values;
    }

    SpilledForwardBackward(HiddenMarkovModel model) {
        this(model, 0);
    }

    /** The E-step of {@link ForwardBackward#expectation} over the chunks (a homogeneous HMM). */
    double expectation(String id, LongSequenceInference.Chunks chunks, HmmStatistics statistics) {
        if (schedule != null) {
            throw new IllegalStateException("the spilled E-step runs a homogeneous HMM");
        }
        try {
            open();
            double ll = forward(id, chunks);
            statistics.sequences++;
            if (length > 0) {
                backward(id, statistics, false, null, 0);
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
                backward(id, null, true, null, 0);
                steps.forEachStep(out::step);
            }
            return ll;
        } catch (IOException e) {
            throw spillFailed(e);
        } finally {
            close();
        }
    }

    /**
     * {@link InputOutputHmm#expectation(Sequence, org.statespace.capability.SufficientStatistics)} over the chunks:
     * the backward pass writes γ_t over α̂_t and sets the rows of ξ (with u_{t+1}) in their places among the
     * statistics' rows (moved to a spill file of their own, {@link InputOutputHmm.Statistics#spillTransitions}, so
     * memory stays one block whatever the length; the statistics' owner deletes it), then a forward read adds each step's γ-weighted emission statistics in step order, as the
     * in-memory E-step does, so the statistics are its numbers bit for bit. {@code lags} previous observations
     * are kept across blocks for an autoregressive emission.
     */
    double expectation(String id, LongSequenceInference.Chunks chunks, InputOutputHmm.Statistics statistics, int lags,
            boolean inputInitial) {
        try {
            open();
            double ll = forward(id, chunks);
            if (length > 0) {
                statistics.spillTransitions(blockSteps); // a row a step: to disk, as the records
                backward(id, null, true, statistics, statistics.reserveTransitionRows(length - 1));
                // the window of a block: its steps after `lags` earlier ones (0 before the start, as the regressors
                // have them), observations and inputs
                double[] observations = new double[(lags + blockSteps) * d];
                double[] inputs = new double[(lags + blockSteps) * p];
                for (int from = 0; from < length; from += blockSteps) {
                    int n = steps.read(from);
                    for (int b = 0; b < n; b++) {
                        System.arraycopy(values, b * record + 2 * k + 1, observations, (lags + b) * d, d);
                        System.arraycopy(values, b * record + 2 * k + 1 + d, inputs, (lags + b) * p, p);
                    }
                    int rows = lags + n;
                    Sequence window = Sequence.of(id, d, rows * d == observations.length ? observations
                            : Arrays.copyOf(observations, rows * d));
                    if (p > 0) {
                        window = window.withInputs(p, rows * p == inputs.length ? inputs : Arrays.copyOf(inputs, rows * p));
                    }
                    for (int b = 0; b < n; b++) {
                        emission.accumulate(statistics.emission, window, lags + b, values, b * record);
                    }
                    if (from == 0) {
                        if (inputInitial) {
                            statistics.addInitialRow(window.slice(id, lags, lags + 1), Arrays.copyOf(values, k));
                        } else {
                            for (int i = 0; i < k; i++) {
                                statistics.initialCounts[i] += values[i];
                            }
                        }
                    }
                    // the last `lags` observations before the next block
                    System.arraycopy(observations, n * d, observations, 0, lags * d);
                }
            }
            statistics.logLikelihood += ll;
            return ll;
        } catch (IOException e) {
            throw spillFailed(e);
        } finally {
            close();
        }
    }

    /**
     * {@link ForwardBackward#samplePaths}' draws over the chunks: the forward pass spills as for {@link #smooth};
     * then, for each draw in turn, the records are read from the last block to the first and each step's state is
     * drawn by {@link ForwardStep#sampleBack} (the in-memory kernel, from the spilled α̂_t and, for an input-output
     * HMM, A_{t+1} computed again from the spilled u_{t+1}), taking the generator's numbers in the in-memory order:
     * draw after draw, each from step T-1 down to 0. A draw's states go to a second spill file (a number a step)
     * and are read forward into {@code out}. Memory is two blocks, whatever the length and the number of draws.
     */
    double samplePosterior(String id, LongSequenceInference.Chunks chunks, int count, RandomGenerator random,
            LongSequenceInference.DrawnSteps out) {
        org.statespace.capability.PosteriorDraws.requireCount(count);
        SpilledSteps paths = new SpilledSteps(1, blockSteps); // a draw's states, a number a step
        try {
            open();
            double ll = forward(id, chunks);
            out.begin(count, length, 1, true);
            paths.open(length);
            double[] path = paths.values;
            double[] weights = new double[k];
            double[] inputs = schedule == null ? null : new double[blockSteps * p];
            double[] transitionAfter = schedule == null ? transition : new double[k * k]; // A_{t+1}
            int last = length - 1;
            for (int draw = 0; draw < count; draw++) {
                out.draw(draw);
                if (length == 0) {
                    continue;
                }
                int next = -1;
                for (int from = steps.lastBlock(); from >= 0; from -= blockSteps) {
                    int n = steps.read(from);
                    Sequence inputWindow = null; // the block's inputs, step b at b, for A_t
                    if (schedule != null) {
                        for (int b = 0; b < n; b++) {
                            System.arraycopy(values, b * record + 2 * k + 1 + d, inputs, b * p, p);
                        }
                        inputWindow = Sequence.of(id, 1, new double[n]).withInputs(p, n * p == inputs.length ? inputs
                                : Arrays.copyOf(inputs, n * p));
                    }
                    for (int b = n - 1; b >= 0; b--) {
                        int t = from + b;
                        next = t == last ? ForwardStep.draw(values, b * record, k, random)
                                : ForwardStep.sampleBack(values, b * record, transitionAfter, 0, k, next, weights,
                                        random);
                        path[b] = next;
                        if (schedule != null && t > 0) { // A_t, for the step before, from the spilled u_t
                            schedule.transition(inputWindow, b, transitionAfter, 0);
                        }
                    }
                    paths.write(from, n);
                }
                paths.forEachStep(out::step);
            }
            return ll;
        } catch (IOException e) {
            throw spillFailed(e);
        } finally {
            paths.close();
            close();
        }
    }

    private ResourceException spillFailed(IOException e) {
        return steps.failed(e);
    }

    private void open() {
        steps.open();
    }

    private void close() {
        steps.close();
    }

    // The scaled forward filter (ForwardBackward.forward, step by step), every step's record spilled.
    private double forward(String id, LongSequenceInference.Chunks chunks) throws IOException {
        double[] predicted = new double[k];
        double[] filtered = new double[k];
        double total = 0;
        int t = 0;
        for (Sequence chunk = chunks.next(); chunk != null; chunk = chunks.next()) {
            for (; t < chunk.length(); t++) {
                int r = steps.nextRecord();
                int dens = r + k;
                emission.logDensities(chunk, t, values, dens);
                double shift = ForwardStep.scale(values, dens, k);
                if (shift == Double.NEGATIVE_INFINITY) {
                    throw new NumericalException("sequence '" + id + "', step " + t
                            + ": the observation has probability zero under every state");
                }
                if (t == 0) {
                    if (schedule == null) {
                        System.arraycopy(initial, 0, predicted, 0, k);
                    } else {
                        schedule.initial(chunk, predicted);
                    }
                } else if (schedule == null) {
                    ForwardStep.predict(filtered, 0, transitionRows, k, predicted);
                } else { // A_t from u_t (the schedule checks the inputs)
                    schedule.transition(chunk, t, stepTransition, 0);
                    ForwardStep.predict(filtered, 0, ForwardStep.rows(stepTransition, 0, k, transitionRows), k,
                            predicted);
                }
                double c = ForwardStep.condition(predicted, 0, values, dens, k, filtered, 0);
                if (!(c > 0)) {
                    throw new NumericalException("sequence '" + id + "', step " + t
                            + ": the observation has probability zero given the past (log-likelihood -inf)");
                }
                System.arraycopy(filtered, 0, values, r, k);
                values[r + 2 * k] = c;
                chunk.copyObservation(t, values, r + 2 * k + 1);
                if (p > 0) {
                    if (chunk.inputDimension() != p) { // step 0 of a fixed start: the schedule has not looked
                        schedule.transition(chunk, t, stepTransition, 0);
                    }
                    chunk.copyInput(t, values, r + 2 * k + 1 + d);
                }
                total += Math.log(c) + shift;
                steps.appended();
            }
        }
        length = steps.finish();
        return total;
    }

    /**
     * The backward pass of ForwardBackward.expectation (statistics) or ForwardBackward.smooth (γ written back over
     * α̂ in the spill). Records are read a block at a time from the end; step t needs b̃ and c of step t+1, carried.
     */
    private void backward(String id, HmmStatistics statistics, boolean writeBack, InputOutputHmm.Statistics rows,
            int firstRow) throws IOException {
        double[] inputsAfter = new double[p];
        double[] beta = new double[k];
        double[] gamma = new double[k];
        double[] v = new double[k];
        double[] densitiesAfter = new double[k];
        double scaleAfter = 0;
        double[] x = statistics == null ? null : new double[k * k];
        double[] observations = statistics == null ? null : new double[blockSteps * d];
        double[] inputs = schedule == null ? null : new double[blockSteps * p];
        Arrays.fill(beta, 1);
        int last = length - 1;
        for (int from = steps.lastBlock(); from >= 0; from -= blockSteps) {
            int n = steps.read(from);
            Sequence window = null;
            Sequence inputWindow = null; // the block's inputs, step b at b, for A_t
            if (schedule != null) {
                for (int b = 0; b < n; b++) {
                    System.arraycopy(values, b * record + 2 * k + 1 + d, inputs, b * p, p);
                }
                inputWindow = Sequence.of(id, 1, new double[n]).withInputs(p, n * p == inputs.length ? inputs
                        : Arrays.copyOf(inputs, n * p));
            }
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
                    if (rows != null) { // ξ_t(i,j) = α̂_t(i) A_{t+1}(i,j) v(j), the row of step t+1 with u_{t+1}
                        rows.setTransitionRow(firstRow + t, inputsAfter, 0, values, r, stepTransition, v);
                    }
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
                if (schedule != null && t > 0) { // Aᵀ's rows for the step before: A_t from the spilled u_t
                    schedule.transition(inputWindow, b, stepTransition, 0);
                    ForwardStep.columns(stepTransition, 0, k, transitionColumns);
                    System.arraycopy(inputs, b * p, inputsAfter, 0, p);
                }
            }
            if (writeBack) {
                steps.write(from, n);
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
}
