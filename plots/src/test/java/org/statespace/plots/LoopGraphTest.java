package org.statespace.plots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.DataException;

class LoopGraphTest {
    @TempDir
    Path tmp;

    private Path dir() {
        return ImageChecks.outputDir(tmp);
    }

    @Test
    void unrollMakesOneNodePerLayerAndStepAndOneEdgePerConnectionAndStep() {
        LoopGraph g = Samples.feedbackGraph(4);
        assertThat(g.nodes()).hasSize(12);
        // 3 delay-0 connections x 4 steps, 3 delay-1 x 3, 1 delay-2 x 2
        assertThat(g.edges()).hasSize(12 + 9 + 2);
        assertThat(g.edges()).allSatisfy(e -> assertThat(g.nodes().get(e.to()).time() - g.nodes().get(e.from()).time())
                .isEqualTo(e.delay()));
    }

    @Test
    void drawsPngAndSvgWithTheFeedbackEdgeCurvedAndLabelled() throws Exception {
        LoopGraph g = Samples.feedbackGraph(4);
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
        LoopGraph.Edge feedback = g.edges().stream().filter(e -> LoopGraphChart.kind(g, e) == LoopGraphChart.Kind.FEEDBACK)
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
        List<LoopGraph.Node> nodes = List.of(new LoopGraph.Node(0, 0, "x"), new LoopGraph.Node(1, 1, "h"));
        assertThatThrownBy(() -> new LoopGraph("g", List.of(), nodes, List.of(new LoopGraph.Edge(0, 1, 0))))
                .isInstanceOf(DataException.class).hasMessage("edges[0]: delay 0 but it goes from step 0 to step 1");
        assertThatThrownBy(() -> new LoopGraph("g", List.of(), nodes, List.of(new LoopGraph.Edge(0, 5, 1))))
                .isInstanceOf(DataException.class).hasMessageContaining("edges[0]: node index out of range");
        assertThatThrownBy(() -> LoopGraph.unroll("g", List.of("x"), List.of(new LoopGraph.Connection(0, 1, 1)), 3))
                .isInstanceOf(DataException.class).hasMessageContaining("connections[0]");
        assertThatThrownBy(() -> LoopGraphChart.drawing(LoopGraph.unroll("g", List.of("x", "h"),
                List.of(new LoopGraph.Connection(1, 1, 1)), 100))).isInstanceOf(DataException.class)
                .hasMessageContaining("at most 60");
    }
}
