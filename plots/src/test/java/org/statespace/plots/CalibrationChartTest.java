package org.statespace.plots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import org.statespace.DataException;

/** PIT histograms and coverage charts: bar heights, axes, colours and bad input. */
class CalibrationChartTest {

    @Test
    void pitBarsAreDensitiesSoACalibratedModelSitsOnOne() {
        // 40 observations in 4 bins: 10 each is flat (density 1); 20, 10, 5, 5 is 2, 1, 0.5, 0.5
        assertThat(CalibrationChart.density(new long[] {10, 10, 10, 10})).containsExactly(1, 1, 1, 1);
        assertThat(CalibrationChart.density(new long[] {20, 10, 5, 5})).containsExactly(2, 1, 0.5, 0.5);
        XYChart panel = CalibrationChart.pitPanel("hmm", new long[] {20, 10, 5, 5}, Color.RED);
        XYSeries first = panel.getSeriesMap().get("bin 0");
        assertThat(first.getXData()).containsExactly(0.0, 0.25, 0.25, 0.0);
        assertThat(first.getYData()).containsExactly(0.0, 0.0, 2.0, 2.0);
        assertThat(first.getFillColor()).isEqualTo(Color.RED);
        assertThat(panel.getStyler().getYAxisMax()).isGreaterThanOrEqualTo(2.0);
        assertThat(panel.getSeriesMap().get("uniform").getYData()).containsExactly(1.0, 1.0);
    }

    @Test
    void onePitPanelPerModelInTheReportsColours() {
        Map<String, long[]> counts = new LinkedHashMap<>();
        counts.put("gru", new long[] {3, 3, 3});
        counts.put("hmm", new long[] {1, 5, 3});
        Map<String, Color> colours = Charts.modelColours(List.of("hmm", "gru"));
        MetricChart.Panels p = (MetricChart.Panels) CalibrationChart.pit("nile: PIT", counts, colours);
        assertThat(p.panels()).extracting(XYChart::getTitle).containsExactly("gru", "hmm");
        assertThat(p.panels().get(0).getSeriesMap().get("bin 0").getFillColor()).isEqualTo(colours.get("gru"));
        assertThat(p.legend()).containsEntry("hmm", colours.get("hmm"));
        assertThatThrownBy(() -> CalibrationChart.pitPanel("m", new long[] {0, 0}, Color.RED))
                .isInstanceOf(DataException.class).hasMessageContaining("no scored step");
        assertThatThrownBy(() -> CalibrationChart.pitPanel("m", new long[] {1, -1}, Color.RED))
                .isInstanceOf(DataException.class).hasMessageContaining("negative count -1");
    }

    @Test
    void coverageAgainstNominalLevelWithTheDiagonal() {
        Map<String, double[]> levels = Map.of("kalman", new double[] {0.5, 0.8, 0.95});
        Map<String, double[]> coverage = Map.of("kalman", new double[] {0.48, Double.NaN, 0.97});
        Map<String, Color> colours = Map.of("kalman", Color.BLUE);
        XYChart chart = CalibrationChart.coverage("nile: coverage", levels, coverage, colours);
        XYSeries k = chart.getSeriesMap().get("kalman");
        // the NaN point is left out
        assertThat(k.getXData()).containsExactly(0.5, 0.95);
        assertThat(k.getYData()).containsExactly(0.48, 0.97);
        assertThat(k.getLineColor()).isEqualTo(Color.BLUE);
        assertThat(chart.getSeriesMap().get("calibrated").getYData()).containsExactly(0.0, 1.0);
        assertThat(chart.getStyler().getYAxisMin()).isEqualTo(0.0);
        assertThat(chart.getStyler().getYAxisMax()).isEqualTo(1.0);
        assertThatThrownBy(() -> CalibrationChart.coverage("c", Map.of("m", new double[] {0.5, 1.5}),
                Map.of("m", new double[] {0.5, 0.9}), colours)).isInstanceOf(DataException.class)
                .hasMessageContaining("level 1.5");
        assertThatThrownBy(() -> CalibrationChart.coverage("c", Map.of("m", new double[] {0.5}),
                Map.of("m", new double[] {Double.NaN}), colours)).isInstanceOf(DataException.class)
                .hasMessageContaining("no model has a coverage value");
    }
}
