package org.statespace.hsmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.NumericalException;
import org.statespace.capability.DecodedPath;
import org.statespace.capability.LongSequenceInference;
import org.statespace.capability.SufficientStatistics;
import org.statespace.data.DatasetCsv;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceReader;
import org.statespace.hmm.CategoricalEmission;
import org.statespace.numeric.Randoms;

/**
 * The spilled kernels of an explicit-duration HMM ({@link SpilledSemiMarkov}) against the in-memory ones
 * ({@link SemiMarkovKernels}, the reference): E-step statistics and log-likelihood, smoothed posteriors and the
 * Viterbi path with its log-probability equal bit for bit, over a file read in chunks of 1, 7 and T steps (each
 * chunk a window of the sequence, as the command line reads it) and with blocks of 1, 3 and the default number of
 * steps, so every chunk and block boundary is crossed; a fifth of the steps missing; Gaussian and Poisson
 * emissions with truncated, table and geometric durations. The spill file is gone afterwards, also after an error.
 */
class SpilledSemiMarkovTest {
    @TempDir
    Path dir;

    private static List<HiddenSemiMarkovModel> models() {
        return List.of(
                HsmmTestModels.random(Randoms.stream(3, 0), 3, 9, HsmmTestModels.Emissions.GAUSSIAN,
                        "negative-binomial", "table", "geometric"),
                HsmmTestModels.random(Randoms.stream(3, 1), 2, 6, HsmmTestModels.Emissions.POISSON,
                        "poisson", "negative-binomial"));
    }

    // the sequence as a CSV file (t, y; NA for a missing step), read back whole to be sure of its numbers
    private Path csv(HiddenSemiMarkovModel model, Sequence s) {
        StringBuilder b = new StringBuilder("t,y\n");
        boolean counts = model.emissionModel() instanceof org.statespace.hmm.PoissonEmission;
        for (int t = 0; t < s.length(); t++) {
            double y = s.value(t, 0);
            b.append(t).append(',').append(Double.isNaN(y) ? "NA" : counts ? Long.toString((long) y)
                    : Double.toString(y)).append('\n');
        }
        try {
            return Files.writeString(dir.resolve("s" + s.length() + ".csv"), b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // one sequence of the file in chunks of chunkSteps new steps, handed to the kernel
    private static <T> T chunked(HiddenSemiMarkovModel model, Path file, int chunkSteps,
            java.util.function.Function<LongSequenceInference.Chunks, T> run) {
        try (SequenceReader r = SequenceReader.open(file, model.observationSpace(), DatasetCsv.Columns.byConvention(),
                chunkSteps)) {
            assertThat(r.nextSequence()).isTrue();
            return run.apply(r::nextChunk);
        }
    }

    private static Sequence data(HiddenSemiMarkovModel model, int length) {
        return HsmmTestModels.withGaps(model, "s", length, Randoms.stream(11, length));
    }

    static List<Path> spills() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("statespace-spill-")).toList();
        }
    }

    @Test
    void statisticsAndLogLikelihoodEqualTheInMemoryEStepBitForBit() throws IOException {
        List<Path> before = spills();
        for (HiddenSemiMarkovModel model : models()) {
            for (int length : new int[] {1, 2, 61, 300}) {
                Sequence s = data(model, length);
                Path file = csv(model, s);
                SufficientStatistics memory = model.newStatistics();
                double expected = model.expectation(s, memory);
                for (int chunk : new int[] {1, 7, length}) {
                    for (int block : new int[] {1, 3, 0}) {
                        SufficientStatistics spilled = model.newStatistics();
                        double ll = chunked(model, file, chunk, c -> new SpilledSemiMarkov(model, block)
                                .expectation("s", c, (SemiMarkovStatistics) spilled));
                        String what = "T=" + length + " chunk=" + chunk + " block=" + block;
                        assertThat(ll).as(what).isEqualTo(expected);
                        assertThat(spilled.toArray()).as(what).containsExactly(memory.toArray());
                    }
                }
                // through the model's own entry point
                SufficientStatistics viaModel = model.newStatistics();
                double viaModelLl = chunked(model, file, 7, c -> model.expectation("s", c, viaModel));
                assertThat(viaModelLl).isEqualTo(expected);
                assertThat(viaModel.toArray()).containsExactly(memory.toArray());
            }
        }
        assertThat(spills()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void posteriorsEqualTheInMemorySmootherInStepOrder() {
        for (HiddenSemiMarkovModel model : models()) {
            int length = 203;
            int k = model.stateCount();
            Sequence s = data(model, length);
            Path file = csv(model, s);
            SemiMarkovKernels kernels = model.kernels();
            double expected = kernels.smooth(s);
            double[] posterior = kernels.posteriorProbabilities();
            for (int chunk : new int[] {1, 7, length}) {
                for (int block : new int[] {1, 7, 0}) {
                    List<Integer> steps = new ArrayList<>();
                    double[] got = new double[posterior.length];
                    double[] ll = new double[1];
                    LongSequenceInference.SmoothedSteps out = new LongSequenceInference.SmoothedSteps() {
                        @Override
                        public void begin(String track, int width, double logLikelihood, int n) {
                            assertThat(track).isEqualTo("posteriorProbabilities");
                            assertThat(width).isEqualTo(k);
                            assertThat(n).isEqualTo(length);
                            ll[0] = logLikelihood;
                        }

                        @Override
                        public void step(int t, double[] values, int offset) {
                            steps.add(t);
                            System.arraycopy(values, offset, got, t * k, k);
                        }
                    };
                    double returned = chunked(model, file, chunk,
                            c -> block == 0 ? model.smooth("s", c, out) : new SpilledSemiMarkov(model, block).smooth("s", c, out));
                    String what = "chunk=" + chunk + " block=" + block;
                    assertThat(returned).as(what).isEqualTo(expected);
                    assertThat(ll[0]).as(what).isEqualTo(expected);
                    assertThat(steps).as(what).hasSize(length).isSorted();
                    assertThat(got).as(what).containsExactly(posterior);
                }
            }
        }
    }

    @Test
    void viterbiPathEqualsTheInMemoryDecoderInStepOrder() throws IOException {
        List<Path> before = spills();
        for (HiddenSemiMarkovModel model : models()) {
            for (int length : new int[] {1, 257}) {
                Sequence s = data(model, length);
                Path file = csv(model, s);
                DecodedPath expected = model.kernels().viterbi(s);
                for (int chunk : new int[] {1, 7, length}) {
                    for (int block : new int[] {1, 3, 0}) {
                        int[] path = new int[length];
                        List<Integer> steps = new ArrayList<>();
                        double[] begun = new double[1];
                        LongSequenceInference.DecodedSteps out = new LongSequenceInference.DecodedSteps() {
                            @Override
                            public void begin(double logProbability, int n) {
                                assertThat(n).isEqualTo(length);
                                begun[0] = logProbability;
                            }

                            @Override
                            public void step(int t, int state) {
                                steps.add(t);
                                path[t] = state;
                            }
                        };
                        double lp = chunked(model, file, chunk, c -> block == 0 ? model.decode("s", c, out)
                                : new SpilledSemiMarkov(model, block).decode("s", c, out));
                        String what = "T=" + length + " chunk=" + chunk + " block=" + block;
                        assertThat(lp).as(what).isEqualTo(expected.logProbability());
                        assertThat(begun[0]).as(what).isEqualTo(expected.logProbability());
                        assertThat(steps).as(what).hasSize(length).isSorted();
                        assertThat(path).as(what).containsExactly(expected.path());
                    }
                }
            }
        }
        assertThat(spills()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void anImpossibleObservationNamesTheStepAndLeavesNoSpill() throws IOException {
        // state 0 emits only a, state 1 only b, and a segment of state 0 lasts exactly 2 steps: a a b a b is
        // impossible at step 3 (state 1 must last 2 steps too)
        HiddenSemiMarkovModel model = HiddenSemiMarkovModel.of(List.of(), new double[] {1, 0},
                new double[][] {{0, 1}, {1, 0}}, List.of(new Duration.Table(new double[] {0, 1}),
                        new Duration.Table(new double[] {0, 1})), 2,
                CategoricalEmission.of(new double[][] {{1, 0}, {0, 1}}));
        Sequence s = Sequence.ofSymbols("x", new int[] {0, 0, 1, 0, 1});
        assertThatThrownBy(() -> model.kernels().forward(s)).isInstanceOf(NumericalException.class)
                .hasMessageContaining("sequence 'x', step 3");
        List<Path> before = spills();
        LongSequenceInference.Chunks once = new LongSequenceInference.Chunks() {
            private boolean given;

            @Override
            public Sequence next() {
                if (given) {
                    return null;
                }
                given = true;
                return s;
            }
        };
        assertThatThrownBy(() -> new SpilledSemiMarkov(model, 2).expectation("x", once,
                (SemiMarkovStatistics) model.newStatistics()))
                .isInstanceOf(NumericalException.class).hasMessageContaining("sequence 'x', step 3");
        assertThat(spills()).containsExactlyInAnyOrderElementsOf(before);
    }
}
