package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.statespace.cli.StreamingFixtures.ok;
import static org.statespace.cli.StreamingFixtures.write;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code smooth --draws 3 --seed 5 --stream} (and {@code .jsonl} data) writes what the in-memory
 * {@code smooth --draws 3 --seed 5} writes (the independent implementation, which holds every sequence and every
 * draw): the tidy CSV line for line, the JSON's fields and numbers (its text too, up to the provenance), the
 * summary's text, from CSV, JSON Lines and dataset JSON input, for an HMM with named states, a linear-Gaussian model
 * of two state components, a structural model with a diffuse start and an explicit-duration HMM with named states; a
 * model without hidden states (a Markov chain) is one error naming its type.
 */
class StreamingDrawsCommandLineTest {
    @TempDir
    Path dir;

    private JsonNode sameAsInMemory(String model, Path[] files) throws IOException {
        return StreamingFixtures.assertStreamedEqualsInMemory(dir, new Path[] {files[0], files[1], files[2]}, files[3],
                "smooth", "--model", write(dir, "model.json", model).toString(), "--draws", "3", "--seed", "5");
    }

    @Test
    void hmmDrawsAreTheInMemoryDraws() throws IOException {
        Path[] files = StreamingFixtures.scalarFiles(dir, 2, 1000, 5);
        JsonNode memory = sameAsInMemory(StreamingFixtures.HMM, files);
        assertThat(memory.path("sequences").get(0).path("draws")).hasSize(3);
        assertThat(memory.path("sequences").get(0).path("draws").get(2).size()).isEqualTo(1000);
        // the JSON's text, not only its tree, up to the provenance
        Path model = dir.resolve("model.json");
        String streamed = ok("smooth", "--model", model.toString(), "--data", files[1].toString(), "--draws", "3",
                "--seed", "5", "--json").out();
        String inMemory = ok("smooth", "--model", model.toString(), "--data", files[3].toString(), "--draws", "3",
                "--seed", "5", "--json").out();
        assertThat(streamed.substring(0, streamed.indexOf("\"provenance\"")))
                .isEqualTo(inMemory.substring(0, inMemory.indexOf("\"provenance\"")));
    }

    @Test
    void linearGaussianDrawsAreTheInMemoryDraws() throws IOException {
        Path[] files = StreamingFixtures.scalarFiles(dir, 3, 300, 5);
        sameAsInMemory(StreamingFixtures.TREND, files);
        Path model = dir.resolve("model.json");
        String streamed = ok("smooth", "--model", model.toString(), "--data", files[0].toString(), "--draws", "3",
                "--seed", "5", "--stream", "--json").out();
        String inMemory = ok("smooth", "--model", model.toString(), "--data", files[3].toString(), "--draws", "3",
                "--seed", "5", "--json").out();
        assertThat(streamed.substring(0, streamed.indexOf("\"provenance\"")))
                .isEqualTo(inMemory.substring(0, inMemory.indexOf("\"provenance\"")));
    }

    @Test
    void structuralDrawsAreTheInMemoryDraws() throws IOException {
        sameAsInMemory("{\"type\": \"local-level\", \"observationVariance\": 2, \"levelVariance\": 0.5}",
                StreamingFixtures.scalarFiles(dir, 4, 200, 2));
    }

    @Test
    void explicitDurationHmmDrawsAreTheInMemoryDraws() throws IOException {
        JsonNode memory = sameAsInMemory(HsmmCommandLineTest.TRUTH, StreamingFixtures.scalarFiles(dir, 6, 400, 30));
        assertThat(memory.path("sequences").get(0).path("draws").get(2).size()).isEqualTo(400);
        assertThat(memory.path("sequences").get(0).path("draws").get(0).get(0).isTextual()).isTrue(); // a state name
    }

    @Test
    void aModelWithoutHiddenStatesIsOneErrorNamingItsType() throws IOException {
        CliRunner r = CliRunner.run("smooth", "--model", write(dir, "chain.json", "{\"type\": \"markov-chain\", "
                + "\"initial\": [1, 0], \"transition\": [[0.5, 0.5], [0.5, 0.5]]}").toString(),
                "--data", write(dir, "good.csv", "y\n0\n1\n").toString(), "--stream", "--draws", "2");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.errorLines()[0]).contains("--draws 2: a markov-chain model has no hidden states to draw from "
                + "their posterior");
        CliRunner zero = CliRunner.run("smooth", "--model", write(dir, "hmm.json", StreamingFixtures.HMM).toString(),
                "--data", dir.resolve("good.csv").toString(), "--stream", "--draws", "0");
        assertThat(zero.err()).contains("--draws must be at least 1, got 0");
    }
}
