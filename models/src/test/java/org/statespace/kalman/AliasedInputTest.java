package org.statespace.kalman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.statespace.capability.SufficientStatistics;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * Shumway-Stoffer EM on inputs the training data cannot identify (the seatbelt law of the seatbelts dataset is 0
 * over its whole training part): the M-step holds the coefficients of such an input at their current values
 * instead of failing on singular normal equations, and says so. Checked against EM of the same model without the
 * input, a separate path through the M-step with one regressor fewer.
 */
class AliasedInputTest {

    private static final double[][] F = {{0.8, 0.1}, {-0.2, 0.5}};
    private static final double[][] Q = {{0.4, 0.1}, {0.1, 0.3}};
    private static final double[][] H = {{1, 0.5}};
    private static final double[][] R = {{0.6}};

    /** Two sequences of a model without inputs (lengths 60 and 45), sampled with a fixed seed. */
    private static List<Sequence> observations() {
        LinearGaussianModel truth = LinearGaussianModel.of(F, Q, H, R, new double[] {0, 0},
                new double[][] {{1, 0}, {0, 1}});
        List<Sequence> out = new ArrayList<>();
        int[] lengths = {60, 45};
        for (int i = 0; i < lengths.length; i++) {
            Sequence sampled = truth.sampleWithStates("s" + i, lengths[i], null, Randoms.seeded(31 + i));
            out.add(Sequence.of("s" + i, 1, sampled.observations()));
        }
        return out;
    }

    /** u_t[j] of step t. */
    private interface Input {
        double at(int t, int j);
    }

    private static List<Sequence> withInputs(List<Sequence> data, int p, Input input) {
        List<Sequence> out = new ArrayList<>();
        for (Sequence s : data) {
            double[] inputs = new double[s.length() * p];
            for (int t = 0; t < s.length(); t++) {
                for (int j = 0; j < p; j++) {
                    inputs[t * p + j] = input.at(t, j);
                }
            }
            out.add(s.withInputs(p, inputs));
        }
        return out;
    }

    private static LinearGaussianModel start() {
        return LinearGaussianModel.of(new double[][] {{0.5, 0}, {0, 0.5}}, new double[][] {{1, 0}, {0, 1}},
                new double[][] {{1, 1}}, new double[][] {{1}}, new double[] {0, 0}, new double[][] {{2, 0}, {0, 2}})
                .withTransitionOffset(new double[] {0, 0}).withObservationOffset(new double[] {0.2});
    }

    private static LinearGaussianModel em(LinearGaussianModel model, List<Sequence> data, int iterations) {
        for (int i = 0; i < iterations; i++) {
            SufficientStatistics stats = model.newStatistics();
            for (Sequence s : data) {
                model.expectation(s, stats);
            }
            model = model.maximization(stats, KalmanFitSettings.defaults());
        }
        return model;
    }

    private static void assertClose(double[][] actual, double[][] expected, String what) {
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                assertThat(actual[i][j]).as("%s[%d][%d]", what, i, j).isCloseTo(expected[i][j], within(1e-9));
            }
        }
    }

    private static void assertSameFit(LinearGaussianModel withInput, LinearGaussianModel without) {
        assertClose(withInput.transitionMatrix(), without.transitionMatrix(), "transitionMatrix");
        assertClose(withInput.processNoise(), without.processNoise(), "processNoise");
        assertClose(withInput.observationMatrix(), without.observationMatrix(), "observationMatrix");
        assertClose(withInput.observationNoise(), without.observationNoise(), "observationNoise");
        assertClose(withInput.initialCovariance(), without.initialCovariance(), "initialCovariance");
        assertClose(new double[][] {withInput.initialMean()}, new double[][] {without.initialMean()}, "initialMean");
    }

    /** An input that is 0 throughout: EM fits what it fits without the input, and B and D stay at their start. */
    @Test
    void aZeroInputLeavesTheFitOfTheModelWithoutItAndKeepsItsCoefficients() {
        List<Sequence> plain = observations();
        List<Sequence> zero = withInputs(plain, 1, (t, j) -> 0);
        double[][] b = {{0.3}, {-0.7}};
        double[][] d = {{1.5}};
        LinearGaussianModel withInput = em(start().withControlMatrix(b).withFeedthroughMatrix(d), zero, 25);
        LinearGaussianModel without = em(start(), plain, 25);
        assertSameFit(withInput, without);
        assertClose(new double[][] {withInput.transitionOffset().orElseThrow()},
                new double[][] {without.transitionOffset().orElseThrow()}, "transitionOffset");
        assertClose(new double[][] {withInput.observationOffset().orElseThrow()},
                new double[][] {without.observationOffset().orElseThrow()}, "observationOffset");
        assertThat(withInput.controlMatrix().orElseThrow()).isDeepEqualTo(b);
        assertThat(withInput.feedthroughMatrix().orElseThrow()).isDeepEqualTo(d);
        // the fit says which input and which coefficients
        List<String> notes = withInput.fitNotes(Dataset.of(zero));
        assertThat(notes).hasSize(1);
        assertThat(notes.get(0)).contains("input1").contains("controlMatrix and feedthroughMatrix")
                .contains("held at their starting values");
        assertThat(without.fitNotes(Dataset.of(plain))).isEmpty();
    }

    /**
     * A constant input c = 2 beside a varying one (a trend t): the constant one is aliased with the offsets' constant
     * (R's lm keeps the intercept and drops the later column), so its B column stays put while the offset absorbs
     * B c: from the same start, the offset plus B c equals the fit with only the trend. The trend's coefficient is estimated.
     */
    @Test
    void aConstantInputIsHeldAndTheOffsetTakesItsPlace() {
        List<Sequence> plain = observations();
        List<Sequence> both = withInputs(plain, 2, (t, j) -> j == 0 ? 2 : 0.05 * t);
        List<Sequence> trend = new ArrayList<>();
        for (Sequence s : both) {
            double[] inputs = new double[s.length()];
            for (int t = 0; t < s.length(); t++) {
                inputs[t] = s.input(t, 1);
            }
            trend.add(Sequence.of(s.id(), 1, s.observations()).withInputs(1, inputs));
        }
        double[][] b = {{0.3, 0}, {-0.7, 0}};
        LinearGaussianModel withConstant = em(start().withControlMatrix(b), both, 20);
        // the same start: its transition offset is the other's offset 0 plus B c
        LinearGaussianModel trendOnly = em(start().withControlMatrix(new double[][] {{0}, {0}})
                .withTransitionOffset(new double[] {0.6, -1.4}), trend, 20);
        assertSameFit(withConstant, trendOnly);
        double[][] fittedB = withConstant.controlMatrix().orElseThrow();
        double[] offset = withConstant.transitionOffset().orElseThrow();
        double[] expectedOffset = trendOnly.transitionOffset().orElseThrow();
        for (int i = 0; i < 2; i++) {
            assertThat(fittedB[i][0]).isEqualTo(b[i][0]);
            assertThat(offset[i] + 2 * fittedB[i][0]).as("offset + B c, row %d", i).isCloseTo(expectedOffset[i], within(1e-7));
            assertThat(fittedB[i][1]).isCloseTo(trendOnly.controlMatrix().orElseThrow()[i][0], within(1e-7));
        }
        assertThat(Arrays.stream(fittedB).mapToDouble(r -> Math.abs(r[1])).sum()).isGreaterThan(0);
        List<String> notes = withConstant.fitNotes(Dataset.of(both));
        assertThat(notes).hasSize(1);
        assertThat(notes.get(0)).contains("input1").contains("column 1 of controlMatrix").doesNotContain("input2");
    }
}
