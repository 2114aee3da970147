package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.spec.Json;

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
        assertThat(r.out()).contains("Study \"default\"").contains("casino").contains("logistic");
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
        assertThat(ranTypes).contains("markov-chain", "hmm", "local-level", "lgssm", "rnn");
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
}
