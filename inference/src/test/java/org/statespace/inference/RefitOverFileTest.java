package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.capability.Differentiable;
import org.statespace.capability.FitSettings;
import org.statespace.capability.SummedRefit;
import org.statespace.data.Dataset;
import org.statespace.data.DatasetCsv;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceIndex;
import org.statespace.data.SequenceReader;
import org.statespace.data.SequenceSource;
import org.statespace.rnn.Head;
import org.statespace.rnn.RnnModel;

/**
 * A linear head's end-of-epoch variance over a file, its statistics read a chunk at a time: the independent
 * reference is the same file read with no reader, so that each sequence's statistics come from the sequence read
 * whole (the path the chunks replace): equal bit for bit; and the in-memory fit (one running sum over the data, not
 * per-sequence sums) to rounding.
 */
class RefitOverFileTest {
    @TempDir
    Path dir;

    /** {@code data} with no chunk reader: every sequence is read whole. */
    private static SequenceSource whole(SequenceSource data) {
        return new SequenceSource() {
            @Override
            public int size() {
                return data.size();
            }

            @Override
            public Sequence sequence(int i) {
                return data.sequence(i);
            }

            @Override
            public int length(int i) {
                return data.length(i);
            }

            @Override
            public int observedSteps(int i) {
                return data.observedSteps(i);
            }

            @Override
            public Sequence piece(int i, int from, int to) {
                return data.piece(i, from, to);
            }

            @Override
            public boolean readsPieces(int i) {
                return data.readsPieces(i);
            }

            @Override
            public String name() {
                return data.name();
            }
        };
    }

    private static double[] losses(FitResult r) {
        return r.curve().points().stream().mapToDouble(p -> p.trainingLoss()).toArray();
    }

    @Test
    void aLongSequencesStatisticsReadInChunksAreThoseOfTheWholeSequence() {
        Dataset data = GradientOverFileTest.longSeries();
        RnnModel model = GradientOverFileTest.network(Head.Type.LINEAR, 8);
        Path csv = dir.resolve("long.csv");
        DatasetCsv.write(data, csv);
        try (SequenceIndex index = SequenceIndex.build(csv, model.observationSpace(), DatasetCsv.Columns.byConvention())) {
            assertThat(index.length(1)).isGreaterThan(SequenceReader.DEFAULT_CHUNK_STEPS);
            try (SequenceReader reader = index.reader(1)) {
                assertThat(reader).isNotNull(); // so the statistics below are read in chunks
            }
            for (int i = 0; i < data.size(); i++) {
                double[] expected = model.refitStatistics(data.sequence(i));
                assertThat(GradientLoop.statistics(model, index, i)).containsExactly(expected);
                assertThat(GradientLoop.statistics(model, whole(index), i)).containsExactly(expected);
            }
        }
    }

    @Test
    void aLinearHeadTrainedOverAFileHasTheVarianceOfItsSequencesReadWhole() {
        Dataset data = GradientOverFileTest.longSeries();
        RnnModel start = GradientOverFileTest.network(Head.Type.LINEAR, 8);
        Path csv = dir.resolve("long.csv");
        DatasetCsv.write(data, csv);
        // whole sequences in batches, then pieces of 97 steps (an index of pieces): the refit is over the whole
        // training sequences either way
        TrainOptions wholes = TrainOptions.defaults().withMethod(TrainOptions.Method.GRADIENT).withMaxIterations(1)
                .withBatchSize(2).withLearningRate(0.02).withSeed(9).withThreads(2);
        TrainOptions pieces = wholes.withChunkLength(97).withBatchSize(64);
        FitResult memory = Trainer.fit(start, data, null, pieces, FitSettings.NONE, TrainingListener.NONE);
        for (int pieceLength : new int[] {0, 97}) {
            TrainOptions o = pieceLength == 0 ? wholes : pieces;
            try (SequenceIndex index = pieceLength == 0
                    ? SequenceIndex.build(csv, start.observationSpace(), DatasetCsv.Columns.byConvention())
                    : SequenceIndex.build(csv, start.observationSpace(), DatasetCsv.Columns.byConvention(), 97)) {
                FitResult chunked = Trainer.fit(start, index, null, o, FitSettings.NONE, TrainingListener.NONE);
                FitResult read = Trainer.fit(start, whole(index), null, o, FitSettings.NONE, TrainingListener.NONE);
                assertThat(((RnnModel) chunked.model()).headVariance())
                        .containsExactly(((RnnModel) read.model()).headVariance());
                assertThat(((Differentiable) chunked.model()).parameters())
                        .containsExactly(((Differentiable) read.model()).parameters());
                assertThat(losses(chunked)).containsExactly(losses(read));
                assertThat(chunked.model().toSpec()).isEqualTo(read.model().toSpec());
                if (pieceLength == 97) {
                    double v = ((RnnModel) memory.model()).headVariance()[0];
                    assertThat(((RnnModel) chunked.model()).headVariance()[0]).isCloseTo(v, within(1e-12 * v));
                    assertThat(v).isNotEqualTo(start.headVariance()[0]);
                }
            }
        }
    }
}
