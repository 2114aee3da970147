package org.statespace.nonlinear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.hipparchus.CalculusFieldElement;
import org.junit.jupiter.api.Test;

import org.statespace.capability.LongSequenceInference;
import org.statespace.capability.StateEstimates;
import org.statespace.capability.Track;
import org.statespace.data.Sequence;

/**
 * The spilled smoothers and E-step of a non-linear model ({@link SpilledNonlinear}) against the in-memory
 * {@link Smoothers} and {@link GaussianEm} (the independent reference: they hold the whole sequence): the same
 * smoothed tracks, statistics and log-likelihood bit for bit, for the extended, unscented and particle filters, with
 * the sequence handed over in windows of 1, 7 and T steps (indexed by their step in the whole sequence, as the
 * reader's chunks) and spill blocks of 1, 7 and T steps, so every chunk and block boundary is crossed; over a linear
 * system with whole and partly missing steps, the growth model (whose f depends on the step t) and a system with an
 * input and a missing step. The spill file is gone afterwards.
 */
class SpilledNonlinearTest {

    // n = 2, m = 1, p = 1: f(x, u, t) = (0.8 x0 + 0.3 sin x1 + u_t, 0.6 x1 + 0.2 cos(0.3 t)), h = x0 + 0.1 x1²
    static NonlinearSystem withInput() {
        FieldFunction f = new FieldFunction() {
            @Override
            public <T extends CalculusFieldElement<T>> void apply(T[] x, Sequence inputs, int t, T[] out) {
                out[0] = x[0].multiply(0.8).add(x[1].sin().multiply(0.3)).add(inputs.input(t, 0));
                out[1] = x[1].multiply(0.6).add(0.2 * Math.cos(0.3 * t));
            }
        };
        FieldFunction h = new FieldFunction() {
            @Override
            public <T extends CalculusFieldElement<T>> void apply(T[] x, Sequence inputs, int t, T[] out) {
                out[0] = x[0].add(x[1].square().multiply(0.1));
            }
        };
        return NonlinearSystem.of(1, AutoDiff.of(2, 2, f), AutoDiff.of(2, 1, h), new double[][] {{0.2, 0.05}, {0.05, 0.1}},
                new double[][] {{0.5}}, new double[] {0, 0.5}, new double[][] {{1, 0}, {0, 2}});
    }

    static Sequence inputData(int length) {
        Random r = new Random(3);
        double[] u = new double[length];
        for (int t = 0; t < length; t++) {
            u[t] = Math.sin(t / 4.0) + 0.2 * r.nextGaussian();
        }
        Sequence inputs = Sequence.of("u", 1, new double[length]).withInputs(1, u);
        Sequence s = withInput().sample("in", length, inputs, org.statespace.numeric.Randoms.seeded(9));
        double[] y = s.observations();
        y[4] = Double.NaN;
        return Sequence.of("in", 1, y).withInputs(1, u);
    }

    static Sequence growthData(int length) {
        Sequence s = BuiltinModel.GROWTH.defaultSystem().sample("g", length, null,
                org.statespace.numeric.Randoms.seeded(4));
        double[] y = s.observations();
        y[6] = Double.NaN;
        return Sequence.of("g", 1, y);
    }

    record Case(String name, NonlinearModel model, Sequence data) {
    }

    static List<Case> cases(boolean particles) {
        List<Case> out = new ArrayList<>();
        NonlinearOptions small = NonlinearOptions.defaults().withParticles(60).withSmootherDraws(15).withSeed(7);
        for (NonlinearFilter f : NonlinearFilter.values()) {
            if (f == NonlinearFilter.PARTICLE && !particles) {
                continue;
            }
            out.add(new Case("linear " + f, NonlinearModel.of(LinearModels.system(), f, small), LinearModels.series(3, 40)));
            out.add(new Case("growth " + f, NonlinearModel.builtin(BuiltinModel.GROWTH, f).withFilter(f, small),
                    growthData(30)));
            out.add(new Case("input " + f, NonlinearModel.of(withInput(), f, small), inputData(25)));
        }
        return out;
    }

    // the sequence in windows of `size` steps, each holding only its own steps, indexed by step in the whole
    static LongSequenceInference.Chunks chunks(Sequence s, int size) {
        int[] end = {0};
        int m = s.dimension();
        int p = s.inputDimension();
        return () -> {
            if (end[0] >= s.length()) {
                return null;
            }
            int from = end[0];
            end[0] = Math.min(s.length(), from + size);
            return Sequence.windowOf(s.id(), from, m, Arrays.copyOfRange(s.observations(), from * m, end[0] * m), p,
                    Arrays.copyOfRange(s.inputs(), from * p, end[0] * p));
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
        final List<int[]> shapes = new ArrayList<>();
        final List<double[]> values = new ArrayList<>();
        double logLikelihood;
        private int next;

        Collected(boolean interleaved) {
            this.interleaved = interleaved;
        }

        @Override
        public void begin(String track, int width, double logLikelihood, int length) {
            throw new AssertionError("a model gives the shape");
        }

        @Override
        public void begin(String track, int[] shape, double logLikelihood, int length) {
            int width = 1;
            for (int d : shape) {
                width *= d;
            }
            names.add(track);
            shapes.add(shape.clone());
            values.add(new double[width * length]);
            this.logLikelihood = logLikelihood;
        }

        @Override
        public void step(int t, double[] v, int offset) {
            int k = interleaved ? next++ % names.size() : names.size() - 1;
            System.arraycopy(v, offset, values.get(k), t * width(k), width(k));
        }

        private int width(int k) {
            int width = 1;
            for (int d : shapes.get(k)) {
                width *= d;
            }
            return width;
        }

        @Override
        public boolean interleaved() {
            return interleaved;
        }
    }

    @Test
    void theSpilledSmoothersAreTheInMemoryOnesBitForBit() throws IOException {
        List<Path> before = spills();
        for (Case c : cases(true)) {
            Sequence s = c.data();
            int length = s.length();
            StateEstimates memory = c.model().smoothStates(s);
            List<Track> tracks = memory.tracks();
            assertThat(tracks).extracting(Track::name).containsExactly("smoothedMeans", "smoothedCovariances");
            for (int chunk : new int[] {1, 7, length}) {
                for (int block : new int[] {1, 7, length}) {
                    for (boolean interleaved : new boolean[] {false, true}) {
                        Collected got = new Collected(interleaved);
                        double ll = new SpilledNonlinear(c.model(), block).smooth(s.id(), chunks(s, chunk), got);
                        String where = c.name() + " chunk=" + chunk + " block=" + block + " interleaved=" + interleaved;
                        assertThat(ll).as(where).isEqualTo(memory.logLikelihood());
                        assertThat(got.logLikelihood).as(where).isEqualTo(memory.logLikelihood());
                        assertThat(got.names).as(where).containsExactly("smoothedMeans", "smoothedCovariances");
                        for (int k = 0; k < 2; k++) {
                            assertThat(got.shapes.get(k)).as(where).containsExactly(tracks.get(k).shape());
                            assertThat(got.values.get(k)).as(where + " " + got.names.get(k))
                                    .containsExactly(tracks.get(k).values());
                        }
                    }
                }
            }
            // and through the capability, with the default block
            Collected viaModel = new Collected(true);
            c.model().smooth(s.id(), chunks(s, 7), viaModel);
            assertThat(viaModel.values.get(0)).as(c.name()).containsExactly(tracks.get(0).values());
        }
        assertThat(spills()).isEqualTo(before);
    }

    @Test
    void theSpilledEStepIsTheInMemoryOneBitForBit() throws IOException {
        List<Path> before = spills();
        for (Case c : cases(false)) {
            assertThat(c.model()).as(c.name()).isInstanceOf(NonlinearModel.WithExpectationMaximization.class);
            NonlinearModel.WithExpectationMaximization model = (NonlinearModel.WithExpectationMaximization) c.model();
            Sequence s = c.data();
            int length = s.length();
            GaussianEm.Statistics memory = (GaussianEm.Statistics) model.newStatistics();
            double expected = model.expectation(s, memory);
            for (int chunk : new int[] {1, 7, length}) {
                for (int block : new int[] {1, 7, length}) {
                    GaussianEm.Statistics spilled = (GaussianEm.Statistics) model.newStatistics();
                    double ll = new SpilledNonlinear(model, block).expectation(s.id(), chunks(s, chunk), spilled);
                    String where = c.name() + " chunk=" + chunk + " block=" + block;
                    assertThat(ll).as(where).isEqualTo(expected);
                    assertSame(spilled, memory, where);
                }
            }
            GaussianEm.Statistics viaModel = (GaussianEm.Statistics) model.newStatistics();
            model.expectation(s.id(), chunks(s, 7), viaModel);
            assertSame(viaModel, memory, c.name() + " through the capability");
        }
        assertThat(spills()).isEqualTo(before);
    }

    private static void assertSame(GaussianEm.Statistics a, GaussianEm.Statistics b, String where) {
        assertThat(a.process).as(where + " process").containsExactly(b.process);
        assertThat(a.observation).as(where + " observation").containsExactly(b.observation);
        assertThat(a.initialSum).as(where + " initialSum").containsExactly(b.initialSum);
        assertThat(a.initialSecond).as(where + " initialSecond").containsExactly(b.initialSecond);
        assertThat(new double[] {a.transitions, a.observed, a.sequences, a.logLikelihood}).as(where + " counts")
                .containsExactly(b.transitions, b.observed, b.sequences, b.logLikelihood);
        assertThat(a.transitions).as(where).isPositive();
    }

    @Test
    void aModelWithoutEmHasNoEStepAndNoModelHasADiscretePath() {
        NonlinearModel particle = NonlinearModel.builtin(BuiltinModel.GROWTH, NonlinearFilter.PARTICLE);
        assertThat(particle.streamsLongSequences()).isTrue();
        Sequence s = growthData(10);
        assertThatThrownBy(() -> particle.expectation("g", chunks(s, 2),
                new GaussianEm.Statistics(1, 1))).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("not by EM");
        assertThatThrownBy(() -> particle.decode("g", chunks(s, 2), null))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("no discrete hidden path");
    }

    @Test
    void anEmptySequenceHasNoSteps() {
        for (NonlinearFilter f : NonlinearFilter.values()) {
            NonlinearModel model = NonlinearModel.builtin(BuiltinModel.GROWTH, f);
            Collected got = new Collected(true);
            double ll = model.smooth("e", () -> null, got);
            assertThat(ll).as(f.jsonName()).isZero();
            assertThat(got.values).allSatisfy(v -> assertThat(v).isEmpty());
        }
    }
}
