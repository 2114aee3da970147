package org.statespace.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.DataException;

class DatasetCsvTest {

    @Test
    void readsSequencesInputsAndMissingCells() {
        Dataset d = DatasetCsv.parse("""
                sequence,t,y1,y2,input
                a,0,1,2,0.5
                a,1,,,1
                b,0,3,NA,2
                a,2,5,6,3
                """, "d.csv");
        assertThat(d.size()).isEqualTo(2);
        assertThat(d.sequence(0).length()).isEqualTo(3);
        assertThat(d.sequence(0).isMissing(1)).isTrue();
        assertThat(d.sequence(0).value(2, 1)).isEqualTo(6);
        assertThat(d.sequence(1).isPartiallyMissing(0)).isTrue();
        assertThat(d.inputDimension()).isEqualTo(1);
    }

    @Test
    void aYearColumnIsReadAsTheTimeIndex() {
        Dataset d = DatasetCsv.parse("year,volume\n1871,1120\n1872,1160\n", "nile.csv");
        assertThat(d.dimension()).isEqualTo(1);
        assertThat(d.sequence(0).scalar(1)).isEqualTo(1160);
    }

    @Test
    void symbolsByName() {
        Dataset d = DatasetCsv.parse("symbol\nsun\nrain\n\"sun\"\n", "w.csv");
        assertThat(d.kind()).isEqualTo(ObservationKind.SYMBOLS);
        assertThat(d.symbolNames()).containsExactly("sun", "rain");
        assertThat(d.sequence(0).symbol(2)).isZero();
    }

    @Test
    void aBlankLineInAOneColumnFileIsAMissingValueAtItsStep() {
        // 1, missing, 3: the blank line keeps its step (dropping it would shift 3 to step 1); trailing ones go
        Dataset d = DatasetCsv.parse("y\n1\n\n3\n\n  \n", "d.csv");
        Sequence s = d.sequence(0);
        assertThat(s.length()).isEqualTo(3);
        assertThat(s.scalar(0)).isEqualTo(1);
        assertThat(s.isMissing(1)).isTrue();
        assertThat(s.scalar(2)).isEqualTo(3);
        Dataset symbols = DatasetCsv.parse("symbol\nsun\n\nrain\n\n", "s.csv");
        assertThat(symbols.sequence(0).length()).isEqualTo(3);
        assertThat(symbols.sequence(0).isMissing(1)).isTrue();
        assertThat(symbols.sequence(0).symbol(2)).isEqualTo(symbols.symbolNames().indexOf("rain"));
    }

    @Test
    void javaNumberSuffixesAndHexadecimalAreNotNumbers() {
        for (String cell : List.of("1.5d", "1.5f", "2D", "0x10", "0x1p3", "1_000", " 1.5e", "--1")) {
            assertThatThrownBy(() -> DatasetCsv.parse("y\n1\n" + cell + "\n", "d.csv")).as(cell)
                    .isInstanceOf(DataException.class).hasMessageContaining("d.csv: line 3, column \"y\"")
                    .hasMessageContaining("is not a number");
        }
        Dataset ok = DatasetCsv.parse("y,input\n-1.5e3,+2\n.5,3.\n1E-2,0\n", "d.csv");
        assertThat(ok.sequence(0).scalar(0)).isEqualTo(-1500);
        assertThat(ok.sequence(0).scalar(1)).isEqualTo(0.5);
        assertThat(ok.sequence(0).input(1, 0)).isEqualTo(3);
        assertThat(ok.sequence(0).scalar(2)).isEqualTo(0.01);
    }

    @Test
    void roundTrips(@TempDir Path dir) {
        Sequence a = Sequence.ofVectors("a,1", new double[][] {{1.5, 2}, null, {3, Double.NaN}})
                .withInputs(2, new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6});
        Sequence b = Sequence.ofVectors("b", new double[][] {{-1e-300, 1e300}}).withInputs(2, new double[] {4, 5});
        Dataset d = Dataset.of(List.of(a, b));
        Path file = dir.resolve("d.csv");
        DatasetCsv.write(d, file);
        assertThat(DatasetCsv.read(file)).isEqualTo(d);
        Dataset symbols = Dataset.ofSymbols(List.of(Sequence.ofSymbols("s1", new int[] {0, 2, -1, 1})),
                List.of("x", "y", "z"));
        DatasetCsv.write(symbols, file);
        Dataset back = DatasetCsv.read(file);
        assertThat(back.sequence(0).symbol(1)).isEqualTo(back.symbolNames().indexOf("z"));
        assertThat(back.sequence(0).symbol(2)).isEqualTo(-1);
    }

    @Test
    void errorsNameTheLine() {
        assertThatThrownBy(() -> DatasetCsv.parse("y\n1\nabc\n", "d.csv"))
                .isInstanceOf(DataException.class).hasMessage("d.csv: line 3, column \"y\": \"abc\" is not a number");
        assertThatThrownBy(() -> DatasetCsv.parse("y,z\n1,2\n3\n", "d.csv"))
                .isInstanceOf(DataException.class).hasMessageContaining("line 3: expected 2 cells");
        assertThatThrownBy(() -> DatasetCsv.parse("y\nNaN\n", "d.csv"))
                .isInstanceOf(DataException.class).hasMessageContaining("line 2").hasMessageContaining("NA");
        assertThatThrownBy(() -> DatasetCsv.parse("", "d.csv"))
                .isInstanceOf(DataException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> DatasetCsv.parse("y,input\n1,\n", "d.csv"))
                .isInstanceOf(DataException.class).hasMessageContaining("\"input\": cannot be missing");
        assertThatThrownBy(() -> DatasetCsv.parse("y\n\"1\n", "d.csv"))
                .isInstanceOf(DataException.class).hasMessageContaining("unterminated quote");
        assertThatThrownBy(() -> DatasetCsv.parse("y,y\n1,2\n", "d.csv"))
                .isInstanceOf(DataException.class).hasMessageContaining("appears twice");
    }

    @Test
    void aFileOfOnlyHiddenStatesSaysThatItsStateColumnIsNotAnObservation() {
        assertThatThrownBy(() -> DatasetCsv.parse("state\nsunny\nrainy\n", "w.csv"))
                .isInstanceOf(DataException.class)
                .hasMessage("w.csv: line 1: no observation column (header: state); a \"state\" column holds the true "
                        + "hidden states (as sample writes them), not observations: rename it, or choose it with --columns");
        assertThatThrownBy(() -> DatasetCsv.parse("t\n0\n", "t.csv")).hasMessage("t.csv: line 1: no observation column "
                + "(header: t)");
    }
}
