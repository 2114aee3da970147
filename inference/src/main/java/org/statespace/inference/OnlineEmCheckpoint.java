package org.statespace.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.capability.ExpectationMaximization;
import org.statespace.data.Dataset;

/**
 * The state of online EM ({@link OnlineEmLoop}), under {@code "online"} in the file; {@code progress.iteration()}
 * counts finished passes.
 *
 * @param updates    updates made in all
 * @param position   the next batch of the current pass
 * @param statistics the running sufficient statistics
 */
record OnlineEmCheckpoint(CheckpointProgress progress, long updates, int position, double[] statistics)
        implements Checkpoint {

    OnlineEmCheckpoint {
        statistics = statistics.clone();
    }

    @Override
    public TrainOptions.Method method() {
        return TrainOptions.Method.ONLINE_EM;
    }

    @Override
    public double[] statistics() {
        return statistics.clone();
    }

    @Override
    public void writeOwn(ObjectNode o) {
        ObjectNode on = o.putObject("online");
        on.put("updates", updates);
        on.put("position", position);
        on.set("statistics", CheckpointFields.exact(statistics));
    }

    static OnlineEmCheckpoint read(JsonNode o, CheckpointFields f, CheckpointProgress progress) {
        if (!o.has("online")) {
            throw new SpecException(f.source, "online", "missing (an online EM fit's checkpoint holds its running "
                    + "statistics)");
        }
        JsonNode on = f.object(o.get("online"), "online");
        return new OnlineEmCheckpoint(progress, f.whole(on, "online", "updates", 0, Long.MAX_VALUE),
                (int) f.whole(on, "online", "position", 0, Integer.MAX_VALUE),
                f.finite(f.array(on, "online", "statistics"), "online.statistics"));
    }

    @Override
    public void check(TrainOptions options, StateSpaceModel<?, ?> initial, Dataset training) {
        CheckpointFields f = new CheckpointFields(source());
        int max = options.maxIterations();
        StateSpaceModel<?, ?> current = progress.check(f, max, CheckpointProgress.beyondMaxIterations(max),
                progress.iteration() + 1, true, initial, training);
        int pieces = OnlineEmLoop.pieces(training, options.chunkLength()).size();
        int perPass = (pieces + options.online().batchSize() - 1) / options.online().batchSize();
        if (position > perPass) {
            throw f.bad("online.position", Integer.toString(position), "is beyond the " + perPass
                    + " updates of a pass over this data");
        }
        if (updates < position) {
            throw f.bad("online.updates", Long.toString(updates), "is fewer than online.position " + position);
        }
        try {
            ((ExpectationMaximization) current).newStatistics().setFrom(statistics);
        } catch (IllegalArgumentException e) {
            throw f.bad("online.statistics", statistics.length + " values", "do not fit this model's statistics ("
                    + e.getMessage() + ")");
        }
    }
}
