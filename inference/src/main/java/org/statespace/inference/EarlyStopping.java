package org.statespace.inference;

import org.statespace.StateSpaceModel;

/**
 * Tracks the best validation loss of a fit; stops after {@code patience} offers without improvement. Its state
 * travels in {@link CheckpointProgress}. Public so that a trainer elsewhere (statespace-spark's) stops where this
 * one does.
 */
public final class EarlyStopping {
    private final int patience;
    private final boolean active;
    StateSpaceModel<?, ?> best;
    double bestLoss = Double.POSITIVE_INFINITY;
    int sinceBest;

    /**
     * @param patience      offers without a better loss before {@link #shouldStop}; 0 never stops
     * @param hasValidation whether there are validation data (without, offers are ignored and nothing stops)
     */
    public EarlyStopping(int patience, boolean hasValidation) {
        this.patience = patience;
        this.active = hasValidation;
    }

    /** Early stopping as a checkpoint left it. */
    static EarlyStopping restored(int patience, boolean hasValidation, CheckpointProgress from) {
        return restored(patience, hasValidation,
                from.stopperBest() == null ? null : Checkpoint.model(from.stopperBest()), from.stopperBestLoss(),
                from.stopperSinceBest());
    }

    /** Early stopping with the state {@link #bestModel}, {@link #bestLoss} and {@link #sinceBest} gave. */
    public static EarlyStopping restored(int patience, boolean hasValidation, StateSpaceModel<?, ?> best,
            double bestLoss, int sinceBest) {
        EarlyStopping s = new EarlyStopping(patience, hasValidation);
        s.best = best;
        s.bestLoss = bestLoss;
        s.sinceBest = sinceBest;
        return s;
    }

    /** Offers a model and its validation loss (NaN: none, ignored). */
    public void offer(StateSpaceModel<?, ?> model, double validationLoss) {
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

    /** Whether {@code patience} offers in a row brought no better loss. */
    public boolean shouldStop() {
        return active && patience > 0 && sinceBest >= patience;
    }

    /** The model to keep: the best offered one with validation data, else {@code last}. */
    public StateSpaceModel<?, ?> best(StateSpaceModel<?, ?> last) {
        return active && best != null ? best : last;
    }

    /** The best model offered so far, or null. */
    public StateSpaceModel<?, ?> bestModel() {
        return best;
    }

    /** The best validation loss offered so far (+infinity before any). */
    public double bestLoss() {
        return bestLoss;
    }

    /** Offers since the best one. */
    public int sinceBest() {
        return sinceBest;
    }
}
