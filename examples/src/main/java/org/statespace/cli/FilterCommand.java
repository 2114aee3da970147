package org.statespace.cli;

import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.statespace.StateSpaceModel;
import org.statespace.capability.StateEstimates;
import org.statespace.capability.StateFiltering;
import org.statespace.capability.Track;
import org.statespace.data.Dataset;
import org.statespace.inference.FilterEngine;
import org.statespace.inference.FilterOptions;
import org.statespace.inference.FilterResult;
import org.statespace.inference.SequenceTrace;
import org.statespace.spec.Json;

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
            + "with the length or number of sequences (one thread; no --states); implied by .jsonl data or --out R.jsonl. "
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
        // every number written must be finite: an observation of probability zero is an error naming it
        FilterResult result = FilterEngine.of(new FilterOptions(n, summaries, true)).run(m, d);
        ObjectNode root = Json.object();
        if (states) {
            Names.putStates(root, m);
        }
        if (summaries && d.size() > 0 && result.sequence(0).symbolCount() > 0) {
            Names.putSymbols(root, m, result.sequence(0).symbolCount());
        }
        Json.number(root, "logLikelihood", result.logLikelihood());
        root.put("observations", result.observedSteps());
        Json.number(root, "meanLogLikelihood", result.meanLogLikelihood());
        ArrayNode seqs = root.putArray("sequences");
        for (int i = 0; i < d.size(); i++) {
            SequenceTrace trace = result.sequence(i);
            ObjectNode s = seqs.addObject();
            s.put("id", trace.id());
            Json.number(s, "logLikelihood", trace.logLikelihood());
            ArrayNode densities = s.putArray("predictiveLogDensities");
            for (int t = 0; t < trace.length(); t++) {
                if (trace.observed(t)) {
                    Json.number(densities, trace.logDensity(t));
                } else {
                    Json.missing(densities);
                }
            }
            if (summaries) {
                writeSummaries(s, trace);
            }
            if (states) {
                StateEstimates estimates = ((StateFiltering) m).filterStates(d.sequence(i));
                for (Track track : estimates.tracks()) {
                    s.set(track.name(), Cli.track(track));
                }
            }
        }
        ObjectNode provenance = Cli.provenance("filter");
        provenance.put("model", io.model.toString());
        provenance.put("data", io.data.toString());
        root.set("provenance", provenance);
        form.write(io.out, root, () -> Summaries.filter(root), spec.commandLine().getOut());
        return 0;
    }

    static void writeSummaries(ObjectNode s, SequenceTrace trace) {
        int d = trace.dimension();
        ArrayNode means = s.putArray("predictiveMeans");
        ArrayNode variances = s.putArray("predictiveVariances");
        ArrayNode lower50 = s.putArray("lower50");
        ArrayNode upper50 = s.putArray("upper50");
        ArrayNode lower90 = s.putArray("lower90");
        ArrayNode upper90 = s.putArray("upper90");
        for (int t = 0; t < trace.length(); t++) {
            double[] m = new double[d];
            double[] v = new double[d];
            double[] l5 = new double[d];
            double[] u5 = new double[d];
            double[] l9 = new double[d];
            double[] u9 = new double[d];
            for (int j = 0; j < d; j++) {
                m[j] = trace.mean(t, j);
                v[j] = trace.variance(t, j);
                double[] i50 = trace.interval(t, j, 0.5);
                double[] i90 = trace.interval(t, j, 0.9);
                l5[j] = i50[0];
                u5[j] = i50[1];
                l9[j] = i90[0];
                u9[j] = i90[1];
            }
            means.add(d == 1 ? Json.vector(m).get(0) : Json.vector(m));
            variances.add(d == 1 ? Json.vector(v).get(0) : Json.vector(v));
            lower50.add(d == 1 ? Json.vector(l5).get(0) : Json.vector(l5));
            upper50.add(d == 1 ? Json.vector(u5).get(0) : Json.vector(u5));
            lower90.add(d == 1 ? Json.vector(l9).get(0) : Json.vector(l9));
            upper90.add(d == 1 ? Json.vector(u9).get(0) : Json.vector(u9));
        }
        if (trace.symbolCount() > 0) {
            ArrayNode probs = s.putArray("predictiveProbabilities");
            for (int t = 0; t < trace.length(); t++) {
                probs.add(Json.vector(trace.probabilities(t).orElseThrow()));
            }
        }
    }
}
