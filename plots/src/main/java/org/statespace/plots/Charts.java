package org.statespace.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import org.statespace.DataException;
import org.statespace.DimensionMismatchException;

/** The house style every chart shares: white background, large fonts, a colour-blind-safe palette. */
final class Charts {
    /** Okabe-Ito colours (safe for the common colour-vision deficiencies), then a few more. */
    static final Color[] PALETTE = {new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115),
        new Color(204, 121, 167), new Color(230, 159, 0), new Color(86, 180, 233), new Color(120, 120, 120),
        new Color(240, 228, 66), new Color(0, 0, 0), new Color(148, 103, 189), new Color(140, 86, 75),
        new Color(23, 190, 207)};

    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    static final Font AXIS_TITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font NOTE = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    static final int WIDTH = 960;
    static final int HEIGHT = 480;

    private Charts() {
    }

    /** The i-th palette colour (cycling). */
    static Color color(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    /**
     * A colour for every model, from the study's model order: the i-th model gets {@link #color(int) color(i)},
     * so a model has the same colour in every chart of a report.
     */
    static java.util.Map<String, Color> modelColours(List<String> models) {
        java.util.Map<String, Color> m = new java.util.LinkedHashMap<>();
        for (String model : models) {
            m.putIfAbsent(model, color(m.size()));
        }
        return java.util.Map.copyOf(m);
    }

    /** A colour made lighter: {@code amount} 0 keeps it, 1 gives white. */
    static Color lighter(Color c, double amount) {
        return new Color(mix(c.getRed(), amount), mix(c.getGreen(), amount), mix(c.getBlue(), amount));
    }

    private static int mix(int v, double amount) {
        return (int) Math.round(v + (255 - v) * amount);
    }

    /** An XY chart in the house style with its title and axis titles. */
    static XYChart xy(String title, String xTitle, String yTitle, int width, int height) {
        XYChart chart = new XYChart(width, height);
        chart.setTitle(title);
        chart.setXAxisTitle(xTitle);
        chart.setYAxisTitle(yTitle);
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setZoomEnabled(false);
        chart.getStyler().setCursorEnabled(false);
        return chart;
    }

    /** Fonts, colours and layout shared by every axes chart. */
    static void style(AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(true);
        s.setPlotBorderColor(new Color(160, 160, 160));
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setChartTitleFont(TITLE);
        s.setChartTitleBoxVisible(false);
        s.setAxisTitleFont(AXIS_TITLE);
        s.setAxisTickLabelsFont(TICKS);
        s.setLegendFont(LEGEND);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendBorderColor(new Color(200, 200, 200));
        s.setLegendBackgroundColor(Color.WHITE);
        s.setSeriesColors(PALETTE);
        s.setAnnotationTextFont(NOTE);
        s.setAnnotationTextFontColor(new Color(60, 60, 60));
        s.setAnnotationLineColor(new Color(90, 90, 90));
        s.setAnnotationLineStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        s.setAntiAlias(true);
        s.setLocale(Locale.ROOT);
        s.setToolTipsEnabled(false);
        s.setMarkerSize(5);
        s.setXAxisTickMarkSpacingHint(90);
    }

    /** A filled polygon series (a band or a block) with no outline and no markers. */
    static XYSeries polygon(XYChart chart, String name, double[] x, double[] y, Color fill) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        s.setFillColor(fill);
        s.setLineStyle(SeriesLines.NONE);
        s.setLineColor(fill);
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    /**
     * Series longer than 4 × this many points are drawn from a summary of this many bins of consecutive steps (about
     * one per pixel column of a chart), so a chart's size does not grow with the series: a line keeps each bin's
     * first, lowest, highest and last point (M4: the line drawn at this width looks the same, extremes included), a
     * band each bin's lowest lower and highest upper bound, dots each bin's lowest and highest point.
     */
    static final int BINS = 1000;

    // the bounds [from, to) of bin b of n steps
    private static int binStart(int b, int n, int bins) {
        return (int) ((long) b * n / bins);
    }

    /** M4: per bin the first, lowest, highest and last finite point, in step order; an empty bin keeps one NaN (a gap). */
    static double[][] decimateLine(double[] x, double[] y, int bins) {
        int n = x.length;
        double[] px = new double[4 * bins];
        double[] py = new double[4 * bins];
        int k = 0;
        for (int b = 0; b < bins; b++) {
            int from = binStart(b, n, bins);
            int to = binStart(b + 1, n, bins);
            int first = -1;
            int last = -1;
            int lo = -1;
            int hi = -1;
            for (int i = from; i < to; i++) {
                if (Double.isNaN(y[i])) {
                    continue;
                }
                if (first < 0) {
                    first = i;
                }
                last = i;
                if (lo < 0 || y[i] < y[lo]) {
                    lo = i;
                }
                if (hi < 0 || y[i] > y[hi]) {
                    hi = i;
                }
            }
            if (first < 0) {
                if (to > from) {
                    px[k] = x[from];
                    py[k++] = Double.NaN;
                }
                continue;
            }
            int[] picks = {first, Math.min(lo, hi), Math.max(lo, hi), last};
            int previous = -1;
            for (int i : picks) {
                if (i != previous) {
                    px[k] = x[i];
                    py[k++] = y[i];
                    previous = i;
                }
            }
        }
        return new double[][] {java.util.Arrays.copyOf(px, k), java.util.Arrays.copyOf(py, k)};
    }

    /** Per bin the lowest and the highest finite point, in step order. */
    static double[][] decimateDots(double[] x, double[] y, int bins) {
        int n = x.length;
        double[] px = new double[2 * bins];
        double[] py = new double[2 * bins];
        int k = 0;
        for (int b = 0; b < bins; b++) {
            int lo = -1;
            int hi = -1;
            for (int i = binStart(b, n, bins); i < binStart(b + 1, n, bins); i++) {
                if (!Double.isNaN(y[i])) {
                    lo = lo < 0 || y[i] < y[lo] ? i : lo;
                    hi = hi < 0 || y[i] > y[hi] ? i : hi;
                }
            }
            if (lo >= 0) {
                px[k] = x[Math.min(lo, hi)];
                py[k++] = y[Math.min(lo, hi)];
                if (lo != hi) {
                    px[k] = x[Math.max(lo, hi)];
                    py[k++] = y[Math.max(lo, hi)];
                }
            }
        }
        return new double[][] {java.util.Arrays.copyOf(px, k), java.util.Arrays.copyOf(py, k)};
    }

    /** A band's polygon from bins: the highest upper bound over each bin's steps on top, the lowest lower below. */
    static double[][] envelope(double[] x, double[] lower, double[] upper, int bins) {
        int n = x.length;
        double[] px = new double[4 * bins];
        double[] py = new double[4 * bins];
        for (int b = 0; b < bins; b++) {
            int from = binStart(b, n, bins);
            int to = binStart(b + 1, n, bins);
            double top = Double.NaN;
            double bottom = Double.NaN;
            for (int i = from; i < to; i++) {
                if (!(upper[i] <= top)) {
                    top = Double.isNaN(upper[i]) ? top : upper[i];
                }
                if (!(lower[i] >= bottom)) {
                    bottom = Double.isNaN(lower[i]) ? bottom : lower[i];
                }
            }
            px[2 * b] = x[from];
            px[2 * b + 1] = x[to - 1];
            py[2 * b] = top;
            py[2 * b + 1] = top;
            px[4 * bins - 1 - 2 * b] = x[from];
            px[4 * bins - 2 - 2 * b] = x[to - 1];
            py[4 * bins - 1 - 2 * b] = bottom;
            py[4 * bins - 2 - 2 * b] = bottom;
        }
        return new double[][] {px, py};
    }

    /** A plain line series. */
    static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color, float width) {
        if (x.length > 4 * BINS) {
            double[][] d = decimateLine(x, y, BINS);
            x = d[0];
            y = d[1];
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setLineColor(color);
        s.setLineWidth(width);
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    /**
     * Makes XChart choose round tick values on the time axis. XChart puts ticks on the data's own x
     * values when those are equally spaced (every k-th step, k not round: 0, 12, 24, ...); one hidden,
     * unmarked point at a half step breaks the equal spacing, and round ticks (0, 50, 100, ...) follow.
     */
    static void roundTimeTicks(XYChart chart, double x, double y) {
        if (!Double.isFinite(y)) {
            return;
        }
        XYSeries s = chart.addSeries("\u200b", new double[] {x + 0.5}, new double[] {y});
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.NONE);
        s.setShowInLegend(false);
    }

    /** Points (x, y) where y is not NaN, as black dots; null when there is none. */
    static XYSeries dots(XYChart chart, String name, double[] x, double[] y, Color color) {
        int n = 0;
        for (double v : y) {
            if (!Double.isNaN(v)) {
                n++;
            }
        }
        if (n == 0) {
            return null;
        }
        double[] px;
        double[] py;
        if (y.length > 4 * BINS) { // per bin its extremes
            double[][] d = decimateDots(x, y, BINS);
            px = d[0];
            py = d[1];
        } else {
            px = new double[n];
            py = new double[n];
            int k = 0;
            for (int i = 0; i < y.length; i++) {
                if (!Double.isNaN(y[i])) {
                    px[k] = x[i];
                    py[k++] = y[i];
                }
            }
        }
        XYSeries s = chart.addSeries(name, px, py);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(color);
        chart.getStyler().setMarkerSize(y.length > 300 ? 3 : 5);
        return s;
    }

    /**
     * Sets the y range to the finite values given, padded by 8% (and including 0 when {@code withZero}),
     * so that a chart of one or two values still gets several readable ticks.
     */
    static void padY(AxesChartStyler s, double[] values, boolean withZero) {
        double lo = withZero ? 0 : Double.POSITIVE_INFINITY;
        double hi = withZero ? 0 : Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (!(lo <= hi)) {
            return;
        }
        double span = hi - lo;
        double pad = span > 0 ? 0.08 * span : Math.max(1e-3, Math.abs(hi) * 0.05);
        double min = withZero && lo == 0 ? 0 : lo - pad;
        double max = withZero && hi == 0 ? 0 : hi + pad;
        s.setYAxisMin(min);
        s.setYAxisMax(max);
        s.setYAxisDecimalPattern(span == 0 || max - min < 1e-2 ? "0.#####" : max - min < 1 ? "0.###" : "#,##0.##");
    }

    /** The band between {@code lower} and {@code upper} over {@code x} as one closed polygon. */
    static double[][] band(double[] x, double[] lower, double[] upper) {
        if (x.length > 4 * BINS) {
            return envelope(x, lower, upper, BINS);
        }
        int n = x.length;
        double[] px = new double[2 * n];
        double[] py = new double[2 * n];
        for (int i = 0; i < n; i++) {
            px[i] = x[i];
            py[i] = upper[i];
            px[2 * n - 1 - i] = x[i];
            py[2 * n - 1 - i] = lower[i];
        }
        return new double[][] {px, py};
    }

    /**
     * Legend entries for K states or symbols: their names, or "state 0", "state 1", ... ({@code noun} and
     * the index) when there are none, when they are only the indices "0".."K-1" that stand for no name,
     * or for a name that is blank (a series needs visible text). The entries are always distinct (XChart
     * refuses two series of one name).
     */
    static List<String> labels(List<String> names, int k, String noun) {
        boolean indices = names.size() == k;
        for (int i = 0; i < k && indices; i++) {
            indices = names.get(i).equals(Integer.toString(i));
        }
        List<String> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            boolean named = names.size() == k && !indices && !names.get(i).isBlank();
            out.add(named ? names.get(i) : noun + " " + i);
        }
        if (new java.util.HashSet<>(out).size() < k) {
            return labels(List.of(), k, noun);
        }
        return out;
    }

    /** 0, 1, ..., n-1 as doubles. */
    static double[] steps(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }

    /** Requires an array of the given length, naming it. */
    static void requireLength(String name, double[] values, int length) {
        if (values == null) {
            throw new DataException(name + " is missing");
        }
        if (values.length != length) {
            throw new DimensionMismatchException(name, length + " values", values.length + " values");
        }
    }

    /** Whether every value is NaN (nothing to draw). */
    static boolean allNaN(double[] values) {
        for (double v : values) {
            if (!Double.isNaN(v)) {
                return false;
            }
        }
        return true;
    }
}
