package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.hmm.CovarianceType;
import org.statespace.hmm.GaussianEmission;
import org.statespace.hmm.HiddenMarkovModel;
import org.statespace.hmm.PoissonEmission;
import org.statespace.hsmm.HiddenSemiMarkovModel;
import org.statespace.kalman.LinearGaussianModel;
import org.statespace.kalman.StructuralModel;
import org.statespace.markov.MarkovChain;
import org.statespace.numeric.Randoms;
import org.statespace.rnn.Head;
import org.statespace.rnn.RnnModel;
import org.statespace.spec.ModelTemplate;
import org.statespace.study.Study;
import org.statespace.study.StudyResult;

/**
 * The short library API: factories, the one-call fit typed as its input, and a study built in code, each
 * checked against numbers from elsewhere (published estimates, statsmodels, counts by hand, PyTorch's shapes).
 */
class LibraryApiTest {

    private static TrainOptions oneThread() {
        return TrainOptions.defaults().withThreads(1);
    }

    @Test
    void localLevelInOneCallReachesThePublishedEstimatesAndStatsmodelsStandardErrors() throws IOException {
        Dataset nile = NileMaximumLikelihoodTest.nile();
        FittedModel<StructuralModel> fit = Trainer.fit(StructuralModel.localLevel(), nile, oneThread());
        StructuralModel model = fit.model();
        // Durbin & Koopman (2012), sec. 2.10: 15099 and 1469.1
        assertThat(model.observationVariance()).isCloseTo(15099, within(1.0));
        assertThat(model.levelVariance()).isCloseTo(1469.1, within(0.2));
        assertThat(fit.converged()).isTrue();
        StandardErrors se = fit.standardErrors();
        double[][] reference = StandardErrorsTest.statsmodels();
        for (int i = 0; i < 2; i++) {
            assertThat(se.standardErrors()[i]).isCloseTo(reference[i][1], within(2e-3 * reference[i][1]));
        }
        String summary = fit.summary();
        assertThat(summary).contains("observationVariance").contains("std err").contains("converged")
                .contains(String.format(java.util.Locale.ROOT, "%.6g", se.standardErrors()[0]));
    }

    @Test
    void localLevelForecastsAreTypedGaussiansWhoseVarianceGrowsByTheLevelVariance() throws IOException {
        // y = μ + ε, μ a random walk: every horizon's mean is the last filtered level, and each further step adds
        // the level variance q to the predictive variance (by hand: Var(μ_{T+k}) = P + (k − 1) q, plus r)
        Dataset nile = NileMaximumLikelihoodTest.nile();
        StructuralModel m = StructuralModel.localLevel(15099, 1469.1);
        List<org.statespace.distribution.Gaussian> ahead = m.forecastGaussians(nile.sequence(0), 5);
        assertThat(ahead).hasSize(5);
        for (int k = 1; k < 5; k++) {
            assertThat(ahead.get(k).mean(0)).isCloseTo(ahead.get(0).mean(0), within(1e-9));
            assertThat(ahead.get(k).variance(0) - ahead.get(k - 1).variance(0)).isCloseTo(1469.1, within(1e-6));
        }
    }

    @Test
    void markovChainOfOrderOneFitsTheCountedTransitions() {
        int[] path = {0, 1, 1, 2, 0, 0, 1, 2, 2, 2, 1, 0, 1, 1, 0, 2};
        Dataset data = Dataset.ofSymbols(List.of(Sequence.ofSymbols("s", path)), List.of("a", "b", "c"));
        FittedModel<MarkovChain> fit = Trainer.fit(MarkovChain.ofOrder(1), data);
        double[][] counts = new double[3][3];
        for (int t = 1; t < path.length; t++) {
            counts[path[t - 1]][path[t]]++;
        }
        double[][] a = fit.model().transitionMatrix();
        for (int i = 0; i < 3; i++) {
            double row = Arrays.stream(counts[i]).sum();
            for (int j = 0; j < 3; j++) {
                assertThat(a[i][j]).isCloseTo(counts[i][j] / row, within(1e-12));
            }
        }
        assertThat(fit.result().method()).isEqualTo(TrainOptions.Method.CLOSED_FORM);
    }

    @Test
    void gaussianHmmTemplateFindsTwoWellSeparatedRegimes() {
        // regimes at -5 and +5 (sd 1) switching with probability 0.05: the fitted means must be the two levels
        double[] y = regimes(5, 600, 0.05, new double[] {-5, 5}, new double[] {1, 1});
        Dataset data = Dataset.of(List.of(Sequence.ofScalars("y", y)));
        FittedModel<HiddenMarkovModel> fit = Trainer.fit(HiddenMarkovModel.gaussian(2), data);
        HiddenMarkovModel m = fit.model();
        GaussianEmission e = (GaussianEmission) m.emissionModel();
        double[] means = {e.mean(0)[0], e.mean(1)[0]};
        Arrays.sort(means);
        assertThat(means[0]).isCloseTo(-5, within(0.3));
        assertThat(means[1]).isCloseTo(5, within(0.3));
        assertThat(m.transition(0, 0)).isCloseTo(0.95, within(0.04));
        // four seeded restarts besides the start, as statespace fit does for a template
        assertThat(fit.result().restartLogLikelihoods()).hasSize(1 + Trainer.TEMPLATE_RESTARTS);
    }

    /** Two Gaussian regimes (levels, sds) switching with probability {@code p} at each step, seeded. */
    static double[] regimes(long seed, int n, double p, double[] levels, double[] sds) {
        RandomGenerator random = Randoms.seeded(seed);
        double[] y = new double[n];
        int s = 0;
        for (int t = 0; t < n; t++) {
            if (random.nextDouble() < p) {
                s = 1 - s;
            }
            y[t] = levels[s] + sds[s] * random.nextGaussian();
        }
        return y;
    }

    @Test
    void oneCallFitOfAFullModelEqualsTheSixArgumentFit() {
        double[] y = {0, 1, 3, 2, 8, 9, 7, 10, 1, 0, 2, 11, 9};
        Dataset data = Dataset.of(List.of(Sequence.ofScalars("c", y)));
        HiddenMarkovModel start = HiddenMarkovModel.of(new double[] {0.5, 0.5}, new double[][] {{0.9, 0.1}, {0.1, 0.9}},
                PoissonEmission.of(new double[][] {{1}, {5}}));
        FittedModel<HiddenMarkovModel> fit = Trainer.fit(start, data, oneThread());
        FitResult longForm = Trainer.fit(start, data, null, oneThread(), FitConfiguration.defaults(start).settings(),
                TrainingListener.NONE);
        assertThat(fit.model()).isEqualTo(longForm.model());
        assertThat(fit.logLikelihood()).isEqualTo(longForm.logLikelihood());
    }

    @Test
    void lstmFactoryHasPyTorchsShapes() {
        // torch.nn.LSTM(32, 128): weight_ih_l0 (4·128)×32, weight_hh_l0 (4·128)×128, biases 4·128 each
        RnnModel lstm = RnnModel.lstm(32, 128, Head.of(Head.Type.LINEAR, 32), 7);
        assertThat(lstm.weightMatrix("weight_ih_l0")).hasNumberOfRows(512);
        assertThat(lstm.weightMatrix("weight_ih_l0")[0]).hasSize(32);
        assertThat(lstm.weightMatrix("weight_hh_l0")[0]).hasSize(128);
        assertThat(lstm.weight("bias_ih_l0")).hasSize(512);
        RnnModel gru = RnnModel.gru(4, 3, Head.of(Head.Type.LINEAR, 4), 7);
        assertThat(gru.weightMatrix("weight_ih_l0")).hasNumberOfRows(9);    // nn.GRU: 3·hidden rows
        RnnModel tanh = RnnModel.vanilla(4, 3, Head.of(Head.Type.LINEAR, 4), 7);
        assertThat(tanh.weightMatrix("weight_ih_l0")).hasNumberOfRows(3);   // nn.RNN: hidden rows
    }

    @Test
    void templatesAreTypedAndSizedByTheData() {
        Dataset two = Dataset.of(List.of(Sequence.ofVectors("v", new double[][] {{1, 2}, {2, 1}, {0, 3}, {3, 0}, {1, 1}})));
        HiddenMarkovModel full = HiddenMarkovModel.gaussian(3, CovarianceType.FULL).start(two, Randoms.seeded(1));
        assertThat(full.stateCount()).isEqualTo(3);
        assertThat(((GaussianEmission) full.emissionModel()).dimension()).isEqualTo(2);
        assertThat(((GaussianEmission) full.emissionModel()).covarianceType()).isEqualTo(CovarianceType.FULL);
        LinearGaussianModel lg = LinearGaussianModel.ofStateDimension(3).start(two, Randoms.seeded(1));
        assertThat(lg.stateDimension()).isEqualTo(3);
        assertThat(lg.observationDimension()).isEqualTo(2);
        Dataset counts = Dataset.of(List.of(Sequence.ofScalars("c", new double[] {0, 3, 1, 4, 2, 0, 5, 1})));
        HiddenSemiMarkovModel hsmm = HiddenSemiMarkovModel.withStates(3).start(counts, Randoms.seeded(1));
        assertThat(hsmm.stateCount()).isEqualTo(3);
        StateSpaceModel<?, ?> gru = RnnModel.gru(5).start(counts, Randoms.seeded(1));
        assertThat(gru.type()).isIn("rnn", "standardized");
        assertThat(HiddenMarkovModel.poisson(2).toJson().toString())
                .isEqualTo("{\"type\":\"hmm\",\"states\":2,\"emission\":\"poisson\"}");
    }

    @Test
    void badFactoryArgumentsNameTheField() {
        assertThatThrownBy(() -> HiddenMarkovModel.gaussian(0)).isInstanceOf(SpecException.class)
                .hasMessageContaining("states").hasMessageContaining("0");
        assertThatThrownBy(() -> MarkovChain.ofOrder(9)).isInstanceOf(SpecException.class)
                .hasMessageContaining("order").hasMessageContaining("9");
        assertThatThrownBy(() -> RnnModel.lstm(0)).isInstanceOf(SpecException.class).hasMessageContaining("hiddenSize");
        assertThatThrownBy(() -> HiddenMarkovModel.gaussian(2).with("means", 1)).isInstanceOf(SpecException.class)
                .hasMessageContaining("means");
        // a Poisson HMM of real values: the family does not apply, and the error says so
        Dataset real = Dataset.of(List.of(Sequence.ofScalars("r", new double[] {0.5, -1.5, 2.25})));
        assertThatThrownBy(() -> Trainer.fit(HiddenMarkovModel.poisson(2), real))
                .isInstanceOf(org.statespace.DataException.class).hasMessageContaining("Poisson").hasMessageContaining("0.5");
    }

    @Test
    void studyBuiltInCodeScoresEveryModelAndChecksItsNames() {
        RandomGenerator random = Randoms.seeded(2);
        double[] y = new double[120];
        double level = 0;
        for (int t = 0; t < y.length; t++) {
            level += 0.3 * random.nextGaussian();
            y[t] = level + random.nextGaussian();
        }
        Dataset data = Dataset.of(List.of(Sequence.ofScalars("walk", y)));
        StudyResult result = Study.builder().name("code").dataset("walk", data).splitInTime(0.75).threads(1)
                .model("hmm", HiddenMarkovModel.gaussian(2))
                .model("local-level", StructuralModel.localLevel())
                .fixedModel("truth", StructuralModel.localLevel(1, 0.09))
                .run();
        assertThat(result.rows()).hasSize(3);
        assertThat(result.rows()).allSatisfy(r -> assertThat(r.ok()).as(r.model() + ": " + r.reason()).isTrue());
        // the true model scored as given: its held-out log score is its own filter's, computed here independently
        // of the study by the filter engine over the whole series minus the training part's contribution
        FilterResult whole = FilterEngine.singleThreaded().run(StructuralModel.localLevel(1, 0.09), data);
        double heldOut = 0;
        for (int t = 90; t < 120; t++) {
            heldOut += whole.sequence(0).logDensity(t);
        }
        StudyResult.Summary truth = result.summary().stream().filter(s -> s.model().equals("truth")).findFirst().get();
        assertThat(truth.mean("meanLogLikelihood")).isCloseTo(heldOut / 30, within(1e-9));
        assertThatThrownBy(() -> Study.builder().dataset("d", data).model("m", StructuralModel.localLevel())
                .model("m", StructuralModel.localLevel()).spec()).isInstanceOf(SpecException.class)
                .hasMessageContaining("two models are named \"m\"");
        assertThatThrownBy(() -> Study.builder().dataset("d", data).dataset("d", data))
                .isInstanceOf(SpecException.class).hasMessageContaining("two datasets are named \"d\"");
    }
}
