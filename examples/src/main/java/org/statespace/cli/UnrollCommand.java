package org.statespace.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.plots.LoopGraph;
import org.statespace.plots.LoopGraphChart;
import org.statespace.rnn.RnnModel;
import org.statespace.rnn.UnrolledGraph;
import org.statespace.spec.Json;

@Command(name = "unroll", mixinStandardHelpOptions = true,
        description = {"Unroll an RNN's loop graph over T steps and export the DAG of (layer, t) nodes.",
            "DOT (Graphviz: dot -Tsvg) puts inputs at the bottom, one row per layer and one column per step; "
                + "links of extra edges (a layer looping back to a lower one, skips, longer delays) are red: with any "
                + "of them the unrolled graph is not a grid. JSON lists the nodes in topological order and the links, "
                + "with \"grid\": false and the number of extra links. PNG and SVG draw it (at most 60 steps): inputs at "
                + "the bottom, one row per layer, outputs on top; feedback edges curved and coloured, delays labelled."})
final class UnrollCommand implements Callable<Integer> {
    /** Formats of the export. */
    enum Format { dot, json, png, svg }

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M.json", description = "an rnn spec")
    Path model;

    @Option(names = "--steps", required = true, paramLabel = "T", description = "steps to unroll")
    int steps;

    @Option(names = "--format", defaultValue = "dot", paramLabel = "dot|json|png|svg",
            description = "dot, json, png or svg (default: ${DEFAULT-VALUE}); png needs --out")
    Format format;

    @Option(names = "--out", paramLabel = "F", description = "where to write it (default, or -: standard output)")
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
        if (format == Format.png || format == Format.svg) {
            if (steps > LoopGraphChart.MAX_STEPS) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--steps: at most "
                        + LoopGraphChart.MAX_STEPS + " steps can be drawn, got " + steps + " (dot and json take more)");
            }
            LoopGraph drawing = drawable(graph, model.getFileName().toString());
            if (format == Format.png) {
                if (OutputPaths.isStandardOutput(out)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--format png needs --out FILE.png");
                }
                LoopGraphChart.writePng(drawing, out);
            } else if (OutputPaths.isStandardOutput(out)) {
                spec.commandLine().getOut().print(LoopGraphChart.svg(drawing));
                spec.commandLine().getOut().flush();
            } else {
                LoopGraphChart.writeSvg(drawing, out);
            }
            return 0;
        }
        if (format == Format.dot) {
            String dot = graph.toDot();
            Cli.writeText(out, dot, spec.commandLine().getOut());
            return 0;
        }
        ObjectNode o = graph.toJson();
        ObjectNode provenance = Cli.provenance("unroll");
        provenance.put("model", model.toString());
        o.set("provenance", provenance);
        Cli.writeJson(out, o, spec.commandLine().getOut());
        return 0;
    }

    /**
     * The unrolled network as a drawing: row 0 the inputs x_t, rows 1..L the layers, row L+1 the outputs
     * y_t; links from initial states (before step 0) are left out.
     */
    static LoopGraph drawable(UnrolledGraph graph, String title) {
        int layers = graph.graph().layerCount();
        List<String> rows = new ArrayList<>();
        rows.add("x (input)");
        for (int l = 0; l < layers; l++) {
            rows.add("h" + l);
        }
        rows.add("y (output)");
        List<LoopGraph.Node> nodes = new ArrayList<>();
        int[] index = new int[graph.nodes().size()];
        for (int i = 0; i < graph.nodes().size(); i++) {
            UnrolledGraph.Node n = graph.nodes().get(i);
            if (n.kind() == UnrolledGraph.NodeKind.INITIAL) {
                index[i] = -1;
                continue;
            }
            int row = switch (n.kind()) {
                case INPUT -> 0;
                case HEAD -> layers + 1;
                default -> n.layer() + 1;
            };
            String label = switch (n.kind()) {
                case INPUT -> "x";
                case HEAD -> "y";
                default -> "h" + n.layer();
            };
            index[i] = nodes.size();
            nodes.add(new LoopGraph.Node(row, n.step(), label));
        }
        List<LoopGraph.Edge> edges = new ArrayList<>();
        for (UnrolledGraph.Link link : graph.links()) {
            if (index[link.from()] >= 0 && index[link.to()] >= 0) {
                edges.add(new LoopGraph.Edge(index[link.from()], index[link.to()], link.delay()));
            }
        }
        return new LoopGraph("unrolled " + title + ", " + graph.steps() + " steps", rows, nodes, edges);
    }
}
