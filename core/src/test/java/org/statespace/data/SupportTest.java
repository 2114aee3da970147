package org.statespace.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.DataException;

/** A dataset's support: inferred from its values, declared in code or JSON, checked against the data. */
class SupportTest {

    private static Dataset real(double... values) {
        return Dataset.of(List.of(Sequence.ofScalars("a", values)));
    }

    @Test
    void inferredFromTheValues() {
        assertThat(real(0, 3, Double.NaN, 12).support()).isEqualTo(Support.COUNTS);
        assertThat(real(0, 3, 2.5).support()).isEqualTo(Support.REAL);
        assertThat(real(1, -1, 2).support()).isEqualTo(Support.REAL);
        assertThat(real(Double.NaN, Double.NaN).support()).isEqualTo(Support.REAL);
        assertThat(Dataset.ofSymbols(List.of(Sequence.ofSymbols("s", new int[] {0, 1})), List.of()).support())
                .isEqualTo(Support.SYMBOLS);
        // a vector counts only when every observed component is a count
        Dataset vectors = Dataset.of(List.of(Sequence.ofVectors("v", new double[][] {{1, 2}, {3, 0.5}})));
        assertThat(vectors.support()).isEqualTo(Support.REAL);
        assertThat(real(4, 5).supportDeclared()).isFalse();
    }

    @Test
    void declaredSupportIsCheckedAndKeptBySplits() {
        Dataset integers = real(1120, 1160, 963, 1210, 1160, 1160);
        assertThat(integers.support()).isEqualTo(Support.COUNTS);
        Dataset declared = integers.withSupport(Support.REAL);
        assertThat(declared.support()).isEqualTo(Support.REAL);
        assertThat(declared.supportDeclared()).isTrue();
        assertThat(declared.splitInTime(0.5).heldOut().support()).isEqualTo(Support.REAL);
        assertThat(declared).isNotEqualTo(integers);
        assertThatThrownBy(() -> real(1, 2.5, 3).withSupport(Support.COUNTS)).isInstanceOf(DataException.class)
                .hasMessageContaining("sequence 'a', step 1").hasMessageContaining("2.5");
        assertThatThrownBy(() -> real(1, 2).withSupport(Support.SYMBOLS)).isInstanceOf(DataException.class)
                .hasMessageContaining("\"symbols\" does not fit real observations");
    }

    @Test
    void declaredInJsonAndWrittenBack(@TempDir Path dir) {
        Dataset d = DatasetJson.parse("""
                {"support": "real", "sequences": [{"observations": [1, 2, 3]}]}""", "d.json");
        assertThat(d.support()).isEqualTo(Support.REAL);
        assertThat(d.supportDeclared()).isTrue();
        Path file = dir.resolve("d.json");
        DatasetJson.write(d, file);
        assertThat(DatasetJson.read(file)).isEqualTo(d);
        // an undeclared support is not written, so reading infers it again
        Dataset inferred = real(1, 2, 3);
        assertThat(DatasetJson.toJson(inferred)).doesNotContain("support");
        // "symbols" alone makes the observations symbols
        Dataset symbols = DatasetJson.parse("""
                {"support": "symbols", "sequences": [{"observations": [0, 2, 1]}]}""", "d.json");
        assertThat(symbols.kind()).isEqualTo(ObservationKind.SYMBOLS);
    }

    @Test
    void badSupportInJsonNamesTheFileFieldAndValue() {
        assertThatThrownBy(() -> DatasetJson.parse("""
                {"support": "integers", "sequences": [{"observations": [1]}]}""", "d.json"))
                .isInstanceOf(DataException.class).hasMessageContaining("d.json: line 1")
                .hasMessageContaining("support: expected \"counts\", \"real\" or \"symbols\", got string \"integers\"");
        assertThatThrownBy(() -> DatasetJson.parse("""
                {"support": "counts", "sequences": [{"id": "x", "observations": [1, -2]}]}""", "d.json"))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("d.json: support \"counts\": sequence 'x', step 1: -2.0 is not a non-negative integer");
        assertThatThrownBy(() -> DatasetJson.parse("""
                {"support": "real", "symbols": ["a", "b"], "sequences": [{"observations": ["a"]}]}""", "d.json"))
                .isInstanceOf(DataException.class).hasMessageContaining("d.json: support \"real\" does not fit symbols");
    }
}
