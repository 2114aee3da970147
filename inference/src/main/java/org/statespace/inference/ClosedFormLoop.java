package org.statespace.inference;

import java.util.List;

import org.statespace.DataException;
import org.statespace.NumericalException;
import org.statespace.StateSpaceModel;
import org.statespace.capability.ClosedFormFitting;
import org.statespace.capability.FitSettings;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceReader;
import org.statespace.data.SequenceSource;

/**
 * The closed-form fit ({@link ClosedFormFitting}: a Markov chain's counts): one step to the optimum, no checkpoint.
 * Over data in memory it is {@link ClosedFormFitting#fitClosedForm}; over a source that reads a file it is one
 * counting pass (a long sequence in chunks, each chunk's new steps added to the same counts), then the fitted model
 * scored by a filter pass over the source, which sums the same steps in the same order as in memory: the same
 * fitted model and log-likelihood, bit for bit.
 */
final class ClosedFormLoop {
    private final FitRun run;

    ClosedFormLoop(FitRun run) {
        this.run = run;
    }

    FitResult fit(StateSpaceModel<?, ?> initial) {
        FitRun.History history = run.startingAt(initial);
        ClosedFormFitting model = (ClosedFormFitting) initial;
        StateSpaceModel<?, ?> fitted = run.training != null
                ? model.fitClosedForm(run.training, run.settings)
                : counted(model, run.trainingData, run.settings);
        double ll = run.training != null ? run.logLikelihood(fitted, run.training)
                : run.logLikelihood(fitted, run.trainingData);
        if (!Double.isFinite(ll)) {
            throw new NumericalException("the fitted model's log-likelihood on the training data is " + ll);
        }
        LearningCurve.Point p = history.add(1, ll, fitted);
        run.listener.onIteration(1, 1, p);
        return run.result(fitted, history, 1, true, ll, List.of());
    }

    /**
     * The model fitted from counts over every sequence of {@code data} in order: a sequence the source reads in
     * chunks ({@link SequenceSource#reader}) a chunk at a time, each chunk's new steps added with the steps it holds
     * before them as context; any other sequence whole.
     */
    static StateSpaceModel<?, ?> counted(ClosedFormFitting model, SequenceSource data, FitSettings settings) {
        ClosedFormFitting.Counts counts = model.newCounts(settings);
        for (int i = 0; i < data.size(); i++) {
            try (SequenceReader reader = data.reader(i)) {
                if (reader == null) {
                    counts.add(data.sequence(i), 0);
                    continue;
                }
                int from = 0;
                if (reader.nextSequence()) {
                    for (Sequence chunk = reader.nextChunk(); chunk != null; chunk = reader.nextChunk()) {
                        counts.add(chunk, from);
                        from = chunk.length();
                    }
                }
                if (from != data.length(i)) {
                    throw new DataException(data.name() + ": sequence " + (i + 1) + " no longer reads as it did "
                            + "when the file was indexed (" + data.length(i) + " steps); was the file changed?");
                }
            }
        }
        return counts.fitted();
    }
}
