package org.statespace.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.statespace.StateSpaceModel;
import org.statespace.capability.Forecasting;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.inference.result.ForecastReport;

@Command(name = "forecast", mixinStandardHelpOptions = true,
        description = {"k-step-ahead predictive distributions after the end of each sequence.",
            "Per sequence and step: the predictive mean, variance and central 50%% and 90%% intervals "
                + "(symbols: symbols, the model's symbol names, and per step the probabilities in that order).",
            "A forecast that overflows (an explosive transition run for many steps) is an error naming the step.",
            "Prints a table per sequence (symbols: the most probable symbols); --json or --out R.json writes the JSON, "
                + "--out R.csv a tidy table (sequence, step, mean, variance, lower50, ... or probabilities.<symbol>).",
            "With --stream (or .jsonl data) the data are read one sequence at a time and each forecast is written as it "
                + "is made, so a series longer than memory is forecast; the output is the in-memory one's."})
final class ForecastCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--steps", required = true, paramLabel = "K", description = "how many steps ahead")
    int steps;

    @Option(names = "--inputs", paramLabel = "U.json",
            description = "future inputs for models that take them (a dataset with one sequence per history sequence, or one for all)")
    Path inputs;

    @CommandLine.Mixin
    ModelDataOptions io;

    @CommandLine.Mixin
    DebugOption debug;

    @Option(names = "--stream", description = "read the data one sequence at a time (a long one in chunks) and write "
            + "each sequence's forecast as it is made, so memory does not grow with the length or number of sequences "
            + "(implied by .jsonl data): the filter runs over the file and the forecast continues from its last state; "
            + "the output is the in-memory one's. The --inputs file is still read into memory.")
    boolean stream;

    @Override
    public Integer call() {
        if (steps < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--steps must be at least 1, got " + steps);
        }
        ResultOutput form = io.form(spec.commandLine());
        StateSpaceModel<?, ?> m = io.readModel();
        if (!(m instanceof Forecasting forecaster)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "a " + m.type() + " model gives no exact multi-step forecasts");
        }
        Dataset future = futureInputs(m);
        if (StreamedOutput.applies(stream, io.data)) {
            return StreamingForecast.run(spec.commandLine(), io, form, m, forecaster, steps, future);
        }
        Dataset d = io.readData(m);
        List<ForecastReport.Run> runs = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            Sequence history = d.sequence(i);
            runs.add(ForecastReport.Run.of(history.id(), forecaster.forecast(history, steps, futureInputs(future, i))));
        }
        List<String> symbols = runs.isEmpty() ? List.of() : symbols(m, runs.get(0));
        ForecastReport report = new ForecastReport(steps, symbols, runs,
                Cli.provenance("forecast").put("model", io.model.toString()).put("data", io.data.toString()));
        form.write(io.out, report, Summaries::forecast, spec.commandLine().getOut());
        return 0;
    }

    /** The symbols' names of a forecast of symbol probabilities, else empty. */
    static List<String> symbols(StateSpaceModel<?, ?> m, ForecastReport.Run run) {
        return run.probabilities().map(p -> Names.symbols(m, p.width())).orElse(List.of());
    }

    /** The future inputs of sequence i of the data (the one sequence for all, or the i-th, or the last). */
    static Sequence futureInputs(Dataset future, long i) {
        return future == null ? null : future.sequence(future.size() == 1 ? 0 : (int) Math.min(i, future.size() - 1));
    }

    // --inputs read and checked against the model and --steps; null for a model without inputs
    private Dataset futureInputs(StateSpaceModel<?, ?> m) {
        if (m.observationSpace().inputDimension() == 0) {
            return null;
        }
        if (inputs == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "the model takes inputs: give the future ones with --inputs U.json");
        }
        Dataset future = Cli.readData(inputs);
        int p = m.observationSpace().inputDimension();
        if (future.inputDimension() != p) {
            throw new org.statespace.DataException(inputs + ": the model takes " + p + " inputs per step, the data has "
                    + future.inputDimension());
        }
        for (Sequence s : future.sequences()) {
            if (s.length() < steps) {
                throw new org.statespace.DataException(inputs + ": sequence '" + s.id() + "' has " + s.length()
                        + " steps of inputs, --steps asks for " + steps);
            }
        }
        return future;
    }
}
