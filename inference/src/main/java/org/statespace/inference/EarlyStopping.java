package org.statespace.inference;

import org.statespace.StateSpaceModel;

/**
 * Tracks the best validation loss of a fit; stops after {@code patience} offers without improvement. Its state
 * travels in {@link CheckpointProgress}.
 */
final class EarlyStopping {
    private final int patience;
    private final boolean active;
    StateSpaceModel<?, ?> best;
    double bestLoss = Double.POSITIVE_INFINITY;
    int sinceBest;

    EarlyStopping(int patience, boolean hasValidation) {
        this.patience = patience;
        this.active = hasValidation;
    }

    /** Early stopping as a checkpoint left it. */
    static EarlyStopping restored(int patience, boolean hasValidation, CheckpointProgress from) {
        EarlyStopping s = new EarlyStopping(patience, hasValidation);
        s.best = from.stopperBest() == null ? null : Checkpoint.model(from.stopperBest());
        s.bestLoss = from.stopperBestLoss();
        s.sinceBest = from.stopperSinceBest();
        return s;
    }

    void offer(StateSpaceModel<?, ?> model, double validationLoss) {
        if (!active || Double.isNaN(validationLoss)) {
            return;
        }
        if (validationLoss < bestLoss) {
            bestLoss = validationLoss;
            best = model;
            sinceBest = 0;
        } else {
            sinceBest++;
        }
    }

    boolean shouldStop() {
        return active && patience > 0 && sinceBest >= patience;
    }

    StateSpaceModel<?, ?> best(StateSpaceModel<?, ?> last) {
        return active && best != null ? best : last;
    }
}
