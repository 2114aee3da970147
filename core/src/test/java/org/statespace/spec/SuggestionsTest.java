package org.statespace.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SuggestionsTest {

    @Test
    void distancesCountedByHand() {
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3); // k->s, e->i, +g
        assertThat(Suggestions.distance("trasition", "transition")).isEqualTo(1); // one n missing
        assertThat(Suggestions.distance("ab", "ba")).isEqualTo(1); // one transposition
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
        assertThat(Suggestions.distance("same", "same")).isZero();
    }

    @Test
    void aNearNameIsSuggestedAndAFarOneIsNot() {
        List<String> hmm = List.of("type", "states", "initial", "transition", "emission");
        assertThat(Suggestions.nearest("trasition", hmm)).contains("transition");
        assertThat(Suggestions.nearest("Emission", hmm)).contains("emission");
        assertThat(Suggestions.nearest("variances", List.of("means", "covariances", "covarianceType")))
                .contains("covariances");
        assertThat(Suggestions.nearest("means", hmm)).isEmpty();
        assertThat(Suggestions.nearest("x", hmm)).isEmpty();
        assertThat(Suggestions.nearest("d", List.of("a", "c"))).as("one letter off a one-letter name is no hint").isEmpty();
        assertThat(Suggestions.nearest("A", List.of("a", "c"))).contains("a");
        assertThat(Suggestions.nearest("weight_hh_l3", List.of("weight_ih_l0", "weight_hh_l0")))
                .as("another number names another layer, not a misspelling").isEmpty();
        assertThat(Suggestions.nearest("weigth_hh_l0", List.of("weight_ih_l0", "weight_hh_l0"))).contains("weight_hh_l0");
    }

    @Test
    void aSpecErrorCarriesTheSuggestion() {
        SpecNode spec = SpecNode.root(Json.parse("{\"type\": \"hmm\", \"transiton\": 1}", "m.json"), "m.json");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> spec.requireObject("type", "transition"))
                .hasMessage("m.json: transiton: unknown field; did you mean \"transition\"? expected one of type, transition");
    }
}
