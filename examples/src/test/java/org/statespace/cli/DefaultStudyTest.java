package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.examples.BuiltinDatasets;
import org.statespace.spec.Json;
import org.statespace.spec.SpecNode;
import org.statespace.study.StudySpec;

/**
 * {@code statespace compare} with no study file: the default study on the built-in datasets, end to
 * end, as the README's main command runs it. Every family runs on every dataset it applies to, nothing
 * fails, inapplicable pairs say why, and every result file and the report are written.
 */
class DefaultStudyTest {

    @Test
    void theDefaultStudyRunsEveryFamilyEndToEnd(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        CliRunner r = CliRunner.run("compare", "--out", out.toString(), "--quiet", "--threads", "2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Study \"default\"").contains("sunspots").contains("austen")
                .contains("discretised log score").contains("log mass").contains("log density");
        for (String file : new String[] {"results.json", "results.csv", "results.md", "report.html"}) {
            assertThat(out.resolve(file)).as(file).exists();
        }
        JsonNode results = Json.read(out.resolve("results.json"));
        assertThat(results.get("provenance").get("version").asText()).isNotEmpty();
        Set<String> ranTypes = new HashSet<>();
        for (JsonNode row : results.get("rows")) {
            String status = row.get("status").asText();
            assertThat(status).as("%s on %s: %s", row.get("model").asText(), row.get("dataset").asText(),
                    row.path("reason").asText()).isNotEqualTo("failed");
            if (status.equals("ok")) {
                ranTypes.add(row.get("type").asText());
                assertThat(row.get("metrics").get("meanLogLikelihood").isNumber()).isTrue();
            } else {
                assertThat(row.get("reason").asText()).isNotEmpty();
            }
        }
        assertThat(ranTypes).contains("markov-chain", "hmm", "local-level", "lgssm", "iohmm", "rnn");
        // the input-driven families on the dataset with inputs: the seat-belt law is 0 over the whole training part,
        // so the lgssm's EM holds its coefficients and says so instead of failing; the IO-HMM is skipped elsewhere
        for (JsonNode row : results.get("rows")) {
            String model = row.get("model").asText();
            boolean seatbelts = row.get("dataset").asText().equals("seatbelts");
            if (model.equals("iohmm")) {
                assertThat(row.get("status").asText()).as("iohmm on %s", row.get("dataset").asText())
                        .isEqualTo(seatbelts ? "ok" : "skipped");
            }
            if (model.equals("lgssm") && seatbelts) {
                assertThat(row.get("status").asText()).isEqualTo("ok");
                assertThat(row.get("warning").asText()).contains("input1").contains("held at their starting values");
            }
        }
        // the local level converges on every dataset, those whose optimum has observation variance 0 included
        for (JsonNode row : results.get("rows")) {
            if (row.get("model").asText().equals("local-level") && row.get("status").asText().equals("ok")) {
                assertThat(row.get("converged").asBoolean()).as("%s: %s", row.get("dataset").asText(),
                        row.path("warning").asText()).isTrue();
            }
        }
        // the report stays small (it was 4.9 MB with every chart at full colour depth and one chart per model)
        assertThat(Files.size(out.resolve("report.html"))).isLessThan(2_500_000);
        // only real built-in datasets, each scored by the log score its support calls for
        BuiltinDatasets builtin = new BuiltinDatasets();
        JsonNode scoring = results.get("scoring").get("datasets");
        assertThat(scoring.size()).isGreaterThanOrEqualTo(6);
        scoring.fields().forEachRemaining(e -> {
            assertThat(builtin.source(e.getKey())).as(e.getKey()).doesNotContain("simulated");
            String expected = switch (e.getValue().get("support").asText()) {
                case "counts" -> "discretised log score";
                case "symbols" -> "log mass";
                default -> "log density";
            };
            assertThat(e.getValue().get("logScore").asText()).isEqualTo(expected);
        });
        for (JsonNode s : results.get("summary")) {
            if (s.get("status").asText().equals("ok")) {
                assertThat(s.get("mean").has("meanLogScore")).isTrue();
                assertThat(s.get("mean").has("coverageAt95") || s.get("type").asText().equals("markov-chain")
                        || s.get("mean").has("brier")).isTrue();
            }
        }
        // each dataset has a winner, and the fitted specs and learning curves are there
        for (JsonNode s : results.get("summary")) {
            assertThat(s.get("status").asText()).isIn("ok", "skipped");
        }
        try (var files = Files.list(out.resolve("fitted"))) {
            assertThat(files.count()).isGreaterThan(10);
        }
        assertThat(Files.readString(out.resolve("report.html"))).contains("<img").contains("default");

        // results.csv reads back as one tidy table (what pandas.read_csv needs), one row per results.json row
        StrictCsv csv = StrictCsv.parse(Files.readString(out.resolve("results.csv")));
        assertThat(csv.header()).startsWith("study", "dataset", "model", "type", "seed", "status", "reason", "method",
                "iterations", "converged", "observations").contains("meanLogLikelihood").endsWith("version");
        assertThat(csv.rows()).hasSize(results.get("rows").size());
        double[] meanLogLikelihood = csv.numbers("meanLogLikelihood");
        for (int i = 0; i < csv.rows().size(); i++) {
            JsonNode row = results.get("rows").get(i);
            assertThat(csv.column("model").get(i)).isEqualTo(row.get("model").asText());
            assertThat(csv.column("status").get(i)).isEqualTo(row.get("status").asText());
            if (row.get("status").asText().equals("ok")) {
                assertThat(meanLogLikelihood[i]).isEqualTo(row.get("metrics").get("meanLogLikelihood").asDouble());
            } else {
                assertThat(meanLogLikelihood[i]).isNaN();
            }
        }
    }

    @Test
    void theQuickStudyIsASmallerStudyOfRealDatasets() throws Exception {
        BuiltinDatasets builtin = new BuiltinDatasets();
        StudySpec quick;
        StudySpec full;
        try (InputStream q = CompareCommand.class.getResourceAsStream(CompareCommand.QUICK_STUDY);
                InputStream f = CompareCommand.class.getResourceAsStream(CompareCommand.DEFAULT_STUDY)) {
            quick = StudySpec.read(SpecNode.root(Json.read(q, "quick"), "quick"), null);
            full = StudySpec.read(SpecNode.root(Json.read(f, "default"), "default"), null);
        }
        assertThat(quick.datasets().size() * quick.seeds().size())
                .isLessThan(full.datasets().size() * full.seeds().size());
        for (StudySpec.DatasetEntry d : quick.datasets()) {
            assertThat(builtin.names()).contains(d.builtin());
            assertThat(builtin.source(d.builtin())).doesNotContain("simulated");
        }
        // every family but the one that needs inputs, which none of the quick study's datasets has
        List<String> fullModels = new ArrayList<>(full.models().stream().map(StudySpec.ModelEntry::name).toList());
        fullModels.remove("iohmm");
        assertThat(quick.models().stream().map(StudySpec.ModelEntry::name).toList()).isEqualTo(fullModels);
        for (StudySpec.DatasetEntry d : quick.datasets()) {
            assertThat(builtin.builtin(d.builtin()).inputDimension()).as(d.builtin()).isZero();
        }
    }
}
