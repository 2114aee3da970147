package org.statespace.hsmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.junit.jupiter.api.Test;

import org.statespace.capability.PosteriorDraws;
import org.statespace.data.Sequence;
import org.statespace.hsmm.HsmmTestModels.Emissions;
import org.statespace.numeric.Randoms;

/**
 * Posterior paths of explicit-duration HMMs (forward-filter backward-sample over the expanded chain) against
 * p(path | o) = p(path, o) / p(o) by enumerating every path with {@link HsmmTestModels#joint} (segments,
 * durations, censored last segment): Pearson's chi-square of the path frequencies, paths expected fewer
 * than 5 times pooled into one cell, below the 0.999 quantile of its chi-square law (Commons Math), for
 * every duration type and missing steps. Paths the model forbids (a state following itself across a
 * segment end without the duration allowing it) have probability zero and must never be drawn.
 */
class HsmmPosteriorSamplingTest {
    private static final int DRAWS = 20_000;

    @Test
    void pathFrequenciesMatchTheEnumeratedPosterior() {
        RandomGenerator r = Randoms.seeded(7);
        String[][] durations = {{"poisson"}, {"negative-binomial"}, {"table"}, {"geometric"},
                {"geometric", "table", "poisson"}};
        int checked = 0;
        for (String[] d : durations) {
            for (int k = 2; k <= 3; k++) {
                HiddenSemiMarkovModel model = HsmmTestModels.random(r, k, 1 + r.nextInt(4), Emissions.GAUSSIAN, d);
                Sequence s = HsmmTestModels.withGaps(model, "s", k == 2 ? 6 : 4, r);
                check(model, s, Randoms.seeded(100 + checked));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(10);
    }

    private static void check(HiddenSemiMarkovModel model, Sequence s, RandomGenerator random) {
        int k = model.stateCount();
        int n = s.length();
        PosteriorDraws draws = model.samplePosterior(s, DRAWS, random);
        assertThat(draws.discrete()).isTrue();
        Map<Integer, Integer> counts = new HashMap<>();
        for (int d = 0; d < DRAWS; d++) {
            int code = 0;
            for (int t = n - 1; t >= 0; t--) {
                code = code * k + draws.state(d, t);
            }
            counts.merge(code, 1, Integer::sum);
        }
        int paths = (int) Math.pow(k, n);
        double[] p = new double[paths];
        double total = 0;
        int[] path = new int[n];
        for (int code = 0; code < paths; code++) {
            int c = code;
            for (int t = 0; t < n; t++) {
                path[t] = c % k;
                c /= k;
            }
            p[code] = HsmmTestModels.joint(model, path, s);
            total += p[code];
        }
        double chi = 0;
        int cells = 0;
        double pooledExpected = 0;
        int pooledObserved = 0;
        for (int code = 0; code < paths; code++) {
            double expected = DRAWS * p[code] / total;
            int observed = counts.getOrDefault(code, 0);
            if (p[code] == 0) {
                assertThat(observed).as("%s: impossible path %d drawn", model, code).isZero();
            } else if (expected < 5) {
                pooledExpected += expected;
                pooledObserved += observed;
            } else {
                chi += (observed - expected) * (observed - expected) / expected;
                cells++;
            }
        }
        if (pooledExpected > 0) {
            chi += (pooledObserved - pooledExpected) * (pooledObserved - pooledExpected) / pooledExpected;
            cells++;
        }
        assertThat(cells).isGreaterThan(1);
        double limit = new ChiSquaredDistribution(cells - 1).inverseCumulativeProbability(0.999);
        assertThat(chi).as("%s on %s: chi-square over %d cells", model, s, cells).isLessThan(limit);
    }

    @Test
    void badCountsAndEmptySequences() {
        HiddenSemiMarkovModel model = HsmmTestModels.random(Randoms.seeded(1), 2, 3, Emissions.GAUSSIAN, "poisson");
        Sequence s = Sequence.ofScalars("s", new double[] {1, 2});
        assertThatThrownBy(() -> model.samplePosterior(s, -1, Randoms.seeded(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got -1");
        assertThat(model.samplePosterior(Sequence.ofScalars("e", new double[0]), 2, Randoms.seeded(1)).length()).isZero();
    }
}
