package org.statespace.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.capability.ParametricLikelihood;
import org.statespace.data.Dataset;

/**
 * The state of a Nelder-Mead fit ({@link OptimizerLoop}), under {@code "optimizer"} in the file: the best point so
 * far (the simplex is not kept; a resumed fit restarts it there).
 *
 * @param bestPoint the best free parameters so far (on the optimiser's unconstrained scale)
 * @param bestValue their log-likelihood
 * @param pass      the Nelder-Mead pass running (0, or 1: restarted at the first pass's optimum)
 */
record OptimizerCheckpoint(CheckpointProgress progress, double[] bestPoint, double bestValue, int pass)
        implements Checkpoint {

    OptimizerCheckpoint {
        bestPoint = bestPoint.clone();
    }

    @Override
    public TrainOptions.Method method() {
        return TrainOptions.Method.OPTIMIZER;
    }

    @Override
    public double[] bestPoint() {
        return bestPoint.clone();
    }

    @Override
    public void writeOwn(ObjectNode o) {
        ObjectNode opt = o.putObject("optimizer");
        opt.set("bestPoint", CheckpointFields.exact(bestPoint));
        opt.set("bestLogLikelihood", CheckpointFields.number(bestValue));
        opt.put("pass", pass);
    }

    static OptimizerCheckpoint read(JsonNode o, CheckpointFields f, CheckpointProgress progress) {
        if (!o.has("optimizer")) {
            throw new SpecException(f.source, "optimizer", "missing (an optimiser fit's checkpoint holds its best "
                    + "point)");
        }
        JsonNode opt = f.object(o.get("optimizer"), "optimizer");
        return new OptimizerCheckpoint(progress, f.finite(f.array(opt, "optimizer", "bestPoint"), "optimizer.bestPoint"),
                f.numberOrNull(opt, "optimizer", "bestLogLikelihood", Double.NEGATIVE_INFINITY),
                (int) f.whole(opt, "optimizer", "pass", 0, 1));
    }

    @Override
    public void check(TrainOptions options, StateSpaceModel<?, ?> initial, Dataset training) {
        CheckpointFields f = new CheckpointFields(source());
        int max = options.maxIterations();
        // Nelder-Mead runs twice (the second pass restarted at the first's optimum), each pass up to maxIterations;
        // the trace may hold non-finite values (points the optimiser tried)
        progress.check(f, 2 * max, "is beyond this run's limit of " + 2 * max + " iterations (two passes of "
                + "maxIterations " + max + ")", progress.iteration() + 1, false, initial, training);
        f.length(bestPoint, ((ParametricLikelihood) initial).freeParameters().length, "optimizer.bestPoint");
    }
}
