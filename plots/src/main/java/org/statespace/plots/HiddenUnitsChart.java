package org.statespace.plots;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * An RNN layer's hidden units over time: one line per unit when there are few units ({@link #lines}),
 * a heat map (time × unit, a diverging blue-white-red scale centred on 0) when there are many
 * ({@link #heatMap}); {@link #of} picks.
 */
public final class HiddenUnitsChart {
    /** Up to this many units are drawn as lines by {@link #of}. */
    public static final int MAX_LINES = 8;

    private HiddenUnitsChart() {
    }

    /** Lines for at most {@value #MAX_LINES} units, a heat map otherwise. */
    public static Chart<?, ?> of(String title, HiddenUnits units) {
        return units.units() <= MAX_LINES ? lines(title, units) : heatMap(title, units);
    }

    /** One line per unit. */
    public static XYChart lines(String title, HiddenUnits units) {
        XYChart chart = Charts.xy(title, "time step t", "activation h_t,i (" + units.layer() + ")", Charts.WIDTH,
                Charts.HEIGHT);
        double[] x = Charts.steps(units.length());
        for (int i = 0; i < units.units(); i++) {
            double[] y = new double[units.length()];
            for (int t = 0; t < units.length(); t++) {
                y[t] = units.value(t, i);
            }
            Charts.line(chart, "unit " + i, x, y, Charts.color(i), 1.6f);
        }
        Charts.roundTimeTicks(chart, 0, units.value(0, 0));
        return chart;
    }

    /** A heat map: x the time step, y the unit, colour the activation. */
    public static HeatMapChart heatMap(String title, HiddenUnits units) {
        int n = units.length();
        int h = units.units();
        HeatMapChart chart = new HeatMapChart(Charts.WIDTH, Math.max(Charts.HEIGHT, 160 + 14 * h), Styler.ChartTheme.XChart);
        chart.setTitle(title);
        chart.setXAxisTitle("time step t");
        chart.setYAxisTitle("unit i (" + units.layer() + ")");
        var s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setChartTitleFont(Charts.TITLE);
        s.setChartTitleBoxVisible(false);
        s.setAxisTitleFont(Charts.AXIS_TITLE);
        s.setAxisTickLabelsFont(Charts.TICKS);
        s.setLegendFont(Charts.LEGEND);
        s.setToolTipsEnabled(false);
        s.setLocale(java.util.Locale.ROOT);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        double extent = 0;
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < h; i++) {
                extent = Math.max(extent, Math.abs(units.value(t, i)));
            }
        }
        extent = extent == 0 ? 1 : extent;
        s.setMin(-extent);
        s.setMax(extent);
        s.setRangeColors(new Color[] {new Color(33, 102, 172), Color.WHITE, new Color(178, 24, 43)});
        s.setPlotGridLinesVisible(false);
        s.setDrawBorder(false);
        s.setShowValue(false);
        s.setHeatMapValueDecimalPattern("0.00");
        s.setXAxisMaxLabelCount(12);
        List<Integer> x = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            x.add(t);
        }
        List<Integer> y = new ArrayList<>();
        for (int i = 0; i < h; i++) {
            y.add(i);
        }
        List<Number[]> cells = new ArrayList<>(n * h);
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < h; i++) {
                cells.add(new Number[] {t, i, units.value(t, i)});
            }
        }
        chart.addSeries("activation", x, y, cells);
        return chart;
    }
}
