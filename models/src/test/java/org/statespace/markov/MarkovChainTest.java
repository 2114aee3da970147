package org.statespace.markov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.statespace.Sampling;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.distribution.Categorical;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.numeric.Randoms;

class MarkovChainTest {
    static final MarkovChain WEATHER = MarkovChainContractTest.WEATHER;

    @Test
    void weatherStationaryDistributionIsTheHandComputedOne() {
        // π = πP by hand: π3 = 0.1 π1 + 0.4 π2, π2 = 7/12 π1, so π ∝ (12, 7, 4)
        double[] pi = WEATHER.analyze().stationaryDistribution().orElseThrow();
        assertThat(pi[0]).isCloseTo(12.0 / 23, within(1e-12));
        assertThat(pi[1]).isCloseTo(7.0 / 23, within(1e-12));
        assertThat(pi[2]).isCloseTo(4.0 / 23, within(1e-12));
    }

    @Test
    void maximumLikelihoodRecoversTheWeatherChainFromALongSample() {
        Sequence s = Sampling.sample(WEATHER, "w", 100_000, null, Randoms.seeded(2024));
        MarkovChain fitted = WEATHER.fitClosedForm(Dataset.ofSymbols(List.of(s), WEATHER.symbolNames()), MarkovFitSettings.defaults());
        // each row sees at least 17,000 transitions: standard errors below 0.004, so 0.02 is five of them
        double[][] expected = WEATHER.transitionMatrix();
        double[][] actual = fitted.transitionMatrix();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat(actual[i][j]).as("transition[%d][%d]", i, j).isCloseTo(expected[i][j], within(0.02));
            }
        }
        assertThat(fitted.initial()).containsExactly(1, 0, 0);
    }

    @Test
    void maximumLikelihoodOfCountsIsTheirProportion() {
        Sequence a = Sequence.ofSymbols("a", new int[] {0, 0, 0, 1, 0, 1, 1});
        Sequence b = Sequence.ofSymbols("b", new int[] {1, -1, 0, 0});
        MarkovChain start = MarkovChain.of(new double[] {0.5, 0.5}, new double[][] {{0.5, 0.5}, {0.5, 0.5}});
        MarkovChain fitted = start.fitClosedForm(Dataset.ofSymbols(List.of(a, b), List.of()), MarkovFitSettings.defaults());
        // transitions (missing steps skipped): 0->0 twice in a and once in b, 0->1 twice, 1->0 once, 1->1 once
        assertThat(fitted.transition(0, 0)).isCloseTo(3.0 / 5, within(1e-15));
        assertThat(fitted.transition(1, 0)).isCloseTo(0.5, within(1e-15));
        assertThat(fitted.initial()).containsExactly(0.5, 0.5);
        MarkovChain smoothed = start.fitClosedForm(Dataset.ofSymbols(List.of(a, b), List.of()),
                MarkovFitSettings.defaults().withPseudoCount(1));
        assertThat(smoothed.transition(0, 0)).isCloseTo(4.0 / 7, within(1e-15));
    }

    @Test
    void aSecondOrderChainIsRecovered() {
        MarkovChain chain = MarkovChainContractTest.SECOND_ORDER;
        List<Sequence> seqs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            seqs.add(Sampling.sample(chain, "s" + i, 5000, null, Randoms.stream(9, i)));
        }
        MarkovChain fitted = chain.fitClosedForm(Dataset.ofSymbols(seqs, List.of()), MarkovFitSettings.defaults());
        for (int r = 0; r < 4; r++) {
            assertThat(fitted.transition(r, 0)).isCloseTo(chain.transition(r, 0), within(0.02));
        }
    }

    @Test
    void twoStateNStepDistributionMatchesTheClosedForm() {
        double a = 0.3;
        double b = 0.1;
        MarkovChain chain = MarkovChain.of(new double[] {1, 0}, new double[][] {{1 - a, a}, {b, 1 - b}});
        for (long n : new long[] {0, 1, 2, 7, 50, 1000, 1_000_000_000L}) {
            double expected = b / (a + b) + a / (a + b) * Math.pow(1 - a - b, n);
            assertThat(chain.distributionAfter(0, n)[0]).as("n = %d", n).isCloseTo(expected, within(1e-13));
            assertThat(chain.distributionAt(n)[0]).isCloseTo(expected, within(1e-13));
        }
    }

    @Test
    void twoStatePassageTimesMatchTheClosedForm() {
        double a = 0.3;
        double b = 0.1;
        MarkovChain chain = MarkovChain.of(new double[] {1, 0}, new double[][] {{1 - a, a}, {b, 1 - b}});
        double[][] m = chain.analyze().meanFirstPassageTimes();
        assertThat(m[0][1]).isCloseTo(1 / a, within(1e-12));
        assertThat(m[1][0]).isCloseTo(1 / b, within(1e-12));
        // mean return time = 1 / π (Kac), π0 = b / (a + b)
        assertThat(m[0][0]).isCloseTo((a + b) / b, within(1e-12));
        assertThat(m[1][1]).isCloseTo((a + b) / a, within(1e-12));
    }

    @Test
    void weatherReturnTimesAreInverseStationaryProbabilities() {
        double[][] m = WEATHER.analyze().meanFirstPassageTimes();
        assertThat(m[0][0]).isCloseTo(23.0 / 12, within(1e-12));
        assertThat(m[1][1]).isCloseTo(23.0 / 7, within(1e-12));
        assertThat(m[2][2]).isCloseTo(23.0 / 4, within(1e-12));
    }

    @Test
    void aPeriodicChainIsClassified() {
        MarkovChain cycle = MarkovChain.of(new double[] {1, 0, 0}, new double[][] {{0, 1, 0}, {0, 0, 1}, {1, 0, 0}});
        MarkovChainAnalysis a = cycle.analyze();
        assertThat(a.isIrreducible()).isTrue();
        assertThat(a.period(0)).isEqualTo(3);
        assertThat(a.stationaryDistribution().orElseThrow()).containsExactly(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, within(1e-12));
        // a random walk on a 4-cycle is bipartite: period 2
        MarkovChain walk = MarkovChain.of(new double[] {1, 0, 0, 0},
                new double[][] {{0, 0.5, 0, 0.5}, {0.5, 0, 0.5, 0}, {0, 0.5, 0, 0.5}, {0.5, 0, 0.5, 0}});
        assertThat(walk.analyze().period(2)).isEqualTo(2);
        assertThat(WEATHER.analyze().period(0)).isEqualTo(1);
    }

    @Test
    void aReducibleChainIsClassifiedWithAbsorption() {
        // gambler's ruin on {0, 1, 2, 3} with a fair coin: 0 and 3 absorb
        MarkovChain ruin = MarkovChain.of(new double[] {0, 1, 0, 0},
                new double[][] {{1, 0, 0, 0}, {0.5, 0, 0.5, 0}, {0, 0.5, 0, 0.5}, {0, 0, 0, 1}});
        MarkovChainAnalysis a = ruin.analyze();
        assertThat(a.isIrreducible()).isFalse();
        assertThat(a.absorbingStates()).containsExactly(0, 3);
        assertThat(a.transientStates()).containsExactly(1, 2);
        assertThat(a.closedClasses()).hasSize(2);
        assertThat(a.classOf(1).closed()).isFalse();
        assertThat(a.stationaryDistribution()).isEmpty();
        assertThat(a.stationaryDistributions().get(0)).containsExactly(1, 0, 0, 0);
        assertThat(a.stationaryDistributions().get(1)).containsExactly(0, 0, 0, 1);
        // ruin probability from i is (N - i) / N; expected duration i (N - i)
        double[][] absorption = a.absorptionProbabilities();
        assertThat(absorption[0][0]).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(absorption[0][1]).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(absorption[1][0]).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(a.expectedStepsToAbsorption()).containsExactly(new double[] {2, 2}, within(1e-12));
        assertThat(a.meanFirstPassageTimes()[1][0]).isInfinite();
        assertThat(a.meanFirstPassageTimes()[0][0]).isEqualTo(1);
        assertThat(a.period(1)).isEqualTo(2);
    }

    @Test
    void aClosedPeriodicClassInsideAReducibleChain() {
        // 0 -> {1, 2}; {1, 2} alternate forever
        MarkovChain chain = MarkovChain.of(new double[] {1, 0, 0},
                new double[][] {{0.2, 0.4, 0.4}, {0, 0, 1}, {0, 1, 0}});
        MarkovChainAnalysis a = chain.analyze();
        assertThat(a.classes()).hasSize(2);
        assertThat(a.classOf(1).closed()).isTrue();
        assertThat(a.period(1)).isEqualTo(2);
        assertThat(a.period(0)).isEqualTo(1);
        assertThat(a.absorbingStates()).isEmpty();
        assertThat(a.stationaryDistributions().get(0)).containsExactly(new double[] {0, 0.5, 0.5}, within(1e-12));
        assertThat(a.expectedStepsToAbsorption()[0]).isCloseTo(1 / 0.8, within(1e-12));
    }

    @Test
    void aChainWithAnEntryOf1eMinus300IsAnalysedExactly() {
        // state 0 stays with probability 1 - 1e-300 (= 1 in double) and leaves with 1e-300; a valid chain.
        // By hand: π ∝ (0.5, 1e-300), m_01 = 1/1e-300, m_10 = 1/0.5, m_11 = 1 + 0.5 m_01 = 1/π_1 (Kac)
        MarkovChain chain = MarkovChain.of(new double[] {1, 0}, new double[][] {{1, 1e-300}, {0.5, 0.5}});
        MarkovChainAnalysis a = chain.analyze();
        double[] pi = a.stationaryDistribution().orElseThrow();
        assertThat(pi[0]).isCloseTo(1, within(1e-15));
        assertThat(pi[1] / 2e-300).isCloseTo(1, within(1e-14));
        double[][] m = a.meanFirstPassageTimes();
        assertThat(m[0][1] / 1e300).isCloseTo(1, within(1e-14));
        assertThat(m[1][0]).isCloseTo(2, within(1e-14));
        assertThat(m[0][0]).isEqualTo(1);
        assertThat(m[1][1] / 5e299).isCloseTo(1, within(1e-14));
        // state 0 is left (rarely), so it is not absorbing though its stay rounds to 1
        assertThat(a.absorbingStates()).isEmpty();
        assertThat(a.toText()).contains("Absorbing states: none").contains("1.0000e+300").contains("2.000000e-300");
    }

    @Test
    void tinyEntriesKeepFullRelativeAccuracy() {
        // a three-state ring whose 1 -> 2 entry is ε = 1e-200. By hand from the balance equations π = π A
        // with A = [[0.5, 0.5, 0], [0.5, 0.5 - ε, ε], [1, 0, 0]]: π2 = ε π1 and π1 = π0 · 0.5 / (0.5 + ε),
        // so in double precision π = (0.5, 0.5, 0.5 ε).
        double eps = 1e-200;
        MarkovChain chain = MarkovChain.of(new double[] {1, 0, 0},
                new double[][] {{0.5, 0.5, 0}, {0.5, 0.5 - eps, eps}, {1, 0, 0}});
        double[] pi = chain.analyze().stationaryDistribution().orElseThrow();
        assertThat(pi[0]).isCloseTo(0.5, within(1e-15));
        assertThat(pi[1]).isCloseTo(0.5, within(1e-15));
        assertThat(pi[2] / (0.5 * eps)).isCloseTo(1, within(1e-14));
        // and π A = π holds entry by entry, relative to each entry (power iteration's fixed point)
        double[][] t = chain.transitionMatrix();
        for (int j = 0; j < 3; j++) {
            double next = 0;
            for (int i = 0; i < 3; i++) {
                next += pi[i] * t[i][j];
            }
            assertThat(next / pi[j]).as("(πA)_%d / π_%d", j, j).isCloseTo(1, within(1e-14));
        }
    }

    @Test
    void logLikelihoodOfAPathIsTheProductOfItsEntries() {
        assertThat(WEATHER.logLikelihood(0, 1, 2, 0)).isCloseTo(
                Math.log(1) + Math.log(0.15) + Math.log(0.2) + Math.log(0.25), within(1e-14));
        assertThat(WEATHER.logLikelihood(0, 1, 0, 2)).isCloseTo(
                Math.log(0.15) + Math.log(0.2) + Math.log(0.05), within(1e-14));
        assertThat(WEATHER.logLikelihood(1, 0)).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void forecastsAreNStepDistributions() {
        Sequence history = Sequence.ofSymbols("h", new int[] {0, 2, 1});
        List<PredictiveDistribution> f = WEATHER.forecast(history, 4, null);
        for (int k = 1; k <= 4; k++) {
            double[] expected = WEATHER.distributionAfter(1, k);
            Categorical c = (Categorical) f.get(k - 1);
            for (int j = 0; j < 3; j++) {
                assertThat(c.probability(j)).isCloseTo(expected[j], within(1e-14));
            }
        }
    }
}
