package org.statespace.nonlinear;

import java.io.IOException;
import java.util.Arrays;

import org.statespace.capability.LongSequenceInference;
import org.statespace.data.Sequence;
import org.statespace.io.SpilledSteps;

/**
 * The smoothers ({@link Smoothers}) and the EM E-step ({@link GaussianEm}) of a {@link NonlinearModel} for one
 * sequence read in chunks, with what the backward pass needs on disk instead of in memory
 * ({@link LongSequenceInference}). The passes run the in-memory kernels one step at a time:
 * <ul>
 * <li>extended or unscented filter: forward over the chunks, {@link Smoothers.GaussianForward}: each step's record
 * (a_t, P_t, m_t|t, P_t|t, D_t, y_t, u_t: 2n + 3n² + m + p doubles) goes to a temporary file in blocks; backward,
 * blocks read from the last to the first, {@link Smoothers.RtsStep}: m^s_t overwrites m_t|t, P^s_t overwrites
 * P_t|t and (for EM) C_{t+1} overwrites D_t, and the block is written back; forward once more: the smoothed tracks
 * are handed out ({@link #smooth}), or the E-step's sums accumulated in step order ({@link GaussianEm.Accumulator},
 * {@link #expectation}) over the block's observations and inputs, indexed by their step in the whole sequence;</li>
 * <li>particle filter: forward over the chunks, {@link ParticleFilter#step} and {@link ParticleFilter#correct}: each
 * step's filtered particles and weights, y_t and u_t (N·n + N + m + p doubles, then n + n² for the smoothed moments)
 * are spilled; backward, {@link Smoothers.BackwardSimulation}: the draws of step t (its generator used in the
 * in-memory order) and their mean and covariance written in place; forward once more for the tracks.</li>
 * </ul>
 * The same numbers go through the same operations in the same order as in memory, so the smoothed moments, the
 * statistics and the log-likelihood are bit for bit the in-memory ones. Memory is a block (about 1 MB, at least one
 * step) and the model's own work space, whatever the length. Not thread-safe; one per call.
 */
final class SpilledNonlinear {
    private final NonlinearModel model;
    private final NonlinearSystem system;
    private final ParticleFilter particle;
    private final int n;
    private final int nn;
    private final int m;
    private final int p;
    // Gaussian: a_t | P_t | m_t|t (then m^s_t) | P_t|t (then P^s_t) | D_t (then C_t+1) | y_t | u_t
    // particle: particles | weights | y_t | u_t | smoothed mean | smoothed covariance
    private final int predictedCovarianceAt;
    private final int meanAt;
    private final int covarianceAt;
    private final int crossAt;
    private final int particlesAt;
    private final int weightsAt;
    private final int observationAt;
    private final int inputAt;
    private final int record;
    private final int blockSteps;
    private final SpilledSteps steps; // the records on disk
    private final double[] values; // one block of records: steps.values
    private int length;

    SpilledNonlinear(NonlinearModel model, int blockSteps) {
        this.model = model;
        system = model.system();
        particle = model.particleFilter();
        n = system.n;
        nn = n * n;
        m = system.m;
        p = system.p;
        if (particle == null) {
            predictedCovarianceAt = n;
            meanAt = n + nn;
            covarianceAt = 2 * n + nn;
            crossAt = 2 * n + 2 * nn;
            observationAt = 2 * n + 3 * nn;
            particlesAt = -1;
            weightsAt = -1;
            inputAt = observationAt + m;
            record = inputAt + p;
        } else {
            int count = particle.count;
            predictedCovarianceAt = -1;
            crossAt = -1;
            particlesAt = 0;
            weightsAt = count * n;
            observationAt = weightsAt + count;
            inputAt = observationAt + m;
            meanAt = inputAt + p;
            covarianceAt = meanAt + n;
            record = covarianceAt + nn;
        }
        steps = new SpilledSteps(record, blockSteps);
        this.blockSteps = steps.blockSteps;
        values = steps.values;
    }

    SpilledNonlinear(NonlinearModel model) {
        this(model, 0);
    }

    /**
     * The tracks of {@link NonlinearModel#smoothStates} over the chunks, handed out in step order:
     * {@code smoothedMeans} (n) and {@code smoothedCovariances} (n×n), one track after another (a forward read of the
     * spill each), or both at each step when {@code out} asks for it.
     */
    double smooth(String id, LongSequenceInference.Chunks chunks, LongSequenceInference.SmoothedSteps out) {
        try {
            steps.open();
            double ll;
            if (particle == null) {
                ll = gaussianForward(chunks);
                if (length > 0) {
                    gaussianBackward(id, false);
                }
            } else {
                ll = particleForward(chunks);
                if (length > 0) {
                    particleBackward(id);
                }
            }
            String[] names = {"smoothedMeans", "smoothedCovariances"};
            int[][] shapes = {{n}, {n, n}};
            if (out.interleaved()) {
                for (int k = 0; k < 2; k++) {
                    out.begin(names[k], shapes[k], ll, length);
                }
                emit(out, -1);
            } else {
                for (int k = 0; k < 2; k++) {
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

    /** {@link GaussianEm#expectation} over the chunks (an extended or unscented model). */
    double expectation(String id, LongSequenceInference.Chunks chunks, GaussianEm.Statistics statistics) {
        try {
            steps.open();
            double ll = gaussianForward(chunks);
            GaussianEm.Accumulator acc = new GaussianEm.Accumulator(model, statistics);
            if (length > 0) {
                gaussianBackward(id, true);
                // this step's smoothed moments at 0, the previous step's at 1, and C_t (from step t-1's record)
                double[] means = new double[2 * n];
                double[] covs = new double[2 * nn];
                double[] lag = new double[nn];
                double[] next = new double[nn];
                for (int from = 0; from < length; from += blockSteps) {
                    int count = steps.read(from);
                    Sequence window = window(id, from, count, 0, null, null);
                    for (int b = 0; b < count; b++) {
                        int t = from + b;
                        int r = b * record;
                        System.arraycopy(means, 0, means, n, n);
                        System.arraycopy(covs, 0, covs, nn, nn);
                        System.arraycopy(values, r + meanAt, means, 0, n);
                        System.arraycopy(values, r + covarianceAt, covs, 0, nn);
                        double[] swap = lag;
                        lag = next;
                        next = swap;
                        System.arraycopy(values, r + crossAt, next, 0, nn);
                        acc.step(window, t, means, 0, covs, 0, lag, 0, n, nn);
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

    // A forward read of the smoothed spill: track k's steps, or both tracks' at each step (k < 0).
    private void emit(LongSequenceInference.SmoothedSteps out, int k) throws IOException {
        steps.forEachStep((t, v, r) -> {
            if (k <= 0) {
                out.step(t, v, r + meanAt);
            }
            if (k != 0) {
                out.step(t, v, r + covarianceAt);
            }
        });
    }

    /**
     * The block's observations and inputs (records 0 .. count-1 of {@link #values}, then {@code extra} rows from
     * {@code observations} and {@code inputs} past them) as the steps {@code from ..} of the sequence.
     */
    private Sequence window(String id, int from, int count, int extra, double[] observations, double[] inputs) {
        int rows = count + extra;
        double[] y = new double[rows * m];
        double[] u = new double[rows * p];
        for (int b = 0; b < count; b++) {
            System.arraycopy(values, b * record + observationAt, y, b * m, m);
            System.arraycopy(values, b * record + inputAt, u, b * p, p);
        }
        if (extra > 0) {
            System.arraycopy(observations, 0, y, count * m, extra * m);
            System.arraycopy(inputs, 0, u, count * p, extra * p);
        }
        return Sequence.windowOf(id, from, m, y, p, u);
    }

    // Copies step t's observation and input from the chunk into record r of the block.
    private void keepData(Sequence chunk, int t, int r) {
        chunk.copyObservation(t, values, r + observationAt);
        if (p > 0) {
            chunk.copyInput(t, values, r + inputAt);
        }
    }

    // The extended or unscented filter over the chunks (Smoothers.GaussianForward), every step's record spilled.
    private double gaussianForward(LongSequenceInference.Chunks chunks) throws IOException {
        Smoothers.GaussianForward forward = new Smoothers.GaussianForward(model.gaussianStateSpace());
        int t = 0;
        for (Sequence chunk = chunks.next(); chunk != null; chunk = chunks.next()) {
            for (; t < chunk.length(); t++) {
                forward.step(chunk, t);
                int r = steps.nextRecord();
                System.arraycopy(forward.predictedMean, 0, values, r, n);
                System.arraycopy(forward.predictedCovariance, 0, values, r + predictedCovarianceAt, nn);
                System.arraycopy(forward.state.mean(), 0, values, r + meanAt, n);
                System.arraycopy(forward.state.covariance(), 0, values, r + covarianceAt, nn);
                if (t > 0) {
                    System.arraycopy(forward.cross, 0, values, r + crossAt, nn);
                } else {
                    Arrays.fill(values, r + crossAt, r + crossAt + nn, 0);
                }
                keepData(chunk, t, r);
                steps.appended();
            }
        }
        length = steps.finish();
        return forward.state.logLikelihood();
    }

    // The RTS recursion (Smoothers.RtsStep), the smoothed moments (and with lagged C_t+1) written back in place.
    private void gaussianBackward(String id, boolean lagged) throws IOException {
        Smoothers.RtsStep k = new Smoothers.RtsStep(n);
        int last = length - 1;
        for (int from = steps.lastBlock(); from >= 0; from -= blockSteps) {
            int count = steps.read(from);
            for (int b = count - 1; b >= 0; b--) {
                int t = from + b;
                int r = b * record;
                if (t == last) {
                    // the last step's smoothed moments are its filtered ones, already in place
                    System.arraycopy(values, r + meanAt, k.nextMean, 0, n);
                    System.arraycopy(values, r + covarianceAt, k.nextCovariance, 0, nn);
                } else {
                    System.arraycopy(values, r + meanAt, k.filteredMean, 0, n);
                    System.arraycopy(values, r + covarianceAt, k.filteredCovariance, 0, nn);
                    k.step(id, t, lagged);
                    k.advance();
                    System.arraycopy(k.mean, 0, values, r + meanAt, n);
                    System.arraycopy(k.covariance, 0, values, r + covarianceAt, nn);
                }
                // a_t, P_t, D_t are step t-1's next ones
                System.arraycopy(values, r, k.nextPredictedMean, 0, n);
                System.arraycopy(values, r + predictedCovarianceAt, k.nextPredictedCovariance, 0, nn);
                System.arraycopy(values, r + crossAt, k.nextCross, 0, nn);
                if (t < last && lagged) {
                    System.arraycopy(k.lag, 0, values, r + crossAt, nn);
                } else {
                    Arrays.fill(values, r + crossAt, r + crossAt + nn, Double.NaN);
                }
            }
            steps.write(from, count);
        }
    }

    // The particle filter over the chunks (ParticleFilter.step and correct, as Smoothers.particlePass), every
    // step's filtered particles and weights spilled.
    private double particleForward(LongSequenceInference.Chunks chunks) throws IOException {
        ParticleFilter pf = particle;
        ParticleFilter.Run run = pf.newState();
        int t = 0;
        for (Sequence chunk = chunks.next(); chunk != null; chunk = chunks.next()) {
            for (; t < chunk.length(); t++) {
                if (t == 0) {
                    pf.start(run, chunk);
                } else {
                    pf.step(run, chunk, t);
                }
                pf.correct(run, chunk, t);
                int r = steps.nextRecord();
                System.arraycopy(run.particles, 0, values, r + particlesAt, pf.count * n);
                System.arraycopy(run.weights, 0, values, r + weightsAt, pf.count);
                keepData(chunk, t, r);
                steps.appended();
            }
        }
        length = steps.finish();
        return run.logLikelihood;
    }

    // Backward simulation (Smoothers.BackwardSimulation), each step's smoothed mean and covariance written in place.
    private void particleBackward(String id) throws IOException {
        Smoothers.BackwardSimulation simulation = new Smoothers.BackwardSimulation(particle, id,
                model.options().smootherDraws());
        int count0 = particle.count;
        double[] x = new double[count0 * n];
        double[] w = new double[count0];
        int last = length - 1;
        // step `from + count` of the block after this one, which the draws of the block's last step need (its u)
        double[] carriedObservation = new double[m];
        double[] carriedInput = new double[p];
        for (int from = steps.lastBlock(); from >= 0; from -= blockSteps) {
            int count = steps.read(from);
            Sequence window = window(id, from, count, from + count < length ? 1 : 0, carriedObservation, carriedInput);
            for (int b = count - 1; b >= 0; b--) {
                int t = from + b;
                int r = b * record;
                System.arraycopy(values, r + particlesAt, x, 0, count0 * n);
                System.arraycopy(values, r + weightsAt, w, 0, count0);
                if (t == last) {
                    simulation.last(x, w);
                } else {
                    simulation.step(x, w, window, t);
                }
                simulation.moments(values, r + meanAt, values, r + covarianceAt);
            }
            System.arraycopy(values, observationAt, carriedObservation, 0, m);
            System.arraycopy(values, inputAt, carriedInput, 0, p);
            steps.write(from, count);
        }
    }

    private void close() {
        steps.close();
    }
}
