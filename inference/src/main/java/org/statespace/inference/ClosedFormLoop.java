package org.statespace.inference;

import java.util.List;

import org.statespace.NumericalException;
import org.statespace.StateSpaceModel;
import org.statespace.capability.ClosedFormFitting;

/** The closed-form fit ({@link ClosedFormFitting}: a Markov chain's counts): one step to the optimum, no checkpoint. */
final class ClosedFormLoop {
    private final FitRun run;

    ClosedFormLoop(FitRun run) {
        this.run = run;
    }

    FitResult fit(StateSpaceModel<?, ?> initial) {
        FitRun.History history = run.startingAt(initial);
        StateSpaceModel<?, ?> fitted = ((ClosedFormFitting) initial).fitClosedForm(run.training, run.settings);
        double ll = run.logLikelihood(fitted, run.training);
        if (!Double.isFinite(ll)) {
            throw new NumericalException("the fitted model's log-likelihood on the training data is " + ll);
        }
        LearningCurve.Point p = history.add(1, ll, fitted);
        run.listener.onIteration(1, 1, p);
        return run.result(fitted, history, 1, true, ll, List.of());
    }
}
