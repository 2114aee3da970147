package org.statespace.plots;

import java.util.List;

import org.statespace.DataException;
import org.statespace.DimensionMismatchException;

/**
 * Probabilities of K discrete states (or symbols) over T steps, with strips for discrete paths below:
 * an HMM's smoothed posteriors p(s_t | o_0..o_{T-1}) or filtered ones p(s_t | o_0..o_t), with its
 * Viterbi path and, for simulated data, the true path; or a model's predictive probabilities of the
 * next symbol with the observed symbols.
 *
 * @param sequenceId    the sequence's id
 * @param stateNames    K names (legend entries)
 * @param length        T
 * @param probabilities T×K, row-major (row t sums to 1)
 * @param paths         strips drawn under the probabilities, top to bottom (may be empty)
 * @param heldOutFrom   the first held-out step (an index into these T steps), or -1
 * @param firstStep     the time step of the first row (x axis), 0 unless this is a window of a longer run
 */
public record StateProbabilityTrack(String sequenceId, List<String> stateNames, int length, double[] probabilities,
        List<LabelledPath> paths, int heldOutFrom, int firstStep) {

    /** Probabilities from step 0. */
    public StateProbabilityTrack(String sequenceId, List<String> stateNames, int length, double[] probabilities,
            List<LabelledPath> paths, int heldOutFrom) {
        this(sequenceId, stateNames, length, probabilities, paths, heldOutFrom, 0);
    }

    public StateProbabilityTrack {
        stateNames = List.copyOf(stateNames);
        paths = List.copyOf(paths);
        int k = stateNames.size();
        if (k == 0 || length == 0) {
            throw new DataException("state probabilities of \"" + sequenceId + "\" are empty (" + length
                    + " steps, " + k + " states)");
        }
        if (probabilities.length != length * k) {
            throw new DimensionMismatchException("probabilities", length + "x" + k + " = " + length * k + " values",
                    probabilities.length + " values");
        }
        for (int i = 0; i < probabilities.length; i++) {
            double p = probabilities[i];
            if (!(p >= -1e-9 && p <= 1 + 1e-9)) {
                throw new DataException("probabilities[" + i / k + "][" + i % k + "] = " + p + " is not a probability");
            }
        }
        for (LabelledPath p : paths) {
            if (p.path().length != length) {
                throw new DimensionMismatchException(p.name(), length + " steps", p.path().length + " steps");
            }
            int[] values = p.path();
            for (int t = 0; t < length; t++) {
                if (values[t] < -1 || values[t] >= k) {
                    throw new DataException(p.name() + "[" + t + "] = " + values[t] + " is not a state in 0.."
                            + (k - 1));
                }
            }
        }
        probabilities = probabilities.clone();
    }

    @Override
    public double[] probabilities() {
        return probabilities.clone();
    }

    /** Steps {@code from} (inclusive) to {@code to} (exclusive) of this, with the time axis kept. */
    public StateProbabilityTrack window(int from, int to) {
        int k = stateNames.size();
        double[] p = java.util.Arrays.copyOfRange(probabilities, from * k, to * k);
        List<LabelledPath> cut = paths.stream()
                .map(l -> new LabelledPath(l.name(), java.util.Arrays.copyOfRange(l.path(), from, to))).toList();
        int held = heldOutFrom < 0 ? -1 : heldOutFrom - from;
        return new StateProbabilityTrack(sequenceId, stateNames, to - from, p, cut, held, firstStep + from);
    }

    /** K. */
    public int states() {
        return stateNames.size();
    }

    /** p(state k at step t). */
    public double probability(int t, int k) {
        return probabilities[t * stateNames.size() + k];
    }
}
