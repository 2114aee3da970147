package org.statespace.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.capability.Differentiable;
import org.statespace.data.Dataset;

/**
 * The state of gradient training ({@link GradientLoop}) after {@code progress.iteration()} epochs, under
 * {@code "gradient"} in the file.
 *
 * @param parameters   the parameter vector θ
 * @param firstMoment  SGD's velocity or Adam's first moment
 * @param secondMoment Adam's second moment (empty for SGD)
 * @param steps        optimiser steps taken (Adam's bias correction)
 */
record GradientCheckpoint(CheckpointProgress progress, double[] parameters, double[] firstMoment,
        double[] secondMoment, long steps) implements Checkpoint {

    GradientCheckpoint {
        parameters = parameters.clone();
        firstMoment = firstMoment.clone();
        secondMoment = secondMoment.clone();
    }

    @Override
    public TrainOptions.Method method() {
        return TrainOptions.Method.GRADIENT;
    }

    @Override
    public double[] parameters() {
        return parameters.clone();
    }

    @Override
    public double[] firstMoment() {
        return firstMoment.clone();
    }

    @Override
    public double[] secondMoment() {
        return secondMoment.clone();
    }

    @Override
    public void writeOwn(ObjectNode o) {
        ObjectNode g = o.putObject("gradient");
        g.set("parameters", CheckpointFields.exact(parameters));
        g.set("firstMoment", CheckpointFields.exact(firstMoment));
        g.set("secondMoment", CheckpointFields.exact(secondMoment));
        g.put("steps", steps);
    }

    static GradientCheckpoint read(JsonNode o, CheckpointFields f, CheckpointProgress progress) {
        if (!o.has("gradient")) {
            throw new SpecException(f.source, "gradient", "missing (a gradient fit's checkpoint holds its parameters "
                    + "and optimiser moments)");
        }
        JsonNode g = f.object(o.get("gradient"), "gradient");
        return new GradientCheckpoint(progress, f.finite(f.array(g, "gradient", "parameters"), "gradient.parameters"),
                f.finite(f.array(g, "gradient", "firstMoment"), "gradient.firstMoment"),
                f.finite(f.array(g, "gradient", "secondMoment"), "gradient.secondMoment"),
                f.whole(g, "gradient", "steps", 0, Long.MAX_VALUE));
    }

    @Override
    public void check(TrainOptions options, StateSpaceModel<?, ?> initial, Dataset training) {
        CheckpointFields f = new CheckpointFields(source());
        int max = options.maxIterations();
        StateSpaceModel<?, ?> current = progress.check(f, max, CheckpointProgress.beyondMaxIterations(max),
                progress.iteration() + 1, true, initial, training);
        int n = ((Differentiable) current).parameters().length;
        f.length(parameters, n, "gradient.parameters");
        f.length(firstMoment, n, "gradient.firstMoment");
        // SGD keeps no second moment
        f.length(secondMoment, options.optimizer() == TrainOptions.Optimizer.ADAM ? n : 0, "gradient.secondMoment");
        for (int i = 0; i < secondMoment.length; i++) {
            if (secondMoment[i] < 0) {
                throw f.bad("gradient.secondMoment[" + i + "]", Double.toString(secondMoment[i]),
                        "is negative (a mean of squared gradients)");
            }
        }
    }
}
