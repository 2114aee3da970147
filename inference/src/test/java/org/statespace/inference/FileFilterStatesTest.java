package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.statespace.StateSpaceModel;
import org.statespace.capability.StateRecording;
import org.statespace.capability.Track;
import org.statespace.data.Dataset;
import org.statespace.data.DatasetCsv;
import org.statespace.data.Datasets;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceReader;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;

/**
 * {@link FileFilter} with {@link FilterOptions#states()}: the state estimates handed to the listener step by step,
 * over a file read in chunks of 1, 7 and a whole sequence, are bit for bit the tracks the in-memory engine
 * ({@link FilterEngine#run} with states) keeps for the same file, for every family that records them: HMM,
 * input-output HMM, hidden semi-Markov, RNN (LSTM cells), linear-Gaussian, structural (exact diffuse start) and the
 * extended, unscented and particle filters.
 */
class FileFilterStatesTest {
    @TempDir
    Path dir;

    // sequences a (T=300, a missing step) and b (T=41): y and one input column
    private Path data() throws IOException {
        RandomGenerator r = Randoms.seeded(8);
        StringBuilder b = new StringBuilder("sequence,t,y,input\n");
        int[] lengths = {300, 41};
        String[] ids = {"a", "b"};
        for (int i = 0; i < 2; i++) {
            double level = 0;
            for (int t = 0; t < lengths[i]; t++) {
                double u = r.nextDouble();
                level = 0.8 * level + r.nextGaussian();
                String y = i == 0 && (t == 17 || t == 150) ? ""
                        : String.format(Locale.ROOT, "%.6f", level + 2 * u + (t % 50 < 25 ? 0 : 3));
                b.append(ids[i]).append(',').append(t).append(',').append(y).append(',')
                        .append(String.format(Locale.ROOT, "%.4f", u)).append('\n');
            }
        }
        Path f = dir.resolve("d.csv");
        Files.writeString(f, b);
        return f;
    }

    private static StateSpaceModel<?, ?> model(String kind, Dataset data) {
        String template = switch (kind) {
            case "iohmm" -> "{\"type\": \"iohmm\", \"states\": 2, \"emission\": \"regression\"}";
            case "hsmm" -> "{\"type\": \"hsmm\", \"states\": 3}";
            default -> null;
        };
        if (template != null) {
            return ModelSpecs.template(SpecNode.root(Json.parse(template, kind), kind), data, Randoms.seeded(3));
        }
        return ModelSpecs.parse(switch (kind) {
            case "hmm" -> "{\"type\": \"hmm\", \"initial\": [0.6, 0.4], \"transition\": [[0.9, 0.1], [0.3, 0.7]],"
                    + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[0], [3]], \"covariances\": [[[1]], [[2]]]}}";
            case "rnn" -> "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"lstm\", \"hiddenSize\": 3},"
                    + " {\"cell\": \"gru\", \"hiddenSize\": 2}], \"head\": {\"type\": \"gaussian\", \"outputSize\": 1},"
                    + " \"seed\": 1}";
            case "lgssm" -> "{\"type\": \"lgssm\", \"transitionMatrix\": [[1, 1], [0, 1]], "
                    + "\"processNoise\": [[0.1, 0], [0, 0.01]], \"observationMatrix\": [[1, 0]], "
                    + "\"observationNoise\": [[1.5]], \"initialMean\": [0, 0], \"initialCovariance\": [[10, 0], [0, 10]]}";
            case "structural" -> "{\"type\": \"local-level\", \"observationVariance\": 2, \"levelVariance\": 0.5}";
            default -> "{\"type\": \"nonlinear\", \"model\": \"growth\", \"filter\": \"" + kind + "\", "
                    + (kind.equals("particle") ? "\"particles\": 50, \"seed\": 4, " : "")
                    + "\"processNoise\": [[10]], \"observationNoise\": [[1]], "
                    + "\"initialMean\": [0], \"initialCovariance\": [[5]]}";
        }, kind);
    }

    /** What the listener saw: per sequence, the tracks put together from the blocks of its steps. */
    private static List<List<Track>> streamed(StateSpaceModel<?, ?> model, Path file, int chunk) {
        List<List<Track>> runs = new ArrayList<>();
        try (SequenceReader r = SequenceReader.open(file, model.observationSpace(), DatasetCsv.Columns.byConvention(),
                chunk)) {
            FileFilter.run(model, r, FilterOptions.defaults().withThreads(1).withStates(true), new FileFilter.Listener() {
                List<StateRecording.TrackShape> shapes;
                List<List<Double>> values;
                int steps;

                @Override
                public void startSequence(String id) {
                    shapes = null;
                    steps = 0;
                }

                @Override
                public void stateTracks(List<StateRecording.TrackShape> tracks) {
                    assertThat(shapes).isNull();
                    shapes = tracks;
                    values = new ArrayList<>();
                    tracks.forEach(s -> values.add(new ArrayList<>()));
                }

                @Override
                public void states(Sequence window, int t, double[][] blocks) {
                    assertThat(t).isEqualTo(steps);
                    for (int i = 0; i < blocks.length; i++) {
                        assertThat(blocks[i]).hasSize(shapes.get(i).width());
                        for (double v : blocks[i]) {
                            values.get(i).add(v);
                        }
                    }
                }

                @Override
                public void step(Sequence window, int t, PredictiveDistribution predicted, double logDensity) {
                    assertThat(t).isEqualTo(steps);
                    steps++;
                }

                @Override
                public void endSequence(String id, double logLikelihood, long length, long observedSteps) {
                    List<Track> tracks = new ArrayList<>();
                    for (int i = 0; i < shapes.size(); i++) {
                        tracks.add(shapes.get(i).track(steps,
                                values.get(i).stream().mapToDouble(Double::doubleValue).toArray()));
                    }
                    runs.add(tracks);
                }
            });
        }
        return runs;
    }

    @ParameterizedTest
    @ValueSource(strings = {"hmm", "iohmm", "hsmm", "rnn", "lgssm", "structural", "ekf", "ukf", "particle"})
    void theStreamedStatesAreTheInMemoryEnginesBitForBit(String kind) throws IOException {
        Path file = data();
        StateSpaceModel<?, ?> model = model(kind, Datasets.read(file));
        Dataset d = model.observationSpace().align(Datasets.read(file), "d");
        FilterResult whole = FilterEngine.of(FilterOptions.defaults().withThreads(1).withStates(true)).run(model, d);
        for (int chunk : new int[] {1, 7, 300}) {
            List<List<Track>> runs = streamed(model, file, chunk);
            assertThat(runs).hasSize(2);
            for (int i = 0; i < 2; i++) {
                List<Track> expected = whole.sequence(i).states().orElseThrow().tracks();
                assertThat(runs.get(i)).as("%s, sequence %d, chunks of %d", kind, i, chunk).hasSameSizeAs(expected);
                for (int k = 0; k < expected.size(); k++) {
                    Track e = expected.get(k);
                    Track a = runs.get(i).get(k);
                    String where = kind + ", sequence " + i + ", chunks of " + chunk + ", " + e.name();
                    assertThat(a.name()).as(where).isEqualTo(e.name());
                    assertThat(a.shape()).as(where).containsExactly(e.shape());
                    // containsExactly compares doubles by Double.equals: bit for bit (and NaN equals NaN)
                    assertThat(a.values()).as(where).containsExactly(e.values());
                }
            }
        }
        if (kind.equals("structural")) { // the exact diffuse start's tracks are among those compared
            assertThat(whole.sequence(0).states().orElseThrow().tracks()).extracting(Track::name)
                    .contains("predictedDiffuseCovariances");
        }
    }

    @Test
    void aModelWithoutStateEstimatesIsRefused() throws IOException {
        Path file = data();
        StateSpaceModel<?, ?> chain = FilterEngineTest.WEATHER;
        try (SequenceReader r = SequenceReader.open(file, chain.observationSpace(), DatasetCsv.Columns.byConvention())) {
            FileFilter.Listener listener = new FileFilter.Listener() {
                @Override
                public void startSequence(String id) {
                }

                @Override
                public void step(Sequence window, int t, PredictiveDistribution predicted, double logDensity) {
                }

                @Override
                public void endSequence(String id, double logLikelihood, long steps, long observedSteps) {
                }
            };
            assertThatThrownBy(() -> FileFilter.run(chain, r, FilterOptions.defaults().withStates(true), listener))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no filtered state estimates");
        }
        // with no listener to hand them to, none are asked for (FilterEngine.stream runs so with its options)
        Path days = Files.writeString(dir.resolve("days.csv"), "y\nsunny\nrainy\nrainy\n");
        try (SequenceReader r = SequenceReader.open(days, chain.observationSpace(), DatasetCsv.Columns.byConvention())) {
            assertThat(FileFilter.run(chain, r, FilterOptions.defaults().withStates(true), null).steps()).isEqualTo(3);
        }
    }
}
