package org.statespace.plots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.DataException;

class LoopGraphLayoutTest {
    @TempDir
    Path tmp;

    private Path dir() {
        return ImageChecks.outputDir(tmp);
    }

    @Test
    void unrollMakesOneNodePerLayerAndStepAndOneEdgePerConnectionAndStep() {
        LoopGraphLayout g = Samples.feedbackGraph(4);
        assertThat(g.nodes()).hasSize(12);
        // 3 delay-0 connections x 4 steps, 3 delay-1 x 3, 1 delay-2 x 2
        assertThat(g.edges()).hasSize(12 + 9 + 2);
        assertThat(g.edges()).allSatisfy(e -> assertThat(g.nodes().get(e.to()).time() - g.nodes().get(e.from()).time())
                .isEqualTo(e.delay()));
    }

    @Test
    void drawsPngAndSvgWithTheFeedbackEdgeCurvedAndLabelled() throws Exception {
        LoopGraphLayout g = Samples.feedbackGraph(4);
        Drawing d = LoopGraphChart.drawing(g);
        assertThat(d.width()).isEqualTo(LoopGraphChart.LEFT + 4 * LoopGraphChart.COLUMN + LoopGraphChart.MARGIN);
        Path png = dir().resolve("loop-graph.png");
        Path svg = dir().resolve("loop-graph.svg");
        LoopGraphChart.writePng(g, png);
        LoopGraphChart.writeSvg(g, svg);
        var image = ImageChecks.checkPng(png, d.width(), d.height());
        ImageChecks.checkSvg(svg);
        String text = Files.readString(svg);
        assertThat(text).contains("feedback: to a lower layer").contains("d=1").contains("d=2").contains("t = 3");
        // the feedback colour (vermillion) is on the canvas: the edge from layer 2 to layer 1 is drawn
        boolean vermillion = false;
        for (int y = 0; y < image.getHeight() && !vermillion; y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == 0xd55e00) {
                    vermillion = true;
                    break;
                }
            }
        }
        assertThat(vermillion).isTrue();
        // the feedback edge is not a grid edge: it changes both layer and step, and is curved
        LoopGraphLayout.Edge feedback = g.edges().stream().filter(e -> LoopGraphChart.kind(g, e) == LoopGraphChart.Kind.FEEDBACK)
                .findFirst().orElseThrow();
        assertThat(LoopGraphChart.straight(g, feedback)).isFalse();
        assertThat(LoopGraphChart.png(g)).isNotEmpty();
    }

    @Test
    void dotHasRanksPerStepAndLabelledDelays() {
        String dot = LoopGraphDot.of(Samples.feedbackGraph(3));
        assertThat(dot).startsWith("digraph \"2-layer RNN");
        assertThat(dot).contains("{ rank=same; n0; n1; n2; }  // t = 0");
        assertThat(dot.lines().filter(l -> l.contains("->")).count()).isEqualTo(9 + 6 + 1);
        assertThat(dot).contains("label=\"d=2\"").contains("penwidth=2");
        assertThat(dot.chars().filter(c -> c == '{').count()).isEqualTo(dot.chars().filter(c -> c == '}').count());
    }

    @Test
    void badGraphsAreRejectedWithTheEdgeNamed() {
        List<LoopGraphLayout.Node> nodes = List.of(new LoopGraphLayout.Node(0, 0, "x"), new LoopGraphLayout.Node(1, 1, "h"));
        assertThatThrownBy(() -> new LoopGraphLayout("g", List.of(), nodes, List.of(new LoopGraphLayout.Edge(0, 1, 0))))
                .isInstanceOf(DataException.class).hasMessage("edges[0]: delay 0 but it goes from step 0 to step 1");
        assertThatThrownBy(() -> new LoopGraphLayout("g", List.of(), nodes, List.of(new LoopGraphLayout.Edge(0, 5, 1))))
                .isInstanceOf(DataException.class).hasMessageContaining("edges[0]: node index out of range");
        assertThatThrownBy(() -> LoopGraphLayout.unroll("g", List.of("x"), List.of(new LoopGraphLayout.Connection(0, 1, 1)), 3))
                .isInstanceOf(DataException.class).hasMessageContaining("connections[0]");
        assertThatThrownBy(() -> LoopGraphChart.drawing(LoopGraphLayout.unroll("g", List.of("x", "h"),
                List.of(new LoopGraphLayout.Connection(1, 1, 1)), 100))).isInstanceOf(DataException.class)
                .hasMessageContaining("at most 60");
    }

    /** Rows x, h0, h1, h2, y of a 3-layer stack unrolled over {@code steps}, plus the given extra connections. */
    static LoopGraphLayout stack(int steps, LoopGraphLayout.Connection... extra) {
        List<LoopGraphLayout.Connection> c = new java.util.ArrayList<>(List.of(new LoopGraphLayout.Connection(0, 1, 0),
                new LoopGraphLayout.Connection(1, 2, 0), new LoopGraphLayout.Connection(2, 3, 0), new LoopGraphLayout.Connection(3, 4, 0),
                new LoopGraphLayout.Connection(1, 1, 1), new LoopGraphLayout.Connection(2, 2, 1), new LoopGraphLayout.Connection(3, 3, 1)));
        c.addAll(List.of(extra));
        return LoopGraphLayout.unroll("stack", List.of("x", "h0", "h1", "h2", "y"), c, steps);
    }

    static List<LoopGraphLayout> crowdedGraphs() {
        return List.of(Samples.feedbackGraph(4), Samples.feedbackGraph(6),
                stack(6, new LoopGraphLayout.Connection(3, 2, 1)),
                // several extra edges: loops back at delays 1, 2 and 3, a skip, a long self-delay
                stack(6, new LoopGraphLayout.Connection(3, 2, 1), new LoopGraphLayout.Connection(3, 1, 2), new LoopGraphLayout.Connection(2, 1, 3),
                        new LoopGraphLayout.Connection(1, 3, 0), new LoopGraphLayout.Connection(2, 2, 2), new LoopGraphLayout.Connection(1, 3, 2)),
                stack(8, new LoopGraphLayout.Connection(3, 1, 1), new LoopGraphLayout.Connection(3, 1, 2), new LoopGraphLayout.Connection(1, 2, 1),
                        new LoopGraphLayout.Connection(2, 3, 2)));
    }

    @Test
    void delayLabelsNeverOverlapANodeOrEachOtherInEitherLayout() {
        for (LoopGraphLayout g : crowdedGraphs()) {
            for (LoopGraphChart.Layout layout : LoopGraphChart.Layout.values()) {
                LoopGraphChart.Placement p = LoopGraphChart.place(g, layout);
                int labels = 0;
                for (int k = 0; k < g.edges().size(); k++) {
                    java.awt.geom.Rectangle2D label = p.labels()[k];
                    assertThat(label != null).as("edge %d labelled", k).isEqualTo(LoopGraphChart.labelled(g, g.edges().get(k)));
                    if (label == null) {
                        continue;
                    }
                    labels++;
                    assertThat(label.getMinX()).isGreaterThanOrEqualTo(0);
                    assertThat(label.getMaxX()).isLessThanOrEqualTo(p.width());
                    assertThat(label.getMinY()).isGreaterThanOrEqualTo(0);
                    assertThat(label.getMaxY()).isLessThanOrEqualTo(p.height());
                    for (int i = 0; i < p.boxes().length; i++) {
                        assertThat(label.intersects(p.boxes()[i])).as("%s %s: label of edge %d over node %d", g.title(), layout, k, i)
                                .isFalse();
                    }
                    for (int j = 0; j < k; j++) {
                        if (p.labels()[j] != null) {
                            assertThat(label.intersects(p.labels()[j])).as("%s %s: labels %d and %d", g.title(), layout, j, k)
                                    .isFalse();
                        }
                    }
                }
                assertThat(labels).isPositive();
            }
        }
    }

    @Test
    void theDepthLayoutIsALongestPathLayering() {
        for (LoopGraphLayout g : crowdedGraphs()) {
            int[] column = LoopGraphChart.depthColumns(g);
            // every edge goes right, and no two nodes share a place
            for (LoopGraphLayout.Edge e : g.edges()) {
                assertThat(column[e.to()]).isGreaterThan(column[e.from()]);
            }
            java.util.Set<String> places = new java.util.HashSet<>();
            for (int i = 0; i < column.length; i++) {
                assertThat(places.add(g.nodes().get(i).layer() + "," + column[i])).isTrue();
            }
            // a node with inputs sits one column after its latest input: the longest path to it
            for (int i = 0; i < column.length; i++) {
                int latest = -1;
                for (LoopGraphLayout.Edge e : g.edges()) {
                    if (e.to() == i) {
                        latest = Math.max(latest, column[e.from()]);
                    }
                }
                if (latest >= 0) {
                    assertThat(column[i]).isEqualTo(latest + 1);
                }
            }
        }
        // a plain stack is a sheared grid: x_t at t, layer l at t + l + 1, y_t at t + 4
        LoopGraphLayout plain = stack(5);
        int[] c = LoopGraphChart.depthColumns(plain);
        for (int i = 0; i < c.length; i++) {
            LoopGraphLayout.Node n = plain.nodes().get(i);
            assertThat(c[i]).isEqualTo(n.time() + n.layer());
        }
        // layer 3 looping back to layer 2: rows h1, h2 advance two columns per step, h0 one: not a grid
        LoopGraphLayout loop = stack(6, new LoopGraphLayout.Connection(3, 2, 1));
        int[] d = LoopGraphChart.depthColumns(loop);
        for (int i = 0; i < d.length; i++) {
            LoopGraphLayout.Node n = loop.nodes().get(i);
            int expected = switch (n.layer()) {
                case 0 -> n.time();            // x_t
                case 1 -> n.time() + 1;        // h0_t
                case 2 -> 2 * n.time() + 2;    // h1_t
                case 3 -> 2 * n.time() + 3;    // h2_t
                default -> 2 * n.time() + 4;   // y_t
            };
            assertThat(d[i]).as("%s", n).isEqualTo(expected);
        }
        assertThat(LoopGraphChart.place(loop, LoopGraphChart.Layout.DEPTH).columns()).isEqualTo(15);
    }

    @Test
    void bothLayoutsDrawWithTheCellOnEveryNode() throws Exception {
        LoopGraphLayout g = stack(4, new LoopGraphLayout.Connection(3, 2, 1));
        List<LoopGraphLayout.Node> nodes = new java.util.ArrayList<>();
        for (LoopGraphLayout.Node n : g.nodes()) {
            nodes.add(new LoopGraphLayout.Node(n.layer(), n.time(), n.label(), n.layer() >= 1 && n.layer() <= 3 ? "gru 16" : ""));
        }
        LoopGraphLayout detailed = new LoopGraphLayout(g.title(), g.layerNames(), nodes, g.edges());
        for (LoopGraphChart.Layout layout : LoopGraphChart.Layout.values()) {
            Drawing d = LoopGraphChart.drawing(detailed, layout);
            Path svg = dir().resolve("loop-" + layout + ".svg");
            PlotFiles.writeSvg(d, svg);
            ImageChecks.checkSvg(svg);
            String text = Files.readString(svg);
            assertThat(text).contains("gru 16").contains("d=1");
            assertThat(text).contains(layout == LoopGraphChart.Layout.DEPTH ? "depth 10" : "t = 3");
            Path png = dir().resolve("loop-" + layout + ".png");
            PlotFiles.writePng(d, png);
            ImageChecks.checkPng(png, d.width(), d.height());
        }
    }
}
