package org.statespace.hsmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.statespace.capability.LongSequenceInference;
import org.statespace.capability.PosteriorDraws;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * Backward sampling over the expanded chain of an explicit-duration HMM read in chunks
 * ({@link SpilledSemiMarkov#samplePosterior}) against the in-memory sampler
 * ({@link HiddenSemiMarkovModel#samplePosterior(Sequence, int, java.util.random.RandomGenerator)}, which holds the
 * whole sequence's filter) given a generator in the same state: the same paths, state for state, for a Gaussian and
 * a Poisson emission with truncated, table and geometric durations and a fifth of the steps missing, the sequence in
 * chunks of 1, 7 and T steps and spill blocks of 1, 7 and the default; draws handed over draw after draw in step
 * order; the log-likelihood the in-memory filter's; no spill file left behind.
 */
class SpilledSemiMarkovSamplingTest {
    private static final int DRAWS = 3;

    private static List<HiddenSemiMarkovModel> models() {
        return List.of(
                HsmmTestModels.random(Randoms.stream(3, 0), 3, 9, HsmmTestModels.Emissions.GAUSSIAN,
                        "negative-binomial", "table", "geometric"),
                HsmmTestModels.random(Randoms.stream(3, 1), 2, 6, HsmmTestModels.Emissions.POISSON,
                        "poisson", "negative-binomial"));
    }

    // the sequence in chunks of `size` steps: growing prefixes, each read from where the last ended
    private static LongSequenceInference.Chunks chunks(Sequence s, int size) {
        int[] end = {0};
        return () -> {
            if (end[0] >= s.length()) {
                return null;
            }
            end[0] = Math.min(s.length(), end[0] + size);
            return s.slice(s.id(), 0, end[0]);
        };
    }

    /** The draws handed over, packed draw-major as {@link PosteriorDraws} packs them; checks their order. */
    private static final class Collected implements LongSequenceInference.DrawnSteps {
        int[] states;
        int count;
        int length;
        private int draw = -1;
        private int next;

        @Override
        public void begin(int count, int length, int dimension, boolean discrete) {
            assertThat(dimension).isEqualTo(1);
            assertThat(discrete).isTrue();
            this.count = count;
            this.length = length;
            states = new int[count * length];
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
            states[draw * length + t] = (int) v[offset];
            assertThat((double) states[draw * length + t]).isEqualTo(v[offset]);
        }

        Collected done() {
            assertThat(draw).isEqualTo(count - 1);
            assertThat(next).isEqualTo(length);
            return this;
        }
    }

    private static int[] packed(PosteriorDraws x) {
        int[] v = new int[x.count() * x.length()];
        for (int d = 0; d < x.count(); d++) {
            for (int t = 0; t < x.length(); t++) {
                v[d * x.length() + t] = x.state(d, t);
            }
        }
        return v;
    }

    @Test
    void drawsEqualTheInMemoryDrawsBitForBit() throws IOException {
        List<Path> before = SpilledSemiMarkovTest.spills();
        for (HiddenSemiMarkovModel model : models()) {
            for (int length : new int[] {1, 203}) {
                Sequence s = HsmmTestModels.withGaps(model, "s", length, Randoms.stream(11, length));
                int[] expected = packed(model.samplePosterior(s, DRAWS, Randoms.stream(5, 0)));
                double logLikelihood = model.kernels().forward(s);
                for (int chunk : new int[] {1, 7, length}) {
                    for (int block : new int[] {1, 7, 0}) {
                        Collected got = new Collected();
                        double ll = new SpilledSemiMarkov(model, block).samplePosterior("s", chunks(s, chunk), DRAWS,
                                Randoms.stream(5, 0), got);
                        String what = "T=" + length + " chunk=" + chunk + " block=" + block;
                        assertThat(got.done().length).as(what).isEqualTo(length);
                        assertThat(got.states).as(what).containsExactly(expected);
                        assertThat(ll).as(what).isEqualTo(logLikelihood);
                    }
                }
                // through the capability, as the command line calls it
                assertThat(model.streamsPosteriorDraws()).isTrue();
                Collected viaModel = new Collected();
                model.samplePosterior("s", chunks(s, 64), DRAWS, Randoms.stream(5, 0), viaModel);
                assertThat(viaModel.done().states).containsExactly(expected);
            }
        }
        assertThat(SpilledSemiMarkovTest.spills()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void anEmptySequenceGivesEmptyDraws() {
        Collected got = new Collected();
        models().get(0).samplePosterior("e", () -> null, 2, Randoms.stream(5, 0), got);
        assertThat(got.done().length).isZero();
        assertThat(got.count).isEqualTo(2);
    }
}
