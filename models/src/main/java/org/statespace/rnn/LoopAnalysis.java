package org.statespace.rnn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.ResourceException;
import org.statespace.spec.Json;

/**
 * What a {@link LoopGraph} becomes when it is unrolled, answering "what if layer 3 looped back to layer
 * 2?": the graph's strongly connected components (layers joined by cycles run as one recurrent block),
 * the critical path of the unrolled DAG as a function of T, and each layer's effective delays.
 *
 * <h2>Critical path</h2>
 * The unrolled DAG over T steps ({@link UnrolledGraph}: inputs x_t, initial states, layer nodes (l, t),
 * head outputs y_t) is weighted one per link; its critical-path depth D(T) is the number of links on its
 * longest path, the number of sequential operations a forward (or backward) pass needs. It is computed
 * exactly by dynamic programming over (l, t): d(x_t) = d(init) = 0, d(l, t) = 1 + max over the
 * connections (j → l, delay k) of d(j, t - k) (d(init) when t - k &lt; 0), d(y_t) = d(top, t) + 1, and
 * D(T) = the largest d. A plain stack of L layers gives D(T) = T + L (x_0 → (0, 0) → ... → (0, T-1) → up the
 * stack → y_{T-1}): 9 for L = 3, T = 6. A loop from layer 2 back to layer 1 at delay 1 makes every step cost
 * two links (1 → 2 → 1), so D(T) = 2T + 2: 14 at T = 6. The unrolled graph is no longer a grid of T × L: its
 * longest path zigzags through the block.
 *
 * <p>In general D grows by the graph's maximum cycle ratio λ = max over cycles C of |C| / delay(C) (links
 * per step of delay; 1 for a plain stack: a layer's own recurrence), found by enumerating the simple cycles
 * of the (small) layer graph, the cycle attaining it being the critical cycle. With λ = p / q in lowest
 * terms, D(T + P) = D(T) + λP for a period P that is a multiple of q, from some T₀ on (max-plus algebra:
 * the depths follow an affine max-plus recurrence over the last maxDelay steps, which is eventually
 * periodic); {@link #period()} and {@link #periodicFrom()} are the smallest such P (up to
 * six times q) and T₀ found on the depths computed up to a horizon, and for P = 1
 * D(T) = p T + c from T₀ on ({@link #formula()}).
 *
 * <h2>Effective delays (per layer)</h2>
 * <ul>
 *   <li>feedback lags: the total delays of the simple cycles through l (its own recurrence gives 1; a loop
 *       l → l+1 → l at delay 1 gives 1 as well, a loop back from two layers up at delay 2 gives 2): the state
 *       at step t is a function of its own states at t minus these lags, so the largest one is the order of
 *       the recurrence the layer effectively runs;</li>
 *   <li>lags from the other layers: the smallest total delay of a path j → l, i.e. (l, t) first depends on
 *       (j, t - k); 0 for the layers below l in a stack, a positive k for a layer above it that loops back,
 *       none when j cannot reach l;</li>
 *   <li>depth per step: how much the critical path into (l, t) grows per step, the largest cycle ratio of
 *       any component upstream of l (l's own included), and the depth of (l, T - 1) itself.</li>
 * </ul>
 * Immutable.
 */
public final class LoopAnalysis {

    /** At most this many simple cycles are enumerated for the cycle ratio (a loop graph has few). */
    static final int MAX_CYCLES = 200_000;
    /** Periods tried: multiples 1..MAX_PERIODS of λ's denominator. */
    static final int MAX_PERIODS = 6;
    /** D(T) is computed up to at least this T (or the analysed T) to find where it becomes periodic. */
    static final int MAX_HORIZON = 20_000;

    /**
     * A strongly connected component of the layer graph.
     *
     * @param layers       its layers, ascending
     * @param block        whether it joins two or more layers into one recurrent block
     * @param cycleRatio   its largest |C| / delay(C) as p / q
     * @param criticalCycle the layers of a cycle attaining it, first layer repeated at the end
     */
    public record Component(List<Integer> layers, boolean block, Ratio cycleRatio, List<Integer> criticalCycle) {
    }

    /**
     * A rational number p / q in lowest terms.
     *
     * @param numerator   p
     * @param denominator q &gt;= 1
     */
    public record Ratio(int numerator, int denominator) {
        /** p / q as a double. */
        public double value() {
            return (double) numerator / denominator;
        }

        @Override
        public String toString() {
            return denominator == 1 ? Integer.toString(numerator) : numerator + "/" + denominator;
        }
    }

    /**
     * One layer's effective delays (see the class documentation).
     *
     * @param layer        the layer
     * @param component    the index of its component in {@link #components()}
     * @param feedbackLags the distinct total delays of the simple cycles through the layer, ascending
     * @param lagFrom      per layer j, the smallest total delay of a path j → l (0 for l itself), -1 if none
     * @param depthPerStep growth of the critical path into (l, t) per step
     * @param depth        the critical-path depth of (l, T - 1)
     */
    public record LayerDelays(int layer, int component, List<Integer> feedbackLags, List<Integer> lagFrom,
            Ratio depthPerStep, int depth) {
    }

    private final LoopGraph graph;
    private final int steps;
    private final List<Component> components;
    private final int[] componentOf;
    private final Ratio rate;
    private final List<Integer> criticalCycle;
    private final int[] depths;          // D(1..horizon), depths[T - 1]
    private final int periodicFrom;      // T₀, or -1 if not periodic within the horizon
    private final int period;            // P, a multiple of λ's denominator: D(T + P) = D(T) + λP from T₀ on
    private final List<LayerDelays> layers;

    private LoopAnalysis(LoopGraph graph, int steps) {
        this.graph = graph;
        this.steps = steps;
        int n = graph.layerCount();
        int[][] minDelay = minimalDelays(graph);
        List<List<Integer>> sccs = tarjan(n, minDelay);
        this.componentOf = new int[n];
        for (int c = 0; c < sccs.size(); c++) {
            for (int l : sccs.get(c)) {
                componentOf[l] = c;
            }
        }
        List<Component> comps = new ArrayList<>();
        Ratio best = null;
        List<Integer> bestCycle = List.of();
        List<Cycle> cycles = simpleCycles(graph, sccs);
        for (List<Integer> scc : sccs) {
            Ratio ratio = null;
            List<Integer> cycle = List.of();
            for (Cycle c : cycles) {
                if (scc.contains(c.layers().get(0))) {
                    Ratio r = ratio(c.links(), c.delay());
                    if (ratio == null || greater(r, ratio)) {
                        ratio = r;
                        cycle = c.layers();
                    }
                }
            }
            comps.add(new Component(List.copyOf(scc), scc.size() > 1, ratio, cycle));
            if (best == null || greater(ratio, best)) {
                best = ratio;
                bestCycle = cycle;
            }
        }
        this.components = Collections.unmodifiableList(comps);
        this.rate = best;
        this.criticalCycle = bestCycle;
        int q = rate.denominator();
        long wanted = 4L * (n + 2) * (graph.maxDelay() + 1) * q * MAX_PERIODS + 16;
        int horizon = (int) Math.max(steps, Math.min(wanted, MAX_HORIZON));
        this.depths = depthsUpTo(graph, horizon);
        int[] periodic = periodic(depths, rate);
        this.period = periodic[0];
        this.periodicFrom = periodic[1];
        int[][] lastDepths = layerDepths(graph, steps);
        List<LayerDelays> delays = new ArrayList<>();
        long[][] lag = shortestDelays(minDelay);
        for (int l = 0; l < n; l++) {
            java.util.TreeSet<Integer> lags = new java.util.TreeSet<>();
            for (Cycle c : cycles) {
                if (c.layers().contains(l)) {
                    lags.add(c.delay());
                }
            }
            List<Integer> from = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                from.add(lag[j][l] >= UNREACHABLE ? -1 : (int) lag[j][l]);
            }
            delays.add(new LayerDelays(l, componentOf[l], List.copyOf(lags), List.copyOf(from),
                    upstreamRatio(l, minDelay), lastDepths[l][steps - 1]));
        }
        this.layers = Collections.unmodifiableList(delays);
    }

    /**
     * The analysis of a loop graph unrolled over {@code steps} steps.
     *
     * @throws IllegalArgumentException when {@code steps} &lt; 1
     * @throws ResourceException when the layer graph has more than 200 000 simple cycles
     */
    public static LoopAnalysis of(LoopGraph graph, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        return new LoopAnalysis(graph, steps);
    }

    /** The graph analysed. */
    public LoopGraph graph() {
        return graph;
    }

    /** T. */
    public int steps() {
        return steps;
    }

    /** The strongly connected components, upstream first (a topological order of the condensation). */
    public List<Component> components() {
        return components;
    }

    /** The components that join several layers into one recurrent block. */
    public List<Component> blocks() {
        return components.stream().filter(Component::block).toList();
    }

    /** λ, the links the critical path gains per step in the long run (the maximum cycle ratio). */
    public Ratio depthPerStep() {
        return rate;
    }

    /** A cycle attaining λ, first layer repeated at the end. */
    public List<Integer> criticalCycle() {
        return criticalCycle;
    }

    /** D(T): the links on the longest path of the DAG unrolled over {@code t} steps (any t &gt;= 1). */
    public int criticalPath(int t) {
        if (t < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + t);
        }
        if (t <= depths.length) {
            return depths[t - 1];
        }
        if (periodicFrom > 0) {
            // D(t) = D(t - kP) + kλP for t - kP >= T₀
            int k = (t - depths.length + period - 1) / period;
            return depths[t - k * period - 1] + k * increment();
        }
        return depthsUpTo(graph, t)[t - 1];
    }

    /** D(T) for the analysed T. */
    public int criticalPath() {
        return criticalPath(steps);
    }

    /**
     * T₀ from which D(T + P) = D(T) + λP holds ({@link #period() P} a multiple of λ's denominator), or -1
     * if it was not found within the horizon.
     */
    public int periodicFrom() {
        return periodicFrom;
    }

    /** P (see {@link #periodicFrom}); 0 if no period was found. */
    public int period() {
        return period;
    }

    /** The T up to which D(T) was computed directly (beyond it, {@link #criticalPath(int)} extrapolates). */
    int horizon() {
        return depths.length;
    }

    private int increment() {
        return rate.numerator() * (period / rate.denominator());
    }

    /** The per-layer delays. */
    public List<LayerDelays> layers() {
        return layers;
    }

    /** D(T) as a formula, e.g. "D(T) = 2T + 2 for T >= 1" or "D(T) = D(T - 2) + 3 for T >= 4". */
    public String formula() {
        if (periodicFrom < 0) {
            return "D(T) grows by " + rate + " per step in the long run";
        }
        int p = rate.numerator();
        if (period == 1) {
            int c = depths[periodicFrom - 1] - p * periodicFrom;
            String slope = p == 1 ? "T" : p + "T";
            String constant = c == 0 ? "" : c > 0 ? " + " + c : " - " + (-c);
            return "D(T) = " + slope + constant + " for T >= " + periodicFrom;
        }
        return "D(T) = D(T - " + period + ") + " + increment() + " for T >= " + (periodicFrom + period);
    }

    // ----------------------------------------------------------------------------------------------
    // exports

    /** The analysis as JSON. */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("layers", graph.layerCount());
        o.put("steps", steps);
        ArrayNode edges = o.putArray("edges");
        for (Edge e : graph.edges()) {
            edges.add(e.toJson());
        }
        ArrayNode cs = o.putArray("components");
        for (Component c : components) {
            ObjectNode j = cs.addObject();
            ArrayNode ls = j.putArray("layers");
            c.layers().forEach(ls::add);
            j.put("block", c.block());
            j.put("cycleRatio", c.cycleRatio().toString());
            ArrayNode cyc = j.putArray("criticalCycle");
            c.criticalCycle().forEach(cyc::add);
        }
        ObjectNode cp = o.putObject("criticalPath");
        cp.put("steps", steps);
        cp.put("links", criticalPath());
        cp.put("depthPerStep", rate.toString());
        ArrayNode cyc = cp.putArray("criticalCycle");
        criticalCycle.forEach(cyc::add);
        cp.put("formula", formula());
        if (periodicFrom > 0) {
            cp.put("periodicFrom", periodicFrom);
            cp.put("period", period);
        }
        ArrayNode table = cp.putArray("bySteps");
        for (int t = 1; t <= Math.max(steps, 8) && t <= depths.length; t++) {
            ObjectNode row = table.addObject();
            row.put("steps", t);
            row.put("links", depths[t - 1]);
        }
        ArrayNode ls = o.putArray("layerDelays");
        for (LayerDelays d : layers) {
            ObjectNode j = ls.addObject();
            j.put("layer", d.layer());
            j.put("component", d.component());
            ArrayNode lags = j.putArray("feedbackLags");
            d.feedbackLags().forEach(lags::add);
            ObjectNode from = j.putObject("lagFrom");
            for (int k = 0; k < d.lagFrom().size(); k++) {
                if (k != d.layer() && d.lagFrom().get(k) >= 0) {
                    from.put(Integer.toString(k), d.lagFrom().get(k));
                }
            }
            j.put("depthPerStep", d.depthPerStep().toString());
            j.put("depthAtLastStep", d.depth());
        }
        return o;
    }

    /** The analysis as text for people. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        int n = graph.layerCount();
        b.append(n).append(n == 1 ? " layer" : " layers");
        if (graph.edges().isEmpty()) {
            b.append(", a plain stack");
        } else {
            b.append(", extra edges:");
            for (Edge e : graph.edges()) {
                b.append(' ').append(e.from()).append("->").append(e.to()).append(" (delay ").append(e.delay()).append(')');
            }
        }
        b.append("; unrolled over T = ").append(steps).append(" steps\n");
        b.append("(layers are numbered from 0, as in the weight names: an edge 2->1 is the third layer looping back to "
                + "the second)\n\n");
        b.append("Strongly connected components (layers that run as one recurrent block):\n");
        for (int c = 0; c < components.size(); c++) {
            Component k = components.get(c);
            b.append(String.format(Locale.ROOT, "  C%d: layer%s %s", c, k.layers().size() > 1 ? "s" : "", join(k.layers(), ", ")));
            if (k.block()) {
                b.append("  one recurrent block; critical cycle ").append(join(k.criticalCycle(), " -> "))
                        .append(", ").append(k.cycleRatio()).append(" links per step");
            } else {
                b.append("  its own recurrence, ").append(k.cycleRatio()).append(" link per step");
            }
            b.append('\n');
        }
        if (blocks().isEmpty()) {
            b.append("  no layers are joined: every cycle is a layer's own recurrence, the unrolled graph is a grid\n");
        }
        b.append("\nCritical path of the unrolled DAG (links on its longest path, inputs and outputs included):\n");
        b.append(String.format(Locale.ROOT, "  T = %d: %d links\n", steps, criticalPath()));
        b.append("  ").append(formula()).append("; ").append(rate).append(" per step, set by the cycle ")
                .append(join(criticalCycle, " -> ")).append('\n');
        b.append("  T:    ");
        int shown = Math.min(depths.length, Math.max(steps, 8));
        shown = Math.min(shown, 12);
        for (int t = 1; t <= shown; t++) {
            b.append(String.format(Locale.ROOT, "%4d", t));
        }
        b.append("\n  D(T): ");
        for (int t = 1; t <= shown; t++) {
            b.append(String.format(Locale.ROOT, "%4d", depths[t - 1]));
        }
        b.append("\n  (a plain stack of ").append(n).append(" layers: ").append(steps + n).append(" links at T = ")
                .append(steps).append(")\n\n");
        b.append("Effective delays per layer, in steps (feedback lags: the delays of the cycles through the layer; "
                + "sees j (lag k): (l, t) depends on (j, t - k), k the smallest such):\n");
        b.append(String.format(Locale.ROOT, "  %-5s  %-9s  %-14s  %-10s  %-8s  %s\n", "layer", "component", "feedback lags",
                "depth/step", "depth at t=" + (steps - 1), "sees the other layers"));
        for (LayerDelays d : layers) {
            StringBuilder sees = new StringBuilder();
            for (int j = 0; j < d.lagFrom().size(); j++) {
                if (j != d.layer()) {
                    int k = d.lagFrom().get(j);
                    if (k >= 0) {
                        sees.append(sees.length() == 0 ? "" : ", ").append(j).append(" (lag ").append(k).append(')');
                    }
                }
            }
            b.append(String.format(Locale.ROOT, "  %-5d  %-9s  %-14s  %-10s  %-" + Math.max(8, ("depth at t=" + (steps - 1)).length())
                    + "d  %s\n", d.layer(), "C" + d.component(), join(d.feedbackLags(), ", "), d.depthPerStep(), d.depth(),
                    sees.length() == 0 ? "none" : sees));
        }
        return b.toString();
    }

    private static String join(List<Integer> v, String sep) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.size(); i++) {
            if (i > 0) {
                b.append(sep);
            }
            b.append(v.get(i));
        }
        return b.toString();
    }

    // ----------------------------------------------------------------------------------------------
    // algorithms

    // minDelay[u][v]: the smallest delay of a connection u -> v between layers, -1 if none
    private static int[][] minimalDelays(LoopGraph graph) {
        int n = graph.layerCount();
        int[][] d = new int[n][n];
        for (int[] row : d) {
            Arrays.fill(row, -1);
        }
        for (LoopGraph.Connection c : graph.connections()) {
            if (c.from() >= 0 && c.to() < n) {
                int old = d[c.from()][c.to()];
                d[c.from()][c.to()] = old < 0 ? c.delay() : Math.min(old, c.delay());
            }
        }
        return d;
    }

    /** Tarjan's algorithm; the components in topological order of the condensation (sources first). */
    static List<List<Integer>> tarjan(int n, int[][] adjacency) {
        int[] index = new int[n];
        int[] low = new int[n];
        boolean[] onStack = new boolean[n];
        Arrays.fill(index, -1);
        int[] stack = new int[n];
        int[] top = {0};
        int[] counter = {0};
        List<List<Integer>> out = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            if (index[v] < 0) {
                strongConnect(v, adjacency, index, low, onStack, stack, top, counter, out);
            }
        }
        Collections.reverse(out);   // Tarjan emits sinks first
        return out;
    }

    // iterative form of Tarjan's recursion, so a deep graph cannot overflow the stack
    private static void strongConnect(int root, int[][] adjacency, int[] index, int[] low, boolean[] onStack, int[] stack,
            int[] top, int[] counter, List<List<Integer>> out) {
        int n = index.length;
        int[] callStack = new int[n];
        int[] cursor = new int[n];
        int depth = 0;
        callStack[depth++] = root;
        index[root] = low[root] = counter[0]++;
        stack[top[0]++] = root;
        onStack[root] = true;
        while (depth > 0) {
            int v = callStack[depth - 1];
            if (cursor[v] < n) {
                int w = cursor[v]++;
                if (adjacency[v][w] < 0) {
                    continue;
                }
                if (index[w] < 0) {
                    index[w] = low[w] = counter[0]++;
                    stack[top[0]++] = w;
                    onStack[w] = true;
                    callStack[depth++] = w;
                } else if (onStack[w]) {
                    low[v] = Math.min(low[v], index[w]);
                }
                continue;
            }
            if (low[v] == index[v]) {
                List<Integer> component = new ArrayList<>();
                int w;
                do {
                    w = stack[--top[0]];
                    onStack[w] = false;
                    component.add(w);
                } while (w != v);
                Collections.sort(component);
                out.add(component);
            }
            depth--;
            if (depth > 0) {
                int parent = callStack[depth - 1];
                low[parent] = Math.min(low[parent], low[v]);
            }
        }
    }

    private static boolean greater(Ratio a, Ratio b) {
        return (long) a.numerator() * b.denominator() > (long) b.numerator() * a.denominator();
    }

    private static Ratio ratio(int p, int q) {
        int g = gcd(p, q);
        return new Ratio(p / g, q / g);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? Math.abs(a) : gcd(b, a % b);
    }

    /** A simple cycle of the layer graph: its layers (first repeated at the end), links and total delay. */
    record Cycle(List<Integer> layers, int links, int delay) {
    }

    // every simple cycle (no layer twice) over the connections between layers, parallel connections counted
    // apart; each found once, from its smallest layer
    static List<Cycle> simpleCycles(LoopGraph graph, List<List<Integer>> sccs) {
        int n = graph.layerCount();
        List<List<LoopGraph.Connection>> out = new ArrayList<>();
        for (int l = 0; l < n; l++) {
            out.add(new ArrayList<>());
        }
        for (LoopGraph.Connection c : graph.connections()) {
            if (c.from() >= 0 && c.to() < n) {
                out.get(c.from()).add(c);
            }
        }
        List<Cycle> cycles = new ArrayList<>();
        for (List<Integer> scc : sccs) {
            boolean[] inScc = new boolean[n];
            scc.forEach(l -> inScc[l] = true);
            for (int start : scc) {
                List<Integer> path = new ArrayList<>();
                path.add(start);
                boolean[] onPath = new boolean[n];
                onPath[start] = true;
                walk(start, start, out, inScc, onPath, path, 0, cycles);
            }
        }
        return cycles;
    }

    private static void walk(int start, int v, List<List<LoopGraph.Connection>> out, boolean[] inScc, boolean[] onPath,
            List<Integer> path, int delay, List<Cycle> cycles) {
        for (LoopGraph.Connection c : out.get(v)) {
            int w = c.to();
            if (!inScc[w] || w < start) {
                continue;
            }
            if (w == start) {
                if (cycles.size() >= MAX_CYCLES) {
                    throw new ResourceException("the loop graph has more than " + MAX_CYCLES
                            + " simple cycles between its layers; too many to analyse");
                }
                List<Integer> layers = new ArrayList<>(path);
                layers.add(start);
                cycles.add(new Cycle(List.copyOf(layers), path.size(), delay + c.delay()));
            } else if (!onPath[w]) {
                onPath[w] = true;
                path.add(w);
                walk(start, w, out, inScc, onPath, path, delay + c.delay(), cycles);
                path.remove(path.size() - 1);
                onPath[w] = false;
            }
        }
    }

    // d(l, t) for t < steps, by the recurrence of the class documentation
    private static int[][] layerDepths(LoopGraph graph, int steps) {
        int n = graph.layerCount();
        int[] order = graph.topologicalOrder();
        int[][] d = new int[n][steps];
        List<List<LoopGraph.Connection>> into = new ArrayList<>();
        for (int l = 0; l < n; l++) {
            into.add(graph.into(l));
        }
        for (int t = 0; t < steps; t++) {
            for (int l : order) {
                int best = 0;
                for (LoopGraph.Connection c : into.get(l)) {
                    int source = c.from() == LoopGraph.INPUT_NODE || t - c.delay() < 0 ? 0 : d[c.from()][t - c.delay()];
                    best = Math.max(best, source + 1);
                }
                d[l][t] = best;
            }
        }
        return d;
    }

    // D(1..horizon): D(T) = max(largest layer depth over t < T, d(top, t) + 1)
    private static int[] depthsUpTo(LoopGraph graph, int horizon) {
        int[][] d = layerDepths(graph, horizon);
        int top = graph.layerCount() - 1;
        int[] out = new int[horizon];
        int best = 0;
        for (int t = 0; t < horizon; t++) {
            for (int[] row : d) {
                best = Math.max(best, row[t]);
            }
            best = Math.max(best, d[top][t] + 1);
            out[t] = best;
        }
        return out;
    }

    // {P, T₀}: the smallest period P = mq (m = 1..MAX_PERIODS) and the smallest T₀ with D(T + P) = D(T) + mp for
    // every T₀ <= T <= horizon - P, held over at least four periods at the end; {0, -1} if none
    private static int[] periodic(int[] depths, Ratio rate) {
        int h = depths.length;
        for (int m = 1; m <= MAX_PERIODS; m++) {
            int period = m * rate.denominator();
            int increment = m * rate.numerator();
            int from = -1;
            for (int t = h - period; t >= 1; t--) {
                if (depths[t + period - 1] - depths[t - 1] != increment) {
                    break;
                }
                from = t;
            }
            if (from > 0 && h - period - from >= 4 * period) {
                return new int[] {period, from};
            }
        }
        return new int[] {0, -1};
    }

    private static final long UNREACHABLE = Long.MAX_VALUE / 4;

    // the smallest total delay of a path i → j between layers (Floyd-Warshall; 0 on the diagonal)
    private static long[][] shortestDelays(int[][] minDelay) {
        int n = minDelay.length;
        long[][] dist = new long[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                dist[i][j] = i == j ? 0 : minDelay[i][j] < 0 ? UNREACHABLE : minDelay[i][j];
            }
        }
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    dist[i][j] = Math.min(dist[i][j], dist[i][k] + dist[k][j]);
                }
            }
        }
        return dist;
    }

    // the largest cycle ratio of the components from which l can be reached (its own included)
    private Ratio upstreamRatio(int l, int[][] minDelay) {
        int n = minDelay.length;
        boolean[] reaches = new boolean[n];
        reaches[l] = true;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int u = 0; u < n; u++) {
                if (!reaches[u]) {
                    for (int v = 0; v < n; v++) {
                        if (reaches[v] && minDelay[u][v] >= 0) {
                            reaches[u] = true;
                            changed = true;
                            break;
                        }
                    }
                }
            }
        }
        Ratio best = null;
        for (int u = 0; u < n; u++) {
            if (reaches[u]) {
                Ratio r = components.get(componentOf[u]).cycleRatio();
                if (best == null || greater(r, best)) {
                    best = r;
                }
            }
        }
        return best;
    }
}
