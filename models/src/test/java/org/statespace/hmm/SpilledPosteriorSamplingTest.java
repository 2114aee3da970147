package org.statespace.hmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.statespace.hmm.SpilledForwardBackwardTest.spills;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import org.statespace.capability.LongSequenceInference;
import org.statespace.capability.PosteriorDraws;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * Forward-filter backward-sample over a sequence read in chunks ({@link SpilledForwardBackward#samplePosterior})
 * against the in-memory sampler ({@link ForwardBackward#samplePaths}, which holds the whole sequence) given a
 * generator in the same state: the same paths, state for state, for an HMM (Gaussian with missing components,
 * categorical) and input-output HMMs (input-driven transitions, a regression and an autoregressive emission), with
 * the sequence in chunks of 1, 7 and T steps and spill blocks of 1, 7 and the default; draws handed over draw after
 * draw in step order; no spill file left behind.
 */
class SpilledPosteriorSamplingTest {
    private static final int DRAWS = 3;

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

    /** The draws handed over, packed as {@link PosteriorDraws} packs them; checks their order. */
    static final class Collected implements LongSequenceInference.DrawnSteps {
        double[] values;
        int count;
        int length;
        int dimension;
        boolean discrete;
        private int draw = -1;
        private int next;

        @Override
        public void begin(int count, int length, int dimension, boolean discrete) {
            this.count = count;
            this.length = length;
            this.dimension = dimension;
            this.discrete = discrete;
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

        /** Every draw given, each whole. */
        Collected done() {
            assertThat(draw).isEqualTo(count - 1);
            assertThat(next).isEqualTo(length);
            return this;
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
    void hmmDrawsEqualTheInMemoryDraws() throws IOException {
        List<Path> before = spills();
        for (HiddenMarkovModel m : List.of(SpilledForwardBackwardTest.GAUSSIAN, SpilledForwardBackwardTest.CATEGORICAL)) {
            int length = 203;
            Sequence s = SpilledForwardBackwardTest.data(m, length);
            double[] expected = packed(m.samplePosterior(s, DRAWS, Randoms.stream(5, 0)));
            for (int chunk : new int[] {1, 7, length}) {
                for (int block : new int[] {1, 7, 0}) {
                    Collected got = new Collected();
                    double ll = new SpilledForwardBackward(m, block).samplePosterior("s", chunks(s, chunk), DRAWS,
                            Randoms.stream(5, 0), got);
                    got.done();
                    assertThat(got.discrete).isTrue();
                    assertThat(got.length).isEqualTo(length);
                    assertThat(got.values).as("chunk %d block %d", chunk, block).containsExactly(expected);
                    assertThat(ll).isEqualTo(m.forwardBackward().smooth(s));
                }
            }
            // through the capability, as the command line calls it
            assertThat(m.streamsPosteriorDraws()).isTrue();
            Collected viaModel = new Collected();
            m.samplePosterior("s", chunks(s, 64), DRAWS, Randoms.stream(5, 0), viaModel);
            assertThat(viaModel.done().values).containsExactly(expected);
        }
        assertThat(spills()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void inputOutputHmmDrawsEqualTheInMemoryDraws() {
        RandomGenerator r = Randoms.stream(21, 0);
        List<InputOutputHmm> models = List.of(InputOutputHmmTest.random(r, 3, 2, false, "gaussian"),
                InputOutputHmmTest.random(r, 2, 2, true, "regression"),
                InputOutputHmmTest.random(r, 3, 2, true, "ar"));
        int length = 53;
        for (int mi = 0; mi < models.size(); mi++) {
            InputOutputHmm m = models.get(mi);
            Sequence s = InputOutputHmmTest.data(Randoms.stream(22, mi), length, 2, true);
            double[] expected = packed(m.samplePosterior(s, DRAWS, Randoms.stream(5, 1)));
            for (int chunk : new int[] {1, 7, length}) {
                for (int block : new int[] {1, 7, 0}) {
                    Collected got = new Collected();
                    new SpilledForwardBackward(m, m.schedule(), m.newEmissionWorkspace(), block).samplePosterior("s",
                            chunks(s, chunk), DRAWS, Randoms.stream(5, 1), got);
                    assertThat(got.done().values).as("model %d chunk %d block %d", mi, chunk, block)
                            .containsExactly(expected);
                }
            }
            Collected viaModel = new Collected();
            m.samplePosterior("s", chunks(s, 10), DRAWS, Randoms.stream(5, 1), viaModel);
            assertThat(viaModel.done().values).containsExactly(expected);
        }
    }

    @Test
    void anEmptySequenceGivesEmptyDraws() {
        Collected got = new Collected();
        SpilledForwardBackwardTest.GAUSSIAN.samplePosterior("e", () -> null, 2, Randoms.stream(5, 0), got);
        assertThat(got.done().length).isZero();
        assertThat(got.count).isEqualTo(2);
    }
}
