package org.statespace.spark;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.statespace.DataException;
import org.statespace.StateSpaceModel;
import org.statespace.SpecException;
import org.statespace.StatespaceException;
import org.statespace.capability.Initialization;
import org.statespace.inference.FitConfiguration;
import org.statespace.inference.TrainOptions;
import org.statespace.inference.Trainer;
import org.statespace.io.AtomicFiles;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code statespace-spark} command line: {@code fit} (EM with the E-step on the executors, or an RNN's
 * gradient training with each batch's shards on the executors) and
 * {@code score} (filter and score every sequence) over datasets that Spark reads by partition. Run it with
 * {@code spark-submit} on a cluster, or directly for Spark's local mode. A user's mistake prints one line
 * on stderr and exits with 2 (usage) or 1 (input); {@code --debug} adds the stack trace.
 */
@Command(name = "statespace-spark", mixinStandardHelpOptions = true, versionProvider = SparkMain.VersionProvider.class,
        description = {"Statespace's own kernels on Apache Spark: EM and gradient fits, scores and study grids",
            "over datasets of many sequences, read by partition (JSON Lines, CSV, Parquet).", ""},
        subcommands = {SparkMain.Fit.class, SparkMain.Score.class, SparkMain.Compare.class, EmBenchmark.class},
        footer = {"", "Run 'statespace-spark COMMAND --help' for the options of a command."})
public final class SparkMain implements Runnable {
    /** Exit code for bad input (spec, data, files). */
    public static final int INPUT_ERROR = 1;

    /** {@code --version}: Statespace's version and commit, and the Spark version it was built against. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"statespace-spark " + org.statespace.Version.current() + " (commit "
                    + org.statespace.Version.commit() + "), Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION()};
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (try --help)");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code (for tests and embedding). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        CommandLine cli = new CommandLine(new SparkMain());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Throwable cause = e;
            while (!(cause instanceof StatespaceException) && cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            if (cause instanceof StatespaceException) {
                err.println("error: " + cause.getMessage());
                if (debug) {
                    e.printStackTrace(err);
                }
                return INPUT_ERROR;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /**
     * The Spark session the commands use: Kryo with {@link RecordSerializer.Registrator} (the kernels' results
     * are records and unmodifiable collections), no web UI. {@code master} null: the one spark-submit set,
     * else {@code local[*]}.
     */
    public static SparkSession session(String master) {
        SparkSession.Builder b = SparkSession.builder().appName("statespace-spark")
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrator", RecordSerializer.Registrator.class.getName())
                .config("spark.ui.enabled", "false");
        if (master != null) {
            b.master(master);
        } else if (System.getProperty("spark.master") == null) {
            b.master("local[*]");
        }
        return b.getOrCreate();
    }

    /** Where Spark runs, and --debug. */
    static class SparkOptions {
        @Option(names = "--master", paramLabel = "URL",
                description = "Spark master (default: the one spark-submit set, else local[*], every core of this machine)")
        String master;

        @Option(names = "--debug", description = "print the stack trace of an error")
        boolean debug;
    }

    /** Options the model commands share: where Spark runs, the model and where the data are. */
    static class Common extends SparkOptions {
        @Option(names = "--model", required = true, paramLabel = "FILE", description = "model spec (JSON): a full spec; fit also takes a template, e.g. "
                        + "{\"type\": \"hmm\", \"states\": 3}, {\"type\": \"lgssm\"}, {\"type\": \"rnn\", \"hiddenSize\": 8}, "
                        + "sized by the data and started as 'statespace fit' starts it (a symbol alphabet: every symbol "
                        + "of the data, in order of first appearance, \"0\"..\"max\" when all are integers)")
        Path model;

        @Option(names = "--data", required = true, paramLabel = "PATH",
                description = "dataset: a .jsonl/.ndjson file (one sequence per line), .csv file(s), or Parquet (one row per step)")
        String data;

        @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
                description = "partitions to read the data into (default: Spark's choice); results do not depend on it")
        int partitions;

        @Option(names = "--sequence-column", paramLabel = "NAME", defaultValue = "sequence",
                description = "Parquet: the sequence-id column (default: ${DEFAULT-VALUE})")
        String sequenceColumn;

        @Option(names = "--step-column", paramLabel = "NAME", defaultValue = "step",
                description = "Parquet: the column that orders a sequence's rows (default: ${DEFAULT-VALUE})")
        String stepColumn;

        SparkSession session() {
            return SparkMain.session(master);
        }

        SpecNode modelRoot() {
            if (!Files.isRegularFile(model)) {
                throw new DataException(model + ": no such file");
            }
            return SpecNode.root(Json.read(model), model.toString());
        }

        StateSpaceModel<?, ?> readModel() {
            SpecNode root = modelRoot();
            if (ModelSpecs.isTemplate(root)) {
                throw root.error("score takes a full spec (a fitted model); a template is a start for fit");
            }
            return ModelSpecs.read(root);
        }
    }

    @Command(name = "fit", mixinStandardHelpOptions = true,
            description = {"Fit a model by EM (HMMs, linear-Gaussian models) or by gradient training",
                "(RNNs) over a dataset of many sequences.",
                "EM: E-steps run on the executors, their statistics are summed over a fixed tree",
                "of the sequences (the same result for any partitioning), the M-step runs on",
                "the driver. Gradient: the single-JVM trainer's mini-batches, each batch's",
                "gradient computed where its sequences lie and summed in a fixed order, the",
                "optimiser step on the driver. Either way the numbers of 'statespace fit'.",
                "EM restarts (--restarts, --seed) start where 'statespace fit' starts them and run",
                "side by side. A template ('statespace fit --model TEMPLATE') is sized by the data",
                "and drawn with --seed as there, from counts and moments summed on the executors",
                "(exact sums: the same start for any partitioning) and a few chosen rows; symbols'",
                "alphabet is every symbol of the data in order of first appearance (\"0\"..\"max\"",
                "when all are integers), as for a CSV file. An HMM template is fitted with 4",
                "restarts unless told otherwise; gradient training holds out validationFraction",
                "and stops early with patience, as the single JVM does.", ""})
    static final class Fit extends Common implements Callable<Integer> {
        @Option(names = "--options", paramLabel = "FILE",
                description = "fit options (JSON, as for 'statespace fit': maxIterations, tolerance, family settings)")
        Path options;

        @Option(names = "--max-iterations", paramLabel = "N", description = "EM iterations or gradient epochs at most (overrides --options)")
        Integer maxIterations;

        @Option(names = "--tolerance", paramLabel = "X", description = "relative log-likelihood change that ends the fit")
        Double tolerance;

        @Option(names = "--restarts", paramLabel = "R",
                description = "EM: extra runs from seeded data-driven starts, run side by side; the best is kept "
                        + "(overrides --options; the same starts as 'statespace fit')")
        Integer restarts;

        @Option(names = "--seed", paramLabel = "N", description = "seed of the restarts' starts (overrides --options; default 0)")
        Long seed;

        @Option(names = "--checkpoint", paramLabel = "FILE",
                description = "write the driver's state here after every iteration (gradient: every checkpointEvery "
                        + "epochs of --options); with --resume, continue from it")
        Path checkpoint;

        @Option(names = "--resume", description = "continue the fit that --checkpoint's file holds")
        boolean resume;

        @Option(names = "--out", paramLabel = "FILE", description = "write the fitted model's spec (JSON)")
        Path out;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (resume && checkpoint == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--resume needs --checkpoint FILE");
            }
            if (out != null && (out.toAbsolutePath().normalize().equals(model.toAbsolutePath().normalize())
                    || out.toString().equals(data))) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--out " + out + " is an input of this command; write the fitted model elsewhere");
            }
            SpecNode root = modelRoot();
            boolean template = ModelSpecs.isTemplate(root);
            SpecNode node = options == null ? SpecNode.root(Json.object(), "fit options")
                    : SpecNode.root(Json.read(options), options.toString());
            PrintWriter w = spec.commandLine().getOut();
            try (SparkSession spark = session()) {
                JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                SparkSequences.ParquetColumns columns = new SparkSequences.ParquetColumns(sequenceColumn, stepColumn);
                StateSpaceModel<?, ?> start;
                JavaRDD<IndexedSequence> rdd = null;
                if (template) {
                    // as statespace fit: sized by the data (symbols: the alphabet of them all), drawn with the seed
                    // (--seed, else the options'), the data read once for the sized model and its draw taken from
                    // their counts, moments and chosen rows
                    long startSeed = seed != null ? seed : node.json().isObject() && node.has("seed")
                            ? node.field("seed").asLong() : TrainOptions.defaults().seed();
                    org.statespace.data.Dataset shape = SparkSequences.shape(spark, data, partitions, columns);
                    TemplateStart drawn;
                    try {
                        drawn = TemplateStart.draw(spark, root, shape, data, partitions, columns, startSeed);
                    } catch (DataException e) {
                        throw new DataException(model + ": the template does not apply to " + data + ": " + e.getMessage());
                    }
                    start = drawn.model();
                    rdd = drawn.data();
                } else {
                    start = ModelSpecs.read(root);
                }
                FitConfiguration config = FitConfiguration.read(node, template ? root : null, start,
                        TrainOptions.defaults());
                int max = maxIterations != null ? maxIterations : config.options().maxIterations();
                double tol = tolerance != null ? tolerance : config.options().tolerance();
                TrainOptions.Method method = Trainer.resolve(start, config.options().method());
                if (method != TrainOptions.Method.EM && method != TrainOptions.Method.GRADIENT) {
                    throw new SpecException(options == null ? "fit options" : options.toString(), "method", "a "
                            + start.type() + " model is fitted by " + method.jsonName() + "; on Spark, fit runs EM and "
                            + "gradient training (use 'statespace fit' for this model)");
                }
                int restartCount = restarts != null ? restarts : config.options().restarts();
                if (restarts == null && template && !(node.json().isObject() && node.has("restarts"))
                        && method == TrainOptions.Method.EM && start instanceof Initialization) {
                    restartCount = Trainer.TEMPLATE_RESTARTS; // as statespace fit: a template's EM tries a few starts
                }
                long seedValue = seed != null ? seed : config.options().seed();
                if (restartCount < 0) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--restarts must be at least 0, got "
                            + restartCount);
                }
                if (method == TrainOptions.Method.EM && restartCount > 0 && !(start instanceof Initialization)) {
                    throw new SpecException(restarts != null || options == null ? "--restarts" : options.toString(),
                            "restarts", "a " + start.type() + " model cannot draw starting points, so it cannot "
                            + "restart; give 0");
                }
                if (method == TrainOptions.Method.GRADIENT && restarts != null && restarts > 0) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--restarts: gradient training on "
                            + "Spark runs from one start");
                }
                if (rdd == null) {
                    rdd = SparkSequences.read(spark, data, ModelSpecs.write(start), partitions, columns);
                }
                long count = rdd.count();
                boolean resuming = resume && Files.exists(checkpoint);
                StateSpaceModel<?, ?> fitted;
                List<String> notes = List.of();
                double ll;
                String what;
                String how;
                if (method == TrainOptions.Method.GRADIENT) {
                    SparkGradient g = new SparkGradient(sc, config.options().withMaxIterations(max).withSeed(seedValue), config.settings(),
                            checkpoint);
                    SparkGradient.Result r = resuming
                            ? g.resume(rdd, count, start, checkpoint, SparkGradient.EpochListener.NONE)
                            : g.fit(rdd, count, start, SparkGradient.EpochListener.NONE);
                    fitted = r.model();
                    ll = r.logLikelihood();
                    what = "gradient training";
                    how = String.format(Locale.ROOT, "  epochs          %d (%s, batches of %d%s)", r.epochs(),
                            config.options().optimizer().jsonName(), config.options().batchSize(),
                            r.stoppedEarly() ? ", stopped early: patience " + config.options().patience() : "");
                    if (r.validationLosses().length > 0) {
                        double best = java.util.Arrays.stream(r.validationLosses()).min().getAsDouble();
                        how += String.format(Locale.ROOT, "%n  validation      %.6f per observed step at best "
                                + "(validationFraction %s), the model of that epoch kept", best,
                                config.options().validationFraction());
                    }
                } else {
                    SparkEm em = new SparkEm(sc, max, tol, checkpoint);
                    SparkEm.Result r;
                    if (resuming) {
                        long[] written = SparkEm.restartsAndSeed(checkpoint);
                        if (written[0] != restartCount || written[1] != seedValue) {
                            throw new SpecException(checkpoint.toString(), "runs", "the checkpoint was written with "
                                    + written[0] + " restarts and seed " + written[1] + ", this job has " + restartCount
                                    + " and seed " + seedValue);
                        }
                        r = em.resume(rdd, count, checkpoint, config.settings());
                    } else {
                        r = em.fit(rdd, count, start, config.settings(), restartCount, seedValue);
                    }
                    fitted = r.model();
                    ll = r.logLikelihood();
                    what = "EM";
                    how = String.format(Locale.ROOT, "  iterations      %d (%s)", r.iterations(),
                            r.converged() ? "converged" : "stopped at the iteration limit " + max);
                    if (r.restartLogLikelihoods().length > 1) {
                        StringBuilder b = new StringBuilder();
                        for (double v : r.restartLogLikelihoods()) {
                            b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6f", v));
                        }
                        how += String.format(Locale.ROOT, "%n  restarts        %d from seed %d, final log-likelihoods %s",
                                r.restartLogLikelihoods().length - 1, seedValue, b);
                    }
                    notes = r.notes();
                }
                long observed = rdd.map(s -> (long) s.sequence().observedSteps()).reduce(Long::sum);
                w.printf(Locale.ROOT, "fitted %s by %s on %d sequences (%d observed steps, %d partitions)%n",
                        fitted.type(), what, count, observed, rdd.getNumPartitions());
                w.println(how);
                w.printf(Locale.ROOT, "  log-likelihood  %.6f (%.6f per observed step)%n", ll,
                        observed == 0 ? Double.NaN : ll / observed);
                notes.forEach(n -> spec.commandLine().getErr().println("warning: " + n));
                if (out != null) {
                    AtomicFiles.writeString(out, ModelSpecs.write(fitted));
                    w.println("  fitted model    " + out);
                } else {
                    w.println(ModelSpecs.write(fitted));
                }
            }
            return 0;
        }
    }

    @Command(name = "score", mixinStandardHelpOptions = true,
            description = {"Filter and score every sequence under a model.",
                "Writes per-sequence log-likelihoods as a table (Parquet or JSON Lines) and",
                "prints the totals.", ""})
    static final class Score extends Common implements Callable<Integer> {
        @Option(names = "--out", paramLabel = "DIR",
                description = "write the per-sequence table: a folder named *.parquet or *.jsonl (must not exist)")
        Path out;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            String format = null;
            if (out != null) {
                String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
                format = name.endsWith(".parquet") ? "parquet" : name.endsWith(".jsonl") ? "json" : null;
                if (format == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--out " + out + ": name the folder *.parquet or *.jsonl");
                }
                if (Files.exists(out)) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--out " + out + " exists; Spark writes a new folder, so remove it or name another");
                }
            }
            StateSpaceModel<?, ?> model = readModel();
            PrintWriter w = spec.commandLine().getOut();
            try (SparkSession spark = session()) {
                JavaRDD<IndexedSequence> rdd = SparkSequences.read(spark, data, ModelSpecs.write(model), partitions,
                        new SparkSequences.ParquetColumns(sequenceColumn, stepColumn));
                long count = rdd.count();
                org.apache.spark.sql.Dataset<Row> table = SparkScoring.perSequence(spark, rdd, model).cache();
                SparkScoring.Totals t = SparkScoring.totals(table, count);
                if (out != null) {
                    table.write().format(format).save(out.toString());
                }
                w.printf(Locale.ROOT, "scored %s on %d sequences (%d observed steps)%n", model.type(), t.sequences(),
                        t.observed());
                w.printf(Locale.ROOT, "  log-likelihood  %.6f (%.6f per observed step)%n", t.logLikelihood(),
                        t.perObservation());
                if (out != null) {
                    w.println("  per sequence    " + out);
                }
            }
            return 0;
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = {"Run a study's grid, one Spark task per dataset.",
                "Each task runs the code of 'statespace compare'; the result files are the same",
                "(results.md, results.csv, results.json, curves/, fitted/, manifest.json).",
                "Datasets must be files (\"path\"). Charts and the HTML report are not drawn.", ""})
    static final class Compare extends SparkOptions implements Callable<Integer> {
        @Option(names = "--study", required = true, paramLabel = "FILE", description = "study file (JSON)")
        Path study;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder for the result files")
        Path out;

        @Option(names = "--threads-per-task", paramLabel = "N", defaultValue = "1",
                description = "threads each dataset's task uses (default: ${DEFAULT-VALUE})")
        int threads;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(study)) {
                throw new DataException(study + ": no such file");
            }
            if (threads < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--threads-per-task must be at least 1, got "
                        + threads);
            }
            PrintWriter w = spec.commandLine().getOut();
            org.statespace.study.StudyResult result;
            try (SparkSession spark = session(master);
                    org.statespace.study.StudyFolder folder = org.statespace.study.StudyFolder.open(out)) {
                try {
                    result = SparkStudy.run(spark, study, threads);
                    result.write(out);
                    folder.commit();
                } catch (RuntimeException e) {
                    folder.abandon();
                    throw e;
                }
            }
            w.println("Study \"" + result.spec().name() + "\" on Spark: held-out one-step-ahead predictions, mean over seeds "
                    + result.spec().seeds());
            w.print(result.toConsole());
            w.println("Results in " + out.toAbsolutePath() + " (results.md, results.csv, results.json, curves/, fitted/, "
                    + org.statespace.study.StudyFolder.MANIFEST + ")");
            return 0;
        }
    }
}
