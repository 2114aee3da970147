package org.statespace.plots;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import org.statespace.DataException;

/**
 * A metric compared across models and datasets: one panel per dataset, each with its own y-axis (a dataset
 * in the thousands never shares an axis with one in the units), one dot per model that ran on that dataset
 * (no empty slot for a model that did not) with an error bar of ± one standard deviation over seeds. The
 * axis is fitted to the dots and bars, not stretched to zero, so negative log scores read as well as
 * positive ones. A model has the same colour in every panel and every chart of a report: pass the study's
 * model → colour map ({@link Charts#modelColours}).
 */
public final class MetricChart {
    /** A panel's size in pixels. */
    static final int PANEL_WIDTH = 480;
    static final int PANEL_HEIGHT = 300;

    private MetricChart() {
    }

    /**
     * Every dataset's panel, tiled two to a row.
     *
     * @param title   the figure's title
     * @param table   the metric
     * @param colours a colour for every model of the table
     * @return the panels as one drawing; datasets where no model has a value get no panel
     */
    public static Drawing of(String title, MetricTable table, Map<String, Color> colours) {
        if (!table.hasValues()) {
            throw new DataException("metric " + table.metric() + " has no value for any model and dataset");
        }
        List<XYChart> panels = new ArrayList<>();
        for (int d = 0; d < table.datasets().size(); d++) {
            panel(table, d, colours).ifPresent(panels::add);
        }
        List<String> models = new ArrayList<>();
        for (XYChart p : panels) {
            p.getSeriesMap().keySet().forEach(m -> {
                if (!models.contains(m)) {
                    models.add(m);
                }
            });
        }
        List<String> ordered = table.models().stream().filter(models::contains).toList();
        java.util.Map<String, Color> legend = new java.util.LinkedHashMap<>();
        ordered.forEach(m -> legend.put(m, colours.getOrDefault(m, Color.DARK_GRAY)));
        return new Panels(title, panels, 2, legend);
    }

    /** The chart with the default colours (the table's model order). */
    public static Drawing of(String title, MetricTable table) {
        return of(title, table, Charts.modelColours(table.models()));
    }

    /**
     * One dataset's panel: x positions 1..K for the K models with a value, in the table's model order.
     * Empty when no model has a value on that dataset.
     */
    static java.util.Optional<XYChart> panel(MetricTable table, int d, Map<String, Color> colours) {
        double[][] mean = table.mean();
        double[][] sd = table.sd();
        List<Integer> shown = new ArrayList<>();
        for (int m = 0; m < table.models().size(); m++) {
            if (Double.isFinite(mean[m][d])) {
                shown.add(m);
            }
        }
        if (shown.isEmpty()) {
            return java.util.Optional.empty();
        }
        XYChart chart = Charts.xy(table.datasets().get(d), "", "", PANEL_WIDTH, PANEL_HEIGHT);
        var s = chart.getStyler();
        s.setChartTitleFont(Charts.AXIS_TITLE.deriveFont(java.awt.Font.BOLD));
        s.setLegendVisible(false);
        s.setErrorBarsColorSeriesColor(true);
        s.setXAxisMin(0.4);
        s.setXAxisMax(shown.size() + 0.6);
        // the models are named by colour in the figure's one legend, above the panels
        s.setXAxisTicksVisible(false);
        s.setPlotGridVerticalLinesVisible(false);
        s.setMarkerSize(10);
        double[] ends = new double[2 * shown.size()];
        for (int i = 0; i < shown.size(); i++) {
            int m = shown.get(i);
            double spread = Double.isFinite(sd[m][d]) ? sd[m][d] : 0;
            ends[2 * i] = mean[m][d] - spread;
            ends[2 * i + 1] = mean[m][d] + spread;
        }
        Charts.padY(s, ends, false);
        for (int i = 0; i < shown.size(); i++) {
            int m = shown.get(i);
            String model = table.models().get(m);
            double spread = Double.isFinite(sd[m][d]) ? sd[m][d] : 0;
            XYSeries series = chart.addSeries(model, new double[] {i + 1}, new double[] {mean[m][d]},
                    new double[] {spread});
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            Color c = colours.getOrDefault(model, Color.DARK_GRAY);
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setMarkerColor(c);
            series.setLineColor(c);
            series.setLineStyle(SeriesLines.NONE);
        }
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        return java.util.Optional.of(chart);
    }

    /**
     * Panels tiled in a grid under a title and one legend (name → colour) for all of them, each panel
     * panelWidth×panelHeight pixels.
     */
    record Panels(String title, List<XYChart> panels, int columns, java.util.Map<String, Color> legend, int panelWidth,
            int panelHeight) implements Drawing {
        static final int TITLE_HEIGHT = 36;
        static final int LEGEND_LINE = 22;

        Panels {
            panels = List.copyOf(panels);
            legend = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(legend));
        }

        /** Panels of the metric charts' size ({@value #PANEL_WIDTH}×{@value #PANEL_HEIGHT}). */
        Panels(String title, List<XYChart> panels, int columns, java.util.Map<String, Color> legend) {
            this(title, panels, columns, legend, PANEL_WIDTH, PANEL_HEIGHT);
        }

        /** Legend entries per line: as many as fit the width at about 200 pixels each. */
        private int perLine() {
            return Math.max(1, width() / 200);
        }

        private int legendHeight() {
            return legend.isEmpty() ? 0 : LEGEND_LINE * ((legend.size() + perLine() - 1) / perLine()) + 6;
        }

        @Override
        public int width() {
            return panelWidth * columns; // one width for every figure of a report, however many panels
        }

        @Override
        public int height() {
            return TITLE_HEIGHT + legendHeight() + panelHeight * ((panels.size() + columns - 1) / columns);
        }

        @Override
        public void paint(java.awt.Graphics2D g) {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width(), height());
            g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING,
                    java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(Charts.TITLE);
            g.setColor(new Color(34, 34, 34));
            var fm = g.getFontMetrics();
            g.drawString(title, Math.max(4, (width() - fm.stringWidth(title)) / 2), TITLE_HEIGHT - 12);
            g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
            g.setFont(Charts.LEGEND);
            int i0 = 0;
            int slot = width() / perLine();
            for (var e : legend.entrySet()) {
                int x = 16 + (i0 % perLine()) * slot;
                int y = TITLE_HEIGHT + (i0 / perLine()) * LEGEND_LINE + 14;
                g.setColor(e.getValue());
                g.fillOval(x, y - 10, 11, 11);
                g.setColor(new Color(34, 34, 34));
                g.drawString(e.getKey(), x + 17, y);
                i0++;
            }
            for (int i = 0; i < panels.size(); i++) {
                java.awt.Graphics2D p = (java.awt.Graphics2D) g.create((i % columns) * panelWidth,
                        TITLE_HEIGHT + legendHeight() + (i / columns) * panelHeight, panelWidth, panelHeight);
                try {
                    panels.get(i).paint(p, panelWidth, panelHeight);
                } finally {
                    p.dispose();
                }
            }
        }
    }
}
