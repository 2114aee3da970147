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

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statespace.DataException;
import org.statespace.Emission;
import org.statespace.ObservationSpace;
import org.statespace.StateSpaceModel;
import org.statespace.StateTransition;
import org.statespace.capability.StateFiltering;
import org.statespace.capability.StateRecording;
import org.statespace.capability.Track;
import org.statespace.data.Dataset;
import org.statespace.data.DatasetCsv;
import org.statespace.data.Datasets;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceReader;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.numeric.Randoms;
import org.statespace.spec.ModelSpecs;

/**
 * A model on standardised data ({@code "type": "standardized"}) runs over a file in chunks, past the
 * {@link SequenceReader#HISTORY} steps a chunk keeps, with the in-memory engine's numbers bit for bit: the
 * standardised view it hands its inner model follows each chunk (its steps from the chunk's first on), and so do the
 * hidden states a standardised RNN records step by step. And the
 * error for a model that truly looks back further than a chunk keeps says how far it looked and what a chunk keeps.
 */
class FileFilterStandardizedTest {
    @TempDir
    Path dir;

    private static final String HMM = "{\"type\": \"hmm\", \"initial\": [0.6, 0.4], \"transition\": [[0.9, 0.1], [0.3, 0.7]],"
            + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[-0.5], [0.8]], "
            + "\"covariances\": [[[1]], [[2]]]}}";
    private static final String GRU = "{\"type\": \"rnn\", \"inputSize\": 2, \"layers\": [{\"cell\": \"gru\", \"hiddenSize\": 3}],"
            + " \"head\": {\"type\": \"gaussian\", \"outputSize\": 1}, \"seed\": 1}";
    private static final String LSTM = "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"lstm\", \"hiddenSize\": 2}],"
            + " \"head\": {\"type\": \"gaussian\", \"outputSize\": 1}, \"seed\": 2}";

    // sequences a (T=2500, two missing steps, far past HISTORY) and b (T=41): y around 40 with scale ~5, one input
    private Path data() throws IOException {
        RandomGenerator r = Randoms.seeded(11);
        StringBuilder b = new StringBuilder("sequence,t,y,input\n");
        int[] lengths = {2500, 41};
        String[] ids = {"a", "b"};
        for (int i = 0; i < 2; i++) {
            double level = 0;
            for (int t = 0; t < lengths[i]; t++) {
                level = 0.8 * level + r.nextGaussian();
                boolean missing = i == 0 && (t == 17 || t == 1900);
                String y = missing ? "" : String.format(Locale.ROOT, "%.6f", 40 + 4 * level + (t % 50 < 25 ? 0 : 3));
                b.append(ids[i]).append(',').append(t).append(',').append(y).append(',')
                        .append(String.format(Locale.ROOT, "%.4f", 10 + 2 * r.nextDouble())).append('\n');
            }
        }
        Path f = dir.resolve("d.csv");
        Files.writeString(f, b);
        return f;
    }

    private static String standardized(String inner, boolean inputs) {
        return "{\"type\": \"standardized\", \"observationMean\": [41.5], \"observationScale\": [5.25], "
                + (inputs ? "\"inputMean\": [11], \"inputScale\": [0.58], " : "") + "\"model\": " + inner + "}";
    }

    private record Collected(List<double[]> densities, List<Double> logLikelihoods, FileFilter.Totals totals) {
    }

    private static Collected streamed(StateSpaceModel<?, ?> model, Path file, int chunk) {
        List<double[]> densities = new ArrayList<>();
        List<Double> lls = new ArrayList<>();
        FileFilter.Totals totals;
        try (SequenceReader r = SequenceReader.open(file, model.observationSpace(), DatasetCsv.Columns.byConvention(), chunk)) {
            totals = FileFilter.run(model, r, FilterOptions.defaults().withThreads(1), new FileFilter.Listener() {
                List<Double> current;

                @Override
                public void startSequence(String id) {
                    current = new ArrayList<>();
                }

                @Override
                public void step(Sequence window, int t, PredictiveDistribution predicted, double logDensity) {
                    assertThat(t).isEqualTo(current.size());
                    current.add(logDensity);
                }

                @Override
                public void endSequence(String id, double logLikelihood, long steps, long observedSteps) {
                    densities.add(current.stream().mapToDouble(Double::doubleValue).toArray());
                    lls.add(logLikelihood);
                }
            });
        }
        return new Collected(densities, lls, totals);
    }

    @Test
    void aStandardizedModelStreamsOverManyChunksWithTheInMemoryNumbers() throws IOException {
        Path file = data();
        List<StateSpaceModel<?, ?>> models = List.of(
                ModelSpecs.parse(standardized(GRU, true), "gru"),
                ModelSpecs.parse(standardized(LSTM, false), "lstm"),
                ModelSpecs.parse(standardized(HMM, false), "hmm"));
        for (StateSpaceModel<?, ?> model : models) {
            Dataset d = model.observationSpace().align(Datasets.read(file), "d");
            FilterResult whole = FilterEngine.of(FilterOptions.defaults().withThreads(1)).run(model, d);
            // 7: hundreds of chunks, most of them windows that no longer hold step 0; 1000: three chunks of a
            for (int chunk : new int[] {7, 1000}) {
                Collected c = streamed(model, file, chunk);
                for (int i = 0; i < 2; i++) {
                    SequenceTrace trace = whole.sequence(i);
                    double[] expected = new double[trace.length()];
                    for (int t = 0; t < expected.length; t++) {
                        expected[t] = trace.observed(t) ? trace.logDensity(t) : 0;
                    }
                    assertThat(c.densities().get(i)).as("%s, sequence %d, chunks of %d", model, i, chunk)
                            .containsExactly(expected);
                    assertThat(c.logLikelihoods().get(i)).isEqualTo(trace.logLikelihood());
                }
                assertThat(c.totals().logLikelihood()).isEqualTo(whole.logLikelihood());
                assertThat(c.totals().steps()).isEqualTo(2541);
                assertThat(c.totals().observedSteps()).isEqualTo(2539);
            }
        }
    }

    @Test
    void aStandardizedRnnStreamsItsHiddenStatesAsInMemory() throws IOException {
        Path file = data();
        // two layers, LSTM (hidden and cell tracks) then GRU, with the input column
        StateSpaceModel<?, ?> model = ModelSpecs.parse(standardized("{\"type\": \"rnn\", \"inputSize\": 2, \"layers\": "
                + "[{\"cell\": \"lstm\", \"hiddenSize\": 2}, {\"cell\": \"gru\", \"hiddenSize\": 2}], \"head\": "
                + "{\"type\": \"gaussian\", \"outputSize\": 1}, \"seed\": 3}", true), "rnn");
        assertThat(model).isInstanceOf(StateRecording.class);
        Dataset d = model.observationSpace().align(Datasets.read(file), "d");
        FilterResult whole = FilterEngine.of(FilterOptions.defaults().withThreads(1).withStates(true)).run(model, d);
        for (int chunk : new int[] {7, 1000}) {
            List<List<Track>> runs = streamedStates(model, file, chunk);
            assertThat(runs).hasSize(2);
            for (int i = 0; i < 2; i++) {
                // the in-memory engine's tracks, and those of the inner model run on the sequence standardised whole
                List<Track> inMemory = whole.sequence(i).states().orElseThrow().tracks();
                List<Track> inner = ((StateFiltering) model).filterStates(d.sequence(i)).tracks();
                assertThat(inMemory).extracting(Track::name).containsExactly("hidden_l0", "cell_l0", "hidden_l1");
                assertThat(runs.get(i)).as("sequence %d, chunks of %d", i, chunk).isEqualTo(inMemory).isEqualTo(inner);
            }
        }
    }

    /** Per sequence, the tracks put together from the blocks the listener saw step by step. */
    private static List<List<Track>> streamedStates(StateSpaceModel<?, ?> model, Path file, int chunk) {
        List<List<Track>> runs = new ArrayList<>();
        try (SequenceReader r = SequenceReader.open(file, model.observationSpace(), DatasetCsv.Columns.byConvention(),
                chunk)) {
            FileFilter.run(model, r, FilterOptions.defaults().withThreads(1).withStates(true), new FileFilter.Listener() {
                List<StateRecording.TrackShape> shapes;
                List<List<Double>> values;
                int steps;

                @Override
                public void startSequence(String id) {
                    steps = 0;
                }

                @Override
                public void stateTracks(List<StateRecording.TrackShape> tracks) {
                    shapes = tracks;
                    values = new ArrayList<>();
                    tracks.forEach(s -> values.add(new ArrayList<>()));
                }

                @Override
                public void states(Sequence window, int t, double[][] blocks) {
                    assertThat(t).isEqualTo(steps);
                    for (int i = 0; i < blocks.length; i++) {
                        for (double v : blocks[i]) {
                            values.get(i).add(v);
                        }
                    }
                }

                @Override
                public void step(Sequence window, int t, PredictiveDistribution predicted, double logDensity) {
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

    @Test
    void aModelThatLooksBackFurtherThanAChunkKeepsIsToldHowFar() throws IOException {
        Path file = data();
        StateSpaceModel<?, ?> model = lookingBack(ModelSpecs.parse(HMM, "hmm"), 1500);
        // the same model in memory runs: it is the chunks that do not hold step t - 1500
        Dataset d = model.observationSpace().align(Datasets.read(file), "d");
        assertThat(FilterEngine.of(FilterOptions.defaults().withThreads(1)).run(model, d).observedSteps()).isEqualTo(2539);
        // chunks of 100: step 1500 is the first of the chunk of steps 1500..1599, which holds steps 476.. of a
        assertThatThrownBy(() -> streamed(model, file, 100))
                .isInstanceOf(DataException.class)
                .hasMessage("sequence 'a', step 1500: the looking-back model looks back more than 1024 steps (to a step "
                        + "before 476), and a chunk keeps only the 1024 steps before its new ones, so it cannot run over "
                        + "the file in chunks");
    }

    // m, with a transition that reads the observation lag steps back (from step lag on)
    private static <S, D extends PredictiveDistribution> StateSpaceModel<S, D> lookingBack(StateSpaceModel<S, D> m,
            int lag) {
        StateTransition<S> f = new StateTransition<>() {
            @Override
            public S newState() {
                return m.transition().newState();
            }

            @Override
            public void start(S state, Sequence sequence) {
                m.transition().start(state, sequence);
            }

            @Override
            public void step(S state, Sequence sequence, int t) {
                if (t >= lag && Double.isInfinite(sequence.value(t - lag, 0))) {
                    throw new AssertionError("an observation is never infinite");
                }
                m.transition().step(state, sequence, t);
            }
        };
        return new StateSpaceModel<>() {
            @Override
            public String type() {
                return "looking-back";
            }

            @Override
            public ObservationSpace observationSpace() {
                return m.observationSpace();
            }

            @Override
            public StateTransition<S> transition() {
                return f;
            }

            @Override
            public Emission<S, D> emission() {
                return m.emission();
            }

            @Override
            public int parameterCount() {
                return m.parameterCount();
            }

            @Override
            public ObjectNode toSpec() {
                return m.toSpec();
            }
        };
    }
}
