package org.statespace.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.DataException;
import org.statespace.ResourceException;

class DatasetJsonTest {

    @Test
    void aSymbolIndexWrittenAsMinusZeroReadsBackAsTheSameDataset() {
        // a fuzz finding: index -0.0 is symbol 0, written back as its name and read again as +0.0
        Dataset d = DatasetJson.parse("{\"symbols\": [\"sunny\", \"rainy\"], \"sequences\": [{\"id\": \"w\","
                + " \"observations\": [-0.0, 1, null]}]}", "d.json");
        Dataset back = DatasetJson.parse(DatasetJson.toJson(d), "written");
        assertThat(back).isEqualTo(d);
        assertThat(back.hashCode()).isEqualTo(d.hashCode());
        assertThat(back.sequences().get(0).hashCode()).isEqualTo(d.sequences().get(0).hashCode());
    }

    @Test
    void aLongAlphabetIsReadByNameInOneLookUpPerStep() {
        // 20,000 symbols and 100,000 steps: a scan of the list per step (List.indexOf) took about 10^9 string
        // comparisons here; each step's index is known from how the file is written (step t names symbol 7t mod K)
        int k = 20_000;
        int steps = 100_000;
        StringBuilder json = new StringBuilder("{\"symbols\": [");
        for (int s = 0; s < k; s++) {
            json.append(s == 0 ? "" : ", ").append("\"w").append(s).append('"');
        }
        json.append("], \"stateNames\": [\"x\", \"y\"], \"sequences\": [{\"id\": \"long\", \"observations\": [");
        StringBuilder states = new StringBuilder();
        for (int t = 0; t < steps; t++) {
            json.append(t == 0 ? "" : ", ").append("\"w").append((7L * t) % k).append('"');
            states.append(t == 0 ? "" : ", ").append(t % 3 == 0 ? "\"y\"" : "\"x\"");
        }
        json.append("], \"states\": [").append(states).append("]}]}");
        Dataset d = DatasetJson.parse(json.toString(), "long.json");
        Sequence s = d.sequence(0);
        assertThat(d.symbolNames()).hasSize(k);
        assertThat(s.length()).isEqualTo(steps);
        for (int t = 0; t < steps; t++) {
            assertThat(s.symbol(t)).as("step %d", t).isEqualTo((int) ((7L * t) % k));
            assertThat(s.state(t, 0)).as("state %d", t).isEqualTo(t % 3 == 0 ? 1.0 : 0.0);
        }
        assertThatThrownBy(() -> DatasetJson.parse("{\"symbols\": [\"a\", \"b\"], \"sequences\": [{\"observations\": "
                + "[\"a\", \"c\"]}]}", "d.json")).isInstanceOf(DataException.class)
                .hasMessageContaining("observations[1]").hasMessageContaining("unknown symbol \"c\"");
    }

    @Test
    void readsEveryKindOfObservation() {
        Dataset d = DatasetJson.parse("""
                {"sequences": [
                  {"id": "a", "observations": [[1, 2], null, [3, null]], "inputs": [[0.5], [1], [2]]},
                  {"observations": [[4, 5]], "inputs": [[7]], "states": [1]}
                ]}""", "d.json");
        assertThat(d.kind()).isEqualTo(ObservationKind.REAL);
        assertThat(d.dimension()).isEqualTo(2);
        assertThat(d.inputDimension()).isEqualTo(1);
        Sequence a = d.sequence(0);
        assertThat(a.length()).isEqualTo(3);
        assertThat(a.isMissing(1)).isTrue();
        assertThat(a.isPartiallyMissing(2)).isTrue();
        assertThat(a.value(2, 0)).isEqualTo(3);
        assertThat(a.input(2, 0)).isEqualTo(2);
        assertThat(d.sequence(1).id()).isEqualTo("s2");
        assertThat(d.sequence(1).state(0, 0)).isEqualTo(1);
    }

    @Test
    void readsSymbolsByName() {
        Dataset d = DatasetJson.parse("""
                {"symbols": ["normal", "cold", "dizzy"],
                 "sequences": [{"id": "x", "observations": ["normal", "dizzy", null, 1]}]}""", "d.json");
        assertThat(d.kind()).isEqualTo(ObservationKind.SYMBOLS);
        assertThat(d.alphabetSize()).isEqualTo(3);
        assertThat(d.sequence(0).symbol(1)).isEqualTo(2);
        assertThat(d.sequence(0).symbol(2)).isEqualTo(-1);
        assertThat(d.sequence(0).symbol(3)).isEqualTo(1);
    }

    @Test
    void roundTripsThroughAFile(@TempDir Path dir) {
        Sequence a = Sequence.ofVectors("a", new double[][] {{1.5, 2}, null, {3, Double.NaN}})
                .withInputs(1, new double[] {0.1, 0.2, 0.3});
        Sequence b = Sequence.ofVectors("b", new double[][] {{-1e-300, 1e300}}).withInputs(1, new double[] {4});
        Dataset d = Dataset.of(List.of(a, b));
        Path file = dir.resolve("d.json");
        DatasetJson.write(d, file);
        assertThat(DatasetJson.read(file)).isEqualTo(d);
        Dataset symbols = Dataset.ofSymbols(List.of(Sequence.ofSymbols("s", new int[] {0, 2, -1, 1})
                .withStates(1, new double[] {1, 1, 0, 0})), List.of("x", "y", "z"));
        DatasetJson.write(symbols, file);
        assertThat(DatasetJson.read(file)).isEqualTo(symbols);
    }

    @Test
    void errorsNameLineAndPath() {
        assertThatThrownBy(() -> DatasetJson.parse("{\"sequences\": [{\"observations\": [1, \"x\"]}]}", "d.json"))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("d.json: line 1")
                .hasMessageContaining("sequences[0].observations[1]")
                .hasMessageContaining("\"x\"");
        assertThatThrownBy(() -> DatasetJson.parse("{\"sequences\": [{\"observations\": [1, NaN]}]}", "d.json"))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("sequences[0].observations[1]").hasMessageContaining("NaN");
        assertThatThrownBy(() -> DatasetJson.parse("{\"sequences\": [{\"observations\": [[1, 2], [3]]}]}", "d.json"))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("observations[1]").hasMessageContaining("1 components but earlier rows have 2");
        assertThatThrownBy(() -> DatasetJson.parse("{\"sequences\": [{\"observations\": [1], \"extra\": 1}]}", "d.json"))
                .isInstanceOf(DataException.class).hasMessageContaining("sequences[0].extra: unknown field");
        assertThatThrownBy(() -> DatasetJson.parse("{\"sequences\": [{\"observations\": [1, 2], \"inputs\": [[1]]}]}", "d.json"))
                .isInstanceOf(DataException.class).hasMessageContaining("inputs: 1 rows, but there are 2 observations");
        assertThatThrownBy(() -> DatasetJson.parse("{\"sequences\": [{\"observations\": [1]}, {\"observations\": [[1, 2]]}]}", "d.json"))
                .isInstanceOf(DataException.class).hasMessageContaining("dimension");
        assertThatThrownBy(() -> DatasetJson.parse("{\"sequences\": [{\"id\": \"a\", \"observations\": [1]}, {\"id\": \"a\", \"observations\": [2]}]}", "d.json"))
                .isInstanceOf(DataException.class).hasMessageContaining("\"a\"");
        assertThatThrownBy(() -> DatasetJson.parse("{\"sequences\": [", "d.json"))
                .isInstanceOf(DataException.class).hasMessageContaining("not valid JSON");
        // Jackson's description of its input source stays out of the message; the place it names stays in
        assertThatThrownBy(() -> DatasetJson.read(new java.io.ByteArrayInputStream(
                "{\"sequences\": [{\"observations\": [1, 2]}".getBytes(java.nio.charset.StandardCharsets.UTF_8)), "d.json"))
                .isInstanceOf(DataException.class).hasMessageNotContaining("Source").hasMessageNotContaining("InputStream")
                .hasMessageContaining("start marker at line 1, column 1");
        assertThatThrownBy(() -> DatasetJson.parse("[1, 2]", "d.json"))
                .isInstanceOf(DataException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> DatasetJson.parse("{}", "d.json"))
                .isInstanceOf(DataException.class).hasMessageContaining("sequences: missing field");
    }

    @Test
    void jacksonsLimitsAreReportedWithoutItsClassNames() {
        String longNumber = "1" + "0".repeat(1200);
        String deep = "[".repeat(1500) + "]".repeat(1500);
        for (String doc : List.of("{\"sequences\": [{\"observations\": [" + longNumber + "]}]}",
                "{\"sequences\": [{\"observations\": [1]}], \"provenance\": " + deep + "}")) {
            assertThatThrownBy(() -> DatasetJson.parse(doc, "d.json")).isInstanceOf(DataException.class)
                    .hasMessageStartingWith("d.json: ").hasMessageContaining("exceeds the maximum allowed")
                    .hasMessageNotContaining("StreamReadConstraints").hasMessageNotContaining("`")
                    .hasMessageNotContaining("()");
            assertThatThrownBy(() -> org.statespace.spec.Json.parse(doc, "m.json"))
                    .hasMessageContaining("m.json").hasMessageContaining("exceeds the maximum allowed")
                    .hasMessageNotContaining("StreamReadConstraints").hasMessageNotContaining("`");
        }
    }

    @Test
    void javaNumberSuffixesAreNotNumbers() {
        assertThatThrownBy(() -> DatasetJson.parse("{\"sequences\": [{\"observations\": [1, 1.5d]}]}", "d.json"))
                .isInstanceOf(DataException.class).hasMessageContaining("d.json: line 1").hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> DatasetJson.parse("{\"sequences\": [{\"observations\": [1, \"1.5f\"]}]}", "d.json"))
                .isInstanceOf(DataException.class).hasMessageContaining("sequences[0].observations[1]")
                .hasMessageContaining("\"1.5f\"");
    }

    @Test
    void aMissingFileIsAResourceError(@TempDir Path dir) {
        assertThatThrownBy(() -> DatasetJson.read(dir.resolve("nope.json")))
                .isInstanceOf(ResourceException.class).hasMessageContaining("nope.json: no such file");
    }

    @Test
    void writingIsAtomic(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("d.json");
        Files.writeString(file, "old");
        Dataset d = Dataset.of(List.of(Sequence.ofScalars("a", new double[] {1, 2})));
        DatasetJson.write(d, file);
        assertThat(DatasetJson.read(file)).isEqualTo(d);
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString()).toList()).containsExactly("d.json");
        }
    }
}
