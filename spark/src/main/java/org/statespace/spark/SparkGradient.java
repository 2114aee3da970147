package org.statespace.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.statespace.NumericalException;
import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.capability.Differentiable;
import org.statespace.capability.FitSettings;
import org.statespace.capability.GradientEvaluator;
import org.statespace.capability.ShardedGradient;
import org.statespace.capability.SummedRefit;
import org.statespace.data.Sequence;
import org.statespace.inference.EarlyStopping;
import org.statespace.inference.FilterEngine;
import org.statespace.inference.GradientBatches;
import org.statespace.inference.TrainOptions;
import org.statespace.io.AtomicFiles;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

import scala.Tuple2;

/**
 * Gradient training of a {@link Differentiable} model (an RNN) over a dataset held in Spark partitions,
 * data-parallel and synchronous, on the single-JVM trainer's batches: epoch e visits the training pieces in the
 * order {@link GradientBatches#order} gives, in batches of {@link TrainOptions#batchSize()}, and steps the
 * parameters after every batch with the trainer's optimiser ({@link GradientBatches.Step}).
 *
 * <p>A batch's gradient is the family's {@link ShardedGradient}: the batch is dealt into shards by the lengths of
 * its pieces (which the driver knows), every shard's summed loss and gradient is computed where its rows lie, and
 * the driver adds the shard sums in shard order and divides once by the scored count ({@link
 * ShardedGradient#finish}). That is the single JVM's computation operation for operation, so the parameters
 * follow its trajectory bit for bit whatever the partitioning. At the start of every epoch the pieces are moved
 * (one shuffle) so that each shard's rows lie together; each batch is then one job, with the parameters
 * broadcast and the shard sums (batch size / shard size of them) brought to the driver. They are added there in
 * shard order rather than by a tree, because the order of the additions is what makes the result the single
 * JVM's.
 *
 * <p>After each epoch the model is re-estimated where the family asks for it ({@link SummedRefit}: an RNN's
 * linear-head variance from summed residuals) and scored on the training data; both sums run over the fixed tree
 * of {@link DyadicSum}, so they do not depend on the partitioning and equal the single JVM's up to the order of
 * the additions. With a checkpoint file the driver's state (parameters, optimiser moments, epoch, trace) is
 * written after every {@link TrainOptions#checkpointEvery()} epochs, and {@link #resume} continues from it.
 *
 * <p>With {@link TrainOptions#validationFraction()} the trainer's split is made here too (the last sequences held
 * out, or with fewer than five sequences the end of each), and {@link EarlyStopping} stops after
 * {@link TrainOptions#patience()} epochs without a better validation loss (the validation log-likelihood per
 * observed step, negated) and keeps the best model, as the single-JVM trainer does.
 */
public final class SparkGradient {

    /**
     * A finished fit: the model kept (with validation data the one of the best validation loss), the training
     * log-likelihood before the first epoch and after each, the validation loss at the same points (empty without
     * validation data), the epochs run, whether early stopping ended them, and the kept model's training
     * log-likelihood.
     */
    public record Result(StateSpaceModel<?, ?> model, double[] trace, double[] validationLosses, int epochs,
            boolean stoppedEarly, double logLikelihood) {
    }

    /** Sees the parameters after every epoch (for progress and tests). */
    @FunctionalInterface
    public interface EpochListener {
        void onEpoch(int epoch, double[] parameters, double logLikelihood);

        EpochListener NONE = (e, p, ll) -> { };
    }

    private static final String KIND = "statespace-spark-gradient";

    private final JavaSparkContext sc;
    private final TrainOptions options;
    private final FitSettings settings;
    private final Path checkpoint;
    private String fingerprint;
    private Path resumedFrom;

    /**
     * @param options    the trainer's options: maxIterations (epochs), seed, optimizer, learningRate, momentum,
     *                   batchSize, chunkLength, clipNorm, checkpointEvery
     * @param checkpoint a file written atomically after every {@code checkpointEvery} epochs, or {@code null}
     */
    public SparkGradient(JavaSparkContext sc, TrainOptions options, FitSettings settings, Path checkpoint) {
        this.sc = sc;
        this.options = options;
        this.settings = settings;
        this.checkpoint = checkpoint;
    }

    /** Trains from {@code start} over {@code data} ({@code count} sequences, positions 0..count-1). */
    public Result fit(JavaRDD<IndexedSequence> data, long count, StateSpaceModel<?, ?> start, EpochListener listener) {
        return run(data, count, start, null, listener);
    }

    /**
     * Continues the training whose state {@code file} holds (a checkpoint this class wrote for the same start,
     * data and options); it ends with the parameters of an uninterrupted run.
     */
    public Result resume(JavaRDD<IndexedSequence> data, long count, StateSpaceModel<?, ?> start, Path file,
            EpochListener listener) {
        resumedFrom = file;
        return run(data, count, start, Json.read(file), listener);
    }

    /** Training and held-out sequences, each numbered 0.. (what {@link DyadicSum} needs). */
    record Split(JavaRDD<IndexedSequence> training, long trainingCount, JavaRDD<IndexedSequence> validation,
            long validationCount) {
    }

    /**
     * The trainer's split of {@code count} sequences with {@code fraction} held out: with five or more sequences
     * the last {@code count - round(count (1 - fraction))} (at least one, and one left to train), else the end of
     * every sequence ({@link org.statespace.data.Dataset#splitInTime}); no validation for fraction 0.
     */
    static Split split(JavaRDD<IndexedSequence> data, long count, double fraction) {
        if (!(fraction > 0)) {
            return new Split(data, count, null, 0);
        }
        double keep = 1 - fraction;
        if (count >= 5) {
            long cut = Math.max(1, Math.min(Math.round(count * keep), count - 1));
            return new Split(data.filter(s -> s.index() < cut), cut,
                    data.filter(s -> s.index() >= cut).map(s -> new IndexedSequence(s.index() - cut, s.sequence())),
                    count - cut);
        }
        // at most four sequences: their lengths on the driver number the held-out ends
        long[] heldIndex = new long[(int) count];
        long held = 0;
        List<Tuple2<Long, Integer>> lengths = new ArrayList<>(data.mapToPair(
                s -> new Tuple2<>(s.index(), s.sequence().length())).collect());
        lengths.sort((a, b) -> Long.compare(a._1(), b._1()));
        for (Tuple2<Long, Integer> t : lengths) {
            int cut = org.statespace.data.Dataset.trainingSteps(t._2(), keep);
            heldIndex[Math.toIntExact(t._1())] = cut == t._2() ? -1 : held++;
        }
        if (held == 0) {
            throw new org.statespace.DataException("cannot hold out data: every sequence has fewer than 2 steps");
        }
        JavaRDD<IndexedSequence> training = data.map(s -> {
            Sequence q = s.sequence();
            int cut = org.statespace.data.Dataset.trainingSteps(q.length(), keep);
            return cut == q.length() ? s : new IndexedSequence(s.index(), q.slice(q.id(), 0, cut));
        });
        JavaRDD<IndexedSequence> validation = data.filter(s -> heldIndex[Math.toIntExact(s.index())] >= 0).map(s -> {
            Sequence q = s.sequence();
            int cut = org.statespace.data.Dataset.trainingSteps(q.length(), keep);
            return new IndexedSequence(heldIndex[Math.toIntExact(s.index())], q.slice(q.id(), cut, q.length()));
        });
        return new Split(training, count, validation, held);
    }

    private Result run(JavaRDD<IndexedSequence> all, long allCount, StateSpaceModel<?, ?> start, JsonNode saved,
            EpochListener listener) {
        Split split = split(all, allCount, options.validationFraction());
        JavaRDD<IndexedSequence> data = split.training();
        long count = split.trainingCount();
        JavaRDD<IndexedSequence> validation = split.validation();
        long validationObserved = validation == null ? 0
                : validation.map(s -> (long) s.sequence().observedSteps()).fold(0L, Long::sum);
        if (!(start instanceof Differentiable model)) {
            throw new SpecException("model", "type", "a " + start.type() + " model is not trained by gradient");
        }
        GradientEvaluator driverEvaluator = model.gradientEvaluator(settings);
        if (!(driverEvaluator instanceof ShardedGradient sharded)) {
            throw new SpecException("model", "type", "a " + start.type() + " model's gradient cannot be split "
                    + "across machines; train it with 'statespace fit'");
        }
        if (!(model.withParameters(model.parameters()) instanceof SummedRefit)) {
            throw new SpecException("model", "type", "a " + start.type() + " model re-estimates from the whole "
                    + "dataset after each epoch; train it with 'statespace fit'");
        }
        fingerprint = fingerprint(start);
        double[] theta = model.parameters();
        GradientBatches.Step step = GradientBatches.Step.of(options, theta.length);
        Broadcast<String> startSpec = sc.broadcast(ModelSpecs.write(start));
        if (settings != FitSettings.NONE && !(settings instanceof Record)) {
            throw new IllegalArgumentException("fit settings of class " + settings.getClass().getName()
                    + " cannot travel to the executors (not a record)");
        }
        // records travel by RecordSerializer; NONE (a lambda) travels as null
        Broadcast<FitSettings> fitSettings = sc.broadcast(settings == FitSettings.NONE ? null : settings);
        int chunkLength = options.chunkLength();
        JavaRDD<IndexedSequence> pieces = data
                .flatMap(s -> GradientBatches.pieces(List.of(s.sequence()), chunkLength).iterator())
                .zipWithIndex().map(t -> new IndexedSequence(t._2(), t._1()));
        pieces.persist(StorageLevel.MEMORY_ONLY());
        try {
            int n = Math.toIntExact(pieces.count());
            int[] lengths = new int[n];
            for (Tuple2<Long, Integer> t : pieces.mapToPair(p -> new Tuple2<>(p.index(), p.sequence().length()))
                    .collect()) {
                lengths[Math.toIntExact(t._1())] = t._2();
            }
            List<Double> trace = new ArrayList<>();
            List<Double> losses = new ArrayList<>();
            EarlyStopping stopper;
            StateSpaceModel<?, ?> current = start;
            int firstEpoch = 1;
            if (saved != null) {
                String source = String.valueOf(resumedFrom);
                current = restore(saved, count, n, theta, step);
                saved.get("trace").forEach(v -> trace.add(Json.doubleValue(v, source, "trace[]")));
                saved.path("validationLosses").forEach(v -> losses.add(Json.doubleValue(v, source, "validationLosses[]")));
                firstEpoch = saved.get("epoch").asInt() + 1;
                JsonNode best = saved.path("stopperBest");
                stopper = EarlyStopping.restored(options.patience(), validation != null,
                        best.isObject() ? ModelSpecs.read(best, source + " (stopperBest)") : null,
                        saved.path("stopperBestLoss").isMissingNode() ? Double.POSITIVE_INFINITY
                                : Json.doubleValue(saved.get("stopperBestLoss"), source, "stopperBestLoss"),
                        saved.path("stopperSinceBest").asInt());
            } else {
                trace.add(logLikelihood(data, count, start));
                stopper = new EarlyStopping(options.patience(), validation != null);
                if (validation != null) {
                    double loss = validationLoss(validation, split.validationCount(), validationObserved, start);
                    losses.add(loss);
                    stopper.offer(start, loss);
                }
            }
            int epochs = options.maxIterations();
            int batch = options.batchSize();
            boolean stoppedEarly = false;
            int epoch;
            for (epoch = firstEpoch; epoch <= epochs; epoch++) {
                int[] order = GradientBatches.order(n, options.seed(), epoch);
                // where every piece goes this epoch: its batch, its shard (numbered across the epoch), its row
                int batches = (n + batch - 1) / batch;
                int[][][] shardsOf = new int[batches][][];
                int[] shardOf = new int[n];
                int[] rowOf = new int[n];
                int shardCount = 0;
                for (int b = 0; b < batches; b++) {
                    int from = b * batch;
                    int size = Math.min(n, from + batch) - from;
                    int[] batchLengths = new int[size];
                    for (int i = 0; i < size; i++) {
                        batchLengths[i] = lengths[order[from + i]];
                    }
                    shardsOf[b] = sharded.shards(batchLengths);
                    for (int[] rows : shardsOf[b]) {
                        for (int r = 0; r < rows.length; r++) {
                            shardOf[order[from + rows[r]]] = shardCount;
                            rowOf[order[from + rows[r]]] = r;
                        }
                        shardCount++;
                    }
                }
                int[] firstShard = new int[batches + 1];
                for (int b = 0; b < batches; b++) {
                    firstShard[b + 1] = firstShard[b] + shardsOf[b].length;
                }
                JavaRDD<Map<Integer, Sequence[]>> placed = place(pieces, shardOf, rowOf);
                try {
                    for (int b = 0; b < batches; b++) {
                        double[] gradient = new double[theta.length];
                        double lossSum = 0;
                        long scored = 0;
                        for (ShardResult r : shardSums(placed, startSpec, fitSettings, theta, firstShard[b],
                                firstShard[b + 1])) {
                            // in shard order, as the single JVM adds them
                            lossSum += r.loss;
                            scored += r.scored;
                            for (int i = 0; i < gradient.length; i++) {
                                gradient[i] += r.gradient[i];
                            }
                        }
                        double loss = sharded.finish(lossSum, scored, gradient);
                        if (!Double.isFinite(loss)) {
                            throw new NumericalException("epoch " + epoch + ": the training loss is " + loss
                                    + " (lower the learning rate or turn on clipping)");
                        }
                        step.apply(theta, gradient);
                    }
                } finally {
                    placed.unpersist(false);
                }
                current = refit(data, count, model, theta);
                double ll = logLikelihood(data, count, current);
                trace.add(ll);
                listener.onEpoch(epoch, theta.clone(), ll);
                if (validation != null) {
                    double loss = validationLoss(validation, split.validationCount(), validationObserved, current);
                    losses.add(loss);
                    stopper.offer(current, loss);
                    if (stopper.shouldStop()) {
                        stoppedEarly = true;
                        break;
                    }
                }
                if (checkpoint != null && epoch % options.checkpointEvery() == 0) {
                    save(current, epoch, theta, step, trace, losses, stopper, count, n);
                }
            }
            StateSpaceModel<?, ?> kept = stopper.best(current);
            double ll = kept == current ? trace.get(trace.size() - 1) : logLikelihood(data, count, kept);
            int ran = stoppedEarly ? epoch : Math.max(epochs, firstEpoch - 1);
            if (!Double.isFinite(ll)) {
                throw new NumericalException("epoch " + ran + ": the training log-likelihood is " + ll);
            }
            return new Result(kept, trace.stream().mapToDouble(Double::doubleValue).toArray(),
                    losses.stream().mapToDouble(Double::doubleValue).toArray(), ran, stoppedEarly, ll);
        } finally {
            pieces.unpersist(false);
            startSpec.destroy();
            fitSettings.destroy();
        }
    }

    /** The pieces moved so that each shard's rows lie in one partition: per partition, shard number → rows. */
    private JavaRDD<Map<Integer, Sequence[]>> place(JavaRDD<IndexedSequence> pieces, int[] shardOf, int[] rowOf) {
        Broadcast<int[]> shards = sc.broadcast(shardOf);
        Broadcast<int[]> rows = sc.broadcast(rowOf);
        JavaPairRDD<Integer, IndexedSequence> keyed = pieces.mapToPair(p -> {
            int i = Math.toIntExact(p.index());
            return new Tuple2<>(shards.value()[i], new IndexedSequence(rows.value()[i], p.sequence()));
        });
        JavaRDD<Map<Integer, Sequence[]>> placed = keyed.partitionBy(new HashPartitioner(pieces.getNumPartitions()))
                .mapPartitions((Iterator<Tuple2<Integer, IndexedSequence>> it) -> {
                    Map<Integer, List<IndexedSequence>> byShard = new HashMap<>();
                    while (it.hasNext()) {
                        Tuple2<Integer, IndexedSequence> t = it.next();
                        byShard.computeIfAbsent(t._1(), k -> new ArrayList<>()).add(t._2());
                    }
                    Map<Integer, Sequence[]> out = new HashMap<>();
                    byShard.forEach((shard, list) -> {
                        Sequence[] ordered = new Sequence[list.size()];
                        for (IndexedSequence s : list) {
                            ordered[Math.toIntExact(s.index())] = s.sequence();
                        }
                        out.put(shard, ordered);
                    });
                    return List.of(out).iterator();
                }, true);
        placed.persist(StorageLevel.MEMORY_ONLY());
        placed.count();
        shards.destroy();
        rows.destroy();
        return placed;
    }

    /** One shard's sums. A plain class, so that Spark's Kryo serializer can move it. */
    static final class ShardResult {
        int shard;
        double loss;
        long scored;
        double[] gradient;
    }

    /** The sums of shards [from, to) at {@code theta}, in shard order. */
    private List<ShardResult> shardSums(JavaRDD<Map<Integer, Sequence[]>> placed, Broadcast<String> startSpec,
            Broadcast<FitSettings> fitSettings, double[] theta, int from, int to) {
        Broadcast<double[]> parameters = sc.broadcast(theta.clone());
        try {
            List<ShardResult> sums = new ArrayList<>(placed.flatMap(part -> {
                List<ShardResult> out = new ArrayList<>();
                ShardedGradient evaluator = null;
                for (int s = from; s < to; s++) {
                    Sequence[] rows = part.get(s);
                    if (rows == null) {
                        continue;
                    }
                    if (evaluator == null) {
                        Differentiable m = (Differentiable) ModelSpecs.parse(startSpec.value(), "model");
                        FitSettings fs = fitSettings.value();
                        evaluator = (ShardedGradient) m.gradientEvaluator(fs == null ? FitSettings.NONE : fs);
                    }
                    ShardResult r = new ShardResult();
                    r.shard = s;
                    r.gradient = new double[parameters.value().length];
                    ShardedGradient.Sum sum = evaluator.shardSum(parameters.value(), Arrays.asList(rows), r.gradient);
                    r.loss = sum.loss();
                    r.scored = sum.scored();
                    out.add(r);
                }
                return out.iterator();
            }).collect());
            sums.sort((a, b) -> Integer.compare(a.shard, b.shard));
            if (sums.size() != to - from) {
                throw new IllegalStateException("expected the sums of " + (to - from) + " shards, got " + sums.size());
            }
            return sums;
        } finally {
            parameters.destroy();
        }
    }

    /** {@code model} with {@code theta}, re-estimated from the summed per-sequence statistics. */
    private StateSpaceModel<?, ?> refit(JavaRDD<IndexedSequence> data, long count, Differentiable model,
            double[] theta) {
        SummedRefit withTheta = (SummedRefit) model.withParameters(theta);
        Broadcast<String> spec = sc.broadcast(ModelSpecs.write((StateSpaceModel<?, ?>) withTheta));
        try {
            double[] summed = sum(data, count, spec, (m, s) -> ((SummedRefit) m).refitStatistics(s));
            return withTheta.withRefit(summed);
        } finally {
            spec.destroy();
        }
    }

    /** The validation loss of {@code model}: its log-likelihood of the held-out data per observed step, negated. */
    private double validationLoss(JavaRDD<IndexedSequence> validation, long count, long observed,
            StateSpaceModel<?, ?> model) {
        return -logLikelihood(validation, count, model) / Math.max(1, observed);
    }

    /** The summed log-likelihood of every sequence under {@code model}. */
    private double logLikelihood(JavaRDD<IndexedSequence> data, long count, StateSpaceModel<?, ?> model) {
        Broadcast<String> spec = sc.broadcast(ModelSpecs.write(model));
        try {
            return sum(data, count, spec,
                    (m, s) -> new double[] {FilterEngine.singleThreaded().run(m, s).logLikelihood()})[0];
        } finally {
            spec.destroy();
        }
    }

    /** A per-sequence statistic of the model a spec gives. */
    interface PerSequence extends java.io.Serializable {
        double[] apply(StateSpaceModel<?, ?> model, Sequence sequence);
    }

    /** The element-wise sum of {@code f} over every sequence, over the fixed tree of {@link DyadicSum}. */
    private static double[] sum(JavaRDD<IndexedSequence> data, long count, Broadcast<String> spec, PerSequence f) {
        List<List<DyadicSum.Node<double[]>>> parts = data.mapPartitions((Iterator<IndexedSequence> it) -> {
            StateSpaceModel<?, ?> m = ModelSpecs.parse(spec.value(), "model");
            DyadicSum<double[]> sum = new DyadicSum<>(SparkGradient::add);
            while (it.hasNext()) {
                IndexedSequence s = it.next();
                sum.add(s.index(), f.apply(m, s.sequence()));
            }
            return List.of(sum.nodes()).iterator();
        }).collect();
        List<DyadicSum.Node<double[]>> nodes = new ArrayList<>();
        parts.forEach(nodes::addAll);
        return DyadicSum.combine(nodes, count, SparkGradient::add);
    }

    private static double[] add(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return a;
    }

    private void save(StateSpaceModel<?, ?> model, int epoch, double[] theta, GradientBatches.Step step,
            List<Double> trace, List<Double> losses, EarlyStopping stopper, long count, int pieces) {
        ObjectNode c = Json.object();
        c.put("kind", KIND);
        c.put("epoch", epoch);
        c.put("sequences", count);
        c.put("pieces", pieces);
        c.put("fingerprint", fingerprint);
        c.set("model", model.toSpec());
        c.set("parameters", Json.vector(theta));
        c.set("first", Json.vector(step.first()));
        c.set("second", Json.vector(step.second()));
        c.put("steps", step.steps());
        ArrayNode t = c.putArray("trace");
        trace.forEach(v -> Json.number(t, v));
        if (!losses.isEmpty()) {
            ArrayNode l = c.putArray("validationLosses");
            losses.forEach(v -> Json.number(l, v));
            if (stopper.bestModel() != null) {
                c.set("stopperBest", stopper.bestModel().toSpec());
            }
            Json.extendedNumber(c, "stopperBestLoss", stopper.bestLoss());
            c.put("stopperSinceBest", stopper.sinceBest());
        }
        AtomicFiles.writeString(checkpoint, Json.write(c));
    }

    /** Loads a checkpoint's parameters and optimiser state; returns its model. */
    private StateSpaceModel<?, ?> restore(JsonNode c, long count, int pieces, double[] theta,
            GradientBatches.Step step) {
        String source = String.valueOf(resumedFrom);
        if (!c.path("kind").asText().equals(KIND)) {
            throw new SpecException(source, "kind", "not a Spark gradient checkpoint (kind '" + c.path("kind").asText()
                    + "')");
        }
        if (c.path("sequences").asLong(-1) != count || c.path("pieces").asInt(-1) != pieces) {
            throw new SpecException(source, "sequences", "the checkpoint was written for " + c.path("sequences").asLong()
                    + " sequences in " + c.path("pieces").asInt() + " pieces, the data have " + count + " in " + pieces);
        }
        if (!c.path("fingerprint").asText().equals(fingerprint)) {
            throw new SpecException(source, "fingerprint", "the checkpoint was written by a fit with another starting "
                    + "model, other options or other settings; resume with the same ones");
        }
        double[] saved = vector(c, "parameters", source);
        if (saved.length != theta.length) {
            throw new SpecException(source, "parameters", "the checkpoint holds " + saved.length + " parameters, the "
                    + "model has " + theta.length);
        }
        System.arraycopy(saved, 0, theta, 0, theta.length);
        try {
            step.restore(vector(c, "first", source), vector(c, "second", source), c.path("steps").asLong());
        } catch (IllegalArgumentException e) {
            throw new SpecException(source, "first", e.getMessage() + " (another optimiser?)");
        }
        return ModelSpecs.read(c.get("model"), source + " (model)");
    }

    /**
     * What a resumed run must share with the run that wrote the checkpoint: the start, the options that shape the
     * steps (all but maxIterations, threads and where checkpoints go) and the family settings, as SHA-256.
     */
    private String fingerprint(StateSpaceModel<?, ?> start) {
        ObjectNode o = options.toJson();
        for (String f : List.of("maxIterations", "threads", "checkpoint", "checkpointEvery")) {
            o.remove(f);
        }
        String text = ModelSpecs.write(start) + Json.write(o) + Json.write(settings.toJson());
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }

    private static double[] vector(JsonNode c, String field, String source) {
        JsonNode a = c.path(field);
        if (!a.isArray()) {
            throw new SpecException(source, field, "missing (not a Spark gradient checkpoint?)");
        }
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Json.doubleValue(a.get(i), source, field + "[" + i + "]");
        }
        return out;
    }
}
