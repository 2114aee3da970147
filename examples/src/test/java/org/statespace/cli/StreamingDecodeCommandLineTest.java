package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.statespace.cli.StreamingFixtures.ok;
import static org.statespace.cli.StreamingFixtures.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code decode --stream} (and {@code .jsonl} data) writes what the in-memory {@code decode} writes: the tidy CSV
 * line for line, the JSON's states and paths, the summary's text, from CSV, JSON Lines and dataset
 * JSON input (the in-memory Viterbi is the independent implementation); bad input is one error naming the file
 * and line, and leaves no output file.
 */
class StreamingDecodeCommandLineTest {
    @TempDir
    Path dir;

    @Test
    void everyInputAndOutputFormGivesTheInMemoryResult() throws IOException {
        Path model = write(dir, "hmm.json", StreamingFixtures.HMM);
        Path[] f = StreamingFixtures.twoSequences(dir);
        StreamingFixtures.assertStreamedEqualsInMemory(dir, f, f[3], "decode", "--model", model.toString());
    }

    @Test
    void symbolsAreDecodedAsInMemory() throws IOException {
        Path model = write(dir, "weather.json", StreamingFixtures.WEATHER);
        Path[] w = StreamingFixtures.weatherFiles(dir);
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        ok("decode", "--model", model.toString(), "--data", w[1].toString(), "--out", a.toString());
        ok("decode", "--model", model.toString(), "--data", w[0].toString(), "--out", b.toString());
        assertThat(Files.readString(b)).isEqualTo(Files.readString(a));
    }

    @Test
    void badInputIsOneErrorNamingTheLineAndLeavesNoOutput() throws IOException {
        Path model = write(dir, "hmm.json", StreamingFixtures.HMM);
        StreamingFixtures.assertBadLineLeavesNoOutput(dir, "decode", "--model", model.toString(), "--stream");
        StreamingFixtures.assertMissingDataAndUnwritableOutputFail(dir, "decode", "--model", model.toString(), "--stream");
        // an explicit-duration HMM has no spilled kernels (a linear-Gaussian model: StreamingLinearGaussianCommandLineTest)
        CliRunner hsmm = CliRunner.run("decode", "--model", write(dir, "hsmm.json", HsmmCommandLineTest.TRUTH).toString(),
                "--data", write(dir, "good.csv", "y\n0.5\n1.5\n").toString(), "--stream");
        assertThat(hsmm.exitCode()).isNotZero();
        assertThat(hsmm.err()).contains("decoded in memory only");
    }
}
