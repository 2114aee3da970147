package org.statespace.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statespace.data.Dataset;
import org.statespace.data.DatasetJson;
import org.statespace.study.DatasetResolver;
import org.statespace.study.Study;
import org.statespace.study.StudyResult;
import org.statespace.study.StudyRow;
import org.statespace.study.StudySpec;

/** The statespace-spark command line in local[2]: fit, score and compare, and its errors. */
class SparkMainTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SparkMain.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void fitWritesTheSingleJvmModelAndScoreWritesAParquetTable() throws IOException {
        Dataset d = SparkEmTest.simulate(SparkEmTest.GAUSSIAN_TRUE, 60, 30, 21);
        Path model = dir.resolve("start.json");
        Files.writeString(model, SparkEmTest.GAUSSIAN_START);
        Path data = dir.resolve("data.jsonl");
        StringBuilder b = new StringBuilder();
        var writer = org.statespace.spec.Json.mapper().writer()
                .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
        for (var s : org.statespace.spec.Json.parse(DatasetJson.toJson(d), "t").get("sequences")) {
            b.append(writer.writeValueAsString(s)).append('\n');
        }
        Files.writeString(data, b);
        Path fitted = dir.resolve("fitted.json");
        Run fit = run("fit", "--master", "local[2]", "--model", model.toString(), "--data", data.toString(),
                "--max-iterations", "5", "--out", fitted.toString());
        assertThat(fit.code()).as(fit.err()).isZero();
        assertThat(fit.out()).contains("fitted hmm by EM on 60 sequences").contains("iterations      5");
        var single = org.statespace.inference.Trainer.fit(org.statespace.spec.ModelSpecs.read(model), d, null,
                org.statespace.inference.TrainOptions.defaults().withMethod(org.statespace.inference.TrainOptions.Method.EM)
                        .withMaxIterations(5).withThreads(1),
                org.statespace.capability.FitSettings.NONE, org.statespace.inference.TrainingListener.NONE);
        double expected = single.logLikelihoodTrace()[single.logLikelihoodTrace().length - 1];
        assertThat(fit.out()).contains(String.format(java.util.Locale.ROOT, "log-likelihood  %.6f", expected));

        Path table = dir.resolve("scores.parquet");
        Run score = run("score", "--master", "local[2]", "--model", fitted.toString(), "--data", data.toString(),
                "--out", table.toString());
        assertThat(score.code()).as(score.err()).isZero();
        assertThat(score.out()).contains("scored hmm on 60 sequences");
        assertThat(Files.isDirectory(table)).isTrue();
        try (var files = Files.list(table)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".parquet"));
        }
        Run again = run("score", "--master", "local[2]", "--model", fitted.toString(), "--data", data.toString(),
                "--out", table.toString());
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("--out " + table + " exists");
    }

    @Test
    void fitTrainsAnRnnSpecByGradientWithTheSingleJvmNumbersAndResumesFromItsCheckpoint() throws IOException {
        Dataset d = SparkGradientTest.varyingLengths(14, 31);
        var start = SparkGradientTest.rnnStart("{\"type\": \"rnn\", \"cell\": \"lstm\", \"hiddenSize\": 3}", d);
        Path model = dir.resolve("rnn.json");
        Files.writeString(model, org.statespace.spec.ModelSpecs.write(start));
        Path data = SparkEmTest.jsonLines(d, dir.resolve("rnn.jsonl"));
        Path options = dir.resolve("options.json");
        Files.writeString(options, "{\"batchSize\": 6, \"seed\": 4, \"learningRate\": 0.05, \"checkpointEvery\": 1}");
        Path checkpoint = dir.resolve("rnn-checkpoint.json");
        Path fitted = dir.resolve("rnn-fitted.json");
        Run first = run("fit", "--master", "local[2]", "--model", model.toString(), "--data", data.toString(),
                "--options", options.toString(), "--max-iterations", "1", "--checkpoint", checkpoint.toString(),
                "--out", fitted.toString());
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("fitted standardized by gradient training on 14 sequences")
                .contains("epochs          1 (adam, batches of 6)");
        Run resumed = run("fit", "--master", "local[2]", "--model", model.toString(), "--data", data.toString(),
                "--options", options.toString(), "--max-iterations", "2", "--checkpoint", checkpoint.toString(),
                "--resume", "--out", fitted.toString());
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("epochs          2");

        var config = org.statespace.inference.FitConfiguration.read(
                org.statespace.spec.SpecNode.root(org.statespace.spec.Json.read(options), options.toString()), start,
                org.statespace.inference.TrainOptions.defaults());
        var single = org.statespace.inference.Trainer.fit(start, d, null, config.options().withMaxIterations(2),
                config.settings(), org.statespace.inference.TrainingListener.NONE);
        double[] expected = SparkGradientTest.numbers(single.model());
        double[] actual = SparkGradientTest.numbers(org.statespace.spec.ModelSpecs.read(fitted));
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("number %d of the fitted spec", i)
                    .isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-10 * Math.abs(expected[i])));
        }
    }

    @Test
    void userMistakesGetOneLineAndTheRightExitCode() throws IOException {
        Path model = dir.resolve("m.json");
        Files.writeString(model, SparkEmTest.GAUSSIAN_START);
        Run missing = run("fit", "--master", "local[1]", "--model", model.toString(), "--data",
                dir.resolve("nope.jsonl").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("nope.jsonl: no such file or folder").doesNotContain("\tat ");

        Path template = dir.resolve("t.json");
        Files.writeString(template, "{\"type\": \"hmm\", \"states\": 2, \"emission\": \"gaussian\"}");
        Run t = run("fit", "--master", "local[1]", "--model", template.toString(), "--data", model.toString());
        assertThat(t.code()).isEqualTo(1);
        assertThat(t.err()).contains("a template needs the data in memory");

        // restarts are refused by name, not skipped (they used to be ignored)
        Path restarts = dir.resolve("restarts.json");
        Files.writeString(restarts, "{\"restarts\": 2}");
        Run r = run("fit", "--master", "local[1]", "--model", model.toString(), "--data", model.toString(), "--options",
                restarts.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("restarts.json").contains("restarts 2 are not run by statespace-spark")
                .doesNotContain("\tat ");

        Path symmetric = dir.resolve("symmetric.json");
        Files.writeString(symmetric, SparkEmTest.SYMMETRIC_START);
        Path few = SparkEmTest.jsonLines(SparkEmTest.simulate(SparkEmTest.GAUSSIAN_TRUE, 4, 10, 3), dir.resolve("few.jsonl"));
        Run degenerate = run("fit", "--master", "local[1]", "--model", symmetric.toString(), "--data", few.toString());
        assertThat(degenerate.code()).isEqualTo(1);
        assertThat(degenerate.err()).contains("symmetric.json: start: the start is degenerate").doesNotContain("\tat ");

        Run self = run("fit", "--model", model.toString(), "--data", "x.jsonl", "--out", model.toString());
        assertThat(self.code()).isEqualTo(2);
        assertThat(self.err()).contains("is an input of this command");

        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"id\": \"a\", \"observations\": [1.0, 2.0]}\n{\"id\": \"b\", \"observations\": [1.0, \"x\"]}\n");
        Run badLine = run("fit", "--master", "local[1]", "--model", model.toString(), "--data", bad.toString());
        assertThat(badLine.code()).isEqualTo(1);
        assertThat(badLine.err()).contains("bad.jsonl line 2, column 35: ").doesNotContain("\tat ");
    }

    @Test
    void compareRunsTheStudyGridWithTheSameRowsAsOneJvm() throws IOException {
        Path a = dir.resolve("a.json");
        Path c = dir.resolve("c.json");
        DatasetJson.write(SparkEmTest.simulate(SparkEmTest.GAUSSIAN_TRUE, 3, 60, 1), a);
        DatasetJson.write(SparkEmTest.simulate(SparkEmTest.LGSSM_TRUE, 2, 80, 2), c);
        Path study = dir.resolve("study.json");
        Files.writeString(study, """
                {"name": "grid", "seeds": [1, 2],
                 "datasets": [{"name": "regimes", "path": "a.json"}, {"name": "ar1", "path": "c.json"}],
                 "models": [{"name": "hmm2", "template": {"type": "hmm", "states": 2, "emission": "gaussian"},
                             "fit": {"maxIterations": 20}},
                            {"name": "level", "template": {"type": "local-level"}, "fit": {"maxIterations": 30}}]}""");
        Path out = dir.resolve("out");
        Run r = run("compare", "--master", "local[2]", "--study", study.toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        for (String f : List.of("results.json", "results.csv", "results.md", "manifest.json")) {
            assertThat(out.resolve(f)).exists();
        }
        StudyResult one = Study.run(StudySpec.read(study), DatasetResolver.NONE, 1, null);
        String csv = Files.readString(out.resolve("results.csv"));
        for (StudyRow row : one.rows()) {
            assertThat(row.ok()).as(row.reason()).isTrue();
            assertThat(csv).contains("grid," + row.dataset() + "," + row.model() + "," + row.type() + "," + row.seed() + ",ok,");
        }
        assertThat(csv.lines().count()).isEqualTo(one.toCsv().lines().count());
        assertThat(stripTimes(csv)).isEqualTo(stripTimes(one.toCsv()));
    }

    /** The CSV without the columns that hold wall times. */
    private static String stripTimes(String csv) {
        List<String> lines = csv.lines().toList();
        List<String> header = List.of(lines.get(0).split(",", -1));
        StringBuilder b = new StringBuilder();
        for (String line : lines) {
            String[] cells = line.split(",", -1);
            for (int i = 0; i < cells.length; i++) {
                String h = i < header.size() ? header.get(i) : "";
                if (!h.toLowerCase(java.util.Locale.ROOT).contains("second")) {
                    b.append(cells[i]).append(',');
                }
            }
            b.append('\n');
        }
        return b.toString();
    }
}
