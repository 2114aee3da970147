package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.statespace.Recurrence;
import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.hmm.GaussianEmission;
import org.statespace.hmm.HiddenMarkovModel;
import org.statespace.hmm.HmmFitSettings;
import org.statespace.numeric.InformationCriteria;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;
import org.statespace.spec.SpecNode;

/** The generic trainer runs Baum-Welch with restarts on HMM data end to end. */
class HmmTrainerTest {

    static final HiddenMarkovModel TRUTH = HiddenMarkovModel.of(new double[] {0.5, 0.3, 0.2},
            new double[][] {{0.9, 0.05, 0.05}, {0.05, 0.9, 0.05}, {0.1, 0.1, 0.8}},
            GaussianEmission.full(new double[][] {{0, 0}, {4, 0}, {0, 4}},
                    new double[][][] {{{1, 0.3}, {0.3, 1}}, {{1, 0}, {0, 0.5}}, {{0.7, -0.2}, {-0.2, 1.2}}}));

    // a poor start: every state at the origin but for a nudge
    static final HiddenMarkovModel START = HiddenMarkovModel.of(new double[] {0.34, 0.33, 0.33},
            new double[][] {{0.5, 0.25, 0.25}, {0.25, 0.5, 0.25}, {0.25, 0.25, 0.5}},
            GaussianEmission.full(new double[][] {{0, 0}, {0.1, 0}, {0, 0.1}},
                    new double[][][] {{{1, 0}, {0, 1}}, {{1, 0}, {0, 1}}, {{1, 0}, {0, 1}}}));

    static Dataset data() {
        List<Sequence> sequences = new ArrayList<>();
        int[] lengths = {300, 120, 250};
        for (int i = 0; i < lengths.length; i++) {
            Sequence s = TRUTH.sampleWithStates("s" + i, lengths[i], null, Randoms.stream(17, i));
            double[] y = s.observations();
            for (int t = 5; t < y.length; t += 37) {
                y[t] = Double.NaN; // a few missing components
            }
            sequences.add(Sequence.of("s" + i, 2, y));
        }
        return Dataset.of(sequences);
    }

    static double logLikelihood(StateSpaceModel<?, ?> model, Dataset data) {
        return data.sequences().stream().mapToDouble(s -> Recurrence.logLikelihood(model, s)).sum();
    }

    @Test
    void emWithRestartsFindsTheMaximumAndRecordsTheTrace() {
        Dataset data = data();
        TrainOptions options = TrainOptions.defaults().withRestarts(3).withSeed(5).withMaxIterations(300)
                .withTolerance(1e-10).withThreads(2);
        FitResult result = Trainer.fit(START, data, null, options, HmmFitSettings.defaults(), TrainingListener.NONE);

        assertThat(result.method()).isEqualTo(TrainOptions.Method.EM);
        double[] trace = result.logLikelihoodTrace();
        for (int i = 1; i < trace.length; i++) {
            assertThat(trace[i]).isGreaterThanOrEqualTo(trace[i - 1] - 1e-8 * Math.abs(trace[i - 1]));
        }
        double[] restarts = result.restartLogLikelihoods();
        assertThat(restarts).hasSize(4);
        assertThat(result.logLikelihood()).isEqualTo(Arrays.stream(restarts).max().orElseThrow());
        double fitted = logLikelihood(result.model(), data);
        assertThat(result.logLikelihood()).isCloseTo(fitted, within(1e-6 * Math.abs(fitted)));
        // the maximum-likelihood fit is at least as likely as the model that generated the data
        assertThat(fitted).isGreaterThan(logLikelihood(TRUTH, data));
        HiddenMarkovModel model = (HiddenMarkovModel) result.model();
        double[][] means = ((GaussianEmission) model.emissionModel()).means();
        Arrays.sort(means, (a, b) -> Double.compare(a[0] + 2 * a[1], b[0] + 2 * b[1]));
        assertThat(means[0]).containsExactly(new double[] {0, 0}, within(0.3));
        assertThat(means[1]).containsExactly(new double[] {4, 0}, within(0.3));
        assertThat(means[2]).containsExactly(new double[] {0, 4}, within(0.3));

        assertThat(result.aic()).isEqualTo(InformationCriteria.aic(result.logLikelihood(), 23));
        assertThat(result.bic()).isEqualTo(InformationCriteria.bic(result.logLikelihood(), 23,
                data.sequences().stream().mapToLong(Sequence::observedSteps).sum()));
        assertThat(result.toJson().has("logLikelihoodTrace")).isTrue();

        // the same seed gives the same fit, whatever the thread count
        FitResult again = Trainer.fit(START, data, null, options.withThreads(1), HmmFitSettings.defaults(),
                TrainingListener.NONE);
        assertThat(again.model()).isEqualTo(result.model());
    }

    @Test
    void familySettingsReachTheMStep() {
        Dataset data = data();
        FitConfiguration config = FitConfiguration.read(SpecNode.root(Json.parse(
                "{\"maxIterations\": 20, \"restarts\": 1, \"fitTransition\": false, \"covarianceFloor\": 0.5}", "o"),
                "fit.json"), START, TrainOptions.defaults().withThreads(1));
        assertThat(config.settings()).isInstanceOf(HmmFitSettings.class);
        FitResult result = Trainer.fit(START, data, null, config.options(), config.settings(), TrainingListener.NONE);
        HiddenMarkovModel model = (HiddenMarkovModel) result.model();
        assertThat(model.transitionMatrix()).isDeepEqualTo(START.transitionMatrix());
        GaussianEmission e = (GaussianEmission) model.emissionModel();
        for (int k = 0; k < 3; k++) {
            assertThat(org.statespace.numeric.Validate.eigenvalues(e.covariance(k))[0]).isGreaterThanOrEqualTo(0.5 - 1e-9);
        }
    }
}
