package org.statespace.numeric;

import java.util.List;

/**
 * A probability row in unconstrained coordinates: the log-ratios of its positive entries to a reference
 * entry (its last positive one), so any real vector maps back to a row with the same zeros. Entries that are
 * exactly 0 stay 0 and have no coordinate (a structural zero, or one a fit left at its boundary). Used for the
 * observed information of probability rows (HMM transitions and categorical emissions, Markov chains).
 */
public final class SimplexLogits {
    private SimplexLogits() {
    }

    /** Appends the logits of {@code row} (one per positive entry but the reference) to {@code out}. */
    public static void toLogits(double[] row, List<Double> out) {
        int r = reference(row);
        for (int j = 0; j < row.length; j++) {
            if (j != r && row[j] > 0) {
                out.add(Math.log(row[j] / row[r]));
            }
        }
    }

    /** The index of the reference entry: the last positive one. */
    static int reference(double[] row) {
        for (int j = row.length - 1; j >= 0; j--) {
            if (row[j] > 0) {
                return j;
            }
        }
        throw new IllegalStateException("a probability row without a positive entry");
    }

    /**
     * Reads the logits of one row from {@code theta} at {@code offset} into {@code out} (a row with the zero
     * pattern of {@code pattern}); returns the offset after them.
     */
    public static int fromLogits(double[] pattern, double[] theta, int offset, double[] out) {
        int r = reference(pattern);
        double max = 0;
        int k = offset;
        for (int j = 0; j < pattern.length; j++) {
            if (j != r && pattern[j] > 0) {
                max = Math.max(max, theta[k++]);
            }
        }
        double sum = Math.exp(-max);
        k = offset;
        for (int j = 0; j < pattern.length; j++) {
            if (j == r) {
                out[j] = Math.exp(-max);
            } else if (pattern[j] > 0) {
                out[j] = Math.exp(theta[k++] - max);
                sum += out[j];
            } else {
                out[j] = 0;
            }
        }
        for (int j = 0; j < pattern.length; j++) {
            out[j] /= sum;
        }
        return k;
    }
}
