package org.statespace.hsmm;

import java.util.Arrays;
import java.util.List;

import org.statespace.capability.StateEstimates;
import org.statespace.capability.Track;

/**
 * Per-step state probabilities of one sequence (T×K, packed), summed over the steps the current segment has
 * lasted: filtered p(s_t | o_0..o_t) or posterior p(s_t | o_0..o_{T-1}), with the log-likelihood. Immutable.
 */
public final class StateMarginals implements StateEstimates {
    private final String name;
    private final int length;
    private final int states;
    private final double[] values;
    private final double logLikelihood;

    StateMarginals(String name, int length, int states, double[] values, double logLikelihood) {
        this.name = name;
        this.length = length;
        this.states = states;
        this.values = values;
        this.logLikelihood = logLikelihood;
    }

    /** The probability of state k at step t. */
    public double probability(int t, int k) {
        return values[t * states + k];
    }

    /** The state probabilities of step t (a copy of K entries). */
    public double[] at(int t) {
        return Arrays.copyOfRange(values, t * states, (t + 1) * states);
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
        return List.of(new Track(name, length, new int[] {states}, values));
    }

    @Override
    public String toString() {
        return "StateMarginals[" + name + ", T=" + length + ", K=" + states + "]";
    }
}
