package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.statespace.cli.StreamingFixtures.ok;
import static org.statespace.cli.StreamingFixtures.write;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.spec.Json;

/**
 * {@code smooth}, {@code decode} and {@code fit} with {@code --stream} on an explicit-duration HMM (negative-binomial
 * and Poisson durations up to 40 steps) write what the in-memory commands write: the tidy CSV line for line, the
 * JSON's fields and values, the summary's text, the fitted spec; from a CSV file and JSON Lines (a step a line and a
 * sequence a line). The in-memory commands (the whole dataset, {@code SemiMarkovKernels}) are the independent
 * implementation. Sequence a has 3000 steps with one missing, b has 5.
 */
class StreamingHsmmCommandLineTest {
    @TempDir
    Path dir;

    @Test
    void smoothStreamsAsInMemory() throws IOException {
        Path model = write(dir, "hsmm.json", HsmmCommandLineTest.TRUTH);
        Path[] f = StreamingFixtures.twoSequences(dir);
        StreamingFixtures.assertStreamedEqualsInMemory(dir, new Path[] {f[0], f[1], f[2]}, f[3], "smooth", "--model",
                model.toString());
    }

    @Test
    void decodeStreamsAsInMemory() throws IOException {
        Path model = write(dir, "hsmm.json", HsmmCommandLineTest.TRUTH);
        Path[] f = StreamingFixtures.twoSequences(dir);
        StreamingFixtures.assertStreamedEqualsInMemory(dir, new Path[] {f[0], f[1], f[2]}, f[3], "decode", "--model",
                model.toString());
    }

    @Test
    void fitStreamsAsInMemory() throws IOException {
        Path model = write(dir, "start.json", HsmmCommandLineTest.START);
        Path[] f = StreamingFixtures.twoSequences(dir);
        Path memory = dir.resolve("memory.json");
        ok("fit", "--model", model.toString(), "--data", f[3].toString(), "--max-iterations", "3", "--threads", "1",
                "--out", memory.toString());
        for (Path data : new Path[] {f[0], f[1]}) {
            Path streamed = dir.resolve("streamed.json");
            ok("fit", "--model", model.toString(), "--data", data.toString(), "--stream", "--max-iterations", "3",
                    "--out", streamed.toString());
            assertThat(Json.read(streamed)).as(data.toString()).isEqualTo(Json.read(memory));
        }
    }
}
