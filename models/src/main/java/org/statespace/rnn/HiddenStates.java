package org.statespace.rnn;

import java.util.ArrayList;
import java.util.List;

import org.statespace.capability.StateEstimates;
import org.statespace.capability.Track;

/**
 * The hidden units of every layer over one sequence, as the filter computed them: h_t summarises
 * o_0..o_{t-1} and u_0..u_t (the network is deterministic, so the filtered state is a point). Tracks,
 * each T × H: {@code hidden_l<l>} (h_t, or σ(a_t) in forms (ii) and (ii-literal)),
 * {@code cell_l<l>} for LSTM layers, {@code preactivation_l<l>} (a_t) for layers in the forms (ii).
 */
public final class HiddenStates implements StateEstimates {
    private final int length;
    private final double logLikelihood;
    private final List<Track> tracks;

    HiddenStates(int length, double logLikelihood, List<Track> tracks) {
        this.length = length;
        this.logLikelihood = logLikelihood;
        this.tracks = List.copyOf(tracks);
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public double logLikelihood() {
        return logLikelihood;
    }

    @Override
    public List<Track> tracks() {
        return tracks;
    }

    /** The track of this name. */
    public Track track(String name) {
        for (Track t : tracks) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        List<String> names = new ArrayList<>();
        tracks.forEach(t -> names.add(t.name()));
        throw new IllegalArgumentException("no track " + name + "; the tracks are " + names);
    }

    /** {@code hidden_l<layer>}. */
    public Track hidden(int layer) {
        return track("hidden_l" + layer);
    }
}
