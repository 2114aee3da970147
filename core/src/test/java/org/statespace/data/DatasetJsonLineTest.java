package org.statespace.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.statespace.DataException;

/** One sequence object read on its own (a JSON Lines line) equals the same sequence read in a dataset document. */
class DatasetJsonLineTest {

    @Test
    void aLineReadsAsTheSameSequenceAsInADocument() {
        String line = "{\"id\": \"s7\", \"observations\": [\"b\", \"a\", null, \"b\"]}";
        Dataset alone = DatasetJson.parseSequence(line, List.of("a", "b"), "d.jsonl line 3");
        Dataset whole = DatasetJson.parse("{\"symbols\": [\"a\", \"b\"], \"sequences\": [" + line + "]}", "d.json");
        assertThat(alone.sequence(0)).isEqualTo(whole.sequence(0));
        assertThat(alone.symbolNames()).isEqualTo(whole.symbolNames());
        assertThat(alone.sequence(0).symbol(0)).isEqualTo(1);
        assertThat(alone.sequence(0).isMissing(2)).isTrue();
    }

    @Test
    void errorsNameTheLineAndTheColumnInIt() {
        assertThatThrownBy(() -> DatasetJson.parseSequence("{\"observations\": [1.0, \"x\"]}", List.of(), "d.jsonl line 2"))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("d.jsonl line 2, column 24: observations[1]: ");
        assertThatThrownBy(() -> DatasetJson.parseSequence("{\"observations\": [1.0]} 5", List.of(), "d.jsonl line 4"))
                .hasMessageContaining("d.jsonl line 4, column ").hasMessageContaining("after the sequence object");
        assertThatThrownBy(() -> DatasetJson.parseSequence("{\"observations\": [1.0", List.of(), "d.jsonl line 5"))
                .hasMessageStartingWith("d.jsonl line 5, column ").hasMessageContaining("not valid JSON");
    }
}
