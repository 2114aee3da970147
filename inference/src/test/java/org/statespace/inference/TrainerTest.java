package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.statespace.SpecException;
import org.statespace.data.Dataset;
import org.statespace.markov.MarkovChain;
import org.statespace.markov.MarkovFitSettings;
import org.statespace.spec.Json;
import org.statespace.spec.SpecNode;

class TrainerTest {

    @Test
    void closedFormFitEqualsTheFamilysOwnAndRecordsTheCurve() {
        Dataset data = FilterEngineTest.sample(30, 300);
        Dataset.Split split = data.splitBySequence(0.8);
        MarkovChain start = MarkovChain.of(FilterEngineTest.WEATHER.stateNames(), 1, new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3},
                new double[][] {{1.0 / 3, 1.0 / 3, 1.0 / 3}, {1.0 / 3, 1.0 / 3, 1.0 / 3}, {1.0 / 3, 1.0 / 3, 1.0 / 3}});
        MarkovFitSettings settings = MarkovFitSettings.defaults().withPseudoCount(0.5);
        FitResult r = Trainer.fit(start, split.training(), split.heldOut(), TrainOptions.defaults(), settings, null);
        assertThat(r.method()).isEqualTo(TrainOptions.Method.CLOSED_FORM);
        assertThat(r.model()).isEqualTo(start.fitClosedForm(split.training(), settings));
        assertThat(r.curve().size()).isEqualTo(2);
        LearningCurve.Point before = r.curve().points().get(0);
        LearningCurve.Point after = r.curve().points().get(1);
        assertThat(after.trainingLoss()).isLessThan(before.trainingLoss());
        assertThat(after.validationLoss()).isLessThan(before.validationLoss());
        assertThat(r.logLikelihoodTrace()[1]).isCloseTo(-after.trainingLoss() * r.observations(), within(1e-8));
        assertThat(r.bic()).isGreaterThan(r.aic());
    }

    @Test
    void fitOptionsSplitBetweenTrainerAndFamily() {
        MarkovChain chain = FilterEngineTest.WEATHER;
        SpecNode node = SpecNode.root(Json.parse("{\"maxIterations\": 7, \"pseudoCount\": 2, \"seed\": 5}", "fit"), "fit");
        FitConfiguration c = FitConfiguration.read(node, chain, TrainOptions.defaults());
        assertThat(c.options().maxIterations()).isEqualTo(7);
        assertThat(c.options().seed()).isEqualTo(5);
        assertThat(c.settings()).isEqualTo(new MarkovFitSettings(2, true));
        SpecNode bad = SpecNode.root(Json.parse("{\"pseudoCounts\": 2}", "fit.json"), "fit.json");
        assertThatThrownBy(() -> FitConfiguration.read(bad, chain, TrainOptions.defaults()))
                .isInstanceOf(SpecException.class).hasMessageContaining("pseudoCounts: unknown field");
        SpecNode negative = SpecNode.root(Json.parse("{\"pseudoCount\": -1}", "fit.json"), "fit.json");
        assertThatThrownBy(() -> FitConfiguration.read(negative, chain, TrainOptions.defaults()))
                .isInstanceOf(SpecException.class).hasMessageContaining("pseudoCount: must be at least 0");
    }

    @Test
    void aMethodTheModelCannotUseIsRefused() {
        assertThatThrownBy(() -> Trainer.resolve(FilterEngineTest.WEATHER, TrainOptions.Method.EM))
                .isInstanceOf(SpecException.class).hasMessageContaining("cannot be fitted by em");
        assertThat(Trainer.available(FilterEngineTest.WEATHER)).containsExactly(TrainOptions.Method.CLOSED_FORM);
        assertThat(List.of(TrainOptions.Method.values())).hasSize(6);
        // online EM is offered wherever EM is, and AUTO never picks it
        assertThat(Trainer.available(HmmTrainerTest.START)).containsExactly(TrainOptions.Method.EM,
                TrainOptions.Method.ONLINE_EM);
        assertThat(Trainer.resolve(HmmTrainerTest.START, TrainOptions.Method.AUTO)).isEqualTo(TrainOptions.Method.EM);
    }
}
