package org.statespace.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.statespace.data.Dataset;
import org.statespace.data.Datasets;
import org.statespace.examples.BuiltinDatasets;

@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = {"List the built-in datasets (what, source, suggested split), or write one out (JSON, or CSV by the "
                + "file name).", "Real series: nile, sunspots, co2, usmacro, airpassengers, lynx, faithful, lakehuron, austen, seatbelts; "
                + "simulated: casino, regimes, tracking, logistic."})
final class DatasetsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "a built-in dataset to write")
    String name;

    @Option(names = "--out", paramLabel = "D.json|D.csv", description = "where to write it (.json or .csv; -: standard output, JSON); without it a summary")
    Path out;

    @Option(names = "--json", description = "print the dataset as JSON on standard output instead of a summary")
    boolean json;

    @CommandLine.Mixin
    DebugOption debug;

    @Override
    public Integer call() {
        ResultOutput.requireDatasetName(out, spec.commandLine());
        ResultOutput.of(out, json, spec.commandLine());   // --json with --out D.csv is a usage error
        BuiltinDatasets builtins = new BuiltinDatasets();
        var w = spec.commandLine().getOut();
        if (name == null) {
            int width = builtins.names().stream().mapToInt(String::length).max().orElse(0);
            for (String n : builtins.names()) {
                Dataset d = builtins.builtin(n);
                String split = builtins.defaultSplit(n)
                        .map(s -> "; split: {\"train\": " + new java.math.BigDecimal(s.train()).round(new java.math.MathContext(4))
                                .stripTrailingZeros().toPlainString() + ", \"by\": \"" + (s.bySequence() ? "sequence" : "time") + "\"}")
                        .orElse("");
                w.printf("%-" + width + "s %-7s d=%d%s  %d sequences, %d steps  %s (source: %s%s)%n", n, d.kind().jsonName(),
                        d.dimension(), d.inputDimension() > 0 ? " inputs=" + d.inputDimension() : "", d.size(),
                        d.totalSteps(), builtins.description(n), builtins.source(n), split);
            }
            w.flush();
            return 0;
        }
        if (!builtins.names().contains(name)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no built-in dataset \"" + name
                    + "\"; built in are " + String.join(", ", builtins.names()));
        }
        Dataset d = builtins.builtin(name);
        if (out == null && !json) {
            Cli.writeText(null, Summaries.dataset(d, name + ": " + builtins.description(name) + " (source: "
                    + builtins.source(name) + ")"), w);
        } else if (OutputPaths.isStandardOutput(out)) {
            w.print(org.statespace.data.DatasetJson.toJson(d));
            w.flush();
        } else {
            Datasets.write(d, out, null);
        }
        return 0;
    }
}
