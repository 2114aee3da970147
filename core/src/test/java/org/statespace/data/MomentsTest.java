package org.statespace.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** {@link Moments}: exact sums (checked with BigDecimal), the same bits for any split and order of the sequences. */
class MomentsTest {

    // sequences of two components on very different scales (so a naive sum loses digits), some values missing,
    // with one input
    private static List<Sequence> sequences(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Sequence> out = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            int length = 3 + r.nextInt(40);
            double[] y = new double[2 * length];
            double[] u = new double[length];
            for (int t = 0; t < length; t++) {
                y[2 * t] = r.nextInt(13) == 0 ? Double.NaN : 1e8 + r.nextGaussian();
                y[2 * t + 1] = r.nextInt(11) == 0 ? Double.NaN : 1e-3 * r.nextGaussian();
                u[t] = r.nextDouble();
            }
            out.add(Sequence.of("s" + i, 2, y).withInputs(1, u));
        }
        return out;
    }

    @Test
    void sumsAreExactAndMergedPartsGiveTheSameBitsInAnyOrder() {
        List<Sequence> all = sequences(4);
        Moments whole = new Moments(2, 1);
        all.forEach(whole::add);

        BigDecimal[] sum = {BigDecimal.ZERO, BigDecimal.ZERO};
        BigDecimal[] squares = {BigDecimal.ZERO, BigDecimal.ZERO};
        BigDecimal[] differences = {BigDecimal.ZERO, BigDecimal.ZERO};
        long[] n = new long[2];
        long[] nd = new long[2];
        for (Sequence s : all) {
            for (int t = 0; t < s.length(); t++) {
                for (int j = 0; j < 2; j++) {
                    double y = s.value(t, j);
                    if (Double.isNaN(y)) {
                        continue;
                    }
                    sum[j] = sum[j].add(new BigDecimal(y));
                    squares[j] = squares[j].add(new BigDecimal(y * y));
                    n[j]++;
                    if (t > 0 && !Double.isNaN(s.value(t - 1, j))) {
                        double e = y - s.value(t - 1, j);
                        differences[j] = differences[j].add(new BigDecimal(e * e));
                        nd[j]++;
                    }
                }
            }
        }
        for (int j = 0; j < 2; j++) {
            Moments.Column c = whole.observation(j);
            assertThat(c.count()).isEqualTo(n[j]);
            assertThat(c.sum()).isEqualTo(sum[j].doubleValue()); // BigDecimal.doubleValue rounds the exact sum once
            assertThat(c.sumOfSquares()).isEqualTo(squares[j].doubleValue());
            assertThat(c.differenceCount()).isEqualTo(nd[j]);
            assertThat(c.differenceSquares()).isEqualTo(differences[j].doubleValue());
        }
        assertThat(whole.input(0).count()).isEqualTo(all.stream().mapToLong(Sequence::length).sum());

        // parts merged in another order: the same bits
        List<Sequence> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new java.util.Random(7));
        Moments merged = new Moments(2, 1);
        for (int from = 0; from < shuffled.size(); from += 6) {
            Moments part = new Moments(2, 1);
            shuffled.subList(from, Math.min(from + 6, shuffled.size())).forEach(part::add);
            merged.merge(part);
        }
        for (int j = 0; j < 2; j++) {
            assertThat(merged.observation(j)).isEqualTo(whole.observation(j));
        }
        assertThat(merged.input(0)).isEqualTo(whole.input(0));
        assertThat(Moments.of(Dataset.of(all)).observation(0)).isEqualTo(whole.observation(0));
    }

    @Test
    void aSequenceOfOtherComponentsIsRefusedByName() {
        Moments m = new Moments(1, 0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.add(Sequence.of("wide", 2, new double[] {1, 2})))
                .isInstanceOf(org.statespace.DataException.class).hasMessageContaining("'wide'")
                .hasMessageContaining("2 observation");
    }
}
