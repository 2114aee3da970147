package org.statespace.plots;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

class PathMatchingTest {
    @Test
    void aPermutedPathIsMappedBackExactly() {
        Random r = new Random(1);
        int k = 4;
        int[] reference = new int[500];
        for (int t = 1; t < reference.length; t++) {
            reference[t] = r.nextDouble() < 0.9 ? reference[t - 1] : r.nextInt(k);
        }
        int[] permutation = {2, 0, 3, 1};
        int[] truth = new int[reference.length];
        for (int t = 0; t < truth.length; t++) {
            truth[t] = permutation[reference[t]];
        }
        assertThat(PathMatching.relabel(truth, reference, k)).containsExactly(reference);
    }

    @Test
    void unknownStepsStayUnknownAndTheBestPermutationWinsOverAGreedyFirstChoice() {
        // truth 0 overlaps reference 0 on 5 steps and reference 1 on 4; truth 1 overlaps reference 0 on 5:
        // the best renaming is 0 -> 1, 1 -> 0 (9 agreements), not the greedy 0 -> 0 (5)
        int[] truth = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, -1};
        int[] reference = {0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1};
        int[] out = PathMatching.relabel(truth, reference, 2);
        assertThat(out).containsExactly(1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, -1);
    }

    @Test
    void argmaxPicksTheMostProbableState() {
        assertThat(PathMatching.argmax(new double[] {0.2, 0.8, 0.6, 0.4}, 2, 2)).containsExactly(1, 0);
    }
}
