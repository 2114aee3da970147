package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.spec.Json;

/**
 * decode, smooth, filter --states and forecast name states and symbols as the spec does ("calm",
 * "storm"), with the list of names at the top of the file and the columns of probabilities in its order;
 * and plot draws what they write.
 */
class StateNamesCommandLineTest {
    /** Two far-apart Gaussian states: an observation near 0 is calm, one near 10 a storm, beyond doubt. */
    static final String CALM_STORM = """
            {"type": "hmm", "states": ["calm", "storm"], "initial": [0.5, 0.5], "transition": [[0.9, 0.1], [0.1, 0.9]],
             "emission": {"type": "gaussian", "covarianceType": "spherical", "means": [[0], [10]], "covariances": [1, 1]}}
            """;
    static final String OBSERVATIONS = """
            {"sequences": [{"id": "sea", "observations": [0.1, -0.3, 9.7, 10.2, 0.4]}]}
            """;

    @TempDir
    Path dir;

    private JsonNode run(String... args) {
        CliRunner r = CliRunner.runJson(args);
        assertThat(r.exitCode()).as("%s: %s", String.join(" ", args), r.err()).isZero();
        return Json.parse(r.out(), "stdout");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void decodeSmoothAndFilterNameTheStates() throws Exception {
        Path model = Files.writeString(dir.resolve("sea.json"), CALM_STORM);
        Path data = Files.writeString(dir.resolve("d.json"), OBSERVATIONS);

        JsonNode decoded = run("decode", "--model", model.toString(), "--data", data.toString());
        assertThat(texts(decoded.get("states"))).containsExactly("calm", "storm");
        // a switch costs log 0.1 = -2.3 nats, while the wrong state costs about 45 nats per observation
        assertThat(texts(decoded.get("sequences").get(0).get("viterbiPath")))
                .containsExactly("calm", "calm", "storm", "storm", "calm");

        JsonNode smoothed = run("smooth", "--model", model.toString(), "--data", data.toString());
        assertThat(texts(smoothed.get("states"))).containsExactly("calm", "storm");
        JsonNode posterior = smoothed.get("sequences").get(0).get("posteriorProbabilities");
        // column 1 is "storm": about 1 at the steps near 10, about 0 elsewhere
        assertThat(posterior.get(2).get(1).asDouble()).isGreaterThan(1 - 1e-9);
        assertThat(posterior.get(0).get(1).asDouble()).isLessThan(1e-9);

        JsonNode filtered = run("filter", "--states", "--model", model.toString(), "--data", data.toString());
        assertThat(texts(filtered.get("states"))).containsExactly("calm", "storm");
        assertThat(filtered.get("sequences").get(0).get("filteredProbabilities").get(3).get(1).asDouble())
                .isGreaterThan(1 - 1e-9);
        // without --states the file has no state columns, and no list of them
        assertThat(run("filter", "--model", model.toString(), "--data", data.toString()).has("states")).isFalse();
    }

    @Test
    void aSpecWithoutNamesNumbersItsStates() throws Exception {
        Path model = Files.writeString(dir.resolve("sea.json"), CALM_STORM.replace("\"states\": [\"calm\", \"storm\"], ", ""));
        Path data = Files.writeString(dir.resolve("d.json"), OBSERVATIONS);
        JsonNode decoded = run("decode", "--model", model.toString(), "--data", data.toString());
        assertThat(texts(decoded.get("states"))).containsExactly("0", "1");
        assertThat(texts(decoded.get("sequences").get(0).get("viterbiPath"))).containsExactly("0", "0", "1", "1", "0");
    }

    @Test
    void forecastNamesTheSymbols() throws Exception {
        // from "sunny" (state calm for sure: the chain starts there) the states one step on are 0.9 calm, 0.1
        // storm: p(sunny) = 0.9 * 0.8 + 0.1 * 0.3 = 0.75; two steps on 0.83 calm, 0.17 storm: 0.664 + 0.051 = 0.715
        Path model = Files.writeString(dir.resolve("days.json"), """
                {"type": "hmm", "states": ["calm", "storm"], "initial": [1, 0], "transition": [[0.9, 0.1], [0.2, 0.8]],
                 "emission": {"type": "categorical", "symbols": ["sunny", "rainy"], "probabilities": [[0.8, 0.2], [0.3, 0.7]]}}
                """);
        Path data = Files.writeString(dir.resolve("d.json"), """
                {"symbols": ["sunny", "rainy"], "sequences": [{"id": "today", "observations": ["sunny"]}]}
                """);
        JsonNode f = run("forecast", "--model", model.toString(), "--data", data.toString(), "--steps", "2");
        assertThat(texts(f.get("symbols"))).containsExactly("sunny", "rainy");
        JsonNode rows = f.get("sequences").get(0).get("forecast");
        assertThat(rows.get(0).get("probabilities").get(0).asDouble()).isCloseTo(0.75, within(1e-12));
        assertThat(rows.get(1).get("probabilities").get(0).asDouble()).isCloseTo(0.715, within(1e-12));

        // a Markov chain's symbols are its states: after "rainy", the row of "rainy" in the spec
        Path chain = Files.writeString(dir.resolve("weather.json"), MarkovCommandLineTest.WEATHER);
        Path week = Files.writeString(dir.resolve("w.json"), """
                {"symbols": ["sunny", "cloudy", "rainy"], "sequences": [{"id": "w", "observations": ["sunny", "rainy"]}]}
                """);
        JsonNode g = run("forecast", "--model", chain.toString(), "--data", week.toString(), "--steps", "1");
        assertThat(texts(g.get("symbols"))).containsExactly("sunny", "cloudy", "rainy");
        JsonNode p = g.get("sequences").get(0).get("forecast").get(0).get("probabilities");
        assertThat(p.get(0).asDouble()).isCloseTo(0.25, within(1e-12));
        assertThat(p.get(2).asDouble()).isCloseTo(0.5, within(1e-12));

        // filter --summaries names the columns of its predictive probabilities the same way
        JsonNode s = run("filter", "--summaries", "--model", chain.toString(), "--data", week.toString());
        assertThat(texts(s.get("symbols"))).containsExactly("sunny", "cloudy", "rainy");
    }

    @Test
    void plotDrawsTheFilesOfDecodeSmoothAndForecast() throws Exception {
        Path model = Files.writeString(dir.resolve("sea.json"), CALM_STORM);
        Path data = Files.writeString(dir.resolve("d.json"), OBSERVATIONS);
        for (String command : new String[] {"decode", "smooth", "forecast"}) {
            Path result = dir.resolve(command + ".json");
            List<String> args = new ArrayList<>(List.of(command, "--model", model.toString(), "--data", data.toString(),
                    "--out", result.toString()));
            if (command.equals("forecast")) {
                args.addAll(List.of("--steps", "4"));
            }
            assertThat(CliRunner.run(args.toArray(new String[0])).exitCode()).isZero();
            CliRunner plot = CliRunner.run("plot", "--result", result.toString(), "--out", dir.resolve("p-" + command).toString());
            assertThat(plot.exitCode()).as(plot.err()).isZero();
            assertThat(plot.out()).startsWith(command + " result: 1 chart(s)");
        }
        assertThat(dir.resolve("p-decode").resolve("viterbi-sea.png")).exists();
        assertThat(dir.resolve("p-smooth").resolve("posterior-sea.png")).exists();
        assertThat(dir.resolve("p-forecast").resolve("forecast-sea.png")).exists();
    }
}
