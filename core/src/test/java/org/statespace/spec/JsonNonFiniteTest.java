package org.statespace.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import org.statespace.StatespaceException;

/** The writer's rule: {@code null} means a missing observation, so no non-finite number becomes {@code null}. */
class JsonNonFiniteTest {

    @Test
    void aNonFiniteNumberIsAnInternalErrorNotNull() {
        for (double v : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            ObjectNode o = Json.object();
            assertThatThrownBy(() -> Json.number(o, "logLikelihood", v))
                    .isInstanceOf(Json.NonFiniteNumberException.class)
                    .isNotInstanceOf(StatespaceException.class)
                    .hasMessageContaining("logLikelihood").hasMessageContaining(Double.toString(v));
            assertThat(o.has("logLikelihood")).isFalse();
            ArrayNode a = Json.array();
            assertThatThrownBy(() -> Json.number(a, v)).isInstanceOf(Json.NonFiniteNumberException.class);
            assertThatThrownBy(() -> Json.vector(new double[] {1, v})).isInstanceOf(Json.NonFiniteNumberException.class);
            assertThat(a).isEmpty();
        }
    }

    @Test
    void writeRefusesANonFiniteNumberPutByAnyPathAndNamesIt() {
        ObjectNode o = Json.object();
        o.putObject("fit").putArray("trace").add(1.5).add(Double.NEGATIVE_INFINITY);
        assertThatThrownBy(() -> Json.write(o))
                .isInstanceOf(Json.NonFiniteNumberException.class)
                .hasMessageContaining("$.fit.trace[1]");
    }

    @Test
    void extendedNumbersAreExplicitStringsThatReadBack() {
        ObjectNode o = Json.object();
        Json.extendedNumber(o, "a", Double.NEGATIVE_INFINITY);
        Json.extendedNumber(o, "b", Double.POSITIVE_INFINITY);
        Json.extendedNumber(o, "c", Double.NaN);
        Json.extendedNumber(o, "d", -2.5);
        String text = Json.write(o);
        assertThat(text).doesNotContain("null")
                .contains("\"a\" : \"-Infinity\"", "\"b\" : \"Infinity\"", "\"c\" : \"NaN\"", "\"d\" : -2.5");
        var back = Json.parse(text, "t.json");
        assertThat(Json.doubleValue(back.get("a"), "t.json", "a")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Json.doubleValue(back.get("b"), "t.json", "b")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Json.doubleValue(back.get("c"), "t.json", "c")).isNaN();
        assertThat(Json.doubleValue(back.get("d"), "t.json", "d")).isEqualTo(-2.5);
        assertThatThrownBy(() -> Json.doubleValue(Json.parse("\"inf\"", "t.json"), "t.json", "x"))
                .hasMessageContaining("t.json: x");
    }

    @Test
    void anOptionalNumberThatDoesNotApplyIsLeftOut() {
        ObjectNode o = Json.object();
        Json.optionalNumber(o, "accuracy", Double.NaN);
        Json.optionalNumber(o, "mse", 0.25);
        assertThat(Json.write(o)).doesNotContain("accuracy").doesNotContain("null").contains("\"mse\" : 0.25");
    }

    @Test
    void theOneNullIsAMissingObservation() {
        ArrayNode a = Json.array();
        Json.number(a, 1);
        Json.missing(a);
        assertThat(a.get(1).isNull()).isTrue();
    }
}
