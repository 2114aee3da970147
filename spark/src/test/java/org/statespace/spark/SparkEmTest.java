package org.statespace.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.statespace.Sampling;
import org.statespace.StateSpaceModel;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.DatasetJson;
import org.statespace.data.Sequence;
import org.statespace.inference.FilterEngine;
import org.statespace.inference.FitResult;
import org.statespace.inference.TrainOptions;
import org.statespace.inference.Trainer;
import org.statespace.inference.TrainingListener;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * EM on Spark against the single-JVM trainer: every iteration's log-likelihood within 1e-10 relative, and
 * bit for bit the same for every partitioning of the data. Spark runs in local[2] inside the test.
 */
class SparkEmTest extends LocalSpark {

    static final String GAUSSIAN_TRUE = """
            {"type": "hmm", "initial": [0.6, 0.3, 0.1],
             "transition": [[0.90, 0.07, 0.03], [0.05, 0.90, 0.05], [0.10, 0.10, 0.80]],
             "emission": {"type": "gaussian", "covarianceType": "diagonal",
                          "means": [[-2.0], [0.5], [3.0]], "covariances": [[0.6], [1.0], [0.4]]}}""";
    static final String GAUSSIAN_START = """
            {"type": "hmm", "initial": [0.4, 0.35, 0.25],
             "transition": [[0.8, 0.1, 0.1], [0.15, 0.7, 0.15], [0.2, 0.2, 0.6]],
             "emission": {"type": "gaussian", "covarianceType": "diagonal",
                          "means": [[-1.0], [0.0], [2.0]], "covariances": [[1.5], [1.5], [1.5]]}}""";
    static final String CATEGORICAL_TRUE = """
            {"type": "hmm", "states": ["healthy", "fever"], "initial": [0.6, 0.4],
             "transition": [[0.7, 0.3], [0.2, 0.8]],
             "emission": {"type": "categorical", "symbols": ["normal", "cold", "dizzy"],
                          "probabilities": [[0.5, 0.4, 0.1], [0.1, 0.3, 0.6]]}}""";
    static final String CATEGORICAL_START = """
            {"type": "hmm", "states": ["healthy", "fever"], "initial": [0.5, 0.5],
             "transition": [[0.6, 0.4], [0.3, 0.7]],
             "emission": {"type": "categorical", "symbols": ["normal", "cold", "dizzy"],
                          "probabilities": [[0.4, 0.4, 0.2], [0.2, 0.3, 0.5]]}}""";
    static final String LGSSM_TRUE = """
            {"type": "lgssm", "transitionMatrix": [[0.8]], "processNoise": [[0.5]],
             "observationMatrix": [[1.0]], "observationNoise": [[0.3]],
             "initialMean": [0.2], "initialCovariance": [[2]]}""";
    static final String LGSSM_START = """
            {"type": "lgssm", "transitionMatrix": [[0.5]], "processNoise": [[1.0]],
             "observationMatrix": [[1.0]], "observationNoise": [[1.0]],
             "initialMean": [0.0], "initialCovariance": [[1]]}""";

    /** {@code count} sequences drawn from the model, with every 17th step missing. */
    static Dataset simulate(String spec, int count, int length, long seed) {
        StateSpaceModel<?, ?> truth = ModelSpecs.parse(spec, "truth");
        SplittableRandom r = new SplittableRandom(seed);
        List<Sequence> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(Sampling.sample(truth, "s" + i, length, null, r.split()));
        }
        Dataset d = truth.observationSpace().symbolNames().isEmpty() ? Dataset.of(out)
                : Dataset.ofSymbols(out, truth.observationSpace().symbolNames());
        return d;
    }

    /** The dataset as JSON Lines: one sequence object per line, as SparkSequences reads it. */
    static Path jsonLines(Dataset d, String name) throws IOException {
        return jsonLines(d, dir.resolve(name));
    }

    /** The dataset as JSON Lines in {@code file}. */
    static Path jsonLines(Dataset d, Path file) throws IOException {
        JsonNode all = Json.parse(DatasetJson.toJson(d), "test");
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (JsonNode s : all.get("sequences")) {
            b.append(Json.mapper().writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(s)).append('\n');
            if (i++ % 97 == 5) {
                b.append('\n'); // blank lines are skipped
            }
        }
        Files.writeString(file, b, StandardCharsets.UTF_8);
        return file;
    }

    private static SparkEm.Result sparkFit(Path file, String start, int partitions, int iterations) {
        StateSpaceModel<?, ?> model = ModelSpecs.parse(start, "start");
        JavaRDD<IndexedSequence> rdd = SparkSequences.read(spark, file.toString(), ModelSpecs.write(model), partitions,
                SparkSequences.ParquetColumns.defaults());
        assertThat(rdd.getNumPartitions()).isGreaterThanOrEqualTo(partitions);
        try {
            return new SparkEm(sc, iterations, 0.0, null).fit(rdd, rdd.count(), model, FitSettings.NONE);
        } finally {
            rdd.unpersist(true);
        }
    }

    private static FitResult singleJvm(Dataset d, String start, int iterations) {
        return Trainer.fit(ModelSpecs.parse(start, "start"), d, null,
                TrainOptions.defaults().withMethod(TrainOptions.Method.EM).withMaxIterations(iterations)
                        .withTolerance(0.0).withThreads(1),
                FitSettings.NONE, TrainingListener.NONE);
    }

    static void assertSameFit(SparkEm.Result spark, FitResult one) {
        double[] a = spark.trace();
        double[] b = one.logLikelihoodTrace();
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("iteration %d", i).isCloseTo(b[i], within(1e-10 * Math.abs(b[i])));
        }
        assertThat(a[a.length - 1]).isGreaterThan(a[0]); // the fit learned something
        assertNumbersClose(spark.model().toSpec(), one.model().toSpec(), "model");
    }

    /** Every number of two specs within 1e-8 relative (the specs' shapes and other fields equal). */
    private static void assertNumbersClose(JsonNode a, JsonNode b, String path) {
        if (b.isNumber()) {
            assertThat(a.isNumber()).as(path).isTrue();
            assertThat(a.asDouble()).as(path).isCloseTo(b.asDouble(), within(1e-8 * Math.max(1, Math.abs(b.asDouble()))));
        } else if (b.isContainerNode()) {
            assertThat(a.size()).as(path).isEqualTo(b.size());
            if (b.isArray()) {
                for (int i = 0; i < b.size(); i++) {
                    assertNumbersClose(a.get(i), b.get(i), path + "[" + i + "]");
                }
            } else {
                b.fieldNames().forEachRemaining(f -> assertNumbersClose(a.get(f), b.get(f), path + "." + f));
            }
        } else {
            assertThat(a).as(path).isEqualTo(b);
        }
    }

    @Test
    void gaussianHmmOnThreeThousandSequencesEqualsTheSingleJvmFitAndIgnoresThePartitioning() throws IOException {
        Dataset d = simulate(GAUSSIAN_TRUE, 3000, 40, 11);
        Path file = jsonLines(d, "gaussian.jsonl");
        SparkEm.Result two = sparkFit(file, GAUSSIAN_START, 2, 8);
        SparkEm.Result seven = sparkFit(file, GAUSSIAN_START, 7, 8);
        assertThat(seven.trace()).isEqualTo(two.trace()); // bit for bit
        assertThat(ModelSpecs.write(seven.model())).isEqualTo(ModelSpecs.write(two.model()));
        assertSameFit(two, singleJvm(d, GAUSSIAN_START, 8));
    }

    @Test
    void categoricalHmmWithSymbolsByNameEqualsTheSingleJvmFit() throws IOException {
        Dataset d = simulate(CATEGORICAL_TRUE, 400, 30, 5);
        Path file = jsonLines(d, "categorical.jsonl");
        assertSameFit(sparkFit(file, CATEGORICAL_START, 3, 6), singleJvm(d, CATEGORICAL_START, 6));
    }

    @Test
    void linearGaussianShumwayStofferEqualsTheSingleJvmFit() throws IOException {
        Dataset d = simulate(LGSSM_TRUE, 300, 50, 3);
        Path file = jsonLines(d, "lgssm.jsonl");
        SparkEm.Result one = sparkFit(file, LGSSM_START, 1, 6);
        SparkEm.Result three = sparkFit(file, LGSSM_START, 3, 6);
        assertThat(three.trace()).isEqualTo(one.trace());
        assertSameFit(three, singleJvm(d, LGSSM_START, 6));
    }

    private static FitResult singleJvm(Dataset d, String start, int iterations, int restarts, long seed) {
        return Trainer.fit(ModelSpecs.parse(start, "start"), d, null,
                TrainOptions.defaults().withMethod(TrainOptions.Method.EM).withMaxIterations(iterations)
                        .withTolerance(0.0).withThreads(1).withRestarts(restarts).withSeed(seed),
                FitSettings.NONE, TrainingListener.NONE);
    }

    private static SparkEm.Result sparkFit(Path file, String start, int partitions, int iterations, int restarts,
            long seed, Path checkpoint) {
        StateSpaceModel<?, ?> model = ModelSpecs.parse(start, "start");
        JavaRDD<IndexedSequence> rdd = SparkSequences.read(spark, file.toString(), ModelSpecs.write(model), partitions,
                SparkSequences.ParquetColumns.defaults());
        try {
            return new SparkEm(sc, iterations, 0.0, checkpoint).fit(rdd, rdd.count(), model, FitSettings.NONE,
                    restarts, seed);
        } finally {
            rdd.unpersist(true);
        }
    }

    private static void assertSameRestarts(SparkEm.Result spark, FitResult one) {
        assertThat(spark.restartLogLikelihoods()).hasSameSizeAs(one.restartLogLikelihoods());
        for (int i = 0; i < spark.restartLogLikelihoods().length; i++) {
            double b = one.restartLogLikelihoods()[i];
            assertThat(spark.restartLogLikelihoods()[i]).as("restart %d", i).isCloseTo(b, within(1e-10 * Math.abs(b)));
        }
        assertSameFit(spark, one);
    }

    @Test
    void restartsDrawTheSingleJvmStartsAndKeepTheSameBestRun() throws IOException {
        // 8,000 observed rows: the Gaussian starts' k-means++ subsamples 5,000 of them by index
        Dataset gaussian = simulate(GAUSSIAN_TRUE, 400, 20, 23);
        SparkEm.Result g = sparkFit(jsonLines(gaussian, "restarts-gaussian.jsonl"), GAUSSIAN_START, 3, 4, 2, 5, null);
        FitResult one = singleJvm(gaussian, GAUSSIAN_START, 4, 2, 5);
        assertSameRestarts(g, one);
        // the draws differ from each other and from the given start, so the comparison above can fail
        assertThat(java.util.Arrays.stream(g.restartLogLikelihoods()).distinct().count()).isEqualTo(3);

        Dataset categorical = simulate(CATEGORICAL_TRUE, 150, 20, 29);  // starts from the symbol counts
        assertSameRestarts(sparkFit(jsonLines(categorical, "restarts-categorical.jsonl"), CATEGORICAL_START, 2, 3, 2, 8,
                null), singleJvm(categorical, CATEGORICAL_START, 3, 2, 8));
    }

    @Test
    void sparkRowsCountAndSelectAsTheRowsInMemory() {
        // two components, some steps partly or wholly missing: complete rows, then partial ones, by index
        SplittableRandom r = new SplittableRandom(31);
        List<Sequence> seqs = new ArrayList<>();
        for (int i = 0; i < 37; i++) {
            double[][] rows = new double[1 + r.nextInt(9)][2];
            for (double[] row : rows) {
                row[0] = r.nextInt(4) == 0 ? Double.NaN : r.nextGaussian() * 1e3;
                row[1] = r.nextInt(3) == 0 ? Double.NaN : r.nextGaussian() * 1e-3;
            }
            seqs.add(Sequence.ofVectors("s" + i, rows));
        }
        Dataset d = Dataset.of(seqs);
        List<IndexedSequence> indexed = new ArrayList<>();
        for (int i = 0; i < seqs.size(); i++) {
            indexed.add(new IndexedSequence(i, seqs.get(i)));
        }
        JavaRDD<IndexedSequence> rdd = sc.parallelize(indexed, 4);
        org.statespace.data.ObservedRows here = org.statespace.data.ObservedRows.of(d);
        SparkRows there = new SparkRows(sc, rdd, seqs.size(), 2, 0);
        assertThat(there.tally().complete()).isEqualTo(here.tally().complete()).isPositive();
        assertThat(there.tally().partial()).isEqualTo(here.tally().partial()).isPositive();
        assertThat(there.tally().columnMeans()).isEqualTo(here.tally().columnMeans()); // bit for bit
        long n = here.tally().complete() + here.tally().partial();
        long[] pick = {n - 1, 0, here.tally().complete(), 3, here.tally().complete() - 1, 7};
        double[][] a = there.rows(pick);
        assertThat(java.util.Arrays.deepEquals(a, here.rows(pick))).as("the same rows, NaN where missing").isTrue();
        // the rows by brute force: observed steps in order, complete ones numbered first
        List<double[]> complete = new ArrayList<>();
        List<double[]> partial = new ArrayList<>();
        for (Sequence s : seqs) {
            for (int t = 0; t < s.length(); t++) {
                double[] y = {s.value(t, 0), s.value(t, 1)};
                if (!(Double.isNaN(y[0]) && Double.isNaN(y[1]))) {
                    (Double.isNaN(y[0]) || Double.isNaN(y[1]) ? partial : complete).add(y);
                }
            }
        }
        complete.addAll(partial);
        for (int i = 0; i < pick.length; i++) {
            assertThat(java.util.Arrays.equals(a[i], complete.get((int) pick[i]))).as("row %d", pick[i]).isTrue();
        }
    }

    static final String SYMMETRIC_START = """
            {"type": "hmm", "initial": [0.5, 0.5], "transition": [[0.7, 0.3], [0.7, 0.3]],
             "emission": {"type": "gaussian", "covarianceType": "diagonal",
                          "means": [[0.0], [0.0]], "covariances": [[1.0], [1.0]]}}""";

    @Test
    void aDegenerateStartIsMovedAsTheSingleJvmMovesIt() throws IOException {
        Dataset d = simulate(GAUSSIAN_TRUE, 40, 20, 19);
        // both states alike by construction: EM from here never separates them, so both fits move the start
        SparkEm.Result spark = sparkFit(jsonLines(d, "symmetric.jsonl"), SYMMETRIC_START, 3, 4, 0, 6, null);
        FitResult one = singleJvm(d, SYMMETRIC_START, 4, 0, 6);
        assertThat(one.warnings()).anyMatch(w -> w.contains("was degenerate"));
        assertThat(spark.notes()).singleElement().asString().contains("the start was degenerate").contains("seed 6");
        assertSameFit(spark, one);
    }

    @Test
    void aResumedFitWithRestartsEndsWhereAnUninterruptedOneEnds() throws IOException {
        Dataset d = simulate(GAUSSIAN_TRUE, 200, 40, 13);
        Path file = jsonLines(d, "resume.jsonl");
        StateSpaceModel<?, ?> start = ModelSpecs.parse(GAUSSIAN_START, "start");
        JavaRDD<IndexedSequence> rdd = SparkSequences.read(spark, file.toString(), ModelSpecs.write(start), 2,
                SparkSequences.ParquetColumns.defaults());
        long n = rdd.count();
        SparkEm.Result whole = new SparkEm(sc, 6, 0.0, null).fit(rdd, n, start, FitSettings.NONE, 1, 3);
        Path checkpoint = dir.resolve("em-checkpoint.json");
        new SparkEm(sc, 3, 0.0, checkpoint).fit(rdd, n, start, FitSettings.NONE, 1, 3); // "killed" after 3
        SparkEm.Result resumed = new SparkEm(sc, 6, 0.0, checkpoint).resume(rdd, n, checkpoint, FitSettings.NONE);
        assertThat(resumed.trace()).isEqualTo(whole.trace());
        assertThat(resumed.restartLogLikelihoods()).isEqualTo(whole.restartLogLikelihoods()).hasSize(2);
        assertThat(ModelSpecs.write(resumed.model())).isEqualTo(ModelSpecs.write(whole.model()));
        assertThat(resumed.iterations()).isEqualTo(6);
        rdd.unpersist(true);
    }

    @Test
    void parquetRowsPerStepReadAsTheSameSequencesAndScoresMatchTheFilterEngine() throws IOException {
        Dataset d = simulate(GAUSSIAN_TRUE, 50, 25, 17);
        // one row per step, rows shuffled: the step column orders them; ids sorted give the positions
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            Sequence s = d.sequence(i);
            for (int t = 0; t < s.length(); t++) {
                rows.add(RowFactory.create(String.format("s%03d", i), t, s.isMissing(t) ? null : s.value(t, 0)));
            }
        }
        java.util.Collections.shuffle(rows, new java.util.Random(1));
        StructType schema = new StructType().add("sequence", DataTypes.StringType).add("step", DataTypes.IntegerType)
                .add("y", DataTypes.DoubleType, true);
        Path parquet = dir.resolve("steps.parquet");
        spark.createDataFrame(rows, schema).repartition(3).write().parquet(parquet.toString());

        StateSpaceModel<?, ?> model = ModelSpecs.parse(GAUSSIAN_START, "model");
        JavaRDD<IndexedSequence> rdd = SparkSequences.read(spark, parquet.toString(), ModelSpecs.write(model), 4,
                SparkSequences.ParquetColumns.defaults());
        List<IndexedSequence> back = new ArrayList<>(rdd.collect());
        back.sort(java.util.Comparator.comparingLong(IndexedSequence::index));
        assertThat(back).hasSize(d.size());
        for (int i = 0; i < d.size(); i++) {
            Sequence s = back.get(i).sequence();
            assertThat(s.id()).isEqualTo(String.format("s%03d", i));
            assertThat(s.length()).isEqualTo(d.sequence(i).length());
            for (int t = 0; t < s.length(); t++) {
                assertThat(s.isMissing(t)).isEqualTo(d.sequence(i).isMissing(t));
                if (!s.isMissing(t)) {
                    assertThat(s.value(t, 0)).isEqualTo(d.sequence(i).value(t, 0));
                }
            }
        }
        var table = SparkScoring.perSequence(spark, rdd, model).cache();
        SparkScoring.Totals totals = SparkScoring.totals(table, d.size());
        double expected = FilterEngine.singleThreaded().run(model, d).logLikelihood();
        assertThat(totals.logLikelihood()).isCloseTo(expected, within(1e-10 * Math.abs(expected)));
        assertThat(totals.observed()).isEqualTo(d.observedCount());
        for (Row r : table.collectAsList()) {
            int i = (int) r.getLong(0);
            assertThat(r.getDouble(4)).isEqualTo(FilterEngine.singleThreaded().run(model, d.sequence(i)).logLikelihood());
        }
        rdd.unpersist(true);
    }
}
