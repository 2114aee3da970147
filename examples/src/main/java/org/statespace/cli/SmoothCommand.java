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
import org.statespace.capability.StateSmoothing;
import org.statespace.capability.Track;
import org.statespace.data.Dataset;
import org.statespace.spec.Json;

@Command(name = "smooth", mixinStandardHelpOptions = true,
        description = {"Smoothed hidden-state estimates given each whole sequence.",
            "HMM: states (the state names, \"0\"..\"K-1\" when the spec gives none) and, per sequence, "
                + "posteriorProbabilities (T x K, columns in the order of states); "
                + "linear-Gaussian and non-linear: smoothedMeans, smoothedCovariances (the particle filter: "
                + "of its backward-simulated trajectories).",
            "Prints runs of the most probable state per sequence (linear-Gaussian: the first and last steps); --json or "
                + "--out R.json writes the JSON, --out R.csv a tidy table (sequence, t, posteriorProbabilities.<state> ...)."})
final class SmoothCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    ModelDataOptions io;

    @CommandLine.Mixin
    DebugOption debug;

    @Override
    public Integer call() {
        ResultOutput form = io.form(spec.commandLine());
        StateSpaceModel<?, ?> m = io.readModel();
        if (!(m instanceof StateSmoothing smoother)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "a " + m.type() + " model has no hidden states to smooth");
        }
        Dataset d = io.readData(m);
        ObjectNode root = Json.object();
        Names.putStates(root, m);
        ArrayNode seqs = root.putArray("sequences");
        double total = 0;
        for (int i = 0; i < d.size(); i++) {
            StateEstimates estimates = smoother.smoothStates(d.sequence(i));
            ObjectNode s = seqs.addObject();
            s.put("id", d.sequence(i).id());
            Json.number(s, "logLikelihood", estimates.logLikelihood());
            total += estimates.logLikelihood();
            for (Track track : estimates.tracks()) {
                s.set(track.name(), Cli.track(track));
            }
        }
        Json.number(root, "logLikelihood", total);
        root.set("provenance", Cli.provenance("smooth").put("model", io.model.toString()).put("data", io.data.toString()));
        form.write(io.out, root, () -> Summaries.smooth(root), spec.commandLine().getOut());
        return 0;
    }
}
