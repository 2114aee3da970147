package org.statespace.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import org.statespace.SpecException;
import org.statespace.numeric.Validate;

class SpecNodeTest {

    private static SpecNode parse(String json) {
        return SpecNode.root(Json.parse(json, "m.json"), "m.json");
    }

    @Test
    void errorsNameThePathAndTheValue() {
        SpecNode root = parse("{\"a\": {\"b\": [1, \"x\", 3]}, \"c\": NaN, \"d\": [[1, 2], [3]]}");
        assertThatThrownBy(() -> root.field("a").field("b").asVector())
                .isInstanceOf(SpecException.class)
                .hasMessage("m.json: a.b[1]: expected a number, got string \"x\"");
        assertThatThrownBy(() -> root.field("c").asDouble())
                .hasMessage("m.json: c: expected a finite number, got NaN");
        assertThatThrownBy(() -> root.field("d").asMatrix())
                .hasMessageContaining("d[1]: expected 2 numbers like row 0, got 1");
        assertThatThrownBy(() -> root.field("missing")).hasMessage("m.json: missing: missing field");
        assertThatThrownBy(() -> root.requireObject("a", "c"))
                .hasMessageStartingWith("m.json: d: unknown field; expected one of a, c");
        assertThatThrownBy(() -> root.field("a").asInt()).hasMessage("m.json: a: expected an integer, got an object");
    }

    @Test
    void duplicateKeysAndBrokenJsonAreErrorsWithALine() {
        assertThatThrownBy(() -> Json.parse("{\"a\": 1, \"a\": 2}", "m.json"))
                .isInstanceOf(SpecException.class).hasMessageContaining("line 1").hasMessageContaining("Duplicate field");
        assertThatThrownBy(() -> Json.parse("{\"a\": 1,\n", "m.json"))
                .isInstanceOf(SpecException.class).hasMessageContaining("m.json: line 2");
    }

    @Test
    void stochasticRowsAreCheckedOrNormalised() {
        SpecNode rows = parse("{\"t\": [[0.5, 0.5], [0.3, 0.6]]}").field("t");
        assertThatThrownBy(() -> Validate.stochasticRows(rows, rows.asMatrix(), false))
                .hasMessageContaining("t[1]: sums to 0.8999999999999999, expected 1");
        double[][] fixed = Validate.stochasticRows(rows, rows.asMatrix(), true);
        assertThat(fixed[1][0]).isCloseTo(1.0 / 3, org.assertj.core.api.Assertions.within(1e-15));
        SpecNode negative = parse("{\"p\": [1.5, -0.5]}").field("p");
        assertThatThrownBy(() -> Validate.probabilities(negative, negative.asVector(), false))
                .hasMessageContaining("p[1]: probability must be non-negative, got -0.5");
    }

    @Test
    void covariancesAreCheckedForSymmetryAndDefiniteness() {
        SpecNode asym = parse("{\"q\": [[1, 0.5], [0.4, 1]]}").field("q");
        assertThatThrownBy(() -> Validate.positiveDefinite(asym, asym.asMatrix()))
                .hasMessageContaining("q: not symmetric: [1][0] = 0.4 but [0][1] = 0.5");
        SpecNode indefinite = parse("{\"q\": [[1, 2], [2, 1]]}").field("q");
        assertThatThrownBy(() -> Validate.positiveDefinite(indefinite, indefinite.asMatrix()))
                .hasMessageContaining("q: not positive definite (smallest eigenvalue -1");
        SpecNode singular = parse("{\"q\": [[1, 1], [1, 1]]}").field("q");
        Validate.positiveSemidefinite(singular, singular.asMatrix());
        assertThatThrownBy(() -> Validate.positiveDefinite(singular, singular.asMatrix()))
                .hasMessageContaining("not positive definite");
    }
}
