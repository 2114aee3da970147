package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import org.statespace.spec.Json;

/**
 * {@code sample} and {@code datasets NAME} print a summary for people without {@code --out}; {@code --json} (or
 * {@code --out -}) gives the JSON they printed before.
 */
class DatasetSummaryCommandLineTest {

    @Test
    void theNileSummaryHasItsPublishedMoments() {
        CliRunner r = CliRunner.run("datasets", "nile");
        assertThat(r.exitCode()).as(r.err()).isZero();
        // R: mean(Nile) 919.35, sd(Nile) 169.2275, range(Nile) 456 1370
        String row = r.out().lines().filter(l -> l.matches("\\S+\\s+100\\s+0\\s+.*")).findFirst().orElseThrow(
                () -> new AssertionError(r.out()));
        assertThat(row.trim().split("\\s+")).endsWith("919.35", "169.228", "456", "1370");
        assertThat(r.out()).startsWith("nile: annual flow of the Nile").contains("1 sequence, 100 steps in all")
                .contains("--json");
        assertThat(r.out()).doesNotContain("\"sequences\"");
    }

    @Test
    void aSymbolSummaryCountsEverySymbolAsTheJsonHasThem() {
        CliRunner summary = CliRunner.run("datasets", "casino");
        CliRunner json = CliRunner.run("datasets", "casino", "--json");
        assertThat(summary.exitCode()).as(summary.err()).isZero();
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode root = Json.parse(json.out(), "casino");
        Map<String, Integer> counts = new HashMap<>();
        int all = 0;
        for (JsonNode s : root.get("sequences")) {
            for (JsonNode o : s.get("observations")) {
                if (!o.isNull()) {
                    counts.merge(o.asText(), 1, Integer::sum);
                    all++;
                }
            }
        }
        assertThat(counts).hasSize(6);
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            assertThat(summary.out()).containsPattern("(?m)^\\s*" + e.getKey() + "\\s+" + e.getValue() + "\\s");
        }
        assertThat(summary.out()).contains(all + " steps in all");
    }

    @Test
    void sampleSummarisesWhatItDrewAndJsonIsTheOldOutput(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("weather.json");
        Files.writeString(model, MarkovCommandLineTest.WEATHER);
        CliRunner summary = CliRunner.run("sample", "--model", model.toString(), "--length", "50", "--sequences", "2",
                "--seed", "4");
        assertThat(summary.exitCode()).as(summary.err()).isZero();
        assertThat(summary.out()).startsWith("sampled 2 sequences of 50 steps from the markov-chain model")
                .contains("2 sequences, 100 steps in all").contains("sunny");
        CliRunner json = CliRunner.run("sample", "--model", model.toString(), "--length", "50", "--sequences", "2",
                "--seed", "4", "--json");
        CliRunner dash = CliRunner.run("sample", "--model", model.toString(), "--length", "50", "--sequences", "2",
                "--seed", "4", "--out", "-");
        JsonNode a = Json.parse(json.out(), "json");
        JsonNode b = Json.parse(dash.out(), "dash");
        assertThat(a.get("sequences")).isEqualTo(b.get("sequences"));
        assertThat(a.get("sequences")).hasSize(2);
    }
}
