package org.statespace.cli;

import java.nio.file.Path;

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

    @Option(names = "--json", description = "print the result as JSON to standard output instead of the summary")
    boolean json;

    /** The form of the result ({@link ResultOutput}); a usage error for an unknown --out extension. */
    ResultOutput form(picocli.CommandLine command) {
        return ResultOutput.of(out, json, command);
    }

    StateSpaceModel<?, ?> readModel() {
        return Cli.readModel(model);
    }

    /** The dataset, aligned to the model (symbols matched to its alphabet by name). */
    Dataset readData(StateSpaceModel<?, ?> m) {
        return Cli.readData(data, m);
    }
}
