package org.statespace.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.statespace.capability.ShardedGradient;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * The pieces a cluster computes a batch's gradient from ({@link ShardedGradient}) and an RNN's end-of-epoch
 * re-estimation from per-sequence sums ({@link org.statespace.capability.SummedRefit}).
 */
class ShardedGradientTest {

    private static RnnModel model() {
        return RnnFixtures.model(2, Head.of(Head.Type.LINEAR, 1), List.of(), 17, Layer.of(Cell.GRU, 3));
    }

    @Test
    void aBatchIsSortedLongestFirstAndDealtRoundRobin() {
        RnnGradient g = new RnnGradient(model(), new RnnFitSettings(RnnFitSettings.Loss.DEFAULT, 0, 0, 2));
        // lengths by position: 3, 7, 7, 2, 5 -> longest first (ties in batch order): 1, 2, 4, 0, 3;
        // ceil(5 / 2) = 3 shards take every third of them
        assertThat(g.shards(new int[] {3, 7, 7, 2, 5})).isDeepEqualTo(new int[][] {{1, 0}, {2, 3}, {4}});
        assertThat(g.shards(new int[] {4})).isDeepEqualTo(new int[][] {{0}});
    }

    @Test
    void aShardsSumIsItsMeanLossTimesItsScoredStepsAndTheFinishedSumIsTheBatchGradient() {
        RnnModel model = model();
        List<Sequence> batch = RnnFixtures.batch(model.architecture(), Randoms.seeded(9), 0.2, 8, 5, 5, 3, 6);
        RnnFitSettings settings = new RnnFitSettings(RnnFitSettings.Loss.DEFAULT, 0, 0, 2);
        double[] theta = model.parameters();
        int n = theta.length;
        int[] lengths = batch.stream().mapToInt(Sequence::length).toArray();
        RnnGradient sharded = new RnnGradient(model, settings);
        double[] total = new double[n];
        double loss = 0;
        long scored = 0;
        for (int[] shard : sharded.shards(lengths)) {
            List<Sequence> rows = new ArrayList<>();
            long observed = 0;
            for (int i : shard) {
                rows.add(batch.get(i));
                observed += batch.get(i).observedSteps();
            }
            double[] g = new double[n];
            ShardedGradient.Sum sum = sharded.shardSum(theta, rows, g);
            assertThat(sum.scored()).isEqualTo(observed); // counted from the data
            // the shard alone as a batch: the mean, so the sum is the mean times the count
            double[] mean = new double[n];
            double meanLoss = new RnnGradient(model, settings).evaluate(theta, rows, mean);
            assertThat(sum.loss()).isCloseTo(meanLoss * observed, within(1e-12 * Math.abs(sum.loss())));
            for (int i = 0; i < n; i++) {
                assertThat(g[i]).isCloseTo(mean[i] * observed, within(1e-12 * Math.max(1, Math.abs(g[i]))));
                total[i] += g[i];
            }
            loss += sum.loss();
            scored += sum.scored();
        }
        double finished = sharded.finish(loss, scored, total);
        double[] whole = new double[n];
        double expected = new RnnGradient(model, settings).evaluate(theta, batch, whole);
        assertThat(finished).isEqualTo(expected);
        assertThat(total).isEqualTo(whole); // the same operations in the same order
    }

    @Test
    void theResidualVarianceFromSummedPerSequenceStatisticsIsTheOneFromTheWholeDataset() {
        RnnModel model = model();
        List<Sequence> sequences = RnnFixtures.batch(model.architecture(), Randoms.seeded(2), 0.1, 9, 4, 12);
        double[] summed = null;
        for (Sequence s : sequences) {
            double[] st = model.refitStatistics(s);
            assertThat(st).hasSize(2);
            assertThat(st[1]).isEqualTo(s.observedSteps()); // d = 1: the count of observed values
            if (summed == null) {
                summed = st;
            } else {
                summed[0] += st[0];
                summed[1] += st[1];
            }
        }
        double expected = model.withResidualVariance(Dataset.of(sequences)).headVariance()[0];
        assertThat(model.withRefit(summed).headVariance()[0]).isCloseTo(expected, within(1e-12 * expected));
        assertThat(expected).isNotEqualTo(model.headVariance()[0]);
    }
}
