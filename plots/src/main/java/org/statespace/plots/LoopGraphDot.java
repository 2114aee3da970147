package org.statespace.plots;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Writes a {@link LoopGraphLayout} in Graphviz's DOT language: one rank per time step (left to right), edges
 * coloured and labelled as in {@link LoopGraphChart}; nodes also carry {@code pos} coordinates of the
 * same grid for {@code neato -n}. Render with {@code dot -Tsvg graph.dot -o graph.svg}.
 */
public final class LoopGraphDot {
    private LoopGraphDot() {
    }

    /** The DOT text. */
    public static String of(LoopGraphLayout graph) {
        StringBuilder b = new StringBuilder();
        b.append("digraph ").append(quote(graph.title())).append(" {\n");
        b.append("  rankdir=LR;\n  newrank=true;\n  label=").append(quote(graph.title()))
                .append("; labelloc=t; fontname=\"Helvetica\";\n");
        b.append("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f5f8fc\", fontname=\"Helvetica\"];\n");
        b.append("  edge [fontname=\"Helvetica\", fontsize=11];\n");
        TreeMap<Integer, List<Integer>> byTime = new TreeMap<>();
        for (int i = 0; i < graph.nodes().size(); i++) {
            LoopGraphLayout.Node n = graph.nodes().get(i);
            byTime.computeIfAbsent(n.time(), t -> new ArrayList<>()).add(i);
            b.append(String.format(Locale.ROOT, "  n%d [label=%s, pos=\"%d,%d!\", tooltip=%s];%n", i, quote(n.label()),
                    n.time() * LoopGraphChart.COLUMN, n.layer() * LoopGraphChart.ROW,
                    quote(graph.layerName(n.layer()) + ", t = " + n.time())));
        }
        for (var entry : byTime.entrySet()) {
            b.append("  { rank=same;");
            for (int i : entry.getValue()) {
                b.append(" n").append(i).append(';');
            }
            b.append(" }  // t = ").append(entry.getKey()).append('\n');
        }
        for (LoopGraphLayout.Edge e : graph.edges()) {
            LoopGraphChart.Kind kind = LoopGraphChart.kind(graph, e);
            String colour = String.format(Locale.ROOT, "#%02x%02x%02x", kind.color.getRed(), kind.color.getGreen(),
                    kind.color.getBlue());
            b.append("  n").append(e.from()).append(" -> n").append(e.to()).append(" [color=\"").append(colour)
                    .append('"');
            if (e.delay() > 0) {
                b.append(", label=\"d=").append(e.delay()).append('"');
            }
            if (kind == LoopGraphChart.Kind.FEEDBACK) {
                b.append(", penwidth=2");
            }
            if (kind == LoopGraphChart.Kind.SAME_STEP) {
                b.append(", constraint=false");
            }
            b.append("];\n");
        }
        b.append("}\n");
        return b.toString();
    }

    static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}
