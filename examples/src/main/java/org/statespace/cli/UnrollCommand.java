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
import org.statespace.plots.Drawing;
import org.statespace.plots.LoopGraphLayout;
import org.statespace.plots.LoopGraphChart;
import org.statespace.plots.PlotFiles;
import org.statespace.rnn.Layer;
import org.statespace.rnn.LoopAnalysis;
import org.statespace.rnn.RnnArchitecture;
import org.statespace.rnn.RnnModel;
import org.statespace.rnn.UnrolledGraph;
import org.statespace.spec.Json;

@Command(name = "unroll", mixinStandardHelpOptions = true,
        description = {"Unroll an RNN's loop graph over T steps and export the DAG of (layer, t) nodes, or analyse it.",
            "DOT (Graphviz: dot -Tsvg) puts inputs at the bottom, one row per layer and one column per step; "
                + "links of extra edges (a layer looping back to a lower one, skips, longer delays) are red: with any "
                + "of them the unrolled graph is not a grid. JSON lists the nodes in topological order and the links, "
                + "with \"grid\": false and the number of extra links. PNG and SVG draw it (at most 60 steps): inputs at "
                + "the bottom, one row per layer, outputs on top, each node with its cell type and size (and form: ii, "
                + "or ii-lit for ii-literal); feedback edges "
                + "curved and coloured, delays labelled where they cover no node. --layout time (default) gives one "
                + "column per step; --layout depth one column per depth (the longest path from the inputs), where a "
                + "loop between layers visibly breaks the grid.",
            "--analyze prints, instead of the graph, the strongly connected components of the loop graph (layers that "
                + "run as one recurrent block), the critical path of the unrolled DAG (links on its longest path) at T "
                + "and as a formula in T, and each layer's effective delays (the lags of the cycles through it, how "
                + "many steps back it sees each other layer, the depth it gains per step); text, or JSON with --json."})
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

    @Option(names = "--layout", paramLabel = "time|depth", defaultValue = "time",
            description = "png and svg: a column per time step (default) or per depth, the longest path from the inputs")
    Layout layout;

    @Option(names = "--analyze", description = "print the components, the critical path as a function of T and the "
            + "layers' effective delays instead of the graph")
    boolean analyze;

    @Option(names = "--json", description = "with --analyze: the analysis as JSON")
    boolean json;

    /** Layouts of the drawing. */
    enum Layout { time, depth }

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
        var parsed = spec.commandLine().getParseResult();
        if (json && !analyze) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--json goes with --analyze (the graph itself: --format json)");
        }
        if (analyze && (parsed.hasMatchedOption("--format") || parsed.hasMatchedOption("--layout"))) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--analyze prints the analysis, --format and --layout export the graph: give one or the other");
        }
        if (parsed.hasMatchedOption("--layout") && format != Format.png && format != Format.svg) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--layout is for --format png or svg, not " + format);
        }
        if (analyze) {
            LoopAnalysis analysis = LoopAnalysis.of(rnn.architecture().graph(), steps);
            if (json) {
                ObjectNode o = analysis.toJson();
                ObjectNode provenance = Cli.provenance("unroll --analyze");
                provenance.put("model", model.toString());
                o.set("provenance", provenance);
                Cli.writeJson(out, o, spec.commandLine().getOut());
            } else {
                Cli.writeText(out, analysis.toText(), spec.commandLine().getOut());
            }
            return 0;
        }
        UnrolledGraph graph = rnn.unroll(steps);
        if (format == Format.png || format == Format.svg) {
            if (steps > LoopGraphChart.MAX_STEPS) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--steps: at most "
                        + LoopGraphChart.MAX_STEPS + " steps can be drawn, got " + steps + " (dot and json take more)");
            }
            if (layout == Layout.depth) {
                int columns = LoopAnalysis.of(rnn.architecture().graph(), steps).criticalPath() + 1;
                if (columns > LoopGraphChart.MAX_COLUMNS) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--steps: the depth layout of " + steps
                            + " steps needs " + columns + " columns, at most " + LoopGraphChart.MAX_COLUMNS
                            + " are drawn (unroll fewer steps, or use --layout time)");
                }
            }
            LoopGraphLayout drawable = drawable(rnn.architecture(), graph, model.getFileName().toString());
            Drawing drawing = LoopGraphChart.drawing(drawable,
                    layout == Layout.depth ? LoopGraphChart.Layout.DEPTH : LoopGraphChart.Layout.TIME);
            if (format == Format.png) {
                if (OutputPaths.isStandardOutput(out)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--format png needs --out FILE.png");
                }
                PlotFiles.writePng(drawing, out);
            } else if (OutputPaths.isStandardOutput(out)) {
                spec.commandLine().getOut().print(PlotFiles.svg(drawing));
                spec.commandLine().getOut().flush();
            } else {
                PlotFiles.writeSvg(drawing, out);
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
     * y_t, each node with its size (and a layer's cell, with its form if not (i)); links from initial states
     * (before step 0) are left out.
     */
    static LoopGraphLayout drawable(RnnArchitecture architecture, UnrolledGraph graph, String title) {
        int layers = graph.graph().layerCount();
        List<String> rows = new ArrayList<>();
        rows.add("x (input)");
        for (int l = 0; l < layers; l++) {
            rows.add("h" + l);
        }
        rows.add("y (output)");
        List<LoopGraphLayout.Node> nodes = new ArrayList<>();
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
            String detail = switch (n.kind()) {
                case INPUT -> architecture.inputSize() + (architecture.inputSize() == 1 ? " input" : " inputs");
                case HEAD -> architecture.head().type().jsonName() + " " + architecture.head().outputSize();
                default -> cell(architecture.layer(n.layer()));
            };
            index[i] = nodes.size();
            nodes.add(new LoopGraphLayout.Node(row, n.step(), label, detail));
        }
        List<LoopGraphLayout.Edge> edges = new ArrayList<>();
        for (UnrolledGraph.Link link : graph.links()) {
            if (index[link.from()] >= 0 && index[link.to()] >= 0) {
                edges.add(new LoopGraphLayout.Edge(index[link.from()], index[link.to()], link.delay()));
            }
        }
        return new LoopGraphLayout("unrolled " + title + ", " + graph.steps() + " steps", rows, nodes, edges);
    }

    // "tanh 5", "tanh 5 (ii)", "tanh 5 (ii-lit)" (form ii-literal, shortened to fit the box), "lstm 4"
    private static String cell(Layer layer) {
        String s = layer.cell().jsonName() + " " + layer.hiddenSize();
        return switch (layer.form()) {
            case I -> s;
            case II -> s + " (ii)";
            case II_LITERAL -> s + " (ii-lit)";
        };
    }
}
