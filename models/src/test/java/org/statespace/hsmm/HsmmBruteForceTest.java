package org.statespace.hsmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import org.statespace.Recurrence;
import org.statespace.capability.DecodedPath;
import org.statespace.data.Sequence;
import org.statespace.hmm.StateProbabilities;
import org.statespace.hsmm.HsmmTestModels.Emissions;
import org.statespace.numeric.Randoms;

/**
 * Log-likelihoods, filtered and posterior state marginals and Viterbi paths of tiny explicit-duration HMMs
 * (K = 2..3, T ≤ 6, every duration type, missing steps) against enumeration of every state path.
 */
class HsmmBruteForceTest {

    private static final String[][] DURATIONS = {
            {"poisson"}, {"negative-binomial"}, {"table"}, {"geometric"},
            {"poisson", "negative-binomial", "table"}, {"geometric", "table", "poisson"}};

    @Test
    void everythingMatchesEnumeration() {
        RandomGenerator r = Randoms.seeded(42);
        int checked = 0;
        for (int k = 2; k <= 3; k++) {
            for (String[] durations : DURATIONS) {
                for (Emissions kind : Emissions.values()) {
                    int maxDuration = 1 + r.nextInt(5);
                    HiddenSemiMarkovModel model = HsmmTestModels.random(r, k, maxDuration, kind, durations);
                    for (int n = 0; n < 3; n++) {
                        Sequence s = HsmmTestModels.withGaps(model, "s" + n, 1 + r.nextInt(6), r);
                        check(model, s);
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(2 * DURATIONS.length * 3 * 3);
    }

    private static void check(HiddenSemiMarkovModel model, Sequence s) {
        HsmmTestModels.Enumeration e = HsmmTestModels.enumerate(model, s);
        String what = model + " on " + s;
        double tol = 1e-12 * Math.max(1, Math.abs(e.logLikelihood()));
        assertThat(model.logLikelihood(s)).as(what).isCloseTo(e.logLikelihood(), within(tol));
        assertThat(Recurrence.logLikelihood(model, s)).as(what).isCloseTo(e.logLikelihood(), within(tol));
        StateProbabilities smoothed = (StateProbabilities) model.smoothStates(s);
        StateProbabilities filtered = (StateProbabilities) model.filterStates(s);
        for (int t = 0; t < s.length(); t++) {
            double[] prefix = HsmmTestModels.enumerate(model, s.slice("p", 0, t + 1)).posterior()[t];
            for (int k = 0; k < model.stateCount(); k++) {
                assertThat(smoothed.probability(t, k)).as("%s posterior t=%d k=%d", what, t, k)
                        .isCloseTo(e.posterior()[t][k], within(1e-12));
                assertThat(filtered.probability(t, k)).as("%s filtered t=%d k=%d", what, t, k)
                        .isCloseTo(prefix[k], within(1e-12));
            }
        }
        DecodedPath v = model.decode(s);
        assertThat(v.path()).as(what).containsExactly(e.viterbiPath());
        assertThat(v.logProbability()).as(what).isCloseTo(e.viterbiLogProbability(),
                within(1e-12 * Math.max(1, Math.abs(e.viterbiLogProbability()))));
    }
}
