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
                    assertThat(spilled.transitions.isSpilled()).as(what).isTrue();
                    assertThat(spilled.transitions.count()).as(what).isEqualTo(memory.transitions.count());
                    double[][] got = spilled.transitions.copy();
                    double[][] want = memory.transitions.copy();
                    assertThat(got[0]).as(what).containsExactly(want[0]);
                    assertThat(got[1]).as(what).containsExactly(want[1]);
                    assertThat(spilled.initialRows.copy()[0]).as(what).containsExactly(memory.initialRows.copy()[0]);
                    assertThat(spilled.initialRows.copy()[1]).as(what).containsExactly(memory.initialRows.copy()[1]);
                    spilled.release();
                    assertThat(spilled.initialCounts).as(what).containsExactly(memory.initialCounts);
                }
            }
        }
    }

    /**
     * A fit of several sequences whose E-step is spilled (each sequence's statistics merged into a total, its
     * transition rows in a spill file the M-step's logistic regressions read a block at a time) against the
     * in-memory E-step and M-step: the same model bit for bit ({@link InputOutputHmm#equals} compares every
     * coefficient exactly) over two EM iterations, with row blocks of 1 and 7 and the default, a sequence in
     * memory merged before and after the spilled ones; no spill file is left.
     */
    @Test
    void aFitOverSpilledStatisticsEqualsTheInMemoryFitBitForBit() throws IOException {
        List<Path> before = spills();
        List<InputOutputHmm> models = models();
        for (int mi = 0; mi < models.size(); mi++) {
            List<Sequence> data = List.of(data(mi), InputOutputHmmTest.data(Randoms.stream(24, mi), 31, 2, true),
                    InputOutputHmmTest.data(Randoms.stream(25, mi), 1, 2, true),
                    InputOutputHmmTest.data(Randoms.stream(26, mi), 17, 2, true));
            InputOutputHmm expected = models.get(mi);
            for (int iteration = 0; iteration < 2; iteration++) {
                InputOutputHmm.Statistics memory = (InputOutputHmm.Statistics) expected.newStatistics();
                for (Sequence s : data) { // a sequence's statistics merged into the total, as a fit over a file does
                    InputOutputHmm.Statistics one = (InputOutputHmm.Statistics) expected.newStatistics();
                    expected.expectation(s, one);
                    memory.merge(one);
                }
                expected = expected.maximization(memory, null);
            }
            assertThat(expected).isNotEqualTo(models.get(mi)); // the fit moved the model
            for (int block : BLOCKS) {
                InputOutputHmm m = models.get(mi);
                for (int iteration = 0; iteration < 2; iteration++) {
                    InputOutputHmm.Statistics total = (InputOutputHmm.Statistics) m.newStatistics();
                    try {
                        for (int i = 0; i < data.size(); i++) {
                            InputOutputHmm.Statistics one = (InputOutputHmm.Statistics) m.newStatistics();
                            try {
                                if (i == 2) { // one sequence by the in-memory E-step, after spilled rows
                                    m.expectation(data.get(i), one);
                                } else {
                                    new SpilledForwardBackward(m, scheduleOf(m), emissionOf(m), block).expectation(
                                            "s" + i, once(data.get(i)), one,
                                            m.regressionEmission().map(e -> e.lags).orElse(0), m.inputInitial);
                                }
                                total.merge(one);
                            } finally {
                                one.release();
                            }
                        }
                        assertThat(total.transitions.isSpilled()).isTrue();
                        m = m.maximization(total, null);
                    } finally {
                        total.release();
                    }
                }
                assertThat(m).as("model " + mi + " block " + block).isEqualTo(expected);
            }
        }
        assertThat(spills()).containsExactlyInAnyOrderElementsOf(before);
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
