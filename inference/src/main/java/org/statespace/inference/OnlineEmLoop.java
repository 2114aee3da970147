package org.statespace.inference;

import java.util.ArrayList;
import java.util.List;

import org.statespace.NumericalException;
import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.capability.ExpectationMaximization;
import org.statespace.capability.SymmetryBreaking;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * Online (stepwise) EM: passes over the data in order (sequence by sequence, each cut into chunks of
 * {@link TrainOptions#chunkLength()} steps), one {@link OnlineExpectationMaximization} update per
 * {@link TrainOptions.OnlineEm#batchSize()} pieces, the whole data's log-likelihood after each pass. A pass
 * that improves it by no more than the tolerance (relative) ends the fit as converged. Checkpoints
 * ({@link OnlineEmCheckpoint}) count updates, so a long single pass resumes part way; they hold the running
 * statistics, k and the model.
 */
final class OnlineEmLoop {
    private final FitRun run;

    OnlineEmLoop(FitRun run) {
        this.run = run;
    }

    FitResult fit(StateSpaceModel<?, ?> initial, OnlineEmCheckpoint resume) {
        TrainOptions options = run.options;
        if (options.restarts() > 0) {
            throw new SpecException("", "fit.restarts", "online EM runs from one start; restarts " + options.restarts()
                    + " need method em (or give restarts 0)");
        }
        List<Sequence> pieces = pieces(run.training, options.chunkLength());
        long total = 0;
        for (Sequence s : pieces) {
            total += s.length();
        }
        int perUpdate = options.online().batchSize();
        int updatesPerPass = (pieces.size() + perUpdate - 1) / perUpdate;
        FitRun.History history;
        EarlyStopping stopper;
        OnlineExpectationMaximization online;
        List<String> notes = new ArrayList<>();
        int firstEpoch;
        int firstBatch;
        if (resume != null) {
            if (initial instanceof SymmetryBreaking sb) {
                sb.symmetry(run.training).ifPresent(why -> notes.add(run.symmetryNote(0, why)));
            }
            online = OnlineExpectationMaximization.restore(Checkpoint.model(resume.progress().model()), options.online(),
                    run.settings, total, options.threads(), resume.updates(), resume.statistics());
            history = run.resumed(resume.progress());
            stopper = run.stopper(resume.progress());
            firstEpoch = resume.progress().iteration() + 1;
            firstBatch = resume.position();
        } else {
            StateSpaceModel<?, ?> start = initial;
            if (start instanceof SymmetryBreaking sb) {
                var why = sb.symmetry(run.training);
                if (why.isPresent()) {
                    start = sb.brokenSymmetry(run.training, Randoms.stream(options.seed(), EmLoop.SYMMETRY_STREAM),
                            run.settings);
                    notes.add(run.symmetryNote(0, why.get()));
                }
            }
            history = run.startingAt(start);
            stopper = run.stopper();
            stopper.offer(start, history.curve.last().validationLoss());
            online = OnlineExpectationMaximization.start(start, options.online(), run.settings, total, options.threads());
            firstEpoch = 1;
            firstBatch = 0;
        }
        int passes = options.maxIterations();
        boolean converged = false;
        int epoch;
        for (epoch = firstEpoch; epoch <= passes; epoch++) {
            for (int b = epoch == firstEpoch ? firstBatch : 0; b < updatesPerPass; b++) {
                online.update(pieces.subList(b * perUpdate, Math.min(pieces.size(), (b + 1) * perUpdate)));
                run.listener.onUpdate(b + 1, updatesPerPass);
                if (run.checkpointDue(online.updates())) {
                    run.save(new OnlineEmCheckpoint(run.progress(epoch - 1, online.model(), history, stopper),
                            online.updates(), b + 1, online.statistics()));
                }
            }
            StateSpaceModel<?, ?> current = online.model();
            double ll = run.logLikelihood(current, run.training);
            if (!Double.isFinite(ll)) {
                throw new NumericalException("online EM pass " + epoch + ": the training log-likelihood is " + ll);
            }
            double previous = history.last();
            LearningCurve.Point p = history.add(epoch, ll, current);
            run.listener.onIteration(epoch, passes, p);
            stopper.offer(current, p.validationLoss());
            if (stopper.shouldStop() || ll - previous <= options.tolerance() * Math.abs(ll)) {
                converged = true;
                break;
            }
        }
        StateSpaceModel<?, ?> last = online.model();
        StateSpaceModel<?, ?> kept = stopper.best(last);
        double finalLl = run.keptLogLikelihood(kept, last, history.last());
        notes.addAll(run.stopWarnings(converged, history.values(), "pass"));
        if (initial instanceof ExpectationMaximization em) {
            notes.addAll(em.fitNotes(run.training));
        }
        return run.result(kept, history, Math.min(epoch, passes), converged, finalLl, notes);
    }

    /** The pieces online EM takes its batches from: {@link GradientLoop#chunks}, without empty sequences. */
    static List<Sequence> pieces(Dataset training, int chunkLength) {
        return GradientLoop.chunks(training.sequences(), chunkLength).stream().filter(s -> s.length() > 0).toList();
    }
}
