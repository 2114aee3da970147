package org.statespace.spark;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.SerializationFeature;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.statespace.Sampling;
import org.statespace.StateSpaceModel;
import org.statespace.capability.ExpectationMaximization;
import org.statespace.capability.FitSettings;
import org.statespace.capability.SufficientStatistics;
import org.statespace.data.Dataset;
import org.statespace.data.DatasetJson;
import org.statespace.data.Sequence;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The cost of one EM iteration (E-step over every sequence, M-step) of a K-state Gaussian HMM: on one JVM
 * with one thread, and on Spark with each given master, on the same data held in memory (Spark: cached
 * after one read). Not a JMH benchmark: a Spark job is seconds long, so wall time over a few repeats, the
 * best and the median, is what is reported. Run it alone on the machine.
 */
@Command(name = "benchmark", hidden = true, mixinStandardHelpOptions = true,
        description = {"Time one EM iteration on one JVM and on Spark (run it alone on the machine).", ""})
final class EmBenchmark implements Callable<Integer> {
    @Option(names = "--sequences", defaultValue = "10000") int sequences;
    @Option(names = "--length", defaultValue = "1000") int length;
    @Option(names = "--states", defaultValue = "10") int states;
    @Option(names = "--masters", defaultValue = "local[1],local[2]", split = ",") List<String> masters;
    @Option(names = "--repeats", defaultValue = "3") int repeats;
    @Option(names = "--work", defaultValue = "${java.io.tmpdir}/statespace-em-benchmark") Path work;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private String model() {
        StringBuilder b = new StringBuilder("{\"type\": \"hmm\", \"initial\": [");
        for (int i = 0; i < states; i++) {
            b.append(i == 0 ? "" : ", ").append(1.0 / states);
        }
        b.append("], \"transition\": [");
        for (int i = 0; i < states; i++) {
            b.append(i == 0 ? "[" : ", [");
            for (int j = 0; j < states; j++) {
                b.append(j == 0 ? "" : ", ").append(i == j ? 0.9 : 0.1 / (states - 1));
            }
            b.append(']');
        }
        b.append("], \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"diagonal\", \"means\": [");
        for (int i = 0; i < states; i++) {
            b.append(i == 0 ? "[" : ", [").append(2.0 * i).append(']');
        }
        b.append("], \"covariances\": [");
        for (int i = 0; i < states; i++) {
            b.append(i == 0 ? "[" : ", [").append(1.0 + 0.1 * i).append(']');
        }
        return b.append("]}}").toString();
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        StateSpaceModel<?, ?> truth = ModelSpecs.parse(model(), "benchmark model");
        Files.createDirectories(work);
        Path file = work.resolve("hmm-" + states + "-" + sequences + "x" + length + ".jsonl");
        List<Sequence> data = new ArrayList<>(sequences);
        SplittableRandom r = new SplittableRandom(1);
        var writer = Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < sequences; i++) {
                Sequence s = Sampling.sample(truth, "s" + i, length, null, r.split());
                data.add(s);
                w.write(writer.writeValueAsString(Json.parse(DatasetJson.toJson(Dataset.of(List.of(s))), "b")
                        .get("sequences").get(0)));
                w.newLine();
            }
        }
        Dataset dataset = Dataset.of(data);
        ExpectationMaximization em = (ExpectationMaximization) truth;
        out.printf(Locale.ROOT, "one EM iteration, K=%d Gaussian HMM, %d sequences x %d steps (%.0e steps)%n", states,
                sequences, length, (double) sequences * length);
        double[] single = new double[repeats];
        for (int k = 0; k < repeats; k++) {
            long t0 = System.nanoTime();
            SufficientStatistics total = em.newStatistics();
            for (Sequence s : dataset.sequences()) {
                SufficientStatistics st = em.newStatistics();
                em.expectation(s, st);
                total.merge(st);
            }
            em.maximization(total, FitSettings.NONE);
            single[k] = (System.nanoTime() - t0) / 1e9;
        }
        report(out, "single JVM, 1 thread", single);
        data.clear();
        for (String master : masters) {
            try (SparkSession spark = SparkMain.session(master)) {
                JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                JavaRDD<IndexedSequence> rdd = SparkSequences.read(spark, file.toString(), ModelSpecs.write(truth),
                        sc.defaultParallelism() * 2, SparkSequences.ParquetColumns.defaults());
                long n = rdd.count();
                SparkEm fit = new SparkEm(sc, 0, 0, null);
                double[] times = new double[repeats];
                for (int k = 0; k < repeats; k++) {
                    long t0 = System.nanoTime();
                    SufficientStatistics total = fit.expectation(rdd, n, truth);
                    em.maximization(total, FitSettings.NONE);
                    times[k] = (System.nanoTime() - t0) / 1e9;
                }
                report(out, "Spark " + master + " (" + rdd.getNumPartitions() + " partitions)", times);
            }
        }
        return 0;
    }

    private static void report(PrintWriter out, String what, double[] seconds) {
        double[] s = seconds.clone();
        java.util.Arrays.sort(s);
        out.printf(Locale.ROOT, "  %-36s best %7.2f s   median %7.2f s   (%d runs)%n", what, s[0], s[s.length / 2],
                s.length);
        out.flush();
    }
}
