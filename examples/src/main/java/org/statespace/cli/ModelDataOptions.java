package org.statespace.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Option;

import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;

/** The options of the commands that run a model over a dataset: --model, --data, --out. */
final class ModelDataOptions {
    @Option(names = "--model", required = true, paramLabel = "M.json", description = "the model spec")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "D.json|D.csv", description = "the dataset")
    Path data;

    @Option(names = "--out", paramLabel = "R.json|R.csv", description = "write the result to a file: R.json as JSON, "
            + "R.csv as a tidy table (one row per step, a sequence column, named columns) for pandas and R; - or "
            + "/dev/stdout: JSON on standard output (default: a readable summary on standard output)")
    Path out;

    private picocli.CommandLine command;

    @Option(names = "--json", description = "print the result as JSON to standard output instead of the summary")
    boolean json;

    /** The form of the result ({@link ResultOutput}); a usage error for an unknown --out extension. */
    ResultOutput form(picocli.CommandLine command) {
        this.command = command;
        return ResultOutput.of(out, json, command);
    }

    @Option(names = "--columns", split = ",", paramLabel = "NAME",
            description = "CSV data: the observation columns by header name, in this order, and input columns as "
                    + "input:NAME (e.g. --columns flow,input:rain); other columns are read past except sequence, a time "
                    + "column and state columns. An unnamed first column (pandas' to_csv, R's write.csv) is an index, read past.")
    List<String> columns = List.of();

    StateSpaceModel<?, ?> readModel() {
        return Cli.readModel(model);
    }

    /** The dataset, aligned to the model (symbols matched to its alphabet by name). */
    Dataset readData(StateSpaceModel<?, ?> m) {
        org.statespace.data.DatasetCsv.Columns c = csvColumns(command, m);
        return Cli.readData(data, m, c.observations(), c.inputs());
    }

    /** The CSV columns --columns chooses (a usage error for JSON data); symbols when the model emits them. */
    org.statespace.data.DatasetCsv.Columns csvColumns(picocli.CommandLine command, StateSpaceModel<?, ?> m) {
        List<String> observations = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        for (String c : columns) {
            if (c.startsWith("input:")) {
                inputs.add(c.substring("input:".length()));
            } else {
                observations.add(c);
            }
        }
        if (!columns.isEmpty() && !org.statespace.data.Datasets.isCsvName(data)) {
            throw new picocli.CommandLine.ParameterException(command, "--columns chooses columns of CSV data; "
                    + data + " is JSON, whose parts are named in the file");
        }
        if (!columns.isEmpty() && observations.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(command, "--columns " + String.join(",", columns)
                    + ": name at least one observation column");
        }
        return new org.statespace.data.DatasetCsv.Columns(observations, inputs,
                m.observationSpace().kind() == org.statespace.data.ObservationKind.SYMBOLS);
    }
}
