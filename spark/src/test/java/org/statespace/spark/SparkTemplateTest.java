package org.statespace.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;
import org.statespace.data.DatasetCsv;
import org.statespace.data.Datasets;
import org.statespace.inference.FitConfiguration;
import org.statespace.inference.FitResult;
import org.statespace.inference.TrainOptions;
import org.statespace.inference.Trainer;
import org.statespace.inference.TrainingListener;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;

/**
 * Templates on Spark against {@code statespace fit --model TEMPLATE} in memory: the symbol alphabet the CSV reader
 * gives, the same start bit for bit for any partitioning (exact sums of the data's counts and moments), and EM
 * from it with every iteration's log-likelihood within 1e-10 relative.
 */
class SparkTemplateTest extends LocalSpark {

    private static SpecNode template(String json) {
        return SpecNode.root(Json.parse(json, "template"), "template");
    }

    /** The start statespace fit draws: the template sized by the whole dataset as the command line reads it. */
    private static StateSpaceModel<?, ?> inMemory(String template, Path file, long seed) {
        return ModelSpecs.template(template(template), Datasets.read(file), Randoms.seeded(seed));
    }

    private static TemplateStart onSpark(String template, Path file, int partitions, long seed) {
        SparkSequences.ParquetColumns columns = SparkSequences.ParquetColumns.defaults();
        Dataset shape = SparkSequences.shape(spark, file.toString(), partitions, columns);
        return TemplateStart.draw(spark, template(template), shape, file.toString(), partitions, columns, seed);
    }

    @Test
    void theAlphabetOfSymbolsIsEveryNameInOrderOfFirstAppearanceAsTheCsvReaderGivesIt() throws IOException {
        // "fog" first appears in the last sequence, so no one sequence shows the whole alphabet
        Path named = dir.resolve("named.csv");
        Files.writeString(named, "sequence,symbol\na,rain\na,sun\nb,sun\nb,\nb,rain\nc,rain\nc,fog\nc,sun\n");
        List<String> expected = List.of("rain", "sun", "fog");
        assertThat(DatasetCsv.read(named).symbolNames()).isEqualTo(expected);
        for (int partitions : new int[] {1, 3}) {
            assertThat(SparkSequences.shape(spark, named.toString(), partitions, SparkSequences.ParquetColumns.defaults())
                    .symbolNames()).as("%d partitions", partitions).isEqualTo(expected);
        }
        // integers name symbols 0..max, those never seen included, as the CSV reader names them
        Path integers = dir.resolve("integers.csv");
        Files.writeString(integers, "sequence,symbol\na,3\na,0\nb,5\nb,3\n");
        assertThat(DatasetCsv.read(integers).symbolNames()).containsExactly("0", "1", "2", "3", "4", "5");
        assertThat(SparkSequences.shape(spark, integers.toString(), 2, SparkSequences.ParquetColumns.defaults())
                .symbolNames()).containsExactly("0", "1", "2", "3", "4", "5");
        // a folder of files: file by file in name order, row by row
        Path folder = Files.createDirectories(dir.resolve("weather"));
        Files.writeString(folder.resolve("b.csv"), "symbol\nsnow\nsun\n");
        Files.writeString(folder.resolve("a.csv"), "symbol\nsun\nhail\n");
        assertThat(SparkSequences.shape(spark, folder.toString(), 2, SparkSequences.ParquetColumns.defaults())
                .symbolNames()).containsExactly("sun", "hail", "snow");
        // JSON Lines name symbols without a list of them: the same rule, line by line
        Path lines = dir.resolve("named.jsonl");
        Files.writeString(lines, "{\"id\": \"a\", \"observations\": [\"rain\", null, \"sun\"]}\n"
                + "{\"id\": \"b\", \"observations\": [\"fog\", \"rain\"]}\n");
        assertThat(SparkSequences.shape(spark, lines.toString(), 2, SparkSequences.ParquetColumns.defaults())
                .symbolNames()).isEqualTo(expected);
    }

    @Test
    void aCategoricalTemplateOnCsvSymbolsFitsAsStatespaceFitDoes() throws IOException {
        Path file = dir.resolve("symptoms.csv");
        DatasetCsv.write(SparkEmTest.simulate(SparkEmTest.CATEGORICAL_TRUE, 24, 25, 8), file);
        String tpl = "{\"type\": \"hmm\", \"states\": 2}";
        StateSpaceModel<?, ?> expected = inMemory(tpl, file, 3);
        TemplateStart drawn = onSpark(tpl, file, 3, 3);
        assertThat(ModelSpecs.write(drawn.model())).isEqualTo(ModelSpecs.write(expected));
        assertThat(drawn.data()).isNotNull(); // read once, for the sized model

        Dataset training = expected.observationSpace().align(Datasets.read(file), file.toString());
        FitResult one = Trainer.fit(expected, training, null, TrainOptions.defaults().withMethod(TrainOptions.Method.EM)
                .withMaxIterations(3).withTolerance(0.0).withThreads(1).withRestarts(1).withSeed(3),
                org.statespace.capability.FitSettings.NONE, TrainingListener.NONE);
        SparkEm.Result r = new SparkEm(sc, 3, 0.0, null).fit(drawn.data(), drawn.data().count(), drawn.model(),
                org.statespace.capability.FitSettings.NONE, 1, 3);
        SparkEmTest.assertSameFit(r, one);
        drawn.data().unpersist(true);
    }

    @Test
    void aLinearGaussianTemplateStartsFromExactMomentsWhateverThePartitioning() throws IOException {
        Dataset d = SparkEmTest.simulate(SparkEmTest.LGSSM_TRUE, 20, 40, 12);
        Path file = SparkEmTest.jsonLines(d, "lgssm-template.jsonl");
        Path json = dir.resolve("lgssm-template.json");
        org.statespace.data.DatasetJson.write(d, json);
        String tpl = "{\"type\": \"lgssm\", \"stateDimension\": 2}";
        StateSpaceModel<?, ?> expected = inMemory(tpl, json, 5);
        TemplateStart one = onSpark(tpl, file, 1, 5);
        TemplateStart four = onSpark(tpl, file, 4, 5);
        assertThat(ModelSpecs.write(one.model())).isEqualTo(ModelSpecs.write(expected));
        assertThat(ModelSpecs.write(four.model())).isEqualTo(ModelSpecs.write(expected));
        one.data().unpersist(true);

        var config = FitConfiguration.read(SpecNode.root(Json.object(), "fit options"), template(tpl), expected,
                TrainOptions.defaults());
        FitResult single = Trainer.fit(expected, d, null, config.options().withMaxIterations(3).withTolerance(0.0)
                .withThreads(1), config.settings(), TrainingListener.NONE);
        SparkEm.Result r = new SparkEm(sc, 3, 0.0, null).fit(four.data(), four.data().count(), four.model(),
                config.settings(), 0, 0);
        SparkEmTest.assertSameFit(r, single);
        four.data().unpersist(true);
    }

    @Test
    void rnnTemplatesAreSizedAndStandardisedAsInMemory() throws IOException {
        // real values: a standardised network whose scales are the exact moments of the data
        Dataset reals = SparkGradientTest.varyingLengths(12, 41);
        Path realFile = SparkEmTest.jsonLines(reals, "rnn-template.jsonl");
        Path realJson = dir.resolve("rnn-template.json");
        org.statespace.data.DatasetJson.write(reals, realJson);
        String gru = "{\"type\": \"rnn\", \"cell\": \"gru\", \"hiddenSize\": 3}";
        TemplateStart real = onSpark(gru, realFile, 3, 9);
        assertThat(real.model().type()).isEqualTo("standardized");
        assertThat(ModelSpecs.write(real.model())).isEqualTo(ModelSpecs.write(inMemory(gru, realJson, 9)));
        real.data().unpersist(true);
        // symbols: a softmax head over the alphabet of the whole data, nothing to standardise, no data read
        Path symbols = dir.resolve("rnn-symbols.csv");
        DatasetCsv.write(SparkEmTest.simulate(SparkEmTest.CATEGORICAL_TRUE, 6, 12, 2), symbols);
        String lstm = "{\"type\": \"rnn\", \"cell\": \"lstm\", \"hiddenSize\": 2}";
        TemplateStart sym = onSpark(lstm, symbols, 2, 9);
        assertThat(ModelSpecs.write(sym.model())).isEqualTo(ModelSpecs.write(inMemory(lstm, symbols, 9)));
        assertThat(sym.model().observationSpace().symbolNames())
                .isEqualTo(DatasetCsv.read(symbols).symbolNames());
        assertThat(sym.data()).isNull();
    }
}
