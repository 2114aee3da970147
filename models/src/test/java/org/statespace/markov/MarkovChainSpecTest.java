package org.statespace.markov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import org.statespace.SpecException;
import org.statespace.spec.ModelSpecs;

/** Every bad Markov chain spec names its field and the value. */
class MarkovChainSpecTest {

    private static void rejects(String json, String... fragments) {
        var thrown = assertThatThrownBy(() -> ModelSpecs.parse(json, "m.json")).isInstanceOf(SpecException.class);
        for (String f : fragments) {
            thrown.hasMessageContaining(f);
        }
    }

    @Test
    void readsTheWeatherChain() {
        MarkovChain m = (MarkovChain) ModelSpecs.parse("""
                {"type": "markov-chain", "states": ["sunny", "cloudy", "rainy"], "initial": [1, 0, 0],
                 "transition": [[0.8, 0.15, 0.05], [0.2, 0.6, 0.2], [0.25, 0.25, 0.5]]}""", "m.json");
        assertThat(m).isEqualTo(MarkovChainContractTest.WEATHER);
        assertThat(m.stateName(2)).isEqualTo("rainy");
    }

    @Test
    void nonSquareMatrix() {
        rejects("{\"type\": \"markov-chain\", \"initial\": [1, 0], \"transition\": [[0.5, 0.5], [0.5, 0.5], [1, 0]]}",
                "m.json: transition: expected a square matrix, got 3x2");
    }

    @Test
    void rowNotSummingToOne() {
        rejects("{\"type\": \"markov-chain\", \"initial\": [1, 0], \"transition\": [[0.5, 0.5], [0.3, 0.6]]}",
                "transition[1]: sums to 0.8999999999999999, expected 1");
    }

    @Test
    void normalizeRescalesRows() {
        MarkovChain m = (MarkovChain) ModelSpecs.parse("{\"type\": \"markov-chain\", \"normalize\": true, "
                + "\"initial\": [2, 2], \"transition\": [[1, 3], [0.3, 0.6]]}", "m.json");
        assertThat(m.transition(0, 1)).isEqualTo(0.75);
        assertThat(m.initial()).containsExactly(0.5, 0.5);
    }

    @Test
    void negativeProbability() {
        rejects("{\"type\": \"markov-chain\", \"initial\": [1, 0], \"transition\": [[1.2, -0.2], [0.5, 0.5]]}",
                "transition[0][1]: probability must be non-negative, got -0.2");
    }

    @Test
    void notANumber() {
        rejects("{\"type\": \"markov-chain\", \"initial\": [NaN, 1], \"transition\": [[0.5, 0.5], [0.5, 0.5]]}",
                "initial[0]: expected a finite number, got NaN");
    }

    @Test
    void missingField() {
        rejects("{\"type\": \"markov-chain\", \"transition\": [[0.5, 0.5], [0.5, 0.5]]}", "initial: missing field");
        rejects("{\"initial\": [1], \"transition\": [[1]]}", "type: missing field");
    }

    @Test
    void unknownField() {
        rejects("{\"type\": \"markov-chain\", \"initial\": [1], \"transition\": [[1]], \"trasition\": 1}",
                "trasition: unknown field; did you mean \"transition\"? expected one of type, states, order, initial, transition, normalize");
    }

    @Test
    void wrongType() {
        rejects("{\"type\": \"markov-chain\", \"initial\": \"uniform\", \"transition\": [[1]]}",
                "initial: expected an array, got string \"uniform\"");
        rejects("{\"type\": \"markov-chain\", \"initial\": [1], \"transition\": [[1]], \"order\": 1.5}",
                "order: expected an integer, got 1.5");
        rejects("{\"type\": \"markov-chan\", \"initial\": [1], \"transition\": [[1]]}",
                "type: unknown model type \"markov-chan\"");
    }

    @Test
    void wrongLengthsAndNames() {
        rejects("{\"type\": \"markov-chain\", \"initial\": [1, 0, 0], \"transition\": [[0.5, 0.5], [0.5, 0.5]]}",
                "initial: expected 2 numbers, got 3");
        rejects("{\"type\": \"markov-chain\", \"states\": [\"a\"], \"initial\": [1, 0], \"transition\": [[0.5, 0.5], [0.5, 0.5]]}",
                "states: 1 state names, but the transition matrix has 2 columns");
        rejects("{\"type\": \"markov-chain\", \"states\": [\"a\", \"a\"], \"initial\": [1, 0], \"transition\": [[0.5, 0.5], [0.5, 0.5]]}",
                "states[1]: duplicate name \"a\"");
        rejects("{\"type\": \"markov-chain\", \"order\": 2, \"initial\": [1, 0], \"transition\": [[0.5, 0.5], [0.5, 0.5]]}",
                "transition: a chain of order 2 over 2 states needs S^k = 4 rows, got 2");
    }

    @Test
    void aNormalizedSpecWritesItsRescaledValues() {
        MarkovChain m = (MarkovChain) ModelSpecs.parse("{\"type\": \"markov-chain\", \"normalize\": true, "
                + "\"initial\": [1, 1], \"transition\": [[1, 1], [1, 3]]}", "m.json");
        assertThat(ModelSpecs.write(m)).contains("[ 0.25, 0.75 ]").doesNotContain("normalize");
    }
}
