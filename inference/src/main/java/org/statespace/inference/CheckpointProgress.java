package org.statespace.inference;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;

/**
 * The part of a {@link Checkpoint} every method shares, and its codec.
 *
 * @param source          the file it was read from (empty for one being written)
 * @param fingerprint     {@link Checkpoint#fingerprint} of the fit that wrote it
 * @param iteration       iterations (EM updates, epochs, optimiser iterations, online EM passes) completed in the
 *                        current run
 * @param model           the model to continue from, as its spec
 * @param trace           the training log-likelihood per iteration so far
 * @param curve           the learning curve so far
 * @param stopperBest     early stopping's best model so far (its spec), or {@code null}
 * @param stopperBestLoss its validation loss
 * @param stopperSinceBest iterations since it
 */
record CheckpointProgress(String source, String fingerprint, int iteration, ObjectNode model, List<Double> trace,
        LearningCurve curve, ObjectNode stopperBest, double stopperBestLoss, int stopperSinceBest) {

    CheckpointProgress {
        trace = List.copyOf(trace);
        curve = new LearningCurve(curve.points());
    }

    void writeTo(ObjectNode o) {
        o.put("fingerprint", fingerprint);
        o.put("iteration", iteration);
        o.set("model", model);
        o.set("trace", CheckpointFields.vector(trace));
        o.set("curve", curve.toJson());
        ObjectNode stopper = o.putObject("earlyStopping");
        if (stopperBest != null) {
            stopper.set("bestModel", stopperBest);
        }
        stopper.set("bestLoss", CheckpointFields.number(stopperBestLoss));
        stopper.put("sinceBest", stopperSinceBest);
    }

    static CheckpointProgress read(JsonNode o, CheckpointFields f) {
        String fingerprint = f.text(o, "", "fingerprint");
        int iteration = (int) f.whole(o, "", "iteration", 0, Integer.MAX_VALUE);
        ObjectNode model = f.object(f.field(o, "", "model"), "model");
        List<Double> trace = f.numbersOrNulls(f.array(o, "", "trace"), "trace");
        LearningCurve curve = f.curve(f.field(o, "", "curve"), "curve");
        JsonNode stopper = f.object(f.field(o, "", "earlyStopping"), "earlyStopping");
        ObjectNode best = stopper.has("bestModel") ? f.object(stopper.get("bestModel"), "earlyStopping.bestModel") : null;
        double bestLoss = f.numberOrNull(stopper, "earlyStopping", "bestLoss", Double.POSITIVE_INFINITY);
        int sinceBest = (int) f.whole(stopper, "earlyStopping", "sinceBest", 0, Integer.MAX_VALUE);
        return new CheckpointProgress(f.source, fingerprint, iteration, model, trace, curve, best, bestLoss, sinceBest);
    }

    /**
     * Checks the shared part against the fit that resumes: the iteration within {@code limit} ({@code limitProblem}
     * says why when it is beyond), {@code expectedTrace} trace entries and curve points, the trace finite when
     * {@code finiteTrace}, early stopping's count within the iterations done, the models of the starting model's
     * type and size. Returns the model to continue from.
     */
    StateSpaceModel<?, ?> check(CheckpointFields f, int limit, String limitProblem, int expectedTrace,
            boolean finiteTrace, StateSpaceModel<?, ?> initial, Dataset training) {
        if (iteration > limit) {
            throw f.bad("iteration", Integer.toString(iteration), limitProblem);
        }
        if (trace.size() != expectedTrace) {
            throw f.bad("trace", trace.size() + " entries", "do not match iteration " + iteration + " (expected "
                    + expectedTrace + ")");
        }
        if (curve.points().size() != expectedTrace) {
            throw f.bad("curve", curve.points().size() + " points", "do not match iteration " + iteration
                    + " (expected " + expectedTrace + ")");
        }
        if (finiteTrace) {
            for (int i = 0; i < trace.size(); i++) {
                if (!Double.isFinite(trace.get(i))) {
                    throw f.bad("trace[" + i + "]", "null", "expected a finite log-likelihood");
                }
            }
        }
        if (stopperSinceBest > iteration) {
            throw f.bad("earlyStopping.sinceBest", Integer.toString(stopperSinceBest), "is more than the iterations done ("
                    + iteration + ")");
        }
        StateSpaceModel<?, ?> current = f.model(model, "model", initial, training);
        if (stopperBest != null) {
            f.model(stopperBest, "earlyStopping.bestModel", initial, training);
        }
        return current;
    }

    /** The standard limit: the run's maxIterations. */
    static String beyondMaxIterations(int max) {
        return "is beyond this run's maxIterations " + max;
    }
}
