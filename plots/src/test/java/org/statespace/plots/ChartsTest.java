package org.statespace.plots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.w3c.dom.Document;

import org.statespace.DataException;
import org.statespace.DimensionMismatchException;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.inference.FilterEngine;
import org.statespace.inference.SequenceTrace;
import org.statespace.inference.result.FilterReport;
import org.statespace.markov.MarkovChain;

/** Every chart from a small result: written as PNG and SVG, of the stated size, not blank, SVG parses. */
class ChartsTest {
    @TempDir
    Path tmp;

    private Path dir() {
        return ImageChecks.outputDir(tmp);
    }

    private void check(String name, Chart<?, ?> chart, int width, int height) throws Exception {
        assertThat(chart.getWidth()).isEqualTo(width);
        assertThat(chart.getHeight()).isEqualTo(height);
        List<Path> files = PlotFiles.writeAll(List.of(new Figure(name, "test", name, "", Drawing.of(chart))), dir());
        assertThat(files).hasSize(2);
        ImageChecks.checkPng(files.get(0), width, height);
        Document svg = ImageChecks.checkSvg(files.get(1));
        assertThat(svg.getDocumentElement().getAttribute("width")).startsWith(Integer.toString(width));
    }

    @Test
    void predictiveBands() throws Exception {
        PredictiveSeries s = Samples.localLevel(120, 84);
        XYChart chart = PredictiveChart.of("local level: one-step-ahead predictions", s);
        assertThat(chart.getSeriesMap()).containsKeys("90% predictive interval", "50% predictive interval",
                "predictive mean", "observed");
        // missing observations are left out, not drawn at zero
        assertThat(chart.getSeriesMap().get("observed").getXData()).hasSizeLessThan(120);
        check("predictive", chart, 960, 480);
    }

    @Test
    void predictiveSeriesFromAFilterRun() throws Exception {
        MarkovChain chain = MarkovChain.of(new double[] {0.5, 0.5}, new double[][] {{0.9, 0.1}, {0.2, 0.8}});
        Sequence seq = Sequence.ofSymbols("a", new int[] {0, 0, 1, 1, 1, 0, 0, 0, 1, 0});
        SequenceTrace trace = FilterEngine.singleThreaded().run(chain, seq);
        FilterReport.Run run = FilterReport.run(trace);
        PredictiveSeries s = PredictiveSeries.of(run, seq, 0, 0, "symbol index", 7);
        assertThat(s.length()).isEqualTo(10);
        assertThat(s.observed()[2]).isEqualTo(1.0);
        // after observing 0 the chain predicts 0 with probability 0.9: mean 0.1, and 0 is the 5% and 25% quantile
        assertThat(s.mean()[1]).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(s.lower90()[1]).isEqualTo(0.0);
        assertThat(s.upper90()[1]).isEqualTo(1.0);
        assertThatThrownBy(() -> PredictiveSeries.of(run, seq, 0, 1, "x", -1)).isInstanceOf(DataException.class)
                .hasMessageContaining("component 1");
        // the last steps of a run (as a study keeps them) are drawn at their own steps, against the same observations
        PredictiveSeries tail = PredictiveSeries.of(run.steps(4, 10), seq, 4, 0, "symbol index", 7);
        assertThat(tail.time()).containsExactly(4, 5, 6, 7, 8, 9);
        assertThat(tail.mean()).containsExactly(java.util.Arrays.copyOfRange(s.mean(), 4, 10));
        assertThat(tail.observed()).containsExactly(java.util.Arrays.copyOfRange(s.observed(), 4, 10));
        assertThat(tail.heldOutFrom()).isEqualTo(3);
        assertThatThrownBy(() -> PredictiveSeries.of(run.steps(4, 10), seq, 3, 0, "x", -1))
                .isInstanceOf(DataException.class).hasMessageContaining("10 steps");
        check("predictive-markov", PredictiveChart.of("two-state chain", s), 960, 480);
    }

    @Test
    void statesWithBands() throws Exception {
        double[] truth = new double[150];
        List<GaussianTrack> tracks = Samples.stateTracks(150, truth);
        XYChart chart = StateChart.of("tracking: hidden state", "position x₀ (m)", 0, tracks, truth);
        assertThat(chart.getSeriesMap()).containsKeys("filtered mean", "smoothed mean", "filtered 90% interval",
                "true state");
        check("states", chart, 960, 480);
        check("states-velocity", StateChart.of("tracking: drift", "drift x₁ (m/step)", 1, tracks, new double[0]), 960,
                480);
        assertThatThrownBy(() -> StateChart.of("t", "y", 2, tracks, truth)).isInstanceOf(DataException.class)
                .hasMessageContaining("component 2");
    }

    @Test
    void posteriorWithViterbiAndTruePath() throws Exception {
        StateProbabilityTrack p = Samples.posterior(200);
        XYChart chart = ProbabilityChart.of("regimes: posterior state probabilities",
                "posterior p(state at t | all observations)", p);
        check("posterior", chart, 960, 480 + 80);
        assertThatThrownBy(() -> new StateProbabilityTrack("s", List.of("a", "b"), 2, new double[] {0.5, 0.5, 1.4, 0},
                List.of(), -1)).isInstanceOf(DataException.class).hasMessageContaining("probabilities[1][0] = 1.4");
        assertThatThrownBy(() -> new StateProbabilityTrack("s", List.of("a", "b"), 2, new double[] {0.5, 0.5, 1, 0},
                List.of(new LabelledPath("Viterbi path", new int[] {0, 2})), -1)).isInstanceOf(DataException.class)
                .hasMessageContaining("Viterbi path[1] = 2");
    }

    @Test
    void learningCurvesOfEveryModel() throws Exception {
        XYChart chart = LearningCurveChart.of("regimes: learning curves", "loss per observation (nats)",
                Samples.curves());
        long inLegend = chart.getSeriesMap().values().stream().filter(s -> s.isShowInLegend()).count();
        assertThat(inLegend).isEqualTo(5); // 3 training, 2 validation (kalman has none)
        check("curves", chart, 960, 480);
        assertThatThrownBy(() -> new CurveLine("m", 1, new double[] {0, 1}, new double[] {1}, new double[] {1, 2}))
                .isInstanceOf(DimensionMismatchException.class).hasMessageContaining("trainingLoss");
    }

    @Test
    void metricPanelsWithSpread() throws Exception {
        Drawing d = MetricChart.of("predictive log-likelihood (higher is better)", Samples.metric());
        assertThat(d.width()).isEqualTo(2 * MetricChart.PANEL_WIDTH);
        List<Path> files = PlotFiles.writeAll(List.of(new Figure("metric", "test", "metric", "", d)), dir());
        ImageChecks.checkPng(files.get(0), d.width(), d.height());
        ImageChecks.checkSvg(files.get(1));
    }

    @Test
    void hiddenUnitsAsLinesAndHeatMap() throws Exception {
        Chart<?, ?> few = HiddenUnitsChart.of("GRU layer 1: hidden units", Samples.hidden(150, 4));
        assertThat(few).isInstanceOf(XYChart.class);
        check("hidden-lines", few, 960, 480);
        Chart<?, ?> many = HiddenUnitsChart.of("GRU layer 1: hidden units", Samples.hidden(150, 24));
        assertThat(many).isInstanceOf(HeatMapChart.class);
        check("hidden-heatmap", many, 960, 496);
        assertThatThrownBy(() -> HiddenUnits.of("s", "layer", new double[][] {{1, 2}, {3}}))
                .isInstanceOf(DimensionMismatchException.class).hasMessageContaining("layer[1]");
    }
}
