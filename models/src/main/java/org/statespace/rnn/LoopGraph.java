package org.statespace.rnn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * A network as a graph of layer nodes whose connections carry a delay: 0 (same step) or k &gt;= 1 (the
 * value from k steps back). Every network has the plain stack implied: the input x_t feeds layer 0,
 * layer l-1 feeds layer l at delay 0, every layer feeds itself at delay 1 ({@code weight_hh}), and the
 * top layer feeds the head. {@link Edge}s add any other connection, e.g. layer 2 looping back to layer
 * 1 at delay 1.
 *
 * <p>A graph is valid when every cycle has a positive total delay: then within one step the layers
 * have a topological order, and unrolling over T steps gives a DAG of (layer, t) nodes
 * ({@link #unroll}). Immutable.
 */
public final class LoopGraph {

    /** What a connection is. */
    public enum Kind {
        /** x_t into layer 0. */
        INPUT,
        /** Layer l-1 into layer l at delay 0 ({@code weight_ih_l}). */
        STACK,
        /** Layer l into itself at delay 1 ({@code weight_hh_l}). */
        RECURRENT,
        /** An extra edge ({@code weight_edge_<from>_<to>}). */
        EXTRA,
        /** The top layer into the head. */
        OUTPUT
    }

    /**
     * A connection of the graph. The input is node {@link #INPUT_NODE}, the head node {@code layers}.
     *
     * @param from  source node
     * @param to    receiving node
     * @param delay steps back
     * @param kind  what it is
     */
    public record Connection(int from, int to, int delay, Kind kind) {
    }

    /** The node number of the input x in {@link Connection}s. */
    public static final int INPUT_NODE = -1;

    private final int layers;
    private final List<Edge> edges;
    private final List<Connection> connections;
    private final int[] order;
    private final int[] maxDelayFrom;

    private LoopGraph(int layers, List<Edge> edges) {
        this.layers = layers;
        this.edges = List.copyOf(edges);
        List<Connection> c = new ArrayList<>();
        c.add(new Connection(INPUT_NODE, 0, 0, Kind.INPUT));
        for (int l = 0; l < layers; l++) {
            if (l > 0) {
                c.add(new Connection(l - 1, l, 0, Kind.STACK));
            }
            c.add(new Connection(l, l, 1, Kind.RECURRENT));
        }
        for (Edge e : edges) {
            c.add(new Connection(e.from(), e.to(), e.delay(), Kind.EXTRA));
        }
        c.add(new Connection(layers - 1, layers, 0, Kind.OUTPUT));
        this.connections = Collections.unmodifiableList(c);
        this.order = topologicalOrder(layers, c);
        this.maxDelayFrom = new int[layers];
        for (Connection k : c) {
            if (k.from() >= 0 && k.from() < layers) {
                maxDelayFrom[k.from()] = Math.max(maxDelayFrom[k.from()], k.delay());
            }
        }
    }

    /**
     * The graph of {@code layers} stacked layers with the given extra edges.
     *
     * @throws IllegalArgumentException naming the edge ({@code edges[i]}) when an edge points outside the
     *         layers, repeats an implied or an earlier edge, or closes a cycle with no delay (the message
     *         names the cycle)
     */
    public static LoopGraph of(int layers, List<Edge> edges) {
        Optional<Problem> p = check(layers, edges);
        if (p.isPresent()) {
            throw new IllegalArgumentException("edges[" + p.get().edge() + "]: " + p.get().message());
        }
        return new LoopGraph(layers, edges);
    }

    /** A problem with edge number {@code edge}. */
    record Problem(int edge, String message) {
    }

    /** The first problem of a list of extra edges, if any (see {@link #of}). */
    static Optional<Problem> check(int layers, List<Edge> edges) {
        if (layers < 1) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        for (int i = 0; i < edges.size(); i++) {
            Edge e = edges.get(i);
            if (e.from() >= layers || e.to() >= layers) {
                return Optional.of(new Problem(i, "layer " + Math.max(e.from(), e.to()) + " does not exist; the layers are 0.."
                        + (layers - 1)));
            }
            if (e.from() == e.to() - 1 && e.delay() == 0) {
                return Optional.of(new Problem(i, "layer " + e.from() + " -> layer " + e.to()
                        + " at delay 0 is the implied stack connection (weight_ih_l" + e.to() + ")"));
            }
            if (e.from() == e.to() && e.delay() == 1) {
                return Optional.of(new Problem(i, "layer " + e.from() + " -> itself at delay 1 is the implied recurrence (weight_hh_l"
                        + e.to() + ")"));
            }
            for (int j = 0; j < i; j++) {
                Edge o = edges.get(j);
                if (o.from() == e.from() && o.to() == e.to()) {
                    return Optional.of(new Problem(i, "a second edge from layer " + e.from() + " to layer " + e.to()
                            + " (edges[" + j + "] is the first; each pair has one weight " + e.weightName() + ")"));
                }
            }
        }
        Optional<List<Integer>> cycle = zeroDelayCycle(layers, edges);
        if (cycle.isPresent()) {
            List<Integer> c = cycle.get();
            int culprit = 0;
            for (int i = 0; i < edges.size(); i++) {
                Edge e = edges.get(i);
                if (e.delay() == 0 && closes(c, e)) {
                    culprit = i;
                    break;
                }
            }
            return Optional.of(new Problem(culprit, "a cycle with no delay: " + describe(c)
                    + " (give one of its connections a delay of at least 1)"));
        }
        return Optional.empty();
    }

    private static boolean closes(List<Integer> cycle, Edge e) {
        for (int i = 0; i + 1 < cycle.size(); i++) {
            if (cycle.get(i) == e.from() && cycle.get(i + 1) == e.to()) {
                return true;
            }
        }
        return false;
    }

    /** "layer 1 -> layer 2 -> layer 1". */
    static String describe(List<Integer> cycle) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cycle.size(); i++) {
            if (i > 0) {
                b.append(" -> ");
            }
            b.append("layer ").append(cycle.get(i));
        }
        return b.toString();
    }

    /**
     * A cycle among the delay-0 connections (implied stack and extra edges), as the list of its layers
     * with the first repeated at the end, or empty when there is none. Depth-first search from layer 0
     * upwards, so the answer is deterministic.
     */
    static Optional<List<Integer>> zeroDelayCycle(int layers, List<Edge> edges) {
        List<List<Integer>> next = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            next.add(new ArrayList<>());
            if (l + 1 < layers) {
                next.get(l).add(l + 1);
            }
        }
        for (Edge e : edges) {
            if (e.delay() == 0 && e.from() < layers && e.to() < layers) {
                next.get(e.from()).add(e.to());
            }
        }
        int[] color = new int[layers]; // 0 new, 1 on the path, 2 done
        int[] parent = new int[layers];
        for (int root = 0; root < layers; root++) {
            if (color[root] != 0) {
                continue;
            }
            // iterative DFS keeping the current path
            int[] cursor = new int[layers];
            int[] stack = new int[layers];
            int depth = 0;
            stack[depth++] = root;
            color[root] = 1;
            parent[root] = -1;
            while (depth > 0) {
                int u = stack[depth - 1];
                if (cursor[u] < next.get(u).size()) {
                    int v = next.get(u).get(cursor[u]++);
                    if (color[v] == 1) {
                        List<Integer> cycle = new ArrayList<>();
                        int w = u;
                        cycle.add(v);
                        List<Integer> back = new ArrayList<>();
                        while (w != v) {
                            back.add(w);
                            w = parent[w];
                        }
                        Collections.reverse(back);
                        cycle.addAll(back);
                        cycle.add(v);
                        return Optional.of(cycle);
                    }
                    if (color[v] == 0) {
                        color[v] = 1;
                        parent[v] = u;
                        stack[depth++] = v;
                    }
                } else {
                    color[u] = 2;
                    depth--;
                }
            }
        }
        return Optional.empty();
    }

    // Kahn's algorithm on the delay-0 connections between layers, smallest layer first among ties.
    private static int[] topologicalOrder(int layers, List<Connection> connections) {
        int[] indegree = new int[layers];
        List<List<Integer>> next = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            next.add(new ArrayList<>());
        }
        for (Connection c : connections) {
            if (c.delay() == 0 && c.from() >= 0 && c.to() < layers) {
                next.get(c.from()).add(c.to());
                indegree[c.to()]++;
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int l = 0; l < layers; l++) {
            if (indegree[l] == 0) {
                ready.add(l);
            }
        }
        int[] order = new int[layers];
        int n = 0;
        while (!ready.isEmpty()) {
            int u = ready.poll();
            order[n++] = u;
            for (int v : next.get(u)) {
                if (--indegree[v] == 0) {
                    ready.add(v);
                }
            }
        }
        if (n != layers) {
            throw new IllegalStateException("a validated graph has a cycle with no delay");
        }
        return order;
    }

    /** L, the number of layers. */
    public int layerCount() {
        return layers;
    }

    /** The extra edges, in spec order. */
    public List<Edge> edges() {
        return edges;
    }

    /** Every connection: input, stack, recurrences, extra edges, output. */
    public List<Connection> connections() {
        return connections;
    }

    /** The connections into node {@code to} (a layer, or {@code layerCount()} for the head). */
    public List<Connection> into(int to) {
        List<Connection> out = new ArrayList<>();
        for (Connection c : connections) {
            if (c.to() == to) {
                out.add(c);
            }
        }
        return out;
    }

    /** The layers in an order in which each comes after all its delay-0 sources. */
    public int[] topologicalOrder() {
        return order.clone();
    }

    /** The largest delay of any connection out of {@code layer} (at least 1: its own recurrence). */
    public int maxDelayFrom(int layer) {
        return maxDelayFrom[layer];
    }

    /** The largest delay of any connection. */
    public int maxDelay() {
        int m = 1;
        for (int d : maxDelayFrom) {
            m = Math.max(m, d);
        }
        return m;
    }

    /** Whether it is the plain stack (no extra edges): then it unrolls to a grid. */
    public boolean isPlainStack() {
        return edges.isEmpty();
    }

    /** The DAG of (node, t) over {@code steps} steps. */
    public UnrolledGraph unroll(int steps) {
        return UnrolledGraph.of(this, steps);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoopGraph g && g.layers == layers && g.edges.equals(edges);
    }

    @Override
    public int hashCode() {
        return layers * 31 + edges.hashCode();
    }

    @Override
    public String toString() {
        return "LoopGraph[" + layers + " layers, edges " + edges + "]";
    }
}
