package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.statespace.capability.ExpectationMaximization;
import org.statespace.capability.FitSettings;
import org.statespace.capability.SufficientStatistics;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.hmm.HiddenMarkovModel;
import org.statespace.hmm.HmmFitSettings;
import org.statespace.hsmm.HiddenSemiMarkovModel;
import org.statespace.kalman.KalmanFitSettings;
import org.statespace.kalman.LinearGaussianModel;
import org.statespace.kalman.StructuralModel;
import org.statespace.markov.MarkovChain;
import org.statespace.markov.MarkovFitSettings;
import org.statespace.numeric.Randoms;
import org.statespace.rnn.Cell;
import org.statespace.rnn.Head;
import org.statespace.rnn.Layer;
import org.statespace.rnn.RnnArchitecture;
import org.statespace.rnn.RnnFitSettings;
import org.statespace.rnn.RnnModel;
import org.statespace.transform.StandardizedModel;

/**
 * A family's fit settings handed to a model of another family are an error naming both families, at the trainer's
 * door and in each capability that reads them; before, every lookup fell back silently to the family's defaults
 * (so a pseudo-count or a fixed parameter asked for was dropped without a word). {@link FitSettings#NONE} still
 * means the family's defaults.
 */
class WrongFamilySettingsTest {
    private static final Dataset WEATHER_DAYS = FilterEngineTest.sample(3, 50);

    @Test
    void theTrainerRefusesAnotherFamilysSettings() {
        MarkovChain chain = FilterEngineTest.WEATHER;
        TrainOptions options = TrainOptions.defaults().withThreads(1);
        assertThatThrownBy(() -> Trainer.fit(chain, WEATHER_DAYS, null, options, HmmFitSettings.defaults(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fit settings HmmFitSettings (of the hmm family) cannot fit a " + chain.type()
                        + " model, which takes MarkovFitSettings");
    }

    @Test
    void aFamilyWithoutSettingsRefusesSomeoneElsesInsteadOfIgnoringThem() throws Exception {
        StructuralModel level = StructuralModel.localLevel(1000, 1000);
        assertThatThrownBy(() -> Trainer.fit(level, NileMaximumLikelihoodTest.nile(), null,
                TrainOptions.defaults().withThreads(1).withMaxIterations(3), KalmanFitSettings.defaults(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fit settings KalmanFitSettings (of the kalman family) cannot fit a " + level.type()
                        + " model, which takes none");
    }

    @Test
    void everyCapabilityThatReadsSettingsRefusesAnotherFamilys() {
        MarkovChain chain = FilterEngineTest.WEATHER;
        assertThatThrownBy(() -> chain.fitClosedForm(WEATHER_DAYS, RnnFitSettings.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RnnFitSettings (of the rnn family)")
                .hasMessageContaining("takes MarkovFitSettings");

        Dataset counts = Dataset.of(List.of(Sequence.ofScalars("c", new double[] {0, 3, 1, 4, 2, 0, 5, 1})));
        HiddenSemiMarkovModel hsmm = HiddenSemiMarkovModel.withStates(3).start(counts, Randoms.seeded(1));
        assertThatThrownBy(() -> hsmm.initialize(counts, Randoms.seeded(2), MarkovFitSettings.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(of the markov family)")
                .hasMessageContaining(hsmm.type() + " model, which takes HmmFitSettings");
        assertThatThrownBy(() -> hsmm.maximization(statistics(hsmm, counts), KalmanFitSettings.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(of the kalman family)");

        HiddenMarkovModel hmm = HmmTrainerTest.START;
        Dataset data = HmmTrainerTest.data();
        assertThatThrownBy(() -> hmm.maximization(statistics(hmm, data), MarkovFitSettings.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot fit a hmm model, which takes HmmFitSettings");

        Dataset two = Dataset.of(List.of(Sequence.ofVectors("v", new double[][] {{1, 2}, {2, 1}, {0, 3}, {3, 0},
            {1, 1}})));
        LinearGaussianModel lg = LinearGaussianModel.ofStateDimension(2).start(two, Randoms.seeded(1));
        assertThatThrownBy(() -> lg.maximization(statistics(lg, two), HmmFitSettings.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(of the hmm family)")
                .hasMessageContaining("takes KalmanFitSettings");
        assertThatThrownBy(() -> lg.fixing(RnnFitSettings.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(of the rnn family)");

        RnnModel rnn = RnnModel.initialized(RnnArchitecture.stack(1, List.of(Layer.of(Cell.GRU, 2)),
                Head.of(Head.Type.GAUSSIAN, 1)), 3);
        assertThatThrownBy(() -> rnn.gradientEvaluator(HmmFitSettings.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes RnnFitSettings");
    }

    /**
     * A standardised network is trained with the settings of the network inside it: the trainer checks them against
     * the inner family (the Spark gradient test met the refusal of RnnFitSettings for a standardised GRU).
     */
    @Test
    void aStandardisedNetworkTakesItsNetworksSettings() {
        RnnModel rnn = RnnModel.initialized(RnnArchitecture.stack(1, List.of(Layer.of(Cell.GRU, 2)),
                Head.of(Head.Type.GAUSSIAN, 1)), 3);
        Dataset data = Dataset.of(List.of(Sequence.ofScalars("x", new double[] {1, 3, 2, 5, 4, 6, 5, 8})));
        StandardizedModel wrapped = StandardizedModel.fromData(rnn, data);
        TrainOptions options = TrainOptions.defaults().withThreads(1).withMaxIterations(2);
        assertThat(Trainer.fit(wrapped, data, null, options, RnnFitSettings.defaults(), null).iterations())
                .isEqualTo(2);
        assertThatThrownBy(() -> Trainer.fit(wrapped, data, null, options, HmmFitSettings.defaults(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(of the hmm family)")
                .hasMessageContaining("takes RnnFitSettings");
    }

    @Test
    void noSettingsStillMeansTheFamilysDefaults() {
        MarkovChain chain = FilterEngineTest.WEATHER;
        assertThat(chain.fitClosedForm(WEATHER_DAYS, FitSettings.NONE))
                .isEqualTo(chain.fitClosedForm(WEATHER_DAYS, MarkovFitSettings.defaults()));
        HiddenMarkovModel hmm = HmmTrainerTest.START;
        SufficientStatistics s = statistics(hmm, HmmTrainerTest.data());
        assertThat(hmm.maximization(s, FitSettings.NONE)).isEqualTo(hmm.maximization(s, HmmFitSettings.defaults()));
    }

    private static SufficientStatistics statistics(ExpectationMaximization em, Dataset data) {
        return EmLoop.expectation(em, data.sequences(), 1);
    }
}
