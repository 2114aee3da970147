package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.Sampling;
import org.statespace.StateSpaceModel;
import org.statespace.capability.Differentiable;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.DatasetCsv;
import org.statespace.data.Datasets;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceIndex;
import org.statespace.data.SequenceReader;
import org.statespace.data.SequenceSource;
import org.statespace.kalman.StructuralModel;
import org.statespace.numeric.Randoms;
import org.statespace.rnn.Head;
import org.statespace.rnn.RnnModel;
import org.statespace.spec.Json;

/**
 * A {@code validationFraction} split in time of a file read by offsets ({@link SequenceSources#inTime} over a
 * {@link SequenceIndex}) against the same split in memory ({@link Dataset#splitInTime}), the independent reference:
 * the views read only their own steps, in chunks, and give the in-memory parts' steps exactly (the held-out part
 * a sequence of its own from the cut, as {@link Sequence#slice} makes it), the same checkpoint fingerprint bytes,
 * and a fit over the file with a held-out part longer than the reader's chunks is the in-memory fit bit for bit.
 */
class TimeSplitOverFileTest {
    // a cut at half of it leaves both parts longer than a chunk, so both are scored in chunks
    private static final int LONG = 2 * SequenceReader.DEFAULT_CHUNK_STEPS + 701;

    @TempDir
    Path dir;

    // sequences of the given lengths from a model, every 13th step of each missing
    private static Dataset sample(StateSpaceModel<?, ?> truth, int... lengths) {
        List<Sequence> out = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            double[] y = Sampling.sample(truth, "s" + i, lengths[i], null, Randoms.stream(21, i)).observations();
            for (int t = 3 + i; t < y.length; t += 13) {
                y[t] = Double.NaN;
            }
            out.add(Sequence.of("s" + i, 1, y));
        }
        return Dataset.of(out);
    }

    private static double[] losses(FitResult r) {
        return r.curve().points().stream().mapToDouble(LearningCurve.Point::trainingLoss).toArray();
    }

    private static double[] validation(FitResult r) {
        return r.curve().points().stream().mapToDouble(LearningCurve.Point::validationLoss).toArray();
    }

    @Test
    void theViewsReadTheInMemorySplitsStepsInChunks() throws IOException {
        StructuralModel model = StructuralModel.localLevel(1.0, 0.1);
        Dataset data = sample(model, LONG, 40, 1);
        Path csv = dir.resolve("d.csv");
        DatasetCsv.write(data, csv);
        Path jsonl = GradientOverFileTest.jsonLines(data, dir.resolve("d.jsonl"));
        Dataset memory = model.observationSpace().align(Datasets.read(csv), "memory");
        // a CSV file without and with piece offsets (steps read past from one), JSON Lines of a sequence a line
        record Case(Path file, int pieces, double fraction) {
        }
        for (Case c : List.of(new Case(csv, 0, 0.5), new Case(csv, 97, 0.5), new Case(csv, 97, 0.8),
                new Case(jsonl, 0, 0.5))) {
            Dataset.Split split = memory.splitInTime(c.fraction());
            try (SequenceIndex index = SequenceIndex.build(c.file(), model.observationSpace(),
                    DatasetCsv.Columns.byConvention(), c.pieces())) {
                SequenceSource[] views = SequenceSources.inTime(index, c.fraction());
                String where = c.toString();
                boolean byRows = c.file() == csv; // JSON Lines of a sequence a line: a sequence is one chunk
                assertSameSteps(views[0], split.training(), byRows, where + ", training");
                assertSameSteps(views[1], split.heldOut(), byRows, where + ", held out");
                assertThat(digest(views[0])).as(where).isEqualTo(digest(SequenceSource.of(split.training())));
                assertThat(digest(views[1])).as(where).isEqualTo(digest(SequenceSource.of(split.heldOut())));
            }
        }
    }

    // each sequence of a view: its lengths, its steps whole, through its reader chunk by chunk, and some of its steps
    private static void assertSameSteps(SequenceSource view, Dataset part, boolean byRows, String where) {
        assertThat(view.size()).as(where).isEqualTo(part.size());
        for (int i = 0; i < part.size(); i++) {
            Sequence expected = part.sequence(i);
            int length = expected.length();
            assertThat(view.length(i)).as(where).isEqualTo(length);
            assertThat(view.observedSteps(i)).as(where).isEqualTo(expected.observedSteps());
            assertThat(view.sequence(i)).as(where).isEqualTo(expected);
            try (SequenceReader reader = view.reader(i)) {
                assertThat(reader.nextSequence()).as(where).isTrue();
                assertThat(reader.id()).as(where).isEqualTo(expected.id());
                int seen = 0;
                int chunks = 0;
                for (Sequence chunk = reader.nextChunk(); chunk != null; chunk = reader.nextChunk()) {
                    // the steps are numbered from the part's first; a chunk looks back only within the part
                    assertThat(chunk.firstStep()).as(where).isEqualTo(Math.max(0, seen - SequenceReader.HISTORY));
                    if (byRows) {
                        assertThat(chunk.length() - seen).as(where).isLessThanOrEqualTo(SequenceReader.DEFAULT_CHUNK_STEPS);
                    }
                    int differs = -1;
                    for (int t = chunk.firstStep(); t < chunk.length() && differs < 0; t++) {
                        if (Double.doubleToRawLongBits(chunk.value(t, 0))
                                != Double.doubleToRawLongBits(expected.value(t, 0))) {
                            differs = t;
                        }
                    }
                    assertThat(differs).as(where + ": the first step that differs").isEqualTo(-1);
                    seen = chunk.length();
                    chunks++;
                }
                assertThat(seen).as(where).isEqualTo(length);
                assertThat(chunks).as(where).isEqualTo(byRows ? Math.max(1, (length + SequenceReader.DEFAULT_CHUNK_STEPS
                        - 1) / SequenceReader.DEFAULT_CHUNK_STEPS) : 1);
                assertThat(reader.nextSequence()).as(where).isFalse();
            }
            for (int[] range : new int[][] {{0, length}, {length / 3, length - 1}, {1, Math.min(length, 130)}}) {
                if (range[0] > range[1]) {
                    continue;
                }
                try (SequenceReader reader = view.reader(i, range[0], range[1])) {
                    Sequence steps = reader.nextSequence() ? reader.nextWhole() : null;
                    Sequence slice = expected.slice(expected.id(), range[0], range[1]);
                    assertThat(steps == null ? 0 : steps.length()).as(where).isEqualTo(slice.length());
                    if (steps != null) {
                        assertThat(steps).as(where + ", steps " + range[0] + ".." + range[1]).isEqualTo(slice);
                    }
                }
            }
        }
    }

    // the data bytes of a checkpoint's fingerprint
    private static byte[] digest(SequenceSource data) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            FingerprintData.update(digest, data);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aGradientFitHoldingOutInTimeIsTheInMemoryFitBitForBit() {
        Dataset data = sample(GradientOverFileTest.network(Head.Type.GAUSSIAN, 11), LONG);
        RnnModel start = GradientOverFileTest.network(Head.Type.GAUSSIAN, 6);
        TrainOptions o = TrainOptions.defaults().withMethod(TrainOptions.Method.GRADIENT).withMaxIterations(2)
                .withChunkLength(97).withBatchSize(16).withLearningRate(0.02).withSeed(9).withThreads(2)
                .withValidationFraction(0.5).withPatience(10);
        Path csv = dir.resolve("rnn.csv");
        DatasetCsv.write(data, csv);
        Dataset memory = start.observationSpace().align(Datasets.read(csv), "memory");
        FitResult inMemory = Trainer.fit(start, memory, null, o, FitSettings.NONE, TrainingListener.NONE);
        try (SequenceIndex index = SequenceIndex.build(csv, start.observationSpace(), DatasetCsv.Columns.byConvention(),
                97)) {
            FitResult file = Trainer.fit(start, index, null, o, FitSettings.NONE, TrainingListener.NONE);
            assertThat(Json.write(file.model().toSpec())).isEqualTo(Json.write(inMemory.model().toSpec()));
            assertThat(((Differentiable) file.model()).parameters())
                    .containsExactly(((Differentiable) inMemory.model()).parameters());
            assertThat(file.logLikelihoodTrace()).containsExactly(inMemory.logLikelihoodTrace());
            assertThat(losses(file)).containsExactly(losses(inMemory));
            assertThat(validation(file)).containsExactly(validation(inMemory));
            assertThat(file.logLikelihood()).isEqualTo(inMemory.logLikelihood());
            assertThat(file.observations()).isEqualTo(inMemory.observations());
            assertThat(losses(inMemory)[2]).isLessThan(losses(inMemory)[0]); // the fit moved
            assertThat(validation(inMemory)[2]).isNotEqualTo(validation(inMemory)[0]);
        }
    }

    @Test
    void anOptimiserFitHoldingOutInTimeIsTheInMemoryFitBitForBit() {
        StructuralModel start = StructuralModel.localLevel(3.0, 1.0);
        Dataset data = sample(StructuralModel.localLevel(1.0, 0.1), LONG, 40);
        TrainOptions o = TrainOptions.defaults().withMaxIterations(6).withThreads(2).withValidationFraction(0.5)
                .withPatience(10);
        Path csv = dir.resolve("level.csv");
        DatasetCsv.write(data, csv);
        Dataset memory = start.observationSpace().align(Datasets.read(csv), "memory");
        FitResult inMemory = Trainer.fit(start, memory, null, o, FitSettings.NONE, TrainingListener.NONE);
        try (SequenceIndex index = SequenceIndex.build(csv, start.observationSpace(), DatasetCsv.Columns.byConvention())) {
            FitResult file = Trainer.fit(start, index, null, o, FitSettings.NONE, TrainingListener.NONE);
            assertThat(file.method()).isEqualTo(TrainOptions.Method.OPTIMIZER);
            assertThat(Json.write(file.model().toSpec())).isEqualTo(Json.write(inMemory.model().toSpec()));
            assertThat(file.logLikelihoodTrace()).containsExactly(inMemory.logLikelihoodTrace());
            assertThat(losses(file)).containsExactly(losses(inMemory));
            assertThat(validation(file)).containsExactly(validation(inMemory));
            assertThat(file.iterations()).isEqualTo(inMemory.iterations()).isGreaterThan(3);
            assertThat(file.logLikelihood()).isEqualTo(inMemory.logLikelihood());
            assertThat(file.observations()).isEqualTo(inMemory.observations());
            assertThat(validation(inMemory)[0]).isFinite();
        }
    }
}
