package org.statespace.kalman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.statespace.DataException;
import org.statespace.capability.LongSequenceInference;
import org.statespace.capability.Track;
import org.statespace.data.Sequence;

/**
 * A structural model smoothed over one sequence read in chunks ({@link LongSequenceInference#smooth}) against its
 * in-memory {@link StructuralModel#smoothStates} (the independent implementation, which holds the whole sequence):
 * the same tracks and log-likelihood bit for bit, for the local level and the local linear trend, with the exact
 * diffuse start (step 1 missing, inside the diffuse phase) and with a known start, whole and in chunks of 1 and 7
 * steps; the refusals of the E-step (fitted by maximum likelihood) and of decoding (a continuous state).
 */
class StructuralStreamingTest {

    private static List<StructuralModel> models() {
        StructuralModel level = StructuralModel.localLevel(15099, 1469.1);
        StructuralModel trend = StructuralModel.localLinearTrend(1.5, 0.2, 0.05);
        return List.of(level, trend, level.withKnownInitialization(new double[] {3}, new double[][] {{10}}),
                trend.withKnownInitialization(new double[] {0, 1}, new double[][] {{4, 0.5}, {0.5, 2}}));
    }

    @Test
    void theStreamedSmootherIsTheInMemoryOneBitForBit() throws IOException {
        List<Path> before = SpilledKalmanTest.spills();
        for (StructuralModel model : models()) {
            for (int length : new int[] {3, 23, 64}) {
                // missing: step 1 (in the diffuse phase), 4, 7, 13, 20, ...
                Sequence s = SpilledKalmanTest.data(model.asLinearGaussian(), length);
                KalmanSmootherResult memory = model.smoothStates(s);
                for (int chunk : new int[] {1, 7, length}) {
                    for (boolean interleaved : new boolean[] {false, true}) {
                        SpilledKalmanTest.Collected got = new SpilledKalmanTest.Collected(interleaved);
                        double ll = model.smooth("s", SpilledKalmanTest.chunks(s, chunk), got);
                        String where = model + " T=" + length + " chunk=" + chunk + " interleaved=" + interleaved;
                        assertThat(ll).as(where).isEqualTo(memory.logLikelihood());
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
        assertThat(SpilledKalmanTest.spills()).isEqualTo(before);
    }

    @Test
    void anUnidentifiedDiffuseStartIsTheInMemoryError() {
        StructuralModel trend = StructuralModel.localLinearTrend(1.5, 0.2, 0.05);
        Sequence s = Sequence.of("short", 1, new double[] {1.0});
        String message = null;
        try {
            trend.smoothStates(s);
        } catch (DataException e) {
            message = e.getMessage();
        }
        assertThat(message).isNotNull();
        assertThatThrownBy(() -> trend.smooth("short", SpilledKalmanTest.chunks(s, 1),
                new SpilledKalmanTest.Collected(false))).isInstanceOf(DataException.class).hasMessage(message);
    }

    @Test
    void thereIsNoEStepAndNoPathToDecode() {
        StructuralModel level = StructuralModel.localLevel(1, 1);
        Sequence s = Sequence.of("s", 1, new double[] {1, 2, 3});
        assertThatThrownBy(() -> level.expectation("s", SpilledKalmanTest.chunks(s, 3), null))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("a local-level model is fitted by maximising its likelihood with a numerical optimiser, "
                        + "not by EM: it has no E-step");
        assertThatThrownBy(() -> level.decode("s", SpilledKalmanTest.chunks(s, 3), null))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("a local-level model's hidden state is continuous: it has no discrete hidden path to "
                        + "decode (smooth gives its smoothed means)");
    }
}
