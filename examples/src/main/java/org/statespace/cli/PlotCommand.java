package org.statespace.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.statespace.examples.BuiltinDatasets;
import org.statespace.plots.PlotFiles;
import org.statespace.plots.ResultCharts;
import org.statespace.plots.StudyFigures;
import org.statespace.plots.StudyPlots;
import org.statespace.spec.Json;
import org.statespace.study.StudyFolder;

@Command(name = "plot", mixinStandardHelpOptions = true,
        description = {"Draw the charts of a result file, as PNG and SVG under --out.",
            "It reads what the file holds: a study's results.json (every chart of the study and report.html; "
                + "curves/ and fitted/ beside it are used; the one-step predictions, smoothed states and Viterbi paths "
                + "are those the study kept in the file, never run again: a file without them gets a note instead of "
                + "those charts), the output of filter (predictive bands with --summaries, "
                + "predictive log-densities without; filtered states with --states), smooth (posterior probabilities, "
                + "smoothed means and covariances), decode (Viterbi path), forecast (k-step-ahead bands or symbol "
                + "probabilities) or fit --report (learning curve, log-likelihood trace). States and symbols are "
                + "labelled with the names the file lists. Observations are drawn when the data named in the file's "
                + "provenance is found and is the data of the result (a .json or .csv dataset with the result's sequences); "
                + "nothing of any other file is shown."})
final class PlotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--result", required = true, paramLabel = "R.json", description = "the result file")
    Path result;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the folder for the charts")
    Path out;

    @CommandLine.Mixin
    DebugOption debug;

    @Override
    public Integer call() {
        Cli.requireFile(result, "--result");
        JsonNode json = Json.read(result);
        PrintWriter w = spec.commandLine().getOut();
        String kind = ResultCharts.kind(json).orElse("");
        if (kind.equals("study")) {
            Path folder = result.toAbsolutePath().getParent();
            if (folder != null && Files.exists(folder.resolve(StudyFolder.INCOMPLETE))) {
                spec.commandLine().getErr().println("note: " + folder + " holds " + StudyFolder.INCOMPLETE
                        + ": the study run that wrote it did not finish, so its files may not belong together");
            }
            Path report = StudyPlots.writeFromFiles(result, json, new BuiltinDatasets(), out, true);
            w.println("Charts of study " + json.get("study").asText() + " in " + out.resolve("plots").toAbsolutePath());
            w.println("Report: " + report.toAbsolutePath());
            w.flush();
            return 0;
        }
        StudyFigures.Drawn drawn = ResultCharts.figures(json, result);
        List<Path> files = PlotFiles.writeAll(drawn.figures(), out);
        w.println(kind + ": " + drawn.figures().size() + " chart(s) in " + out.toAbsolutePath());
        for (Path f : files) {
            w.println("  " + f.getFileName());
        }
        PrintWriter err = spec.commandLine().getErr();
        for (String note : drawn.notes()) {
            err.println("note: " + note);
        }
        w.flush();
        err.flush();
        return 0;
    }
}
