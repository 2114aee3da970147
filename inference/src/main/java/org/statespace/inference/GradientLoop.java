package org.statespace.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.statespace.DataException;
import org.statespace.NumericalException;
import org.statespace.StateSpaceModel;
import org.statespace.capability.Differentiable;
import org.statespace.capability.GradientEvaluator;
import org.statespace.capability.SummedRefit;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceReader;
import org.statespace.data.SequenceSource;
import org.statespace.numeric.Randoms;

/**
 * Gradient training ({@link Differentiable}: RNNs): epochs of mini-batch steps by {@link GradientStep} (Adam or SGD
 * with momentum), clipping by global norm. Epoch e shuffles with stream e of the seed, so a run continued from a
 * {@link GradientCheckpoint} (parameters, optimiser moments, epoch) draws what an uninterrupted one would; the
 * gradient evaluator is always built from the starting model.
 *
 * <p>The training data are a {@link SequenceSource}: in memory, or a file read by offsets. Each batch reads its
 * pieces ({@link Pieces}) in the epoch's order, so over a file the heap holds the index and one batch (and, while
 * scoring, one sequence per thread), and the steps taken are the in-memory run's. At the end of an epoch a family
 * that re-estimates from the training data ({@link Differentiable#withParameters(double[], Dataset)}: an RNN's
 * linear-head variance) does so from the dataset in memory, or over a file from its summed per-sequence statistics
 * ({@link SummedRefit}), which equal the in-memory re-estimate up to the order of the additions.
 */
final class GradientLoop {
    private final FitRun run;

    GradientLoop(FitRun run) {
        this.run = run;
    }

    FitResult fit(StateSpaceModel<?, ?> initial, GradientCheckpoint resume) {
        TrainOptions options = run.options;
        Differentiable model = (Differentiable) initial;
        double[] theta = model.parameters();
        double[] grad = new double[theta.length];
        GradientEvaluator evaluator = model.gradientEvaluator(run.settings);
        GradientStep step = new GradientStep(options.optimizer(), theta.length, options.learningRate(),
                options.momentum());
        FitRun.History history;
        EarlyStopping stopper;
        StateSpaceModel<?, ?> current;
        int firstEpoch;
        if (resume != null) {
            System.arraycopy(resume.parameters(), 0, theta, 0, theta.length);
            System.arraycopy(resume.firstMoment(), 0, step.first, 0, step.first.length);
            System.arraycopy(resume.secondMoment(), 0, step.second, 0, step.second.length);
            step.steps = resume.steps();
            history = run.resumed(resume.progress());
            stopper = run.stopper(resume.progress());
            current = Checkpoint.model(resume.progress().model());
            firstEpoch = resume.progress().iteration() + 1;
        } else {
            history = run.startingAt(initial);
            stopper = run.stopper();
            stopper.offer(initial, history.curve.last().validationLoss());
            current = initial;
            firstEpoch = 1;
        }
        Pieces pieces = Pieces.of(run.trainingData, options.chunkLength());
        int n = pieces.size();
        int epochs = options.maxIterations();
        boolean stoppedEarly = false;
        int epoch;
        for (epoch = firstEpoch; epoch <= epochs; epoch++) {
            int[] order = permutation(n, Randoms.stream(options.seed(), epoch));
            for (int from = 0; from < n; from += options.batchSize()) {
                List<Sequence> batch = new ArrayList<>(options.batchSize());
                for (int i = from; i < Math.min(n, from + options.batchSize()); i++) {
                    batch.add(pieces.read(order[i]));
                }
                double loss = evaluator.evaluate(theta, batch, grad);
                if (!Double.isFinite(loss)) {
                    throw new NumericalException("epoch " + epoch + ": the training loss is " + loss
                            + " (lower the learning rate or turn on clipping)");
                }
                GradientStep.clip(grad, options.clipNorm());
                step.apply(theta, grad);
            }
            pieces.release();
            current = withParameters(model, theta, run.trainingData, run.options.threads());
            LearningCurve.Point p = history.add(epoch, run.logLikelihood(current, run.trainingData), current);
            run.listener.onIteration(epoch, epochs, p);
            stopper.offer(current, p.validationLoss());
            if (stopper.shouldStop()) {
                stoppedEarly = true;
                break;
            }
            if (run.checkpointDue(epoch)) {
                run.save(new GradientCheckpoint(run.progress(epoch, current, history, stopper), theta, step.first,
                        step.second, step.steps));
            }
        }
        StateSpaceModel<?, ?> kept = stopper.best(current);
        double finalLl = run.keptLogLikelihood(kept, current, history.last());
        if (!Double.isFinite(finalLl)) {
            throw new NumericalException("epoch " + Math.min(epoch, epochs) + ": the training log-likelihood is "
                    + finalLl);
        }
        return run.result(kept, history, Math.min(epoch, epochs), stoppedEarly, finalLl,
                run.stopWarnings(stoppedEarly, history.values(), "epoch"));
    }

    /**
     * {@code model} with {@code theta} at the end of an epoch over {@code data}: {@link
     * Differentiable#withParameters(double[], Dataset)} of the dataset in memory; over a file, the re-estimate from
     * the per-sequence statistics ({@link SummedRefit}, computed on {@code threads} threads and summed in the data's
     * order; a sequence the source reads in chunks is read a chunk at a time, {@link #statistics}) of a family that
     * re-estimates, else {@link Differentiable#withParameters(double[])}.
     */
    static StateSpaceModel<?, ?> withParameters(Differentiable model, double[] theta, SequenceSource data,
            int threads) {
        Dataset inMemory = data.inMemory();
        if (inMemory != null) {
            return model.withParameters(theta, inMemory);
        }
        StateSpaceModel<?, ?> withTheta = model.withParameters(theta);
        if (!refitsFromData(model)) {
            return withTheta;
        }
        SummedRefit refit = (SummedRefit) withTheta;
        if (!refit.usesStatistics()) { // nothing to read the sequences for
            return refit.withRefit(new double[0]);
        }
        double[][] each = new double[data.size()][];
        Parallel.forEach(data.size(), threads, () -> null, (none, i) -> each[i] = statistics(refit, data, i));
        double[] summed = each.length == 0 ? new double[0] : new double[each[0].length];
        for (double[] one : each) {
            for (int j = 0; j < summed.length; j++) {
                summed[j] += one[j];
            }
        }
        return refit.withRefit(summed);
    }

    /**
     * The statistics of sequence {@code i} of {@code data}: through a {@link SummedRefit.Accumulator} a chunk at a
     * time ({@link SequenceSource#reader}), equal bit for bit to those of the whole sequence, so a long sequence is
     * never held; the whole sequence when the source or the model cannot do that.
     */
    static double[] statistics(SummedRefit refit, SequenceSource data, int i) {
        SummedRefit.Accumulator accumulator = refit.accumulator();
        SequenceReader reader = accumulator == null ? null : data.reader(i);
        if (reader == null) {
            return refit.refitStatistics(data.sequence(i));
        }
        int from = 0;
        try (reader) {
            if (reader.nextSequence()) {
                for (Sequence chunk = reader.nextChunk(); chunk != null; chunk = reader.nextChunk()) {
                    accumulator.add(chunk, from);
                    from = chunk.length();
                }
            }
        }
        if (from != data.length(i)) {
            throw new DataException(data.name() + ": sequence " + (i + 1) + " no longer reads as it did when the "
                    + "file was indexed (" + data.length(i) + " steps); was the file changed?");
        }
        return accumulator.statistics();
    }

    /**
     * Whether {@code model} re-estimates parameters from the training data at the end of an epoch (it overrides
     * {@link Differentiable#withParameters(double[], Dataset)}).
     */
    static boolean refitsFromData(Differentiable model) {
        try {
            return model.getClass().getMethod("withParameters", double[].class, Dataset.class).getDeclaringClass()
                    != Differentiable.class;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Checks that a model can be trained over a file: one that re-estimates from the training data must do it from
     * summed per-sequence statistics ({@link SummedRefit}).
     *
     * @throws IllegalArgumentException naming the model type otherwise
     */
    static void requireStreamable(StateSpaceModel<?, ?> model) {
        if (model instanceof Differentiable d && refitsFromData(d) && !(model instanceof SummedRefit)) {
            throw new IllegalArgumentException("a " + model.type() + " model re-estimates parameters from the whole "
                    + "training data after each epoch, so it cannot be trained over a file; read the data into memory");
        }
    }

    /**
     * The training pieces of a source ({@link #chunks}: each sequence cut into pieces of at most {@code length}
     * steps, all whole when 0), read one at a time. In memory they are cut once; over a file indexed with the
     * same piece length ({@link SequenceSource#readsPieces}) a piece is read alone at its offset; otherwise it is
     * its sequence read again (and sliced), the last sequence read kept so that the pieces of one long sequence do
     * not read it again.
     */
    static final class Pieces {
        private final SequenceSource data;
        private final List<Sequence> cut;   // in memory: the pieces
        private final int[] sequence;       // over a file with pieces cut: piece k is sequence[k] from from[k] to to[k]
        private final int[] from;
        private final int[] to;
        private final int size;
        private int lastIndex = -1;
        private Sequence last;

        private Pieces(SequenceSource data, List<Sequence> cut, int[] sequence, int[] from, int[] to, int size) {
            this.data = data;
            this.cut = cut;
            this.sequence = sequence;
            this.from = from;
            this.to = to;
            this.size = size;
        }

        static Pieces of(SequenceSource data, int length) {
            if (data.inMemory() != null) {
                List<Sequence> cut = chunks(data.inMemory().sequences(), length);
                return new Pieces(data, cut, null, null, null, cut.size());
            }
            int n = data.size();
            long count = 0;
            boolean anyCut = false;
            for (int i = 0; i < n; i++) {
                int t = data.length(i);
                if (length > 0 && t > length) {
                    anyCut = true;
                    count += (t + (long) length - 1) / length;
                } else {
                    count++;
                }
            }
            if (!anyCut) {
                return new Pieces(data, null, null, null, null, n);
            }
            if (count > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("--chunk " + length + " cuts the data into " + count
                        + " pieces, more than an epoch can order; take longer pieces");
            }
            int[] sequence = new int[(int) count];
            int[] from = new int[(int) count];
            int[] to = new int[(int) count];
            int k = 0;
            for (int i = 0; i < n; i++) {
                int t = data.length(i);
                if (length > 0 && t > length) {
                    for (int f = 0; f < t; f += length) {
                        sequence[k] = i;
                        from[k] = f;
                        to[k] = Math.min(t, f + length);
                        k++;
                    }
                } else {
                    sequence[k] = i;
                    from[k] = 0;
                    to[k] = -1; // whole
                    k++;
                }
            }
            return new Pieces(data, null, sequence, from, to, k);
        }

        int size() {
            return size;
        }

        /** Piece {@code k}, equal to {@link #chunks}'s piece k of the same sequences in memory. */
        Sequence read(int k) {
            if (cut != null) {
                return cut.get(k);
            }
            if (sequence == null) {
                return data.sequence(k);
            }
            int i = sequence[k];
            if (to[k] < 0) {
                return data.sequence(i);
            }
            if (data.readsPieces(i)) {
                return data.piece(i, from[k], to[k]);
            }
            if (i != lastIndex) {
                last = data.sequence(i);
                lastIndex = i;
            }
            return last.slice(last.id() + "@" + from[k], from[k], to[k]);
        }

        /** Drops the sequence kept for its pieces. */
        void release() {
            last = null;
            lastIndex = -1;
        }
    }

    /** The sequences cut into pieces of at most {@code length} steps (all of them whole when 0). */
    static List<Sequence> chunks(List<Sequence> sequences, int length) {
        if (length <= 0) {
            return sequences;
        }
        List<Sequence> out = new ArrayList<>();
        for (Sequence s : sequences) {
            if (s.length() <= length) {
                out.add(s);
                continue;
            }
            for (int from = 0; from < s.length(); from += length) {
                out.add(s.slice(s.id() + "@" + from, from, Math.min(s.length(), from + length)));
            }
        }
        return out;
    }

    /** Fisher-Yates shuffle of 0..n-1. */
    static int[] permutation(int n, RandomGenerator random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
