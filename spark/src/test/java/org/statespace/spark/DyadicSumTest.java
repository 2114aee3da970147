package org.statespace.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class DyadicSumTest {

    /** The tree's definition written directly: node [lo, lo + 2^level) is left + right, or left alone. */
    private static double canonical(double[] x, long lo, int level) {
        if (level == 0) {
            return x[(int) lo];
        }
        long half = 1L << (level - 1);
        double left = canonical(x, lo, level - 1);
        return lo + half < x.length ? left + canonical(x, lo + half, level - 1) : left;
    }

    private static double rootOf(double[] x) {
        int level = 0;
        while ((1L << level) < x.length) {
            level++;
        }
        return canonical(x, 0, level);
    }

    private static double partitioned(double[] x, int[] cuts) {
        List<DyadicSum.Node<double[]>> nodes = new ArrayList<>();
        int from = 0;
        for (int c = 0; c <= cuts.length; c++) {
            int to = c < cuts.length ? cuts[c] : x.length;
            DyadicSum<double[]> part = new DyadicSum<>(DyadicSumTest::add);
            for (int i = from; i < to; i++) {
                part.add(i, new double[] {x[i]});
            }
            nodes.addAll(part.nodes());
            from = to;
        }
        java.util.Collections.reverse(nodes); // the driver gets partitions in any order
        return DyadicSum.combine(nodes, x.length, DyadicSumTest::add)[0];
    }

    private static double[] add(double[] a, double[] b) {
        a[0] += b[0];
        return a;
    }

    @Test
    void everyPartitioningGivesTheTreeSumBitForBit() {
        SplittableRandom r = new SplittableRandom(7);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + r.nextInt(200);
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = Math.scalb(r.nextDouble() - 0.5, r.nextInt(-30, 30)); // widely spread, so order matters
            }
            double expected = rootOf(x);
            int parts = 1 + r.nextInt(Math.min(n, 12));
            int[] cuts = r.ints(parts - 1, 1, Math.max(2, n)).sorted().distinct().filter(c -> c < n).toArray();
            assertThat(partitioned(x, cuts)).as("n=%d cuts=%s", n, java.util.Arrays.toString(cuts))
                    .isEqualTo(expected);
            assertThat(partitioned(x, new int[0])).isEqualTo(expected);
        }
    }

    @Test
    void theTreeSumDiffersFromALeftToRightSumSoTheTestAboveCanFail() {
        double[] x = {1e16, 1, -1e16, 1};
        double sequential = ((x[0] + x[1]) + x[2]) + x[3];
        assertThat(rootOf(x)).isNotEqualTo(sequential);
        assertThat(partitioned(x, new int[] {1, 3})).isEqualTo(rootOf(x));
    }

    @Test
    void gapsAndOverlapsAreRefused() {
        DyadicSum<double[]> a = new DyadicSum<>(DyadicSumTest::add);
        a.add(0, new double[] {1});
        a.add(1, new double[] {2});
        DyadicSum<double[]> c = new DyadicSum<>(DyadicSumTest::add);
        c.add(3, new double[] {4});
        List<DyadicSum.Node<double[]>> nodes = new ArrayList<>(a.nodes());
        nodes.addAll(c.nodes());
        assertThatThrownBy(() -> DyadicSum.combine(nodes, 4, DyadicSumTest::add))
                .hasMessageContaining("cover items up to 2 and then start at 3");
        assertThatThrownBy(() -> DyadicSum.combine(a.nodes(), 3, DyadicSumTest::add))
                .hasMessageContaining("cover 2 of 3 items");
    }
}
