package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command on every kind of bad input it can meet: a missing file, a folder, broken JSON, a spec or
 * dataset that is wrong in itself, data that does not fit the model, a model of a family the command
 * cannot use, bad option values, and an --out that cannot be written. Each must print one line on stderr
 * that starts with "error:" and names the file, field or line (a usage error may add the line that
 * points to --help), exit with 1 (input) or 2 (usage), print no stack trace and nothing on stdout, and
 * leave no output file behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EveryCommandBadInputTest {
    private Path dir;
    private final Set<String> commandsCovered = new LinkedHashSet<>();

    /** {name: file content} written once for all cases; a case names them as {name}. */
    private static final String[][] FILES = {
        {"weather.json", MarkovCommandLineTest.WEATHER},
        {"hmm.json", "{\"type\": \"hmm\", \"initial\": [0.5, 0.5], \"transition\": [[0.9, 0.1], [0.2, 0.8]],"
            + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[0], [3]], \"covariances\": [[[1]], [[2]]]}}"},
        {"level.json", "{\"type\": \"local-level\", \"observationVariance\": 2, \"levelVariance\": 0.5}"},
        {"inputs-model.json", "{\"type\": \"lgssm\", \"transitionMatrix\": [[0.9]], \"controlMatrix\": [[0.5]],"
            + " \"processNoise\": [[0.4]], \"observationMatrix\": [[1]], \"observationNoise\": [[0.5]],"
            + " \"initialMean\": [0], \"initialCovariance\": [[1]]}"},
        {"rnn.json", "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"gru\", \"hiddenSize\": 3}],"
            + " \"head\": {\"type\": \"gaussian\", \"outputSize\": 1}, \"seed\": 1}"},
        {"broken.json", "{\"type\": \"markov-chain\", \"initial\": [1, 0],\n  \"transition\": [[0.5, 0.5] [0.5, 0.5]]}"},
        {"unknown-type.json", "{\"type\": \"kalman-filter\", \"states\": 2}"},
        {"bad-covariance.json", "{\"type\": \"hmm\", \"initial\": [1], \"transition\": [[1]],"
            + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[0]], \"covariances\": [[[-1]]]}}"},
        {"empty.json", ""},
        {"reals.json", "{\"sequences\": [{\"id\": \"r\", \"observations\": [1.5, 2, null, 0.5, 3]}]}"},
        {"symbols.json", "{\"symbols\": [\"sunny\", \"cloudy\", \"rainy\"], \"sequences\": [{\"observations\": [0, 1, 2, 1]}]}"},
        {"vectors.json", "{\"sequences\": [{\"observations\": [[1, 2], [3, 4]]}]}"},
        {"broken-data.json", "{\"sequences\": [{\"observations\": [1, 2,, 3]}]}"},
        {"nan-data.json", "{\"sequences\": [{\"observations\": [1, NaN, 3]}]}"},
        {"symbol-out-of-range.json", "{\"sequences\": [{\"observations\": [0, 1, 7]}], \"observationType\": \"symbols\"}"},
        {"bad-line.csv", "y\n1.5\n2,3\n4\n"},
        {"not-a-number.csv", "y\n1.5\ntwelve\n"},
        {"inputs-2.json", "{\"sequences\": [{\"observations\": [null, null], \"inputs\": [[1, 2], [3, 4]]}]}"},
        {"inputs-short.json", "{\"sequences\": [{\"observations\": [null, null], \"inputs\": [[1], [2]]}]}"},
        {"options-broken.json", "{\"maxIterations\": }"},
        {"options-unknown.json", "{\"maxIterations\": 3, \"learningrate\": 0.1}"},
        {"options-bad-value.json", "{\"tolerance\": -1}"},
        {"study-broken.json", "{\"datasets\": ["},
        {"study-unknown-type.json", "{\"datasets\": [{\"builtin\": \"nile\"}], \"models\": [{\"template\": {\"type\": \"arima\"}}]}"},
        {"study-unknown-builtin.json", "{\"datasets\": [{\"builtin\": \"sunspots\"}], \"models\": [{\"template\": {\"type\": \"local-level\"}}]}"},
        {"study-missing-data.json", "{\"datasets\": [{\"path\": \"no-such-data.json\"}], \"models\": [{\"template\": {\"type\": \"local-level\"}}]}"},
        {"study-bad-field.json", "{\"datasets\": [{\"builtin\": \"nile\"}], \"split\": {\"train\": 1.5}, \"models\": [{\"template\": {\"type\": \"local-level\"}}]}"},
        {"not-a-result.json", "{\"hello\": [1, 2, 3]}"},
        {"decode-unknown-state.json", "{\"states\": [\"calm\", \"storm\"], \"sequences\": [{\"id\": \"s\","
            + " \"viterbiPath\": [\"calm\", \"windy\"]}]}"},
        {"states-not-names.json", "{\"states\": \"calm\", \"sequences\": [{\"id\": \"s\", \"viterbiPath\": [0, 1]}]}"},
        {"newline-type.json", "{\"type\": \"hidden\\nmarkov\", \"states\": 2}"},
        {"newline-field.csv", "\"y\nz\",\"w\"\n1,2\n\"3\",x\n"},
    };

    static Stream<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();
        // command, arguments ({name} = a file above, {dir} = the folder, {out} = the output), exit code, expected text
        // sample
        c.add(row("sample", "--model {dir}/nope.json --length 5 --seed 1 --out {out}", 1, "nope.json: no such file (--model)"));
        c.add(row("sample", "--model {dir} --length 5 --seed 1 --out {out}", 1, "is a folder"));
        c.add(row("sample", "--model {broken.json} --length 5 --seed 1 --out {out}", 1, "broken.json: line 2, column"));
        c.add(row("sample", "--model {empty.json} --length 5 --seed 1 --out {out}", 1, "empty.json"));
        c.add(row("sample", "--model {unknown-type.json} --length 5 --seed 1 --out {out}", 1, "type: unknown model type \"kalman-filter\""));
        c.add(row("sample", "--model {bad-covariance.json} --length 5 --seed 1 --out {out}", 1, "bad-covariance.json: emission.covariances[0]"));
        c.add(row("sample", "--model {newline-type.json} --length 5 --seed 1 --out {out}", 1, "unknown model type \"hidden\\nmarkov\""));
        c.add(row("sample", "--model {weather.json} --length 0 --seed 1 --out {out}", 2, "--length must be at least 1"));
        c.add(row("sample", "--model {weather.json} --length five --seed 1 --out {out}", 2, "--length"));
        c.add(row("sample", "--model {weather.json} --length 5 --out {out}", 2, "--seed"));
        c.add(row("sample", "--model {weather.json} --length 5 --seed 1 --sequences -1 --out {out}", 2, "--sequences"));
        c.add(row("sample", "--model {weather.json} --length 5 --seed 1 --frobnicate --out {out}", 2, "--frobnicate"));
        c.add(row("sample", "--model {inputs-model.json} --length 2 --seed 1 --out {out}", 2, "--inputs"));
        c.add(row("sample", "--model {inputs-model.json} --length 2 --seed 1 --inputs {inputs-2.json} --out {out}", 1, "inputs-2.json"));
        c.add(row("sample", "--model {inputs-model.json} --length 9 --seed 1 --inputs {inputs-short.json} --out {out}", 1, "inputs-short.json"));
        c.add(row("sample", "--model {weather.json} --length 5 --seed 1 --out {dir}", 1, "is a folder"));
        // filter
        c.add(row("filter", "--model {weather.json} --data {dir}/nope.json --out {out}", 1, "nope.json: no such file (--data)"));
        c.add(row("filter", "--model {weather.json} --data {broken-data.json} --out {out}", 1, "broken-data.json: line 1, column"));
        c.add(row("filter", "--model {level.json} --data {nan-data.json} --out {out}", 1, "nan-data.json: line 1"));
        c.add(row("filter", "--model {level.json} --data {bad-line.csv} --out {out}", 1, "bad-line.csv: line 3"));
        c.add(row("filter", "--model {level.json} --data {not-a-number.csv} --out {out}", 1, "not-a-number.csv: line 3, column \"y\""));
        c.add(row("filter", "--model {level.json} --data {vectors.json} --out {out}", 1, "vectors.json"));
        c.add(row("filter", "--model {level.json} --data {newline-field.csv} --out {out}", 1, "newline-field.csv: line"));
        c.add(row("filter", "--model {level.json} --data {symbols.json} --out {out}", 1, "symbols.json"));
        c.add(row("filter", "--model {weather.json} --data {reals.json} --out {out}", 1, "reals.json"));
        c.add(row("filter", "--model {weather.json} --data {symbol-out-of-range.json} --out {out}", 1, "symbol-out-of-range.json"));
        c.add(row("filter", "--model {weather.json} --data {symbols.json} --states --out {out}", 2, "--states"));
        c.add(row("filter", "--model {weather.json} --data {symbols.json} --threads 0 --out {out}", 2, "--threads"));
        c.add(row("filter", "--model {weather.json} --out {out}", 2, "--data"));
        // smooth
        c.add(row("smooth", "--model {weather.json} --data {symbols.json} --out {out}", 2, "markov-chain model has no hidden states"));
        c.add(row("smooth", "--model {hmm.json} --data {vectors.json} --out {out}", 1, "vectors.json"));
        c.add(row("smooth", "--model {hmm.json} --data {bad-line.csv} --out {out}", 1, "bad-line.csv: line 3"));
        // decode
        c.add(row("decode", "--model {level.json} --data {reals.json} --out {out}", 2, "no discrete hidden path"));
        c.add(row("decode", "--model {hmm.json} --data {symbols.json} --out {out}", 1, "symbols.json"));
        c.add(row("decode", "--model {broken.json} --data {reals.json} --out {out}", 1, "broken.json: line 2"));
        // forecast
        c.add(row("forecast", "--model {level.json} --data {reals.json} --steps 0 --out {out}", 2, "--steps must be at least 1"));
        c.add(row("forecast", "--model {rnn.json} --data {reals.json} --steps 3 --out {out}", 2, "no exact multi-step forecasts"));
        c.add(row("forecast", "--model {inputs-model.json} --data {inputs-short.json} --steps 3 --out {out}", 2, "--inputs"));
        c.add(row("forecast", "--model {inputs-model.json} --data {inputs-short.json} --steps 3 --inputs {inputs-2.json} --out {out}", 1, "inputs-2.json"));
        c.add(row("forecast", "--model {inputs-model.json} --data {inputs-short.json} --steps 5 --inputs {inputs-short.json} --out {out}", 1, "inputs-short.json"));
        c.add(row("forecast", "--model {level.json} --data {nan-data.json} --steps 2 --out {out}", 1, "nan-data.json"));
        // fit
        c.add(row("fit", "--model {level.json} --data {reals.json} --options {options-broken.json} --out {out}", 1, "options-broken.json: line 1"));
        c.add(row("fit", "--model {level.json} --data {reals.json} --options {options-unknown.json} --out {out}", 1, "options-unknown.json: learningrate: unknown field"));
        c.add(row("fit", "--model {level.json} --data {reals.json} --options {options-bad-value.json} --out {out}", 1, "options-bad-value.json: tolerance: must be at least 0"));
        c.add(row("fit", "--model {level.json} --data {reals.json} --options {dir}/nope.json --out {out}", 1, "nope.json: no such file (--options)"));
        c.add(row("fit", "--model {level.json} --data {reals.json} --max-iterations 0 --out {out}", 2, "maxIterations"));
        c.add(row("fit", "--model {level.json} --data {reals.json} --method newton --out {out}", 2, "newton"));
        c.add(row("fit", "--model {weather.json} --data {symbols.json} --method em --out {out}", 1, "em"));
        c.add(row("fit", "--model {level.json} --data {reals.json} --validation {vectors.json} --out {out}", 1, "vectors.json"));
        c.add(row("fit", "--model {level.json} --data {symbols.json} --out {out}", 1, "symbols.json"));
        c.add(row("fit", "--model {level.json} --data {reals.json}", 2, "--out"));
        c.add(row("fit", "--model {level.json} --data {reals.json} --out {dir}", 1, "is a folder"));
        // analyze
        c.add(row("analyze", "--model {hmm.json} --out {out}", 2, "analyze works on markov-chain models"));
        c.add(row("analyze", "--model {broken.json} --out {out}", 1, "broken.json: line 2"));
        c.add(row("analyze", "--model {dir}/nope.json --json --out {out}", 1, "nope.json: no such file"));
        // compare
        c.add(row("compare", "{dir}/nope.json --out {out}", 1, "nope.json: no such file"));
        c.add(row("compare", "{study-broken.json} --out {out}", 1, "study-broken.json: line 1"));
        c.add(row("compare", "{study-unknown-type.json} --out {out}", 1, "study-unknown-type.json: models[0].template.type: unknown model type \"arima\""));
        c.add(row("compare", "{study-unknown-builtin.json} --out {out}", 1, "sunspots"));
        c.add(row("compare", "{study-missing-data.json} --out {out}", 1, "no-such-data.json: no such file"));
        c.add(row("compare", "{study-bad-field.json} --out {out}", 1, "study-bad-field.json: split.train: must be between 0 and 1"));
        c.add(row("compare", "{study-unknown-type.json} --threads 0 --out {out}", 2, "--threads"));
        // datasets
        c.add(row("datasets", "sunspots --out {out}", 2, "no built-in dataset \"sunspots\""));
        c.add(row("datasets", "nile --out {dir}", 1, "is a folder"));
        c.add(row("datasets", "nile extra --out {out}", 2, "extra"));
        // plot
        c.add(row("plot", "--result {dir}/nope.json --out {out}", 1, "nope.json: no such file (--result)"));
        c.add(row("plot", "--result {broken.json} --out {out}", 1, "broken.json: line 2"));
        c.add(row("plot", "--result {not-a-result.json} --out {out}", 1, "not-a-result.json"));
        c.add(row("plot", "--result {weather.json} --out {out}", 1, "weather.json"));
        c.add(row("plot", "--result {decode-unknown-state.json} --out {out}", 1,
                "decode-unknown-state.json: sequences[0]: viterbiPath[1]: \"windy\" is not one of the states [calm, storm]"));
        c.add(row("plot", "--result {states-not-names.json} --out {out}", 1,
                "states-not-names.json: states: expected a list of distinct names, got \"calm\""));
        c.add(row("plot", "--result {reals.json}", 2, "--out"));
        // unroll
        c.add(row("unroll", "--model {weather.json} --steps 3 --out {out}", 1, "unroll takes an rnn"));
        c.add(row("unroll", "--model {rnn.json} --steps 0 --out {out}", 2, "--steps must be between 1 and 100000"));
        c.add(row("unroll", "--model {rnn.json} --steps 3 --format gif --out {out}", 2, "--format"));
        c.add(row("unroll", "--model {unknown-type.json} --steps 3 --out {out}", 1, "unknown model type"));
        // types
        c.add(row("types", "extra", 2, "extra"));
        c.add(row("types", "--frobnicate", 2, "--frobnicate"));
        return c.stream();
    }

    private static Arguments row(String command, String arguments, int exitCode, String expected) {
        return Arguments.of(command + " " + arguments, exitCode, expected);
    }

    @BeforeAll
    void writeFiles() throws IOException {
        dir = Files.createTempDirectory("statespace-bad-input");
        for (String[] f : FILES) {
            Files.writeString(dir.resolve(f[0]), f[1]);
        }
    }

    @AfterAll
    void deleteFiles() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneLineNoTraceRightExitCodeNothingWritten(String commandLine, int exitCode, String expected) throws IOException {
        Path out = dir.resolve("out-" + Integer.toHexString(commandLine.hashCode()) + ".json");
        List<String> args = new ArrayList<>();
        for (String word : commandLine.split(" ")) {
            String w = word.replace("{dir}", dir.toString()).replace("{out}", out.toString());
            for (String[] f : FILES) {
                w = w.replace("{" + f[0] + "}", dir.resolve(f[0]).toString());
            }
            args.add(w);
        }
        commandsCovered.add(args.get(0));
        long filesBefore = countFiles();
        CliRunner r = CliRunner.run(args.toArray(new String[0]));
        String[] lines = r.errorLines();
        assertThat(r.exitCode()).as("exit code; stderr: %s", r.err()).isEqualTo(exitCode);
        assertThat(lines).as("stderr").isNotEmpty();
        assertThat(lines[0]).startsWith("error: ").contains(expected);
        if (exitCode == 1) {
            assertThat(lines).as("stderr").hasSize(1);
        } else {
            assertThat(lines.length).as("stderr: %s", r.err()).isLessThanOrEqualTo(2);
            if (lines.length == 2) {
                assertThat(lines[1]).startsWith("Run '").endsWith("--help' for usage.");
            }
        }
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("internal error");
        assertThat(r.out()).as("stdout").isEmpty();
        assertThat(out).doesNotExist();
        assertThat(countFiles()).as("files in the folder (a temporary file left behind?)").isEqualTo(filesBefore);
    }

    private long countFiles() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.count();
        }
    }

    @Test
    void everyCommandIsInTheTable() {
        Set<String> listed = new LinkedHashSet<>();
        cases().forEach(a -> listed.add(((String) a.get()[0]).split(" ")[0]));
        assertThat(listed).containsExactlyInAnyOrder("sample", "filter", "smooth", "decode", "forecast", "fit",
                "analyze", "compare", "datasets", "plot", "unroll", "types");
    }
}
