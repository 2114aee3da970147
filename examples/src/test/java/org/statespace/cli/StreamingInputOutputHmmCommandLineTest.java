package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.statespace.cli.StreamingFixtures.ok;
import static org.statespace.cli.StreamingFixtures.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statespace.spec.Json;

/**
 * {@code smooth}, {@code decode} and {@code fit} with {@code --stream} on an input-output HMM (its transitions driven
 * by an input column) write what the in-memory commands write: the tidy CSV line for line, the JSON's fields and
 * values, the summary's text, the fitted spec; the in-memory commands (the whole dataset, {@code ForwardBackward}
 * with A_t) are the independent implementation. Sequence a has 20000 steps, so the reader hands it over in two
 * chunks and the model reads the inputs of steps of both.
 */
class StreamingInputOutputHmmCommandLineTest {
    @TempDir
    Path dir;

    private static final String IOHMM = "{\"type\": \"iohmm\", \"inputs\": 1, \"states\": [\"low\", \"high\"],"
            + " \"initial\": [0.6, 0.4], \"transitionWeights\": [[[1.5], [-1.5]], [[-2.0], [2.0]]],"
            + " \"transitionBiases\": [[1, -1], [-0.5, 0.5]], \"emission\": {\"type\": \"gaussian\","
            + " \"covarianceType\": \"diagonal\", \"means\": [[0], [3]], \"covariances\": [[1], [2]]}}";

    // sequences a (20000 steps, one missing observation) and b (4 steps) with an input u: d.jsonl and d.json
    private Path[] files() throws IOException {
        Random r = new Random(5);
        StringBuilder lines = new StringBuilder();
        StringBuilder doc = new StringBuilder("{\"sequences\": [");
        int[] lengths = {20000, 4};
        String[] ids = {"a", "b"};
        for (int i = 0; i < 2; i++) {
            StringBuilder y = new StringBuilder();
            StringBuilder u = new StringBuilder();
            for (int t = 0; t < lengths[i]; t++) {
                double input = Math.sin(t / 50.0) + 0.3 * r.nextGaussian();
                String obs = i == 0 && t == 17 ? "null"
                        : String.format(Locale.ROOT, "%.4f", (input > 0 ? 3 : 0) + r.nextGaussian());
                y.append(t == 0 ? "" : ", ").append(obs);
                u.append(t == 0 ? "" : ", ").append(String.format(Locale.ROOT, "[%.4f]", input));
            }
            String seq = "{\"id\": \"" + ids[i] + "\", \"observations\": [" + y + "], \"inputs\": [" + u + "]}";
            lines.append(seq).append('\n');
            doc.append(i == 0 ? "" : ", ").append(seq);
        }
        return new Path[] {write(dir, "d.jsonl", lines.toString()), write(dir, "d.json", doc.append("]}").toString())};
    }

    @Test
    void smoothAndDecodeStreamAsInMemory() throws IOException {
        Path model = write(dir, "iohmm.json", IOHMM);
        Path[] f = files();
        for (String command : new String[] {"smooth", "decode"}) {
            Path memoryCsv = dir.resolve(command + "-memory.csv");
            ok(command, "--model", model.toString(), "--data", f[1].toString(), "--out", memoryCsv.toString());
            JsonNode memoryJson = Json.parse(ok(command, "--model", model.toString(), "--data", f[1].toString(),
                    "--json").out(), "stdout");
            String memorySummary = ok(command, "--model", model.toString(), "--data", f[1].toString()).out();
            for (Path data : f) {
                Path csv = dir.resolve(command + "-streamed.csv");
                ok(command, "--model", model.toString(), "--data", data.toString(), "--stream", "--out", csv.toString());
                assertThat(Files.readAllLines(csv)).as(command + " " + data)
                        .containsExactlyElementsOf(Files.readAllLines(memoryCsv));
                JsonNode json = Json.parse(ok(command, "--model", model.toString(), "--data", data.toString(),
                        "--stream", "--json").out(), "stdout");
                StreamingFixtures.assertSameResult(json, memoryJson, command + " " + data);
                assertThat(ok(command, "--model", model.toString(), "--data", data.toString(), "--stream").out())
                        .as(command + " " + data).isEqualTo(memorySummary);
            }
        }
        StreamingFixtures.assertNoTemporaryFiles(dir);
    }

    @Test
    void fitStreamsAsInMemory() throws IOException {
        Path model = write(dir, "iohmm.json", IOHMM);
        Path[] f = files();
        Path memory = dir.resolve("memory.json");
        Path streamed = dir.resolve("streamed.json");
        ok("fit", "--model", model.toString(), "--data", f[1].toString(), "--max-iterations", "2", "--threads", "1",
                "--out", memory.toString());
        ok("fit", "--model", model.toString(), "--data", f[0].toString(), "--max-iterations", "2", "--out",
                streamed.toString());
        assertThat(Json.read(streamed)).isEqualTo(Json.read(memory));
    }
}
