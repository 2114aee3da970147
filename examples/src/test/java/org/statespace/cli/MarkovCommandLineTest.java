package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.spec.Json;

/** The Markov chain end to end through the command line, as a user runs it. */
class MarkovCommandLineTest {
    static final String WEATHER = """
            {"type": "markov-chain", "states": ["sunny", "cloudy", "rainy"], "initial": [1, 0, 0],
             "transition": [[0.8, 0.15, 0.05], [0.2, 0.6, 0.2], [0.25, 0.25, 0.5]]}
            """;

    @TempDir
    Path dir;
    Path model;

    @BeforeEach
    void writeModel() throws Exception {
        model = dir.resolve("weather.json");
        Files.writeString(model, WEATHER);
    }

    @Test
    void sampleThenFitRecoversEveryTransitionProbability() {
        Path data = dir.resolve("w.json");
        Path fitted = dir.resolve("fitted.json");
        Path report = dir.resolve("report.json");
        CliRunner sample = CliRunner.run("sample", "--model", model.toString(), "--length", "100000", "--seed", "7",
                "--out", data.toString());
        assertThat(sample.exitCode()).as(sample.err()).isZero();
        CliRunner fit = CliRunner.run("fit", "--model", model.toString(), "--data", data.toString(), "--out",
                fitted.toString(), "--report", report.toString());
        assertThat(fit.exitCode()).as(fit.err()).isZero();
        JsonNode spec = Json.read(fitted);
        double[][] truth = {{0.8, 0.15, 0.05}, {0.2, 0.6, 0.2}, {0.25, 0.25, 0.5}};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat(spec.get("transition").get(i).get(j).asDouble()).isCloseTo(truth[i][j], within(0.02));
            }
        }
        JsonNode r = Json.read(report);
        assertThat(r.get("method").asText()).isEqualTo("closed-form");
        assertThat(r.get("logLikelihoodTrace")).hasSize(2);
        assertThat(r.get("aic").asDouble()).isGreaterThan(0);
    }

    @Test
    void filterWritesPerStepLogDensities() throws Exception {
        Path data = dir.resolve("d.json");
        Files.writeString(data, "{\"symbols\": [\"sunny\", \"cloudy\", \"rainy\"], "
                + "\"sequences\": [{\"id\": \"a\", \"observations\": [\"sunny\", \"cloudy\", null, \"rainy\"]}]}");
        CliRunner r = CliRunner.run("filter", "--model", model.toString(), "--data", data.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode out = Json.parse(r.out(), "out");
        JsonNode densities = out.get("sequences").get(0).get("predictiveLogDensities");
        assertThat(densities.get(0).asDouble()).isZero();
        assertThat(densities.get(1).asDouble()).isCloseTo(Math.log(0.15), within(1e-15));
        assertThat(densities.get(2).isNull()).isTrue();
        // P(rainy two steps after cloudy) = Σ_k A[cloudy][k] A[k][rainy]
        double p = 0.2 * 0.05 + 0.6 * 0.2 + 0.2 * 0.5;
        assertThat(densities.get(3).asDouble()).isCloseTo(Math.log(p), within(1e-15));
        assertThat(out.get("logLikelihood").asDouble()).isCloseTo(Math.log(0.15) + Math.log(p), within(1e-14));
    }

    @Test
    void analyzeReportsClassesAndStationaryDistribution() {
        CliRunner text = CliRunner.run("analyze", "--model", model.toString());
        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).contains("irreducible").contains("0.521739");
        CliRunner json = CliRunner.run("analyze", "--model", model.toString(), "--json");
        JsonNode a = Json.parse(json.out(), "out");
        assertThat(a.get("stationaryDistributions").get(0).get("distribution").get(2).asDouble())
                .isCloseTo(4.0 / 23, within(1e-12));
        assertThat(a.get("classes").get(0).get("period").asInt()).isEqualTo(1);
    }

    @Test
    void analyzeHandlesAValidChainWithAnEntryOf1eMinus300() throws Exception {
        // sunny leaves with probability 1e-300 (its stay, 1 - 1e-300, is 1 in double). By hand:
        // π ∝ (0.5, 1e-300), the mean time from sunny to rainy is 1/1e-300 = 1e300
        Path tiny = Files.writeString(dir.resolve("tiny.json"), "{\"type\": \"markov-chain\", \"states\": [\"sunny\", \"rainy\"],"
                + " \"initial\": [1, 0], \"transition\": [[1, 1e-300], [0.5, 0.5]]}");
        CliRunner json = CliRunner.run("analyze", "--model", tiny.toString(), "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode a = Json.parse(json.out(), "out");
        JsonNode pi = a.get("stationaryDistributions").get(0).get("distribution");
        assertThat(pi.get(0).asDouble()).isCloseTo(1, within(1e-15));
        assertThat(pi.get(1).asDouble() / 2e-300).isCloseTo(1, within(1e-12));
        assertThat(a.get("meanFirstPassageTimes").get(0).get(1).asDouble() / 1e300).isCloseTo(1, within(1e-12));
        assertThat(CliRunner.run("analyze", "--model", tiny.toString()).exitCode()).isZero();
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"sample", "filter", "smooth", "decode", "forecast", "fit", "analyze", "types"}) {
            CliRunner r = CliRunner.run(command, "--help");
            assertThat(r.exitCode()).as(command).isZero();
            assertThat(r.out()).as(command).contains("Usage: statespace " + command);
        }
        assertThat(CliRunner.run("--help").out()).contains("sample").contains("filter").contains("fit");
    }
}
