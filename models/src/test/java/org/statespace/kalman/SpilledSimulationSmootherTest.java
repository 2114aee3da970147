package org.statespace.kalman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.statespace.kalman.SpilledKalmanTest.chunks;
import static org.statespace.kalman.SpilledKalmanTest.data;
import static org.statespace.kalman.SpilledKalmanTest.spills;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.statespace.capability.LongSequenceInference;
import org.statespace.capability.PosteriorDraws;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * The simulation smoother over a sequence read in chunks ({@link SpilledSimulationSmoother}) against the in-memory
 * one ({@link SimulationSmoother}, which holds the whole sequence and the simulated ones) given a generator in the
 * same state: the same draws bit for bit, for a model with inputs, offsets, correlated noises and partly missing
 * observations, and for a local linear trend with an exact diffuse start, with the sequence in chunks of 1, 7 and T
 * steps and spill blocks of 1, 7 and the default; draws handed over draw after draw in step order; no spill file left.
 */
class SpilledSimulationSmootherTest {
    private static final int DRAWS = 3;

    // the draws handed over, packed draw-major as PosteriorDraws packs them, their order checked
    static final class Collected implements LongSequenceInference.DrawnSteps {
        double[] values;
        int count;
        int length;
        int dimension;
        private int draw = -1;
        private int next;

        @Override
        public void begin(int count, int length, int dimension, boolean discrete) {
            assertThat(discrete).isFalse();
            this.count = count;
            this.length = length;
            this.dimension = dimension;
            values = new double[count * length * dimension];
        }

        @Override
        public void draw(int d) {
            assertThat(d).isEqualTo(draw + 1);
            assertThat(next).isEqualTo(draw < 0 ? 0 : length);
            draw = d;
            next = 0;
        }

        @Override
        public void step(int t, double[] v, int offset) {
            assertThat(t).isEqualTo(next++);
            System.arraycopy(v, offset, values, (draw * length + t) * dimension, dimension);
        }

        double[] done() {
            assertThat(draw).isEqualTo(count - 1);
            assertThat(next).isEqualTo(length);
            return values;
        }
    }

    static double[] packed(PosteriorDraws x) {
        double[] v = new double[x.count() * x.length() * x.dimension()];
        for (int d = 0; d < x.count(); d++) {
            for (int t = 0; t < x.length(); t++) {
                for (int i = 0; i < x.dimension(); i++) {
                    v[(d * x.length() + t) * x.dimension() + i] = x.value(d, t, i);
                }
            }
        }
        return v;
    }

    @Test
    void drawsEqualTheInMemoryDrawsBitForBit() throws IOException {
        List<Path> before = spills();
        for (LinearGaussianModel model : List.of(SpilledKalmanTest.INPUTS, SpilledKalmanTest.DIFFUSE)) {
            int length = 61;
            Sequence s = data(model, length);
            double[] expected = packed(model.samplePosterior(s, DRAWS, Randoms.stream(5, 0)));
            for (int chunk : new int[] {1, 7, length}) {
                for (int block : new int[] {1, 7, 0}) {
                    Collected got = new Collected();
                    double ll = SpilledSimulationSmoother.sample(model, "s", chunks(s, chunk), DRAWS,
                            Randoms.stream(5, 0), got, block);
                    assertThat(got.done()).as("chunk %d block %d", chunk, block).containsExactly(expected);
                    assertThat(got.dimension).isEqualTo(model.n);
                    assertThat(ll).isEqualTo(model.smooth("s", chunks(s, length), new SpilledKalmanTest.Collected(false)));
                }
            }
            assertThat(model.streamsPosteriorDraws()).isTrue();
            Collected viaModel = new Collected();
            model.samplePosterior("s", chunks(s, 10), DRAWS, Randoms.stream(5, 0), viaModel);
            assertThat(viaModel.done()).containsExactly(expected);
        }
        assertThat(spills()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void aStructuralModelDrawsAsInMemory() {
        StructuralModel trend = StructuralModel.localLinearTrend(1.5, 0.2, 0.05);
        Sequence s = data(trend.asLinearGaussian(), 40);
        double[] expected = packed(trend.samplePosterior(s, DRAWS, Randoms.stream(9, 2)));
        Collected got = new Collected();
        trend.samplePosterior("s", chunks(s, 7), DRAWS, Randoms.stream(9, 2), got);
        assertThat(got.done()).containsExactly(expected);
    }
}
