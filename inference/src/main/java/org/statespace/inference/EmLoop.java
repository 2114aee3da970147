package org.statespace.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.capability.ExpectationMaximization;
import org.statespace.capability.Initialization;
import org.statespace.capability.SufficientStatistics;
import org.statespace.capability.SymmetryBreaking;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;

/**
 * Batch EM ({@link ExpectationMaximization}: Baum-Welch, Shumway-Stoffer), E-steps in parallel over sequences, with
 * {@link TrainOptions#restarts()} restarts from {@link Initialization} (the best kept: by validation loss, else
 * log-posterior with a prior, else log-likelihood). A degenerate start ({@link SymmetryBreaking}) is moved first.
 * Its checkpoint ({@link EmCheckpoint}) holds the running restart and the finished ones.
 */
final class EmLoop {
    /** Random streams {@code SYMMETRY_STREAM - r} of the seed move a degenerate start of restart r. */
    static final long SYMMETRY_STREAM = SymmetryBreaking.MOVE_STREAM;

    private final FitRun run;

    EmLoop(FitRun run) {
        this.run = run;
    }

    FitResult fit(StateSpaceModel<?, ?> initial, EmCheckpoint resume) {
        TrainOptions options = run.options;
        FitResult best = null;
        List<String> notes = new ArrayList<>();
        List<Double> finals = new ArrayList<>();
        List<ObjectNode> finished = new ArrayList<>();
        int first = 0;
        if (resume != null) {
            if (initial instanceof SymmetryBreaking sb) {
                // restart 0 ran from the moved start before the checkpoint; say again why it was moved
                sb.symmetry(run.training).ifPresent(why -> notes.add(run.symmetryNote(0, why)));
            }
            for (ObjectNode r : resume.finishedRestarts()) {
                FitResult done = restartFromJson(r);
                finished.add(r);
                finals.add(done.logLikelihood());
                if (best == null || betterThan(done, best)) {
                    best = done;
                }
            }
            first = resume.restart();
        }
        for (int r = first; r <= options.restarts(); r++) {
            FitResult result;
            if (resume != null && r == resume.restart()) {
                result = from(Checkpoint.model(resume.progress().model()), r, finished, resume);
            } else {
                StateSpaceModel<?, ?> start = initial;
                if (r > 0) {
                    if (!(initial instanceof Initialization init)) {
                        throw new SpecException("", "fit.restarts", "a " + initial.type()
                                + " model cannot draw starting points, so it cannot restart");
                    }
                    RandomGenerator random = Randoms.stream(options.seed(), r);
                    start = init.initialize(run.training, random, run.settings);
                }
                if (start instanceof SymmetryBreaking sb) {
                    var why = sb.symmetry(run.training);
                    if (why.isPresent()) {
                        start = sb.brokenSymmetry(run.training, Randoms.stream(options.seed(), SYMMETRY_STREAM - r),
                                run.settings);
                        notes.add(run.symmetryNote(r, why.get()));
                    }
                }
                result = from(start, r, finished, null);
            }
            finished.add(restartToJson(result));
            finals.add(result.logLikelihood());
            if (best == null || betterThan(result, best)) {
                best = result;
            }
        }
        double[] restartValues = finals.stream().mapToDouble(Double::doubleValue).toArray();
        notes.addAll(run.stopWarnings(best.converged(), best.logLikelihoodTrace(), "iteration"));
        if (initial instanceof ExpectationMaximization em) {
            notes.addAll(em.fitNotes(run.training));
        }
        return new FitResult(best.model(), best.method(), best.curve(), best.logLikelihoodTrace(),
                best.iterations(), best.converged(), best.logLikelihood(), run.observations, restartValues, run.seconds(),
                options, run.settings, notes, best.logPosteriorTrace(), best.logPrior());
    }

    /**
     * One EM run from {@code start} (restart {@code restart}), or from the state of {@code from}. The
     * loop's state between iterations (the model to take the next E-step on, the updates made, the
     * last log-likelihood, trace, curve and early stopping) is what a checkpoint holds.
     */
    private FitResult from(StateSpaceModel<?, ?> start, int restart, List<ObjectNode> finished, EmCheckpoint from) {
        TrainOptions options = run.options;
        StateSpaceModel<?, ?> model = start;
        FitRun.History history = from == null ? run.empty() : run.resumed(from.progress());
        // with a prior EM maximises the log-posterior: it is traced beside the log-likelihood and ends the fit
        List<Double> posterior = from == null ? new ArrayList<>() : new ArrayList<>(from.posteriorTrace());
        double previous = from == null ? Double.NEGATIVE_INFINITY : from.previous();
        boolean converged = false;
        int updates = from == null ? 0 : from.progress().iteration();
        EarlyStopping stopper = from == null ? run.stopper() : run.stopper(from.progress());
        int max = options.maxIterations();
        while (true) {
            if (!(model instanceof ExpectationMaximization em)) {
                throw new IllegalStateException(model.type() + " lost its EM capability");
            }
            SufficientStatistics stats = expectation(em, run.training.sequences(), options.threads());
            double ll = stats.logLikelihood();
            double objective = EmStopping.objective(em, ll, updates);
            if (em.hasPrior()) {
                posterior.add(objective);
            }
            LearningCurve.Point p = history.add(updates, ll, model);
            if (updates > 0) {
                run.listener.onIteration(updates, max, p);
            }
            stopper.offer(model, p.validationLoss());
            if (EmStopping.converged(updates, objective, previous, options.tolerance())) {
                converged = true;
                break;
            }
            if (stopper.shouldStop()) {
                converged = true;
                break;
            }
            if (updates >= max) {
                break;
            }
            previous = objective;
            model = em.maximization(stats, run.settings);
            updates++;
            if (run.checkpointDue(updates)) {
                run.save(new EmCheckpoint(run.progress(updates, model, history, stopper), restart, finished, previous,
                        posterior));
            }
        }
        StateSpaceModel<?, ?> kept = stopper.best(model);
        double finalLl = run.keptLogLikelihood(kept, model, history.last());
        double logPrior = kept instanceof ExpectationMaximization e && e.hasPrior() ? e.logPrior() : Double.NaN;
        return new FitResult(kept, TrainOptions.Method.EM, history.curve, history.values(), updates, converged, finalLl,
                run.observations, new double[] {finalLl}, run.seconds(), options, run.settings, List.of(),
                posterior.stream().mapToDouble(Double::doubleValue).toArray(), logPrior);
    }

    private boolean betterThan(FitResult a, FitResult b) {
        if (run.validation != null) {
            double va = a.curve().points().stream().mapToDouble(LearningCurve.Point::validationLoss).min().orElse(Double.NaN);
            double vb = b.curve().points().stream().mapToDouble(LearningCurve.Point::validationLoss).min().orElse(Double.NaN);
            if (!Double.isNaN(va) && !Double.isNaN(vb)) {
                return va < vb;
            }
        }
        if (a.hasPrior() && b.hasPrior()) {
            return a.logPosterior() > b.logPosterior();   // MAP EM: the best restart is the best posterior
        }
        return a.logLikelihood() > b.logLikelihood();
    }

    /** A finished restart as {@link EmCheckpoint#finishedRestarts()} holds it. */
    private static ObjectNode restartToJson(FitResult r) {
        ObjectNode o = Json.object();
        o.set("model", r.model().toSpec());
        Json.extendedNumber(o, "logLikelihood", r.logLikelihood());
        o.set("curve", r.curve().toJson());
        o.set("trace", Json.vector(r.logLikelihoodTrace()));
        if (r.hasPrior()) {
            o.set("posteriorTrace", Json.vector(r.logPosteriorTrace()));
        }
        o.put("iterations", r.iterations());
        o.put("converged", r.converged());
        return o;
    }

    private FitResult restartFromJson(ObjectNode o) {
        double[] trace = new double[o.get("trace").size()];
        for (int i = 0; i < trace.length; i++) {
            trace[i] = o.get("trace").get(i).asDouble();
        }
        double ll = Json.doubleValue(o.get("logLikelihood"), "checkpoint", "finishedRestarts[].logLikelihood");
        StateSpaceModel<?, ?> m = Checkpoint.model((ObjectNode) o.get("model"));
        double[] posterior = new double[o.path("posteriorTrace").size()];
        for (int i = 0; i < posterior.length; i++) {
            posterior[i] = o.get("posteriorTrace").get(i).asDouble();
        }
        double logPrior = m instanceof ExpectationMaximization e && e.hasPrior() ? e.logPrior() : Double.NaN;
        return new FitResult(m, TrainOptions.Method.EM, LearningCurve.fromJson(o.get("curve")), trace,
                o.get("iterations").asInt(), o.get("converged").asBoolean(), ll, run.observations, new double[] {ll},
                run.seconds(), run.options, run.settings, List.of(), posterior, logPrior);
    }

    /**
     * The E-step over {@code sequences}: each sequence's statistics in parallel, then merged in order into a fresh
     * accumulator, so the result does not depend on the thread count.
     */
    static SufficientStatistics expectation(ExpectationMaximization em, List<Sequence> sequences, int threads) {
        int n = sequences.size();
        SufficientStatistics[] perSequence = new SufficientStatistics[n];
        Parallel.forEach(n, threads, () -> null, (w, i) -> {
            SufficientStatistics s = em.newStatistics();
            em.expectation(sequences.get(i), s);
            perSequence[i] = s;
        });
        SufficientStatistics total = em.newStatistics();
        for (SufficientStatistics s : perSequence) {
            total.merge(s);
        }
        return total;
    }
}
