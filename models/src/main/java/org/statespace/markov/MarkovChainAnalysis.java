package org.statespace.markov;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

import org.statespace.NumericalException;
import org.statespace.spec.Json;

/**
 * The structure of a first-order chain (for order k, of its window chain): communicating classes, which
 * are closed (recurrent) or transient, absorbing states, periods, one stationary distribution per closed
 * class, mean first-passage times, and absorption probabilities and times from transient states.
 *
 * <p>Classes are found as the strongly connected components of the graph i → j when A_ij &gt; 0
 * (Tarjan); a class is closed when no edge leaves it, and in a finite chain the closed classes are
 * exactly the recurrent ones. The period of a class is the gcd of the lengths of its cycles, computed
 * from breadth-first levels. A stationary distribution of a closed class C solves π = π A_CC, Σπ = 1;
 * mean first-passage times m_ij solve m_ij = 1 + Σ_{k≠j} A_ik m_kj over the states that reach j with
 * probability one (m_jj is the mean return time, 1/π_j on a recurrent state); absorption probabilities
 * solve (I - Q) B = R over the transient states.
 */
public final class MarkovChainAnalysis {
    /** Hitting probabilities within this of 1 count as certain. */
    private static final double CERTAIN = 1e-10;

    /** A communicating class. */
    public record StateClass(int[] states, boolean closed, int period) {
        public StateClass {
            states = states.clone();
        }

        @Override
        public int[] states() {
            return states.clone();
        }

        public boolean contains(int s) {
            for (int x : states) {
                if (x == s) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof StateClass c && Arrays.equals(states, c.states) && closed == c.closed && period == c.period;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(states) * 31 + period;
        }

        @Override
        public String toString() {
            return "StateClass" + Arrays.toString(states) + (closed ? " closed" : " transient") + ", period " + period;
        }
    }

    private final MarkovChain chain;
    private final List<StateClass> classes;
    private final int[] classOf;
    private final double[][] stationary;      // one per closed class, in class order
    private final double[][] passageTimes;    // S×S, +inf where not certain
    private final int[] transients;            // the transient states
    private final double[][] absorption;      // transient × closed classes
    private final double[] stepsToAbsorption; // per transient state

    private MarkovChainAnalysis(MarkovChain chain, List<StateClass> classes, int[] classOf, double[][] stationary,
            double[][] passageTimes, int[] transients, double[][] absorption, double[] stepsToAbsorption) {
        this.chain = chain;
        this.classes = classes;
        this.classOf = classOf;
        this.stationary = stationary;
        this.passageTimes = passageTimes;
        this.transients = transients;
        this.absorption = absorption;
        this.stepsToAbsorption = stepsToAbsorption;
    }

    /** Analyses a first-order chain. */
    static MarkovChainAnalysis of(MarkovChain chain) {
        if (chain.order() != 1) {
            throw new IllegalArgumentException("analysis works on a first-order chain; use windowChain()");
        }
        int n = chain.stateCount();
        double[][] a = chain.transitionMatrix();
        int[] component = stronglyConnectedComponents(a);
        int count = 0;
        for (int c : component) {
            count = Math.max(count, c + 1);
        }
        // order classes by their smallest state
        int[] firstState = new int[count];
        Arrays.fill(firstState, Integer.MAX_VALUE);
        for (int i = 0; i < n; i++) {
            firstState[component[i]] = Math.min(firstState[component[i]], i);
        }
        Integer[] order = new Integer[count];
        for (int c = 0; c < count; c++) {
            order[c] = c;
        }
        Arrays.sort(order, (x, y) -> Integer.compare(firstState[x], firstState[y]));
        int[] rank = new int[count];
        for (int r = 0; r < count; r++) {
            rank[order[r]] = r;
        }
        int[] classOf = new int[n];
        for (int i = 0; i < n; i++) {
            classOf[i] = rank[component[i]];
        }
        List<StateClass> classes = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (classOf[i] == c) {
                    members.add(i);
                }
            }
            int[] states = members.stream().mapToInt(Integer::intValue).toArray();
            boolean closed = true;
            for (int i : states) {
                for (int j = 0; j < n; j++) {
                    if (a[i][j] > 0 && classOf[j] != c) {
                        closed = false;
                    }
                }
            }
            classes.add(new StateClass(states, closed, period(a, states, classOf, c)));
        }
        List<double[]> stationaryList = new ArrayList<>();
        for (StateClass c : classes) {
            if (c.closed()) {
                stationaryList.add(stationaryOf(a, c.states(), n));
            }
        }
        double[][] stationary = stationaryList.toArray(new double[0][]);
        double[][] passage = passageTimes(a, n);
        int[] transients = Arrays.stream(classes.stream().filter(c -> !c.closed()).flatMapToInt(c -> Arrays.stream(c.states())).toArray()).sorted().toArray();
        List<StateClass> closedClasses = classes.stream().filter(StateClass::closed).toList();
        double[][] absorption = new double[transients.length][closedClasses.size()];
        double[] steps = new double[transients.length];
        if (transients.length > 0) {
            absorb(a, transients, closedClasses, absorption, steps);
        }
        return new MarkovChainAnalysis(chain, List.copyOf(classes), classOf, stationary, passage, transients,
                absorption, steps);
    }

    // Tarjan's algorithm, iterative.
    private static int[] stronglyConnectedComponents(double[][] a) {
        int n = a.length;
        int[] index = new int[n];
        int[] low = new int[n];
        int[] component = new int[n];
        boolean[] onStack = new boolean[n];
        Arrays.fill(index, -1);
        Arrays.fill(component, -1);
        Deque<Integer> stack = new ArrayDeque<>();
        int[] nextChild = new int[n];
        Deque<Integer> call = new ArrayDeque<>();
        int counter = 0;
        int components = 0;
        for (int root = 0; root < n; root++) {
            if (index[root] >= 0) {
                continue;
            }
            call.push(root);
            index[root] = low[root] = counter++;
            stack.push(root);
            onStack[root] = true;
            while (!call.isEmpty()) {
                int v = call.peek();
                if (nextChild[v] < n) {
                    int w = nextChild[v]++;
                    if (!(a[v][w] > 0)) {
                        continue;
                    }
                    if (index[w] < 0) {
                        index[w] = low[w] = counter++;
                        stack.push(w);
                        onStack[w] = true;
                        call.push(w);
                    } else if (onStack[w]) {
                        low[v] = Math.min(low[v], index[w]);
                    }
                } else {
                    call.pop();
                    if (!call.isEmpty()) {
                        int parent = call.peek();
                        low[parent] = Math.min(low[parent], low[v]);
                    }
                    if (low[v] == index[v]) {
                        int w;
                        do {
                            w = stack.pop();
                            onStack[w] = false;
                            component[w] = components;
                        } while (w != v);
                        components++;
                    }
                }
            }
        }
        return component;
    }

    // The gcd over edges u->v inside the class of (level[u] + 1 - level[v]), levels from a breadth-first
    // search. A class with no internal edge (a single state without a self-loop) has no cycle: 0.
    private static int period(double[][] a, int[] states, int[] classOf, int c) {
        int n = a.length;
        int[] level = new int[n];
        Arrays.fill(level, -1);
        Deque<Integer> queue = new ArrayDeque<>();
        level[states[0]] = 0;
        queue.add(states[0]);
        int g = 0;
        while (!queue.isEmpty()) {
            int u = queue.poll();
            for (int v = 0; v < n; v++) {
                if (!(a[u][v] > 0) || classOf[v] != c) {
                    continue;
                }
                if (level[v] < 0) {
                    level[v] = level[u] + 1;
                    queue.add(v);
                } else {
                    g = gcd(g, Math.abs(level[u] + 1 - level[v]));
                }
            }
        }
        return g;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private static double[] stationaryOf(double[][] a, int[] states, int n) {
        int m = states.length;
        // (A_CCᵀ - I) π = 0 with the last equation replaced by Σ π = 1
        DMatrixRMaj system = new DMatrixRMaj(m, m);
        DMatrixRMaj rhs = new DMatrixRMaj(m, 1);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                system.set(i, j, a[states[j]][states[i]] - (i == j ? 1 : 0));
            }
        }
        for (int j = 0; j < m; j++) {
            system.set(m - 1, j, 1);
        }
        rhs.set(m - 1, 0, 1);
        DMatrixRMaj x = solve(system, rhs, "the stationary distribution");
        double[] pi = new double[n];
        for (int i = 0; i < m; i++) {
            pi[states[i]] = Math.max(0, x.get(i, 0));
        }
        double sum = Arrays.stream(pi).sum();
        for (int i = 0; i < n; i++) {
            pi[i] /= sum;
        }
        return pi;
    }

    private static double[][] passageTimes(double[][] a, int n) {
        double[][] m = new double[n][n];
        for (int j = 0; j < n; j++) {
            double[] hit = hittingProbabilities(a, n, j);
            boolean[] certain = new boolean[n];
            List<Integer> unknown = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                certain[i] = i == j || hit[i] > 1 - CERTAIN;
                if (certain[i] && i != j) {
                    unknown.add(i);
                }
            }
            double[] times = new double[n];
            Arrays.fill(times, Double.POSITIVE_INFINITY);
            times[j] = 0;
            if (!unknown.isEmpty()) {
                int u = unknown.size();
                DMatrixRMaj system = new DMatrixRMaj(u, u);
                DMatrixRMaj rhs = new DMatrixRMaj(u, 1);
                for (int r = 0; r < u; r++) {
                    int i = unknown.get(r);
                    rhs.set(r, 0, 1);
                    for (int c = 0; c < u; c++) {
                        int k = unknown.get(c);
                        system.set(r, c, (r == c ? 1 : 0) - a[i][k]);
                    }
                }
                DMatrixRMaj x = solve(system, rhs, "mean first-passage times to state " + j);
                for (int r = 0; r < u; r++) {
                    times[unknown.get(r)] = x.get(r, 0);
                }
            }
            for (int i = 0; i < n; i++) {
                if (i != j) {
                    m[i][j] = times[i];
                }
            }
            // mean return time: 1 + Σ_k A_jk m_kj
            double ret = 1;
            for (int k = 0; k < n; k++) {
                if (a[j][k] > 0 && k != j) {
                    ret += a[j][k] * times[k];
                }
            }
            m[j][j] = ret;
        }
        return m;
    }

    // P(reach j eventually | start i), with h_j = 1; 0 for states that cannot reach j.
    private static double[] hittingProbabilities(double[][] a, int n, int j) {
        boolean[] reaches = new boolean[n];
        reaches[j] = true;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < n; i++) {
                if (reaches[i]) {
                    continue;
                }
                for (int k = 0; k < n; k++) {
                    if (a[i][k] > 0 && reaches[k]) {
                        reaches[i] = true;
                        changed = true;
                        break;
                    }
                }
            }
        }
        List<Integer> unknown = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (reaches[i] && i != j) {
                unknown.add(i);
            }
        }
        double[] h = new double[n];
        h[j] = 1;
        if (unknown.isEmpty()) {
            return h;
        }
        int u = unknown.size();
        DMatrixRMaj system = new DMatrixRMaj(u, u);
        DMatrixRMaj rhs = new DMatrixRMaj(u, 1);
        for (int r = 0; r < u; r++) {
            int i = unknown.get(r);
            rhs.set(r, 0, a[i][j]);
            for (int c = 0; c < u; c++) {
                system.set(r, c, (r == c ? 1 : 0) - a[i][unknown.get(c)]);
            }
        }
        DMatrixRMaj x = solve(system, rhs, "hitting probabilities of state " + j);
        for (int r = 0; r < u; r++) {
            h[unknown.get(r)] = Math.min(1, Math.max(0, x.get(r, 0)));
        }
        return h;
    }

    private static void absorb(double[][] a, int[] transients, List<StateClass> closed, double[][] absorption,
            double[] steps) {
        int u = transients.length;
        DMatrixRMaj system = new DMatrixRMaj(u, u);
        DMatrixRMaj rhs = new DMatrixRMaj(u, closed.size() + 1);
        for (int r = 0; r < u; r++) {
            int i = transients[r];
            for (int c = 0; c < u; c++) {
                system.set(r, c, (r == c ? 1 : 0) - a[i][transients[c]]);
            }
            for (int c = 0; c < closed.size(); c++) {
                double p = 0;
                for (int j : closed.get(c).states()) {
                    p += a[i][j];
                }
                rhs.set(r, c, p);
            }
            rhs.set(r, closed.size(), 1);
        }
        DMatrixRMaj x = solve(system, rhs, "absorption probabilities");
        for (int r = 0; r < u; r++) {
            for (int c = 0; c < closed.size(); c++) {
                absorption[r][c] = Math.min(1, Math.max(0, x.get(r, c)));
            }
            steps[r] = x.get(r, closed.size());
        }
    }

    private static DMatrixRMaj solve(DMatrixRMaj system, DMatrixRMaj rhs, String what) {
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.lu(system.numRows);
        if (!solver.setA(system.copy())) {
            throw new NumericalException("cannot solve for " + what + ": the linear system is singular");
        }
        DMatrixRMaj x = new DMatrixRMaj(rhs.numRows, rhs.numCols);
        solver.solve(rhs, x);
        for (double v : x.data) {
            if (!Double.isFinite(v)) {
                throw new NumericalException("cannot solve for " + what + ": the linear system is singular");
            }
        }
        return x;
    }

    // ----------------------------------------------------------------------------------------------

    /** The chain analysed (first order). */
    public MarkovChain chain() {
        return chain;
    }

    /** The communicating classes, ordered by their smallest state. */
    public List<StateClass> classes() {
        return classes;
    }

    /** The class of state i. */
    public StateClass classOf(int i) {
        return classes.get(classOf[i]);
    }

    /** The closed (recurrent) classes. */
    public List<StateClass> closedClasses() {
        return classes.stream().filter(StateClass::closed).toList();
    }

    /** Whether every state communicates with every other. */
    public boolean isIrreducible() {
        return classes.size() == 1;
    }

    /** Whether state i is recurrent (its class is closed). */
    public boolean isRecurrent(int i) {
        return classOf(i).closed();
    }

    /** States with A_ii = 1. */
    public int[] absorbingStates() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < chain.stateCount(); i++) {
            if (chain.transition(i, i) == 1) {
                out.add(i);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The period of state i's class (1: aperiodic; 0: the state can never return to itself). */
    public int period(int i) {
        return classOf(i).period();
    }

    /**
     * The stationary distribution of an irreducible chain; empty for a reducible one, which has one per
     * closed class ({@link #stationaryDistributions()}).
     */
    public Optional<double[]> stationaryDistribution() {
        return stationary.length == 1 && isIrreducible() ? Optional.of(stationary[0].clone()) : Optional.empty();
    }

    /** One stationary distribution per closed class, in the order of {@link #closedClasses()}, each over all S states. */
    public List<double[]> stationaryDistributions() {
        List<double[]> out = new ArrayList<>();
        for (double[] p : stationary) {
            out.add(p.clone());
        }
        return out;
    }

    /**
     * m_ij, the expected number of steps to first reach j from i (m_ii: the mean return time);
     * {@code +inf} when j is not reached with probability one.
     */
    public double[][] meanFirstPassageTimes() {
        double[][] out = new double[passageTimes.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = passageTimes[i].clone();
        }
        return out;
    }

    /** The transient states, ascending. */
    public int[] transientStates() {
        return transients.clone();
    }

    /**
     * For each transient state (rows, as in {@link #transientStates()}), the probability of ending in
     * each closed class (columns, as in {@link #closedClasses()}).
     */
    public double[][] absorptionProbabilities() {
        double[][] out = new double[absorption.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = absorption[i].clone();
        }
        return out;
    }

    /** For each transient state, the expected number of steps until it enters a closed class. */
    public double[] expectedStepsToAbsorption() {
        return stepsToAbsorption.clone();
    }

    // ----------------------------------------------------------------------------------------------

    /**
     * The analysis as JSON. A passage time that is infinite (a state that may never be reached) is the
     * string {@code "Infinity"} (see {@link Json}), never {@code null}.
     */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        int n = chain.stateCount();
        ArrayNode names = o.putArray("states");
        for (int i = 0; i < n; i++) {
            names.add(chain.stateName(i));
        }
        o.put("irreducible", isIrreducible());
        ArrayNode cls = o.putArray("classes");
        for (StateClass c : classes) {
            ObjectNode co = cls.addObject();
            ArrayNode members = co.putArray("states");
            for (int s : c.states()) {
                members.add(chain.stateName(s));
            }
            co.put("closed", c.closed());
            co.put("recurrent", c.closed());
            co.put("period", c.period());
        }
        ArrayNode absorbing = o.putArray("absorbingStates");
        for (int s : absorbingStates()) {
            absorbing.add(chain.stateName(s));
        }
        ArrayNode stat = o.putArray("stationaryDistributions");
        List<StateClass> closed = closedClasses();
        for (int c = 0; c < stationary.length; c++) {
            ObjectNode so = stat.addObject();
            ArrayNode members = so.putArray("class");
            for (int s : closed.get(c).states()) {
                members.add(chain.stateName(s));
            }
            so.set("distribution", Json.vector(stationary[c]));
        }
        ArrayNode passage = o.putArray("meanFirstPassageTimes");
        for (double[] row : passageTimes) {
            ArrayNode r = passage.addArray();
            for (double v : row) {
                Json.extendedNumber(r, v);
            }
        }
        ArrayNode tr = o.putArray("transientStates");
        for (int s : transients) {
            tr.add(chain.stateName(s));
        }
        if (transients.length > 0) {
            o.set("absorptionProbabilities", Json.matrix(absorption));
            o.set("expectedStepsToAbsorption", Json.vector(stepsToAbsorption));
        }
        return o;
    }

    /** A report for people. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        int n = chain.stateCount();
        b.append("Markov chain with ").append(n).append(" states: ")
                .append(isIrreducible() ? "irreducible" : "reducible").append('\n');
        b.append("\nCommunicating classes:\n");
        for (StateClass c : classes) {
            b.append("  {").append(names(c.states())).append("}  ")
                    .append(c.closed() ? "closed (recurrent)" : "transient")
                    .append(", period ").append(c.period() == 0 ? "none (no return)" : c.period())
                    .append(c.period() == 1 ? " (aperiodic)" : "").append('\n');
        }
        int[] absorbing = absorbingStates();
        b.append("\nAbsorbing states: ").append(absorbing.length == 0 ? "none" : names(absorbing)).append('\n');
        b.append(stationary.length == 1 ? "\nStationary distribution:\n" : "\nStationary distributions (one per closed class):\n");
        List<StateClass> closed = closedClasses();
        for (int c = 0; c < stationary.length; c++) {
            if (stationary.length > 1) {
                b.append("  class {").append(names(closed.get(c).states())).append("}:\n");
            }
            for (int i = 0; i < n; i++) {
                if (stationary[c][i] > 0 || stationary.length == 1) {
                    b.append(String.format("    %-12s %.6f%n", chain.stateName(i), stationary[c][i]));
                }
            }
        }
        b.append("\nMean first-passage times (row: from, column: to; diagonal: mean return time):\n");
        b.append(String.format("  %-12s", ""));
        for (int j = 0; j < n; j++) {
            b.append(String.format(" %12s", abbreviate(chain.stateName(j))));
        }
        b.append('\n');
        for (int i = 0; i < n; i++) {
            b.append(String.format("  %-12s", abbreviate(chain.stateName(i))));
            for (int j = 0; j < n; j++) {
                double v = passageTimes[i][j];
                b.append(Double.isInfinite(v) ? String.format(" %12s", "inf") : String.format(" %12.4f", v));
            }
            b.append('\n');
        }
        if (transients.length > 0) {
            b.append("\nAbsorption from transient states (probability of ending in each closed class; expected steps):\n");
            for (int r = 0; r < transients.length; r++) {
                b.append(String.format("  %-12s", abbreviate(chain.stateName(transients[r]))));
                for (int c = 0; c < closed.size(); c++) {
                    b.append(String.format("  {%s}: %.6f", names(closed.get(c).states()), absorption[r][c]));
                }
                b.append(String.format("  steps: %.4f%n", stepsToAbsorption[r]));
            }
        }
        return b.toString();
    }

    private String names(int[] states) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < states.length; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(chain.stateName(states[i]));
        }
        return b.toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 12 ? s.substring(0, 11) + "~" : s;
    }
}
