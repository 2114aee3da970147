package org.statespace.spark;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.statespace.ResourceException;
import org.statespace.SpecException;
import org.statespace.study.DatasetResolver;
import org.statespace.study.Study;
import org.statespace.study.StudyResult;
import org.statespace.study.StudyRow;
import org.statespace.study.StudySpec;

/**
 * Runs a study's grid on Spark: one task per dataset, each running every model and seed of that dataset
 * with the same code as {@code statespace compare} ({@link Study#run}), and the driver assembling the
 * datasets' rows into one {@link StudyResult} that writes the same result files. The dataset is the unit
 * of work because a study's scores couple the models of a dataset (every model is scored on the same
 * steps, leaving out any model's diffuse steps, and the paired tests compare them), so a task per
 * (model, seed) would have to ship its per-step scores and models back for that step; a study with many
 * datasets spreads over the cluster, one with a single dataset runs on one executor with
 * {@code threadsPerTask} threads.
 *
 * <p>Datasets are files (the study's {@code "path"} entries), read by the executors; the study file is
 * read on the driver and again on each executor, so every error names its field before any work starts.
 */
public final class SparkStudy {
    private SparkStudy() {
    }

    /** What one task returns: the rows and scoring of one dataset. */
    public record Part(String dataset, List<StudyRow> rows, StudyResult.DatasetScoring scoring) {
    }

    /** Runs the study in {@code file} on Spark. */
    public static StudyResult run(SparkSession spark, Path file, int threadsPerTask) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new ResourceException(file + ": cannot read the study file (" + e.getMessage() + ")");
        }
        String base = file.toAbsolutePath().getParent().toString();
        String source = file.toString();
        StudySpec spec = StudySpec.parse(text, source, Path.of(base));
        List<String> names = new ArrayList<>();
        for (StudySpec.DatasetEntry d : spec.datasets()) {
            if (d.builtin() != null) {
                throw new SpecException(source, "datasets." + d.name(), "a built-in dataset (\"" + d.builtin()
                        + "\") is not available on Spark; write it with 'statespace datasets " + d.builtin()
                        + " --out FILE.json' and name the file with \"path\"");
            }
            names.add(d.name());
        }
        long start = System.nanoTime();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Part> parts = sc.parallelize(names, names.size()).map(name -> {
            StudySpec all = StudySpec.parse(text, source, Path.of(base));
            StudySpec.DatasetEntry entry = all.datasets().stream().filter(d -> d.name().equals(name)).findFirst()
                    .orElseThrow();
            StudySpec one = new StudySpec(all.name(), List.of(entry), all.split(), all.seeds(), all.models(),
                    all.scoring(), all.json());
            StudyResult r = Study.run(one, DatasetResolver.NONE, threadsPerTask, null, false); // no report drawn here
            return new Part(name, r.rows(), r.scoring(name));
        }).collect();
        Map<String, List<StudyRow>> rows = new LinkedHashMap<>();
        Map<String, StudyResult.DatasetScoring> scoring = new LinkedHashMap<>();
        for (Part p : parts) {
            rows.put(p.dataset(), p.rows());
            scoring.put(p.dataset(), p.scoring());
        }
        return StudyResult.assemble(spec, rows, scoring, (System.nanoTime() - start) / 1e9,
                threadsPerTask * Math.max(1, sc.defaultParallelism()));
    }
}
