package org.statespace.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.statespace.NumericalException;
import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.capability.ExpectationMaximization;
import org.statespace.capability.FitSettings;
import org.statespace.capability.Initialization;
import org.statespace.capability.SufficientStatistics;
import org.statespace.capability.SymmetryBreaking;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.io.AtomicFiles;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * Expectation-maximisation over a dataset held in Spark partitions, with the family's own kernels: the
 * E-step ({@link ExpectationMaximization#expectation}) runs per partition on the executors, the expected
 * sufficient statistics are summed over a fixed binary tree of the sequences ({@link DyadicSum}, so the
 * answer does not depend on the partitioning), and the M-step ({@link ExpectationMaximization#maximization})
 * runs on the driver. The parameters travel to the executors as the model's spec, broadcast once per
 * iteration. The loop and its stopping rule are the single-JVM trainer's: stop when an iteration raises the
 * objective (the log-likelihood, plus the log-prior when the spec has a prior) by no more than
 * {@code tolerance × |objective|}, or after {@code maxIterations} M-steps.
 *
 * <p><b>Restarts</b> run in parallel: restart r starts from the model's data-driven draw
 * ({@link Initialization}) with the random stream r of the seed, drawn on the driver from counts and rows
 * fetched by index ({@link SparkRows}), so it is the start {@code statespace fit} draws in memory; every pass
 * over the data takes the E-step of every run still going. A degenerate start ({@link SymmetryBreaking}) is
 * moved as the trainer moves it. The best run is kept (by log-posterior with a prior, else log-likelihood; the
 * first of equals).
 *
 * <p>After every pass with an M-step the driver's state (every run's iteration, model, trace) can be written to
 * a checkpoint file, so a killed job resumes where it stopped ({@link #resume}).
 */
public final class SparkEm {

    /**
     * A finished fit: the best run's model, its log-likelihood before each M-step and after the last, its
     * M-steps, whether it converged and its final log-likelihood; the final log-likelihood of every start
     * (restart 0 first); notes (a degenerate start moved).
     */
    public record Result(StateSpaceModel<?, ?> model, double[] trace, int iterations, boolean converged,
            double logLikelihood, double[] restartLogLikelihoods, List<String> notes) {
    }

    private final JavaSparkContext sc;
    private final int maxIterations;
    private final double tolerance;
    private final Path checkpoint;

    /**
     * @param checkpoint a file written atomically after every iteration, or {@code null}
     */
    public SparkEm(JavaSparkContext sc, int maxIterations, double tolerance, Path checkpoint) {
        if (maxIterations < 0) {
            throw new IllegalArgumentException("maxIterations " + maxIterations + " is negative");
        }
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("tolerance " + tolerance + " is not a non-negative number");
        }
        this.sc = sc;
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
        this.checkpoint = checkpoint;
    }

    /** Fits from {@code start} alone (no restarts, seed 0 for moving a degenerate start). */
    public Result fit(JavaRDD<IndexedSequence> data, long count, StateSpaceModel<?, ?> start, FitSettings settings) {
        return fit(data, count, start, settings, 0, 0);
    }

    /**
     * Fits from {@code start} and from {@code restarts} data-driven starts drawn with {@code seed}, as the
     * single-JVM trainer does with the same options.
     *
     * @throws SpecException when restarts are asked of a model that cannot draw starts
     */
    public Result fit(JavaRDD<IndexedSequence> data, long count, StateSpaceModel<?, ?> start, FitSettings settings,
            int restarts, long seed) {
        if (restarts < 0) {
            throw new IllegalArgumentException("restarts " + restarts + " is negative");
        }
        if (restarts > 0 && !(start instanceof Initialization)) {
            throw new SpecException("fit options", "restarts", "a " + start.type()
                    + " model cannot draw starting points, so it cannot restart; give restarts 0");
        }
        SparkRows rows = new SparkRows(sc, data, count, start.observationSpace().dimension(),
                start.observationSpace().inputDimension());
        List<Run> runs = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int r = 0; r <= restarts; r++) {
            StateSpaceModel<?, ?> s = r == 0 ? start
                    : ((Initialization) start).initialize(rows, Randoms.stream(seed, r), settings);
            if (s instanceof SymmetryBreaking sb) {
                Optional<String> why = symmetry(data, s);
                if (why.isPresent()) {
                    s = sb.brokenSymmetry(rows, Randoms.stream(seed, SymmetryBreaking.MOVE_STREAM - r), settings);
                    notes.add((r == 0 ? "the start" : "the start of restart " + r) + " was degenerate, " + why.get()
                            + "; EM started instead from it moved part of the way towards a data-driven random start "
                            + "(seed " + seed + ")");
                }
            }
            runs.add(new Run(r, s));
        }
        return run(data, count, runs, settings, seed, notes);
    }

    /** Continues the fit whose state {@code file} holds (a checkpoint this class wrote). */
    public Result resume(JavaRDD<IndexedSequence> data, long count, Path file, FitSettings settings) {
        JsonNode c = Json.read(file);
        String source = file.toString();
        if (!c.path("kind").asText().equals("statespace-spark-em")) {
            throw new SpecException(source, "kind", "not a Spark EM checkpoint (kind '" + c.path("kind").asText() + "')");
        }
        if (c.path("sequences").asLong(-1) != count) {
            throw new SpecException(source, "sequences", "the checkpoint was written for " + c.path("sequences").asLong()
                    + " sequences, the data have " + count);
        }
        List<Run> runs = new ArrayList<>();
        for (JsonNode r : c.path("runs")) {
            runs.add(runFromJson(r, source));
        }
        if (runs.isEmpty()) {
            throw new SpecException(source, "runs", "the checkpoint holds no run");
        }
        List<String> notes = new ArrayList<>();
        c.path("notes").forEach(n -> notes.add(n.asText()));
        return run(data, count, runs, settings, c.path("seed").asLong(), notes);
    }

    /** The restarts and seed a checkpoint was written with (to check them against a resumed job's options). */
    public static long[] restartsAndSeed(Path file) {
        JsonNode c = Json.read(file);
        return new long[] {c.path("runs").size() - 1, c.path("seed").asLong()};
    }

    private Result run(JavaRDD<IndexedSequence> data, long count, List<Run> runs, FitSettings settings, long seed,
            List<String> notes) {
        while (true) {
            List<Run> going = runs.stream().filter(r -> !r.finished).toList();
            if (going.isEmpty()) {
                break;
            }
            List<SufficientStatistics> stats = expectation(data, count, going.stream().map(r -> r.model).toList());
            boolean stepped = false;
            for (int i = 0; i < going.size(); i++) {
                stepped |= going.get(i).step(stats.get(i), settings);
            }
            if (checkpoint != null && stepped) {
                save(runs, count, seed, notes);
            }
        }
        Run best = null;
        for (Run r : runs) {
            if (best == null || r.betterThan(best)) {
                best = r;
            }
        }
        double[] finals = runs.stream().mapToDouble(Run::logLikelihood).toArray();
        return new Result(best.model, best.trace.stream().mapToDouble(Double::doubleValue).toArray(), best.updates,
                best.converged, best.logLikelihood(), finals, List.copyOf(notes));
    }

    /** One EM run's state between passes: the model to take the next E-step on, its M-steps and traces. */
    private final class Run {
        final int restart;
        StateSpaceModel<?, ?> model;
        int updates;
        final List<Double> trace = new ArrayList<>();
        final List<Double> posterior = new ArrayList<>();
        boolean converged;
        boolean finished;

        Run(int restart, StateSpaceModel<?, ?> start) {
            this.restart = restart;
            this.model = start;
        }

        /** Takes the pass's statistics of this run's model: stops, or makes an M-step (then true). */
        boolean step(SufficientStatistics stats, FitSettings settings) {
            ExpectationMaximization em = (ExpectationMaximization) model;
            String at = "EM iteration " + updates + (restart > 0 ? " of restart " + restart : "");
            double ll = stats.logLikelihood();
            if (!Double.isFinite(ll)) {
                throw new NumericalException(at + ": the log-likelihood is " + ll);
            }
            double previous = previous();
            double objective = ll;
            if (em.hasPrior()) {
                objective = ll + em.logPrior();
                if (!Double.isFinite(objective)) {
                    throw new NumericalException(at + ": the log-prior is " + em.logPrior());
                }
                posterior.add(objective);
            }
            trace.add(ll);
            if (updates > 0 && objective - previous <= tolerance * Math.abs(objective)) {
                converged = true;
                finished = true;
                return false;
            }
            if (updates >= maxIterations) {
                finished = true;
                return false;
            }
            model = em.maximization(stats, settings);
            updates++;
            return true;
        }

        // the objective of the last E-step (before this run's model), -inf before the first
        private double previous() {
            List<Double> o = posterior.isEmpty() ? trace : posterior;
            return o.isEmpty() ? Double.NEGATIVE_INFINITY : o.get(o.size() - 1);
        }

        double logLikelihood() {
            return trace.get(trace.size() - 1);
        }

        boolean betterThan(Run other) {
            if (model instanceof ExpectationMaximization a && a.hasPrior()
                    && other.model instanceof ExpectationMaximization b && b.hasPrior()) {
                return logLikelihood() + a.logPrior() > other.logLikelihood() + b.logPrior();
            }
            return logLikelihood() > other.logLikelihood();
        }

        /**
         * The state a resumed job continues from: a converged run whole, any other one as it was before its
         * next E-step (a run stopped at the iteration limit takes that E-step again, and goes on under a higher
         * limit).
         */
        ObjectNode toJson() {
            ObjectNode o = Json.object();
            o.put("restart", restart);
            o.put("iteration", updates);
            o.put("converged", converged);
            o.set("model", model.toSpec());
            int kept = converged ? trace.size() : updates;
            ArrayNode t = o.putArray("trace");
            trace.subList(0, kept).forEach(v -> Json.number(t, v));
            if (!posterior.isEmpty()) {
                ArrayNode p = o.putArray("posteriorTrace");
                posterior.subList(0, kept).forEach(v -> Json.number(p, v));
            }
            return o;
        }
    }

    private Run runFromJson(JsonNode o, String source) {
        String at = "runs[" + o.path("restart").asInt() + "]";
        Run r = new Run(o.path("restart").asInt(), ModelSpecs.read(o.get("model"), source + " (" + at + ".model)"));
        r.updates = o.path("iteration").asInt();
        o.path("trace").forEach(v -> r.trace.add(Json.doubleValue(v, source, at + ".trace[]")));
        o.path("posteriorTrace").forEach(v -> r.posterior.add(Json.doubleValue(v, source, at + ".posteriorTrace[]")));
        r.converged = o.path("converged").asBoolean();
        r.finished = r.converged;
        return r;
    }

    /**
     * The E-step over every sequence: the summed expected statistics of {@code model}, with the summed
     * log-likelihood, the same for every partitioning of the data.
     */
    public SufficientStatistics expectation(JavaRDD<IndexedSequence> data, long count, StateSpaceModel<?, ?> model) {
        return expectation(data, count, List.of(model)).get(0);
    }

    /**
     * The E-steps of several models in one pass over the data: for each, the statistics
     * {@link #expectation(JavaRDD, long, StateSpaceModel)} gives.
     */
    public List<SufficientStatistics> expectation(JavaRDD<IndexedSequence> data, long count,
            List<? extends StateSpaceModel<?, ?>> models) {
        Broadcast<List<String>> specs = sc.broadcast(models.stream().map(ModelSpecs::write).toList());
        int m = models.size();
        try {
            List<List<List<DyadicSum.Node<SufficientStatistics>>>> parts = data.mapPartitions(
                    (Iterator<IndexedSequence> it) -> {
                        List<ExpectationMaximization> ems = new ArrayList<>();
                        List<DyadicSum<SufficientStatistics>> sums = new ArrayList<>();
                        for (String spec : specs.value()) {
                            ems.add((ExpectationMaximization) ModelSpecs.parse(spec, "model"));
                            sums.add(new DyadicSum<>(SparkEm::merge));
                        }
                        while (it.hasNext()) {
                            IndexedSequence s = it.next();
                            for (int i = 0; i < ems.size(); i++) {
                                SufficientStatistics st = ems.get(i).newStatistics();
                                ems.get(i).expectation(s.sequence(), st);
                                sums.get(i).add(s.index(), st);
                            }
                        }
                        List<List<DyadicSum.Node<SufficientStatistics>>> nodes = new ArrayList<>();
                        sums.forEach(sum -> nodes.add(sum.nodes()));
                        return List.of(nodes).iterator();
                    }).collect();
            List<SufficientStatistics> out = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                List<DyadicSum.Node<SufficientStatistics>> nodes = new ArrayList<>();
                for (List<List<DyadicSum.Node<SufficientStatistics>>> part : parts) {
                    nodes.addAll(part.get(i));
                }
                out.add(DyadicSum.combine(nodes, count, SparkEm::merge));
            }
            return out;
        } finally {
            specs.destroy();
        }
    }

    /**
     * {@link SymmetryBreaking#symmetry} over the whole dataset, asked of every partition's sequences: the states
     * are interchangeable on all the data when they are on every part (the HMM's test is a condition on every
     * observed step), so the answer is a partition's reason when every partition that holds sequences gives one.
     */
    static Optional<String> symmetry(JavaRDD<IndexedSequence> data, StateSpaceModel<?, ?> model) {
        String spec = ModelSpecs.write(model);
        List<String> reasons = data.mapPartitions((Iterator<IndexedSequence> it) -> {
            List<Sequence> part = new ArrayList<>();
            it.forEachRemaining(s -> part.add(s.sequence()));
            if (part.isEmpty()) {
                return List.<String>of().iterator();
            }
            SymmetryBreaking sb = (SymmetryBreaking) ModelSpecs.parse(spec, "model");
            return List.of(sb.symmetry(Dataset.of(part)).orElse("")).iterator();
        }).collect();
        if (reasons.isEmpty() || reasons.stream().anyMatch(String::isEmpty)) {
            return Optional.empty();
        }
        return Optional.of(reasons.get(0));
    }

    private static SufficientStatistics merge(SufficientStatistics a, SufficientStatistics b) {
        a.merge(b);
        return a;
    }

    private void save(List<Run> runs, long count, long seed, List<String> notes) {
        ObjectNode c = Json.object();
        c.put("kind", "statespace-spark-em");
        c.put("sequences", count);
        c.put("seed", seed);
        ArrayNode rs = c.putArray("runs");
        runs.forEach(r -> rs.add(r.toJson()));
        ArrayNode ns = c.putArray("notes");
        notes.forEach(ns::add);
        AtomicFiles.writeString(checkpoint, Json.write(c));
    }

    /** Whether {@code file} exists (a resumable job left it). */
    public static boolean exists(Path file) {
        return file != null && Files.exists(file);
    }
}
