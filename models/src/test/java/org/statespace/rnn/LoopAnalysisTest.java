package org.statespace.rnn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * {@link LoopAnalysis} against brute force on the explicit unrolled DAG of {@link UnrolledGraph}: the
 * longest path by dynamic programming over its listed links, the components by mutual reachability, the
 * lags by searching the unrolled graph; and against the issue's hand-counted example (a 3-layer stack: 9
 * links at T = 6; with layer 3 looping back to layer 2: 14).
 */
class LoopAnalysisTest {

    /** Graphs of several shapes: plain stacks, feedback, skips, long delays, parallel connections. */
    static List<LoopGraph> graphs() {
        return List.of(
                LoopGraph.of(1, List.of()),
                LoopGraph.of(3, List.of()),
                LoopGraph.of(4, List.of()),
                LoopGraph.of(3, List.of(new Edge(2, 1, 1))),                            // the issue's loop
                LoopGraph.of(3, List.of(new Edge(2, 0, 2))),                            // 3 links per 2 steps
                LoopGraph.of(3, List.of(new Edge(2, 0, 1), new Edge(0, 2, 0))),         // a skip inside a loop
                LoopGraph.of(4, List.of(new Edge(3, 0, 2), new Edge(1, 1, 2))),         // 4 links per 2 steps
                LoopGraph.of(4, List.of(new Edge(2, 1, 1), new Edge(0, 1, 3), new Edge(3, 2, 2))),
                LoopGraph.of(5, List.of(new Edge(4, 1, 3), new Edge(2, 0, 1))),         // two loops overlapping
                LoopGraph.of(3, List.of(new Edge(0, 2, 1), new Edge(2, 2, 3))));        // no loop between layers
    }

    /** The longest path (in links) of the explicit unrolled DAG: nodes are listed in topological order. */
    static int bruteForceLongestPath(UnrolledGraph g) {
        int[] depth = new int[g.nodes().size()];
        List<List<Integer>> into = new ArrayList<>();
        for (int i = 0; i < depth.length; i++) {
            into.add(new ArrayList<>());
        }
        for (UnrolledGraph.Link k : g.links()) {
            assertThat(k.from()).isLessThan(k.to());
            into.get(k.to()).add(k.from());
        }
        int best = 0;
        for (int v = 0; v < depth.length; v++) {
            for (int u : into.get(v)) {
                depth[v] = Math.max(depth[v], depth[u] + 1);
            }
            best = Math.max(best, depth[v]);
        }
        return best;
    }

    @Test
    void theIssuesExampleNineLinksForTheStackAndFourteenWithTheLoop() {
        // hand count: x0 -> h0_0 -> ... -> h0_5 (6) -> h1_5 -> h2_5 (2) -> y5 (1) = 9
        LoopGraph stack = LoopGraph.of(3, List.of());
        assertThat(bruteForceLongestPath(stack.unroll(6))).isEqualTo(9);
        assertThat(LoopAnalysis.of(stack, 6).criticalPath()).isEqualTo(9);
        // hand count: x0 -> h0_0 -> h1_0 (2), then h1_t -> h2_t -> h1_{t+1} for t = 0..4 (10), h1_5 -> h2_5 (1), -> y5 (1) = 14
        LoopGraph loop = LoopGraph.of(3, List.of(new Edge(2, 1, 1)));
        assertThat(bruteForceLongestPath(loop.unroll(6))).isEqualTo(14);
        LoopAnalysis a = LoopAnalysis.of(loop, 6);
        assertThat(a.criticalPath()).isEqualTo(14);
        assertThat(a.formula()).isEqualTo("D(T) = 2T + 2 for T >= 1");
        assertThat(LoopAnalysis.of(stack, 6).formula()).isEqualTo("D(T) = T + 3 for T >= 1");
        assertThat(a.depthPerStep()).isEqualTo(new LoopAnalysis.Ratio(2, 1));
        assertThat(a.criticalCycle()).containsExactly(1, 2, 1);
        assertThat(a.components()).extracting(LoopAnalysis.Component::layers).containsExactly(List.of(0), List.of(1, 2));
        assertThat(a.blocks()).hasSize(1);
        assertThat(a.toText()).contains("C1: layers 1, 2  one recurrent block").contains("T = 6: 14 links");
        assertThat(a.toJson().get("criticalPath").get("links").asInt()).isEqualTo(14);
    }

    @Test
    void theCriticalPathIsTheBruteForceLongestPathForEveryGraphAndManyT() {
        for (LoopGraph g : graphs()) {
            LoopAnalysis a = LoopAnalysis.of(g, 1);
            for (int t = 1; t <= 25; t++) {
                assertThat(a.criticalPath(t)).as("%s at T = %d", g, t).isEqualTo(bruteForceLongestPath(g.unroll(t)));
                assertThat(LoopAnalysis.of(g, t).criticalPath()).isEqualTo(a.criticalPath(t));
            }
        }
    }

    @Test
    void beyondTheComputedHorizonThePeriodicFormulaStillMatchesBruteForce() {
        for (LoopGraph g : graphs()) {
            LoopAnalysis a = LoopAnalysis.of(g, 1);
            assertThat(a.periodicFrom()).as("%s", g).isPositive();
            int horizon = a.horizon();
            for (int t = horizon + 1; t <= horizon + 2 * a.period() + 1; t++) {
                assertThat(a.criticalPath(t)).as("%s at T = %d", g, t).isEqualTo(bruteForceLongestPath(g.unroll(t)));
            }
            // the slope: D grows by λ per step, λ found from the brute force over a long stretch
            int t0 = 40;
            int span = 12 * a.depthPerStep().denominator();
            int grown = bruteForceLongestPath(g.unroll(t0 + span)) - bruteForceLongestPath(g.unroll(t0));
            assertThat((double) grown / span).as("%s", g).isEqualTo(a.depthPerStep().value());
        }
    }

    @Test
    void componentsAreTheSetsOfMutuallyReachableLayers() {
        for (LoopGraph g : graphs()) {
            int n = g.layerCount();
            boolean[][] reach = new boolean[n][n];
            for (LoopGraph.Connection c : g.connections()) {
                if (c.from() >= 0 && c.to() < n) {
                    reach[c.from()][c.to()] = true;
                }
            }
            for (int k = 0; k < n; k++) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        reach[i][j] |= reach[i][k] && reach[k][j];
                    }
                }
            }
            LoopAnalysis a = LoopAnalysis.of(g, 3);
            Set<Integer> seen = new HashSet<>();
            for (LoopAnalysis.Component c : a.components()) {
                for (int u : c.layers()) {
                    assertThat(seen.add(u)).isTrue();
                    for (int v = 0; v < n; v++) {
                        boolean mutual = u == v || (reach[u][v] && reach[v][u]);
                        assertThat(c.layers().contains(v)).as("%s: %d and %d", g, u, v).isEqualTo(mutual);
                    }
                }
            }
            assertThat(seen).hasSize(n);
            // upstream first: no layer of a later component reaches an earlier one
            for (int i = 0; i < a.components().size(); i++) {
                for (int j = i + 1; j < a.components().size(); j++) {
                    int later = a.components().get(j).layers().get(0);
                    int earlier = a.components().get(i).layers().get(0);
                    assertThat(reach[later][earlier]).isFalse();
                }
            }
        }
    }

    @Test
    void lagsFromOtherLayersAreTheEarliestDependenceInTheUnrolledGraph() {
        int steps = 14;
        for (LoopGraph g : graphs()) {
            UnrolledGraph u = g.unroll(steps);
            LoopAnalysis a = LoopAnalysis.of(g, steps);
            int n = g.layerCount();
            for (int l = 0; l < n; l++) {
                int target = index(u, l, steps - 1);
                boolean[] reaches = reachesBackwards(u, target);
                for (int j = 0; j < n; j++) {
                    // the largest t with (j, t) reaching (l, T-1), hence the smallest lag
                    int lag = -1;
                    for (int t = steps - 1; t >= 0; t--) {
                        if (reaches[index(u, j, t)]) {
                            lag = steps - 1 - t;
                            break;
                        }
                    }
                    assertThat(a.layers().get(l).lagFrom().get(j)).as("%s: %d sees %d", g, l, j).isEqualTo(lag);
                }
                // and the depth of (l, T-1) by brute force
                assertThat(a.layers().get(l).depth()).isEqualTo(longestInto(u, target));
            }
        }
    }

    @Test
    void feedbackLagsAndDepthPerStepByHand() {
        // layer 3 (2) loops back to layer 1 (0) at delay 2: the cycle 0 -> 1 -> 2 -> 0 has delay 2 and 3 links
        LoopAnalysis a = LoopAnalysis.of(LoopGraph.of(3, List.of(new Edge(2, 0, 2))), 5);
        assertThat(a.depthPerStep()).isEqualTo(new LoopAnalysis.Ratio(3, 2));
        for (int l = 0; l < 3; l++) {
            assertThat(a.layers().get(l).feedbackLags()).containsExactly(1, 2);
            assertThat(a.layers().get(l).depthPerStep()).isEqualTo(new LoopAnalysis.Ratio(3, 2));
        }
        // the issue's loop: layer 0 is a plain recurrence below a block of 1 and 2, which sees 0 at once
        LoopAnalysis b = LoopAnalysis.of(LoopGraph.of(3, List.of(new Edge(2, 1, 1))), 5);
        assertThat(b.layers().get(0).feedbackLags()).containsExactly(1);
        assertThat(b.layers().get(0).depthPerStep()).isEqualTo(new LoopAnalysis.Ratio(1, 1));
        assertThat(b.layers().get(1).depthPerStep()).isEqualTo(new LoopAnalysis.Ratio(2, 1));
        assertThat(b.layers().get(0).lagFrom()).containsExactly(0, -1, -1);
        assertThat(b.layers().get(1).lagFrom()).containsExactly(0, 0, 1);
        // a second path 0 -> 1 at delay 3 beside the stack's: cycles 1 -> 2 -> 1 (delay 1); lags of 1 are {1}
        LoopAnalysis c = LoopAnalysis.of(LoopGraph.of(3, List.of(new Edge(2, 1, 1), new Edge(0, 1, 3), new Edge(2, 0, 2))), 5);
        assertThat(c.layers().get(0).feedbackLags()).containsExactly(1, 2, 5);   // 0->1->2->0 at 0+0+2 and 3+0+2; own 1
    }

    private static int index(UnrolledGraph u, int layer, int step) {
        for (int i = 0; i < u.nodes().size(); i++) {
            UnrolledGraph.Node n = u.nodes().get(i);
            if (n.kind() == UnrolledGraph.NodeKind.LAYER && n.layer() == layer && n.step() == step) {
                return i;
            }
        }
        throw new AssertionError("no node " + layer + ", " + step);
    }

    private static boolean[] reachesBackwards(UnrolledGraph u, int target) {
        boolean[] r = new boolean[u.nodes().size()];
        r[target] = true;
        List<UnrolledGraph.Link> links = u.links();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (UnrolledGraph.Link k : links) {
                if (r[k.to()] && !r[k.from()]) {
                    r[k.from()] = true;
                    changed = true;
                }
            }
        }
        return r;
    }

    private static int longestInto(UnrolledGraph u, int target) {
        int[] depth = new int[u.nodes().size()];
        for (int v = 0; v <= target; v++) {
            for (UnrolledGraph.Link k : u.links()) {
                if (k.to() == v) {
                    depth[v] = Math.max(depth[v], depth[k.from()] + 1);
                }
            }
        }
        return depth[target];
    }
}
