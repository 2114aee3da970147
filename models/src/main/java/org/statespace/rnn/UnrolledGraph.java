package org.statespace.rnn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.spec.Json;

/**
 * A {@link LoopGraph} unrolled over T steps: a DAG whose nodes are the input x_t, each layer at each
 * step (l, t), the head's output y_t, and one initial-state node per layer (what a connection reads
 * before step 0), and whose links are the graph's connections instantiated at every step: a connection
 * from node u to node v with delay d links (u, t - d) to (v, t). The nodes are listed in a topological
 * order (step by step, layers in the graph's topological order within a step), the order in which the
 * network is run; backpropagation through time runs it backwards.
 *
 * <p>A plain stack unrolls to a grid (links only up a column or along a row); an extra edge adds links
 * that leave it, e.g. from (2, t-1) down to (1, t). {@link #isGrid()}, {@link #extraLinks()} and both
 * exports say so. Immutable; the structure is public so a plot can draw it.
 */
public final class UnrolledGraph {

    /** What a node is. */
    public enum NodeKind {
        INPUT, INITIAL, LAYER, HEAD
    }

    /**
     * A node.
     *
     * @param id    a stable name: {@code x3}, {@code h1_3} (layer 1 at step 3), {@code y3}, {@code h1_init}
     * @param kind  what it is
     * @param layer the layer (-1 for inputs and head outputs)
     * @param step  the step t (-1 for initial states)
     */
    public record Node(String id, NodeKind kind, int layer, int step) {
    }

    /**
     * A link between two nodes.
     *
     * @param from  index of the source node in {@link #nodes()}
     * @param to    index of the receiving node
     * @param delay the delay of the connection it instantiates
     * @param kind  the kind of that connection
     */
    public record Link(int from, int to, int delay, LoopGraph.Kind kind) {
    }

    private final LoopGraph graph;
    private final int steps;
    private final List<Node> nodes;
    private final List<Link> links;

    private UnrolledGraph(LoopGraph graph, int steps, List<Node> nodes, List<Link> links) {
        this.graph = graph;
        this.steps = steps;
        this.nodes = Collections.unmodifiableList(nodes);
        this.links = Collections.unmodifiableList(links);
    }

    static UnrolledGraph of(LoopGraph graph, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        if ((long) steps * (graph.layerCount() + 2) > 5_000_000) {
            throw new IllegalArgumentException(steps + " steps of " + graph.layerCount() + " layers is too large to unroll");
        }
        int layers = graph.layerCount();
        List<Node> nodes = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (int l = 0; l < layers; l++) {
            add(nodes, index, new Node("h" + l + "_init", NodeKind.INITIAL, l, -1));
        }
        int[] order = graph.topologicalOrder();
        List<Link> links = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            int x = add(nodes, index, new Node("x" + t, NodeKind.INPUT, -1, t));
            for (int l : order) {
                int v = add(nodes, index, new Node(layerId(l, t), NodeKind.LAYER, l, t));
                for (LoopGraph.Connection c : graph.into(l)) {
                    int source;
                    if (c.from() == LoopGraph.INPUT_NODE) {
                        source = x;
                    } else if (t - c.delay() < 0) {
                        source = index.get("h" + c.from() + "_init");
                    } else {
                        source = index.get(layerId(c.from(), t - c.delay()));
                    }
                    links.add(new Link(source, v, c.delay(), c.kind()));
                }
            }
            int y = add(nodes, index, new Node("y" + t, NodeKind.HEAD, -1, t));
            links.add(new Link(index.get(layerId(layers - 1, t)), y, 0, LoopGraph.Kind.OUTPUT));
        }
        return new UnrolledGraph(graph, steps, nodes, links);
    }

    private static String layerId(int layer, int t) {
        return "h" + layer + "_" + t;
    }

    private static int add(List<Node> nodes, Map<String, Integer> index, Node n) {
        index.put(n.id(), nodes.size());
        nodes.add(n);
        return nodes.size() - 1;
    }

    /** The graph that was unrolled. */
    public LoopGraph graph() {
        return graph;
    }

    /** T. */
    public int steps() {
        return steps;
    }

    /** The nodes in topological order (every link goes from an earlier node to a later one). */
    public List<Node> nodes() {
        return nodes;
    }

    /** The links. */
    public List<Link> links() {
        return links;
    }

    /** The links that instantiate extra edges: the ones that leave the layer-by-time grid. */
    public List<Link> extraLinks() {
        List<Link> out = new ArrayList<>();
        for (Link k : links) {
            if (k.kind() == LoopGraph.Kind.EXTRA) {
                out.add(k);
            }
        }
        return out;
    }

    /** Whether the unrolled graph is a grid: only stack links up a step and recurrent links along a layer. */
    public boolean isGrid() {
        return extraLinks().isEmpty();
    }

    /**
     * The graph as JSON: {@code steps}, {@code layers}, {@code grid} (false when extra edges leave the
     * grid), {@code extraLinks} (how many), {@code nodes} in topological order ({@code id}, {@code kind},
     * {@code layer}, {@code step}) and {@code links} ({@code from}, {@code to} as node ids, {@code delay},
     * {@code kind}).
     */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("steps", steps);
        o.put("layers", graph.layerCount());
        o.put("grid", isGrid());
        o.put("extraLinks", extraLinks().size());
        ArrayNode edges = o.putArray("edges");
        for (Edge e : graph.edges()) {
            edges.add(e.toJson());
        }
        ArrayNode ns = o.putArray("nodes");
        for (Node n : nodes) {
            ObjectNode j = ns.addObject();
            j.put("id", n.id());
            j.put("kind", n.kind().name().toLowerCase(java.util.Locale.ROOT));
            j.put("layer", n.layer());
            j.put("step", n.step());
        }
        ArrayNode ls = o.putArray("links");
        for (Link k : links) {
            ObjectNode j = ls.addObject();
            j.put("from", nodes.get(k.from()).id());
            j.put("to", nodes.get(k.to()).id());
            j.put("delay", k.delay());
            j.put("kind", k.kind().name().toLowerCase(java.util.Locale.ROOT));
        }
        return o;
    }

    /**
     * The graph in Graphviz DOT. Inputs at the bottom, then the layers, then the head outputs; one row
     * per layer, one column per step. Stack links are black, recurrent links grey, links of extra edges
     * red and labelled with their delay: with any of them the picture is not a grid, and a comment at
     * the top says how many there are.
     */
    public String toDot() {
        StringBuilder b = new StringBuilder();
        int extra = extraLinks().size();
        b.append("// ").append(graph.layerCount()).append(" layers unrolled over ").append(steps).append(" steps: ")
                .append(nodes.size()).append(" nodes, ").append(links.size()).append(" links\n");
        b.append(extra == 0 ? "// a grid: only stack and recurrent links\n"
                : "// not a grid: " + extra + " links of extra edges (red) leave the layer-by-step grid\n");
        b.append("digraph unrolled {\n");
        b.append("  rankdir=BT;\n  newrank=true;\n  node [shape=circle, fontsize=10];\n");
        for (Node n : nodes) {
            b.append("  ").append(n.id()).append(" [label=\"").append(label(n)).append('"');
            if (n.kind() == NodeKind.INPUT) {
                b.append(", shape=box");
            } else if (n.kind() == NodeKind.HEAD) {
                b.append(", shape=doublecircle");
            } else if (n.kind() == NodeKind.INITIAL) {
                b.append(", style=dashed");
            }
            b.append("];\n");
        }
        // rows: inputs, each layer, head outputs; columns follow from the recurrent links
        appendRank(b, NodeKind.INPUT, -1);
        for (int l = 0; l < graph.layerCount(); l++) {
            appendRank(b, NodeKind.LAYER, l);
        }
        appendRank(b, NodeKind.HEAD, -1);
        for (Link k : links) {
            b.append("  ").append(nodes.get(k.from()).id()).append(" -> ").append(nodes.get(k.to()).id());
            switch (k.kind()) {
                case RECURRENT -> b.append(" [color=gray50, constraint=false]");
                case EXTRA -> b.append(" [color=red, penwidth=2, constraint=false, label=\"d=").append(k.delay())
                        .append("\", fontcolor=red]");
                default -> {
                    if (nodes.get(k.from()).kind() == NodeKind.INITIAL) {
                        b.append(" [style=dashed, constraint=false]");
                    }
                }
            }
            b.append(";\n");
        }
        b.append("}\n");
        return b.toString();
    }

    private void appendRank(StringBuilder b, NodeKind kind, int layer) {
        b.append("  { rank=same;");
        for (Node n : nodes) {
            if ((n.kind() == kind || (kind == NodeKind.LAYER && n.kind() == NodeKind.INITIAL)) && n.layer() == layer) {
                b.append(' ').append(n.id()).append(';');
            }
        }
        b.append(" }\n");
    }

    private static String label(Node n) {
        return switch (n.kind()) {
            case INPUT -> "x" + n.step();
            case HEAD -> "y" + n.step();
            case INITIAL -> "h" + n.layer() + "[init]";
            case LAYER -> "h" + n.layer() + "[" + n.step() + "]";
        };
    }

    @Override
    public String toString() {
        return "UnrolledGraph[" + graph.layerCount() + " layers x " + steps + " steps, " + nodes.size() + " nodes, "
                + links.size() + " links" + (isGrid() ? ", a grid" : ", not a grid") + "]";
    }
}
