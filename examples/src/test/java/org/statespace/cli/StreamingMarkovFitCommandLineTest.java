package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.statespace.cli.StreamingFixtures.ok;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statespace.spec.Json;

/**
 * {@code fit --stream} of a Markov chain (a counting pass and a scoring pass over the file) against the in-memory
 * {@code fit} of the same CSV, the independent reference: the same fitted spec, the same summary (standard errors
 * included) and the same report but for its timings and provenance, from a CSV and from JSON Lines of a step a line;
 * with validation data too. A Markov chain's template, whose alphabet is the data's, is refused in one line.
 */
class StreamingMarkovFitCommandLineTest {
    @TempDir
    Path dir;

    private static final String CHAIN = "{\"type\": \"markov-chain\", \"states\": [\"dry\", \"wet\"], \"order\": 2, "
            + "\"initial\": [0.4, 0.2, 0.2, 0.2], \"transition\": [[0.6, 0.4], [0.3, 0.7], [0.5, 0.5], [0.2, 0.8]]}";

    // sequences a, b, c of symbols (every 7th step of a missing) as a CSV and JSON Lines of a step a line
    private Path[] files(String name, long seed, int... lengths) throws IOException {
        String[] names = {"dry", "wet"};
        Random r = new Random(seed);
        StringBuilder csv = new StringBuilder("sequence,t,symbol\n");
        StringBuilder steps = new StringBuilder();
        for (int i = 0; i < lengths.length; i++) {
            String id = Character.toString('a' + i);
            int s = 0;
            for (int t = 0; t < lengths[i]; t++) {
                s = r.nextDouble() < 0.6 ? s : r.nextInt(2);
                String y = i == 0 && t % 7 == 3 ? null : names[s];
                csv.append(id).append(',').append(t).append(',').append(y == null ? "" : y).append('\n');
                steps.append("{\"sequence\": \"").append(id).append("\", \"t\": ").append(t).append(", \"observation\": ")
                        .append(y == null ? "null" : "\"" + y + "\"").append("}\n");
            }
        }
        return new Path[] {StreamingFixtures.write(dir, name + ".csv", csv.toString()),
            StreamingFixtures.write(dir, name + ".jsonl", steps.toString())};
    }

    // a report without what differs between two runs: its timings, and the provenance
    private static JsonNode timeless(Path report) {
        ObjectNode o = (ObjectNode) Json.read(report);
        o.remove("seconds");
        o.remove("provenance");
        ((ObjectNode) o.get("learningCurve")).remove("seconds");
        return o;
    }

    @Test
    void aMarkovChainStreamsAsTheInMemoryFit() throws IOException {
        Path model = StreamingFixtures.write(dir, "chain.json", CHAIN);
        Path[] data = files("d", 3, 2500, 40, 1);
        Path[] held = files("held", 4, 300);
        Path memoryOut = dir.resolve("memory.json");
        Path memoryReport = dir.resolve("memory-report.json");
        // with --out the summary goes to standard error
        CliRunner memory = ok("fit", "--model", model.toString(), "--data", data[0].toString(), "--validation",
                held[0].toString(), "--out", memoryOut.toString(), "--report", memoryReport.toString());
        assertThat(Json.read(memoryOut)).isNotEqualTo(Json.read(model)); // the fit moved
        assertThat(memory.err()).contains("closed-form").contains("dry");
        assertThat(Json.read(memoryReport).path("standardErrors").has("problem")).as("standard errors computed").isFalse();
        for (int i = 0; i < data.length; i++) {
            Path out = dir.resolve("streamed.json");
            Path report = dir.resolve("streamed-report.json");
            CliRunner streamed = ok("fit", "--model", model.toString(), "--data", data[i].toString(), "--validation",
                    held[i].toString(), "--stream", "--out", out.toString(), "--report", report.toString());
            assertThat(Json.read(out)).as(data[i].toString()).isEqualTo(Json.read(memoryOut));
            assertThat(timeless(report)).as(data[i].toString()).isEqualTo(timeless(memoryReport));
            assertThat(Json.read(report).path("provenance").path("stream").asBoolean()).isTrue();
            assertThat(streamed.err()).as(data[i].toString()).isEqualTo(memory.err());
        }
    }

    @Test
    void aMarkovChainTemplateIsRefusedInOneLine() throws IOException {
        Path model = StreamingFixtures.write(dir, "order2.json", "{\"type\": \"markov-chain\", \"order\": 2}");
        Path[] data = files("d", 3, 50);
        CliRunner r = CliRunner.run("fit", "--model", model.toString(), "--data", data[0].toString(), "--stream");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("order2.json is a template").contains("fit streams from a full spec");
        assertThat(r.err().strip().lines().count()).isEqualTo(2); // the line, and picocli's usage hint
    }
}
