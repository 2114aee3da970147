package org.statespace.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.statespace.StateSpaceModel;
import org.statespace.capability.Forecasting;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.distribution.Categorical;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.spec.Json;

@Command(name = "forecast", mixinStandardHelpOptions = true,
        description = {"k-step-ahead predictive distributions after the end of each sequence.",
            "Per sequence and step: the predictive mean, variance and central 50%% and 90%% intervals "
                + "(symbols: symbols, the model's symbol names, and per step the probabilities in that order).",
            "A forecast that overflows (an explosive transition run for many steps) is an error naming the step.",
            "Prints a table per sequence (symbols: the most probable symbols); --json or --out R.json writes the JSON, "
                + "--out R.csv a tidy table (sequence, step, mean, variance, lower50, ... or probabilities.<symbol>)."})
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
        Dataset d = io.readData(m);
        Dataset future = null;
        if (m.observationSpace().inputDimension() > 0) {
            if (inputs == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "the model takes inputs: give the future ones with --inputs U.json");
            }
            future = Cli.readData(inputs);
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
        }
        ObjectNode root = Json.object();
        root.put("steps", steps);
        List<List<PredictiveDistribution>> forecasts = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            Sequence history = d.sequence(i);
            Sequence in = future == null ? null : future.sequence(future.size() == 1 ? 0 : Math.min(i, future.size() - 1));
            forecasts.add(forecaster.forecast(history, steps, in));
        }
        if (!forecasts.isEmpty() && forecasts.get(0).get(0) instanceof Categorical c) {
            Names.putSymbols(root, m, c.size());
        }
        ArrayNode seqs = root.putArray("sequences");
        for (int i = 0; i < d.size(); i++) {
            Sequence history = d.sequence(i);
            List<PredictiveDistribution> forecast = forecasts.get(i);
            ObjectNode s = seqs.addObject();
            s.put("id", history.id());
            ArrayNode rows = s.putArray("forecast");
            for (int k = 0; k < forecast.size(); k++) {
                PredictiveDistribution p = forecast.get(k);
                ObjectNode row = rows.addObject();
                row.put("step", k + 1);
                if (p instanceof Categorical c) {
                    double[] probs = new double[c.size()];
                    c.copyProbabilities(probs, 0);
                    row.set("probabilities", Json.vector(probs));
                    continue;
                }
                int dim = p.dimension();
                double[][] cols = new double[6][dim];
                String[] names = {"mean", "variance", "lower50", "upper50", "lower90", "upper90"};
                for (int j = 0; j < dim; j++) {
                    cols[0][j] = p.mean(j);
                    cols[1][j] = p.variance(j);
                    cols[2][j] = p.quantile(j, 0.25);
                    cols[3][j] = p.quantile(j, 0.75);
                    cols[4][j] = p.quantile(j, 0.05);
                    cols[5][j] = p.quantile(j, 0.95);
                    for (int c = 0; c < names.length; c++) {
                        if (!Double.isFinite(cols[c][j])) {
                            throw new org.statespace.NumericalException("sequence '" + history.id() + "', forecast step "
                                    + (k + 1) + ": the " + names[c] + (dim == 1 ? "" : " of component " + j) + " is "
                                    + cols[c][j] + " (the forecast overflows a double)");
                        }
                    }
                }
                for (int c = 0; c < names.length; c++) {
                    row.set(names[c], Json.vector(cols[c]));
                }
            }
        }
        root.set("provenance", Cli.provenance("forecast").put("model", io.model.toString()).put("data", io.data.toString()));
        form.write(io.out, root, () -> Summaries.forecast(root), spec.commandLine().getOut());
        return 0;
    }
}
