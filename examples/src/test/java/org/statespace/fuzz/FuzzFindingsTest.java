package org.statespace.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.statespace.DataException;
import org.statespace.ResourceException;
import org.statespace.SpecException;
import org.statespace.StatespaceException;
import org.statespace.data.Dataset;
import org.statespace.data.DatasetCsv;
import org.statespace.data.DatasetJson;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;
import org.statespace.study.StudySpec;

/** Every bug the fuzzers found, as a plain test that does not depend on the seed corpus. */
class FuzzFindingsTest {

    @Test
    void anRnnTooLargeForMemoryOrForAnArrayIsAnErrorNotAnOutOfMemoryError() {
        String big = "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"lstm\", \"hiddenSize\": 10000}],"
                + " \"head\": {\"type\": \"linear\", \"outputSize\": 1}}";
        assertThatThrownBy(() -> ModelSpecs.parse(big, "big.json")).isInstanceOf(ResourceException.class)
                .hasMessageContaining("parameters").hasMessageContaining("-Xmx");
        String huge = big.replace("\"inputSize\": 1,", "\"inputSize\": 10000000,").replace("10000}", "1000000}");
        assertThatThrownBy(() -> ModelSpecs.parse(huge, "huge.json")).isInstanceOf(SpecException.class)
                .hasMessageContaining("huge.json").hasMessageContaining("parameters");
    }

    @Test
    void anRnnTemplateTooLargeForMemoryIsAnError() {
        Dataset data = Dataset.of(List.of(Sequence.ofScalars("a", new double[] {1, 2, 3})));
        SpecNode template = SpecNode.root(Json.parse("{\"type\": \"rnn\", \"cell\": \"lstm\", \"hiddenSize\": 10000}", "t"), "t");
        assertThatThrownBy(() -> ModelSpecs.type("rnn").template(template, data, Randoms.seeded(1)))
                .isInstanceOf(ResourceException.class);
    }

    @Test
    void aHybridCellTemplateWithMoreStatesThanALayerTakesIsASpecErrorNamingTheField() {
        // found by OptionsFuzzTest.study: hiddenSize 65536 passed the template's bound (100000) and the layer threw
        Dataset data = Dataset.of(List.of(Sequence.ofScalars("a", new double[] {1, 2, 3})));
        for (String cell : new String[] {"hmm", "kalman"}) {
            SpecNode template = SpecNode.root(Json.parse("{\"type\": \"rnn\", \"cell\": \"" + cell
                    + "\", \"hiddenSize\": 65536}", "t.json"), "t.json");
            assertThatThrownBy(() -> ModelSpecs.type("rnn").template(template, data, Randoms.seeded(1))).as(cell)
                    .isInstanceOf(SpecException.class).hasMessageContaining("hiddenSize").hasMessageContaining("65536")
                    .hasMessageContaining("10000");
        }
    }

    @Test
    void aSymbolIndexBeyondTheLargestAlphabetIsADataError() {
        assertThatThrownBy(() -> DatasetJson.parse("{\"observationType\": \"symbols\", \"sequences\": "
                + "[{\"observations\": [0, 2147483648]}]}", "d.json"))
                .isInstanceOf(DataException.class).hasMessageContaining("d.json").hasMessageContaining("symbol index 2147483648 is too large");
        Dataset real = DatasetJson.parse("{\"sequences\": [{\"observations\": [1e300, 2]}]}", "r.json");
        assertThat(real.alphabetSize()).isZero();
    }

    @Test
    void aSequenceOfWhollyMissingVectorsKeepsItsWidthThroughJson() {
        Dataset d = DatasetCsv.parse("y1,y2\n,\nNA,NA\n", "d.csv");
        assertThat(d.dimension()).isEqualTo(2);
        Dataset back = DatasetJson.parse(DatasetJson.toJson(d), "written");
        assertThat(back.dimension()).isEqualTo(2);
        assertThat(back.sequences()).isEqualTo(d.sequences());
    }

    @Test
    void aMarkovTemplateWithTooManyContextsIsADataError() {
        int[] symbols = new int[40];
        for (int i = 0; i < symbols.length; i++) {
            symbols[i] = i % 40;
        }
        Dataset data = Dataset.ofSymbols(List.of(Sequence.ofSymbols("a", symbols)), List.of());
        SpecNode template = SpecNode.root(Json.parse("{\"type\": \"markov-chain\", \"order\": 8}", "t"), "t");
        assertThatThrownBy(() -> ModelSpecs.type("markov-chain").template(template, data, Randoms.seeded(1)))
                .isInstanceOf(DataException.class).hasMessageContaining("order");
    }

    @Test
    void aDatasetPathThatIsNoPathIsASpecErrorAtItsField() {
        assertThatThrownBy(() -> StudySpec.parse("{\"datasets\": [{\"path\": \"a\\u0000b\"}], \"models\": "
                + "[{\"template\": {\"type\": \"hmm\"}}]}", "s.json", Path.of(".")))
                .isInstanceOf(SpecException.class).hasMessageContaining("datasets[0].path");
        StudySpec root = StudySpec.parse("{\"datasets\": [{\"path\": \"/\"}], \"models\": "
                + "[{\"template\": {\"type\": \"hmm\"}}]}", "s.json", null);
        assertThat(root.datasets().get(0).name()).isEqualTo("/");
    }

    @Test
    void aSeedOutsideTheRangeOfALongIsAnError() {
        assertThatThrownBy(() -> StudySpec.parse("{\"seeds\": [1e300], \"datasets\": [{\"builtin\": \"nile\"}], "
                + "\"models\": [{\"template\": {\"type\": \"hmm\"}}]}", "s.json", null))
                .isInstanceOf(StatespaceException.class).hasMessageContaining("seeds[0]");
    }
}
