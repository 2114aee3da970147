package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's mistakes on the command line: one line on stderr naming the file, the field or line and the
 * problem; exit code 1 for input, 2 for usage; no stack trace; no output file written.
 */
class BadInputCommandLineTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "non-square matrix|{\"type\": \"markov-chain\", \"initial\": [1, 0], \"transition\": [[0.5, 0.5], [0.5, 0.5], [1, 0]]}|transition: expected a square matrix, got 3x2",
        "row not summing to 1|{\"type\": \"markov-chain\", \"initial\": [1, 0], \"transition\": [[0.5, 0.5], [0.3, 0.6]]}|transition[1]: sums to 0.8999999999999999, expected 1",
        "negative probability|{\"type\": \"markov-chain\", \"initial\": [1, 0], \"transition\": [[1.2, -0.2], [0.5, 0.5]]}|transition[0][1]: probability must be non-negative, got -0.2",
        "NaN|{\"type\": \"markov-chain\", \"initial\": [NaN, 1], \"transition\": [[0.5, 0.5], [0.5, 0.5]]}|initial[0]: expected a finite number, got NaN",
        "missing field|{\"type\": \"markov-chain\", \"transition\": [[0.5, 0.5], [0.5, 0.5]]}|initial: missing field",
        "unknown field|{\"type\": \"markov-chain\", \"initial\": [1], \"transition\": [[1]], \"extra\": 1}|extra: unknown field",
        "wrong type|{\"type\": \"markov-chain\", \"initial\": \"uniform\", \"transition\": [[1]]}|initial: expected an array, got string \"uniform\"",
        "broken JSON|{\"type\": \"markov-chain\", |not valid JSON",
    })
    void aBadSpecNamesItsFieldOnOneLine(String name, String spec, String expected) throws Exception {
        Path model = dir.resolve("m.json");
        Files.writeString(model, spec);
        Path out = dir.resolve("out.json");
        CliRunner r = CliRunner.run("sample", "--model", model.toString(), "--length", "5", "--seed", "1",
                "--out", out.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errorLines()).hasSize(1);
        assertThat(r.err()).startsWith("error: " + model).contains(expected).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(out).doesNotExist();
    }

    @Test
    void aMisspeltCommandOrOptionGetsTheNearestName() {
        CliRunner command = CliRunner.run("fitt", "--model", "m.json");
        assertThat(command.exitCode()).isEqualTo(2);
        assertThat(command.errorLines()[0]).startsWith("error: ").endsWith("; did you mean fit?");
        CliRunner option = CliRunner.run("analyze", "--model", "m.json", "--jsn");
        assertThat(option.exitCode()).isEqualTo(2);
        assertThat(option.errorLines()[0]).startsWith("error: ").contains("--jsn").endsWith("; did you mean --json?");
        CliRunner far = CliRunner.run("analyze", "--model", "m.json", "--frobnicate");
        assertThat(far.exitCode()).isEqualTo(2);
        assertThat(far.err()).doesNotContain("did you mean");
    }

    @Test
    void aMissingFileIsAnInputError() {
        CliRunner r = CliRunner.run("filter", "--model", dir.resolve("nope.json").toString(), "--data", "x.json");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errorLines()).hasSize(1);
        assertThat(r.err()).contains("nope.json: no such file");
    }

    @Test
    void badDataNamesTheLine() throws Exception {
        Path model = dir.resolve("m.json");
        Files.writeString(model, MarkovCommandLineTest.WEATHER);
        Path data = dir.resolve("d.csv");
        Files.writeString(data, "symbol\nsunny\ncloudy\nfoggy\n");
        Path out = dir.resolve("r.json");
        CliRunner r = CliRunner.run("filter", "--model", model.toString(), "--data", data.toString(), "--out", out.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errorLines()).hasSize(1);
        // (the old check, contains("7"), passed whenever the temporary folder's name held a 7)
        assertThat(r.err()).contains("d.csv: sequence 's1', step 2: unknown symbol \"foggy\"");
        assertThat(out).doesNotExist();
        Files.writeString(data, "symbol\n0\nx,y\n");
        r = CliRunner.run("filter", "--model", model.toString(), "--data", data.toString());
        assertThat(r.err()).contains("d.csv: line 3");
    }

    @Test
    void badUsageExitsWithTwo() {
        CliRunner r = CliRunner.run("sample", "--model", "m.json", "--length", "ten", "--seed", "1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--length").doesNotContain("\tat ");
        assertThat(CliRunner.run("frobnicate").exitCode()).isEqualTo(2);
        assertThat(CliRunner.run("sample", "--length", "5", "--seed", "1").exitCode()).isEqualTo(2);
    }

    @Test
    void analyzeRefusesOtherFamiliesWithAReason() throws Exception {
        Path data = dir.resolve("m.json");
        Files.writeString(data, "{\"type\": \"markov-chain\", \"initial\": [1], \"transition\": [[1]]}");
        CliRunner ok = CliRunner.run("analyze", "--model", data.toString());
        assertThat(ok.exitCode()).isZero();
    }
}
