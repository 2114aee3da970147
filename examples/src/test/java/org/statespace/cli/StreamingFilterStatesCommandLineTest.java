package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.statespace.cli.StreamingFixtures.ok;
import static org.statespace.cli.StreamingFixtures.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statespace.spec.Json;

/**
 * {@code filter --stream --states} writes the state estimates of the in-memory {@code filter --states}, the
 * reference: the tidy CSV line for line (same columns, same numbers), the JSON with the same fields and numbers
 * (parsed and compared), JSON Lines a sequence a line equal to the in-memory file's sequences, for an HMM with
 * named states (and the predictive summaries beside the states), a linear-Gaussian model with a missing step (its
 * innovation null), a structural model with an exact diffuse start, an LSTM-GRU network, a hidden semi-Markov
 * model and the unscented and particle filters.
 */
class StreamingFilterStatesCommandLineTest {
    @TempDir
    Path dir;

    @Test
    void anHmmsStatesInEveryForm() throws IOException {
        Path model = write(dir, "hmm.json", StreamingFixtures.HMM);
        Path[] f = StreamingFixtures.scalarFiles(dir, 7, 300, 25);
        // CSV and JSON Lines a sequence a line in, the in-memory run over the dataset JSON
        JsonNode memory = assertStreamedEqualsInMemory(new Path[] {f[0], f[2]}, f[3], "filter", "--model", model.toString(), "--states",
                "--summaries");
        assertThat(memory.get("states")).hasSize(2);
        assertThat(memory.get("sequences").get(0).get("filteredProbabilities")).hasSize(300);
        assertJsonLines(memory, model, f[0], "--summaries");
    }

    @Test
    void everyOtherFamilysStatesAsInMemory() throws IOException {
        Path[] f = StreamingFixtures.scalarFiles(dir, 11, 300, 25);
        String[] specs = {StreamingFixtures.TREND,
            "{\"type\": \"local-level\", \"observationVariance\": 2, \"levelVariance\": 0.5}",
            "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"lstm\", \"hiddenSize\": 3},"
                    + " {\"cell\": \"gru\", \"hiddenSize\": 2}], \"head\": {\"type\": \"gaussian\", \"outputSize\": 1},"
                    + " \"seed\": 1}",
            HsmmCommandLineTest.TRUTH,
            "{\"type\": \"nonlinear\", \"model\": \"growth\", \"filter\": \"ukf\"}",
            "{\"type\": \"nonlinear\", \"model\": \"growth\", \"filter\": \"particle\", \"particles\": 100, \"seed\": 3}"};
        String[] tracks = {"innovations", "predictedDiffuseCovariances", "cell_l0", "filteredProbabilities",
            "filteredCovariances", "effectiveSampleSizes"};
        for (int i = 0; i < specs.length; i++) {
            Path model = write(dir, "m" + i + ".json", specs[i]);
            JsonNode memory = assertStreamedEqualsInMemory(new Path[] {f[0]}, f[3], "filter", "--model",
                    model.toString(), "--states");
            JsonNode first = memory.get("sequences").get(0);
            assertThat(first.get(tracks[i])).as(specs[i]).hasSize(300);
            if (i == 0) { // step 9 is missing: its innovation is null in both files
                assertThat(first.get("innovations").get(9).get(0).isNull()).isTrue();
            }
            assertJsonLines(memory, model, f[0]);
        }
    }

    /**
     * The tidy CSV of every streamed run line for line the in-memory one's; the JSON, to a file and to standard
     * output, field for field (the provenance aside); returns the in-memory JSON.
     */
    private JsonNode assertStreamedEqualsInMemory(Path[] data, Path inMemoryData, String... command) throws IOException {
        Path memoryCsv = dir.resolve("memory.csv");
        ok(StreamingFixtures.args(command, "--data", inMemoryData.toString(), "--out", memoryCsv.toString()));
        JsonNode memory = Json.parse(ok(StreamingFixtures.args(command, "--data", inMemoryData.toString(), "--json"))
                .out(), "stdout");
        for (Path d : data) {
            Path csv = dir.resolve("streamed.csv");
            ok(StreamingFixtures.args(command, "--data", d.toString(), "--stream", "--out", csv.toString()));
            assertThat(Files.readAllLines(csv)).as(d.toString()).containsExactlyElementsOf(Files.readAllLines(memoryCsv));
            Path json = dir.resolve("streamed.json");
            ok(StreamingFixtures.args(command, "--data", d.toString(), "--stream", "--out", json.toString()));
            assertSameJson(Json.read(json), memory, d.toString());
            assertSameJson(Json.parse(ok(StreamingFixtures.args(command, "--data", d.toString(), "--stream", "--json"))
                    .out(), "stdout"), memory, d + " to standard output");
        }
        StreamingFixtures.assertNoTemporaryFiles(dir);
        return memory;
    }

    // every field but the provenance, each sequence's field by field
    private static void assertSameJson(JsonNode streamed, JsonNode memory, String what) {
        List<String> fields = new java.util.ArrayList<>();
        memory.fieldNames().forEachRemaining(fields::add);
        fields.remove("provenance");
        fields.remove("sequences");
        for (String field : fields) {
            assertThat(streamed.get(field)).as(what + ": " + field).isEqualTo(memory.get(field));
        }
        assertThat(streamed.get("sequences")).as(what).hasSameSizeAs(memory.get("sequences"));
        for (int i = 0; i < memory.get("sequences").size(); i++) {
            JsonNode e = memory.get("sequences").get(i);
            JsonNode a = streamed.get("sequences").get(i);
            List<String> names = new java.util.ArrayList<>();
            e.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                assertThat(a.get(name)).as(what + ": sequence " + i + ", " + name).isEqualTo(e.get(name));
            }
            assertThat(a.size()).as(what + ": sequence " + i + "'s fields").isEqualTo(e.size());
        }
        assertThat(streamed.size()).as(what + ": fields").isEqualTo(memory.size());
    }

    // --out R.jsonl: a line per sequence equal to the in-memory file's sequence, then the totals and the states' names
    private void assertJsonLines(JsonNode memory, Path model, Path data, String... more) throws IOException {
        Path jsonl = dir.resolve("r.jsonl");
        ok(StreamingFixtures.args(new String[] {"filter", "--model", model.toString(), "--data", data.toString(),
            "--states", "--out", jsonl.toString()}, more));
        List<String> lines = Files.readAllLines(jsonl);
        int n = memory.get("sequences").size();
        assertThat(lines).hasSize(n + 1);
        for (int i = 0; i < n; i++) {
            assertThat(Json.parse(lines.get(i), "line")).as(model + " line " + i).isEqualTo(memory.get("sequences").get(i));
        }
        JsonNode totals = Json.parse(lines.get(n), "totals");
        assertThat(totals.get("logLikelihood")).isEqualTo(memory.get("logLikelihood"));
        if (memory.has("states")) {
            assertThat(totals.get("states")).isEqualTo(memory.get("states"));
        }
    }
}
