package org.statespace.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.SpecException;
import org.statespace.data.Dataset;
import org.statespace.data.DatasetJson;
import org.statespace.data.Sequence;
import org.statespace.inference.FilterEngineTest;
import org.statespace.spec.Json;

class StudyTest {

    static final DatasetResolver RESOLVER = new DatasetResolver() {
        @Override
        public Dataset builtin(String name) {
            return switch (name) {
                case "weather" -> FilterEngineTest.sample(6, 200);
                case "reals" -> Dataset.of(List.of(Sequence.ofScalars("x", new double[] {0.1, 0.5, 0.2, 0.9, 1.1})));
                // a a b b | b a: the held-out b -> a never occurs in the training part
                case "unseen" -> Dataset.ofSymbols(List.of(Sequence.ofSymbols("s", new int[] {0, 0, 1, 1, 1, 0})),
                        List.of("a", "b"));
                default -> throw new SpecException("", "builtin", "no " + name);
            };
        }

        @Override
        public List<String> names() {
            return List.of("weather", "reals", "unseen");
        }
    };

    @Test
    void theFirstSeedKeepsThePredictionsOfTheSequenceTheReportDrawsFromItsOwnRun(@TempDir Path dir) throws Exception {
        StudySpec spec = StudySpec.parse("""
                {"name": "t", "datasets": [{"builtin": "weather"}], "seeds": [1, 2],
                 "models": [{"name": "chain", "template": {"type": "markov-chain"}, "fit": {"pseudoCount": 1}}]}""",
                "study.json", dir);
        StudyResult r = Study.run(spec, RESOLVER, 2, null);
        Dataset data = RESOLVER.builtin("weather");
        Sequence shown = data.sequence(StudyResult.shownSequence(data));
        StudyRow first = r.rows().get(0);
        assertThat(r.rows()).allMatch(StudyRow::ok);
        ShownPredictions kept = r.shownPredictions(first).orElseThrow();
        assertThat(r.shownPredictions(r.rows().get(1))).as("only the seed the report draws").isEmpty();
        // the kept run is the fitted model's filter over the drawn sequence: a fresh run gives the same numbers
        org.statespace.inference.SequenceTrace fresh = org.statespace.inference.FilterEngine.singleThreaded()
                .run(r.fittedModel(first).orElseThrow(), shown);
        int n = shown.length();
        int from = Math.max(0, n - StudyResult.SHOWN_STEPS);
        assertThat(kept.sequenceId()).isEqualTo(shown.id());
        assertThat(kept.sequenceLength()).isEqualTo(n);
        assertThat(kept.firstStep()).isEqualTo(from);
        assertThat(kept.predictions().logLikelihood()).isEqualTo(fresh.logLikelihood());
        var p = kept.run().probabilities().orElseThrow();
        assertThat(p.length()).isEqualTo(n - from);
        for (int t = from; t < n; t++) {
            for (int k = 0; k < p.width(); k++) {
                assertThat(p.value(t - from, k)).isEqualTo(fresh.probabilities(t).orElseThrow()[k]);
            }
            assertThat(kept.bands().means().value(t - from, 0)).isEqualTo(fresh.mean(t, 0));
            assertThat(kept.bands().upper90().value(t - from, 0)).isEqualTo(fresh.interval(t, 0, 0.9)[1]);
        }
        // written with the row as a filter result (marked and versioned) and read back equal
        r.write(dir.resolve("out"));
        JsonNode row = Json.read(dir.resolve("out/results.json")).get("rows").get(0);
        JsonNode predictions = row.get("shownPredictions").get("predictions");
        assertThat(predictions.get("result").asText()).isEqualTo("filter");
        assertThat(predictions.get("version").asInt()).isEqualTo(org.statespace.inference.result.ResultValue.VERSION);
        ShownPredictions back = ShownPredictions.fromJson(row.get("shownPredictions"), "results.json");
        assertThat(back.run().probabilities().orElseThrow()).isEqualTo(p);
        assertThat(back.bands()).isEqualTo(kept.bands());
        assertThat(back.firstStep()).isEqualTo(from);
        assertThat(Json.read(dir.resolve("out/results.json")).get("rows").get(1).has("shownPredictions")).isFalse();
        // a study run without its report keeps none
        StudyResult plain = Study.run(spec, RESOLVER, 1, null, false);
        assertThat(plain.rows()).allMatch(x -> plain.shownPredictions(x).isEmpty());
    }

    @Test
    void keptPredictionsThatDoNotEndTheSequenceOrHoldNoSummariesAreAnErrorNamingWhere() {
        JsonNode bad = Json.parse("""
                {"sequenceLength": 5, "firstStep": 1, "predictions": {"result": "filter", "observations": 2,
                 "logLikelihood": -1, "meanLogLikelihood": -0.5,
                 "sequences": [{"id": "s", "predictiveLogDensities": [-1, -1],
                   "predictiveMeans": [0, 0], "predictiveVariances": [1, 1], "lower50": [0, 0], "upper50": [1, 1],
                   "lower90": [0, 0], "upper90": [1, 1]}]}}""", "r.json");
        assertThatThrownBy(() -> ShownPredictions.fromJson(bad, "results.json: row"))
                .isInstanceOf(org.statespace.DataException.class).hasMessageContaining("results.json: row")
                .hasMessageContaining("not the end of 5 steps");
        ((com.fasterxml.jackson.databind.node.ObjectNode) bad).put("firstStep", 3);
        assertThat(ShownPredictions.fromJson(bad, "results.json: row").run().length()).isEqualTo(2);
        // a filter result without its predictive summaries draws nothing: an error, not an empty chart
        ((com.fasterxml.jackson.databind.node.ObjectNode) bad.get("predictions").get("sequences").get(0))
                .retain("id", "predictiveLogDensities");
        assertThatThrownBy(() -> ShownPredictions.fromJson(bad, "results.json: row"))
                .isInstanceOf(org.statespace.DataException.class).hasMessageContaining("results.json: row")
                .hasMessageContaining("no predictive summaries");
        ((com.fasterxml.jackson.databind.node.ObjectNode) bad.get("predictions").get("sequences").get(0))
                .put("predictiveMeans", "high");
        assertThatThrownBy(() -> ShownPredictions.fromJson(bad, "results.json: row"))
                .hasMessageContaining("results.json: row: predictions: sequences[0]");
    }

    @Test
    void anInapplicablePairIsSkippedWithTheReason(@TempDir Path dir) throws Exception {
        StudySpec spec = StudySpec.parse("""
                {"name": "t", "datasets": [{"builtin": "weather"}, {"builtin": "reals"}],
                 "seeds": [1, 2],
                 "models": [{"name": "chain", "template": {"type": "markov-chain"}, "fit": {"pseudoCount": 1}},
                            {"name": "fixed", "init": {"type": "markov-chain", "initial": [1, 0, 0],
                               "transition": [[0.8, 0.15, 0.05], [0.2, 0.6, 0.2], [0.25, 0.25, 0.5]]}}]}""",
                "study.json", dir);
        StudyResult r = Study.run(spec, RESOLVER, 2, null);
        assertThat(r.rows()).hasSize(8);
        StudyRow skipped = r.rows().stream().filter(x -> x.dataset().equals("reals") && x.model().equals("chain"))
                .findFirst().orElseThrow();
        assertThat(skipped.status()).isEqualTo(StudyRow.SKIPPED);
        assertThat(skipped.reason()).contains("symbols").contains("real");
        StudyRow fixed = r.rows().stream().filter(x -> x.dataset().equals("reals") && x.model().equals("fixed"))
                .findFirst().orElseThrow();
        assertThat(fixed.status()).isEqualTo(StudyRow.SKIPPED);
        assertThat(fixed.reason()).contains("0.1");
        StudyRow ok = r.rows().get(0);
        assertThat(ok.ok()).isTrue();
        // the held-out metrics equal an independent evaluation: the fitted chain filtered by hand
        assertThat(ok.metrics().meanLogLikelihood()).isLessThan(0).isGreaterThan(Math.log(1.0 / 3));
        assertThat(ok.metrics().accuracy()).isBetween(0.0, 1.0);
        assertThat(r.summary()).hasSize(4);
        assertThat(r.winners().get("weather")).isIn("chain", "fixed");
        r.write(dir.resolve("out"));
        assertThat(dir.resolve("out/results.json")).exists();
        assertThat(Files.readString(dir.resolve("out/results.md"))).contains("skipped");
        assertThat(Files.readString(dir.resolve("out/results.csv")).lines()).hasSize(9);
        assertThat(Json.read(dir.resolve("out/results.json")).get("provenance").get("seeds")).hasSize(2);
        assertThat(dir.resolve("out/curves/chain__weather__seed1.json")).exists();
        assertThat(dir.resolve("out/fitted/chain__weather__seed2.json")).exists();
    }

    /**
     * A chain template smooths its fit by default (Krichevsky-Trofimov: 1/2 added to every transition count), so a
     * held-out transition that training never saw gets a finite score. Training a a b b counts a->a 1, a->b 1,
     * b->b 1, b->a 0; the held-out steps are b after b and a after b. By hand: p(b | b) = (1 + 1/2) / (1 + 1) =
     * 3/4 and p(a | b) = (0 + 1/2) / (1 + 1) = 1/4; with the template's pseudoCount 1 (Laplace) 2/3 and 1/3.
     */
    @Test
    void aChainTemplateGivesAnUnseenHeldOutTransitionItsSmoothedProbability(@TempDir Path dir) throws Exception {
        StudySpec spec = StudySpec.parse("""
                {"datasets": [{"builtin": "unseen"}], "split": {"train": 0.6},
                 "models": [{"name": "kt", "template": {"type": "markov-chain"}},
                            {"name": "laplace", "template": {"type": "markov-chain", "pseudoCount": 1}},
                            {"name": "ml", "template": {"type": "markov-chain", "pseudoCount": 1}, "fit": {"pseudoCount": 0}}]}""",
                "study.json", dir);
        List<StudyRow> rows = Study.run(spec, RESOLVER, 1, null).rows();
        assertThat(rows.get(0).ok()).as(rows.get(0).reason()).isTrue();
        assertThat(rows.get(0).metrics().meanLogLikelihood()).isCloseTo((Math.log(0.75) + Math.log(0.25)) / 2,
                within(1e-12));
        assertThat(rows.get(0).score("meanLogScore")).isCloseTo((Math.log(0.75) + Math.log(0.25)) / 2, within(1e-12));
        assertThat(rows.get(1).metrics().meanLogLikelihood()).isCloseTo((Math.log(2.0 / 3) + Math.log(1.0 / 3)) / 2,
                within(1e-12));
        // the fit options' own pseudoCount wins over the template's: the maximum-likelihood chain gives b -> a
        // probability 0, and the row fails with the step
        assertThat(rows.get(2).status()).isEqualTo(StudyRow.FAILED);
        // a bad smoothing in the template is an error at its path before anything runs
        assertThatThrownBy(() -> Study.run(StudySpec.parse("""
                {"datasets": [{"builtin": "unseen"}],
                 "models": [{"name": "kt", "template": {"type": "markov-chain", "pseudoCount": -1}}]}""", "study.json",
                dir), RESOLVER, 1, null)).isInstanceOf(SpecException.class).hasMessageContaining("pseudoCount")
                .hasMessageContaining("-1");
    }

    @Test
    void everyOutputFlagsAFitThatStoppedAtItsIterationLimit(@TempDir Path dir) throws Exception {
        // two EM iterations with tolerance 0 cannot meet the tolerance; the chain's closed form always does
        StudySpec spec = StudySpec.parse("""
                {"name": "t", "datasets": [{"builtin": "weather"}], "seeds": [1, 2],
                 "models": [{"name": "chain", "template": {"type": "markov-chain"}},
                            {"name": "hmm2", "template": {"type": "hmm", "states": 2},
                             "fit": {"maxIterations": 2, "tolerance": 0}}]}""", "study.json", dir);
        StudyResult r = Study.run(spec, RESOLVER, 1, null);
        for (StudyRow row : r.rows()) {
            assertThat(row.ok()).isTrue();
            assertThat(row.converged()).as(row.model()).isEqualTo(row.model().equals("chain"));
        }
        assertThat(r.rows().stream().filter(x -> x.model().equals("hmm2")).findFirst().orElseThrow().warning())
                .contains("maxIterations 2");
        StudyResult.Summary hmm = r.summary().get(1);
        assertThat(hmm.model()).isEqualTo("hmm2");
        assertThat(hmm.converged()).isFalse();
        assertThat(hmm.notConverged()).isEqualTo(2);
        assertThat(r.summary().get(0).converged()).isTrue();
        r.write(dir.resolve("out"));
        List<String> csv = Files.readString(dir.resolve("out/results.csv")).lines().toList();
        int column = List.of(csv.get(0).split(",")).indexOf("converged");
        assertThat(column).isPositive();
        for (String line : csv.subList(1, csv.size())) {
            String[] cells = line.split(",", -1);
            assertThat(cells[column]).as(line).isEqualTo(cells[2].equals("chain") ? "true" : "false");
        }
        var json = Json.read(dir.resolve("out/results.json"));
        assertThat(json.get("rows").get(2).get("converged").asBoolean()).isFalse();
        assertThat(json.get("summary").get(1).get("converged").asBoolean()).isFalse();
        assertThat(json.get("summary").get(1).get("notConvergedSeeds").asInt()).isEqualTo(2);
        assertThat(json.get("summary").get(0).get("converged").asBoolean()).isTrue();
        assertThat(Files.readString(dir.resolve("out/results.md"))).contains("| converged |")
                .contains("**no (2 of 2 seeds stopped at the iteration limit)**");
        assertThat(r.toConsole()).contains("NO !").contains("hmm2 on weather (2/2 seeds)");
    }

    @Test
    void heldOutScoresUseTheWholePast() {
        // the fixed true chain scored on the last 30% equals its own per-step log-densities there
        Dataset data = RESOLVER.builtin("weather");
        StudySpec spec = StudySpec.parse("""
                {"datasets": [{"builtin": "weather"}], "split": {"train": 0.7},
                 "models": [{"name": "truth", "init": {"type": "markov-chain", "states": ["sunny", "cloudy", "rainy"], "initial": [1, 0, 0],
                    "transition": [[0.8, 0.15, 0.05], [0.2, 0.6, 0.2], [0.25, 0.25, 0.5]]}, "fit": false}]}""", "s", null);
        StudyRow row = Study.run(spec, RESOLVER, 1, null).rows().get(0);
        double sum = 0;
        long n = 0;
        for (Sequence s : data.sequences()) {
            int cut = Dataset.trainingSteps(s.length(), 0.7);
            for (int t = cut; t < s.length(); t++) {
                int prev = s.symbol(t - 1);
                double[][] a = FilterEngineTest.WEATHER.transitionMatrix();
                sum += Math.log(a[prev][s.symbol(t)]);
                n++;
            }
        }
        assertThat(row.metrics().observations()).isEqualTo(n);
        assertThat(row.metrics().meanLogLikelihood()).isCloseTo(sum / n, within(1e-12));
    }

    @Test
    void badStudiesNameTheirField(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> StudySpec.parse("{\"datasets\": [{\"builtin\": \"weather\"}], \"models\": [{\"init\": {\"type\": \"markov-chain\"}, \"template\": {}}]}", "s.json", dir))
                .isInstanceOf(SpecException.class).hasMessageContaining("models[0]: give exactly one of");
        assertThatThrownBy(() -> StudySpec.parse("{\"datasets\": [], \"models\": []}", "s.json", dir))
                .hasMessageContaining("datasets: must not be empty");
        assertThatThrownBy(() -> StudySpec.parse("{\"datasets\": [{\"builtin\": \"weather\"}], \"split\": {\"train\": 1.5}, \"models\": [{\"template\": {\"type\": \"markov-chain\"}}]}", "s.json", dir))
                .hasMessageContaining("split.train: must be between 0 and 1");
        StudySpec badFit = StudySpec.parse("{\"datasets\": [{\"builtin\": \"weather\"}], \"models\": [{\"template\": {\"type\": \"markov-chain\"}, \"fit\": {\"maxIteratons\": 3}}]}", "s.json", dir);
        assertThatThrownBy(() -> Study.run(badFit, RESOLVER, 1, null)).hasMessageContaining("models[0].fit.maxIteratons: unknown field");
        Path data = dir.resolve("d.json");
        DatasetJson.write(RESOLVER.builtin("reals"), data);
        StudySpec withPath = StudySpec.parse("{\"datasets\": [{\"path\": \"d.json\"}], \"models\": [{\"template\": {\"type\": \"markov-chain\"}}]}", "s.json", dir);
        assertThat(withPath.datasets().get(0).path()).isEqualTo(data);
    }
}
