package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.Sampling;
import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;
import org.statespace.data.Datasets;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * Symbols meet the model by name in every command: a CSV numbers its symbols in its own order, a JSON
 * dataset may list them in any order or only some of them, and the model's alphabet decides.
 */
class SymbolsByNameCommandLineTest {
    @TempDir
    Path dir;
    Path weather;
    Path casino;

    @BeforeEach
    void writeModels() throws Exception {
        weather = Files.writeString(dir.resolve("weather.json"), MarkovCommandLineTest.WEATHER);
        casino = Files.writeString(dir.resolve("casino.json"), HmmCommandLineTest.CASINO);
    }

    private static JsonNode ok(String... args) {
        CliRunner r = CliRunner.runJson(args);
        assertThat(r.exitCode()).as("%s: %s", String.join(" ", args), r.err()).isZero();
        return Json.parse(r.out(), "stdout");
    }

    private double logLikelihood(Path model, Path data) {
        return ok("filter", "--model", model.toString(), "--data", data.toString()).get("logLikelihood").asDouble();
    }

    @Test
    void aCsvOfSunnyThenRainyScoresSunnyToRainy() throws Exception {
        // by hand: p(sunny first) = initial[sunny] = 1, p(rainy | sunny) = 0.05
        double expected = Math.log(1) + Math.log(0.05);
        Path csv = Files.writeString(dir.resolve("w.csv"), "symbol\nsunny\nrainy\n");
        assertThat(logLikelihood(weather, csv)).isCloseTo(expected, within(1e-12));
        // a JSON list in another order, and one that is a subset, give the same
        Path reordered = Files.writeString(dir.resolve("r.json"),
                "{\"symbols\": [\"rainy\", \"cloudy\", \"sunny\"], \"sequences\": [{\"observations\": [2, 0]}]}");
        Path subset = Files.writeString(dir.resolve("s.json"),
                "{\"symbols\": [\"rainy\", \"sunny\"], \"sequences\": [{\"observations\": [\"sunny\", \"rainy\"]}]}");
        assertThat(logLikelihood(weather, reordered)).isCloseTo(expected, within(1e-12));
        assertThat(logLikelihood(weather, subset)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void oneSampleWrittenAsCsvAndAsJsonGivesTheSameLikelihoodsAndPaths() {
        for (Path model : List.of(weather, casino)) {
            Path json = dir.resolve("d.json");
            Path csv = dir.resolve("d.csv");
            for (Path out : List.of(json, csv)) {
                ok("sample", "--model", model.toString(), "--length", "200", "--sequences", "2", "--seed", "11",
                        "--out", out.toString());
            }
            JsonNode fromJson = ok("filter", "--model", model.toString(), "--data", json.toString());
            JsonNode fromCsv = ok("filter", "--model", model.toString(), "--data", csv.toString());
            assertThat(fromCsv.get("logLikelihood").asDouble()).isEqualTo(fromJson.get("logLikelihood").asDouble());
            assertThat(fromCsv.get("sequences")).isEqualTo(fromJson.get("sequences"));
            if (model == casino) {
                JsonNode pathsJson = ok("decode", "--model", model.toString(), "--data", json.toString()).get("sequences");
                JsonNode pathsCsv = ok("decode", "--model", model.toString(), "--data", csv.toString()).get("sequences");
                assertThat(pathsCsv).isEqualTo(pathsJson);
                JsonNode smoothJson = ok("smooth", "--model", model.toString(), "--data", json.toString());
                JsonNode smoothCsv = ok("smooth", "--model", model.toString(), "--data", csv.toString());
                assertThat(smoothCsv.get("sequences")).isEqualTo(smoothJson.get("sequences"));
            }
            JsonNode forecastJson = ok("forecast", "--model", model.toString(), "--data", json.toString(), "--steps", "3");
            JsonNode forecastCsv = ok("forecast", "--model", model.toString(), "--data", csv.toString(), "--steps", "3");
            assertThat(forecastCsv.get("sequences")).isEqualTo(forecastJson.get("sequences"));
        }
    }

    @Test
    void sampleWritesNamesAndReadsBackToTheSameData() throws Exception {
        for (Path model : List.of(weather, casino)) {
            StateSpaceModel<?, ?> m = ModelSpecs.read(model);
            List<Sequence> drawn = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                drawn.add(Sampling.sample(m, "s" + (i + 1), 50, null, Randoms.stream(5, i)));
            }
            List<String> stateNames = m instanceof org.statespace.hmm.HiddenMarkovModel h ? h.stateNames() : List.of();
            Dataset expected = Dataset.ofSymbols(drawn, m.symbolNames()).withStateNames(stateNames);
            for (String name : List.of("x.json", "x.csv")) {
                Path out = dir.resolve(name);
                ok("sample", "--model", model.toString(), "--length", "50", "--sequences", "2", "--seed", "5",
                        "--out", out.toString());
                String text = Files.readString(out);
                // names, never the indices: the first observation is the name of the first drawn symbol
                String first = m.symbolNames().get(drawn.get(0).symbol(0));
                assertThat(text).as(name).contains(name.endsWith(".json") ? "[ \"" + first + "\"" : "0," + first);
                Dataset back = m.observationSpace().align(Datasets.read(out), name).alignStates(stateNames, name);
                assertThat(back).as(name).isEqualTo(expected);
                if (!stateNames.isEmpty()) {
                    String state = stateNames.get((int) drawn.get(0).state(0, 0));
                    assertThat(text).as(name).contains(name.endsWith(".json") ? "\"states\" : [ \"" + state + "\"" : "," + state + "\n");
                }
            }
        }
    }

    @Test
    void theWeatherChainIsNotFedIndices() throws Exception {
        Path indices = Files.writeString(dir.resolve("i.csv"), "symbol\n0\n2\n");
        CliRunner r = CliRunner.run("filter", "--model", weather.toString(), "--data", indices.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: " + indices + ": sequence 's1', step 0: unknown symbol \"0\"");
    }
}
