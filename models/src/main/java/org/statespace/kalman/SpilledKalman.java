package org.statespace.kalman;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.statespace.capability.LongSequenceInference;
import org.statespace.data.Sequence;
import org.statespace.io.SpilledSteps;

/**
 * The smoother ({@link KalmanSmoother}) and the E-step ({@link ShumwayStoffer}) of a {@link LinearGaussianModel} for
 * one sequence read in chunks, with the filter's per-step moments on disk instead of in memory
 * ({@link LongSequenceInference}). The three passes run the in-memory kernels one step at a time:
 * <ol>
 * <li>forward over the chunks, {@link FilterMoments#step}: each step's record (a_t, P_t, a_t|t, P_t|t, W_t, s_t,
 * y_t, u_t: 3n + 3n² + m + p doubles) goes to a temporary file in blocks;</li>
 * <li>backward, blocks read from the last to the first, {@link KalmanSmoother.Backward}: E[x_t | all] overwrites
 * a_t|t, Var[x_t | all] overwrites P_t|t and Cov[x_t, x_{t+1} | all] overwrites W_t (NaN at the last step), and
 * the block is written back;</li>
 * <li>forward once more: the smoothed tracks are handed out ({@link #smooth}), or the statistics accumulated in
 * step order ({@link ShumwayStoffer.Accumulator}, {@link #expectation}).</li>
 * </ol>
 * The same numbers go through the same operations in the same order as in memory, so the smoothed moments, the
 * statistics and the log-likelihood are bit for bit the in-memory ones. Memory is a block (about 1 MB) and the
 * model's O(n²), whatever the length, except the exact diffuse phase: what its steps leave for the backward pass
 * ({@link FilterMoments.DiffuseStep}) is held in memory, as many steps as the data take to identify the diffuse
 * initial state (usually n or fewer). Not thread-safe; one per call.
 */
final class SpilledKalman {
    private final LinearGaussianModel model;
    private final KalmanFilter filter;
    private final int n;
    private final int nn;
    private final int m;
    private final int p;
    // the record: a_t | P_t | a_t|t (then E[x_t|all]) | P_t|t (then Var) | W_t (then Cov[x_t, x_t+1]) | s_t | y_t | u_t
    private final int predictedCovarianceAt;
    private final int filteredMeanAt;
    private final int filteredCovarianceAt;
    private final int informationAt;
    private final int scoreAt;
    private final int observationAt;
    private final int inputAt;
    private final int record;
    private final int blockSteps;
    private final SpilledSteps steps; // the records on disk
    private final double[] values; // one block of records: steps.values
    private final List<FilterMoments.DiffuseStep> diffuseSteps = new ArrayList<>();
    private int length;

    SpilledKalman(LinearGaussianModel model, int blockSteps) {
        this.model = model;
        this.filter = model.filter();
        n = model.n;
        nn = n * n;
        m = model.m;
        p = model.p;
        predictedCovarianceAt = n;
        filteredMeanAt = n + nn;
        filteredCovarianceAt = 2 * n + nn;
        informationAt = 2 * n + 2 * nn;
        scoreAt = 2 * n + 3 * nn;
        observationAt = 3 * n + 3 * nn;
        inputAt = observationAt + m;
        record = inputAt + p;
        steps = new SpilledSteps(record, blockSteps);
        this.blockSteps = steps.blockSteps;
        values = steps.values;
    }

    SpilledKalman(LinearGaussianModel model) {
        this(model, 0);
    }

    /** {@link ShumwayStoffer#expectation} over the chunks. */
    double expectation(String id, LongSequenceInference.Chunks chunks, ShumwayStoffer.Statistics statistics) {
        try {
            steps.open();
            double ll = forward(id, chunks);
            ShumwayStoffer.Accumulator acc = new ShumwayStoffer.Accumulator(model, statistics);
            if (length > 0) {
                backward(id);
                double[] previousMean = new double[n];
                double[] lag = new double[nn];
                double[] observations = new double[blockSteps * m];
                double[] inputs = new double[blockSteps * p];
                for (int from = 0; from < length; from += blockSteps) {
                    int count = steps.read(from);
                    Sequence window = window(id, count, observations, inputs);
                    for (int b = 0; b < count; b++) {
                        int t = from + b;
                        int r = b * record;
                        acc.step(window, b, t, values, r + filteredMeanAt, previousMean, 0, values,
                                r + filteredCovarianceAt, lag, 0);
                        System.arraycopy(values, r + filteredMeanAt, previousMean, 0, n);
                        transposeInto(values, r + informationAt, lag);
                    }
                }
            }
            return acc.finish(ll);
        } catch (IOException e) {
            throw steps.failed(e);
        } finally {
            close();
        }
    }

    /**
     * The tracks of {@link LinearGaussianModel#smoothStates} over the chunks, handed out in step order:
     * {@code smoothedMeans} (n), {@code smoothedCovariances} (n×n) and {@code smoothedLagOneCovariances} (n×n, NaN at
     * t = 0), one track after another (a forward read of the spill each), or all three at each step when
     * {@code out} asks for it ({@link LongSequenceInference.SmoothedSteps#interleaved()}).
     */
    double smooth(String id, LongSequenceInference.Chunks chunks, LongSequenceInference.SmoothedSteps out) {
        try {
            steps.open();
            double ll = forward(id, chunks);
            if (length > 0) {
                backward(id);
            }
            String[] names = {"smoothedMeans", "smoothedCovariances", "smoothedLagOneCovariances"};
            int[][] shapes = {{n}, {n, n}, {n, n}};
            if (out.interleaved()) {
                for (int k = 0; k < 3; k++) {
                    out.begin(names[k], shapes[k], ll, length);
                }
                emit(out, -1);
            } else {
                for (int k = 0; k < 3; k++) {
                    out.begin(names[k], shapes[k], ll, length);
                    emit(out, k);
                }
            }
            return ll;
        } catch (IOException e) {
            throw steps.failed(e);
        } finally {
            close();
        }
    }

    /**
     * The forward and backward passes of {@link #smooth} over the chunks, the smoothed means, covariances and
     * lag-one covariances left in a new spill (open until {@link #close}) for a caller that reads them block by block
     * ({@link #readBlock}): the spilled simulation smoother, which smooths the data and each simulated sequence so.
     * Returns the log-likelihood.
     */
    double smoothInPlace(String id, LongSequenceInference.Chunks chunks) throws IOException {
        close();
        diffuseSteps.clear();
        steps.open();
        double ll = forward(id, chunks);
        if (length > 0) {
            backward(id);
        }
        return ll;
    }

    /**
     * The block of the spill that starts at step {@code from} (a multiple of {@link #blockSteps()}): step from + b's
     * record at b·{@link #record()} of the returned buffer (live until the next read).
     */
    double[] readBlock(int from) throws IOException {
        steps.read(from);
        return values;
    }

    /** T of the last pass. */
    int length() {
        return length;
    }

    /** Steps per block. */
    int blockSteps() {
        return blockSteps;
    }

    /** Doubles per step's record. */
    int record() {
        return record;
    }

    /** Where a record holds E[x_t | all] after the backward pass (n), its observation y_t (m) and its input u_t (p). */
    int smoothedMeanAt() {
        return filteredMeanAt;
    }

    int observationAt() {
        return observationAt;
    }

    int inputAt() {
        return inputAt;
    }

    /** An I/O failure of the open spill, as the error a user reads. */
    org.statespace.ResourceException failed(IOException e) {
        return steps.failed(e);
    }

    // A forward read of the smoothed spill: track k's steps, or every track's at each step (k < 0).
    private void emit(LongSequenceInference.SmoothedSteps out, int k) throws IOException {
        double[] lag = new double[nn];
        Arrays.fill(lag, Double.NaN);
        steps.forEachStep((t, v, r) -> {
            if (k <= 0) {
                out.step(t, v, r + filteredMeanAt);
            }
            if (k < 0 || k == 1) {
                out.step(t, v, r + filteredCovarianceAt);
            }
            if (k < 0 || k == 2) {
                out.step(t, lag, 0);
                transposeInto(v, r + informationAt, lag);
            }
        });
    }

    // out = the n×n block at values[at ..] transposed (Cov[x_{t+1}, x_t] from Cov[x_t, x_{t+1}])
    private void transposeInto(double[] source, int at, double[] out) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                out[i * n + j] = source[at + j * n + i];
            }
        }
    }

    // The block's observations and inputs as a sequence of `count` rows (row b is step from + b).
    private Sequence window(String id, int count, double[] observations, double[] inputs) {
        for (int b = 0; b < count; b++) {
            System.arraycopy(values, b * record + observationAt, observations, b * m, m);
            System.arraycopy(values, b * record + inputAt, inputs, b * p, p);
        }
        Sequence s = Sequence.of(id, m, count * m == observations.length ? observations
                : Arrays.copyOf(observations, count * m));
        return p == 0 ? s : s.withInputs(p, count * p == inputs.length ? inputs : Arrays.copyOf(inputs, count * p));
    }

    // The filter over the chunks (FilterMoments.record, step by step), every step's record spilled.
    private double forward(String id, LongSequenceInference.Chunks chunks) throws IOException {
        KalmanState s = filter.newState();
        double[] x = FilterMoments.scratch(filter);
        FilterMoments.Step step = new FilterMoments.Step(n);
        double total = 0;
        int t = 0;
        for (Sequence chunk = chunks.next(); chunk != null; chunk = chunks.next()) {
            for (; t < chunk.length(); t++) {
                total += FilterMoments.step(filter, s, chunk, t, x, step, diffuseSteps);
                int r = steps.nextRecord();
                System.arraycopy(step.predictedMean, 0, values, r, n);
                System.arraycopy(step.predictedCovariance, 0, values, r + predictedCovarianceAt, nn);
                System.arraycopy(step.filteredMean, 0, values, r + filteredMeanAt, n);
                System.arraycopy(step.filteredCovariance, 0, values, r + filteredCovarianceAt, nn);
                System.arraycopy(step.information, 0, values, r + informationAt, nn);
                System.arraycopy(step.score, 0, values, r + scoreAt, n);
                chunk.copyObservation(t, values, r + observationAt);
                if (p > 0) {
                    chunk.copyInput(t, values, r + inputAt);
                }
                steps.appended();
            }
        }
        length = steps.finish();
        KalmanSmoother.requireIdentified(id, length, s.filteredDiffuse);
        return total;
    }

    // The backward recursion (KalmanSmoother.smooth, step by step), the smoothed moments written back in place.
    private void backward(String id) throws IOException {
        KalmanSmoother.Backward backward = new KalmanSmoother.Backward(n, filter.transitionMatrix(), id, length,
                diffuseSteps);
        FilterMoments.Step in = backward.in;
        int last = length - 1;
        for (int from = steps.lastBlock(); from >= 0; from -= blockSteps) {
            int count = steps.read(from);
            for (int b = count - 1; b >= 0; b--) {
                int t = from + b;
                int r = b * record;
                System.arraycopy(values, r, in.predictedMean, 0, n);
                System.arraycopy(values, r + predictedCovarianceAt, in.predictedCovariance, 0, nn);
                System.arraycopy(values, r + filteredMeanAt, in.filteredMean, 0, n);
                System.arraycopy(values, r + filteredCovarianceAt, in.filteredCovariance, 0, nn);
                System.arraycopy(values, r + informationAt, in.information, 0, nn);
                System.arraycopy(values, r + scoreAt, in.score, 0, n);
                backward.step(t);
                // P_t is step t-1's P_{t+1}
                System.arraycopy(in.predictedCovariance, 0, backward.nextPredictedCovariance, 0, nn);
                System.arraycopy(backward.mean, 0, values, r + filteredMeanAt, n);
                System.arraycopy(backward.covariance, 0, values, r + filteredCovarianceAt, nn);
                if (t < last) {
                    System.arraycopy(backward.cross, 0, values, r + informationAt, nn);
                } else {
                    Arrays.fill(values, r + informationAt, r + informationAt + nn, Double.NaN);
                }
            }
            steps.write(from, count);
        }
    }

    /** Closes and deletes the spill, if open. */
    void close() {
        steps.close();
    }
}
