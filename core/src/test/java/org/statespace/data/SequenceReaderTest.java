package org.statespace.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statespace.DataException;
import org.statespace.ObservationSpace;

/**
 * The incremental reader gives, sequence by sequence and chunk by chunk, the values written in the file (checked
 * against the literal text), the same sequences as the in-memory readers, and errors that name the file, the line
 * and the value.
 */
class SequenceReaderTest {
    @TempDir
    Path dir;

    private static final ObservationSpace REAL = ObservationSpace.reals(1);
    private static final ObservationSpace WEATHER = ObservationSpace.symbols(2, List.of("sunny", "rainy"));

    // Every sequence as (id, its values step by step), read through chunks; checks each chunk's window bounds.
    private static List<Object[]> readAll(SequenceReader r, int chunk) {
        List<Object[]> out = new ArrayList<>();
        while (r.nextSequence()) {
            List<Double> values = new ArrayList<>();
            int length = 0;
            for (Sequence c = r.nextChunk(); c != null; c = r.nextChunk()) {
                assertThat(c.id()).isEqualTo(r.id());
                assertThat(c.length() - length).as("new steps in a chunk").isBetween(1, chunk);
                assertThat(c.firstStep()).isEqualTo(Math.max(0, length - SequenceReader.HISTORY));
                for (int t = length; t < c.length(); t++) {
                    values.add(c.value(t, 0));
                }
                if (length > 0) { // the step before the new ones is still held
                    assertThat(c.value(length - 1, 0)).isEqualTo(values.get(length - 1));
                }
                length = c.length();
            }
            out.add(new Object[] {r.id(), values});
        }
        return out;
    }

    @Test
    void csvChunksHoldTheFileValuesIndexedByTheirStep() throws IOException {
        Path f = dir.resolve("d.csv");
        Files.writeString(f, "sequence,t,y\na,0,1.5\na,1,\na,2,-2\na,3,4e1\na,4,NA\nb,0,7\n");
        try (SequenceReader r = SequenceReader.open(f, REAL, DatasetCsv.Columns.byConvention(), 2)) {
            List<Object[]> all = readAll(r, 2);
            assertThat(all).hasSize(2);
            assertThat(all.get(0)[0]).isEqualTo("a");
            assertThat(all.get(0)[1]).isEqualTo(List.of(1.5, Double.NaN, -2.0, 40.0, Double.NaN));
            assertThat(all.get(1)[0]).isEqualTo("b");
            assertThat(all.get(1)[1]).isEqualTo(List.of(7.0));
        }
    }

    @Test
    void aLongSequenceIsReadWithOnlyItsLastStepsHeld() throws IOException {
        Path f = dir.resolve("long.csv");
        StringBuilder b = new StringBuilder("y\n");
        int n = 3 * SequenceReader.HISTORY + 17;
        for (int t = 0; t < n; t++) {
            b.append(t).append('\n');
        }
        Files.writeString(f, b);
        try (SequenceReader r = SequenceReader.open(f, REAL, DatasetCsv.Columns.byConvention(), 500)) {
            assertThat(r.nextSequence()).isTrue();
            int length = 0;
            for (Sequence c = r.nextChunk(); c != null; c = r.nextChunk()) {
                for (int t = c.firstStep(); t < c.length(); t++) {
                    assertThat(c.value(t, 0)).isEqualTo(t);
                }
                if (c.firstStep() > 0) {
                    int before = c.firstStep() - 1;
                    Sequence window = c;
                    assertThatThrownBy(() -> window.value(before, 0)).isInstanceOf(IndexOutOfBoundsException.class);
                }
                length = c.length();
            }
            assertThat(length).isEqualTo(n);
            assertThat(r.nextSequence()).isFalse();
        }
    }

    @Test
    void everyFormatGivesTheSequencesOfTheInMemoryReader() throws IOException {
        String doc = "{\"symbols\": [\"rainy\", \"sunny\"], \"sequences\": [{\"id\": \"x\", \"observations\": [\"sunny\", null, \"rainy\"]},"
                + " {\"id\": \"y\", \"observations\": [\"rainy\"]}]}";
        Path json = dir.resolve("d.json");
        Files.writeString(json, doc);
        Dataset reference = WEATHER.align(DatasetJson.read(json), "d.json");
        Path lines = dir.resolve("d.jsonl");
        Files.writeString(lines, "{\"id\": \"x\", \"observations\": [\"sunny\", null, \"rainy\"]}\n\n"
                + "{\"id\": \"y\", \"observations\": [\"rainy\"]}\n");
        Path steps = dir.resolve("steps.jsonl");
        Files.writeString(steps, "{\"sequence\": \"x\", \"t\": 0, \"observation\": \"sunny\"}\n"
                + "{\"sequence\": \"x\", \"observation\": null}\n{\"sequence\": \"x\", \"observation\": \"rainy\"}\n"
                + "{\"sequence\": \"y\", \"observation\": \"rainy\"}\n");
        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, "sequence,symbol\nx,sunny\nx,\nx,rainy\ny,rainy\n");
        for (Path f : List.of(json, lines, steps, csv)) {
            try (SequenceReader r = SequenceReader.open(f, WEATHER, DatasetCsv.Columns.byConvention(), 2)) {
                List<Object[]> all = readAll(r, f == json || f == lines ? Integer.MAX_VALUE : 2);
                assertThat(all).as(f.toString()).hasSize(2);
                for (int i = 0; i < 2; i++) {
                    Sequence s = reference.sequence(i);
                    List<Double> expected = new ArrayList<>();
                    for (int t = 0; t < s.length(); t++) {
                        expected.add(s.value(t, 0));
                    }
                    assertThat(all.get(i)[0]).as(f.toString()).isEqualTo(s.id());
                    assertThat(all.get(i)[1]).as(f.toString()).isEqualTo(expected);
                }
            }
        }
        // in the model's alphabet: sunny is 0, rainy 1, whatever the file's order
        assertThat(reference.sequence(0).symbol(0)).isEqualTo(0);
        assertThat(reference.sequence(0).symbol(2)).isEqualTo(1);
    }

    @Test
    void inputsAreReadForAModelThatTakesThem() throws IOException {
        Path f = dir.resolve("u.jsonl");
        Files.writeString(f, "{\"observation\": 1.5, \"input\": [0.25, 2]}\n{\"observation\": null, \"input\": [-1, 3]}\n");
        try (SequenceReader r = SequenceReader.open(f, REAL.withInputs(2), DatasetCsv.Columns.byConvention(), 8)) {
            assertThat(r.nextSequence()).isTrue();
            Sequence c = r.nextChunk();
            assertThat(c.inputDimension()).isEqualTo(2);
            assertThat(new double[] {c.input(0, 0), c.input(0, 1), c.input(1, 0), c.input(1, 1)})
                    .containsExactly(0.25, 2, -1, 3);
            assertThat(c.isMissing(1)).isTrue();
        }
        try (SequenceReader r = SequenceReader.open(f, REAL.withInputs(1), DatasetCsv.Columns.byConvention(), 8)) {
            assertThatThrownBy(() -> {
                r.nextSequence();
                r.nextChunk();
            }).isInstanceOf(DataException.class).hasMessageContaining("u.jsonl line 1: input: the model takes 1 inputs per step, got 2");
        }
    }

    private void assertError(String name, String content, ObservationSpace space, String... expected) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        assertThatThrownBy(() -> {
            try (SequenceReader r = SequenceReader.open(f, space, DatasetCsv.Columns.byConvention(), 2)) {
                while (r.nextSequence()) {
                    while (r.nextChunk() != null) {
                        // read everything
                    }
                }
            }
        }).isInstanceOf(DataException.class).satisfies(e -> {
            assertThat(e.getMessage()).startsWith(f.toString());
            for (String x : expected) {
                assertThat(e.getMessage()).contains(x);
            }
        });
    }

    @Test
    void errorsNameTheFileTheLineAndTheValue() throws IOException {
        assertError("bad.csv", "y\n1\n2\nabc\n", REAL, "line 4", "\"abc\" is not a number");
        assertError("nan.csv", "y\n1\nNaN\n", REAL, "line 3", "\"NaN\" is not a finite number");
        assertError("cells.csv", "sequence,y\na,1\na,2,3\n", REAL, "line 3", "expected 2 cells");
        assertError("sym.csv", "symbol\nsunny\nfoggy\n", WEATHER, "line 3", "unknown symbol \"foggy\"");
        assertError("truncated.jsonl", "{\"observation\": 1}\n{\"observation\": 2\n", REAL, "line 2, column", "not valid JSON");
        assertError("nan.jsonl", "{\"observation\": 1}\n{\"observation\": NaN}\n", REAL, "line 2");
        assertError("index.jsonl", "{\"observation\": 1}\n", WEATHER, "line 1", "the symbol is given as the index 1",
                "write the names");
        assertError("field.jsonl", "{\"observaton\": 1}\n", REAL, "line 1", "observaton: unknown field");
        assertError("seq.jsonl", "{\"observations\": [1, 2]}\n{\"observations\": [1, \"x\"]}\n", REAL, "line 2, column");
        assertError("doc.json", "{\"sequences\": [{\"observations\": [1]}, {\"observations\": [2, true]}]}", REAL,
                "line 1, column", "sequences[1].observations[1]");
        assertError("dim.csv", "y1,y2\n1,2\n", REAL, "2-dimensional");
        assertError("empty.jsonl", "\n", REAL, "no sequence in the file");
    }
}
