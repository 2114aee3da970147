package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import org.statespace.SpecException;
import org.statespace.spec.Json;
import org.statespace.spec.SpecNode;

/**
 * The gradient optimiser is an enum with the JSON names "adam" and "sgd"; the fit options' JSON is what it was (the
 * name as a string), and a wrong name is one error listing the allowed ones.
 */
class OptimizerOptionTest {

    @Test
    void theJsonNamesAreAdamAndSgd() {
        assertThat(TrainOptions.Optimizer.fromJson("adam")).isEqualTo(TrainOptions.Optimizer.ADAM);
        assertThat(TrainOptions.Optimizer.fromJson("sgd")).isEqualTo(TrainOptions.Optimizer.SGD);
        assertThat(TrainOptions.Optimizer.names()).containsExactly("adam", "sgd");
        assertThat(TrainOptions.defaults().optimizer()).isEqualTo(TrainOptions.Optimizer.ADAM);
        assertThat(TrainOptions.defaults().withOptimizer("sgd").optimizer()).isEqualTo(TrainOptions.Optimizer.SGD);
    }

    @Test
    void aWrongNameListsTheAllowedOnes() {
        assertThatThrownBy(() -> TrainOptions.Optimizer.fromJson("rmsprop")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("optimizer must be one of adam, sgd, got \"rmsprop\"");
        assertThatThrownBy(() -> TrainOptions.defaults().withOptimizer("Adam")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("optimizer must be one of adam, sgd, got \"Adam\"");
        assertThatThrownBy(() -> FitConfiguration.read(SpecNode.root(Json.parse("{\"optimizer\": \"rmsprop\"}", "fit.json"),
                "fit.json"), HmmTrainerTest.START, TrainOptions.defaults())).isInstanceOf(SpecException.class)
                .hasMessageStartingWith("fit.json: optimizer:").hasMessageContaining("adam").hasMessageContaining("sgd");
    }

    @Test
    void theJsonFormOfTheOptionsIsTheName() {
        FitConfiguration c = FitConfiguration.read(SpecNode.root(Json.parse("{\"optimizer\": \"sgd\"}", "fit.json"),
                "fit.json"), HmmTrainerTest.START, TrainOptions.defaults());
        assertThat(c.options().optimizer()).isEqualTo(TrainOptions.Optimizer.SGD);
        assertThat(c.options().toJson().get("optimizer").isTextual()).isTrue();
        assertThat(c.options().toJson().get("optimizer").asText()).isEqualTo("sgd");
        assertThat(TrainOptions.defaults().toJson().get("optimizer").asText()).isEqualTo("adam");
    }
}
