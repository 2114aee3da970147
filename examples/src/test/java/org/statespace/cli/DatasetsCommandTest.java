package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.data.Dataset;
import org.statespace.data.Datasets;
import org.statespace.examples.BuiltinDatasets;

/** {@code statespace datasets}: the listing, and the real datasets written out and used by name in a study. */
class DatasetsCommandTest {
    @TempDir
    Path dir;

    @Test
    void theListingNamesEveryDatasetWithItsSourceAndTheRealOnesWithASplit() {
        CliRunner r = CliRunner.run("datasets");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = Arrays.asList(r.out().split("\\R"));
        BuiltinDatasets b = new BuiltinDatasets();
        assertThat(lines).hasSize(b.names().size());
        for (String name : b.names()) {
            String line = lines.stream().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow();
            assertThat(line).contains(b.description(name)).contains(b.source(name));
        }
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("airpassengers ")
                .contains("1 sequences, 144 steps").endsWith("split: {\"train\": 0.8333, \"by\": \"time\"})"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("austen ").contains("symbols")
                .endsWith("split: {\"train\": 0.8, \"by\": \"sequence\"})"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("faithful ").contains("d=2"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("nile ").doesNotContain("split"));
    }

    @Test
    void co2IsWrittenWithItsMissingWeeksAsNull() throws Exception {
        Path out = dir.resolve("co2.json");
        CliRunner r = CliRunner.run("datasets", "co2", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode observations = new ObjectMapper().readTree(out.toFile()).get("sequences").get(0).get("observations");
        int nulls = 0;
        for (JsonNode o : observations) {
            nulls += o.isNull() ? 1 : 0;
        }
        // statsmodels' co2: 2284 weeks of which its notes count 2225 observations
        assertThat(observations.size()).isEqualTo(2284);
        assertThat(nulls).isEqualTo(2284 - 2225);
        assertThat(observations.get(6).isNull()).isTrue(); // 1958-05-10, an empty cell in statsmodels' co2.csv
        assertThat(Datasets.read(out)).isEqualTo(new BuiltinDatasets().builtin("co2"));
    }

    @Test
    void everyRealDatasetRoundTripsThroughJsonAndCsv() {
        BuiltinDatasets b = new BuiltinDatasets();
        for (String name : List.of("sunspots", "usmacro", "airpassengers", "lynx", "faithful", "lakehuron", "austen")) {
            for (String ext : List.of(".json", ".csv")) {
                Path out = dir.resolve(name + ext);
                CliRunner r = CliRunner.run("datasets", name, "--out", out.toString());
                assertThat(r.exitCode()).as(name + ext + ": " + r.err()).isZero();
                Dataset back = Datasets.read(out);
                Dataset original = b.builtin(name);
                if (ext.equals(".json")) {
                    assertThat(back).as(name + ext).isEqualTo(original);
                } else {
                    // a CSV names no alphabet and numbers its sequences: compare the values
                    assertThat(back.size()).as(name + ext).isEqualTo(original.size());
                    assertThat(back.totalSteps()).as(name + ext).isEqualTo(original.totalSteps());
                    assertThat(back.dimension()).as(name + ext).isEqualTo(original.dimension());
                }
            }
        }
    }

    @Test
    void aStudyUsesTheRealDatasetsByName() throws Exception {
        Path study = dir.resolve("real.json");
        Files.writeString(study, """
                {"name": "real",
                 "datasets": [
                   {"builtin": "lakehuron", "split": {"train": 0.8, "by": "time"}},
                   {"builtin": "co2", "split": {"train": 0.8, "by": "time"}},
                   {"builtin": "austen", "split": {"train": 0.8, "by": "sequence"}}],
                 "seeds": [1],
                 "models": [
                   {"name": "markov", "template": {"type": "markov-chain"}, "fit": {"pseudoCount": 1}},
                   {"name": "local-level", "template": {"type": "local-level"}}]}
                """);
        Path out = dir.resolve("out");
        CliRunner r = CliRunner.run("compare", study.toString(), "--out", out.toString(), "--quiet", "--threads", "1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode rows = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("rows");
        assertThat(rows).isNotNull();
        int scored = 0;
        for (JsonNode row : rows) {
            String dataset = row.get("dataset").asText();
            String model = row.get("model").asText();
            // a Markov chain models symbols only, the local-level model real numbers only
            boolean applies = dataset.equals("austen") == model.equals("markov");
            assertThat(row.get("status").asText()).as(dataset + "/" + model).isEqualTo(applies ? "ok" : "skipped");
            scored += applies ? 1 : 0;
        }
        assertThat(scored).isEqualTo(3);
    }
}
