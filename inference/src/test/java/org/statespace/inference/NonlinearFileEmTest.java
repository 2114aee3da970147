package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statespace.StateSpaceModel;
import org.statespace.capability.LongSequenceInference;
import org.statespace.data.Dataset;
import org.statespace.data.DatasetCsv;
import org.statespace.data.Datasets;
import org.statespace.data.SequenceReader;
import org.statespace.spec.ModelSpecs;

/**
 * EM of a non-linear model run by the extended filter as passes over a file ({@link FileExpectationMaximization}):
 * its one long sequence goes through the spilled E-step ({@link LongSequenceInference#expectation}, read in chunks
 * of 64 steps), and the log-likelihood trace and fitted model are the in-memory trainer's (the independent
 * reference, which holds the sequence), to 1e-10 relative as {@code FileExpectationMaximizationTest} asks of the
 * other families.
 */
class NonlinearFileEmTest {
    private static final String START = "{\"type\": \"nonlinear\", \"model\": \"growth\", \"filter\": \"ekf\", "
            + "\"processNoise\": [[8]], \"observationNoise\": [[2]], \"initialMean\": [0.5], "
            + "\"initialCovariance\": [[1]]}";

    @TempDir
    Path dir;

    @Test
    void oneLongSequenceIsFittedByTheSpilledEStep() throws IOException {
        Random r = new Random(5);
        StringBuilder csv = new StringBuilder("t,y\n");
        double x = 0;
        for (int t = 0; t < 600; t++) {
            if (t > 0) {
                x = 0.5 * x + 25 * x / (1 + x * x) + 8 * Math.cos(1.2 * t) + Math.sqrt(10) * r.nextGaussian();
            }
            double y = x * x / 20 + r.nextGaussian();
            csv.append(t).append(',').append(t % 31 == 7 ? "" : String.format(Locale.ROOT, "%.6f", y)).append('\n');
        }
        Path file = dir.resolve("long.csv");
        Files.writeString(file, csv);
        StateSpaceModel<?, ?> start = ModelSpecs.parse(START, "start");
        assertThat(start).isInstanceOf(LongSequenceInference.class);
        Dataset data = start.observationSpace().align(Datasets.read(file), "long.csv");
        TrainOptions options = TrainOptions.defaults().withMaxIterations(3).withTolerance(1e-12).withThreads(1)
                .withMethod(TrainOptions.Method.EM);
        var settings = FitConfiguration.defaults(start).settings();
        FitResult memory = Trainer.fit(start, data, null, options, settings, TrainingListener.NONE);
        FileExpectationMaximization.Result streamed = FileExpectationMaximization.fit(start,
                () -> SequenceReader.open(file, start.observationSpace(), DatasetCsv.Columns.byConvention(), 64),
                settings, 3, 1e-12, null);
        double[] expected = memory.logLikelihoodTrace();
        double[] got = streamed.trace();
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("iteration %d", i).isCloseTo(expected[i],
                    org.assertj.core.api.Assertions.within(1e-10 * Math.abs(expected[i])));
        }
        assertThat(streamed.observedSteps()).isEqualTo(data.sequence(0).observedSteps());
        assertThat(streamed.model().toSpec().toString()).isEqualTo(memory.model().toSpec().toString());
    }
}
