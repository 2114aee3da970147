package org.statespace.plots;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.statespace.DataException;

/**
 * An unrolled loop graph: nodes are (layer, time step) pairs, and an edge with delay d carries a value
 * from its source at step t - d to its target at step t (d = 0 within a step, d = 1 a recurrent
 * connection, a delay-1 edge from a higher layer to a lower one a feedback loop). Layer 0 is usually
 * the input. The plots module defines this record so it draws any family's graph without depending
 * on it; {@link #unroll} builds one from a compact loop description.
 *
 * @param title      the drawing's title
 * @param layerNames names of layers 0..L-1 (row labels); may be shorter than the number of layers
 *                   ("layer i" is used for the rest)
 * @param nodes      the nodes
 * @param edges      the edges, by index into {@code nodes}
 */
public record LoopGraphLayout(String title, List<String> layerNames, List<Node> nodes, List<Edge> edges) {

    /**
     * A node.
     *
     * @param layer  the layer (row), 0 at the bottom
     * @param time   the time step (column)
     * @param label  the text in the box, e.g. "h1" or "x"
     * @param detail a second, smaller line in the box, e.g. the cell type and size "tanh 4" ("" for none)
     */
    public record Node(int layer, int time, String label, String detail) {
        public Node {
            detail = detail == null ? "" : detail;
        }

        /** A node without a detail line. */
        public Node(int layer, int time, String label) {
            this(layer, time, label, "");
        }
    }

    /**
     * An edge from node {@code from} at step t - delay to node {@code to} at step t.
     *
     * @param from  the source node's index
     * @param to    the target node's index
     * @param delay the delay in steps (≥ 0): time(to) - time(from)
     */
    public record Edge(int from, int to, int delay) {
    }

    /**
     * A connection of the rolled-up loop: layer {@code from} feeds layer {@code to} after {@code delay}
     * steps.
     */
    public record Connection(int from, int to, int delay) {
    }

    public LoopGraphLayout {
        layerNames = List.copyOf(layerNames);
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
        if (nodes.isEmpty()) {
            throw new DataException("loop graph \"" + title + "\" has no nodes");
        }
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (n.layer() < 0 || n.time() < 0) {
                throw new DataException("nodes[" + i + "]: layer and time must be >= 0, got layer " + n.layer()
                        + ", time " + n.time());
            }
        }
        for (int i = 0; i < edges.size(); i++) {
            Edge e = edges.get(i);
            if (e.from() < 0 || e.from() >= nodes.size() || e.to() < 0 || e.to() >= nodes.size()) {
                throw new DataException("edges[" + i + "]: node index out of range 0.." + (nodes.size() - 1) + ": "
                        + e.from() + " -> " + e.to());
            }
            if (e.delay() < 0) {
                throw new DataException("edges[" + i + "]: delay must be >= 0, got " + e.delay());
            }
            int span = nodes.get(e.to()).time() - nodes.get(e.from()).time();
            if (span != e.delay()) {
                throw new DataException("edges[" + i + "]: delay " + e.delay() + " but it goes from step "
                        + nodes.get(e.from()).time() + " to step " + nodes.get(e.to()).time());
            }
            if (e.delay() == 0 && e.from() == e.to()) {
                throw new DataException("edges[" + i + "]: a node cannot feed itself within a step (delay 0)");
            }
        }
    }

    /** Number of layers: one more than the highest layer index. */
    public int layers() {
        int max = 0;
        for (Node n : nodes) {
            max = Math.max(max, n.layer());
        }
        return max + 1;
    }

    /** The name of a layer. */
    public String layerName(int layer) {
        return layer < layerNames.size() ? layerNames.get(layer) : "layer " + layer;
    }

    /**
     * Unrolls a loop over {@code steps} time steps: one node per (layer, t), labelled with the layer's
     * name, and for every connection and every t ≥ delay an edge from (from, t - delay) to (to, t).
     *
     * @param title       the title
     * @param layerNames  the layers' names (L of them); node labels
     * @param connections the loop's connections between layers 0..L-1
     * @param steps       T ≥ 1
     */
    public static LoopGraphLayout unroll(String title, List<String> layerNames, List<Connection> connections, int steps) {
        int layers = layerNames.size();
        if (layers == 0 || steps < 1) {
            throw new DataException("a loop needs at least one layer and one step, got " + layers + " layers and "
                    + steps + " steps");
        }
        List<Node> nodes = new ArrayList<>();
        Map<Long, Integer> index = new HashMap<>();
        for (int t = 0; t < steps; t++) {
            for (int l = 0; l < layers; l++) {
                index.put((long) l * Integer.MAX_VALUE + t, nodes.size());
                nodes.add(new Node(l, t, layerNames.get(l)));
            }
        }
        List<Edge> edges = new ArrayList<>();
        for (int c = 0; c < connections.size(); c++) {
            Connection k = connections.get(c);
            if (k.from() < 0 || k.from() >= layers || k.to() < 0 || k.to() >= layers || k.delay() < 0) {
                throw new DataException("connections[" + c + "]: " + k.from() + " -> " + k.to() + " with delay "
                        + k.delay() + " does not fit layers 0.." + (layers - 1) + " and delays >= 0");
            }
            for (int t = k.delay(); t < steps; t++) {
                edges.add(new Edge(index.get((long) k.from() * Integer.MAX_VALUE + t - k.delay()),
                        index.get((long) k.to() * Integer.MAX_VALUE + t), k.delay()));
            }
        }
        return new LoopGraphLayout(title, layerNames, nodes, edges);
    }
}
