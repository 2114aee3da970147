package org.statespace.hsmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import org.statespace.data.Sequence;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.hsmm.HsmmTestModels.Emissions;
import org.statespace.numeric.Randoms;

/**
 * The E-step's expected counts (initial states, transitions between segments, segment ends by state and
 * duration, censored last segments by state and length so far, occupancy) against enumeration of every
 * state path weighted by its posterior; the sampler's segment lengths against the duration law; the
 * one-step forecast against enumeration.
 */
class HsmmExpectationTest {

    @Test
    void expectedCountsMatchEnumeration() {
        RandomGenerator r = Randoms.seeded(77);
        String[][] durations = {{"table", "poisson"}, {"negative-binomial", "geometric", "table"}, {"geometric"}};
        for (int trial = 0; trial < 4; trial++) {
            for (String[] types : durations) {
                for (Emissions kind : Emissions.values()) {
                    int k = 2 + r.nextInt(2);
                    HiddenSemiMarkovModel model = HsmmTestModels.random(r, k, 1 + r.nextInt(4), kind, types);
                    Sequence s = HsmmTestModels.withGaps(model, "s", 1 + r.nextInt(6), r);
                    SemiMarkovStatistics st = (SemiMarkovStatistics) model.newStatistics();
                    model.expectation(s, st);
                    SemiMarkovStatistics expected = enumerate(model, s);
                    String what = model + " on " + s;
                    assertClose(st.initial, expected.initial, what + " initial");
                    assertClose(st.transitions, expected.transitions, what + " transitions");
                    assertClose(st.ends, expected.ends, what + " ends");
                    assertClose(st.censored, expected.censored, what + " censored");
                    assertClose(st.occupancy, expected.occupancy, what + " occupancy");
                }
            }
        }
    }

    private static void assertClose(double[] actual, double[] expected, String what) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("%s[%d]", what, i).isCloseTo(expected[i], within(1e-12));
        }
    }

    private static SemiMarkovStatistics enumerate(HiddenSemiMarkovModel model, Sequence s) {
        int k = model.stateCount();
        int n = s.length();
        SemiMarkovStatistics out = (SemiMarkovStatistics) model.newStatistics();
        double total = Math.exp(HsmmTestModels.enumerate(model, s).logLikelihood());
        int[] path = new int[n];
        int count = (int) Math.pow(k, n);
        for (int code = 0; code < count; code++) {
            int c = code;
            for (int t = 0; t < n; t++) {
                path[t] = c % k;
                c /= k;
            }
            double w = HsmmTestModels.joint(model, path, s) / total;
            if (w == 0) {
                continue;
            }
            out.initial[path[0]] += w;
            for (int t = 0; t + 1 < n; t++) {
                out.occupancy[path[t]] += w;
            }
            int start = 0;
            for (int t = 1; t <= n; t++) {
                if (t < n && path[t] == path[start]) {
                    continue;
                }
                int state = path[start];
                int length = t - start;
                boolean geometric = model.durations().get(state) instanceof Duration.Geometric;
                int slot = model.entry[state] + (geometric ? 0 : length - 1);
                if (t == n) {
                    out.censored[slot] += w;
                } else {
                    out.transitions[state * k + path[t]] += w;
                    // a geometric state's one slot counts every end
                    out.ends[slot] += w;
                    start = t;
                }
            }
        }
        return out;
    }

    @Test
    void sampledSegmentLengthsFollowTheDurations() {
        Duration table = new Duration.Table(new double[] {0.1, 0.0, 0.5, 0.4});
        Duration poisson = new Duration.Poisson(1.5);
        HiddenSemiMarkovModel model = HiddenSemiMarkovModel.of(List.of(), new double[] {1, 0}, new double[][] {{0, 1}, {1, 0}},
                List.of(table, poisson), 5, org.statespace.hmm.PoissonEmission.of(new double[][] {{1}, {2}}));
        Sequence s = model.sampleWithStates("long", 200_000, null, Randoms.seeded(5));
        double[][] counts = new double[2][6];
        int start = 0;
        for (int t = 1; t < s.length(); t++) {
            if (s.state(t, 0) != s.state(start, 0)) {
                counts[(int) s.state(start, 0)][t - start]++;
                start = t;
            }
        }
        for (int k = 0; k < 2; k++) {
            double segments = 0;
            for (double x : counts[k]) {
                segments += x;
            }
            for (int d = 1; d <= 5; d++) {
                double p = HsmmTestModels.pmf(model.durations().get(k), 5, d);
                double se = Math.sqrt(p * (1 - p) / segments);
                assertThat(counts[k][d] / segments).as("state %d, duration %d", k, d).isCloseTo(p, within(4 * se + 1e-12));
            }
        }
    }

    @Test
    void forecastIsThePredictiveOfTheNextStep() {
        RandomGenerator r = Randoms.seeded(31);
        for (int trial = 0; trial < 10; trial++) {
            HiddenSemiMarkovModel model = HsmmTestModels.random(r, 2 + r.nextInt(2), 2 + r.nextInt(3), Emissions.GAUSSIAN,
                    "table", "negative-binomial", "geometric");
            Sequence history = HsmmTestModels.withGaps(model, "h", 1 + r.nextInt(4), r);
            List<PredictiveDistribution> ahead = model.forecast(history, 2, null);
            double y = 3 * r.nextGaussian();
            // p(o_T = y | o_<T) by enumeration: the likelihood ratio of the history with y appended and without;
            // two steps ahead: o_T missing, o_{T+1} = y
            for (int h = 1; h <= 2; h++) {
                double[] values = new double[history.length() + h];
                for (int t = 0; t < history.length(); t++) {
                    values[t] = history.value(t, 0);
                }
                for (int t = history.length(); t < values.length - 1; t++) {
                    values[t] = Double.NaN;
                }
                values[values.length - 1] = y;
                double expected = HsmmTestModels.enumerate(model, Sequence.ofScalars("x", values)).logLikelihood()
                        - HsmmTestModels.enumerate(model, history).logLikelihood();
                assertThat(ahead.get(h - 1).logDensity(new double[] {y}, 0)).as("%d ahead", h)
                        .isCloseTo(expected, within(1e-10));
            }
        }
    }
}
