package org.statespace.inference;

import org.statespace.spec.Field;
import org.statespace.spec.Fields;
import org.statespace.spec.Shape;

/**
 * The declared fit options the trainer reads ({@link TrainOptions#KEYS}): {@link FitConfiguration} checks
 * field names against these plus the family's {@link org.statespace.spec.ModelType#fitFields}, and the
 * JSON Schema of fit options is generated from the same declarations.
 */
public final class TrainFields {
    private TrainFields() {
    }

    /** The trainer's options (defaults as {@link TrainOptions#defaults()}). */
    public static final Fields FIELDS = Fields.of("fit options", "Options of every fit (`fit --options`, a study "
            + "model's `fit`), followed by the family's own settings below.",
            Field.optional("method", Shape.choice("auto", "closed-form", "em", "optimizer", "gradient", "online-em"),
                    "how to fit; auto: the model's own way (closed form, EM, optimiser, gradient, in that order); "
                    + "online-em: stepwise EM over pieces of the data (never chosen by auto)")
                    .withDefault("\"auto\""),
            Field.optional("maxIterations", Shape.integer(1, 100_000_000), "EM or optimiser iterations, or gradient "
                    + "epochs").withDefault("100"),
            Field.optional("epochs", Shape.integer(1, 100_000_000), "the same as maxIterations (give one of them)")
                    .example("50"),
            Field.optional("tolerance", Shape.numberAtLeast(0), "stop when the log-likelihood improves by less "
                    + "than this, relative to its size").withDefault("1e-8"),
            Field.optional("restarts", Shape.integer(0, 10_000), "extra runs from seeded data-driven starts; the "
                    + "best is kept").withDefault("0"),
            Field.optional("seed", Shape.integer(), "seeds restarts, shuffling and other randomness").withDefault("0"),
            Field.optional("optimizer", Shape.choice(TrainOptions.Optimizer.names().toArray(new String[0])), "gradient optimiser").withDefault("\"adam\""),
            Field.optional("learningRate", Shape.positive(), "gradient step size").withDefault("0.01"),
            Field.optional("momentum", Shape.range(0, true, 1, false), "SGD momentum").withDefault("0.9"),
            Field.optional("batchSize", Shape.integer(1, 1_000_000), "sequences per gradient step").withDefault("16"),
            Field.optional("chunkLength", Shape.integer(0, 100_000_000), "gradient training cuts sequences into "
                    + "pieces of at most this many steps; 0 keeps them whole").withDefault("0"),
            Field.optional("clipNorm", Shape.numberAtLeast(0), "gradient norm clipping; 0 turns it off")
                    .withDefault("5"),
            Field.optional("validationFraction", Shape.range(0, true, 1, false), "the end of each training sequence "
                    + "held out for early stopping when no validation data is given").withDefault("0"),
            Field.optional("patience", Shape.integer(0, 1_000_000), "iterations without a better validation loss "
                    + "before stopping; 0 never stops early").withDefault("10"),
            Field.optional("checkpointEvery", Shape.integer(1, 1_000_000), "iterations between checkpoints")
                    .withDefault("1"),
            Field.optional("stepExponent", Shape.range(0.5, false, 1, true), "online EM: the step sizes are "
                    + "(k + stepOffset)^-stepExponent").withDefault("0.6"),
            Field.optional("stepOffset", Shape.numberAtLeast(0), "online EM: t0 in the step sizes (k + t0)^-stepExponent")
                    .withDefault("2"),
            Field.optional("warmUp", Shape.integer(0, 100_000_000), "online EM: updates gathered before the first "
                    + "M-step").withDefault("1"));
}
