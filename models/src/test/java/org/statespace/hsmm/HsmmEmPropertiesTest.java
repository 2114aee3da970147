package org.statespace.hsmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import org.statespace.capability.SufficientStatistics;
import org.statespace.data.Sequence;
import org.statespace.hmm.HmmFitSettings;
import org.statespace.hsmm.HsmmTestModels.Emissions;
import org.statespace.numeric.Randoms;

/**
 * EM never lowers the likelihood: over random small models of every duration type and emission, started
 * away from the model that generated the data, each iteration's log-likelihood is at least the previous
 * one's; and the E-step's log-likelihood is the recurrence's (checked against enumeration elsewhere).
 */
class HsmmEmPropertiesTest {

    private static final String[][] DURATIONS = {
            {"poisson"}, {"negative-binomial"}, {"table"}, {"geometric"}, {"negative-binomial", "table", "geometric"}};

    @Test
    void emNeverLowersTheLikelihood() {
        RandomGenerator r = Randoms.seeded(2026);
        int runs = 0;
        for (int trial = 0; trial < 3; trial++) {
            for (String[] durations : DURATIONS) {
                for (Emissions kind : Emissions.values()) {
                    int k = 2 + r.nextInt(2);
                    int maxDuration = 3 + r.nextInt(8);
                    HiddenSemiMarkovModel truth = HsmmTestModels.random(r, k, maxDuration, kind, durations);
                    List<Sequence> data = new ArrayList<>();
                    for (int n = 0; n < 3; n++) {
                        data.add(HsmmTestModels.withGaps(truth, "s" + n, 20 + r.nextInt(40), r));
                    }
                    HiddenSemiMarkovModel model = HsmmTestModels.random(r, k, maxDuration, kind, durations);
                    double previous = Double.NEGATIVE_INFINITY;
                    for (int iteration = 0; iteration < 8; iteration++) {
                        SufficientStatistics stats = model.newStatistics();
                        double direct = 0;
                        for (Sequence s : data) {
                            model.expectation(s, stats);
                            direct += org.statespace.Recurrence.logLikelihood(model, s);
                        }
                        double ll = stats.logLikelihood();
                        assertThat(ll).isCloseTo(direct, org.assertj.core.api.Assertions.within(1e-9 * Math.abs(direct)));
                        assertThat(ll).as("iteration %d of %s", iteration, model)
                                .isGreaterThanOrEqualTo(previous - 1e-9 * Math.abs(previous));
                        previous = ll;
                        model = model.maximization(stats, HmmFitSettings.defaults());
                    }
                    runs++;
                }
            }
        }
        assertThat(runs).isEqualTo(3 * DURATIONS.length * 3);
    }
}
