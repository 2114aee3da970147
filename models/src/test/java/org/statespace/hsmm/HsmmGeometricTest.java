package org.statespace.hsmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import org.statespace.Recurrence;
import org.statespace.data.Sequence;
import org.statespace.distribution.Categorical;
import org.statespace.distribution.Mixture;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.hmm.CategoricalEmission;
import org.statespace.hmm.EmissionModel;
import org.statespace.hmm.GaussianEmission;
import org.statespace.hmm.GaussianMixtureEmission;
import org.statespace.hmm.HiddenMarkovModel;
import org.statespace.hmm.PoissonEmission;
import org.statespace.hmm.StateProbabilities;
import org.statespace.numeric.Randoms;

/**
 * An explicit-duration HMM whose durations are all geometric (leave with q_i at every step) is the plain
 * HMM with A_ii = 1 - q_i and A_ij = q_i Ā_ij: log-likelihoods, every filtered predictive distribution,
 * posterior marginals and Viterbi paths agree to 1e-12, for every emission type, with missing steps, and on
 * a long sequence (no underflow).
 */
class HsmmGeometricTest {

    @Test
    void geometricDurationsAreThePlainHmm() {
        RandomGenerator r = Randoms.seeded(7);
        int pairs = 0;
        for (int k = 2; k <= 4; k++) {
            for (EmissionModel e : emissions(r, k)) {
                double[] initial = HsmmTestModels.randomRow(r, k, -1);
                double[][] jump = new double[k][];
                double[][] a = new double[k][k];
                List<Duration> durations = new ArrayList<>();
                for (int i = 0; i < k; i++) {
                    jump[i] = HsmmTestModels.randomRow(r, k, i);
                    double q = 0.02 + 0.9 * r.nextDouble();
                    durations.add(new Duration.Geometric(q));
                    for (int j = 0; j < k; j++) {
                        a[i][j] = i == j ? 1 - q : q * jump[i][j];
                    }
                }
                HiddenSemiMarkovModel hsmm = HiddenSemiMarkovModel.of(List.of(), initial, jump, durations,
                        1 + r.nextInt(20), e);
                HiddenMarkovModel hmm = HiddenMarkovModel.of(initial, a, e);
                for (int length : new int[] {1, 7, 300}) {
                    compare(hsmm, hmm, withGaps(hmm.sampleWithStates("s", length, null, r), r));
                }
                pairs++;
            }
        }
        assertThat(pairs).isEqualTo(3 * 4);
    }

    @Test
    void longSequencesDoNotUnderflow() {
        RandomGenerator r = Randoms.seeded(8);
        List<Duration> durations = List.of(new Duration.Geometric(0.05), new Duration.Geometric(0.2));
        double[][] jump = {{0, 1}, {1, 0}};
        double[][] a = {{0.95, 0.05}, {0.2, 0.8}};
        EmissionModel e = GaussianEmission.univariate(new double[] {-1, 2}, new double[] {1, 0.5});
        HiddenSemiMarkovModel hsmm = HiddenSemiMarkovModel.of(List.of(), new double[] {0.5, 0.5}, jump, durations, 5, e);
        HiddenMarkovModel hmm = HiddenMarkovModel.of(new double[] {0.5, 0.5}, a, e);
        Sequence s = hmm.sampleWithStates("long", 100_000, null, r);
        double expected = hmm.logLikelihood(s);
        assertThat(expected).isFinite().isLessThan(-50_000);
        assertThat(hsmm.logLikelihood(s)).isCloseTo(expected, within(1e-12 * Math.abs(expected)));
        assertThat(Recurrence.logLikelihood(hsmm, s)).isCloseTo(expected, within(1e-12 * Math.abs(expected)));
    }

    private static void compare(HiddenSemiMarkovModel hsmm, HiddenMarkovModel hmm, Sequence s) {
        double expected = hmm.logLikelihood(s);
        double tol = 1e-12 * Math.max(1, Math.abs(expected));
        assertThat(hsmm.logLikelihood(s)).isCloseTo(expected, within(tol));
        List<PredictiveDistribution> mine = new ArrayList<>();
        List<Double> myDensities = new ArrayList<>();
        double mineTotal = Recurrence.workspace(hsmm).run(s, (t, h, p, ld) -> {
            mine.add(p.copy());
            myDensities.add(ld);
        });
        List<PredictiveDistribution> theirs = new ArrayList<>();
        List<Double> theirDensities = new ArrayList<>();
        Recurrence.workspace(hmm).run(s, (t, h, p, ld) -> {
            theirs.add(p.copy());
            theirDensities.add(ld);
        });
        assertThat(mineTotal).isCloseTo(expected, within(tol));
        for (int t = 0; t < s.length(); t++) {
            assertThat(myDensities.get(t)).as("log density at %d", t).isCloseTo(theirDensities.get(t), within(1e-12));
            PredictiveDistribution a = mine.get(t);
            PredictiveDistribution b = theirs.get(t);
            if (a instanceof Categorical ca) {
                Categorical cb = (Categorical) b;
                for (int m = 0; m < ca.size(); m++) {
                    assertThat(ca.probability(m)).isCloseTo(cb.probability(m), within(1e-12));
                }
            } else {
                Mixture ma = (Mixture) a;
                Mixture mb = (Mixture) b;
                for (int k = 0; k < ma.size(); k++) {
                    assertThat(ma.weight(k)).as("weight %d at %d", k, t).isCloseTo(mb.weight(k), within(1e-12));
                }
                assertThat(ma.mean(0)).isCloseTo(mb.mean(0), within(1e-12 * Math.max(1, Math.abs(mb.mean(0)))));
            }
        }
        StateProbabilities smoothed = (StateProbabilities) hsmm.smoothStates(s);
        var reference = hmm.smoothStates(s);
        for (int t = 0; t < s.length(); t++) {
            for (int k = 0; k < hmm.stateCount(); k++) {
                assertThat(smoothed.probability(t, k)).isCloseTo(reference.probability(t, k), within(1e-12));
            }
        }
        var v = hsmm.decode(s);
        var w = hmm.decode(s);
        assertThat(v.path()).containsExactly(w.path());
        assertThat(v.logProbability()).isCloseTo(w.logProbability(), within(1e-12 * Math.max(1, Math.abs(w.logProbability()))));
    }

    private static List<EmissionModel> emissions(RandomGenerator r, int k) {
        double[][] b = new double[k][];
        double[][] means = new double[k][2];
        double[][] variances = new double[k][2];
        double[][] rates = new double[k][1];
        double[][] weights = new double[k][];
        double[][][] mixMeans = new double[k][2][1];
        double[][][] mixVariances = new double[k][2][1];
        for (int i = 0; i < k; i++) {
            b[i] = HsmmTestModels.randomRow(r, 4, -1);
            weights[i] = HsmmTestModels.randomRow(r, 2, -1);
            rates[i][0] = 0.5 + 5 * r.nextDouble();
            for (int j = 0; j < 2; j++) {
                means[i][j] = 3 * r.nextGaussian();
                variances[i][j] = 0.3 + r.nextDouble();
                mixMeans[i][j][0] = 3 * r.nextGaussian();
                mixVariances[i][j][0] = 0.3 + r.nextDouble();
            }
        }
        return List.of(CategoricalEmission.of(b), GaussianEmission.diagonal(means, variances), PoissonEmission.of(rates),
                GaussianMixtureEmission.diagonal(weights, mixMeans, mixVariances));
    }

    private static Sequence withGaps(Sequence s, RandomGenerator r) {
        double[] y = s.observations();
        int d = s.dimension();
        for (int t = 0; t < s.length(); t++) {
            if (r.nextInt(6) == 0) {
                for (int j = 0; j < d; j++) {
                    y[t * d + j] = Double.NaN;
                }
            } else if (d > 1 && r.nextInt(6) == 0) {
                y[t * d] = Double.NaN;
            }
        }
        return Sequence.of(s.id(), d, y);
    }

    /**
     * One EM step of the geometric-duration HSMM is one Baum-Welch step of the equivalent HMM (whose
     * Baum-Welch is checked against an independent reference): q_i' = 1 - A_ii', Ā_ij' = A_ij' / (1 - A_ii'),
     * the same initial distribution and emissions.
     */
    @Test
    void emOnGeometricDurationsIsBaumWelch() {
        RandomGenerator r = Randoms.seeded(9);
        for (int trial = 0; trial < 6; trial++) {
            int k = 2 + trial % 3;
            double[] initial = HsmmTestModels.randomRow(r, k, -1);
            double[][] jump = new double[k][];
            double[][] a = new double[k][k];
            List<Duration> durations = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                jump[i] = HsmmTestModels.randomRow(r, k, i);
                double q = 0.05 + 0.5 * r.nextDouble();
                durations.add(new Duration.Geometric(q));
                for (int j = 0; j < k; j++) {
                    a[i][j] = i == j ? 1 - q : q * jump[i][j];
                }
            }
            EmissionModel e = emissions(r, k).get(trial % 4);
            HiddenSemiMarkovModel hsmm = HiddenSemiMarkovModel.of(List.of(), initial, jump, durations, 3, e);
            HiddenMarkovModel hmm = HiddenMarkovModel.of(initial, a, e);
            List<Sequence> data = List.of(withGaps(hmm.sampleWithStates("a", 80, null, r), r),
                    withGaps(hmm.sampleWithStates("b", 50, null, r), r));
            var mine = hsmm.newStatistics();
            var theirs = hmm.newStatistics();
            for (Sequence s : data) {
                hsmm.expectation(s, mine);
                hmm.expectation(s, theirs);
            }
            HiddenSemiMarkovModel next = hsmm.maximization(mine, org.statespace.hmm.HmmFitSettings.defaults());
            HiddenMarkovModel reference = hmm.maximization(theirs, org.statespace.hmm.HmmFitSettings.defaults());
            double[][] ra = reference.transitionMatrix();
            double[][] na = next.transitionMatrix();
            for (int i = 0; i < k; i++) {
                assertThat(next.initial()[i]).isCloseTo(reference.initial()[i], within(1e-12));
                double q = ((Duration.Geometric) next.durations().get(i)).probability();
                assertThat(q).isCloseTo(1 - ra[i][i], within(1e-12));
                for (int j = 0; j < k; j++) {
                    if (j != i) {
                        assertThat(na[i][j]).isCloseTo(ra[i][j] / (1 - ra[i][i]), within(1e-12));
                    }
                }
            }
            List<Double> got = numbers(next.emissionModel().toSpec(), new ArrayList<>());
            List<Double> want = numbers(reference.emissionModel().toSpec(), new ArrayList<>());
            assertThat(got).hasSameSizeAs(want);
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i)).isCloseTo(want.get(i), within(1e-12 * Math.max(1, Math.abs(want.get(i)))));
            }
        }
    }

    private static List<Double> numbers(com.fasterxml.jackson.databind.JsonNode node, List<Double> out) {
        if (node.isNumber()) {
            out.add(node.asDouble());
        }
        node.forEach(child -> numbers(child, out));
        return out;
    }
}

