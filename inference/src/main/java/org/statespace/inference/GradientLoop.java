package org.statespace.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.statespace.NumericalException;
import org.statespace.StateSpaceModel;
import org.statespace.capability.Differentiable;
import org.statespace.capability.GradientEvaluator;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * Gradient training ({@link Differentiable}: RNNs): epochs of mini-batch steps by {@link GradientStep} (Adam or SGD
 * with momentum), clipping by global norm. Epoch e shuffles with stream e of the seed, so a run continued from a
 * {@link GradientCheckpoint} (parameters, optimiser moments, epoch) draws what an uninterrupted one would; the
 * gradient evaluator is always built from the starting model.
 */
final class GradientLoop {
    private final FitRun run;

    GradientLoop(FitRun run) {
        this.run = run;
    }

    FitResult fit(StateSpaceModel<?, ?> initial, GradientCheckpoint resume) {
        TrainOptions options = run.options;
        Differentiable model = (Differentiable) initial;
        double[] theta = model.parameters();
        double[] grad = new double[theta.length];
        GradientEvaluator evaluator = model.gradientEvaluator(run.settings);
        GradientStep step = new GradientStep(options.optimizer(), theta.length, options.learningRate(),
                options.momentum());
        FitRun.History history;
        EarlyStopping stopper;
        StateSpaceModel<?, ?> current;
        int firstEpoch;
        if (resume != null) {
            System.arraycopy(resume.parameters(), 0, theta, 0, theta.length);
            System.arraycopy(resume.firstMoment(), 0, step.first, 0, step.first.length);
            System.arraycopy(resume.secondMoment(), 0, step.second, 0, step.second.length);
            step.steps = resume.steps();
            history = run.resumed(resume.progress());
            stopper = run.stopper(resume.progress());
            current = Checkpoint.model(resume.progress().model());
            firstEpoch = resume.progress().iteration() + 1;
        } else {
            history = run.startingAt(initial);
            stopper = run.stopper();
            stopper.offer(initial, history.curve.last().validationLoss());
            current = initial;
            firstEpoch = 1;
        }
        List<Sequence> sequences = chunks(run.training.sequences(), options.chunkLength());
        int n = sequences.size();
        int epochs = options.maxIterations();
        boolean stoppedEarly = false;
        int epoch;
        for (epoch = firstEpoch; epoch <= epochs; epoch++) {
            int[] order = permutation(n, Randoms.stream(options.seed(), epoch));
            for (int from = 0; from < n; from += options.batchSize()) {
                List<Sequence> batch = new ArrayList<>(options.batchSize());
                for (int i = from; i < Math.min(n, from + options.batchSize()); i++) {
                    batch.add(sequences.get(order[i]));
                }
                double loss = evaluator.evaluate(theta, batch, grad);
                if (!Double.isFinite(loss)) {
                    throw new NumericalException("epoch " + epoch + ": the training loss is " + loss
                            + " (lower the learning rate or turn on clipping)");
                }
                GradientStep.clip(grad, options.clipNorm());
                step.apply(theta, grad);
            }
            current = model.withParameters(theta, run.training);
            LearningCurve.Point p = history.add(epoch, run.logLikelihood(current, run.training), current);
            run.listener.onIteration(epoch, epochs, p);
            stopper.offer(current, p.validationLoss());
            if (stopper.shouldStop()) {
                stoppedEarly = true;
                break;
            }
            if (run.checkpointDue(epoch)) {
                run.save(new GradientCheckpoint(run.progress(epoch, current, history, stopper), theta, step.first,
                        step.second, step.steps));
            }
        }
        StateSpaceModel<?, ?> kept = stopper.best(current);
        double finalLl = run.keptLogLikelihood(kept, current, history.last());
        if (!Double.isFinite(finalLl)) {
            throw new NumericalException("epoch " + Math.min(epoch, epochs) + ": the training log-likelihood is "
                    + finalLl);
        }
        return run.result(kept, history, Math.min(epoch, epochs), stoppedEarly, finalLl,
                run.stopWarnings(stoppedEarly, history.values(), "epoch"));
    }

    /** The sequences cut into pieces of at most {@code length} steps (all of them whole when 0). */
    static List<Sequence> chunks(List<Sequence> sequences, int length) {
        if (length <= 0) {
            return sequences;
        }
        List<Sequence> out = new ArrayList<>();
        for (Sequence s : sequences) {
            if (s.length() <= length) {
                out.add(s);
                continue;
            }
            for (int from = 0; from < s.length(); from += length) {
                out.add(s.slice(s.id() + "@" + from, from, Math.min(s.length(), from + length)));
            }
        }
        return out;
    }

    /** Fisher-Yates shuffle of 0..n-1. */
    static int[] permutation(int n, RandomGenerator random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
