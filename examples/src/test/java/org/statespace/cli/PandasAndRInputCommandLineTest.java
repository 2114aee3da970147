package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data as pandas' {@code df.to_csv()} and R's {@code write.csv} write it: the unnamed index column is read
 * past, {@code --columns} chooses the observation and input columns by name, and a column of strings is
 * read as symbols when the model expects symbols. The files are written here as those tools write them
 * (pandas: header ",flow,weather", integer index; R: header "\"\",\"flow\",\"weather\"", quoted row names,
 * NA for missing).
 */
class PandasAndRInputCommandLineTest {
    @TempDir
    Path dir;

    private static final String PANDAS = ",flow,rain,weather\n0,1.5,0.1,sun\n1,2.5,0.2,rain\n2,2.0,0.0,sun\n";
    private static final String R = "\"\",\"flow\",\"weather\"\n\"1\",1.5,\"sun\"\n\"2\",2.5,\"rain\"\n\"3\",NA,\"sun\"\n";

    private StrictCsv decode(Path data, String... columns) throws Exception {
        Path model = Files.writeString(dir.resolve("hmm.json"), TidyCsvCommandLineTest.HMM);
        Path out = dir.resolve("decoded.csv");
        String[] args = {"decode", "--model", model.toString(), "--data", data.toString(), "--out", out.toString()};
        if (columns.length > 0) {
            args = java.util.Arrays.copyOf(args, args.length + 2);
            args[args.length - 2] = "--columns";
            args[args.length - 1] = String.join(",", columns);
        }
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return StrictCsv.parse(Files.readString(out));
    }

    /** A local-level filter with r = 2, q = 0.5 from a diffuse start: by hand, log N(y1; y0, r + q + r). */
    private double[] filterFlow(Path data, String columns) throws Exception {
        Path level = Files.writeString(dir.resolve("level.json"),
                "{\"type\": \"local-level\", \"observationVariance\": 2, \"levelVariance\": 0.5}");
        Path out = dir.resolve("filtered.csv");
        CliRunner r = CliRunner.run("filter", "--model", level.toString(), "--data", data.toString(), "--columns", columns,
                "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        return StrictCsv.parse(Files.readString(out)).numbers("predictiveLogDensities");
    }

    @Test
    void pandasIndexColumnIsReadPastAndColumnsChosenByName() throws Exception {
        Path data = Files.writeString(dir.resolve("pandas.csv"), PANDAS);
        double[] logDensity = filterFlow(data, "flow");
        assertThat(logDensity).hasSize(3);
        double v = 2 + 0.5 + 2;
        assertThat(logDensity[1]).isCloseTo(-0.5 * Math.log(2 * Math.PI * v) - 0.5 * 1.0 / v, within(1e-12));
        // the weather column of strings is read as the HMM's symbols; the index is not an observation
        assertThat(decode(data, "weather").column("t")).containsExactly("0", "1", "2");
    }

    @Test
    void rIndexColumnIsReadPastAndNaIsMissing() throws Exception {
        Path data = Files.writeString(dir.resolve("r.csv"), R);
        double[] logDensity = filterFlow(data, "flow");
        assertThat(logDensity).hasSize(3);
        assertThat(logDensity[2]).isNaN(); // NA: a missing observation, written as an empty cell
        assertThat(decode(data, "weather").column("viterbiPath")).hasSize(3);
    }

    @Test
    void aColumnOfStringsIsReadAsSymbolsWhenTheModelExpectsThem() throws Exception {
        // one observation column, not named "symbol": the names are the model's symbols
        Path data = Files.writeString(dir.resolve("days.csv"), "date,weather\n2024-01-01,rain\n2024-01-02,rain\n2024-01-03,rain\n");
        // three rains: every step most probably storm (p(storm | rain...) rises; brute force in TidyCsvCommandLineTest)
        StrictCsv t = decode(data);
        assertThat(t.column("viterbiPath")).hasSize(3);
        Path model = Files.writeString(dir.resolve("hmm.json"), TidyCsvCommandLineTest.HMM);
        CliRunner json = CliRunner.run("filter", "--model", model.toString(), "--data", data.toString(), "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        // p(rain at step 0) = 0.5 * 0.2 + 0.5 * 0.7
        assertThat(org.statespace.spec.Json.parse(json.out(), "out").get("sequences").get(0).get("predictiveLogDensities")
                .get(0).asDouble()).isCloseTo(Math.log(0.45), within(1e-14));
    }

    @Test
    void inputColumnsAreChosenWithTheInputPrefix() throws Exception {
        Path model = Files.writeString(dir.resolve("inputs.json"), "{\"type\": \"lgssm\", \"transitionMatrix\": [[0]],"
                + " \"controlMatrix\": [[1]], \"processNoise\": [[1]], \"observationMatrix\": [[1]], \"observationNoise\": [[1]],"
                + " \"initialMean\": [0], \"initialCovariance\": [[1]]}");
        Path data = Files.writeString(dir.resolve("pandas.csv"), PANDAS);
        Path out = dir.resolve("f.json");
        CliRunner r = CliRunner.run("filter", "--model", model.toString(), "--data", data.toString(),
                "--columns", "flow,input:rain", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        // x_0 ~ N(0, 1), y_0 = x_0 + e: N(1.5; 0, 2). Step 1: x_1 = 0 * x_0 + u_0 + w. Whichever convention
        // the input uses, step 0 does not depend on it.
        double ll0 = -0.5 * Math.log(2 * Math.PI * 2) - 0.5 * 1.5 * 1.5 / 2;
        assertThat(org.statespace.spec.Json.read(out).get("sequences").get(0).get("predictiveLogDensities").get(0).asDouble())
                .isCloseTo(ll0, within(1e-12));
        assertThat(org.statespace.spec.Json.read(out).get("sequences").get(0).get("predictiveLogDensities")).hasSize(3);
    }
}
