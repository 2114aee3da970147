package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.ObservationSpace;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.DatasetCsv;
import org.statespace.data.ObservationKind;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceIndex;
import org.statespace.data.SequenceReader;
import org.statespace.data.SequenceSource;
import org.statespace.rnn.Head;

/**
 * The data part of a checkpoint's fingerprint read from a file index in chunks ({@link FingerprintData}) against
 * two independent references: the digest of the same data in memory, written out here byte by byte as the
 * whole-sequence code wrote it (id, then every observation, then every input, as big-endian doubles), and the
 * SHA-256 values the whole-sequence code of commit 526024e gave for these data (pinned, so checkpoints written
 * before still resume). Chunk boundaries are crossed by the index's own chunks (16384 steps) and by a reader of
 * 1, 2 and 7 steps a chunk.
 */
class CheckpointFingerprintTest {
    // SHA-256 of the data part, from Checkpoint.update of commit 526024e (whole sequences) over these data in memory
    private static final String REALS_BEFORE = "461f7997726e3e0a013b11d29f7bbb3795d572ad890c1dc0ed16bd0ecbbf74a4";
    private static final String SYMBOLS_BEFORE = "098f8cea6975397364a124553be3f4646b072dfa79b51327a5326ecd4029f79f";

    @TempDir
    Path dir;

    private static final ObservationSpace REALS = ObservationSpace.reals(2).withInputs(2);
    private static final ObservationSpace SYMBOLS = ObservationSpace.symbols(3, List.of("low", "mid", "high"));

    /**
     * Two-dimensional observations with two inputs, sequences of {@code lengths} steps: a step in nine missing, a
     * component in thirteen missing alone, values exact in binary and not (tenths).
     */
    static Dataset reals(int... lengths) {
        List<Sequence> out = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            int n = lengths[i];
            double[] y = new double[2 * n];
            double[] u = new double[2 * n];
            for (int t = 0; t < n; t++) {
                for (int j = 0; j < 2; j++) {
                    y[2 * t + j] = ((t * 37 + j * 11 + i * 5) % 101) / 8.0 - 6.0;
                    u[2 * t + j] = j == 0 ? ((t * 17 + i) % 53) * 0.1 - 2.0 : -(t % 7) / 4.0;
                }
                if ((t + i) % 9 == 4) {
                    y[2 * t] = Double.NaN;
                    y[2 * t + 1] = Double.NaN;
                } else if ((t + i) % 13 == 6) {
                    y[2 * t + 1] = Double.NaN;
                }
            }
            out.add(Sequence.of("s" + (i + 1), 2, y).withInputs(2, u)); // s1: the id a CSV of one sequence reads as
        }
        return Dataset.of(out);
    }

    /** Named symbols, a step in five missing. */
    static Dataset symbols(int... lengths) {
        List<Sequence> out = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            int[] s = new int[lengths[i]];
            for (int t = 0; t < s.length; t++) {
                s[t] = (t + i) % 5 == 2 ? -1 : (t * 7 + i) % 3;
            }
            out.add(Sequence.ofSymbols("q" + i, s));
        }
        return Dataset.ofSymbols(out, List.of("low", "mid", "high"));
    }

    /** The whole-sequence digest, written out independently of the code under test. */
    private static String reference(Dataset data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (Sequence s : data.sequences()) {
            out.write(s.id().getBytes(StandardCharsets.UTF_8));
            for (double v : s.observations()) {
                out.writeLong(Double.doubleToRawLongBits(v));
            }
            for (double v : s.inputs()) {
                out.writeLong(Double.doubleToRawLongBits(v));
            }
        }
        return HexFormat.of().formatHex(sha256().digest(bytes.toByteArray()));
    }

    private static String digest(SequenceSource data) {
        MessageDigest d = sha256();
        FingerprintData.update(d, data);
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sequences of an index whose reader gives chunks of {@code chunkSteps} steps (the index's own: 16384). */
    private static SequenceSource inChunksOf(SequenceIndex index, Path file, ObservationSpace space, int chunkSteps) {
        SequenceSource range = SequenceSources.range(index, 0, index.size());
        return new SequenceSource() {
            @Override
            public int size() {
                return range.size();
            }

            @Override
            public Sequence sequence(int i) {
                throw new AssertionError("sequence " + i + " read whole");
            }

            @Override
            public int length(int i) {
                return range.length(i);
            }

            @Override
            public int observedSteps(int i) {
                return range.observedSteps(i);
            }

            @Override
            public SequenceReader reader(int i) {
                SequenceReader r = SequenceReader.open(file, space, DatasetCsv.Columns.byConvention(), chunkSteps);
                for (int k = 0; k < i; k++) {
                    r.nextSequence();
                }
                return r;
            }

            @Override
            public String name() {
                return range.name();
            }
        };
    }

    @Test
    void theDigestOfDataInMemoryIsTheOneCheckpointsWereWrittenWith() throws IOException {
        Dataset reals = REALS.align(reals(1, 23, 40_003), "data");
        Dataset symbols = SYMBOLS.align(symbols(5, 17), "data");
        assertThat(digest(SequenceSource.of(reals))).isEqualTo(reference(reals)).isEqualTo(REALS_BEFORE);
        assertThat(digest(SequenceSource.of(symbols))).isEqualTo(reference(symbols)).isEqualTo(SYMBOLS_BEFORE);
    }

    @Test
    void aCsvIndexReadInChunksGivesTheDigestOfTheDataInMemory() throws IOException {
        // 32769 steps: two whole chunks of 16384 and one step; 16384: a chunk exactly
        Dataset data = REALS.align(reals(1, 32_769, 16_384, 2), "data");
        Path csv = dir.resolve("reals.csv");
        DatasetCsv.write(data, csv);
        try (SequenceIndex index = SequenceIndex.build(csv, REALS, DatasetCsv.Columns.byConvention())) {
            assertThat(digest(index)).isEqualTo(reference(data));
        }
    }

    @Test
    void readersOfOneTwoAndSevenStepsAChunkGiveTheSameDigest() throws IOException {
        Dataset reals = REALS.align(reals(1, 6, 7, 8, 14, 15, 2_100), "data");
        Dataset symbols = SYMBOLS.align(symbols(1, 7, 13, 29), "data");
        Path realsCsv = dir.resolve("reals.csv");
        Path symbolsCsv = dir.resolve("symbols.csv");
        DatasetCsv.write(reals, realsCsv);
        DatasetCsv.write(symbols, symbolsCsv);
        try (SequenceIndex r = SequenceIndex.build(realsCsv, REALS, DatasetCsv.Columns.byConvention());
                SequenceIndex s = SequenceIndex.build(symbolsCsv, SYMBOLS, DatasetCsv.Columns.byConvention())) {
            for (int chunk : new int[] {1, 2, 7}) {
                assertThat(digest(inChunksOf(r, realsCsv, REALS, chunk))).as("reals, %d a chunk", chunk)
                        .isEqualTo(reference(reals));
                assertThat(digest(inChunksOf(s, symbolsCsv, SYMBOLS, chunk))).as("symbols, %d a chunk", chunk)
                        .isEqualTo(reference(symbols));
            }
        }
    }

    @Test
    void jsonLinesOfSequencesAndOfStepsGiveTheDigestOfTheDataInMemory() throws IOException {
        Dataset data = REALS.align(reals(3, 16_500, 1), "data");
        Path sequences = dir.resolve("sequences.jsonl");
        Path steps = dir.resolve("steps.jsonl");
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (Sequence s : data.sequences()) {
            StringBuilder observations = new StringBuilder();
            StringBuilder inputs = new StringBuilder();
            for (int t = 0; t < s.length(); t++) {
                String y = "[" + cell(s.value(t, 0)) + ", " + cell(s.value(t, 1)) + "]";
                String u = "[" + s.input(t, 0) + ", " + s.input(t, 1) + "]";
                observations.append(t == 0 ? "" : ", ").append(y);
                inputs.append(t == 0 ? "" : ", ").append(u);
                b.append("{\"sequence\": \"").append(s.id()).append("\", \"t\": ").append(t)
                        .append(", \"observation\": ").append(s.isMissing(t) ? "null" : y)
                        .append(", \"input\": ").append(u).append("}\n");
            }
            a.append("{\"id\": \"").append(s.id()).append("\", \"observations\": [").append(observations)
                    .append("], \"inputs\": [").append(inputs).append("]}\n");
        }
        Files.writeString(sequences, a, StandardCharsets.UTF_8);
        Files.writeString(steps, b, StandardCharsets.UTF_8);
        try (SequenceIndex bySequence = SequenceIndex.build(sequences, REALS, DatasetCsv.Columns.byConvention());
                SequenceIndex bySteps = SequenceIndex.build(steps, REALS, DatasetCsv.Columns.byConvention())) {
            assertThat(digest(bySequence)).isEqualTo(reference(data));
            assertThat(digest(bySteps)).isEqualTo(reference(data));
        }
    }

    private static String cell(double v) {
        return Double.isNaN(v) ? "null" : Double.toString(v);
    }

    @Test
    void theFingerprintOfAStreamedFitIsThatOfTheFitInMemory() throws IOException {
        Dataset training = REALS.align(reals(16_500, 4, 9), "data");
        Dataset validation = REALS.align(reals(30), "data");
        Path a = dir.resolve("training.csv");
        Path b = dir.resolve("validation.csv");
        DatasetCsv.write(training, a);
        DatasetCsv.write(validation, b);
        var model = GradientOverFileTest.network(Head.Type.GAUSSIAN, 3);
        TrainOptions options = TrainOptions.defaults().withMethod(TrainOptions.Method.GRADIENT).withSeed(4);
        String inMemory = Checkpoint.fingerprint(model, training, validation, options, FitSettings.NONE);
        try (SequenceIndex t = SequenceIndex.build(a, REALS, DatasetCsv.Columns.byConvention());
                SequenceIndex v = SequenceIndex.build(b, REALS, DatasetCsv.Columns.byConvention())) {
            assertThat(Checkpoint.fingerprint(model, t, v, options, FitSettings.NONE)).isEqualTo(inMemory);
            // a view of the training sequences (the split by sequence) reads them in chunks too
            assertThat(Checkpoint.fingerprint(model, SequenceSources.range(t, 0, 3), null, options, FitSettings.NONE))
                    .isEqualTo(Checkpoint.fingerprint(model, training, null, options, FitSettings.NONE))
                    .isNotEqualTo(inMemory);
        }
    }

    @Test
    void oneChangedInputInALaterChunkChangesTheDigest() throws IOException {
        Dataset data = REALS.align(reals(16_500), "data");
        Sequence s = data.sequence(0);
        double[] u = s.inputs();
        u[u.length - 1] += 1;
        Dataset changed = Dataset.of(ObservationKind.REAL, List.of(Sequence.of(s.id(), 2, s.observations())
                .withInputs(2, u)), List.of());
        Path csv = dir.resolve("changed.csv");
        DatasetCsv.write(changed, csv);
        try (SequenceIndex index = SequenceIndex.build(csv, REALS, DatasetCsv.Columns.byConvention())) {
            assertThat(digest(index)).isEqualTo(reference(changed)).isNotEqualTo(reference(data));
        }
    }
}
