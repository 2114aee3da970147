package org.statespace.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statespace.DataException;
import org.statespace.ObservationSpace;

/**
 * A sequence object (a JSON Lines line, an entry of a document's "sequences") read step by step through
 * {@link SequenceReader} in chunks gives exactly the sequence the in-memory reader gives (the independent reference:
 * {@link DatasetJson#parseSequence} or a document read sequence by sequence, then {@link ObservationSpace#align}),
 * whatever the order of its fields, and fails with the in-memory reader's message.
 */
class StreamedSequencesTest {
    @TempDir
    Path dir;

    private static final ObservationSpace WEATHER = ObservationSpace.symbols(3, List.of("sunny", "rainy", "foggy"))
            .withInputs(2);
    private static final ObservationSpace PLANE = ObservationSpace.reals(2);
    private static final ObservationSpace DIGITS = ObservationSpace.symbols(4);

    // The in-memory reading, sequence by sequence, aligned to the model, as SequenceReader read whole sequences.
    private static List<Sequence> inMemory(Path f, ObservationSpace space) throws IOException {
        List<Sequence> out = new ArrayList<>();
        if (SequenceReader.isJsonLines(f)) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                String where = f + " line " + (i + 1);
                List<String> names = space.kind() == ObservationKind.SYMBOLS ? space.symbolNames() : List.of();
                out.add(space.align(DatasetJson.parseSequence(lines.get(i), names, where), where).sequence(0));
            }
            return out;
        }
        try (DatasetJson.SequenceStream s = new DatasetJson.SequenceStream(
                new ByteArrayInputStream(Files.readAllBytes(f)), f.toString())) {
            for (Dataset one = s.next(); one != null; one = s.next()) {
                out.add(space.align(one, f.toString()).sequence(0));
            }
        }
        return out;
    }

    // Every sequence read through chunks of `chunk` steps and joined; checks each window's bounds and held history.
    private static List<Sequence> streamed(Path f, ObservationSpace space, int chunk) {
        List<Sequence> out = new ArrayList<>();
        int d = space.dimension();
        int p = space.inputDimension();
        try (SequenceReader r = SequenceReader.open(f, space, DatasetCsv.Columns.byConvention(), chunk)) {
            while (r.nextSequence()) {
                double[] o = new double[0];
                double[] u = new double[0];
                int length = 0;
                for (Sequence c = r.nextChunk(); c != null; c = r.nextChunk()) {
                    assertThat(c.id()).isEqualTo(r.id());
                    assertThat(c.length() - length).as("new steps in a chunk").isBetween(1, chunk);
                    assertThat(c.firstStep()).isEqualTo(Math.max(0, length - SequenceReader.HISTORY));
                    for (int t : new int[] {c.firstStep(), length - 1}) { // steps held from before: the first, the last
                        if (t < c.firstStep() || t >= length) {
                            continue;
                        }
                        for (int j = 0; j < d; j++) {
                            assertThat(Double.doubleToRawLongBits(c.value(t, j))).isEqualTo(Double.doubleToRawLongBits(o[t * d + j]));
                        }
                    }
                    if (o.length < c.length() * d) { // grown by half at least: chunks of 7 steps copy little
                        o = java.util.Arrays.copyOf(o, Math.max(c.length(), length + length / 2) * d);
                        u = java.util.Arrays.copyOf(u, Math.max(c.length(), length + length / 2) * p);
                    }
                    for (int t = length; t < c.length(); t++) {
                        for (int j = 0; j < d; j++) {
                            o[t * d + j] = c.value(t, j);
                        }
                        for (int j = 0; j < p; j++) {
                            u[t * p + j] = c.input(t, j);
                        }
                    }
                    length = c.length();
                }
                Sequence s = Sequence.of(r.id(), d, java.util.Arrays.copyOf(o, length * d));
                out.add(p == 0 ? s : s.withInputs(p, java.util.Arrays.copyOf(u, length * p)));
            }
        }
        return out;
    }

    // the sequences read in chunks of 7 and of 1000 steps are the in-memory ones, which this returns
    private List<Sequence> assertSame(Path f, ObservationSpace space) throws IOException {
        List<Sequence> expected = inMemory(f, space);
        for (int chunk : new int[] {7, 1000}) {
            List<Sequence> got = streamed(f, space, chunk);
            assertThat(got).as(f + " chunk " + chunk).hasSize(expected.size());
            for (int i = 0; i < got.size(); i++) {
                Sequence e = expected.get(i);
                Sequence g = got.get(i);
                assertThat(g.id()).isEqualTo(e.id());
                assertThat(g.length()).isEqualTo(e.length());
                assertThat(g.observations()).as("observations of " + e.id()).isEqualTo(e.observations());
                if (space.inputDimension() > 0) {
                    assertThat(g.inputs()).as("inputs of " + e.id()).isEqualTo(e.inputs());
                }
            }
        }
        return expected;
    }

    // n steps of weather by name (one in ten missing) and its inputs, as JSON arrays
    private static String[] weather(int n, long seed, List<String> names) {
        Random random = new Random(seed);
        StringBuilder o = new StringBuilder("[");
        StringBuilder u = new StringBuilder("[");
        for (int t = 0; t < n; t++) {
            String sep = t == 0 ? "" : ",";
            o.append(sep).append(random.nextInt(10) == 0 ? "null" : "\"" + names.get(random.nextInt(names.size())) + "\"");
            u.append(sep).append('[').append(random.nextGaussian()).append(", ").append(random.nextInt(5) - 2).append(']');
        }
        return new String[] {o.append(']').toString(), u.append(']').toString()};
    }

    @Test
    void aLongSequenceOnOneLineIsTheInMemorySequenceWhateverItsFieldOrder() throws IOException {
        String[] a = weather(50_000, 1, WEATHER.symbolNames());
        String[] b = weather(3, 2, WEATHER.symbolNames());
        Path f = dir.resolve("weather.jsonl");
        Files.writeString(f, "{\"inputs\": " + a[1] + ", \"observations\": " + a[0] + ", \"id\": \"late\"}" + "\r\n\n   \n"
                + "{\"observations\": " + b[0] + ",\"id\":\"b\", \"inputs\": " + b[1] + "}\n"
                + "{\"inputs\": " + b[1] + ", \"observations\": " + b[0] + "}");
        List<Sequence> read = assertSame(f, WEATHER);
        assertThat(read.get(0).id()).isEqualTo("late");
        assertThat(read.get(2).id()).isEqualTo("s1"); // a line's default id
    }

    @Test
    void vectorsWithMissingRowsAndBareIndicesAreTheInMemoryOnes() throws IOException {
        Random random = new Random(3);
        StringBuilder o = new StringBuilder("[null");
        StringBuilder k = new StringBuilder("[");
        for (int t = 0; t < 50_000; t++) {
            int c = random.nextInt(8);
            o.append(", ").append(c == 0 ? "null" : c == 1 ? "[null, " + random.nextGaussian() + "]"
                    : "[" + random.nextGaussian() + ", " + (random.nextInt(1000) - 500) + "]");
            k.append(t == 0 ? "" : ", ").append(c == 0 ? "null" : Integer.toString(random.nextInt(4)));
        }
        Path plane = dir.resolve("plane.ndjson");
        Files.writeString(plane, "{\"observations\": " + o + "], \"id\": 7}\n{\"id\": \"two\", \"observations\": [[1, 2]]}\n");
        assertSame(plane, PLANE);
        Path digits = dir.resolve("digits.jsonl");
        Files.writeString(digits, "{\"states\": [0], \"observations\": [3]}\n{\"observations\": " + k + "], \"states\": "
                + k.toString().replace("null", "0") + "]}\n");
        assertSame(digits, DIGITS);
    }

    @Test
    void aDocumentIsReadSequenceBySequenceInChunks() throws IOException {
        // the file's own alphabet, in another order than the model's
        String[] a = weather(50_000, 4, List.of("rainy", "sunny", "foggy"));
        String[] b = weather(20, 5, List.of("rainy", "sunny", "foggy"));
        Path f = dir.resolve("weather.json");
        Files.writeString(f, "{\"observationType\": \"symbols\",\n \"symbols\": [\"rainy\", \"sunny\", \"foggy\"],\n"
                + " \"sequences\": [\n  {\"inputs\": " + a[1] + ",\n   \"observations\": " + a[0] + ", \"id\": \"x\"},\n"
                + "  {\"observations\": " + b[0] + ", \"inputs\": " + b[1] + "}],\n \"provenance\": {\"seed\": 1}}\n");
        assertSame(f, WEATHER);
        Path counts = dir.resolve("counts.json");
        Files.writeString(counts, "{\"support\": \"counts\", \"sequences\": [{\"observations\": [[1, 2], null, [0, null]]},"
                + " {\"id\": \"b\", \"observations\": [[4, 4]]}]}");
        assertSame(counts, PLANE);
    }

    // the streamed reader fails with the message of the in-memory reader
    private void assertSameError(String name, String content, ObservationSpace space, String... expected)
            throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        String inMemory = null;
        try {
            inMemory(f, space);
        } catch (DataException e) {
            inMemory = e.getMessage();
        }
        assertThat(inMemory).as("the in-memory reader fails").isNotNull();
        for (String x : expected) {
            assertThat(inMemory).contains(x);
        }
        String message = inMemory;
        for (int chunk : new int[] {7, 1000}) {
            assertThatThrownBy(() -> streamed(f, space, chunk)).isInstanceOf(DataException.class)
                    .hasMessage(message);
        }
    }

    @Test
    void errorsAreTheInMemoryReadersNamingLineFieldAndIndex() throws IOException {
        String[] a = weather(2000, 6, WEATHER.symbolNames());
        String good = "{\"observations\": " + a[0] + ", \"inputs\": " + a[1] + "}\n";
        String late = a[0].substring(0, a[0].length() - 1) + ", \"hail\"]";
        assertSameError("unknown.jsonl", good + "{\"inputs\": " + a[1].replace("]]", "],[0,0]]") + ", \"observations\": "
                + late + "}\n", WEATHER, "line 2, column", "observations[2000]", "unknown symbol \"hail\"");
        assertSameError("rows.jsonl", good + "{\"observations\": " + a[0] + ", \"inputs\": " + a[1].replace("]]", "],[0,0]]")
                + "}\n", WEATHER, "line 2", "inputs: 2001 rows, but there are 2000 observations");
        assertSameError("field.jsonl", "{\"observations\": " + a[0] + ", \"input\": " + a[1] + "}\n", WEATHER,
                "line 1", "input: unknown field");
        assertSameError("width.jsonl", "{\"observations\": " + a[0] + ", \"inputs\": " + a[1].replace("]]", ",1]]")
                + "}\n", WEATHER, "line 1", "inputs[1999]: has 3 components but earlier rows have 2");
        assertSameError("noinputs.jsonl", "{\"observations\": " + a[0] + "}\n", WEATHER,
                "line 1: the model takes 2 inputs per step but the data has 0");
        assertSameError("index.jsonl", "{\"observations\": [0, 1, 2, null, 9], \"inputs\": [[0,0],[0,0],[0,0],[0,0],[0,0]]}",
                WEATHER, "line 1", "step 4: 9 is not a symbol index in 0..2");
        assertSameError("bare.jsonl", "{\"observations\": [0, 1, 2, null, 4]}", DIGITS,
                "line 1", "step 4: 4 is not a symbol of the model");
        assertSameError("nan.jsonl", "{\"id\": \"n\", \"observations\": [[1, 2], [NaN, 1]]}", PLANE, "line 1, column");
        assertSameError("dim.jsonl", "{\"observations\": [1, 2]}", PLANE, "2-dimensional observations but the data has 1");
        assertSameError("doc.json", "{\"symbols\": [\"sunny\", \"hail\", \"rainy\", \"foggy\"], \"sequences\": [\n"
                + "{\"observations\": [\"sunny\", \"sunny\", \"hail\"], \"inputs\": [[0,0],[0,0],[0,0]]}]}", WEATHER,
                "sequence 's1', step 2: unknown symbol \"hail\"");
        assertSameError("counts.json", "{\"support\": \"counts\", \"sequences\": [{\"observations\": [[1, 2], [2, 1.5]]}]}",
                PLANE, "support \"counts\": sequence 's1', step 1, component 1: 1.5 is not a non-negative integer");
        assertSameError("docfield.json", "{\"sequences\": [{\"observations\": [[1, 2]]},\n {\"observations\": [[1, 2]],"
                + " \"id\": \"x\", \"state\": []}]}", PLANE, "line 2, column", "sequences[1].state: unknown field");
    }

    @Test
    void theFirstLineTellsTheFormWithoutBeingHeld() throws IOException {
        Path f = dir.resolve("first.jsonl");
        Files.write(f, "{\"observations\": [1, 2, 3], \"id\": \"z\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(StreamedSequences.firstLineIsSequence(f)).isTrue();
        Files.writeString(f, "\n{\"sequence\": \"z\", \"observation\": [1, 2]}\n");
        assertThat(StreamedSequences.firstLineIsSequence(f)).isFalse();
    }
}
