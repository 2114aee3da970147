package org.statespace.hmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import org.statespace.Recurrence;
import org.statespace.capability.DecodedPath;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * Every kernel against enumeration of all K^T paths on tiny models of every emission type (K = 2, 3;
 * T = 1..6; missing steps and components): log-likelihood, filtered, posterior and two-slice marginals,
 * Viterbi path and log-probability, all to 1e-12.
 */
class HmmBruteForceTest {
    private static final double TOLERANCE = 1e-12;

    @Test
    void kernelsEqualEnumeration() {
        RandomGenerator random = Randoms.seeded(2024);
        int checked = 0;
        for (HiddenMarkovModel model : TestModels.all()) {
            ForwardBackward fb = model.forwardBackward();
            for (int length = 1; length <= 6; length++) {
                for (int rep = 0; rep < 3; rep++) {
                    Sequence s = TestModels.withGaps(model, "s", length, random);
                    BruteForce.Enumeration e = BruteForce.enumerate(model, s);
                    double tol = TOLERANCE * Math.max(1, Math.abs(e.logLikelihood()));
                    String what = model + " T=" + length;

                    assertThat(fb.smooth(s)).as(what).isCloseTo(e.logLikelihood(), within(tol));
                    assertThat(model.logLikelihood(s)).as(what).isCloseTo(e.logLikelihood(), within(tol));
                    assertThat(Recurrence.logLikelihood(model, s)).as(what).isCloseTo(e.logLikelihood(), within(tol));
                    for (int t = 0; t < length; t++) {
                        for (int k = 0; k < model.stateCount(); k++) {
                            assertThat(fb.filtered(t, k)).as(what + " filtered t=" + t).isCloseTo(e.filtered()[t][k], within(TOLERANCE));
                            assertThat(fb.posterior(t, k)).as(what + " posterior t=" + t).isCloseTo(e.posterior()[t][k], within(TOLERANCE));
                            if (t < length - 1) {
                                for (int j = 0; j < model.stateCount(); j++) {
                                    assertThat(fb.twoSlice(t, k, j)).as(what + " two-slice t=" + t)
                                            .isCloseTo(e.twoSlice()[t][k][j], within(TOLERANCE));
                                }
                            }
                        }
                    }
                    DecodedPath path = model.decode(s);
                    assertThat(path.path()).as(what).containsExactly(e.viterbiPath());
                    assertThat(path.logProbability()).as(what).isCloseTo(e.viterbiLogProbability(),
                            within(TOLERANCE * Math.max(1, Math.abs(e.viterbiLogProbability()))));
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(TestModels.all().size() * 18);
    }

    @Test
    void packedResultsMatchTheAccessors() {
        RandomGenerator random = Randoms.seeded(7);
        for (HiddenMarkovModel model : TestModels.all()) {
            Sequence s = TestModels.withGaps(model, "s", 5, random);
            int k = model.stateCount();
            BruteForce.Enumeration e = BruteForce.enumerate(model, s);
            StateProbabilities filtered = model.filterStates(s);
            StateProbabilities smoothed = model.smoothStates(s);
            double[] xi = model.twoSliceMarginals(s);
            assertThat(filtered.tracks().get(0).name()).isEqualTo("filteredProbabilities");
            assertThat(smoothed.tracks().get(0).name()).isEqualTo("posteriorProbabilities");
            assertThat(filtered.logLikelihood()).isCloseTo(e.logLikelihood(), within(1e-11));
            for (int t = 0; t < 5; t++) {
                for (int i = 0; i < k; i++) {
                    assertThat(filtered.probability(t, i)).isCloseTo(e.filtered()[t][i], within(TOLERANCE));
                    assertThat(smoothed.probability(t, i)).isCloseTo(e.posterior()[t][i], within(TOLERANCE));
                    for (int j = 0; t < 4 && j < k; j++) {
                        assertThat(xi[(t * k + i) * k + j]).isCloseTo(e.twoSlice()[t][i][j], within(TOLERANCE));
                    }
                }
            }
        }
    }

    @Test
    void predictedBeliefOfTheRecurrenceIsTheFilterPushedThroughA() {
        RandomGenerator random = Randoms.seeded(8);
        for (HiddenMarkovModel model : TestModels.all()) {
            Sequence s = TestModels.withGaps(model, "s", 6, random);
            int k = model.stateCount();
            BruteForce.Enumeration e = BruteForce.enumerate(model, s);
            double[][] a = model.transitionMatrix();
            Recurrence.workspace(model).run(s, (t, h, predicted, logDensity) -> {
                for (int j = 0; j < k; j++) {
                    double expected = 0;
                    for (int i = 0; i < k; i++) {
                        expected += (t == 0 ? (i == j ? 1 : 0) * model.initial()[i] / 1
                                : e.filtered()[t - 1][i] * a[i][j]);
                    }
                    if (t == 0) {
                        expected = model.initial()[j];
                    }
                    assertThat(h.probability(j)).isCloseTo(expected, within(TOLERANCE));
                }
            });
        }
    }
}
