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
import org.statespace.capability.SufficientStatistics;
import org.statespace.capability.SymmetryBreaking;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.io.AtomicFiles;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * Expectation-maximisation over a dataset held in Spark partitions, with the family's own kernels: the
 * E-step ({@link ExpectationMaximization#expectation}) runs per partition on the executors, the expected
 * sufficient statistics are summed over a fixed binary tree of the sequences ({@link DyadicSum}, so the
 * answer does not depend on the partitioning), and the M-step ({@link ExpectationMaximization#maximization})
 * runs on the driver. The parameters travel to the executors as the model's spec, broadcast once per
 * iteration. The loop and its stopping rule are the single-JVM trainer's: stop when an iteration raises the
 * log-likelihood by no more than {@code tolerance × |log-likelihood|}, or after {@code maxIterations}
 * M-steps.
 *
 * <p>After every M-step the driver's state (iteration, model, trace) can be written to a checkpoint file,
 * so a killed job resumes where it stopped ({@link #resume}).
 */
public final class SparkEm {

    /** A finished fit: the model, the log-likelihood before each M-step and after the last, and status. */
    public record Result(StateSpaceModel<?, ?> model, double[] trace, int iterations, boolean converged,
            double logLikelihood) {
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

    /**
     * Fits from {@code start}.
     *
     * @throws SpecException when the start is degenerate ({@link SymmetryBreaking}: states EM cannot tell apart
     *         on these data). The single-JVM trainer moves such a start towards a data-driven random draw; that
     *         draw needs the data on one machine, so here the start is refused rather than run to a saddle point
     *         that would pass for convergence.
     */
    public Result fit(JavaRDD<IndexedSequence> data, long count, StateSpaceModel<?, ?> start, FitSettings settings) {
        if (start instanceof SymmetryBreaking) {
            symmetry(data, start).ifPresent(why -> {
                throw new SpecException("model", "start", "the start is degenerate: " + why + ". 'statespace fit' "
                        + "moves such a start part of the way towards a data-driven random draw, which statespace-spark "
                        + "does not make (it would need the data on the driver); give a start whose states differ");
            });
        }
        return run(data, count, start, settings, 0, new ArrayList<>(), Double.NEGATIVE_INFINITY);
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
        StateSpaceModel<?, ?> model = ModelSpecs.read(c.get("model"), source + " (model)");
        List<Double> trace = new ArrayList<>();
        c.path("trace").forEach(v -> trace.add(Json.doubleValue(v, source, "trace[]")));
        double previous = trace.isEmpty() ? Double.NEGATIVE_INFINITY : trace.get(trace.size() - 1);
        return run(data, count, model, settings, c.path("iteration").asInt(), trace, previous);
    }

    private Result run(JavaRDD<IndexedSequence> data, long count, StateSpaceModel<?, ?> start, FitSettings settings,
            int firstUpdate, List<Double> trace, double previousLl) {
        StateSpaceModel<?, ?> model = start;
        int updates = firstUpdate;
        double previous = previousLl;
        boolean converged = false;
        while (true) {
            if (!(model instanceof ExpectationMaximization em)) {
                throw new SpecException("model", "type", "a " + model.type() + " model is not fitted by EM");
            }
            SufficientStatistics stats = expectation(data, count, model);
            double ll = stats.logLikelihood();
            if (!Double.isFinite(ll)) {
                throw new NumericalException("EM iteration " + updates + ": the log-likelihood is " + ll);
            }
            trace.add(ll);
            if (updates > 0 && ll - previous <= tolerance * Math.abs(ll)) {
                converged = true;
                break;
            }
            if (updates >= maxIterations) {
                break;
            }
            previous = ll;
            model = em.maximization(stats, settings);
            updates++;
            if (checkpoint != null) {
                save(model, updates, trace, count);
            }
        }
        return new Result(model, trace.stream().mapToDouble(Double::doubleValue).toArray(), updates, converged,
                trace.get(trace.size() - 1));
    }

    /**
     * The E-step over every sequence: the summed expected statistics of {@code model}, with the summed
     * log-likelihood, the same for every partitioning of the data.
     */
    public SufficientStatistics expectation(JavaRDD<IndexedSequence> data, long count, StateSpaceModel<?, ?> model) {
        Broadcast<String> spec = sc.broadcast(ModelSpecs.write(model));
        try {
            List<List<DyadicSum.Node<SufficientStatistics>>> parts = data.mapPartitions(
                    (Iterator<IndexedSequence> it) -> {
                        ExpectationMaximization em = (ExpectationMaximization) ModelSpecs.parse(spec.value(), "model");
                        DyadicSum<SufficientStatistics> sum = new DyadicSum<>(SparkEm::merge);
                        while (it.hasNext()) {
                            IndexedSequence s = it.next();
                            SufficientStatistics st = em.newStatistics();
                            em.expectation(s.sequence(), st);
                            sum.add(s.index(), st);
                        }
                        return List.of(sum.nodes()).iterator();
                    }).collect();
            List<DyadicSum.Node<SufficientStatistics>> nodes = new ArrayList<>();
            parts.forEach(nodes::addAll);
            return DyadicSum.combine(nodes, count, SparkEm::merge);
        } finally {
            spec.destroy();
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

    private void save(StateSpaceModel<?, ?> model, int iteration, List<Double> trace, long count) {
        ObjectNode c = Json.object();
        c.put("kind", "statespace-spark-em");
        c.put("iteration", iteration);
        c.put("sequences", count);
        c.set("model", model.toSpec());
        ArrayNode t = c.putArray("trace");
        trace.forEach(v -> Json.number(t, v));
        AtomicFiles.writeString(checkpoint, Json.write(c));
    }

    /** Whether {@code file} exists (a resumable job left it). */
    public static boolean exists(Path file) {
        return file != null && Files.exists(file);
    }
}
