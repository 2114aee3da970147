package org.statespace.kalman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.statespace.DataException;
import org.statespace.capability.LongSequenceInference;
import org.statespace.capability.SufficientStatistics;
import org.statespace.capability.Track;
import org.statespace.data.Sequence;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * The spilled smoother and E-step of a linear-Gaussian model against the in-memory {@link KalmanSmoother} and
 * {@link ShumwayStoffer} (the independent implementation, which holds the whole sequence): the same smoothed tracks,
 * statistics and log-likelihood bit for bit (the same operations in the same order), with the sequence handed over
 * in chunks of 1, 7 and T steps and spill blocks of 1, 7 and T steps (so every chunk and block boundary is crossed),
 * with missing steps, partly missing vectors, inputs, and an exact diffuse start whose phase spans several steps;
 * the spill file is gone afterwards, also after an error.
 */
class SpilledKalmanTest {

    static LinearGaussianModel model(String json) {
        try {
            return (LinearGaussianModel) ModelSpecs.read(Json.mapper().readTree(json), "test");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // n = 2, m = 2, p = 1: inputs in both equations, offsets, correlated noises
    static final LinearGaussianModel INPUTS = model("""
            {"type": "lgssm", "transitionMatrix": [[0.9, 0.2], [-0.1, 0.7]], "controlMatrix": [[0.5], [-0.3]],
             "transitionOffset": [0.1, 0], "processNoise": [[0.5, 0.1], [0.1, 0.3]],
             "observationMatrix": [[1, 0], [0.5, 1]], "feedthroughMatrix": [[0.2], [0]], "observationOffset": [1, -2],
             "observationNoise": [[1, 0.2], [0.2, 0.6]], "initialMean": [0, 1], "initialCovariance": [[4, 0.5], [0.5, 2]]}""");

    // a local linear trend with an exact diffuse start, m = 1
    static final LinearGaussianModel DIFFUSE = model("""
            {"type": "lgssm", "transitionMatrix": [[1, 1], [0, 1]], "processNoise": [[0.2, 0], [0, 0.05]],
             "observationMatrix": [[1, 0]], "observationNoise": [[1.5]], "initialization": "diffuse"}""");

    // T steps of m components (p inputs) with whole steps and single components missing, the first steps included
    static Sequence data(LinearGaussianModel model, int length) {
        Random r = new Random(5);
        int m = model.m;
        double[] y = new double[length * m];
        for (int t = 0; t < length; t++) {
            for (int j = 0; j < m; j++) {
                y[t * m + j] = Math.sin(t / 5.0) * 3 + r.nextGaussian();
            }
            if (t == 1 || t % 9 == 4) {
                y[t * m] = Double.NaN;
            }
            if (m > 1 && t % 6 == 2) {
                y[t * m + 1] = Double.NaN;
            }
            if (t % 13 == 7) {
                for (int j = 0; j < m; j++) {
                    y[t * m + j] = Double.NaN;
                }
            }
        }
        Sequence s = Sequence.of("s", m, y);
        if (model.p == 0) {
            return s;
        }
        double[] u = new double[length * model.p];
        for (int i = 0; i < u.length; i++) {
            u[i] = r.nextGaussian();
        }
        return s.withInputs(model.p, u);
    }

    // the sequence in chunks of `size` steps: growing prefixes, each read from where the last ended
    static LongSequenceInference.Chunks chunks(Sequence s, int size) {
        int[] end = {0};
        return () -> {
            if (end[0] >= s.length()) {
                return null;
            }
            end[0] = Math.min(s.length(), end[0] + size);
            return s.slice(s.id(), 0, end[0]);
        };
    }

    static List<Path> spills() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("statespace-spill-")).toList();
        }
    }

    /** Collects the tracks handed over, in either order. */
    static final class Collected implements LongSequenceInference.SmoothedSteps {
        final boolean interleaved;
        final List<String> names = new ArrayList<>();
        final List<double[]> values = new ArrayList<>();
        final List<Integer> widths = new ArrayList<>();
        int length;
        double logLikelihood;
        private int next;

        Collected(boolean interleaved) {
            this.interleaved = interleaved;
        }

        @Override
        public void begin(String track, int width, double logLikelihood, int length) {
            names.add(track);
            widths.add(width);
            values.add(new double[width * length]);
            this.length = length;
            this.logLikelihood = logLikelihood;
        }

        @Override
        public void step(int t, double[] v, int offset) {
            int k = interleaved ? next++ % names.size() : names.size() - 1;
            int w = widths.get(k);
            System.arraycopy(v, offset, values.get(k), t * w, w);
        }

        @Override
        public boolean interleaved() {
            return interleaved;
        }
    }

    @Test
    void theSpilledSmootherIsTheInMemoryOneBitForBit() throws IOException {
        List<Path> before = spills();
        for (LinearGaussianModel model : List.of(INPUTS, DIFFUSE)) {
            for (int length : lengths(model)) {
                Sequence s = data(model, length);
                KalmanSmootherResult memory = model.smoothStates(s);
                for (int chunk : new int[] {1, 7, length}) {
                    for (int block : new int[] {1, 7, length}) {
                        for (boolean interleaved : new boolean[] {false, true}) {
                            Collected got = new Collected(interleaved);
                            double ll = new SpilledKalman(model, block).smooth("s", chunks(s, chunk), got);
                            String where = (model == DIFFUSE ? "diffuse" : "inputs") + " T=" + length + " chunk=" + chunk + " block=" + block
                                    + " interleaved=" + interleaved;
                            assertThat(ll).as(where).isEqualTo(memory.logLikelihood());
                            assertThat(got.logLikelihood).as(where).isEqualTo(memory.logLikelihood());
                            assertThat(got.names).as(where).containsExactly("smoothedMeans", "smoothedCovariances",
                                    "smoothedLagOneCovariances");
                            List<Track> tracks = memory.tracks();
                            for (int k = 0; k < 3; k++) {
                                assertThat(got.values.get(k)).as(where + " " + got.names.get(k))
                                        .containsExactly(tracks.get(k).values());
                            }
                        }
                    }
                }
            }
        }
        assertThat(spills()).isEqualTo(before);
    }

    @Test
    void theSpilledEStepIsTheInMemoryOneBitForBit() throws IOException {
        List<Path> before = spills();
        for (LinearGaussianModel model : List.of(INPUTS, DIFFUSE)) {
            for (int length : lengths(model)) {
                Sequence s = data(model, length);
                SufficientStatistics memory = model.newStatistics();
                double expected = model.expectation(s, memory);
                for (int chunk : new int[] {1, 7, length}) {
                    for (int block : new int[] {1, 7, length}) {
                        SufficientStatistics spilled = model.newStatistics();
                        double ll = new SpilledKalman(model, block).expectation("s", chunks(s, chunk),
                                (ShumwayStoffer.Statistics) spilled);
                        String where = (model == DIFFUSE ? "diffuse" : "inputs") + " T=" + length + " chunk=" + chunk + " block=" + block;
                        assertThat(ll).as(where).isEqualTo(expected);
                        assertThat(spilled.toArray()).as(where).containsExactly(memory.toArray());
                    }
                }
                // and through the capability, with the default block
                SufficientStatistics viaModel = model.newStatistics();
                model.expectation("s", chunks(s, 7), viaModel);
                assertThat(viaModel.toArray()).containsExactly(memory.toArray());
            }
        }
        assertThat(spills()).isEqualTo(before);
    }

    @Test
    void aDiffuseStartTheDataNeverIdentifyIsTheInMemoryErrorAndLeavesNoSpill() throws IOException {
        List<Path> before = spills();
        Sequence s = Sequence.of("short", 1, new double[] {1.0});
        assertThatThrownBy(() -> DIFFUSE.smoothStates(s)).isInstanceOf(DataException.class);
        String message = catchMessage(() -> DIFFUSE.smoothStates(s));
        assertThatThrownBy(() -> DIFFUSE.smooth("short", chunks(s, 1), new Collected(false)))
                .isInstanceOf(DataException.class).hasMessage(message);
        assertThatThrownBy(() -> DIFFUSE.expectation("short", chunks(s, 1), DIFFUSE.newStatistics()))
                .isInstanceOf(DataException.class).hasMessage(message);
        assertThat(spills()).isEqualTo(before);
    }

    @Test
    void aContinuousStateHasNoPathToDecode() {
        assertThatThrownBy(() -> INPUTS.decode("s", chunks(data(INPUTS, 5), 5), null))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("continuous")
                .hasMessageContaining("no discrete hidden path");
    }

    // the diffuse start needs two observed steps (step 1 is missing) to be identified
    private static int[] lengths(LinearGaussianModel model) {
        return model == DIFFUSE ? new int[] {3, 23, 64} : new int[] {1, 2, 23, 64};
    }

    private static String catchMessage(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error");
    }
}
