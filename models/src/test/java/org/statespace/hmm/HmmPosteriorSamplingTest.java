package org.statespace.hmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.random.RandomGenerator;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.junit.jupiter.api.Test;

import org.statespace.capability.PosteriorDraws;
import org.statespace.capability.PosteriorSampling;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * Posterior paths through the {@link PosteriorSampling} capability against p(path | o) =
 * π_{s0} b_{s0}(o_0) Π A_{s(t-1) s(t)} b_{st}(o_t) / p(o), enumerated over all K^T paths with the
 * independent densities of {@link BruteForce}: Pearson's chi-square of the path frequencies (paths expected
 * fewer than 5 times pooled into one cell) below the 0.999 quantile of its chi-square law, for every
 * emission family, with missing steps.
 */
class HmmPosteriorSamplingTest {
    private static final int DRAWS = 20_000;

    @Test
    void pathFrequenciesMatchTheEnumeratedPosterior() {
        RandomGenerator r = Randoms.seeded(11);
        int checked = 0;
        for (HiddenMarkovModel model : TestModels.all()) {
            Sequence s = TestModels.withGaps(model, "s", model.stateCount() == 2 ? 6 : 4, r);
            PosteriorDraws draws = ((PosteriorSampling) model).samplePosterior(s, DRAWS, Randoms.seeded(checked));
            assertThat(draws.count()).isEqualTo(DRAWS);
            assertThat(draws.discrete()).isTrue();
            int k = model.stateCount();
            int n = s.length();
            int paths = (int) Math.pow(k, n);
            int[] counts = new int[paths];
            for (int d = 0; d < DRAWS; d++) {
                int code = 0;
                for (int t = n - 1; t >= 0; t--) {
                    code = code * k + draws.state(d, t);
                }
                counts[code]++;
            }
            double[][] b = BruteForce.densities(model, s);
            double[] pi = model.initial();
            double[][] a = model.transitionMatrix();
            double[] p = new double[paths];
            double total = 0;
            for (int code = 0; code < paths; code++) {
                int c = code;
                int previous = -1;
                double joint = 1;
                for (int t = 0; t < n; t++) {
                    int state = c % k;
                    c /= k;
                    joint *= (t == 0 ? pi[state] : a[previous][state]) * b[t][state];
                    previous = state;
                }
                p[code] = joint;
                total += joint;
            }
            double chi = 0;
            int cells = 0;
            double pooledExpected = 0;
            int pooledObserved = 0;
            for (int code = 0; code < paths; code++) {
                double expected = DRAWS * p[code] / total;
                if (expected < 5) {
                    pooledExpected += expected;
                    pooledObserved += counts[code];
                } else {
                    chi += (counts[code] - expected) * (counts[code] - expected) / expected;
                    cells++;
                }
            }
            if (pooledExpected > 0) {
                chi += (pooledObserved - pooledExpected) * (pooledObserved - pooledExpected) / pooledExpected;
                cells++;
            }
            double limit = new ChiSquaredDistribution(cells - 1).inverseCumulativeProbability(0.999);
            assertThat(chi).as("%s on %s over %d cells", model, s, cells).isLessThan(limit);
            checked++;
        }
        assertThat(checked).isEqualTo(TestModels.all().size());
    }

    @Test
    void aCountBelowOneIsRefused() {
        HiddenMarkovModel model = TestModels.gaussian().get(0);
        assertThatThrownBy(() -> model.samplePosterior(Sequence.ofScalars("s", new double[] {1}), 0, Randoms.seeded(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
    }
}
