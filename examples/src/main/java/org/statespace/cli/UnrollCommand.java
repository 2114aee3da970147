package org.statespace.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.io.AtomicFiles;
import org.statespace.rnn.RnnModel;
import org.statespace.rnn.UnrolledGraph;
import org.statespace.spec.Json;

@Command(name = "unroll", mixinStandardHelpOptions = true,
        description = {"Unroll an RNN's loop graph over T steps and export the DAG of (layer, t) nodes.",
            "DOT (Graphviz: dot -Tsvg) puts inputs at the bottom, one row per layer and one column per step;",
            "links of extra edges (a layer looping back to a lower one, skips, longer delays) are red: with any",
            "of them the unrolled graph is not a grid. JSON lists the nodes in topological order and the links,",
            "with \"grid\": false and the number of extra links."})
final class UnrollCommand implements Callable<Integer> {
    /** Formats of the export. */
    enum Format { dot, json }

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M.json", description = "an rnn spec")
    Path model;

    @Option(names = "--steps", required = true, paramLabel = "T", description = "steps to unroll")
    int steps;

    @Option(names = "--format", defaultValue = "dot", paramLabel = "dot|json",
            description = "dot or json (default: ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "--out", paramLabel = "F", description = "where to write it (default: standard output)")
    Path out;

    @CommandLine.Mixin
    DebugOption debug;

    @Override
    public Integer call() {
        if (steps < 1 || steps > 100_000) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--steps must be between 1 and 100000, got " + steps);
        }
        StateSpaceModel<?, ?> m = Cli.readModel(model);
        if (!(m instanceof RnnModel rnn)) {
            throw new SpecException(model.toString(), "type", "a " + m.type() + " model has no loop graph to unroll; unroll takes an rnn");
        }
        UnrolledGraph graph = rnn.unroll(steps);
        if (format == Format.dot) {
            String dot = graph.toDot();
            if (out == null) {
                spec.commandLine().getOut().print(dot);
                spec.commandLine().getOut().flush();
            } else {
                AtomicFiles.writeString(out, dot);
            }
            return 0;
        }
        ObjectNode o = graph.toJson();
        ObjectNode provenance = Cli.provenance("unroll");
        provenance.put("model", model.toString());
        o.set("provenance", provenance);
        Cli.writeJson(out, o, spec.commandLine().getOut());
        return 0;
    }
}
