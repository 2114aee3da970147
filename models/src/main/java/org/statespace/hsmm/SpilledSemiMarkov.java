package org.statespace.hsmm;

import java.io.IOException;
import java.util.Arrays;
import java.util.random.RandomGenerator;

import org.statespace.capability.LongSequenceInference;
import org.statespace.capability.PosteriorDraws;
import org.statespace.data.Sequence;
import org.statespace.io.SpillFile;
import org.statespace.io.SpilledSteps;

/**
 * {@link SemiMarkovKernels}' E-step, smoother, Viterbi and posterior draws for one sequence read in chunks, with the
 * per-step arrays on disk instead of in memory ({@link LongSequenceInference}). Every step is {@link SemiMarkovStep}'s,
 * the one the in-memory kernels call, in the same order, so statistics, log-likelihood, posteriors and paths are theirs
 * bit for bit.
 *
 * <p>E-step and smoother: the forward pass runs step by step over the chunks and writes each step's record to a
 * temporary file in blocks: α̂_t over the M slots of the expanded chain, b̃_t (K), c_t and o_t (d), so
 * (M + K + 1 + d)·8 bytes a step. The backward pass reads the blocks from the last to the first, carrying
 * β̂_{t+1}, b̃_{t+1} and c_{t+1} from the step after; it adds each step's statistics (the emission's from the
 * observation read back), or, for the smoother, writes p(s_t | o) over α̂_t in the block and writes the block back,
 * and a last forward read hands the posteriors over in step order. Viterbi: the M backpointers of each step go to
 * the file as ints (4M bytes a step), the trace back reads them in reverse blocks and writes each step's state over
 * its first pointer, and a last forward read hands the path over. Posterior draws: the forward pass spills as for
 * the smoother; each draw reads the records from the last block to the first and draws each step's slot from the
 * spilled α̂_t ({@link SemiMarkovStep#sampleBack}), writing its state to a second file (8 bytes a step) that a
 * forward read hands over. Memory: a block (about 1 MB) and the model's own
 * O(M + K²) workspace, whatever the length; the file is deleted when the call returns or fails. Not thread-safe;
 * one per call.
 */
final class SpilledSemiMarkov {
    private final HiddenSemiMarkovModel model;
    private final int k;
    private final int m;
    private final int d;
    private final int record; // doubles per step: α̂ (M), b̃ (K), c, o (d)
    private final int blockSteps;
    private final int requestedBlock;
    private final SemiMarkovStep step;
    private int length;
    // the forward and backward passes' records on disk, and their block in memory (allocated when first needed)
    private SpilledSteps steps;
    private double[] values;
    private SpillFile spill; // the Viterbi pass's backpointers

    /** @param blockSteps steps per block, or 0 for about {@link SpilledSteps#BLOCK_BYTES} a block */
    SpilledSemiMarkov(HiddenSemiMarkovModel model, int blockSteps) {
        this.model = model;
        this.k = model.states;
        this.m = model.size;
        this.d = model.observationSpace().dimension();
        this.record = m + k + 1 + d;
        this.requestedBlock = blockSteps;
        this.blockSteps = SpilledSteps.blockSteps(blockSteps, record * Double.BYTES);
        this.step = new SemiMarkovStep(model);
    }

    SpilledSemiMarkov(HiddenSemiMarkovModel model) {
        this(model, 0);
    }

    /** The E-step of {@link SemiMarkovKernels#expectation} over the chunks; returns log p(o). */
    double expectation(String id, LongSequenceInference.Chunks chunks, SemiMarkovStatistics statistics) {
        try {
            open();
            double ll = forward(id, chunks);
            if (length > 0) {
                backward(id, statistics, false);
            }
            statistics.logLikelihood += ll;
            return ll;
        } catch (IOException e) {
            throw steps.failed(e);
        } finally {
            close();
        }
    }

    /** The posterior probabilities of {@link SemiMarkovKernels#posteriorProbabilities} over the chunks, in step order. */
    double smooth(String id, LongSequenceInference.Chunks chunks, LongSequenceInference.SmoothedSteps out) {
        try {
            open();
            double ll = forward(id, chunks);
            out.begin("posteriorProbabilities", new int[] {k}, ll, length);
            if (length > 0) {
                backward(id, null, true);
                steps.forEachStep(out::step);
            }
            return ll;
        } catch (IOException e) {
            throw steps.failed(e);
        } finally {
            close();
        }
    }

    /**
     * {@link HiddenSemiMarkovModel#samplePosterior(Sequence, int, RandomGenerator)}'s draws over the chunks: the
     * forward pass spills as for {@link #smooth}; then, for each draw in turn, the records are read from the last
     * block to the first and each step's slot drawn from the spilled α̂_t by {@link SemiMarkovStep#sampleLast} and
     * {@link SemiMarkovStep#sampleBack} (the in-memory sampler's kernels), the slot of step t+1 carried across
     * blocks, so the generator's numbers are taken in the in-memory order: draw after draw, each from step T-1 down
     * to 0. A draw's states go to a second spill file (a number a step) and are read forward into {@code out}.
     * Memory is two blocks, whatever the length and the number of draws. Returns log p(o).
     */
    double samplePosterior(String id, LongSequenceInference.Chunks chunks, int count, RandomGenerator random,
            LongSequenceInference.DrawnSteps out) {
        PosteriorDraws.requireCount(count);
        SpilledSteps paths = new SpilledSteps(1, blockSteps); // a draw's states, a number a step
        try {
            open();
            double ll = forward(id, chunks);
            out.begin(count, length, 1, true);
            paths.open(length);
            double[] path = paths.values;
            int last = length - 1;
            for (int draw = 0; draw < count; draw++) {
                out.draw(draw);
                if (length == 0) {
                    continue;
                }
                int slot = -1;
                for (int from = steps.lastBlock(); from >= 0; from -= blockSteps) {
                    int n = steps.read(from);
                    for (int b = n - 1; b >= 0; b--) {
                        slot = from + b == last ? step.sampleLast(values, b * record, random)
                                : step.sampleBack(values, b * record, slot, random);
                        path[b] = model.owner[slot];
                    }
                    paths.write(from, n);
                }
                paths.forEachStep(out::step);
            }
            return ll;
        } catch (IOException e) {
            throw steps.failed(e);
        } finally {
            paths.close();
            close();
        }
    }

    private void open() {
        if (steps == null) {
            steps = new SpilledSteps(record, blockSteps);
            values = steps.values;
        }
        steps.open();
    }

    private void close() {
        if (steps != null) {
            steps.close();
        }
        if (spill != null) {
            spill.close();
            spill = null;
        }
    }

    // The scaled forward filter (SemiMarkovKernels.forward, step by step), every step's record spilled.
    private double forward(String id, LongSequenceInference.Chunks chunks) throws IOException {
        double[] filtered = new double[m];
        double total = 0;
        int t = 0;
        for (Sequence chunk = chunks.next(); chunk != null; chunk = chunks.next()) {
            for (; t < chunk.length(); t++) {
                int r = steps.nextRecord();
                total += step.forward(id, chunk, t, filtered, 0, values, r + m, filtered, 0);
                System.arraycopy(filtered, 0, values, r, m);
                values[r + m + k] = step.normalizer();
                chunk.copyObservation(t, values, r + m + k + 1);
                steps.appended();
            }
        }
        length = steps.finish();
        return total;
    }

    /**
     * The backward pass of SemiMarkovKernels.expectation (statistics) or of its smoother (the posteriors written over
     * α̂ in the spill). Step t needs b̃, c and β̂ of step t+1, carried from the step before in this pass.
     */
    private void backward(String id, SemiMarkovStatistics statistics, boolean writeBack) throws IOException {
        double[] beta = new double[m];
        double[] densitiesAfter = new double[k];
        double[] posterior = new double[k];
        double scaleAfter = 0;
        double[] observations = statistics == null ? null : new double[blockSteps * d];
        Arrays.fill(beta, 1);
        int last = length - 1;
        for (int from = steps.lastBlock(); from >= 0; from -= blockSteps) {
            int n = steps.read(from);
            Sequence window = null; // the block's observations, step b at b
            if (statistics != null) {
                for (int b = 0; b < n; b++) {
                    System.arraycopy(values, b * record + m + k + 1, observations, b * d, d);
                }
                window = Sequence.of(id, d, n * d == observations.length ? observations
                        : Arrays.copyOf(observations, n * d));
            }
            for (int b = n - 1; b >= 0; b--) {
                int t = from + b;
                int r = b * record;
                if (t != last) { // β̂_t over β̂_{t+1} in place
                    step.backward(densitiesAfter, 0, beta, 0, scaleAfter, beta, 0);
                }
                if (statistics != null) {
                    step.statistics(statistics, window, b, t == 0, t == last, values, r, beta, 0,
                            t == last ? 0 : scaleAfter);
                }
                System.arraycopy(values, r + m, densitiesAfter, 0, k);
                scaleAfter = values[r + m + k];
                if (writeBack) {
                    step.posterior(values, r, beta, 0, posterior, 0);
                    System.arraycopy(posterior, 0, values, r, k);
                }
            }
            if (writeBack) {
                steps.write(from, n);
            }
        }
    }

    /** The Viterbi path of {@link SemiMarkovKernels#viterbi} over the chunks, its M backpointers a step on disk. */
    double decode(String id, LongSequenceInference.Chunks chunks, LongSequenceInference.DecodedSteps out) {
        int block = SpilledSteps.blockSteps(requestedBlock, m * Integer.BYTES);
        SpillFile.IntRecords records = new SpillFile.IntRecords(m, block);
        int[] back = new int[block * m];
        try {
            spill = new SpillFile();
            double[] delta = new double[m];
            double[] next = new double[m];
            int t = 0;
            int filled = 0;
            for (Sequence chunk = chunks.next(); chunk != null; chunk = chunks.next()) {
                for (; t < chunk.length(); t++) {
                    step.viterbi(chunk, t, delta, next, back, filled * m);
                    double[] swap = delta;
                    delta = next;
                    next = swap;
                    if (++filled == block) {
                        records.write(spill, back, t + 1 - filled, filled);
                        filled = 0;
                    }
                }
            }
            if (filled > 0) {
                records.write(spill, back, t - filled, filled);
            }
            int n = t;
            int slot = step.bestLast(id, delta);
            double logProbability = delta[slot];
            out.begin(logProbability, n);
            // trace back: step t's pointer at the slot of step t gives the slot of step t-1
            for (int from = n == 0 ? -1 : ((n - 1) / block) * block; from >= 0; from -= block) {
                int count = Math.min(block, n - from);
                records.read(spill, back, from, count);
                for (int b = count - 1; b >= 0; b--) {
                    int before = back[b * m + slot];
                    back[b * m] = model.owner[slot];
                    slot = before;
                }
                records.write(spill, back, from, count);
            }
            for (int from = 0; from < n; from += block) {
                int count = Math.min(block, n - from);
                records.read(spill, back, from, count);
                for (int b = 0; b < count; b++) {
                    out.step(from + b, back[b * m]);
                }
            }
            return logProbability;
        } catch (IOException e) {
            throw spill.failed(e);
        } finally {
            close();
        }
    }
}
