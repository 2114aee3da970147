package org.statespace.nonlinear;

import java.util.List;

import org.statespace.capability.StateEstimates;
import org.statespace.capability.Track;

/** Filtered or smoothed state estimates of a non-linear model: named tracks (means, covariances, ...). */
record NonlinearStates(int length, double logLikelihood, List<Track> tracks) implements StateEstimates {
    NonlinearStates {
        tracks = List.copyOf(tracks);
    }
}
