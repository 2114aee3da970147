package org.statespace.plots;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * A chart of a 10^6-step series is drawn from a per-bin summary: its SVG stays small, and the lowest and highest
 * values it draws are the data's own (spikes are not averaged away).
 */
class LongSeriesChartTest {
    private static final int STEPS = 1_000_000;

    private static double min(double[] v) {
        return Arrays.stream(v).filter(d -> !Double.isNaN(d)).min().orElseThrow();
    }

    private static double max(double[] v) {
        return Arrays.stream(v).filter(d -> !Double.isNaN(d)).max().orElseThrow();
    }

    @Test
    void aMillionStepsDrawASmallChartWithTheirExtremes() {
        Random r = new Random(4);
        double[] x = Charts.steps(STEPS);
        double[] mean = new double[STEPS];
        double[] lower = new double[STEPS];
        double[] upper = new double[STEPS];
        double[] observed = new double[STEPS];
        double level = 0;
        for (int t = 0; t < STEPS; t++) {
            level = 0.999 * level + 0.05 * r.nextGaussian();
            mean[t] = level;
            lower[t] = level - 1 - r.nextDouble();
            upper[t] = level + 1 + r.nextDouble();
            observed[t] = t % 97 == 0 ? Double.NaN : level + r.nextGaussian();
        }
        // single-step spikes, one in each series
        mean[123_457] = 40;
        lower[765_431] = -55;
        upper[5] = 60;
        observed[999_998] = -70;
        XYChart chart = Charts.xy("long", "time step t", "y", Charts.WIDTH, Charts.HEIGHT);
        double[][] band = Charts.band(x, lower, upper);
        XYSeries b = Charts.polygon(chart, "band", band[0], band[1], Color.LIGHT_GRAY);
        XYSeries m = Charts.line(chart, "mean", x, mean, Color.BLUE, 1.6f);
        XYSeries o = Charts.dots(chart, "observed", x, observed, Color.BLACK);
        for (XYSeries s : new XYSeries[] {b, m, o}) {
            assertThat(s.getXData().length).as(s.getName()).isLessThanOrEqualTo(4 * Charts.BINS);
        }
        assertThat(max(m.getYData())).isEqualTo(max(mean)).isEqualTo(40);
        assertThat(min(m.getYData())).isEqualTo(min(mean));
        assertThat(max(b.getYData())).isEqualTo(max(upper)).isEqualTo(60);
        assertThat(min(b.getYData())).isEqualTo(min(lower)).isEqualTo(-55);
        assertThat(min(o.getYData())).isEqualTo(min(observed)).isEqualTo(-70);
        assertThat(max(o.getYData())).isEqualTo(max(observed));
        // the x range is the whole series
        assertThat(min(m.getXData())).isZero();
        assertThat(max(m.getXData())).isEqualTo(STEPS - 1);
        assertThat(max(b.getXData())).isEqualTo(STEPS - 1);
        int bytes = PlotFiles.svg(Drawing.of(chart)).getBytes(StandardCharsets.UTF_8).length;
        assertThat(bytes).as("SVG bytes").isLessThan(2_000_000);
    }

    @Test
    void theLineSummaryKeepsEveryBinsFirstLowestHighestAndLastPoint() {
        double[] x = {0, 1, 2, 3, 4, 5, 6, 7};
        double[] y = {5, 1, 9, 3, Double.NaN, Double.NaN, 2, 2};
        double[][] d = Charts.decimateLine(x, y, 2);
        // bin 0 (steps 0-3): first 5, lowest 1 at 1, highest 9 at 2, last 3; bin 1 (4-7): 2 at 6 (first, lowest) and 7
        assertThat(d[0]).containsExactly(0, 1, 2, 3, 6, 7);
        assertThat(d[1]).containsExactly(5, 1, 9, 3, 2, 2);
    }
}
