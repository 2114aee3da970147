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
 * @param heldOutFrom   the first held-out step, or -1
 */
public record StateProbabilities(String sequenceId, List<String> stateNames, int length, double[] probabilities,
        List<LabelledPath> paths, int heldOutFrom) {

    public StateProbabilities {
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

    /** K. */
    public int states() {
        return stateNames.size();
    }

    /** p(state k at step t). */
    public double probability(int t, int k) {
        return probabilities[t * stateNames.size() + k];
    }
}
