package org.statespace.numeric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import org.statespace.SpecException;
import org.statespace.spec.Json;
import org.statespace.spec.SpecNode;

/** {@code "normalize": true} rescales by the ratios of the entries, whatever their magnitude. */
class NormaliseTest {

    private static SpecNode rows(String json) {
        return SpecNode.root(Json.parse("{\"transition\": " + json + "}", "m.json"), "m.json").field("transition");
    }

    @Test
    void entriesNearTheDoubleRangeNormaliseByTheirRatios() {
        // 1e308 + 1e308 overflows; the ratios are 1:1 and 1:3 (hand arithmetic)
        SpecNode at = rows("[[1e308, 1e308], [5e307, 1.5e308]]");
        double[][] p = Validate.stochasticRows(at, at.asMatrix(), true);
        assertThat(p[0]).containsExactly(0.5, 0.5);
        assertThat(p[1][0]).isCloseTo(0.25, within(1e-16));
        assertThat(p[1][1]).isCloseTo(0.75, within(1e-16));
    }

    @Test
    void subnormalEntriesNormaliseByTheirRatios() {
        SpecNode at = rows("[[1e-320, 3e-320]]");
        double[][] p = Validate.stochasticRows(at, at.asMatrix(), true);
        // 1e-320 and 3e-320 are subnormal, held to about 3 digits: their ratio is 1:3 to that precision
        assertThat(p[0][0]).isCloseTo(0.25, within(1e-3));
        assertThat(p[0][0] + p[0][1]).isCloseTo(1, within(1e-15));
    }

    @Test
    void aRowThatStaysDegenerateIsAnErrorNamingTheFieldAndRow() {
        SpecNode at = rows("[[0.5, 0.5], [0, 0]]");
        assertThatThrownBy(() -> Validate.stochasticRows(at, at.asMatrix(), true))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("m.json: transition[1]").hasMessageContaining("cannot normalise");
    }
}
