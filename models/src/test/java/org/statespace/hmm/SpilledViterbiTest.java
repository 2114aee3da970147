package org.statespace.hmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.statespace.NumericalException;
import org.statespace.capability.DecodedPath;
import org.statespace.capability.LongSequenceInference;
import org.statespace.data.Sequence;

/**
 * The spilled Viterbi path against the in-memory {@link ForwardBackward#viterbi}: the same path and log-probability,
 * with blocks of a few steps so that the trace back crosses every block boundary; an impossible observation names
 * the step.
 */
class SpilledViterbiTest {

    private static DecodedPath spilled(HiddenMarkovModel m, Sequence s, int block) {
        List<Integer> path = new ArrayList<>();
        double[] logProbability = new double[1];
        double returned = new SpilledViterbi(m, block).decode(s.id(), SpilledForwardBackwardTest.once(s),
                new LongSequenceInference.DecodedSteps() {
                    @Override
                    public void begin(double lp, int length) {
                        logProbability[0] = lp;
                        assertThat(length).isEqualTo(s.length());
                    }

                    @Override
                    public void step(int t, int state) {
                        assertThat(t).isEqualTo(path.size());
                        path.add(state);
                    }
                });
        assertThat(returned).isEqualTo(logProbability[0]);
        return new DecodedPath(path.stream().mapToInt(Integer::intValue).toArray(), returned);
    }

    @Test
    void thePathIsTheInMemoryOne() {
        for (HiddenMarkovModel m : List.of(SpilledForwardBackwardTest.GAUSSIAN, SpilledForwardBackwardTest.CATEGORICAL)) {
            for (int length : new int[] {1, 2, 57, 400}) {
                Sequence s = SpilledForwardBackwardTest.data(m, length);
                DecodedPath expected = m.forwardBackward().viterbi(s);
                for (int block : new int[] {1, 3, 16, 0}) {
                    DecodedPath got = spilled(m, s, block);
                    assertThat(got.path()).as("T=%d block=%d", length, block).containsExactly(expected.path());
                    assertThat(got.logProbability()).isEqualTo(expected.logProbability());
                }
            }
        }
    }

    @Test
    void anImpossibleObservationNamesTheStep() {
        HiddenMarkovModel m = SpilledForwardBackwardTest.model("""
                {"type": "hmm", "initial": [1, 0], "transition": [[1, 0], [0, 1]],
                 "emission": {"type": "categorical", "symbols": ["a", "b"], "probabilities": [[1, 0], [0, 1]]}}""");
        Sequence s = Sequence.ofSymbols("x", new int[] {0, 0, 1, 0});
        assertThatThrownBy(() -> spilled(m, s, 2)).isInstanceOf(NumericalException.class)
                .hasMessageContaining("sequence 'x', step 2");
    }
}
