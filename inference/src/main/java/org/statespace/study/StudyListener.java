package org.statespace.study;

import org.statespace.inference.TrainingListener;

/** Hears a study's progress: a row starting and ending, and each fit's iterations. */
public interface StudyListener {

    /** A (model, dataset, seed) starts; {@code index} counts from 1 to {@code total}. */
    default void rowStarted(int index, int total, String model, String dataset, long seed) {
    }

    /** Its fit's iterations. */
    default TrainingListener fitListener() {
        return TrainingListener.NONE;
    }

    /** It ended. */
    default void rowFinished(int index, int total, StudyRow row) {
    }

    /** Hears nothing. */
    StudyListener NONE = new StudyListener() {
    };
}
