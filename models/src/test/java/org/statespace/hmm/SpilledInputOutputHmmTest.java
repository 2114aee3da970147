package org.statespace.hmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.statespace.hmm.SpilledForwardBackwardTest.once;
import static org.statespace.hmm.SpilledForwardBackwardTest.spills;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import org.statespace.DataException;
import org.statespace.capability.DecodedPath;
import org.statespace.capability.LongSequenceInference;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * An input-output HMM's spilled kernels (its A_t from the inputs spilled with each step) against the in-memory
 * {@link ForwardBackward} with A_t in place of A (the independent implementation, itself checked against path
 * enumeration in {@link InputOutputHmmTest}): posteriors, the Viterbi path and its log-probability, and the E-step's
 * statistics bit for bit, with spill blocks of 1 and 7 steps and the default (the whole sequence in one block), for a
 * fixed and an input-driven start and Gaussian, regression and autoregressive emissions (whose lag crosses the
 * blocks), with missing observations; the spill file is gone afterwards.
 */
class SpilledInputOutputHmmTest {
    private static final int LENGTH = 53;
    private static final int[] BLOCKS = {1, 7, 0};

    private static List<InputOutputHmm> models() {
        RandomGenerator r = Randoms.stream(21, 0);
        return List.of(InputOutputHmmTest.random(r, 3, 2, false, "gaussian"),
                InputOutputHmmTest.random(r, 2, 2, true, "regression"),
                InputOutputHmmTest.random(r, 3, 2, true, "ar"));
    }

    private static Sequence data(int model) {
        return InputOutputHmmTest.data(Randoms.stream(22, model), LENGTH, 2, true);
    }

    @Test
    void posteriorsEqualTheInMemorySmootherBitForBit() throws IOException {
        List<Path> before = spills();
        List<InputOutputHmm> models = models();
        for (int mi = 0; mi < models.size(); mi++) {
            InputOutputHmm m = models.get(mi);
            Sequence s = data(mi);
            ForwardBackward fb = m.forwardBackward();
            double expected = fb.smooth(s);
            double[] posterior = fb.posteriorProbabilities();
            for (int block : BLOCKS) {
                int k = m.stateCount();
                double[] got = new double[posterior.length];
                List<Integer> steps = new ArrayList<>();
                double ll = new SpilledForwardBackward(m, scheduleOf(m), emissionOf(m), block).smooth("s", once(s),
                        new LongSequenceInference.SmoothedSteps() {
                            @Override
                            public void begin(String track, int width, double logLikelihood, int length) {
                                assertThat(width).isEqualTo(k);
                                assertThat(length).isEqualTo(LENGTH);
                            }

                            @Override
                            public void step(int t, double[] values, int offset) {
                                steps.add(t);
                                System.arraycopy(values, offset, got, t * k, k);
                            }
                        });
                assertThat(ll).as("model %d block %d", mi, block).isEqualTo(expected);
                assertThat(steps).hasSize(LENGTH).isSorted();
                assertThat(got).as("model %d block %d", mi, block).containsExactly(posterior);
            }
            // through the capability, as the command line calls it
            double[] viaModel = new double[posterior.length];
            m.smooth("s", once(s), new LongSequenceInference.SmoothedSteps() {
                @Override
                public void begin(String track, int width, double logLikelihood, int length) {
                }

                @Override
                public void step(int t, double[] values, int offset) {
                    System.arraycopy(values, offset, viaModel, t * m.stateCount(), m.stateCount());
                }
            });
            assertThat(viaModel).containsExactly(posterior);
        }
        assertThat(spills()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void theViterbiPathEqualsTheInMemoryOne() {
        List<InputOutputHmm> models = models();
        for (int mi = 0; mi < models.size(); mi++) {
            InputOutputHmm m = models.get(mi);
            Sequence s = data(mi);
            DecodedPath expected = m.forwardBackward().viterbi(s);
            for (int block : BLOCKS) {
                int[] path = new int[LENGTH];
                double logProbability = new SpilledViterbi(m, scheduleOf(m), emissionOf(m), block).decode("s", once(s),
                        new LongSequenceInference.DecodedSteps() {
                            @Override
                            public void begin(double lp, int length) {
                                assertThat(length).isEqualTo(LENGTH);
                            }

                            @Override
                            public void step(int t, int state) {
                                path[t] = state;
                            }
                        });
                assertThat(logProbability).as("model %d block %d", mi, block).isEqualTo(expected.logProbability());
                assertThat(path).as("model %d block %d", mi, block).containsExactly(expected.path());
            }
        }
    }

    @Test
    void theEStepEqualsTheInMemoryOneBitForBit() {
        List<InputOutputHmm> models = models();
        for (int mi = 0; mi < models.size(); mi++) {
            InputOutputHmm m = models.get(mi);
            for (int length : new int[] {1, 2, LENGTH}) {
                Sequence s = InputOutputHmmTest.data(Randoms.stream(23, mi), length, 2, true);
                Sequence other = data(mi);
                // a second sequence first, so the rows of this one go after existing rows
                InputOutputHmm.Statistics memory = (InputOutputHmm.Statistics) m.newStatistics();
                m.expectation(other, memory);
                double expected = m.expectation(s, memory);
                for (int block : BLOCKS) {
                    InputOutputHmm.Statistics spilled = (InputOutputHmm.Statistics) m.newStatistics();
                    m.expectation(other, spilled);
                    double ll = new SpilledForwardBackward(m, scheduleOf(m), emissionOf(m), block).expectation("s",
                            once(s), spilled, m.regressionEmission().map(e -> e.lags).orElse(0),
                            m.inputInitial);
                    String what = "model " + mi + " T=" + length + " block " + block;
                    assertThat(ll).as(what).isEqualTo(expected);
                    assertThat(spilled.emission.toArray()).as(what).containsExactly(memory.emission.toArray());
                    assertThat(spilled.logLikelihood).as(what).isEqualTo(memory.logLikelihood);
                    assertThat(spilled.transitionRows).isEqualTo(memory.transitionRows);
                    assertThat(java.util.Arrays.copyOf(spilled.transitionX, spilled.transitionRows * spilled.q))
                            .as(what).containsExactly(java.util.Arrays.copyOf(memory.transitionX, memory.transitionRows * memory.q));
                    assertThat(java.util.Arrays.copyOf(spilled.transitionY, spilled.transitionRows * m.stateCount() * m.stateCount()))
                            .as(what).containsExactly(java.util.Arrays.copyOf(memory.transitionY, memory.transitionRows * m.stateCount() * m.stateCount()));
                    assertThat(java.util.Arrays.copyOf(spilled.initialX, spilled.initialRows * spilled.q))
                            .as(what).containsExactly(java.util.Arrays.copyOf(memory.initialX, memory.initialRows * memory.q));
                    assertThat(spilled.initialCounts).as(what).containsExactly(memory.initialCounts);
                }
            }
        }
    }

    @Test
    void dataWithoutTheInputsIsOneErrorNamingThem() {
        InputOutputHmm m = models().get(0);
        Sequence bare = Sequence.ofScalars("x", new double[] {0.1, 0.2, 0.3});
        assertThatThrownBy(() -> m.smooth("x", once(bare), new LongSequenceInference.SmoothedSteps() {
            @Override
            public void begin(String track, int width, double logLikelihood, int length) {
            }

            @Override
            public void step(int t, double[] values, int offset) {
            }
        })).isInstanceOf(DataException.class).hasMessageContaining("sequence 'x'").hasMessageContaining("2 inputs");
    }

    private static InputOutputHmm.Schedule scheduleOf(InputOutputHmm m) {
        return m.schedule();
    }

    private static EmissionModel.Workspace emissionOf(InputOutputHmm m) {
        return m.newEmissionWorkspace();
    }
}
