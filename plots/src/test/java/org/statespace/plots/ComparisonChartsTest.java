package org.statespace.plots;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * The geometry of the comparison and prediction charts: one panel and one axis per dataset, no slot for a
 * model that did not run, an axis fitted to negative scores, one colour per model across charts, and a
 * prediction axis that a diffuse first step does not set.
 */
class ComparisonChartsTest {

    private static MetricChart.Panels panels(Drawing d) {
        assertThat(d).isInstanceOf(MetricChart.Panels.class);
        return (MetricChart.Panels) d;
    }

    @Test
    void onePanelPerDatasetEachWithItsOwnAxisAndOnlyTheModelsThatRan() {
        // a dataset in the thousands beside one in the units
        MetricTable t = new MetricTable("mse", "mse", List.of("a", "b", "c"), List.of("big", "small"),
                new double[][] {{14052.8, Double.NaN}, {13900.0, 1.2}, {Double.NaN, 1.5}},
                new double[][] {{258.2, Double.NaN}, {100.0, 0.1}, {Double.NaN, 0.2}});
        MetricChart.Panels p = panels(MetricChart.of("mse", t));
        assertThat(p.panels()).hasSize(2);
        XYChart big = p.panels().get(0);
        XYChart small = p.panels().get(1);
        assertThat(big.getTitle()).isEqualTo("big");
        // only the models with a value: a and b on "big", b and c on "small", at positions 1 and 2
        assertThat(big.getSeriesMap().keySet()).containsExactly("a", "b");
        assertThat(small.getSeriesMap().keySet()).containsExactly("b", "c");
        assertThat(big.getSeriesMap().get("b").getXData()).containsExactly(2.0);
        assertThat(big.getStyler().getXAxisMax()).isLessThan(3.0);
        // each axis covers its own mean ± sd and is far from the other dataset's
        assertThat(big.getStyler().getYAxisMin()).isBetween(13000.0, 13800.0);
        assertThat(big.getStyler().getYAxisMax()).isBetween(14311.0, 15000.0);
        assertThat(small.getStyler().getYAxisMin()).isBetween(0.5, 1.1);
        assertThat(small.getStyler().getYAxisMax()).isBetween(1.7, 2.5);
        // one legend names every model that has a dot somewhere, in the table's order, in its colour
        assertThat(p.legend().keySet()).containsExactly("a", "b", "c");
        assertThat(p.legend().get("c")).isEqualTo(small.getSeriesMap().get("c").getMarkerColor());
    }

    @Test
    void negativeScoresGetAnAxisAroundThemNotDownFromZero() {
        MetricChart.Panels p = panels(MetricChart.of("log score", Samples.metric()));
        XYChart casino = p.panels().get(0);
        // casino means -1.77..-1.70 with sds up to 0.02: the axis must stay well below 0
        assertThat(casino.getStyler().getYAxisMax()).isLessThan(-1.6);
        assertThat(casino.getStyler().getYAxisMin()).isGreaterThan(-1.9).isLessThan(-1.77);
    }

    @Test
    void aModelHasOneColourInEveryChartOfAReport() {
        List<String> models = List.of("markov", "hmm-3", "gru");
        Map<String, Color> colours = Charts.modelColours(models);
        assertThat(colours.values()).doesNotHaveDuplicates();
        MetricChart.Panels p = panels(MetricChart.of("log score", Samples.metric(), colours));
        // "markov" is missing on regimes: hmm-3 is then the first dot there but keeps its own colour
        for (XYChart panel : p.panels()) {
            for (XYSeries s : panel.getSeriesMap().values()) {
                assertThat(s.getMarkerColor()).as(panel.getTitle() + " " + s.getName()).isEqualTo(colours.get(s.getName()));
            }
        }
        // the learning curves of a dataset without "markov" use the same map
        List<CurveLine> lines = Samples.curves();
        XYChart curves = LearningCurveChart.of("c", "loss", lines, Charts.modelColours(
                lines.stream().map(CurveLine::model).distinct().toList()));
        Map<String, Color> curveColours = Charts.modelColours(lines.stream().map(CurveLine::model).distinct().toList());
        for (XYSeries s : curves.getSeriesMap().values()) {
            if (s.isShowInLegend()) {
                String model = s.getName().replaceAll(" (training|validation).*$", "");
                assertThat(s.getLineColor()).as(s.getName()).isEqualTo(curveColours.get(model));
            }
        }
    }

    @Test
    void aDiffuseFirstStepDoesNotSetThePredictionAxis() {
        PredictiveSeries ordinary = Samples.localLevel(120, 84);
        double[] l90 = ordinary.lower90();
        double[] u90 = ordinary.upper90();
        double[] l50 = ordinary.lower50();
        double[] u50 = ordinary.upper50();
        // step 0 as a diffuse start gives it: variance 1e6, so a 90% band of about ± 1645
        l90[0] = ordinary.mean()[0] - 1645;
        u90[0] = ordinary.mean()[0] + 1645;
        l50[0] = ordinary.mean()[0] - 674;
        u50[0] = ordinary.mean()[0] + 674;
        PredictiveSeries diffuse = new PredictiveSeries("s", "y", ordinary.time(), ordinary.observed(), ordinary.mean(),
                l50, u50, l90, u90, 84);
        XYChart chart = PredictiveChart.of("diffuse", diffuse);
        // the axis holds every observation and the bands of steps 1.., within a few units of them
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int t = 1; t < diffuse.length(); t++) {
            for (double v : new double[] {diffuse.observed()[t], l90[t], u90[t]}) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        double span = hi - lo;
        assertThat(chart.getStyler().getYAxisMin()).isLessThanOrEqualTo(lo).isGreaterThan(lo - 0.2 * span);
        assertThat(chart.getStyler().getYAxisMax()).isGreaterThanOrEqualTo(hi).isLessThan(hi + 0.2 * span);
        // and the chart says a band is clipped
        PredictiveSeries fresh = Samples.localLevel(120, 84);
        assertThat(PredictiveChart.clippedNote(diffuse, PredictiveChart.limits(diffuse))).hasValueSatisfying(
                n -> assertThat(n).contains("1 step"));
        assertThat(PredictiveChart.clippedNote(fresh, PredictiveChart.limits(fresh))).isEmpty();
        assertThat(PredictiveChart.clippedSteps(diffuse, PredictiveChart.limits(diffuse))).isEqualTo(1);
        // a series without an extreme step is not clipped at all (a fresh one: the accessors above share arrays)
        assertThat(PredictiveChart.clippedSteps(fresh, PredictiveChart.limits(fresh))).isZero();
    }

    @Test
    void theReportsCompactPngKeepsEverySeriesColourAndIsMuchSmaller() throws Exception {
        Drawing d = Drawing.of(PredictiveChart.of("local level", Samples.localLevel(300, 200)));
        byte[] full = PlotFiles.png(d);
        byte[] compact = PlotFiles.compactPng(d);
        java.awt.image.BufferedImage a = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(full));
        java.awt.image.BufferedImage b = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(compact));
        assertThat(b.getWidth()).isEqualTo(a.getWidth());
        assertThat(b.getHeight()).isEqualTo(a.getHeight());
        assertThat(compact.length).isLessThan(full.length * 2 / 3);
        // the pixels in the chart's own colours are kept exactly; other shades move little
        int exact = 0;
        long far = 0;
        int n = a.getWidth() * a.getHeight();
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y) & 0xffffff;
                int q = b.getRGB(x, y) & 0xffffff;
                if (p == q) {
                    exact++;
                }
                int dist = Math.abs((p >> 16) - (q >> 16)) + Math.abs(((p >> 8) & 0xff) - ((q >> 8) & 0xff))
                        + Math.abs((p & 0xff) - (q & 0xff));
                if (dist > 60) {
                    far++;
                }
            }
        }
        // 48 colours (PlotFiles.PALETTE_SIZE) keep fewer anti-aliased shades exactly than 255 did; what the
        // report needs is checked directly below: the chart's own colours exact, hardly any pixel moved far
        assertThat(exact).isGreaterThan(n * 90 / 100);
        assertThat(far).isLessThan(n / 1000);
        // every pixel in one of the chart's own colours keeps it exactly
        java.util.Set<Integer> own = java.util.Set.of(PredictiveChart.BAND90.getRGB() & 0xffffff,
                PredictiveChart.BAND50.getRGB() & 0xffffff, PredictiveChart.MEAN.getRGB() & 0xffffff, 0, 0xffffff);
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y) & 0xffffff;
                if (own.contains(p)) {
                    assertThat(b.getRGB(x, y) & 0xffffff).as("pixel (%d, %d)", x, y).isEqualTo(p);
                }
            }
        }
        for (Color c : new Color[] {PredictiveChart.BAND90, PredictiveChart.BAND50, PredictiveChart.MEAN}) {
            assertThat(contains(b, c.getRGB() & 0xffffff)).as(c.toString()).isTrue();
        }
    }

    private static boolean contains(java.awt.image.BufferedImage image, int rgb) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    return true;
                }
            }
        }
        return false;
    }
}
