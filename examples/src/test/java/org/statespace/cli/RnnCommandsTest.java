package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.rnn.RnnModel;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/** The generic commands on an RNN, end to end: sample, fit (gradient, truncated BPTT), filter --states. */
class RnnCommandsTest {

    private static int run(String... args) {
        return Main.execute(args, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    @Test
    void sampleFitAndFilterAnRnn(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("gru.json");
        Files.writeString(model, "{\"type\": \"rnn\", \"inputSize\": 3, \"layers\": [{\"cell\": \"gru\", \"hiddenSize\": 4}],"
                + " \"head\": {\"type\": \"softmax\", \"outputSize\": 3, \"symbols\": [\"a\", \"b\", \"c\"]}, \"seed\": 3}");
        Path data = dir.resolve("data.json");
        assertThat(run("sample", "--model", model.toString(), "--length", "40", "--sequences", "6", "--seed", "1",
                "--out", data.toString())).isZero();
        Path options = dir.resolve("fit.json");
        Files.writeString(options, "{\"epochs\": 3, \"learningRate\": 0.05, \"batchSize\": 2, \"truncation\": {\"k1\": 10, \"k2\": 20}}");
        Path fitted = dir.resolve("fitted.json");
        Path report = dir.resolve("report.json");
        Path start = dir.resolve("start.json");
        Files.writeString(start, Files.readString(model).replace("\"seed\": 3", "\"seed\": 9"));
        assertThat(run("fit", "--model", start.toString(), "--data", data.toString(), "--options", options.toString(),
                "--out", fitted.toString(), "--report", report.toString(), "--seed", "2")).isZero();
        RnnModel m = (RnnModel) ModelSpecs.read(fitted);
        assertThat(m.symbolNames()).containsExactly("a", "b", "c");
        JsonNode r = Json.read(report);
        assertThat(r.get("method").asText()).isEqualTo("gradient");
        assertThat(r.get("settings").get("truncation").get("k2").asInt()).isEqualTo(20);
        JsonNode curve = r.get("learningCurve").get("trainingLoss");
        assertThat(curve.get(curve.size() - 1).asDouble()).isLessThan(curve.get(0).asDouble());
        Path filtered = dir.resolve("filter.json");
        assertThat(run("filter", "--model", fitted.toString(), "--data", data.toString(), "--states", "--out",
                filtered.toString())).isZero();
        JsonNode hidden = Json.read(filtered).get("sequences").get(0).get("hidden_l0");
        assertThat(hidden.size()).isEqualTo(40);
        assertThat(hidden.get(0).size()).isEqualTo(4);
    }
}
