package org.statespace.plots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
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
        for (int t = 0; t < 50; t++) {
            String c = t == 0 ? "" : ",";
            double mean = Math.sin(t / 6.0);
            m.append(c).append(mean);
            l5.append(c).append(mean - 0.3);
            u5.append(c).append(mean + 0.3);
            l9.append(c).append(mean - 0.8);
            u9.append(c).append(mean + 0.8);
            h.append(c).append("[").append(Math.tanh(mean)).append(",").append(Math.tanh(-mean)).append(",")
                    .append(Math.tanh(0.5 * t / 50)).append("]");
        }
        String json = "{\"sequences\": [{\"id\": \"x\", \"predictiveLogDensities\": [], \"predictiveMeans\": [" + m
                + "], \"predictiveVariances\": [], \"lower50\": [" + l5 + "], \"upper50\": [" + u5 + "], \"lower90\": ["
                + l9 + "], \"upper90\": [" + u9 + "], \"hiddenLayer0\": [" + h + "]}]}";
        assertThat(ResultCharts.kind(Json.parse(json, "r"))).contains("filter result");
        draw(json, 2);
    }

    @Test
    void anythingElseIsOneClearError() {
        assertThatThrownBy(() -> ResultCharts.figures(Json.parse("{\"type\": \"markov-chain\"}", "m"), Path.of("m.json")))
                .isInstanceOf(DataException.class)
                .hasMessage("m.json: not a result statespace can plot (expected a study's results.json, or the output of "
                        + "filter, smooth, decode or fit --report)");
        assertThatThrownBy(() -> ResultCharts.figures(Json.parse(
                "{\"sequences\": [{\"id\": \"s\", \"posteriorProbabilities\": [[0.5, 0.5], [1.0]]}]}", "r"),
                Path.of("r.json"))).isInstanceOf(DataException.class)
                .hasMessage("r.json: sequences[0]: posteriorProbabilities[1]: 1 numbers, but earlier steps have 2");
        assertThatThrownBy(() -> ResultCharts.figures(Json.parse(
                "{\"sequences\": [{\"id\": \"s\", \"viterbiPath\": [0, \"x\"]}]}", "r"), Path.of("r.json")))
                .isInstanceOf(DataException.class).hasMessageContaining("viterbiPath[1]: expected a number");
    }
}
