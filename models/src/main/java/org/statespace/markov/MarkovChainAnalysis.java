package org.statespace.markov;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
 *
 * <p>Which states reach j with probability one is read off the pattern of positive entries, and every
 * linear system is solved by GTH (Grassmann-Taksar-Heyman) elimination, which only adds and multiplies
 * probabilities (the diagonal 1 - A_ii is computed as Σ_{k≠i} A_ik). A valid chain with entries as small
 * as 1e-300 is therefore analysed to full relative accuracy instead of looking singular (Grassmann,
 * Taksar and Heyman, "Regenerative analysis and steady state distributions for Markov chains",
 * Operations Research 33(5), 1985; Stewart, "Introduction to the Numerical Solution of Markov Chains",
 * 1994, section 2.7).
 */
public final class MarkovChainAnalysis {

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

    // GTH (Grassmann-Taksar-Heyman) elimination on the class's block A_CC: states are censored out one by
    // one from the last, each time folding the paths through the removed state into the others, and
    // dividing by the removed state's probability of leaving to the remaining ones, a sum of entries
    // rather than 1 - A_kk. Nothing is subtracted, so every entry keeps full relative accuracy however
    // small (a transition of 1e-300 gives a stationary probability of that order, not a singular system).
    static double[] stationaryOf(double[][] a, int[] states, int n) {
        int m = states.length;
        double[][] p = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                p[i][j] = a[states[i]][states[j]];
            }
        }
        for (int k = m - 1; k > 0; k--) {
            double leave = 0;
            for (int j = 0; j < k; j++) {
                leave += p[k][j];
            }
            if (!(leave > 0)) {
                throw new NumericalException("cannot compute the stationary distribution: the probability of leaving"
                        + " state " + states[k] + " for the rest of its class underflows to " + leave);
            }
            for (int i = 0; i < k; i++) {
                p[i][k] /= leave;
            }
            for (int i = 0; i < k; i++) {
                double through = p[i][k];
                if (through == 0) {
                    continue;
                }
                for (int j = 0; j < k; j++) {
                    p[i][j] += through * p[k][j];
                }
            }
        }
        double[] x = new double[m];
        x[0] = 1;
        double sum = 1;
        for (int j = 1; j < m; j++) {
            double v = 0;
            for (int i = 0; i < j; i++) {
                v += x[i] * p[i][j];
            }
            x[j] = v;
            sum += v;
        }
        double[] pi = new double[n];
        for (int i = 0; i < m; i++) {
            pi[states[i]] = x[i] / sum;
        }
        return pi;
    }

    private static double[][] passageTimes(double[][] a, int n) {
        double[][] m = new double[n][n];
        for (int j = 0; j < n; j++) {
            boolean[] certain = certainToReach(a, n, j);
            List<Integer> unknown = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (certain[i] && i != j) {
                    unknown.add(i);
                }
            }
            double[] times = new double[n];
            Arrays.fill(times, Double.POSITIVE_INFINITY);
            times[j] = 0;
            if (!unknown.isEmpty()) {
                int[] u = unknown.stream().mapToInt(Integer::intValue).toArray();
                double[][] rhs = new double[u.length][1];
                for (double[] row : rhs) {
                    row[0] = 1;
                }
                double[][] x = solveLeaving(a, u, rhs, "mean first-passage times to state " + j);
                for (int r = 0; r < u.length; r++) {
                    times[u[r]] = x[r][0];
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

    // Whether the chain started in i reaches j with probability one, read off the pattern of positive
    // entries (so exact however small they are): the chain ends in a closed class almost surely, so it
    // misses j with positive probability exactly when it can reach, along a path that avoids j, a
    // closed class that does not hold j.
    private static boolean[] certainToReach(double[][] a, int n, int j) {
        int[] component = stronglyConnectedComponents(a);
        boolean[] closedComponent = new boolean[n];
        Arrays.fill(closedComponent, true);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                if (a[i][k] > 0 && component[k] != component[i]) {
                    closedComponent[component[i]] = false;
                }
            }
        }
        // escapes: states that can reach a closed class without j, avoiding j
        boolean[] escapes = new boolean[n];
        for (int i = 0; i < n; i++) {
            escapes[i] = i != j && closedComponent[component[i]] && component[i] != component[j];
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < n; i++) {
                if (escapes[i] || i == j) {
                    continue;
                }
                for (int k = 0; k < n; k++) {
                    if (a[i][k] > 0 && escapes[k]) {
                        escapes[i] = true;
                        changed = true;
                        break;
                    }
                }
            }
        }
        boolean[] certain = new boolean[n];
        for (int i = 0; i < n; i++) {
            certain[i] = i == j || !escapes[i];
        }
        return certain;
    }

    private static void absorb(double[][] a, int[] transients, List<StateClass> closed, double[][] absorption,
            double[] steps) {
        int u = transients.length;
        double[][] rhs = new double[u][closed.size() + 1];
        for (int r = 0; r < u; r++) {
            int i = transients[r];
            for (int c = 0; c < closed.size(); c++) {
                double p = 0;
                for (int j : closed.get(c).states()) {
                    p += a[i][j];
                }
                rhs[r][c] = p;
            }
            rhs[r][closed.size()] = 1;
        }
        double[][] x = solveLeaving(a, transients, rhs, "absorption probabilities");
        for (int r = 0; r < u; r++) {
            for (int c = 0; c < closed.size(); c++) {
                absorption[r][c] = Math.min(1, Math.max(0, x[r][c]));
            }
            steps[r] = x[r][closed.size()];
        }
    }

    /**
     * Solves (I - Q) X = B for X ≥ 0, where Q = A restricted to the states {@code set} (which the chain
     * leaves with probability one) and B ≥ 0: expected times and absorption probabilities. The GTH form
     * of Gaussian elimination: the diagonal of I - Q is taken as Σ_{k≠i} A_ik rather than 1 - A_ii, each
     * row keeps its probability of leaving the set (its slack), and elimination and back substitution only
     * add and multiply non-negative numbers. So tiny entries (1e-300) keep their relative accuracy and
     * give large but exact answers where a general solver would find a singular system.
     */
    static double[][] solveLeaving(double[][] a, int[] set, double[][] rhs, String what) {
        int u = set.length;
        int cols = rhs[0].length;
        // off[r][c] = A_{set[r], set[c]} for c != r (the magnitudes of the off-diagonal of I - Q)
        double[][] off = new double[u][u];
        double[] slack = new double[u];
        int[] position = new int[a.length];
        Arrays.fill(position, -1);
        for (int r = 0; r < u; r++) {
            position[set[r]] = r;
        }
        for (int r = 0; r < u; r++) {
            int i = set[r];
            double leave = 0;
            for (int k = 0; k < a.length; k++) {
                if (k == i) {
                    continue;
                }
                if (position[k] >= 0) {
                    off[r][position[k]] = a[i][k];
                } else {
                    leave += a[i][k];
                }
            }
            slack[r] = leave;
        }
        double[][] b = new double[u][];
        for (int r = 0; r < u; r++) {
            b[r] = rhs[r].clone();
        }
        double[] pivot = new double[u];
        for (int p = 0; p < u; p++) {
            double diagonal = slack[p];
            for (int c = p + 1; c < u; c++) {
                diagonal += off[p][c];
            }
            if (!(diagonal > 0)) {
                throw new NumericalException("cannot solve for " + what + ": state " + set[p]
                        + " is never left (its probability of leaving is " + diagonal + ")");
            }
            pivot[p] = diagonal;
            for (int r = p + 1; r < u; r++) {
                double f = off[r][p];
                if (f == 0) {
                    continue;
                }
                f /= diagonal;
                off[r][p] = 0;
                for (int c = p + 1; c < u; c++) {
                    if (c != r) {
                        off[r][c] += f * off[p][c];
                    }
                }
                slack[r] += f * slack[p];
                for (int c = 0; c < cols; c++) {
                    b[r][c] += f * b[p][c];
                }
            }
        }
        double[][] x = new double[u][cols];
        for (int p = u - 1; p >= 0; p--) {
            for (int c = 0; c < cols; c++) {
                double v = b[p][c];
                for (int k = p + 1; k < u; k++) {
                    v += off[p][k] * x[k][c];
                }
                x[p][c] = v / pivot[p];
                if (!Double.isFinite(x[p][c])) {
                    throw new NumericalException("cannot solve for " + what + ": the value for state " + set[p]
                            + " overflows (" + x[p][c] + ")");
                }
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

    /**
     * States that are never left: each is a closed class of its own (A_ii = 1 and no other positive
     * entry in its row; a stay of 1 - 1e-300, which rounds to 1, does not count while the row leaves).
     */
    public int[] absorbingStates() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < chain.stateCount(); i++) {
            if (classOf(i).closed() && classOf(i).states().length == 1 && chain.transition(i, i) > 0) {
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
                    b.append(String.format("    %-12s %s%n", chain.stateName(i), fixedOrScientific(stationary[c][i], 6)));
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
                b.append(Double.isInfinite(v) ? String.format(" %12s", "inf") : String.format(" %12s", fixedOrScientific(v, 4)));
            }
            b.append('\n');
        }
        if (transients.length > 0) {
            b.append("\nAbsorption from transient states (probability of ending in each closed class; expected steps):\n");
            for (int r = 0; r < transients.length; r++) {
                b.append(String.format("  %-12s", abbreviate(chain.stateName(transients[r]))));
                for (int c = 0; c < closed.size(); c++) {
                    b.append(String.format("  {%s}: %s", names(closed.get(c).states()), fixedOrScientific(absorption[r][c], 6)));
                }
                b.append(String.format("  steps: %s%n", fixedOrScientific(stepsToAbsorption[r], 4)));
            }
        }
        return b.toString();
    }

    // Fixed decimals for ordinary values; scientific notation for the very large and the very small but
    // non-zero, which fixed decimals would print as a 300-digit number or as 0.
    private static String fixedOrScientific(double v, int decimals) {
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e7 || a < Math.pow(10, -decimals))) {
            return String.format(java.util.Locale.ROOT, "%." + decimals + "e", v);
        }
        return String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
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
