package org.statespace.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.statespace.examples.BuiltinDatasets;
import org.statespace.plots.StudyPlots;
import org.statespace.spec.Json;
import org.statespace.spec.SpecNode;
import org.statespace.study.Study;
import org.statespace.study.StudyFolder;
import org.statespace.study.StudyListener;
import org.statespace.study.StudyResult;
import org.statespace.study.StudyRow;
import org.statespace.study.StudySpec;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Run a comparative study of models on datasets.",
            "Every model on every dataset it applies to, for every seed: fit on the training part, score "
                + "one-step-ahead predictions on the held-out part with the same proper scores for every family: "
                + "the log score the dataset's support calls for (log density on real values, the discretised log "
                + "score on counts, log mass on symbols), CRPS or Brier score, PIT calibration, interval coverage, "
                + "errors of the predictive mean and median; also parameters, AIC/BIC and times. Diffuse steps and "
                + "the study's \"burn\" steps are left out for every model alike. The best model per dataset is "
                + "marked only when a paired Diebold-Mariano test finds it better than each other model; else the "
                + "tie is marked.",
            "Without STUDY.json it runs the default study: every family on the real built-in datasets (nile, "
                + "lakehuron, lynx, airpassengers, sunspots, usmacro, faithful, seatbelts, austen; the input-output HMM "
                + "on seatbelts, the one with inputs), two seeds; --quick runs a "
                + "smaller one. Synthetic datasets stay available by name in a study file.",
            "Writes results.json, results.csv, results.md, curves/ and fitted/ under --out, every chart of the report "
                + "as PNG under plots/ (and as SVG with --svg), and report.html (self-contained: open it in any browser); "
                + "prints the table.",
            "The folder is locked while the study runs (a second run into it is refused). An earlier study's files in it "
                + "are removed first; a folder that holds other files is refused. manifest.json, written last, lists "
                + "every file of the run; a folder with an INCOMPLETE file holds a run that was stopped before it finished. "
                + "A run that fails with an error removes what it wrote."})
final class CompareCommand implements Callable<Integer> {
    static final String DEFAULT_STUDY = "/org/statespace/studies/default.json";
    static final String QUICK_STUDY = "/org/statespace/studies/quick.json";

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "STUDY.json", description = "the study (default: the built-in default study)")
    Path study;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "statespace-out",
            description = "output folder: new, empty, or an earlier study's (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--threads", paramLabel = "N", description = "threads (default: all cores); results do not depend on it")
    Integer threads;

    @Option(names = "--quiet", description = "print only the results table")
    boolean quiet;

    @Option(names = "--quick", description = "without STUDY.json: run the quick study (one seed; the Nile, lynx and "
            + "austen datasets) instead of the default study")
    boolean quick;

    @Option(names = "--svg", description = "also write every chart as SVG under plots/ (slower; the report embeds PNGs)")
    boolean svg;

    @CommandLine.Mixin
    DebugOption debug;

    @Override
    public Integer call() throws Exception {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1, got " + n);
        }
        StudySpec s;
        if (study == null) {
            String name = quick ? "quick study" : "default study";
            try (InputStream in = CompareCommand.class.getResourceAsStream(quick ? QUICK_STUDY : DEFAULT_STUDY)) {
                s = StudySpec.read(SpecNode.root(Json.read(in, name), name), null);
            }
        } else if (quick) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--quick chooses the built-in quick study; it cannot be combined with STUDY.json");
        } else {
            Cli.requireFile(study, "STUDY.json");
            s = StudySpec.read(study);
        }
        PrintWriter err = spec.commandLine().getErr();
        StudyListener listener = quiet ? StudyListener.NONE : new StudyListener() {
            long started;

            @Override
            public void rowStarted(int index, int total, String model, String dataset, long seed) {
                started = System.nanoTime();
                err.printf(Locale.ROOT, "[%d/%d] %s on %s, seed %d ... ", index, total, model, dataset, seed);
                err.flush();
            }

            @Override
            public void rowFinished(int index, int total, StudyRow row) {
                double seconds = (System.nanoTime() - started) / 1e9;
                if (row.ok()) {
                    err.printf(Locale.ROOT, "%.4f nats/obs (%.1f s)%n", row.metrics().meanLogLikelihood(), seconds);
                } else {
                    err.printf("%s: %s%n", row.status(), row.reason());
                }
                err.flush();
            }
        };
        BuiltinDatasets builtin = new BuiltinDatasets();
        Path report;
        StudyResult result;
        try (StudyFolder folder = StudyFolder.open(out)) {
            try {
                result = Study.run(s, builtin, n, listener);
                // charts and report first, the results files after them and the manifest last: a run stopped on
                // the way never leaves results.* that look complete without their report
                report = StudyPlots.write(result, builtin, out, svg);
                result.write(out);
                folder.commit();
            } catch (RuntimeException e) {
                folder.abandon();
                throw e;
            }
        }
        PrintWriter w = spec.commandLine().getOut();
        w.println();
        w.println("Study \"" + s.name() + "\": held-out one-step-ahead predictions, mean over seeds " + s.seeds());
        w.print(result.toConsole());
        w.println("Results in " + out.toAbsolutePath() + " (results.md, results.csv, results.json, curves/, fitted/, plots/, "
                + StudyFolder.MANIFEST + ")");
        w.println("Report: " + report.toAbsolutePath());
        w.flush();
        return 0;
    }
}
