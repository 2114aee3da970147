package org.statespace.inference;

import java.util.List;

import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * The pieces of the trainer's gradient loop ({@code GradientLoop}) that a data-parallel trainer (the Spark module) repeats so that it
 * walks the same batches and takes the same steps: the training pieces, each epoch's batch order, and the
 * optimiser with clipping. Epoch e visits the pieces in the order {@link #order}(n, seed, e) in consecutive
 * batches of {@link TrainOptions#batchSize()}; after each batch the gradient (the mean over the batch's scored
 * observations) is clipped and stepped by {@link Step}.
 */
public final class GradientBatches {
    private GradientBatches() {
    }

    /** The training pieces of sequences: each cut into pieces of at most {@code chunkLength} steps (0: whole). */
    public static List<Sequence> pieces(List<Sequence> sequences, int chunkLength) {
        return GradientLoop.chunks(sequences, chunkLength);
    }

    /** The order in which epoch {@code epoch} (1, 2, ...) visits {@code n} pieces: a permutation of 0..n-1. */
    public static int[] order(int n, long seed, int epoch) {
        return GradientLoop.permutation(n, Randoms.stream(seed, epoch));
    }

    /** The trainer's optimiser (Adam or SGD with momentum, clipping by global norm), with its state exposed. */
    public static final class Step {
        private final GradientStep step;
        private final double clipNorm;

        private Step(GradientStep step, double clipNorm) {
            this.step = step;
            this.clipNorm = clipNorm;
        }

        /** The optimiser {@code options} name, for {@code size} parameters, at rest. */
        public static Step of(TrainOptions options, int size) {
            return new Step(new GradientStep(options.optimizer(), size, options.learningRate(), options.momentum()),
                    options.clipNorm());
        }

        /** Clips {@code gradient} (in place) and moves {@code theta} (in place) by one step. */
        public void apply(double[] theta, double[] gradient) {
            GradientStep.clip(gradient, clipNorm);
            step.apply(theta, gradient);
        }

        /** SGD's velocity or Adam's first moment (a copy). */
        public double[] first() {
            return step.first.clone();
        }

        /** Adam's second moment (a copy; empty for SGD). */
        public double[] second() {
            return step.second.clone();
        }

        /** Steps taken. */
        public long steps() {
            return step.steps;
        }

        /**
         * Restores a state {@link #first}, {@link #second} and {@link #steps} gave.
         *
         * @throws IllegalArgumentException when the moments do not have this optimiser's sizes
         */
        public void restore(double[] first, double[] second, long steps) {
            if (first.length != step.first.length || second.length != step.second.length) {
                throw new IllegalArgumentException("optimiser state of sizes " + first.length + " and " + second.length
                        + ", expected " + step.first.length + " and " + step.second.length);
            }
            System.arraycopy(first, 0, step.first, 0, first.length);
            System.arraycopy(second, 0, step.second, 0, second.length);
            step.steps = steps;
        }
    }
}
