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
                "--max-iterations", "5", "--restarts", "2", "--seed", "4", "--out", fitted.toString());
        assertThat(fit.code()).as(fit.err()).isZero();
        assertThat(fit.out()).contains("fitted hmm by EM on 60 sequences").contains("iterations      5");
        // statespace fit --restarts 2 --seed 4: the same starts, the same best run
        var single = org.statespace.inference.Trainer.fit(org.statespace.spec.ModelSpecs.read(model), d, null,
                org.statespace.inference.TrainOptions.defaults().withMethod(org.statespace.inference.TrainOptions.Method.EM)
                        .withMaxIterations(5).withThreads(1).withRestarts(2).withSeed(4),
                org.statespace.capability.FitSettings.NONE, org.statespace.inference.TrainingListener.NONE);
        double expected = single.logLikelihood();
        assertThat(fit.out()).contains(String.format(java.util.Locale.ROOT, "log-likelihood  %.6f", expected));
        double[] finals = single.restartLogLikelihoods();
        assertThat(finals).hasSize(3);
        assertThat(fit.out()).contains(String.format(java.util.Locale.ROOT,
                "restarts        2 from seed 4, final log-likelihoods %.6f, %.6f, %.6f", finals[0], finals[1], finals[2]));
        assertThat(org.statespace.spec.ModelSpecs.read(fitted).observationSpace())
                .isEqualTo(single.model().observationSpace());

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
    void fitStartsATemplateAsStatespaceFitDoesWithItsRestarts() throws IOException {
        Dataset d = SparkEmTest.simulate(SparkEmTest.GAUSSIAN_TRUE, 50, 30, 37);
        String tpl = "{\"type\": \"hmm\", \"states\": 3}";
        Path template = dir.resolve("template.json");
        Files.writeString(template, tpl);
        Path data = SparkEmTest.jsonLines(d, dir.resolve("template-data.jsonl"));
        Path fitted = dir.resolve("template-fitted.json");
        Run fit = run("fit", "--master", "local[2]", "--model", template.toString(), "--data", data.toString(),
                "--max-iterations", "3", "--seed", "2", "--out", fitted.toString());
        assertThat(fit.code()).as(fit.err()).isZero();
        // what statespace fit does with a template: sized by the data, drawn with the seed, 4 restarts by default
        var root = org.statespace.spec.SpecNode.root(org.statespace.spec.Json.parse(tpl, "t"), "t");
        var initial = org.statespace.spec.ModelSpecs.template(root, d, org.statespace.numeric.Randoms.seeded(2));
        var config = org.statespace.inference.FitConfiguration.read(
                org.statespace.spec.SpecNode.root(org.statespace.spec.Json.object(), "fit options"), root, initial,
                org.statespace.inference.TrainOptions.defaults());
        var single = org.statespace.inference.Trainer.fit(initial, d, null, config.options().withMaxIterations(3)
                .withThreads(1).withSeed(2).withRestarts(org.statespace.inference.Trainer.TEMPLATE_RESTARTS),
                config.settings(), org.statespace.inference.TrainingListener.NONE);
        double[] finals = single.restartLogLikelihoods();
        assertThat(finals).hasSize(5);
        StringBuilder b = new StringBuilder();
        for (double v : finals) {
            b.append(b.length() == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%.6f", v));
        }
        assertThat(fit.out()).contains("restarts        4 from seed 2, final log-likelihoods " + b)
                .contains(String.format(java.util.Locale.ROOT, "log-likelihood  %.6f", single.logLikelihood()));
        var spark = org.statespace.spec.ModelSpecs.read(fitted);
        assertThat(spark.observationSpace()).isEqualTo(single.model().observationSpace());
        assertThat(org.statespace.inference.FilterEngine.singleThreaded().run(spark, d).logLikelihood())
                .isCloseTo(org.statespace.inference.FilterEngine.singleThreaded().run(single.model(), d).logLikelihood(),
                        org.assertj.core.api.Assertions.within(1e-8 * Math.abs(single.logLikelihood())));
    }

    @Test
    void fitTakesTemplatesOnSymbolsAndOfEveryFamilyAsStatespaceFitDoes() throws IOException {
        // symbols by name in a CSV file: the alphabet is every symbol of the data, as statespace fit reads the file
        Path csv = dir.resolve("symptoms.csv");
        org.statespace.data.DatasetCsv.write(SparkEmTest.simulate(SparkEmTest.CATEGORICAL_TRUE, 12, 20, 6), csv);
        String tpl = "{\"type\": \"hmm\", \"states\": 2}";
        Path template = dir.resolve("symbols-template.json");
        Files.writeString(template, tpl);
        Path fitted = dir.resolve("symbols-fitted.json");
        Run fit = run("fit", "--master", "local[2]", "--model", template.toString(), "--data", csv.toString(),
                "--max-iterations", "3", "--restarts", "1", "--seed", "5", "--out", fitted.toString());
        assertThat(fit.code()).as(fit.err()).isZero();
        var root = org.statespace.spec.SpecNode.root(org.statespace.spec.Json.parse(tpl, "t"), "t");
        var raw = org.statespace.data.DatasetCsv.read(csv);
        var initial = org.statespace.spec.ModelSpecs.template(root, raw, org.statespace.numeric.Randoms.seeded(5));
        var single = org.statespace.inference.Trainer.fit(initial, initial.observationSpace().align(raw, "csv"), null,
                org.statespace.inference.TrainOptions.defaults().withMethod(org.statespace.inference.TrainOptions.Method.EM)
                        .withMaxIterations(3).withThreads(1).withRestarts(1).withSeed(5),
                org.statespace.capability.FitSettings.NONE, org.statespace.inference.TrainingListener.NONE);
        assertThat(fit.out()).contains("fitted hmm by EM on 12 sequences")
                .contains(String.format(java.util.Locale.ROOT, "log-likelihood  %.6f", single.logLikelihood()));
        assertThat(org.statespace.spec.ModelSpecs.read(fitted).observationSpace().symbolNames())
                .isEqualTo(raw.symbolNames());

        // an lgssm template on real values: its start from the data's moments, fitted by EM
        Path lgssm = dir.resolve("lgssm-template.json");
        Files.writeString(lgssm, "{\"type\": \"lgssm\"}");
        Dataset d = SparkEmTest.simulate(SparkEmTest.LGSSM_TRUE, 8, 30, 4);
        Path data = SparkEmTest.jsonLines(d, dir.resolve("lgssm.jsonl"));
        Run l = run("fit", "--master", "local[2]", "--model", lgssm.toString(), "--data", data.toString(),
                "--max-iterations", "3");
        assertThat(l.code()).as(l.err()).isZero();
        var lroot = org.statespace.spec.SpecNode.root(org.statespace.spec.Json.parse("{\"type\": \"lgssm\"}", "t"), "t");
        var linitial = org.statespace.spec.ModelSpecs.template(lroot, d, org.statespace.numeric.Randoms.seeded(0));
        var lconfig = org.statespace.inference.FitConfiguration.read(
                org.statespace.spec.SpecNode.root(org.statespace.spec.Json.object(), "fit options"), lroot, linitial,
                org.statespace.inference.TrainOptions.defaults());
        var lsingle = org.statespace.inference.Trainer.fit(linitial, d, null, lconfig.options().withMaxIterations(3)
                .withThreads(1), lconfig.settings(), org.statespace.inference.TrainingListener.NONE);
        assertThat(l.out()).contains("fitted lgssm by EM on 8 sequences")
                .contains(String.format(java.util.Locale.ROOT, "log-likelihood  %.6f", lsingle.logLikelihood()));
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

        // a template that does not fit the data names both; one that Spark cannot fit names the method; score wants
        // a fitted model
        Path template = dir.resolve("t.json");
        Files.writeString(template, "{\"type\": \"hmm\", \"emission\": \"categorical\"}");
        Path some = SparkEmTest.jsonLines(SparkEmTest.simulate(SparkEmTest.GAUSSIAN_TRUE, 3, 10, 5), dir.resolve("some.jsonl"));
        Run t = run("fit", "--master", "local[1]", "--model", template.toString(), "--data", some.toString());
        assertThat(t.code()).as(t.err()).isEqualTo(1);
        assertThat(t.err()).contains("t.json: the template does not apply to " + some
                + ": a categorical HMM does not apply to real values").doesNotContain("\tat ");
        Path chain = dir.resolve("chain.json");
        Files.writeString(chain, "{\"type\": \"markov-chain\"}");
        Path symbols = dir.resolve("symbols.csv");
        Files.writeString(symbols, "symbol\nsun\nrain\nsun\n");
        Run c = run("fit", "--master", "local[1]", "--model", chain.toString(), "--data", symbols.toString());
        assertThat(c.code()).as(c.err()).isEqualTo(1);
        assertThat(c.err()).contains("a markov-chain model is fitted by closed-form; on Spark, fit runs EM and gradient")
                .doesNotContain("\tat ");
        Run scoreTemplate = run("score", "--master", "local[1]", "--model", template.toString(), "--data", some.toString());
        assertThat(scoreTemplate.code()).isEqualTo(1);
        assertThat(scoreTemplate.err()).contains("score takes a full spec");

        // a model without data-driven starts cannot restart; the error names the option
        Path lgssm = dir.resolve("lgssm.json");
        Files.writeString(lgssm, SparkEmTest.LGSSM_START);
        Path restarts = dir.resolve("restarts.json");
        Files.writeString(restarts, "{\"restarts\": 2}");
        Run r = run("fit", "--master", "local[1]", "--model", lgssm.toString(), "--data", model.toString(), "--options",
                restarts.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("restarts.json").contains("a lgssm model cannot draw starting points")
                .doesNotContain("\tat ");

        // a degenerate start is moved (as statespace fit moves it), with a warning
        Path symmetric = dir.resolve("symmetric.json");
        Files.writeString(symmetric, SparkEmTest.SYMMETRIC_START);
        Path few = SparkEmTest.jsonLines(SparkEmTest.simulate(SparkEmTest.GAUSSIAN_TRUE, 4, 10, 3), dir.resolve("few.jsonl"));
        Run degenerate = run("fit", "--master", "local[1]", "--model", symmetric.toString(), "--data", few.toString(),
                "--max-iterations", "2");
        assertThat(degenerate.code()).as(degenerate.err()).isZero();
        assertThat(degenerate.err()).contains("warning: the start was degenerate");

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
