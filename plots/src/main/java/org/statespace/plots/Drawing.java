package org.statespace.plots;

import java.awt.Graphics2D;

import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Something that paints itself on a Java2D canvas of a fixed size: an XChart chart ({@link #of(Chart)})
 * or a drawing of our own such as the unrolled loop graph. {@link PlotFiles} writes either as PNG or SVG.
 */
public interface Drawing {

    /** Width in pixels. */
    int width();

    /** Height in pixels. */
    int height();

    /** Paints onto {@code g}, whose origin is the top-left corner of a width×height canvas. */
    void paint(Graphics2D g);

    /** An XChart chart as a drawing of its own size. */
    static Drawing of(Chart<?, ?> chart) {
        return new ChartDrawing(chart);
    }

    /** A chart wrapped as a drawing. */
    record ChartDrawing(Chart<?, ?> chart) implements Drawing {
        @Override
        public int width() {
            return chart.getWidth();
        }

        @Override
        public int height() {
            return chart.getHeight();
        }

        @Override
        public void paint(Graphics2D g) {
            chart.paint(g, chart.getWidth(), chart.getHeight());
        }
    }
}
