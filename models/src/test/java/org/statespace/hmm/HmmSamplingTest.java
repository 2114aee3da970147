package org.statespace.hmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import org.statespace.Recurrence;
import org.statespace.Sampling;
import org.statespace.data.Sequence;
import org.statespace.distribution.Categorical;
import org.statespace.distribution.Mixture;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.numeric.Randoms;

/**
 * Generative sampling with the hidden path, posterior path sampling (FFBS), forecasts and the
 * predictive distribution of every step, against enumeration and long-run frequencies.
 */
class HmmSamplingTest {

    @Test
    void generativeSamplesFollowTheChainAndTheEmissions() {
        HiddenMarkovModel model = TestModels.gaussian().get(0); // K=3, 1-D
        Sequence s = Sampling.sample(model, "s", 60_000, null, Randoms.seeded(1));
        assertThat(s.hasStates()).isTrue();
        double[][] a = model.transitionMatrix();
        double[][] counts = new double[3][3];
        double[] sums = new double[3];
        double[] n = new double[3];
        for (int t = 0; t < s.length(); t++) {
            int k = (int) s.state(t, 0);
            sums[k] += s.scalar(t);
            n[k]++;
            if (t > 0) {
                counts[(int) s.state(t - 1, 0)][k]++;
            }
        }
        double[] means = {-1, 0.5, 2.5};
        for (int i = 0; i < 3; i++) {
            double row = counts[i][0] + counts[i][1] + counts[i][2];
            for (int j = 0; j < 3; j++) {
                // binomial standard error of a transition frequency, 5 of them
                double se = Math.sqrt(a[i][j] * (1 - a[i][j]) / row);
                assertThat(counts[i][j] / row).isCloseTo(a[i][j], within(5 * se + 1e-3));
            }
            assertThat(sums[i] / n[i]).isCloseTo(means[i], within(5 * Math.sqrt(1.2 / n[i])));
        }
        // same seed, same draw
        assertThat(Sampling.sample(model, "s", 100, null, Randoms.seeded(1)))
                .isEqualTo(Sampling.sample(model, "s", 100, null, Randoms.seeded(1)));
    }

    @Test
    void posteriorPathsAreDrawnWithTheirPosteriorProbabilities() {
        RandomGenerator random = Randoms.seeded(2);
        HiddenMarkovModel model = TestModels.categorical().get(0);
        Sequence s = Sequence.ofSymbols("s", new int[] {0, 2, -1, 2, 1});
        int draws = 40_000;
        List<int[]> paths = model.samplePosteriorPaths(s, draws, random);
        Map<String, Integer> counts = new HashMap<>();
        for (int[] p : paths) {
            counts.merge(java.util.Arrays.toString(p), 1, Integer::sum);
        }
        // p(path | o) by enumeration: joint / p(o)
        BruteForce.Enumeration e = BruteForce.enumerate(model, s);
        double[][] b = BruteForce.densities(model, s);
        double[] pi = model.initial();
        double[][] a = model.transitionMatrix();
        int checked = 0;
        for (int code = 0; code < 32; code++) {
            int[] path = new int[5];
            for (int t = 0; t < 5; t++) {
                path[t] = (code >> (4 - t)) & 1;
            }
            double joint = pi[path[0]] * b[0][path[0]];
            for (int t = 1; t < 5; t++) {
                joint *= a[path[t - 1]][path[t]] * b[t][path[t]];
            }
            double p = joint / Math.exp(e.logLikelihood());
            double freq = counts.getOrDefault(java.util.Arrays.toString(path), 0) / (double) draws;
            assertThat(freq).as("path %s", java.util.Arrays.toString(path))
                    .isCloseTo(p, within(5 * Math.sqrt(p * (1 - p) / draws) + 1e-4));
            checked++;
        }
        assertThat(checked).isEqualTo(32);
    }

    @Test
    void forecastsPropagateTheLastFilteredBelief() {
        RandomGenerator random = Randoms.seeded(3);
        for (HiddenMarkovModel model : List.of(TestModels.categorical().get(1), TestModels.gaussian().get(2),
                TestModels.poisson().get(0))) {
            Sequence history = TestModels.withGaps(model, "h", 5, random);
            BruteForce.Enumeration e = BruteForce.enumerate(model, history);
            int k = model.stateCount();
            double[][] a = model.transitionMatrix();
            double[] belief = e.filtered()[4];
            List<PredictiveDistribution> forecast = model.forecast(history, 3, null);
            assertThat(forecast).hasSize(3);
            for (int h = 0; h < 3; h++) {
                double[] next = new double[k];
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        next[j] += belief[i] * a[i][j];
                    }
                }
                belief = next;
                PredictiveDistribution d = forecast.get(h);
                if (d instanceof Categorical c) {
                    CategoricalEmission ce = (CategoricalEmission) model.emissionModel();
                    for (int m = 0; m < c.size(); m++) {
                        double p = 0;
                        for (int j = 0; j < k; j++) {
                            p += belief[j] * ce.probability(j, m);
                        }
                        assertThat(c.probability(m)).isCloseTo(p, within(1e-12));
                    }
                } else {
                    Mixture mixture = (Mixture) d;
                    for (int j = 0; j < k; j++) {
                        assertThat(mixture.weight(j)).isCloseTo(belief[j], within(1e-12));
                    }
                }
            }
        }
    }

    @Test
    void predictiveDistributionsScoreTheObservations() {
        RandomGenerator random = Randoms.seeded(4);
        for (HiddenMarkovModel model : TestModels.all()) {
            Sequence s = TestModels.withGaps(model, "s", 6, random);
            List<PredictiveDistribution> predictive = model.predictiveDistributions(s);
            double[] y = new double[s.dimension()];
            double total = 0;
            for (int t = 0; t < s.length(); t++) {
                s.copyObservation(t, y, 0);
                total += predictive.get(t).logDensity(y, 0);
            }
            double expected = BruteForce.enumerate(model, s).logLikelihood();
            assertThat(total).as("%s", model).isCloseTo(expected, within(1e-10 * Math.max(1, Math.abs(expected))));
            // the step's reuse of the scored densities gives the same beliefs as recomputing them
            double[] fromRecurrence = new double[s.length()];
            Recurrence.workspace(model).run(s, (t, h, p, ld) -> fromRecurrence[t] = h.probability(0));
            Sequence copy = Sequence.of("copy", s.dimension(), s.observations());
            HiddenMarkovModel.Belief h = model.transition().newState();
            model.transition().start(h, copy);
            for (int t = 1; t < s.length(); t++) {
                model.transition().step(h, copy, t); // no logDensity call: densities computed by the step
                assertThat(h.probability(0)).isCloseTo(fromRecurrence[t], within(1e-14));
            }
        }
    }
}
