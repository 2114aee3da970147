package org.statespace.hsmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;

/** Reading, writing and validating {@code "hsmm"} specs, and the study template. */
class HsmmSpecTest {

    private static final String EMISSION = "\"emission\": {\"type\": \"poisson\", \"rates\": [[1], [6]]}";

    private static String spec(String transition, String maxDuration, String durations) {
        return "{\"type\": \"hsmm\", \"states\": [\"quiet\", \"loud\"], \"initial\": [0.25, 0.75], \"transition\": "
                + transition + "," + maxDuration + " \"durations\": " + durations + ", " + EMISSION + "}";
    }

    private static final String GOOD = spec("[[0, 1], [1, 0]]", " \"maxDuration\": 6,",
            "[{\"type\": \"negative-binomial\", \"size\": 2.5, \"probability\": 0.4}, {\"type\": \"table\", \"probabilities\": [0.5, 0.3, 0.2]}]");

    @Test
    void readsEveryField() {
        HiddenSemiMarkovModel m = (HiddenSemiMarkovModel) ModelSpecs.parse(GOOD, "good.json");
        assertThat(m.stateNames()).containsExactly("quiet", "loud");
        assertThat(m.initial()).containsExactly(0.25, 0.75);
        assertThat(m.maxDuration()).isEqualTo(6);
        assertThat(m.durations()).containsExactly(new Duration.NegativeBinomial(2.5, 0.4),
                new Duration.Table(new double[] {0.5, 0.3, 0.2}));
        // 6 slots for the negative binomial, 3 for the table
        assertThat(m.expandedSize()).isEqualTo(9);
        // 1 (π) + 0 (A) + 2 + 2 (durations) + 2 (rates)
        assertThat(m.parameterCount()).isEqualTo(7);
        StateSpaceModel<?, ?> back = ModelSpecs.parse(ModelSpecs.write(m), "again");
        assertThat(back).isEqualTo(m);
    }

    @Test
    void maxDurationDefaultsToTheLongestTable() {
        HiddenSemiMarkovModel m = (HiddenSemiMarkovModel) ModelSpecs.parse(spec("[[0, 1], [1, 0]]", "",
                "[{\"type\": \"geometric\", \"probability\": 0.3}, {\"type\": \"table\", \"probabilities\": [0.5, 0.3, 0.2]}]"),
                "tables.json");
        assertThat(m.maxDuration()).isEqualTo(3);
        assertThat(m.expandedSize()).isEqualTo(1 + 3);
    }

    @Test
    void foldedTailsSumToOne() {
        // p̃(D) = P(d ≥ D) = 1 - P(d - 1 ≤ D - 2) for d - 1 ~ Poisson(2.5), D = 4: 1 - e^{-2.5}(1 + 2.5 + 3.125)
        double[] p = new Duration.Poisson(2.5).probabilities(4);
        assertThat(p[3]).isCloseTo(1 - Math.exp(-2.5) * (1 + 2.5 + 3.125), within(1e-15));
        assertThat(p[0] + p[1] + p[2] + p[3]).isCloseTo(1, within(1e-15));
        double[] h = new Duration.Poisson(2.5).hazards(4);
        assertThat(h[3]).isEqualTo(1);
        assertThat(h[0]).isCloseTo(Math.exp(-2.5), within(1e-15));
    }

    @Test
    void badSpecsNameThePathAndTheValue() {
        String nb = "[{\"type\": \"poisson\", \"rate\": 2}, {\"type\": \"geometric\", \"probability\": 0.5}]";
        assertThatThrownBy(() -> ModelSpecs.parse(spec("[[0.1, 0.9], [1, 0]]", " \"maxDuration\": 6,", nb), "m.json"))
                .isInstanceOf(SpecException.class).hasMessageContaining("m.json").hasMessageContaining("transition[0][0]")
                .hasMessageContaining("0.1");
        assertThatThrownBy(() -> ModelSpecs.parse(spec("[[0, 0.9], [1, 0]]", " \"maxDuration\": 6,", nb), "m.json"))
                .isInstanceOf(SpecException.class).hasMessageContaining("transition[0]").hasMessageContaining("0.9");
        assertThatThrownBy(() -> ModelSpecs.parse(spec("[[0, 1], [1, 0]]", " \"maxDuration\": 0,", nb), "m.json"))
                .isInstanceOf(SpecException.class).hasMessageContaining("maxDuration").hasMessageContaining("got 0");
        assertThatThrownBy(() -> ModelSpecs.parse(spec("[[0, 1], [1, 0]]", "", nb), "m.json"))
                .isInstanceOf(SpecException.class).hasMessageContaining("maxDuration: is required");
        assertThatThrownBy(() -> ModelSpecs.parse(spec("[[0, 1], [1, 0]]", " \"maxDuration\": 6,",
                "[{\"type\": \"poisson\", \"rate\": 0}, {\"type\": \"geometric\", \"probability\": 0.5}]"), "m.json"))
                .isInstanceOf(SpecException.class).hasMessageContaining("durations[0].rate");
        assertThatThrownBy(() -> ModelSpecs.parse(spec("[[0, 1], [1, 0]]", " \"maxDuration\": 6,",
                "[{\"type\": \"negative-binomial\", \"size\": 1, \"probability\": 1.2}, {\"type\": \"geometric\", \"probability\": 0.5}]"), "m.json"))
                .isInstanceOf(SpecException.class).hasMessageContaining("durations[0].probability").hasMessageContaining("1.2");
        assertThatThrownBy(() -> ModelSpecs.parse(spec("[[0, 1], [1, 0]]", " \"maxDuration\": 2,",
                "[{\"type\": \"table\", \"probabilities\": [0.2, 0.3, 0.5]}, {\"type\": \"geometric\", \"probability\": 0.5}]"), "m.json"))
                .isInstanceOf(SpecException.class).hasMessageContaining("durations[0].probabilities").hasMessageContaining("3 entries");
        assertThatThrownBy(() -> ModelSpecs.parse(spec("[[0, 1], [1, 0]]", " \"maxDuration\": 6,",
                "[{\"type\": \"table\", \"probabilities\": [0.2, 0.3]}, {\"type\": \"geometric\", \"probability\": 0.5}]"), "m.json"))
                .isInstanceOf(SpecException.class).hasMessageContaining("durations[0].probabilities").hasMessageContaining("0.5");
        assertThatThrownBy(() -> ModelSpecs.parse(spec("[[0, 1], [1, 0]]", " \"maxDuration\": 6,",
                "[{\"type\": \"geometric\", \"probability\": 0.5}]"), "m.json"))
                .isInstanceOf(SpecException.class).hasMessageContaining("durations: has 1 entries");
        assertThatThrownBy(() -> ModelSpecs.parse(spec("[[0, 1], [1, 0]]", " \"maxDuration\": 6,",
                "[{\"type\": \"weibull\"}, {\"type\": \"geometric\", \"probability\": 0.5}]"), "m.json"))
                .isInstanceOf(SpecException.class).hasMessageContaining("durations[0].type").hasMessageContaining("weibull");
        assertThatThrownBy(() -> ModelSpecs.parse(spec("[[0, 1], [1, 0]]", " \"maxDuration\": 6, \"extra\": 1,", nb), "m.json"))
                .isInstanceOf(SpecException.class).hasMessageContaining("extra");
    }

    @Test
    void normalizeRescalesRowsButKeepsTheZeroDiagonal() {
        HiddenSemiMarkovModel m = (HiddenSemiMarkovModel) ModelSpecs.parse("{\"type\": \"hsmm\", \"normalize\": true,"
                + " \"initial\": [1, 1, 2], \"transition\": [[0, 1, 3], [2, 0, 2], [1, 1, 0]], \"maxDuration\": 3,"
                + " \"durations\": [{\"type\": \"poisson\", \"rate\": 1}, {\"type\": \"poisson\", \"rate\": 2},"
                + " {\"type\": \"table\", \"probabilities\": [1, 1]}],"
                + " \"emission\": {\"type\": \"poisson\", \"rates\": [[1], [2], [3]]}}", "n.json");
        assertThat(m.transitionMatrix()[0]).containsExactly(0, 0.25, 0.75);
        assertThat(m.initial()).containsExactly(0.25, 0.25, 0.5);
        assertThat(m.durations().get(2)).isEqualTo(new Duration.Table(new double[] {0.5, 0.5}));
    }

    @Test
    void templateBuildsAModelSizedByTheData() {
        Sequence s = Sequence.ofScalars("x", new double[] {0.1, 0.3, 5, 5.2, 4.9, 0.2, 0.1, 5.1, 4.8, 0});
        for (String duration : List.of("poisson", "negative-binomial", "table", "geometric")) {
            String template = "{\"type\": \"hsmm\", \"states\": 3, \"duration\": \"" + duration + "\", \"maxDuration\": 12}";
            HiddenSemiMarkovModel m = new HsmmType().template(SpecNode.root(Json.parse(template, "t.json"), "t.json"),
                    Dataset.of(List.of(s)), Randoms.seeded(1));
            assertThat(m.stateCount()).isEqualTo(3);
            assertThat(m.maxDuration()).isEqualTo(12);
            assertThat(m.durations()).allMatch(d -> d.type().equals(duration));
            for (double[] row : m.transitionMatrix()) {
                assertThat(row[0] + row[1] + row[2]).isCloseTo(1, within(1e-12));
            }
            assertThat(m.logLikelihood(s)).isFinite();
        }
    }
}
