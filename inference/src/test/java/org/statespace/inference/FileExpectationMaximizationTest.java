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
import org.statespace.data.Dataset;
import org.statespace.data.DatasetCsv;
import org.statespace.data.Datasets;
import org.statespace.data.SequenceReader;
import org.statespace.spec.ModelSpecs;

/**
 * EM as passes over a file gives the in-memory trainer's log-likelihood trace and fitted model, whether the file
 * is read a whole sequence at a time (JSON Lines) or in chunks joined per sequence (CSV); and the log-likelihood
 * never falls from one iteration to the next.
 */
class FileExpectationMaximizationTest {
    @TempDir
    Path dir;

    private static final String START = "{\"type\": \"hmm\", \"initial\": [0.7, 0.3], \"transition\": [[0.8, 0.2], [0.25, 0.75]],"
            + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[-0.5], [2]], \"covariances\": [[[1]], [[1.5]]]}}";

    @Test
    void passesOverAFileGiveTheTrainersFit() throws IOException {
        Random r = new Random(21);
        StringBuilder csv = new StringBuilder("sequence,t,y\n");
        StringBuilder lines = new StringBuilder();
        int[] lengths = {120, 33, 250};
        for (int i = 0; i < lengths.length; i++) {
            StringBuilder obs = new StringBuilder();
            int state = 0;
            for (int t = 0; t < lengths[i]; t++) {
                if (r.nextDouble() < 0.1) {
                    state = 1 - state;
                }
                String y = String.format(Locale.ROOT, "%.5f", (state == 0 ? 0 : 3) + r.nextGaussian());
                csv.append("q").append(i).append(',').append(t).append(',').append(y).append('\n');
                obs.append(t == 0 ? "" : ", ").append(y);
            }
            lines.append("{\"id\": \"q").append(i).append("\", \"observations\": [").append(obs).append("]}\n");
        }
        Path csvFile = dir.resolve("d.csv");
        Path jsonl = dir.resolve("d.jsonl");
        Files.writeString(csvFile, csv);
        Files.writeString(jsonl, lines);
        StateSpaceModel<?, ?> start = ModelSpecs.parse(START, "start");
        Dataset data = start.observationSpace().align(Datasets.read(csvFile), "d.csv");
        TrainOptions options = TrainOptions.defaults().withMaxIterations(12).withTolerance(1e-12).withThreads(1)
                .withMethod(TrainOptions.Method.EM);
        var settings = FitConfiguration.defaults(start).settings();
        FitResult memory = Trainer.fit(start, data, null, options, settings, TrainingListener.NONE);
        for (Path file : new Path[] {jsonl, csvFile}) {
            FileExpectationMaximization.Result streamed = FileExpectationMaximization.fit(start,
                    () -> SequenceReader.open(file, start.observationSpace(), DatasetCsv.Columns.byConvention(), 16),
                    settings, 12, 1e-12, null);
            assertThat(streamed.trace()).as(file.toString()).containsExactly(memory.logLikelihoodTrace());
            assertThat(streamed.model().toSpec()).isEqualTo(memory.model().toSpec());
            assertThat(streamed.observedSteps()).isEqualTo(403);
            double[] trace = streamed.trace();
            for (int i = 1; i < trace.length; i++) {
                assertThat(trace[i]).isGreaterThanOrEqualTo(trace[i - 1] - 1e-9 * Math.abs(trace[i - 1]));
            }
        }
    }

    /**
     * One sequence of 3000 steps read in chunks of 64 (so the spilled E-step crosses chunk and block boundaries),
     * a tenth of its steps missing: the trace of the in-memory trainer (which holds the sequence and runs
     * {@code ForwardBackward}) to 1e-10 relative on every iteration, and the same fitted model.
     */
    @Test
    void oneLongSequenceIsFittedByTheSpilledEStep() throws IOException {
        Random r = new Random(5);
        StringBuilder csv = new StringBuilder("t,y\n");
        int state = 0;
        for (int t = 0; t < 3000; t++) {
            if (r.nextDouble() < 0.05) {
                state = 1 - state;
            }
            double y = (state == 0 ? 0 : 2.5) + r.nextGaussian();
            csv.append(t).append(',').append(r.nextDouble() < 0.1 ? "" : String.format(Locale.ROOT, "%.6f", y))
                    .append('\n');
        }
        Path file = dir.resolve("long.csv");
        Files.writeString(file, csv);
        StateSpaceModel<?, ?> start = ModelSpecs.parse(START, "start");
        Dataset data = start.observationSpace().align(Datasets.read(file), "long.csv");
        TrainOptions options = TrainOptions.defaults().withMaxIterations(8).withTolerance(1e-12).withThreads(1)
                .withMethod(TrainOptions.Method.EM);
        var settings = FitConfiguration.defaults(start).settings();
        FitResult memory = Trainer.fit(start, data, null, options, settings, TrainingListener.NONE);
        FileExpectationMaximization.Result streamed = FileExpectationMaximization.fit(start,
                () -> SequenceReader.open(file, start.observationSpace(), DatasetCsv.Columns.byConvention(), 64),
                settings, 8, 1e-12, null);
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
