package org.statespace.inference;

/** Sees each iteration of a fit as it happens (a progress bar, a log). */
@FunctionalInterface
public interface TrainingListener {

    /**
     * @param iteration      iterations completed in this phase (restart or run)
     * @param maxIterations  the limit
     * @param point          the new point of the learning curve
     */
    void onIteration(int iteration, int maxIterations, LearningCurve.Point point);

    /**
     * Online EM only: an update (one batch) of the current pass is done. By default ignored.
     *
     * @param update         updates made in the current pass
     * @param updatesPerPass updates in a whole pass over the data
     */
    default void onUpdate(int update, int updatesPerPass) {
    }

    /** Ignores everything. */
    TrainingListener NONE = (i, n, p) -> { };
}
