package org.statespace.hmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import org.statespace.capability.SufficientStatistics;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * EM never lowers the likelihood (by more than 1e-8 relative; relative to 1 when the log-likelihood is
 * near 0, as it is when a model comes to explain its data with certainty) and never produces a NaN: random small
 * models of every emission type, random data from another random model (several sequences of different
 * lengths, with missing steps and missing components), random starting models.
 */
class HmmEmPropertiesTest {

    @Property(tries = 120)
    void emNeverLowersTheLikelihood(@ForAll TestModels.Kind kind, @ForAll @IntRange(min = 2, max = 3) int states,
            @ForAll long seed) {
        RandomGenerator random = Randoms.seeded(seed);
        HiddenMarkovModel truth = TestModels.random(random, kind, states);
        List<Sequence> data = new ArrayList<>();
        int sequences = 1 + random.nextInt(3);
        for (int n = 0; n < sequences; n++) {
            data.add(TestModels.withGaps(truth, "s" + n, 2 + random.nextInt(40), random));
        }
        HiddenMarkovModel model = TestModels.random(random, kind, states);
        double previous = Double.NEGATIVE_INFINITY;
        for (int iteration = 0; iteration < 12; iteration++) {
            SufficientStatistics stats = model.newStatistics();
            for (Sequence s : data) {
                model.expectation(s, stats);
            }
            double ll = stats.logLikelihood();
            assertThat(ll).as("%s iteration %d", kind, iteration).isFinite()
                    .isGreaterThanOrEqualTo(previous - 1e-8 * Math.max(1, Math.abs(previous)));
            previous = ll;
            model = model.maximization(stats, HmmFitSettings.defaults());
            assertThat(model.toSpec().toString()).doesNotContain("null");
        }
    }
}
