package org.statespace.cli;

import java.util.concurrent.Callable;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.statespace.StateSpaceModel;
import org.statespace.capability.StateFiltering;
import org.statespace.data.Dataset;
import org.statespace.inference.FilterEngine;
import org.statespace.inference.FilterOptions;
import org.statespace.inference.FilterResult;
import org.statespace.inference.result.FilterReport;

@Command(name = "filter", mixinStandardHelpOptions = true,
        description = {"Run a model as a one-step-ahead filter over a dataset.",
            "Writes the total log-likelihood and, per sequence, its log-likelihood and the log-density of every "
                + "observation under the model's predictive distribution (null for a missing observation).",
            "An observation the model gives probability zero, or a value that overflows, is an error naming the "
                + "sequence, the step and the observation.",
            "With --states, also the model's filtered hidden-state estimates (HMM: states, the state names, and "
                + "filteredProbabilities with columns in that order; "
                + "linear-Gaussian: filteredMeans, filteredCovariances, predictedMeans, predictedCovariances; "
                + "non-linear: the same and logLikelihoodTerms (the particle filter also effectiveSampleSizes); "
                + "RNN: hidden_l0, hidden_l1, ... per layer, cell_l<l> for LSTM layers, preactivation_l<l> for forms ii and ii-literal).",
            "Prints the log-likelihood and a table per sequence; --json or --out R.json writes all of the above as JSON, "
                + "--out R.csv a tidy table (sequence, t, predictiveLogDensities and the other per-step values)."})
final class FilterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--states", description = "also write filtered hidden-state estimates")
    boolean states;

    @Option(names = "--summaries", description = "also write the predictive mean, variance and 50%%/90%% intervals of every step "
            + "(symbols: also symbols, the names, and predictiveProbabilities with columns in that order)")
    boolean summaries;

    @Option(names = "--threads", paramLabel = "N", description = "threads over sequences (default: all cores)")
    Integer threads;

    @Option(names = "--stream", description = "read the data and write the result incrementally, so memory does not grow "
            + "with the length or number of sequences (one thread); implied by .jsonl data or --out R.jsonl. "
            + "Data: CSV, JSON Lines (a sequence or a step per line) or dataset JSON; output: the summary, JSON, "
            + "JSON Lines (a line per sequence, then a line with the totals) or the tidy CSV")
    boolean stream;

    @CommandLine.Mixin
    ModelDataOptions io;

    @CommandLine.Mixin
    DebugOption debug;

    @Override
    public Integer call() {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1, got " + n);
        }
        if (StreamingFilter.applies(stream, io.data, io.out)) {
            return StreamingFilter.run(spec.commandLine(), io, summaries, states);
        }
        ResultOutput form = io.form(spec.commandLine());
        StateSpaceModel<?, ?> m = io.readModel();
        if (states && !(m instanceof StateFiltering)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--states: a " + m.type() + " model has no hidden-state estimates to write");
        }
        Dataset d = io.readData(m);
        // every number written must be finite: an observation of probability zero is an error naming it;
        // with --states the engine keeps the filtered state estimates in the same pass
        FilterResult result = FilterEngine.of(new FilterOptions(n, summaries, true, states)).run(m, d);
        List<String> stateNames = states ? Names.states(m) : List.of();
        List<String> symbolNames = summaries && d.size() > 0 && result.sequence(0).symbolCount() > 0
                ? Names.symbols(m, result.sequence(0).symbolCount()) : List.of();
        ObjectNode provenance = Cli.provenance("filter");
        provenance.put("model", io.model.toString());
        provenance.put("data", io.data.toString());
        FilterReport report = FilterReport.of(result, stateNames, symbolNames, provenance);
        form.write(io.out, report, Summaries::filter, spec.commandLine().getOut());
        return 0;
    }
}
