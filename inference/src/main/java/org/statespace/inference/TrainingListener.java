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

    /** Ignores everything. */
    TrainingListener NONE = (i, n, p) -> { };
}
