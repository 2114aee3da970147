package org.statespace.inference;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;

/**
 * The state of a batch EM fit ({@link EmLoop}): the shared part (one trace entry per E-step, so {@code iteration}
 * of them before the next) and the restarts.
 *
 * @param restart          the restart running (0: the given start)
 * @param finishedRestarts restarts finished before it, each {model, logLikelihood, curve, trace, iterations,
 *                         converged} ({@code posteriorTrace} too with a prior)
 * @param previous         the objective (log-likelihood, or log-posterior with a prior) of the last E-step
 * @param posteriorTrace   with a prior: the log-posterior after each E-step (empty otherwise)
 */
record EmCheckpoint(CheckpointProgress progress, int restart, List<ObjectNode> finishedRestarts, double previous,
        List<Double> posteriorTrace) implements Checkpoint {

    EmCheckpoint {
        finishedRestarts = List.copyOf(finishedRestarts);
        posteriorTrace = List.copyOf(posteriorTrace);
    }

    @Override
    public TrainOptions.Method method() {
        return TrainOptions.Method.EM;
    }

    @Override
    public void writeOwn(ObjectNode o) {
        o.put("restart", restart);
        ArrayNode done = o.putArray("finishedRestarts");
        finishedRestarts.forEach(done::add);
        o.set("previousLogLikelihood", CheckpointFields.number(previous));
        if (!posteriorTrace.isEmpty()) {
            o.set("posteriorTrace", CheckpointFields.vector(posteriorTrace));
        }
    }

    static EmCheckpoint read(JsonNode o, CheckpointFields f, CheckpointProgress progress) {
        int restart = (int) f.whole(o, "", "restart", 0, Integer.MAX_VALUE);
        JsonNode done = f.array(o, "", "finishedRestarts");
        List<ObjectNode> finished = new ArrayList<>();
        for (int i = 0; i < done.size(); i++) {
            finished.add(f.object(done.get(i), "finishedRestarts[" + i + "]"));
        }
        double previous = f.numberOrNull(o, "", "previousLogLikelihood", Double.NEGATIVE_INFINITY);
        List<Double> posterior = o.has("posteriorTrace")
                ? f.numbersOrNulls(f.array(o, "", "posteriorTrace"), "posteriorTrace") : List.of();
        return new EmCheckpoint(progress, restart, finished, previous, posterior);
    }

    @Override
    public void check(TrainOptions options, StateSpaceModel<?, ?> initial, Dataset training) {
        CheckpointFields f = new CheckpointFields(source());
        int max = options.maxIterations();
        progress.check(f, max, CheckpointProgress.beyondMaxIterations(max), progress.iteration(), true, initial,
                training);
        if (restart > options.restarts()) {
            throw f.bad("restart", Integer.toString(restart), "is beyond this run's restarts "
                    + options.restarts() + " (restart 0 is the given start, 1 to restarts the drawn ones)");
        }
        if (finishedRestarts.size() != restart) {
            throw f.bad("finishedRestarts", finishedRestarts.size() + " entries", "do not match restart "
                    + restart + " (expected " + restart + ")");
        }
        for (int i = 0; i < finishedRestarts.size(); i++) {
            f.finishedRestart(finishedRestarts.get(i), "finishedRestarts[" + i + "]", initial, training, max);
        }
    }
}
