package org.statespace.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import org.statespace.SpecException;

/** The field declarations: the unknown-field check with suggestions across nesting, and the schema they make. */
class FieldsTest {
    private static final Fields GAUSSIAN = Fields.of("gaussian", "a Gaussian emission",
            Field.type("gaussian", "the emission type"),
            Field.required("means", Shape.matrix(), "one mean per state"),
            Field.required("covariances", Shape.matrix(), "variances"));
    private static final Fields POISSON = Fields.of("poisson", "a Poisson emission",
            Field.type("poisson", "the emission type"),
            Field.required("rates", Shape.matrix(), "rates"));
    private static final Fields MODEL = Fields.of("model", "a model",
            Field.type("toy", "the model type"),
            Field.required("transition", Shape.matrix(), "the transition matrix"),
            Field.required("emission", Shape.anyOf(Shape.object(GAUSSIAN), Shape.object(POISSON)), "the emission"),
            Field.optional("normalize", Shape.bool(), "rescale rows").withDefault("false"));

    private static SpecNode parse(String json) {
        return SpecNode.root(Json.parse(json, "m.json"), "m.json");
    }

    @Test
    void anUnknownFieldNamesTheNearestDeclaredOneOrTheNestedFieldOfThatName() {
        assertThatThrownBy(() -> parse("{\"type\": \"toy\", \"transiton\": [[1]]}").requireObject(MODEL))
                .isInstanceOf(SpecException.class)
                .hasMessage("m.json: transiton: unknown field; did you mean \"transition\"? expected one of type, transition, "
                        + "emission, normalize");
        // given one level too high: the nested field of that name
        assertThatThrownBy(() -> parse("{\"type\": \"toy\", \"means\": [[1]]}").requireObject(MODEL))
                .hasMessageStartingWith("m.json: means: unknown field; did you mean \"emission.means\"?");
        // misspelt and one level too high
        assertThatThrownBy(() -> parse("{\"type\": \"toy\", \"rate\": [[1]]}").requireObject(MODEL))
                .hasMessageStartingWith("m.json: rate: unknown field; did you mean \"emission.rates\"?");
        // nothing near: no suggestion
        assertThatThrownBy(() -> parse("{\"type\": \"toy\", \"zebra\": 1}").requireObject(MODEL))
                .hasMessage("m.json: zebra: unknown field; expected one of type, transition, emission, normalize");
        // declared fields pass
        parse("{\"type\": \"toy\", \"transition\": [[1]], \"normalize\": true}").requireObject(MODEL);
        assertThat(MODEL.nestedPaths()).containsExactly("emission.means", "emission.covariances", "emission.rates");
    }

    @Test
    void anUndeclaredTypeAcceptsAnyField() {
        Fields open = Fields.undeclared("new-family", "something new");
        parse("{\"type\": \"new-family\", \"anything\": 1}").requireObject(open);
        assertThat(open.schema().has("additionalProperties")).isFalse();
        assertThat(MODEL.schema().get("additionalProperties").asBoolean(true)).isFalse();
    }

    @Test
    void theSchemaSaysWhatTheDeclarationsSay() {
        ObjectNode s = MODEL.schema();
        assertThat(s.get("type").asText()).isEqualTo("object");
        assertThat(s.get("required").toString()).isEqualTo("[\"type\",\"transition\",\"emission\"]");
        assertThat(s.at("/properties/type/enum").toString()).isEqualTo("[\"toy\"]");
        assertThat(s.at("/properties/normalize/default").asBoolean(true)).isFalse();
        assertThat(s.at("/properties/emission/anyOf/1/properties/rates/type").asText()).isEqualTo("array");
        assertThat(s.at("/properties/transition/items/items/type").asText()).isEqualTo("number");
        assertThat(Shape.range(0, false, 1, true).schema().toString())
                .isEqualTo("{\"type\":\"number\",\"exclusiveMinimum\":0.0,\"maximum\":1.0}");
    }

    @Test
    void aCatalogDocumentCarriesOnlyTheDefinitionsItReaches() {
        SpecSchema catalog = SpecSchema.builder()
                .define("toy", Shape.object(MODEL))
                .define("unused", Shape.text())
                .kind("wrapper", "a list of toys", Shape.arrayOf(Shape.ref("toy", "a toy"), true), List.of(MODEL))
                .build();
        ObjectNode doc = catalog.document("wrapper");
        assertThat(doc.get("$schema").asText()).isEqualTo(SpecSchema.DIALECT);
        assertThat(doc.at("/items/$ref").asText()).isEqualTo("#/$defs/toy");
        assertThat(doc.get("$defs").has("toy")).isTrue();
        assertThat(doc.get("$defs").has("unused")).isFalse();
        String md = catalog.markdown("# page\n");
        assertThat(md).contains("## `wrapper`").contains("| `normalize` | true or false | default `false` | rescale rows |")
                .contains("### gaussian").contains("### poisson");
    }

    @Test
    void aFieldIsDeclaredOnce() {
        assertThatThrownBy(() -> Fields.of("x", "x", Field.optional("a", Shape.bool(), "a"), Field.optional("a", Shape.bool(), "b")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
