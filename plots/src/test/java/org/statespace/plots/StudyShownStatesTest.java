package org.statespace.plots;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.capability.PathDecoding;
import org.statespace.capability.StateSmoothing;
import org.statespace.capability.Track;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.inference.FilterEngine;
import org.statespace.inference.SequenceTrace;
import org.statespace.spec.Json;
import org.statespace.study.DatasetResolver;
import org.statespace.study.ShownPredictions;
import org.statespace.study.ShownStates;
import org.statespace.study.Study;
import org.statespace.study.StudyResult;
import org.statespace.study.StudyRow;
import org.statespace.study.StudySpec;

/**
 * A study keeps what its report draws of each model's one-step predictions and of an HMM's hidden states from the
 * runs it made, writes them into results.json, and {@code plot results.json} draws the same charts from the file; a
 * file without them gets a note naming what is missing.
 */
class StudyShownStatesTest {
    @TempDir
    Path dir;

    static final DatasetResolver REGIMES = new DatasetResolver() {
        @Override
        public Dataset builtin(String name) {
            return StudyFiguresTest.regimes();
        }

        @Override
        public List<String> names() {
            return List.of("regimes");
        }
    };

    static final String SPEC = """
            {"name": "shown", "datasets": [{"name": "regimes", "builtin": "regimes"}], "seeds": [3, 4],
             "models": [{"name": "hmm-2", "template": {"type": "hmm", "states": 2}, "fit": {"maxIterations": 30}},
                        {"name": "ll", "template": {"type": "local-level"}}]}
            """;

    @Test
    void theStudyKeepsTheSmoothedStatesOfItsFirstSeedAndThePlotOfTheFileDrawsThem() throws Exception {
        StudyResult result = Study.run(StudySpec.parse(SPEC, "shown study", null), REGIMES, 1, null);
        StudyRow first = result.rows().stream().filter(r -> r.model().equals("hmm-2") && r.seed() == 3).findFirst()
                .orElseThrow();
        StudyRow second = result.rows().stream().filter(r -> r.model().equals("hmm-2") && r.seed() == 4).findFirst()
                .orElseThrow();
        assertThat(first.ok()).isTrue();
        ShownStates kept = result.shownStates(first).orElseThrow();
        assertThat(result.shownStates(second)).as("only the seed the report draws").isEmpty();
        assertThat(result.rows().stream().filter(r -> r.model().equals("ll")).map(result::shownStates))
                .as("no discrete hidden states").allMatch(java.util.Optional::isEmpty);

        // the kept values are the fitted model's smoother and decoder over the shown sequence's last steps
        var model = result.fittedModel(first).orElseThrow();
        Dataset data = StudyFiguresTest.regimes();
        Sequence shown = data.sequence(StudyResult.shownSequence(data));
        Track whole = ((StateSmoothing) model).smoothStates(shown).tracks().stream()
                .filter(t -> t.name().equals("posteriorProbabilities")).findFirst().orElseThrow();
        int n = shown.length();
        int from = n - StudyResult.SHOWN_STEPS;
        assertThat(kept.sequenceId()).isEqualTo(shown.id());
        assertThat(kept.sequenceLength()).isEqualTo(n);
        assertThat(kept.firstStep()).isEqualTo(from);
        assertThat(kept.probabilities().values())
                .containsExactly(java.util.Arrays.copyOfRange(whole.values(), from * 2, n * 2));
        assertThat(kept.viterbiPath().orElseThrow())
                .containsExactly(java.util.Arrays.copyOfRange(((PathDecoding) model).decode(shown).path(), from, n));

        // written into results.json by the codecs and read back equal
        result.write(dir);
        JsonNode json = Json.read(dir.resolve("results.json"));
        JsonNode row = rowOf(json, "hmm-2", 3);
        assertThat(row.get("shownStates").get("posterior").get("result").asText()).isEqualTo("smooth");
        assertThat(row.get("shownStates").get("viterbi").get("result").asText()).isEqualTo("decode");
        assertThat(rowOf(json, "hmm-2", 4).has("shownStates")).isFalse();
        ShownStates back = ShownStates.fromJson(row.get("shownStates"), "results.json");
        assertThat(back.probabilities().values()).containsExactly(kept.probabilities().values());
        assertThat(back.viterbiPath().orElseThrow()).containsExactly(kept.viterbiPath().orElseThrow());
        assertThat(back.states()).isEqualTo(kept.states());

        // the report of the run and the plot of the file draw the same posterior chart
        StudyPlots.write(result, REGIMES, dir);
        Path again = dir.resolve("again");
        Path report = StudyPlots.writeFromFiles(dir.resolve("results.json"), json, REGIMES, again);
        String name = "posterior-regimes-hmm-2.png";
        assertThat(Files.readAllBytes(again.resolve("plots").resolve(name)))
                .isEqualTo(Files.readAllBytes(dir.resolve("plots").resolve(name)));
        assertThat(Files.readString(report)).doesNotContain("hidden states: not drawn");

        // an older results.json, without them: the chart is missing and the report says what is
        for (JsonNode r : json.get("rows")) {
            ((ObjectNode) r).remove("shownStates");
        }
        Path old = dir.resolve("old");
        Path oldReport = StudyPlots.writeFromFiles(dir.resolve("results.json"), json, REGIMES, old);
        assertThat(old.resolve("plots").resolve(name)).doesNotExist();
        assertThat(old.resolve("plots").resolve("predictive-regimes.png")).exists();
        assertThat(Files.readString(oldReport)).contains("regimes: hmm-2, hidden states: not drawn")
                .contains("run the study again");
    }

    @Test
    void theStudyKeepsThePredictionsOfItsFirstSeedAndThePlotOfTheFileDrawsTheSameFigure() throws Exception {
        StudyResult result = Study.run(StudySpec.parse(SPEC, "shown study", null), REGIMES, 1, null);
        for (String model : List.of("hmm-2", "ll")) {
            StudyRow first = result.rows().stream().filter(r -> r.model().equals(model) && r.seed() == 3).findFirst()
                    .orElseThrow();
            StudyRow second = result.rows().stream().filter(r -> r.model().equals(model) && r.seed() == 4).findFirst()
                    .orElseThrow();
            ShownPredictions kept = result.shownPredictions(first).orElseThrow();
            assertThat(result.shownPredictions(second)).as("only the seed the report draws").isEmpty();
            // the kept values are the fitted model's one-step predictions over the shown sequence's last steps
            Dataset data = StudyFiguresTest.regimes();
            Sequence shown = data.sequence(StudyResult.shownSequence(data));
            SequenceTrace fresh = FilterEngine.singleThreaded().run(result.fittedModel(first).orElseThrow(), shown);
            int n = shown.length();
            int from = n - StudyResult.SHOWN_STEPS;
            assertThat(kept.firstStep()).isEqualTo(from);
            for (int t = from; t < n; t++) {
                assertThat(kept.bands().means().value(t - from, 0)).isEqualTo(fresh.mean(t, 0));
                assertThat(kept.bands().lower50().value(t - from, 0)).isEqualTo(fresh.interval(t, 0, 0.5)[0]);
            }
        }

        // the report of the run and the plot of the file draw the same prediction figure, byte for byte
        result.write(dir);
        JsonNode json = Json.read(dir.resolve("results.json"));
        assertThat(rowOf(json, "ll", 3).get("shownPredictions").get("predictions").get("result").asText())
                .isEqualTo("filter");
        assertThat(rowOf(json, "ll", 4).has("shownPredictions")).isFalse();
        StudyPlots.write(result, REGIMES, dir, true);
        Path again = dir.resolve("again");
        Path report = StudyPlots.writeFromFiles(dir.resolve("results.json"), json, REGIMES, again, true);
        for (String name : List.of("predictive-regimes.png", "predictive-regimes.svg")) {
            assertThat(Files.readAllBytes(again.resolve("plots").resolve(name))).as(name)
                    .isEqualTo(Files.readAllBytes(dir.resolve("plots").resolve(name)));
        }
        assertThat(Files.readString(report)).doesNotContain("not drawn");

        // an older results.json, without them: no prediction figure, and the report names each model's missing panel
        for (JsonNode r : json.get("rows")) {
            ((ObjectNode) r).remove("shownPredictions");
        }
        Path old = dir.resolve("old");
        Path oldReport = StudyPlots.writeFromFiles(dir.resolve("results.json"), json, REGIMES, old);
        assertThat(old.resolve("plots").resolve("predictive-regimes.png")).doesNotExist();
        assertThat(old.resolve("plots").resolve("posterior-regimes-hmm-2.png")).exists();
        assertThat(Files.readString(oldReport)).contains("regimes: hmm-2, predictions: not drawn")
                .contains("regimes: ll, predictions: not drawn").contains("run the study again");
    }

    @Test
    void aStudyRunWithoutItsReportKeepsNoStates() {
        StudyResult result = Study.run(StudySpec.parse(SPEC, "shown study", null), REGIMES, 1, null, false);
        assertThat(result.rows()).allMatch(r -> result.shownStates(r).isEmpty());
        assertThat(result.toJson().get("rows").findValues("shownStates")).isEmpty();
        assertThat(result.rows()).allMatch(r -> result.shownPredictions(r).isEmpty());
        assertThat(result.toJson().get("rows").findValues("shownPredictions")).isEmpty();
    }

    private static JsonNode rowOf(JsonNode json, String model, long seed) {
        for (JsonNode r : json.get("rows")) {
            if (r.get("model").asText().equals(model) && r.get("seed").asLong() == seed) {
                return r;
            }
        }
        throw new AssertionError(model + " seed " + seed);
    }
}
