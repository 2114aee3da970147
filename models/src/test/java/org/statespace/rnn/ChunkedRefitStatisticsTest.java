package org.statespace.rnn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.statespace.capability.SummedRefit;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;
import org.statespace.transform.StandardizedModel;

/**
 * A linear head's residual statistics added a chunk at a time ({@link SummedRefit#accumulator()}: the loop of a
 * sequence read from a file in chunks) against {@link SummedRefit#refitStatistics} of the whole sequence, the
 * independent reference: the same steps in the same order, so equal bit for bit for every chunk size.
 */
class ChunkedRefitStatisticsTest {
    private static final int LENGTH = 301;

    private static List<RnnModel> models() {
        return List.of(
                RnnFixtures.model(2, Head.of(Head.Type.LINEAR, 1), List.of(), 17, Layer.of(Cell.GRU, 3)),
                RnnFixtures.model(2, Head.of(Head.Type.LINEAR, 1), List.of(), 23, Layer.of(Cell.LSTM, 4),
                        Layer.of(Cell.GRU, 2)));
    }

    /**
     * The windows a reader gives: each holds {@code chunk} new steps and {@code history} steps before them
     * (fewer at the start), indexed by the step in the whole sequence.
     */
    private static double[] chunked(SummedRefit model, Sequence s, int chunk, int history) {
        SummedRefit.Accumulator a = model.accumulator();
        int d = s.dimension();
        int p = s.inputDimension();
        for (int from = 0; from < s.length(); from += chunk) {
            int to = Math.min(s.length(), from + chunk);
            int first = Math.max(0, from - history);
            double[] obs = Arrays.copyOfRange(s.observations(), first * d, to * d);
            double[] in = Arrays.copyOfRange(s.inputs(), first * p, to * p);
            a.add(Sequence.window(s.id(), first, to - first, d, obs, p, in), from);
        }
        return a.statistics();
    }

    @Test
    void theStatisticsOfChunksAreThoseOfTheWholeSequenceBitForBit() {
        for (RnnModel model : models()) {
            Sequence s = RnnFixtures.sequence(model.architecture(), "s", LENGTH, Randoms.seeded(4), 0.15);
            double[] whole = model.refitStatistics(s);
            assertThat(whole).hasSize(2);
            assertThat(whole[1]).isEqualTo(s.observedSteps());
            assertThat(whole[0]).isPositive();
            for (int chunk : new int[] {1, 7, LENGTH}) {
                assertThat(chunked(model, s, chunk, 1)).as("chunks of %d", chunk).containsExactly(whole);
                assertThat(chunked(model, s, chunk, 1024)).as("chunks of %d", chunk).containsExactly(whole);
            }
        }
    }

    @Test
    void aStandardisedNetworksChunksAreStandardisedAsTheWholeSequenceIs() {
        RnnModel inner = models().get(0);
        Sequence s = RnnFixtures.sequence(inner.architecture(), "s", LENGTH, Randoms.seeded(5), 0.1);
        // scales far from 1, so a chunk left unstandardised would not give the same sums
        double[] y = s.observations().clone();
        for (int i = 0; i < y.length; i++) {
            y[i] = 40 + 7 * y[i];
        }
        s = Sequence.of("s", 1, y).withInputs(s.inputDimension(), s.inputs());
        SummedRefit model = (SummedRefit) StandardizedModel.fromData(inner, Dataset.of(List.of(s)));
        double[] whole = model.refitStatistics(s);
        assertThat(whole[1]).isEqualTo(s.observedSteps());
        for (int chunk : new int[] {1, 7, LENGTH}) {
            assertThat(chunked(model, s, chunk, 1)).as("chunks of %d", chunk).containsExactly(whole);
        }
    }

    @Test
    void aHeadThatIsNotLinearHasNoStatistics() {
        RnnModel model = RnnFixtures.model(2, Head.of(Head.Type.GAUSSIAN, 1), List.of(), 3, Layer.of(Cell.GRU, 2));
        Sequence s = RnnFixtures.sequence(model.architecture(), "s", 20, Randoms.seeded(6), 0.1);
        assertThat(model.refitStatistics(s)).isEmpty();
        assertThat(chunked(model, s, 7, 1)).isEmpty();
    }
}
