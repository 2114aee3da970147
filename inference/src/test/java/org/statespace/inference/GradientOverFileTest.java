package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.DataException;
import org.statespace.Sampling;
import org.statespace.StateSpaceModel;
import org.statespace.capability.Differentiable;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.DatasetCsv;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceIndex;
import org.statespace.numeric.Randoms;
import org.statespace.rnn.Cell;
import org.statespace.rnn.Head;
import org.statespace.rnn.Layer;
import org.statespace.rnn.RnnArchitecture;
import org.statespace.rnn.RnnModel;

/**
 * Gradient training over a file read by offsets ({@link SequenceIndex}) against the same training in memory: the
 * independent reference is the in-memory trainer on the dataset the file was written from. With a Gaussian head the
 * arithmetic is the same, so every number is equal bit for bit; a linear head's variance is re-estimated from summed
 * per-sequence statistics over a file (in memory: one running sum), so its numbers agree to rounding.
 */
class GradientOverFileTest {
    @TempDir
    Path dir;

    /** 23 sequences of 2 to 30 steps from a GRU, about one step in nine missing. */
    static Dataset data() {
        RnnModel truth = network(Head.Type.GAUSSIAN, 11);
        RandomGenerator lengths = Randoms.seeded(3);
        List<Sequence> out = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            Sequence s = Sampling.sample(truth, "s" + i, 2 + lengths.nextInt(29), null, Randoms.stream(5, i));
            double[] y = s.observations();
            for (int t = i % 9; t < y.length; t += 9) {
                y[t] = Double.NaN;
            }
            out.add(Sequence.of(s.id(), 1, y));
        }
        return Dataset.of(out);
    }

    static RnnModel network(Head.Type head, long seed) {
        return RnnModel.initialized(RnnArchitecture.stack(1, List.of(Layer.of(Cell.GRU, 3)), Head.of(head, 1)), seed);
    }

    /** The dataset as JSON Lines, a sequence per line (doubles written to round-trip exactly). */
    static Path jsonLines(Dataset data, Path file) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Sequence s : data.sequences()) {
            b.append("{\"id\": \"").append(s.id()).append("\", \"observations\": [");
            for (int t = 0; t < s.length(); t++) {
                double v = s.scalar(t);
                b.append(t == 0 ? "" : ", ").append(Double.isNaN(v) ? "null" : Double.toString(v));
            }
            b.append("]}\r\n\n"); // a CRLF line ending and a blank line: offsets must count both
        }
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
        return file;
    }

    private static TrainOptions options() {
        return TrainOptions.defaults().withMethod(TrainOptions.Method.GRADIENT).withMaxIterations(4).withBatchSize(4)
                .withLearningRate(0.02).withSeed(9).withThreads(2);
    }

    private static double[] losses(FitResult r) {
        return r.curve().points().stream().mapToDouble(p -> p.trainingLoss()).toArray();
    }

    private static double[] validation(FitResult r) {
        return r.curve().points().stream().mapToDouble(p -> p.validationLoss()).toArray();
    }

    @Test
    void theIndexReadsTheSequencesTheFileWasWrittenFrom() throws IOException {
        Dataset data = data();
        try (SequenceIndex jsonl = SequenceIndex.build(jsonLines(data, dir.resolve("d.jsonl")),
                network(Head.Type.GAUSSIAN, 1).observationSpace(), DatasetCsv.Columns.byConvention())) {
            Path csv = dir.resolve("d.csv");
            DatasetCsv.write(data, csv);
            try (SequenceIndex byRows = SequenceIndex.build(csv, network(Head.Type.GAUSSIAN, 1).observationSpace(),
                    DatasetCsv.Columns.byConvention())) {
                for (SequenceIndex index : List.of(jsonl, byRows)) {
                    assertThat(index.size()).isEqualTo(data.size());
                    for (int i = data.size() - 1; i >= 0; i--) { // backwards: reads by offset, not in file order
                        assertThat(index.sequence(i)).isEqualTo(data.sequence(i));
                        assertThat(index.length(i)).isEqualTo(data.sequence(i).length());
                        assertThat(index.observedSteps(i)).isEqualTo(data.sequence(i).observedSteps());
                    }
                }
                assertThat(jsonl.line(3)).isEqualTo(7); // every sequence line followed by a blank one
            }
        }
    }

    @Test
    void stepLinesAreIndexedAndADatasetDocumentIsRefused() throws IOException {
        Dataset data = data();
        StringBuilder b = new StringBuilder();
        for (Sequence s : data.sequences()) {
            for (int t = 0; t < s.length(); t++) {
                double v = s.scalar(t);
                b.append("{\"sequence\": \"").append(s.id()).append("\", \"t\": ").append(t)
                        .append(", \"observation\": ").append(Double.isNaN(v) ? "null" : Double.toString(v)).append("}\n");
            }
        }
        Path steps = Files.writeString(dir.resolve("steps.jsonl"), b.toString());
        org.statespace.ObservationSpace space = network(Head.Type.GAUSSIAN, 1).observationSpace();
        try (SequenceIndex index = SequenceIndex.build(steps, space, DatasetCsv.Columns.byConvention())) {
            assertThat(index.size()).isEqualTo(data.size());
            for (int i = data.size() - 1; i >= 0; i--) {
                assertThat(index.sequence(i)).isEqualTo(data.sequence(i));
            }
        }
        Path document = Files.writeString(dir.resolve("d.json"),
                "{\"sequences\": [{\"id\": \"a\", \"observations\": [1, 2]}]}");
        assertThatThrownBy(() -> SequenceIndex.build(document, space, DatasetCsv.Columns.byConvention()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("d.json")
                .hasMessageContaining("JSON Lines");
    }

    @Test
    void aGaussianHeadTrainedOverAFileEqualsTheInMemoryFitBitForBit() throws IOException {
        Dataset data = data();
        RnnModel start = network(Head.Type.GAUSSIAN, 4);
        TrainOptions o = options().withValidationFraction(0.2).withPatience(10);
        FitResult memory = Trainer.fit(start, data, null, o, FitSettings.NONE, TrainingListener.NONE);
        try (SequenceIndex index = SequenceIndex.build(jsonLines(data, dir.resolve("d.jsonl")),
                start.observationSpace(), DatasetCsv.Columns.byConvention())) {
            FitResult file = Trainer.fit(start, index, null, o, FitSettings.NONE, TrainingListener.NONE);
            assertThat(losses(file)).containsExactly(losses(memory));
            assertThat(validation(file)).containsExactly(validation(memory));
            assertThat(((Differentiable) file.model()).parameters())
                    .containsExactly(((Differentiable) memory.model()).parameters());
            assertThat(file.logLikelihood()).isEqualTo(memory.logLikelihood());
            assertThat(file.observations()).isEqualTo(memory.observations());
            // the fit moved: equal numbers are not two copies of the start
            assertThat(losses(memory)[4]).isLessThan(losses(memory)[0]);
        }
    }

    @Test
    void piecesOfCsvSequencesAreTheInMemoryPiecesInTheSameOrder() {
        Dataset data = data();
        RnnModel start = network(Head.Type.GAUSSIAN, 6);
        TrainOptions o = options().withChunkLength(7).withBatchSize(3);
        FitResult memory = Trainer.fit(start, data, null, o, FitSettings.NONE, TrainingListener.NONE);
        Path csv = dir.resolve("d.csv");
        DatasetCsv.write(data, csv);
        try (SequenceIndex index = SequenceIndex.build(csv, start.observationSpace(), DatasetCsv.Columns.byConvention())) {
            FitResult file = Trainer.fit(start, index, null, o, FitSettings.NONE, TrainingListener.NONE);
            assertThat(losses(file)).containsExactly(losses(memory));
            assertThat(((Differentiable) file.model()).parameters())
                    .containsExactly(((Differentiable) memory.model()).parameters());
        }
    }

    /**
     * One long series (longer than the chunks a sequence is scored in, pieces crossing the 1024-step chunks the
     * index reads in) and two short ones, about one step in seven missing.
     */
    static Dataset longSeries() {
        RnnModel truth = network(Head.Type.GAUSSIAN, 11);
        List<Sequence> out = new ArrayList<>();
        int[] lengths = {3, 40_003, 250};
        for (int i = 0; i < lengths.length; i++) {
            Sequence s = Sampling.sample(truth, "s" + i, lengths[i], null, Randoms.stream(15, i));
            double[] y = s.observations();
            for (int t = i % 7; t < y.length; t += 7) {
                y[t] = Double.NaN;
            }
            out.add(Sequence.of(s.id(), 1, y));
        }
        return Dataset.of(out);
    }

    @Test
    void anIndexOfPiecesReadsEachPieceAloneAsTheSliceOfItsSequence() {
        Dataset data = longSeries();
        Path csv = dir.resolve("long.csv");
        DatasetCsv.write(data, csv);
        org.statespace.ObservationSpace space = network(Head.Type.GAUSSIAN, 1).observationSpace();
        try (SequenceIndex index = SequenceIndex.build(csv, space, DatasetCsv.Columns.byConvention(), 97)) {
            for (int i = data.size() - 1; i >= 0; i--) {
                Sequence s = data.sequence(i);
                assertThat(index.readsPieces(i)).isTrue();
                for (int from = (s.length() - 1) / 97 * 97; from >= 0; from -= 97) { // backwards: by offset
                    int to = Math.min(s.length(), from + 97);
                    assertThat(index.piece(i, from, to)).isEqualTo(s.slice(s.id() + "@" + from, from, to));
                }
            }
            // a piece that is not one the index cut is still the slice (the sequence read whole)
            Sequence s = data.sequence(1);
            assertThat(index.piece(1, 5000, 5100)).isEqualTo(s.slice("s1@5000", 5000, 5100));
        }
        try (SequenceIndex whole = SequenceIndex.build(csv, space, DatasetCsv.Columns.byConvention())) {
            assertThat(whole.readsPieces(1)).isFalse();
        }
    }

    @Test
    void aOneColumnCsvsBlankLinesArePiecesOnlyWhereALineStartsTheStep() throws IOException {
        org.statespace.ObservationSpace space = network(Head.Type.GAUSSIAN, 1).observationSpace();
        StringBuilder single = new StringBuilder("y\n");
        StringBuilder runs = new StringBuilder("y\n");
        for (int t = 0; t < 300; t++) {
            single.append(t % 5 == 2 ? "" : Double.toString(t * 0.25)).append('\n');
            runs.append(t % 11 == 3 || t % 11 == 4 ? "" : Double.toString(t * 0.25)).append('\n');
        }
        Path a = Files.writeString(dir.resolve("single.csv"), single.toString());
        Path b = Files.writeString(dir.resolve("runs.csv"), runs.toString());
        try (SequenceIndex blanks = SequenceIndex.build(a, space, DatasetCsv.Columns.byConvention(), 7);
                SequenceIndex blankRuns = SequenceIndex.build(b, space, DatasetCsv.Columns.byConvention(), 7)) {
            // single blank lines start their steps (step 7 is one); in runs the second blank has no line of its own
            assertThat(blanks.readsPieces(0)).isTrue();
            assertThat(blankRuns.readsPieces(0)).isFalse();
            assertThat(blanks.sequence(0).isMissing(7)).isTrue();
            assertThat(blankRuns.sequence(0).isMissing(15)).isTrue();
            for (SequenceIndex index : List.of(blanks, blankRuns)) {
                Sequence s = index.sequence(0);
                assertThat(s.length()).isEqualTo(300);
                for (int from = 294; from >= 0; from -= 7) {
                    int to = Math.min(300, from + 7);
                    assertThat(index.piece(0, from, to)).isEqualTo(s.slice(s.id() + "@" + from, from, to));
                }
            }
        }
    }

    @Test
    void aLongSeriesTrainedInPiecesOverAFileEqualsTheInMemoryFitBitForBit() {
        Dataset data = longSeries();
        RnnModel start = network(Head.Type.GAUSSIAN, 6);
        // two sequences of three: held out in time, so the training pieces are those of each series' leading part
        TrainOptions o = options().withChunkLength(97).withBatchSize(16).withMaxIterations(2)
                .withValidationFraction(0.2).withPatience(10);
        FitResult memory = Trainer.fit(start, data, null, o, FitSettings.NONE, TrainingListener.NONE);
        Path csv = dir.resolve("long.csv");
        DatasetCsv.write(data, csv);
        try (SequenceIndex index = SequenceIndex.build(csv, start.observationSpace(), DatasetCsv.Columns.byConvention(),
                97)) {
            FitResult file = Trainer.fit(start, index, null, o, FitSettings.NONE, TrainingListener.NONE);
            assertThat(losses(file)).containsExactly(losses(memory));
            assertThat(validation(file)).containsExactly(validation(memory));
            assertThat(((Differentiable) file.model()).parameters())
                    .containsExactly(((Differentiable) memory.model()).parameters());
            assertThat(file.logLikelihood()).isEqualTo(memory.logLikelihood());
            assertThat(losses(memory)[2]).isLessThan(losses(memory)[0]); // the fit moved
        }
    }

    @Test
    void aLongSeriesScoredInChunksOverAFileEqualsTheInMemoryScore() {
        Dataset data = longSeries();
        RnnModel model = network(Head.Type.GAUSSIAN, 6);
        Path csv = dir.resolve("long.csv");
        DatasetCsv.write(data, csv);
        FilterEngine engine = FilterEngine.of(new FilterOptions(1, false));
        try (SequenceIndex index = SequenceIndex.build(csv, model.observationSpace(), DatasetCsv.Columns.byConvention())) {
            assertThat(index.length(1)).isGreaterThan(org.statespace.data.SequenceReader.DEFAULT_CHUNK_STEPS);
            StreamSummary chunked = engine.stream(model, index, null);
            StreamSummary whole = engine.stream(model, data, null);
            assertThat(chunked.sequenceLogLikelihoods()).containsExactly(whole.sequenceLogLikelihoods());
            assertThat(chunked.logLikelihood()).isEqualTo(whole.logLikelihood());
            assertThat(chunked.observedSteps()).isEqualTo(whole.observedSteps());
        }
    }

    @Test
    void aLinearHeadsVarianceFromSummedStatisticsAgreesToRounding() throws IOException {
        Dataset data = data();
        RnnModel start = network(Head.Type.LINEAR, 8);
        TrainOptions o = options();
        FitResult memory = Trainer.fit(start, data, null, o, FitSettings.NONE, TrainingListener.NONE);
        try (SequenceIndex index = SequenceIndex.build(jsonLines(data, dir.resolve("d.jsonl")),
                start.observationSpace(), DatasetCsv.Columns.byConvention())) {
            FitResult file = Trainer.fit(start, index, null, o, FitSettings.NONE, TrainingListener.NONE);
            double[] a = losses(memory);
            double[] b = losses(file);
            for (int i = 0; i < a.length; i++) {
                assertThat(b[i]).isCloseTo(a[i], within(1e-12 * Math.abs(a[i])));
            }
            assertThat(((RnnModel) file.model()).headVariance()[0])
                    .isCloseTo(((RnnModel) memory.model()).headVariance()[0], within(1e-12));
            assertThat(((RnnModel) memory.model()).headVariance()[0]).isNotEqualTo(start.headVariance()[0]);
        }
    }

    @Test
    void aCheckpointWrittenOverAFileResumesInMemory() throws IOException {
        Dataset data = data();
        RnnModel start = network(Head.Type.GAUSSIAN, 4);
        Path checkpoint = dir.resolve("ck.json");
        TrainOptions o = options().withCheckpoint(checkpoint, 1);
        FitResult whole = Trainer.fit(start, data, null, options(), FitSettings.NONE, TrainingListener.NONE);
        try (SequenceIndex index = SequenceIndex.build(jsonLines(data, dir.resolve("d.jsonl")),
                start.observationSpace(), DatasetCsv.Columns.byConvention())) {
            assertThatThrownBy(() -> Trainer.fit(start, index, null, o, FitSettings.NONE, (i, n, p) -> {
                if (i == 2) {
                    throw new IllegalStateException("killed");
                }
            })).hasMessage("killed");
            FitResult resumed = Trainer.resume(checkpoint, start, data, null, o, FitSettings.NONE, TrainingListener.NONE);
            assertThat(((Differentiable) resumed.model()).parameters())
                    .containsExactly(((Differentiable) whole.model()).parameters());
            FitResult resumedOverFile = Trainer.resume(checkpoint, start, index, null, o, FitSettings.NONE,
                    TrainingListener.NONE);
            assertThat(losses(resumedOverFile)).containsExactly(losses(whole));
        }
    }

    @Test
    void aBadValueIsReportedWithItsLineWhileIndexing() throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "sequence,y\na,1.5\na,2\nb,0.5\nb,NaN\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SequenceIndex.build(file, network(Head.Type.GAUSSIAN, 1).observationSpace(),
                DatasetCsv.Columns.byConvention())).isInstanceOf(DataException.class)
                .hasMessageContaining("bad.csv").hasMessageContaining("line 5").hasMessageContaining("NaN");
    }

    @Test
    void modelsFittedByOtherMethodsAreRefusedOverAFile() throws IOException {
        StateSpaceModel<?, ?> hmm = org.statespace.hmm.HiddenMarkovModel.of(new double[] {0.5, 0.5},
                new double[][] {{0.9, 0.1}, {0.1, 0.9}},
                org.statespace.hmm.GaussianEmission.univariate(new double[] {0, 1}, new double[] {1, 1}));
        Dataset data = data();
        try (SequenceIndex index = SequenceIndex.build(jsonLines(data, dir.resolve("d.jsonl")), hmm.observationSpace(),
                DatasetCsv.Columns.byConvention())) {
            assertThatThrownBy(() -> Trainer.fit(hmm, index, null, TrainOptions.defaults(), FitSettings.NONE,
                    TrainingListener.NONE)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("em")
                    .hasMessageContaining("gradient");
        }
    }
}
