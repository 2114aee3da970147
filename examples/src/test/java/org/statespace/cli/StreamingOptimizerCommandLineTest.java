package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.statespace.cli.StreamingFixtures.ok;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statespace.spec.Json;

/**
 * {@code fit --stream} of the non-linear models against the in-memory {@code fit} of the same CSV (the independent
 * reference, which holds the data): a model the optimiser fits (its named parameters free) writes the same fitted
 * spec, number for number, and the same summary; one EM fits (only its noise matrices free) is fitted by EM passes
 * over the file with the in-memory EM's fitted spec (a non-linear model's spec is also its template, whose start
 * needs only the data's shape); a structural template, whose start is drawn from the data's values, is refused in
 * one line naming the remedy.
 */
class StreamingOptimizerCommandLineTest {
    @TempDir
    Path dir;

    private void assertStreamedIsInMemory(String spec, String maxIterations) throws IOException {
        Path[] f = StreamingFixtures.scalarFiles(dir, 5, 200, 6);
        Path model = StreamingFixtures.write(dir, "model.json", spec);
        Path memoryOut = dir.resolve("memory.json");
        CliRunner memory = ok("fit", "--model", model.toString(), "--data", f[0].toString(), "--out",
                memoryOut.toString(), "--max-iterations", maxIterations);
        Path out = dir.resolve("streamed.json");
        CliRunner streamed = ok("fit", "--model", model.toString(), "--data", f[0].toString(), "--stream", "--out",
                out.toString(), "--max-iterations", maxIterations);
        JsonNode fitted = Json.read(out);
        assertThat(fitted).isEqualTo(Json.read(memoryOut));
        assertThat(fitted).isNotEqualTo(Json.read(model)); // the fit moved
        assertThat(memory.exitCode()).isZero();
        assertThat(streamed.exitCode()).isZero();
    }

    @Test
    void aModelTheOptimiserFitsIsTheInMemoryFit() throws IOException {
        String spec = "{\"type\": \"nonlinear\", \"model\": \"stochastic-volatility\", \"filter\": \"ekf\", "
                + "\"parameters\": {\"mu\": 0, \"phi\": 0.5}, \"free\": [\"mu\", \"phi\"]}";
        assertStreamedIsInMemory(spec, "6");
        Path model = StreamingFixtures.write(dir, "model.json", spec);
        Path[] f = StreamingFixtures.scalarFiles(dir, 5, 200, 6);
        String memory = ok("fit", "--model", model.toString(), "--data", f[0].toString(), "--max-iterations", "6")
                .out();
        String streamed = ok("fit", "--model", model.toString(), "--data", f[1].toString(), "--max-iterations", "6")
                .out();
        assertThat(streamed).contains("optimizer").isEqualTo(memory);
    }

    @Test
    void aModelEmFitsStreamsByEm() throws IOException {
        assertStreamedIsInMemory("{\"type\": \"nonlinear\", \"model\": \"growth\", \"filter\": \"ekf\", "
                + "\"observationNoise\": [[4]]}", "3");
    }

    @Test
    void aTemplateIsRefusedInOneLine() throws IOException {
        Path model = StreamingFixtures.write(dir, "level.json", "{\"type\": \"local-level\"}");
        Path[] f = StreamingFixtures.scalarFiles(dir, 5, 20);
        CliRunner r = CliRunner.run("fit", "--model", model.toString(), "--data", f[0].toString(), "--stream");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("level.json is a template").contains("drawn from the data in memory")
                .contains("fit streams from a full spec");
        assertThat(r.err().strip().lines().count()).isEqualTo(2); // the line, and picocli's usage hint
    }
}
