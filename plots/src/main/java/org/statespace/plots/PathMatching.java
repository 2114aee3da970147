package org.statespace.plots;

/**
 * Renames the states of a true path to the fitted model's states that they overlap most, so that the
 * true-path strip is coloured like the model's states: a fitted HMM numbers its states arbitrarily
 * (label switching), and without this the truth and the posterior would look different even when the
 * model found the regimes. The mapping is the permutation that maximises the number of steps on which
 * the renamed truth equals the reference path (exhaustive for up to 8 states, greedy beyond).
 */
final class PathMatching {
    private PathMatching() {
    }

    /**
     * The truth with state j renamed π(j), π maximising the agreement with {@code reference}.
     *
     * @param truth     T states in 0..k-1 (-1 unknown)
     * @param reference T states in 0..k-1 (-1 unknown), e.g. the Viterbi path or the posterior's argmax
     * @param k         the number of states
     */
    static int[] relabel(int[] truth, int[] reference, int k) {
        long[][] overlap = new long[k][k];
        for (int t = 0; t < truth.length; t++) {
            if (truth[t] >= 0 && reference[t] >= 0) {
                overlap[truth[t]][reference[t]]++;
            }
        }
        int[] best = k <= 8 ? exhaustive(overlap, k) : greedy(overlap, k);
        int[] out = new int[truth.length];
        for (int t = 0; t < truth.length; t++) {
            out[t] = truth[t] < 0 ? -1 : best[truth[t]];
        }
        return out;
    }

    private static int[] exhaustive(long[][] overlap, int k) {
        int[] perm = new int[k];
        for (int i = 0; i < k; i++) {
            perm[i] = i;
        }
        int[] best = perm.clone();
        long bestScore = -1;
        while (true) {
            long score = 0;
            for (int j = 0; j < k; j++) {
                score += overlap[j][perm[j]];
            }
            if (score > bestScore) {
                bestScore = score;
                best = perm.clone();
            }
            // next permutation in lexicographic order
            int i = k - 2;
            while (i >= 0 && perm[i] >= perm[i + 1]) {
                i--;
            }
            if (i < 0) {
                return best;
            }
            int j = k - 1;
            while (perm[j] <= perm[i]) {
                j--;
            }
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
            for (int a = i + 1, b = k - 1; a < b; a++, b--) {
                tmp = perm[a];
                perm[a] = perm[b];
                perm[b] = tmp;
            }
        }
    }

    private static int[] greedy(long[][] overlap, int k) {
        int[] map = new int[k];
        boolean[] usedTruth = new boolean[k];
        boolean[] usedModel = new boolean[k];
        for (int round = 0; round < k; round++) {
            int bj = -1;
            int bm = -1;
            for (int j = 0; j < k; j++) {
                for (int m = 0; m < k; m++) {
                    if (!usedTruth[j] && !usedModel[m] && (bj < 0 || overlap[j][m] > overlap[bj][bm])) {
                        bj = j;
                        bm = m;
                    }
                }
            }
            map[bj] = bm;
            usedTruth[bj] = true;
            usedModel[bm] = true;
        }
        return map;
    }

    /** The most probable state of each step of a T×K probability matrix. */
    static int[] argmax(double[] probabilities, int length, int k) {
        int[] out = new int[length];
        for (int t = 0; t < length; t++) {
            int best = 0;
            for (int s = 1; s < k; s++) {
                if (probabilities[t * k + s] > probabilities[t * k + best]) {
                    best = s;
                }
            }
            out[t] = best;
        }
        return out;
    }
}
