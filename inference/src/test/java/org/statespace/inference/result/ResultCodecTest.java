package org.statespace.inference.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import org.statespace.DataException;
import org.statespace.StateSpaceModel;
import org.statespace.capability.DecodedPath;
import org.statespace.capability.Forecasting;
import org.statespace.capability.PathDecoding;
import org.statespace.capability.StateSmoothing;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.inference.FilterEngine;
import org.statespace.inference.FilterOptions;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * Every result's codec: typed value → JSON text → typed value gives an equal value (numbers bit for bit,
 * missing steps and non-existent entries included), for an HMM of symbols and a linear-Gaussian model with a
 * missing step; the marker is written first; an older file without it reads to the same value.
 */
class ResultCodecTest {
    static final StateSpaceModel<?, ?> CASINO = ModelSpecs.read(Json.parse("{\"type\": \"hmm\", \"states\": [\"fair\", "
            + "\"loaded\"], \"initial\": [0.5, 0.5], \"transition\": [[0.95, 0.05], [0.1, 0.9]], \"emission\": {\"type\": "
            + "\"categorical\", \"symbols\": [\"1\", \"2\", \"3\"], \"probabilities\": [[1, 1, 1], [1, 1, 4]]}, "
            + "\"normalize\": true}", "casino"), "casino");
    static final StateSpaceModel<?, ?> LEVEL = ModelSpecs.read(Json.parse("{\"type\": \"lgssm\", \"transitionMatrix\": "
            + "[[1, 1], [0, 1]], \"processNoise\": [[0.5, 0], [0, 0.1]], \"observationMatrix\": [[1, 0]], "
            + "\"observationNoise\": [[2]], \"initialMean\": [0, 0], \"initialCovariance\": [[4, 0], [0, 1]]}", "trend"),
            "trend");

    static Dataset casinoData() {
        return Dataset.ofSymbols(List.of(Sequence.ofSymbols("a", new int[] {0, 2, 2, -1, 1, 2, 2, 2}),
                Sequence.ofSymbols("b, with a comma", new int[] {1, 0, 2})), List.of("1", "2", "3"));
    }

    static Dataset levelData() {
        return Dataset.of(List.of(Sequence.ofScalars("n", new double[] {1.5, 0.25, Double.NaN, 3, -0.0, 1e-7})));
    }

    static ObjectNode provenance() {
        return Json.object().put("tool", "statespace").put("command", "test");
    }

    static FilterReport filter(StateSpaceModel<?, ?> model, Dataset data, boolean symbols) {
        var run = FilterEngine.of(new FilterOptions(1, true, true, true)).run(model, data);
        List<String> states = model instanceof PathDecoding p ? p.stateNames() : List.of();
        return FilterReport.of(run, states, symbols ? List.of("1", "2", "3") : List.of(), provenance());
    }

    static SmoothReport smooth(StateSpaceModel<?, ?> model, Dataset data) {
        List<SmoothReport.Run> runs = new ArrayList<>();
        for (Sequence s : data.sequences()) {
            runs.add(SmoothReport.Run.of(s.id(), ((StateSmoothing) model).smoothStates(s)));
        }
        return SmoothReport.of(model instanceof PathDecoding p ? p.stateNames() : List.of(), runs, provenance());
    }

    static DecodeReport decode(Dataset data) {
        List<DecodeReport.Path> paths = new ArrayList<>();
        for (Sequence s : data.sequences()) {
            DecodedPath p = ((PathDecoding) CASINO).decode(s);
            paths.add(new DecodeReport.Path(s.id(), p.path(), p.logProbability()));
        }
        return new DecodeReport(((PathDecoding) CASINO).stateNames(), paths, provenance());
    }

    static ForecastReport forecast(StateSpaceModel<?, ?> model, Dataset data, List<String> symbols) {
        List<ForecastReport.Run> runs = new ArrayList<>();
        for (Sequence s : data.sequences()) {
            runs.add(ForecastReport.Run.of(s.id(), ((Forecasting) model).forecast(s, 3, null)));
        }
        return new ForecastReport(3, symbols, runs, provenance());
    }

    static List<ResultValue> every() {
        return List.of(filter(CASINO, casinoData(), true), filter(LEVEL, levelData(), false), smooth(CASINO, casinoData()),
                smooth(LEVEL, levelData()), decode(casinoData()), forecast(CASINO, casinoData(), List.of("1", "2", "3")),
                forecast(LEVEL, levelData(), List.of()));
    }

    @Test
    void typedToJsonToTypedIsTheSameValue() {
        for (ResultValue value : every()) {
            String text = Json.write(value.toJson());
            JsonNode back = Json.parse(text, "r.json");
            assertThat(back.fieldNames().next()).isEqualTo("result");
            assertThat(back.get("result").asText()).isEqualTo(value.kind());
            assertThat(back.get("version").asInt()).isEqualTo(1);
            assertThat(ResultValue.read(back, "r.json")).as(value.kind()).isEqualTo(value);
            // an older file, without the marker, is recognised by its fields and reads to the same value
            ObjectNode old = (ObjectNode) back.deepCopy();
            old.remove("result");
            old.remove("version");
            assertThat(ResultValue.read(old, "old.json")).as("old " + value.kind()).isEqualTo(value);
        }
    }

    @Test
    void theTracksKeepMissingStepsAndNonExistentEntries() {
        FilterReport level = filter(LEVEL, levelData(), false);
        var run = level.sequences().get(0);
        // the missing step 2 has no log-density and a missing innovation
        assertThat(run.predictiveLogDensities().value(2, 0)).isNaN();
        assertThat(run.track("innovations").orElseThrow().value(2, 0)).isNaN();
        FilterReport back = (FilterReport) ResultValue.read(Json.parse(Json.write(level.toJson()), "r"), "r");
        assertThat(back.sequences().get(0).track("innovations").orElseThrow().value(2, 0)).isNaN();
        SmoothReport smoothed = smooth(LEVEL, levelData());
        var lagOne = smoothed.sequences().get(0).track("smoothedLagOneCovariances");
        // Cov[x_0, x_-1] does not exist: NaN, written as "NaN" and read back
        assertThat(lagOne.orElseThrow().value(0, 0)).isNaN();
        assertThat(ResultValue.read(Json.parse(Json.write(smoothed.toJson()), "r"), "r")).isEqualTo(smoothed);
    }

    @Test
    void aDocumentOfNoKnownKindIsOneClearError() {
        assertThatThrownBy(() -> ResultValue.read(Json.parse("{\"sequences\": [{\"id\": \"s\", \"x\": [1]}]}", "r"), "x.json"))
                .isInstanceOf(DataException.class).hasMessageStartingWith("x.json: not a filter, smooth, decode or "
                        + "forecast result");
        assertThatThrownBy(() -> ResultValue.read(Json.parse("{\"result\": \"filter\", \"version\": 1, \"sequences\": "
                + "[{\"id\": \"s\", \"logLikelihood\": 1, \"predictiveLogDensities\": [1, [2]]}]}", "r"), "y.json"))
                .isInstanceOf(DataException.class)
                .hasMessage("y.json: sequences[0]: predictiveLogDensities[1]: shape [1], but earlier steps have []");
    }
}
