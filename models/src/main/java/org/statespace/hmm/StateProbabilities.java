package org.statespace.hmm;

import java.util.Arrays;
import java.util.List;

import org.statespace.capability.StateEstimates;
import org.statespace.capability.Track;

/**
 * Per-step state probabilities of one sequence (T×K, packed): filtered p(s_t | o_0..o_t) or posterior
 * p(s_t | o_0..o_{T-1}), with the sequence log-likelihood. Immutable.
 */
public final class StateProbabilities implements StateEstimates {
    private final String name;
    private final int length;
    private final int states;
    private final double[] values;
    private final double logLikelihood;

    StateProbabilities(String name, int length, int states, double[] values, double logLikelihood) {
        this.name = name;
        this.length = length;
        this.states = states;
        this.values = values;
        this.logLikelihood = logLikelihood;
    }

    /** The track name: {@code filteredProbabilities} or {@code posteriorProbabilities}. */
    public String name() {
        return name;
    }

    @Override
    public int length() {
        return length;
    }

    /** K. */
    public int stateCount() {
        return states;
    }

    /** The probability of state k at step t. */
    public double probability(int t, int k) {
        return values[t * states + k];
    }

    /** The state probabilities of step t (a copy of K entries). */
    public double[] at(int t) {
        return Arrays.copyOfRange(values, t * states, (t + 1) * states);
    }

    /** All of them, T×K row-major (a copy). */
    public double[] values() {
        return values.clone();
    }

    /** The most probable state at every step (ties to the smaller index). */
    public int[] mostProbableStates() {
        int[] out = new int[length];
        for (int t = 0; t < length; t++) {
            int best = 0;
            for (int k = 1; k < states; k++) {
                if (values[t * states + k] > values[t * states + best]) {
                    best = k;
                }
            }
            out[t] = best;
        }
        return out;
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
        return "StateProbabilities[" + name + ", T=" + length + ", K=" + states + "]";
    }
}
