package org.statespace.rnn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import org.statespace.DataException;
import org.statespace.capability.ShardedGradient;
import org.statespace.data.Sequence;
import org.statespace.numeric.SpecialFunctions;

/**
 * The training loss of an RNN over a batch of sequences and its exact gradient by backpropagation
 * through time (or truncated BPTT(k1, k2)).
 *
 * <p>The batch is sorted by length (longest first, ties in batch order) and dealt round-robin into shards
 * of at most {@link RnnFitSettings#shardSize()} sequences. Each shard runs the unrolled network on its
 * rows packed (at step t the rows still running), records the head's loss gradient, and walks the
 * steps back, all as matrix-matrix products into its own preallocated tape and gradient. Shards run in
 * parallel and are summed in shard order, so the result is bit-for-bit the same on any number of threads.
 *
 * <p>Truncation: every k1 steps (and at the last step) a backward pass runs from the current step t down
 * to t - k2 + 1, injecting the losses of the steps since the previous pass; gradients stop at the start
 * of the window (the states before it are treated as constants). The boundaries are the same steps for
 * every sequence of a batch. Without truncation there is one pass over the whole batch.
 *
 * <p>The loss is the mean over scored observations (steps not entirely missing); missing components
 * are masked out. A mutable workspace for one thread (it uses more threads inside).
 */
final class RnnGradient implements ShardedGradient {
    private final RnnArchitecture architecture;
    private final Network network;
    private final RnnFitSettings settings;
    private final RnnFitSettings.Loss loss;
    private final double[] variance;
    private final Weights weights;
    private final InitialStates initial;
    private final RnnFitControl fit;
    private Shard[] shards = new Shard[0];

    RnnGradient(RnnModel model, RnnFitSettings settings) {
        this.architecture = model.architecture();
        this.network = model.network();
        this.settings = settings;
        RnnFitSettings.Loss l = settings.loss();
        if (l == RnnFitSettings.Loss.DEFAULT) {
            l = architecture.head().type() == Head.Type.LINEAR ? RnnFitSettings.Loss.SQUARED_ERROR : RnnFitSettings.Loss.NLL;
        }
        this.loss = l;
        if (architecture.head().type() == Head.Type.BELIEF && l != RnnFitSettings.Loss.NLL) {
            throw new IllegalArgumentException("a belief head is trained on the negative log-likelihood only, not "
                    + l.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        }
        this.variance = model.headVariance();
        this.weights = new Weights(network);
        this.initial = model.initialStates();
        this.fit = model.fitControl();
    }

    @Override
    public double evaluate(double[] parameters, List<Sequence> batch, double[] gradient) {
        checkSizes(parameters, gradient);
        if (batch.isEmpty()) {
            throw new DataException("a gradient needs at least one sequence");
        }
        for (Sequence s : batch) {
            Inputs.check(architecture, s);
        }
        weights.load(parameters);
        int[] lengths = new int[batch.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = batch.get(i).length();
        }
        int[][] dealt = shards(lengths);
        int count = dealt.length;
        grow(count);
        for (int s = 0; s < count; s++) {
            Sequence[] rows = new Sequence[dealt[s].length];
            for (int r = 0; r < rows.length; r++) {
                rows[r] = batch.get(dealt[s][r]);
            }
            shards[s].rows = rows;
        }
        if (count == 1) {
            shards[0].run();
        } else {
            IntStream.range(0, count).parallel().forEach(s -> shards[s].run());
        }
        int n = architecture.parameterCount();
        Arrays.fill(gradient, 0);
        double total = 0;
        long scored = 0;
        for (int s = 0; s < count; s++) {
            Shard shard = shards[s];
            total += shard.total;
            scored += shard.scored;
            double[] g = shard.gradient;
            for (int i = 0; i < n; i++) {
                gradient[i] += g[i];
            }
        }
        return finish(total, scored, gradient);
    }

    /**
     * The batch sorted by length (longest first, ties in batch order) and dealt round-robin into
     * ceil(size / shardSize) shards.
     */
    @Override
    public int[][] shards(int[] lengths) {
        Integer[] order = new Integer[lengths.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> -lengths[i]).thenComparingInt(i -> i));
        int count = (lengths.length + settings.shardSize() - 1) / settings.shardSize();
        int[][] out = new int[count][];
        for (int s = 0; s < count; s++) {
            out[s] = new int[(order.length - s + count - 1) / count];
            for (int i = s, r = 0; i < order.length; i += count, r++) {
                out[s][r] = order[i];
            }
        }
        return out;
    }

    @Override
    public ShardedGradient.Sum shardSum(double[] parameters, List<Sequence> rows, double[] gradientSum) {
        checkSizes(parameters, gradientSum);
        if (rows.isEmpty()) {
            throw new DataException("a shard needs at least one sequence");
        }
        for (int r = 1; r < rows.size(); r++) {
            if (rows.get(r).length() > rows.get(r - 1).length()) {
                throw new IllegalArgumentException("a shard's rows run longest first: row " + r + " has "
                        + rows.get(r).length() + " steps, row " + (r - 1) + " " + rows.get(r - 1).length());
            }
        }
        for (Sequence s : rows) {
            Inputs.check(architecture, s);
        }
        weights.load(parameters);
        grow(1);
        Shard shard = shards[0];
        shard.rows = rows.toArray(new Sequence[0]);
        shard.run();
        System.arraycopy(shard.gradient, 0, gradientSum, 0, gradientSum.length);
        return new ShardedGradient.Sum(shard.total, shard.scored);
    }

    @Override
    public double finish(double lossSum, long scored, double[] gradientSum) {
        if (scored == 0) {
            return 0;
        }
        double scale = 1.0 / scored;
        for (int i = 0; i < gradientSum.length; i++) {
            gradientSum[i] *= scale;
        }
        if (fit != null) {
            // the spec's fixed weights: a zero gradient leaves them, and the optimiser's moments, where they are
            fit.mask(gradientSum);
        }
        return lossSum * scale;
    }

    private void checkSizes(double[] parameters, double[] gradient) {
        int n = architecture.parameterCount();
        if (parameters.length != n || gradient.length != n) {
            throw new IllegalArgumentException("expected " + n + " parameters and gradient entries, got "
                    + parameters.length + " and " + gradient.length);
        }
    }

    private void grow(int count) {
        if (shards.length < count) {
            Shard[] grown = Arrays.copyOf(shards, count);
            for (int s = shards.length; s < count; s++) {
                grown[s] = new Shard();
            }
            shards = grown;
        }
    }

    /** One shard's rows, tape and gradient. */
    private final class Shard {
        Sequence[] rows;
        Tape tape;
        final Weights.Gradient accumulated = new Weights.Gradient(network);
        final double[] gradient = new double[architecture.parameterCount()];
        final double[] probabilities = new double[network.headRows];
        final double[] observed = new double[network.observationWidth];
        int[] active = new int[0];
        double total;
        long scored;

        void run() {
            int count = rows.length;
            int length = rows[0].length();
            boolean truncated = settings.truncated();
            int k1 = settings.truncationStride();
            int k2 = settings.truncationWindow();
            int slots = Math.max(1, truncated ? Math.min(k2, length) : length) + network.maxDelay;
            if (tape == null || !tape.fits(count, slots, true)) {
                int r = tape == null ? count : Math.max(count, tape.rows);
                int s = tape == null ? slots : Math.max(slots, tape.slots);
                tape = new Tape(network, r, s, true);
            }
            if (active.length < length) {
                active = new int[length];
            }
            int m = count;
            for (int t = 0; t < length; t++) {
                while (m > 0 && rows[m - 1].length() <= t) {
                    m--;
                }
                active[t] = m;
            }
            tape.reset(count, initial.states(), initial.cells());
            accumulated.clear();
            total = 0;
            scored = 0;
            int lossFrom = 0;
            for (int t = 0; t < length; t++) {
                int rowsNow = active[t];
                double[][] x = tape.x[tape.slot(t)];
                for (int r = 0; r < rowsNow; r++) {
                    Inputs.encode(architecture, rows[r], t, x[r], 0);
                    if (network.hybrid) {
                        Inputs.previousObservation(architecture, rows[r], t, tape.observation[tape.slot(t)][r]);
                    }
                }
                network.forward(weights, tape, t, rowsNow);
                network.head(weights, tape, t, rowsNow);
                lossAt(t, rowsNow);
                if (t == length - 1 || (truncated && (t + 1) % k1 == 0)) {
                    int windowStart = truncated ? Math.max(0, t - k2 + 1) : 0;
                    for (int s = t; s >= windowStart; s--) {
                        if (s >= lossFrom) {
                            network.backwardHead(weights, tape, s, active[s], accumulated);
                        }
                        network.backward(weights, tape, s, active[s], windowStart, accumulated);
                    }
                    network.flush(tape, accumulated);
                    lossFrom = t + 1;
                }
            }
            Arrays.fill(gradient, 0);
            accumulated.addTo(gradient);
        }

        // The loss of step t for the first `count` rows, and its gradient w.r.t. the head's outputs.
        private void lossAt(int t, int count) {
            int slot = tape.slot(t);
            Head head = architecture.head();
            int d = head.outputSize();
            for (int r = 0; r < count; r++) {
                Sequence s = rows[r];
                double[] out = tape.head[slot][r];
                double[] grad = tape.headGradient[slot][r];
                Arrays.fill(grad, 0);
                if (s.isMissing(t)) {
                    continue;
                }
                scored++;
                if (head.type() == Head.Type.BELIEF) {
                    Inputs.observation(architecture, s, t, observed);
                    total += network.beliefLoss(weights, tape, t, r, observed, grad, accumulated);
                } else if (head.type() == Head.Type.SOFTMAX) {
                    softmaxLoss(s, t, out, grad, d);
                } else {
                    gaussianLoss(s, t, out, grad, d, head.type() == Head.Type.GAUSSIAN);
                }
            }
        }

        // A Gaussian with means out[0..d) and, for a Gaussian head, log-variances out[d..2d) (a linear head's
        // variances are parameters): ½ (r² / v + log v + log 2π) per observed component, or ½ r².
        private void gaussianLoss(Sequence s, int t, double[] out, double[] grad, int d, boolean predictsVariance) {
            for (int j = 0; j < d; j++) {
                double v = s.value(t, j);
                if (Double.isNaN(v)) {
                    continue;
                }
                double residual = v - out[j];
                if (loss == RnnFitSettings.Loss.SQUARED_ERROR) {
                    total += 0.5 * residual * residual;
                    grad[j] = -residual;
                    continue;
                }
                double logVariance = predictsVariance ? out[d + j] : Math.log(variance[j]);
                double precision = predictsVariance ? Math.exp(-logVariance) : 1 / variance[j];
                total += 0.5 * (residual * residual * precision + logVariance + SpecialFunctions.LOG_2PI);
                grad[j] = -residual * precision;
                if (predictsVariance) {
                    grad[d + j] = 0.5 * (1 - residual * residual * precision);
                }
            }
        }

        private void softmaxLoss(Sequence s, int t, double[] out, double[] grad, int m) {
            int k = s.symbol(t);
            if (k >= m) {
                throw new DataException("sequence '" + s.id() + "', step " + t + ": symbol " + k
                        + " outside the network's symbols 0.." + (m - 1));
            }
            double[] p = probabilities;
            RnnModel.softmax(out, 0, m, p);
            if (loss == RnnFitSettings.Loss.SQUARED_ERROR) {
                // ½ Σ_j (p_j - y_j)², through the softmax Jacobian: dz_j = p_j (g_j - Σ_i g_i p_i), g = p - y
                double mean = 0;
                for (int j = 0; j < m; j++) {
                    double g = p[j] - (j == k ? 1 : 0);
                    total += 0.5 * g * g;
                    mean += g * p[j];
                }
                for (int j = 0; j < m; j++) {
                    double g = p[j] - (j == k ? 1 : 0);
                    grad[j] = p[j] * (g - mean);
                }
                return;
            }
            // -log p_k = logsumexp(z) - z_k; gradient p - e_k
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                max = Math.max(max, out[j]);
            }
            double sum = 0;
            for (int j = 0; j < m; j++) {
                sum += Math.exp(out[j] - max);
            }
            total += max + Math.log(sum) - out[k];
            for (int j = 0; j < m; j++) {
                grad[j] = p[j] - (j == k ? 1 : 0);
            }
        }
    }
}
