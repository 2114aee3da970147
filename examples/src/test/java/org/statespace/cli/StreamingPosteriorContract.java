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
 * What a streamed command over an HMM's hidden states ({@code decode}, {@code smooth}) must do, each command's test
 * plugging in: with {@code --stream} (and {@code .jsonl} data) it writes what the in-memory command writes, the tidy
 * CSV line for line, the JSON's every field, the summary's text, from CSV, JSON Lines and dataset JSON input (the
 * in-memory command is the independent implementation), for reals and for symbols matched by name; bad input is
 * one error naming the file and line, and leaves no output file; a model with no spilled kernels is refused.
 */
abstract class StreamingPosteriorContract {
    @TempDir
    Path dir;

    private final String command;
    private final String refusal;

    /** {@code command} streamed; {@code refusal}, what it says of a Markov chain, which it does not stream. */
    StreamingPosteriorContract(String command, String refusal) {
        this.command = command;
        this.refusal = refusal;
    }

    @Test
    void everyInputAndOutputFormGivesTheInMemoryResult() throws IOException {
        Path model = write(dir, "hmm.json", StreamingFixtures.HMM);
        Path[] f = StreamingFixtures.twoSequences(dir);
        StreamingFixtures.assertStreamedEqualsInMemory(dir, f, f[3], command, "--model", model.toString());
    }

    @Test
    void symbolsGiveTheInMemoryResult() throws IOException {
        Path model = write(dir, "weather.json", StreamingFixtures.WEATHER);
        Path[] w = StreamingFixtures.weatherFiles(dir);
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        ok(command, "--model", model.toString(), "--data", w[1].toString(), "--out", a.toString());
        ok(command, "--model", model.toString(), "--data", w[0].toString(), "--out", b.toString());
        assertThat(Files.readString(b)).isEqualTo(Files.readString(a));
    }

    @Test
    void badInputIsOneErrorNamingTheLineAndLeavesNoOutput() throws IOException {
        Path model = write(dir, "hmm.json", StreamingFixtures.HMM);
        StreamingFixtures.assertBadLineLeavesNoOutput(dir, command, "--model", model.toString(), "--stream");
        StreamingFixtures.assertMissingDataAndUnwritableOutputFail(dir, command, "--model", model.toString(), "--stream");
        // a Markov chain has no hidden state: the in-memory command's error (a linear-Gaussian model's decode: StreamingLinearGaussianCommandLineTest)
        CliRunner chain = CliRunner.run(command, "--model", write(dir, "chain.json", MarkovCommandLineTest.WEATHER)
                .toString(), "--data", write(dir, "good.csv", "state\nsunny\nrainy\n").toString(), "--stream");
        assertThat(chain.exitCode()).isNotZero();
        assertThat(chain.err()).contains(refusal);
    }
}
