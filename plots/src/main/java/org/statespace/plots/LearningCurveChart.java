package org.statespace.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import org.statespace.DataException;

/**
 * Learning curves of several fits on one chart: one colour per model, a solid line for the training
 * loss and a dashed one for the validation loss, one line per seed (the legend names each model once).
 */
public final class LearningCurveChart {
    private static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            new float[] {7f, 5f}, 0f);

    private LearningCurveChart() {
    }

    /**
     * The chart.
     *
     * @param title  the chart title, e.g. "casino: learning curves"
     * @param yTitle the y-axis title, e.g. "loss per observation (nats)"
     * @param lines  the curves; lines of the same model share a colour
     * @return a {@value Charts#WIDTH}×{@value Charts#HEIGHT} chart
     */
    public static XYChart of(String title, String yTitle, List<CurveLine> lines) {
        return of(title, yTitle, lines, Charts.modelColours(lines.stream().map(CurveLine::model).toList()));
    }

    /**
     * The chart with a given colour per model (a report passes the study's map so a model keeps its colour in
     * every chart); a model missing from the map gets dark grey.
     */
    public static XYChart of(String title, String yTitle, List<CurveLine> lines, Map<String, Color> modelColours) {
        if (lines.isEmpty()) {
            throw new DataException("no learning curve to draw for \"" + title + "\"");
        }
        XYChart chart = Charts.xy(title, "iteration (EM step, optimiser step or epoch)", yTitle, Charts.WIDTH,
                Charts.HEIGHT);
        Map<String, Boolean> shown = new LinkedHashMap<>();
        int drawn = 0;
        for (CurveLine line : lines) {
            Color c = modelColours.getOrDefault(line.model(), Color.DARK_GRAY);
            drawn += add(chart, line, line.trainingLoss(), line.model() + " training", "training", c, null, shown);
            drawn += add(chart, line, line.validationLoss(), line.model() + " validation", "validation", c, DASHED,
                    shown);
        }
        if (drawn == 0) {
            throw new DataException("the learning curves of \"" + title + "\" have no finite value");
        }
        List<Double> all = new java.util.ArrayList<>();
        for (CurveLine line : lines) {
            for (double v : line.trainingLoss()) {
                all.add(v);
            }
            for (double v : line.validationLoss()) {
                all.add(v);
            }
        }
        Charts.roundTimeTicks(chart, lines.get(0).iteration().length == 0 ? 0 : lines.get(0).iteration()[0],
                all.stream().filter(Double::isFinite).findFirst().orElse(Double.NaN));
        Charts.padY(chart.getStyler(), all.stream().mapToDouble(Double::doubleValue).toArray(), false);
        return chart;
    }

    private static int add(XYChart chart, CurveLine line, double[] loss, String legend, String kind, Color c,
            BasicStroke stroke, Map<String, Boolean> shown) {
        int n = 0;
        for (double v : loss) {
            if (Double.isFinite(v)) {
                n++;
            }
        }
        if (n == 0) {
            return 0;
        }
        double[] x = new double[n];
        double[] y = new double[n];
        int k = 0;
        for (int i = 0; i < loss.length; i++) {
            if (Double.isFinite(loss[i])) {
                x[k] = line.iteration()[i];
                y[k++] = loss[i];
            }
        }
        String name = legend + " (seed " + line.seed() + ")";
        if (chart.getSeriesMap().containsKey(name)) {
            name = name + " #" + chart.getSeriesMap().size();
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setLineColor(c);
        s.setMarkerColor(c);
        if (stroke != null) {
            s.setLineStyle(stroke);
        } else {
            s.setLineWidth(2f);
        }
        s.setMarker(n <= 30 ? ("training".equals(kind) ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND) : SeriesMarkers.NONE);
        boolean first = shown.putIfAbsent(legend, Boolean.TRUE) == null;
        s.setShowInLegend(first);
        if (first) {
            s.setLabel(legend);
        }
        return 1;
    }
}
