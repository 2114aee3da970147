package org.statespace.plots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.DataException;
import org.statespace.spec.Json;

/**
 * Result files in the shapes the command line writes them (smooth and decode of an HMM, smooth of a
 * linear-Gaussian model, filter --states of an RNN), drawn and checked.
 */
class ResultChartsTest {
    @TempDir
    Path tmp;

    private List<Path> draw(String json, int expectedFigures) throws Exception {
        StudyFigures.Drawn drawn = ResultCharts.figures(Json.parse(json, "r.json"), tmp.resolve("r.json"));
        assertThat(drawn.figures()).hasSize(expectedFigures);
        List<Path> files = PlotFiles.writeAll(drawn.figures(), ImageChecks.outputDir(tmp).resolve("results"));
        for (int i = 0; i < files.size(); i += 2) {
            Drawing d = drawn.figures().get(i / 2).drawing();
            ImageChecks.checkPng(files.get(i), d.width(), d.height());
            ImageChecks.checkSvg(files.get(i + 1));
        }
        return files;
    }

    @Test
    void smoothedHmmPosteriorWithItsViterbiPath() throws Exception {
        String json = """
                {"sequences": [{"id": "s1", "logLikelihood": -5.2,
                  "posteriorProbabilities": [[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.1, 0.9], [0.2, 0.8], [0.6, 0.4]],
                  "viterbiPath": [0, 0, 1, 1, 1, 0]}], "logLikelihood": -5.2}
                """;
        assertThat(ResultCharts.kind(Json.parse(json, "r"))).contains("smooth result");
        assertThat(draw(json, 1).get(0).getFileName().toString()).isEqualTo("posterior-s1.png");
    }

    @Test
    void decodedPathAlone() throws Exception {
        String json = """
                {"sequences": [{"id": "a", "viterbiPath": [0, 0, 2, 2, 1, 1, 1, 0], "viterbiLogProbability": -9.1}]}
                """;
        assertThat(ResultCharts.kind(Json.parse(json, "r"))).contains("decode result");
        draw(json, 1);
    }

    @Test
    void smoothedGaussianStatesOneChartPerComponent() throws Exception {
        StringBuilder means = new StringBuilder();
        StringBuilder covs = new StringBuilder();
        for (int t = 0; t < 40; t++) {
            means.append(t == 0 ? "" : ",").append("[").append(Math.sin(t / 5.0)).append(",").append(0.1 * t).append("]");
            covs.append(t == 0 ? "" : ",").append("[[0.2, 0.01], [0.01, 0.05]]");
        }
        String json = "{\"sequences\": [{\"id\": \"track\", \"smoothedMeans\": [" + means
                + "], \"smoothedCovariances\": [" + covs + "]}]}";
        draw(json, 2);
    }

    @Test
    void filterWithSummariesAndHiddenUnits() throws Exception {
        StringBuilder m = new StringBuilder();
        StringBuilder l5 = new StringBuilder();
        StringBuilder u5 = new StringBuilder();
        StringBuilder l9 = new StringBuilder();
        StringBuilder u9 = new StringBuilder();
        StringBuilder h = new StringBuilder();
        StringBuilder v = new StringBuilder();
        StringBuilder ld = new StringBuilder();
        for (int t = 0; t < 50; t++) {
            String c = t == 0 ? "" : ",";
            double mean = Math.sin(t / 6.0);
            v.append(c).append(0.2);
            ld.append(c).append(-1.1);
            m.append(c).append(mean);
            l5.append(c).append(mean - 0.3);
            u5.append(c).append(mean + 0.3);
            l9.append(c).append(mean - 0.8);
            u9.append(c).append(mean + 0.8);
            h.append(c).append("[").append(Math.tanh(mean)).append(",").append(Math.tanh(-mean)).append(",")
                    .append(Math.tanh(0.5 * t / 50)).append("]");
        }
        String json = "{\"sequences\": [{\"id\": \"x\", \"predictiveLogDensities\": [" + ld + "], \"predictiveMeans\": [" + m
                + "], \"predictiveVariances\": [" + v + "], \"lower50\": [" + l5 + "], \"upper50\": [" + u5 + "], \"lower90\": ["
                + l9 + "], \"upper90\": [" + u9 + "], \"hiddenLayer0\": [" + h + "]}]}";
        assertThat(ResultCharts.kind(Json.parse(json, "r"))).contains("filter result");
        draw(json, 2);
        // the summaries of a step are read together: a summary of another length is an error naming the file
        assertThatThrownBy(() -> ResultCharts.figures(Json.parse(json.replace("\"predictiveVariances\": [" + v + "]",
                "\"predictiveVariances\": [1]"), "r"), Path.of("r.json"))).isInstanceOf(DataException.class)
                .hasMessageStartingWith("r.json: sequences[0]: the predictive summaries differ in length");
    }

    @Test
    void anythingElseIsOneClearError() {
        assertThatThrownBy(() -> ResultCharts.figures(Json.parse("{\"type\": \"markov-chain\"}", "m"), Path.of("m.json")))
                .isInstanceOf(DataException.class)
                .hasMessage("m.json: not a result statespace can plot (expected a study's results.json, or the output of "
                        + "filter, smooth, decode, forecast or fit --report)");
        assertThatThrownBy(() -> ResultCharts.figures(Json.parse(
                "{\"sequences\": [{\"id\": \"s\", \"posteriorProbabilities\": [[0.5, 0.5], [1.0]]}]}", "r"),
                Path.of("r.json"))).isInstanceOf(DataException.class)
                .hasMessage("r.json: sequences[0]: posteriorProbabilities[1]: 1 numbers, but earlier steps have 2");
        assertThatThrownBy(() -> ResultCharts.figures(Json.parse(
                "{\"result\": \"filtered\", \"sequences\": []}", "r"), Path.of("r.json"))).isInstanceOf(DataException.class)
                .hasMessage("r.json: result: expected one of \"filter\", \"smooth\", \"decode\", \"forecast\", got \"filtered\"");
        assertThatThrownBy(() -> ResultCharts.figures(Json.parse(
                "{\"result\": \"decode\", \"version\": 2, \"sequences\": []}", "r"), Path.of("r.json")))
                .isInstanceOf(DataException.class)
                .hasMessage("r.json: version: this statespace reads result files of version 1 to 1, got 2");
        assertThatThrownBy(() -> ResultCharts.figures(Json.parse(
                "{\"sequences\": [{\"id\": \"s\", \"viterbiPath\": [0, \"x\"]}]}", "r"), Path.of("r.json")))
                .isInstanceOf(DataException.class).hasMessage("r.json: sequences[0]: viterbiPath[1]: \"x\" is not one "
                        + "of the states (the file lists none under \"states\")");
        assertThatThrownBy(() -> ResultCharts.figures(Json.parse(
                "{\"states\": [\"calm\", \"storm\"], \"sequences\": [{\"id\": \"s\", \"viterbiPath\": [\"calm\", \"windy\"]}]}",
                "r"), Path.of("r.json"))).isInstanceOf(DataException.class)
                .hasMessage("r.json: sequences[0]: viterbiPath[1]: \"windy\" is not one of the states [calm, storm]");
        assertThatThrownBy(() -> ResultCharts.figures(Json.parse(
                "{\"states\": \"calm\", \"sequences\": [{\"id\": \"s\", \"viterbiPath\": [0, 1]}]}", "r"),
                Path.of("r.json"))).isInstanceOf(DataException.class)
                .hasMessage("r.json: states: expected a list of distinct names, got \"calm\"");
        assertThatThrownBy(() -> ResultCharts.figures(Json.parse(
                "{\"states\": [\"calm\", \"calm\"], \"sequences\": [{\"id\": \"s\", \"viterbiPath\": [0, 1]}]}", "r"),
                Path.of("r.json"))).isInstanceOf(DataException.class)
                .hasMessage("r.json: states: expected a list of distinct names, got [\"calm\",\"calm\"]");
        assertThatThrownBy(() -> ResultCharts.figures(Json.parse(
                "{\"sequences\": [{\"id\": \"s\", \"forecast\": [{\"step\": 1, \"mean\": [1]}]}]}", "r"),
                Path.of("r.json"))).isInstanceOf(DataException.class)
                .hasMessage("r.json: sequences[0]: forecast[0]: no variance");
    }

    private static XYChart chart(Figure f) {
        return (XYChart) ((Drawing.ChartDrawing) f.drawing()).chart();
    }

    /** The legend entries of a chart: its series shown in the legend, in order. */
    private static List<String> legend(XYChart chart) {
        return chart.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend).map(XYSeries::getName).toList();
    }

    @Test
    void decodedPathOfNamesIsDrawnWithTheNamesOnTheAxis() throws Exception {
        String json = """
                {"states": ["calm", "storm"],
                 "sequences": [{"id": "a", "viterbiPath": ["calm", "calm", "storm", "storm", "storm", "calm"],
                  "viterbiLogProbability": -9.1}]}
                """;
        assertThat(ResultCharts.kind(Json.parse(json, "r"))).contains("decode result");
        StudyFigures.Drawn drawn = ResultCharts.figures(Json.parse(json, "r.json"), tmp.resolve("r.json"));
        XYChart c = chart(drawn.figures().get(0));
        // level k of the axis is state k of "states"; step t covers [t, t + 1)
        assertThat(c.getSeriesMap().get("path").getYData()).containsExactly(0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0);
        var label = c.getStyler().getyAxisTickLabelsFormattingFunction();
        assertThat(label.apply(0.0)).isEqualTo("calm");
        assertThat(label.apply(1.0)).isEqualTo("storm");
        // between and beyond the levels: labels of zero-width characters only, all different
        assertThat(label.apply(0.5)).matches("[\u200b\u200c\u2060]+");
        assertThat(label.apply(-1.0)).matches("[\u200b\u200c\u2060]+");
        assertThat(List.of(label.apply(-1.0), label.apply(-0.5), label.apply(0.5), label.apply(1.5), label.apply(2.0),
                label.apply(3.0))).doesNotHaveDuplicates();
        draw(json, 1);
    }

    @Test
    void posteriorsAreLabelledByTheStatesOfTheFileAndItsPathOfNamesIsAStrip() throws Exception {
        String json = """
                {"states": ["calm", "storm"], "sequences": [{"id": "s1", "logLikelihood": -5.2,
                  "posteriorProbabilities": [[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.1, 0.9], [0.2, 0.8], [0.6, 0.4]],
                  "viterbiPath": ["calm", "calm", "storm", "storm", "storm", "calm"]}]}
                """;
        XYChart c = chart(ResultCharts.figures(Json.parse(json, "r.json"), tmp.resolve("r.json")).figures().get(0));
        assertThat(legend(c)).containsExactly("calm", "storm");
        assertThat(c.getSeriesMap()).containsKeys("Viterbi path: calm", "Viterbi path: storm");
        // the strip of "storm" is up (top -0.1) on steps 2-4 only
        double[] y = c.getSeriesMap().get("Viterbi path: storm").getYData();
        assertThat(y[0]).isEqualTo(y[2]).isLessThan(y[4]);
        assertThat(y[4]).isEqualTo(y[9]).isEqualTo(-0.1);
        assertThat(y[10]).isEqualTo(y[0]);
    }

    @Test
    void statesWithoutNamesAndOldFilesOfIndicesAreNumberedStates() throws Exception {
        String json = """
                {"states": ["0", "1"], "sequences": [{"id": "s1",
                  "filteredProbabilities": [[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]], "viterbiPath": [0, 1, 1]}]}
                """;
        XYChart c = chart(ResultCharts.figures(Json.parse(json, "r.json"), tmp.resolve("r.json")).figures().get(0));
        assertThat(legend(c)).containsExactly("state 0", "state 1");
        XYChart old = chart(ResultCharts.figures(Json.parse("""
                {"sequences": [{"id": "a", "viterbiPath": [0, 0, 2, 1]}]}
                """, "r.json"), tmp.resolve("r.json")).figures().get(0));
        assertThat(old.getStyler().getyAxisTickLabelsFormattingFunction().apply(2.0)).isEqualTo("state 2");
    }

    @Test
    void forecastOfSymbolsIsLabelledBySymbolName() throws Exception {
        String json = """
                {"steps": 3, "symbols": ["sunny", "cloudy", "rainy"], "sequences": [{"id": "w", "forecast": [
                  {"step": 1, "probabilities": [0.25, 0.25, 0.5]},
                  {"step": 2, "probabilities": [0.3, 0.3, 0.4]},
                  {"step": 3, "probabilities": [0.4, 0.3, 0.3]}]}]}
                """;
        assertThat(ResultCharts.kind(Json.parse(json, "r"))).contains("forecast result");
        StudyFigures.Drawn drawn = ResultCharts.figures(Json.parse(json, "r.json"), tmp.resolve("r.json"));
        XYChart c = chart(drawn.figures().get(0));
        assertThat(legend(c)).containsExactly("sunny", "cloudy", "rainy");
        assertThat(c.getXAxisTitle()).isEqualTo("steps ahead k");
        // the stacked area of "rainy" (the last) spans from p(sunny) + p(cloudy) to 1 at step 1
        double[] rainy = c.getSeriesMap().get("rainy").getYData();
        assertThat(rainy).contains(0.5, 1.0);
        draw(json, 1);
    }

    @Test
    void forecastOfRealsIsABandOverTheStepsAhead() throws Exception {
        String json = """
                {"steps": 2, "sequences": [{"id": "nile", "forecast": [
                  {"step": 1, "mean": [800], "variance": [100], "lower50": [790], "upper50": [810], "lower90": [780], "upper90": [820]},
                  {"step": 2, "mean": [800], "variance": [200], "lower50": [786], "upper50": [814], "lower90": [770], "upper90": [830]}]}]}
                """;
        StudyFigures.Drawn drawn = ResultCharts.figures(Json.parse(json, "r.json"), tmp.resolve("r.json"));
        XYChart c = chart(drawn.figures().get(0));
        assertThat(c.getSeriesMap().get("predictive mean").getXData()).containsExactly(1, 2);
        assertThat(c.getSeriesMap().get("predictive mean").getYData()).containsExactly(800, 800);
        draw(json, 1);
    }
}
