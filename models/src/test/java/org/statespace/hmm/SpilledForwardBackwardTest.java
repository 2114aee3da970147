package org.statespace.hmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.statespace.NumericalException;
import org.statespace.capability.LongSequenceInference;
import org.statespace.capability.SufficientStatistics;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * The spilled E-step and smoother against the in-memory {@link ForwardBackward} (the independent implementation):
 * the same statistics and posteriors bit for bit, with blocks of a few steps so that every block boundary of the
 * backward pass is crossed, missing steps and partly missing vectors included; the spill file is gone afterwards,
 * also after an error.
 */
class SpilledForwardBackwardTest {

    static HiddenMarkovModel model(String json) {
        try {
            return (HiddenMarkovModel) ModelSpecs.read(Json.mapper().readTree(json), "test");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static final HiddenMarkovModel GAUSSIAN = model("""
            {"type": "hmm", "initial": [0.6, 0.3, 0.1],
             "transition": [[0.8, 0.15, 0.05], [0.1, 0.7, 0.2], [0.25, 0.25, 0.5]],
             "emission": {"type": "gaussian", "covarianceType": "full", "means": [[-1, 0], [0, 1], [2, -1]],
               "covariances": [[[1, 0.3], [0.3, 1]], [[0.5, 0], [0, 2]], [[1.5, -0.2], [-0.2, 0.7]]]}}""");

    static final HiddenMarkovModel CATEGORICAL = model("""
            {"type": "hmm", "initial": [0.5, 0.5], "transition": [[0.9, 0.1], [0.2, 0.8]],
             "emission": {"type": "categorical", "symbols": ["a", "b", "c"],
               "probabilities": [[0.6, 0.3, 0.1], [0.1, 0.2, 0.7]]}}""");

    // a sampled sequence with some steps missing and (for vectors) some components missing
    static Sequence data(HiddenMarkovModel m, int length) {
        Sequence s = m.sampleWithStates("s", length, null, Randoms.stream(7, 0));
        double[] y = s.observations();
        int d = s.dimension();
        for (int t = 3; t < length; t += 11) {
            y[t * d] = Double.NaN;
            if (d > 1 && t % 2 == 0) {
                y[t * d + 1] = Double.NaN;
            }
        }
        return Sequence.of("s", d, y);
    }

    static LongSequenceInference.Chunks once(Sequence s) {
        boolean[] given = {false};
        return () -> {
            if (given[0]) {
                return null;
            }
            given[0] = true;
            return s;
        };
    }

    static List<Path> spills() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("statespace-spill-")).toList();
        }
    }

    @Test
    void statisticsEqualTheInMemoryEStepBitForBit() throws IOException {
        List<Path> before = spills();
        for (HiddenMarkovModel m : List.of(GAUSSIAN, CATEGORICAL)) {
            for (int length : new int[] {1, 2, 5, 100, 257}) {
                Sequence s = data(m, length);
                SufficientStatistics memory = m.newStatistics();
                double expected = m.expectation(s, memory);
                for (int block : new int[] {1, 3, 16, 0}) {
                    SufficientStatistics spilled = m.newStatistics();
                    double ll = new SpilledForwardBackward(m, block).expectation("s", once(s), (HmmStatistics) spilled);
                    assertThat(ll).as("T=%d block=%d", length, block).isEqualTo(expected);
                    assertThat(spilled.toArray()).as("T=%d block=%d", length, block).containsExactly(memory.toArray());
                }
            }
        }
        assertThat(spills()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void posteriorsEqualTheInMemorySmootherInStepOrder() {
        for (HiddenMarkovModel m : List.of(GAUSSIAN, CATEGORICAL)) {
            Sequence s = data(m, 203);
            ForwardBackward fb = m.forwardBackward();
            double expected = fb.smooth(s);
            double[] posterior = fb.posteriorProbabilities();
            for (int block : new int[] {1, 7, 0}) {
                List<Integer> steps = new ArrayList<>();
                double[] got = new double[posterior.length];
                double[] ll = new double[1];
                double returned = new SpilledForwardBackward(m, block).smooth("s", once(s),
                        new LongSequenceInference.SmoothedSteps() {
                            @Override
                            public void begin(String track, int width, double logLikelihood, int length) {
                                assertThat(track).isEqualTo("posteriorProbabilities");
                                assertThat(width).isEqualTo(m.stateCount());
                                assertThat(length).isEqualTo(203);
                                ll[0] = logLikelihood;
                            }

                            @Override
                            public void step(int t, double[] values, int offset) {
                                steps.add(t);
                                System.arraycopy(values, offset, got, t * m.stateCount(), m.stateCount());
                            }
                        });
                assertThat(returned).isEqualTo(expected);
                assertThat(ll[0]).isEqualTo(expected);
                assertThat(steps).hasSize(203).isSorted();
                assertThat(got).containsExactly(posterior);
            }
        }
    }

    @Test
    void anImpossibleObservationNamesTheStepAndLeavesNoSpill() throws IOException {
        HiddenMarkovModel m = model("""
                {"type": "hmm", "initial": [1, 0], "transition": [[1, 0], [0, 1]],
                 "emission": {"type": "categorical", "symbols": ["a", "b"], "probabilities": [[1, 0], [0, 1]]}}""");
        List<Path> before = spills();
        Sequence s = Sequence.ofSymbols("x", new int[] {0, 0, 0, 1, 0});
        assertThatThrownBy(() -> new SpilledForwardBackward(m, 2).expectation("x", once(s),
                (HmmStatistics) m.newStatistics()))
                .isInstanceOf(NumericalException.class).hasMessageContaining("sequence 'x', step 3");
        assertThat(spills()).containsExactlyInAnyOrderElementsOf(before);
    }
}
