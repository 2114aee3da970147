package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.Sampling;
import org.statespace.StateSpaceModel;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.DatasetCsv;
import org.statespace.data.Datasets;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceIndex;
import org.statespace.data.SequenceReader;
import org.statespace.kalman.StructuralModel;
import org.statespace.nonlinear.NonlinearModel;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * The derivative-free optimiser over a file read by offsets ({@link SequenceIndex}) against the same fit in memory:
 * the independent reference is the in-memory trainer on the dataset read from the same CSV file. Each point the
 * optimiser tries is scored over the file by the same steps summed in the same order (a sequence longer than the
 * reader's chunks filtered chunk by chunk), so every number is equal bit for bit: the fitted spec, the trace, the
 * learning curve, the standard errors (a structural model's; a non-linear model has none, and says so the same
 * way). For a local level and a non-linear model the optimiser fits (a stochastic volatility model run by the
 * extended Kalman filter, its named parameters free). A checkpoint written by a fit over the file resumes over the
 * file as the same checkpoint resumes in memory (the same fitted spec and trace).
 */
class OptimizerOverFileTest {
    @TempDir
    Path dir;

    // a sequence longer than the reader's chunks (filtered in chunks from the file), then two short ones; every 13th
    // step of each missing
    private static Dataset sample(StateSpaceModel<?, ?> truth, long seed) {
        RandomGenerator random = Randoms.seeded(seed);
        List<Sequence> out = new ArrayList<>();
        int[] lengths = {SequenceReader.DEFAULT_CHUNK_STEPS + 500, 40, 7};
        for (int i = 0; i < lengths.length; i++) {
            double[] y = Sampling.sample(truth, "s" + i, lengths[i], null, random).observations();
            for (int t = 5 + i; t < y.length; t += 13) {
                y[t] = Double.NaN;
            }
            out.add(Sequence.of("s" + i, 1, y));
        }
        return Dataset.of(out);
    }

    private StandardErrors assertSameFit(StateSpaceModel<?, ?> start, Dataset generated, TrainOptions options) {
        Path csv = dir.resolve(start.type() + ".csv");
        DatasetCsv.write(generated, csv);
        Dataset memory = start.observationSpace().align(Datasets.read(csv), "memory");
        FilterEngine engine = FilterEngine.of(FilterOptions.defaults().withThreads(options.threads()));
        FitResult inMemory = Trainer.fit(start, memory, null, options, FitSettings.NONE, TrainingListener.NONE);
        StandardErrors memoryErrors = StandardErrors.of(inMemory.model(), memory, engine, FitSettings.NONE);
        try (SequenceIndex file = SequenceIndex.build(csv, start.observationSpace(), DatasetCsv.Columns.byConvention())) {
            assertThat(file.length(0)).isGreaterThan(SequenceReader.DEFAULT_CHUNK_STEPS);
            FitResult overFile = Trainer.fit(start, file, null, options, FitSettings.NONE, TrainingListener.NONE);
            String where = start.type();
            assertThat(overFile.method()).as(where).isEqualTo(TrainOptions.Method.OPTIMIZER);
            assertThat(Json.write(overFile.model().toSpec())).as(where).isEqualTo(Json.write(inMemory.model().toSpec()));
            assertThat(overFile.logLikelihoodTrace()).as(where).containsExactly(inMemory.logLikelihoodTrace());
            assertThat(losses(overFile)).as(where).containsExactly(losses(inMemory));
            assertThat(overFile.iterations()).as(where).isEqualTo(inMemory.iterations());
            assertThat(overFile.converged()).as(where).isEqualTo(inMemory.converged());
            assertThat(overFile.logLikelihood()).as(where).isEqualTo(inMemory.logLikelihood());
            assertThat(overFile.observations()).as(where).isEqualTo(inMemory.observations());
            assertThat(inMemory.iterations()).as(where + ": the optimiser moved").isGreaterThan(3);
            StandardErrors fileErrors = StandardErrors.of(overFile.model(), file, engine, FitSettings.NONE);
            assertThat(fileErrors.problem()).as(where).isEqualTo(memoryErrors.problem());
            assertThat(fileErrors.names()).as(where).isEqualTo(memoryErrors.names());
            assertThat(fileErrors.estimates()).as(where).containsExactly(memoryErrors.estimates());
            assertThat(fileErrors.standardErrors()).as(where).containsExactly(memoryErrors.standardErrors());
            return fileErrors;
        }
    }

    private static double[] losses(FitResult r) {
        return r.curve().points().stream().mapToDouble(LearningCurve.Point::trainingLoss).toArray();
    }

    @Test
    void aLocalLevelIsTheInMemoryFitBitForBit() {
        StructuralModel truth = StructuralModel.localLevel(1.0, 0.1);
        StructuralModel start = StructuralModel.localLevel(3.0, 1.0);
        StandardErrors errors = assertSameFit(start, sample(truth, 4),
                TrainOptions.defaults().withMaxIterations(6).withThreads(2));
        assertThat(errors.available()).as(errors.problem()).isTrue();
    }

    @Test
    void aNonlinearModelIsTheInMemoryFitBitForBit() {
        String spec = "{\"type\": \"nonlinear\", \"model\": \"stochastic-volatility\", \"filter\": \"ekf\", "
                + "\"parameters\": {\"mu\": %s, \"phi\": %s}, \"free\": [\"mu\", \"phi\"]}";
        NonlinearModel truth = (NonlinearModel) ModelSpecs.parse(String.format(spec, "0.5", "0.9"), "truth");
        NonlinearModel start = (NonlinearModel) ModelSpecs.parse(String.format(spec, "0", "0.5"), "start");
        assertThat(Trainer.resolve(start, TrainOptions.Method.AUTO)).isEqualTo(TrainOptions.Method.OPTIMIZER);
        assertSameFit(start, sample(truth, 6), TrainOptions.defaults().withMaxIterations(5).withThreads(2));
    }

    @Test
    void aCheckpointWrittenOverTheFileResumesThereAsInMemory() {
        StructuralModel start = StructuralModel.localLevel(3.0, 1.0);
        Path csv = dir.resolve("level.csv");
        DatasetCsv.write(sample(StructuralModel.localLevel(1.0, 0.1), 4), csv);
        Dataset memory = start.observationSpace().align(Datasets.read(csv), "memory");
        Path checkpoint = dir.resolve("ck.json");
        TrainOptions first = TrainOptions.defaults().withMaxIterations(3).withThreads(2).withCheckpoint(checkpoint, 1);
        try (SequenceIndex file = SequenceIndex.build(csv, start.observationSpace(), DatasetCsv.Columns.byConvention())) {
            FitResult stopped = Trainer.fit(start, file, null, first, FitSettings.NONE, TrainingListener.NONE);
            assertThat(stopped.converged()).isFalse();
            // the checkpoint's fingerprint is that of the same data in memory: it resumes over the file and in memory
            TrainOptions more = first.withMaxIterations(5);
            Path copy = dir.resolve("ck-memory.json");
            copyFile(checkpoint, copy);
            FitResult overFile = Trainer.resume(checkpoint, start, file, null, more, FitSettings.NONE,
                    TrainingListener.NONE);
            FitResult inMemory = Trainer.resume(copy, start, memory, null, more.withCheckpoint(copy, 1),
                    FitSettings.NONE, TrainingListener.NONE);
            assertThat(Json.write(overFile.model().toSpec())).isEqualTo(Json.write(inMemory.model().toSpec()));
            assertThat(overFile.logLikelihoodTrace()).containsExactly(inMemory.logLikelihoodTrace());
            assertThat(overFile.iterations()).isEqualTo(inMemory.iterations()).isGreaterThan(3);
        }
    }

    private static void copyFile(Path from, Path to) {
        try {
            java.nio.file.Files.copy(from, to);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
