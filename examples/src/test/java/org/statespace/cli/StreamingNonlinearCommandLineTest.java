package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The non-linear models through {@code smooth --stream} (and {@code .jsonl} data): the extended filter's RTS smoother
 * over a sequence longer than the reader's chunks from CSV and JSON Lines (the growth model, whose f depends on the step, so a chunk's steps
 * must keep their index), the unscented one's and the particle filter's backward simulation over shorter ones, from every form (dataset JSON and a sequence a line too), each with missing steps, write what the in-memory {@code smooth} writes (the tidy CSV line for line, the JSON's
 * sequences and log-likelihood, the summary's text) from CSV, JSON Lines and dataset JSON. The in-memory command,
 * which holds every sequence, is the independent implementation.
 */
class StreamingNonlinearCommandLineTest {
    static final String EKF = "{\"type\": \"nonlinear\", \"model\": \"growth\", \"filter\": \"ekf\"}";
    static final String UKF = "{\"type\": \"nonlinear\", \"model\": \"growth\", \"filter\": \"ukf\"}";
    static final String PARTICLE = "{\"type\": \"nonlinear\", \"model\": \"growth\", \"filter\": \"particle\", "
            + "\"particles\": 50, \"smootherDraws\": 10, \"seed\": 3}";

    @TempDir
    Path dir;

    @Test
    void theExtendedSmootherStreamedIsTheInMemoryOne() throws IOException {
        // sequence a: 16500 steps (two reader chunks), step 9 and every 97th missing; b: 5 steps; c: 2 steps; read
        // a step a line (CSV, JSON Lines), the forms read in chunks
        Path[] f = StreamingFixtures.scalarFiles(dir, 7, 16_500, 5, 2);
        Path model = StreamingFixtures.write(dir, "ekf.json", EKF);
        JsonNode memory = StreamingFixtures.assertStreamedEqualsInMemory(dir, new Path[] {f[0], f[1]}, f[3], "smooth",
                "--model", model.toString());
        assertThat(memory.path("sequences").get(0).path("smoothedMeans")).hasSize(16_500);
    }

    @Test
    void theUnscentedAndParticleSmoothersStreamedAreTheInMemoryOnes() throws IOException {
        Path[] f = StreamingFixtures.scalarFiles(dir, 8, 300, 5);
        for (String[] spec : new String[][] {{"ukf.json", UKF}, {"particle.json", PARTICLE}}) {
            Path model = StreamingFixtures.write(dir, spec[0], spec[1]);
            JsonNode memory = StreamingFixtures.assertStreamedEqualsInMemory(dir, f, f[3], "smooth", "--model",
                    model.toString());
            assertThat(memory.path("sequences").get(0).path("smoothedCovariances")).as(spec[0]).hasSize(300);
        }
    }
}
