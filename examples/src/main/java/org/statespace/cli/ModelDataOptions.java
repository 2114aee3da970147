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

    @Option(names = "--out", paramLabel = "R.json", description = "where to write the result (default, or -: standard output)")
    Path out;

    StateSpaceModel<?, ?> readModel() {
        return Cli.readModel(model);
    }

    /** The dataset, aligned to the model (symbols matched to its alphabet by name). */
    Dataset readData(StateSpaceModel<?, ?> m) {
        return Cli.readData(data, m);
    }
}
