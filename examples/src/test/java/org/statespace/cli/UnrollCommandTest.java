package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.spec.Json;

/** {@code statespace unroll}: DOT and JSON exports of an RNN's unrolled loop graph, and its errors. */
class UnrollCommandTest {

    static final String LOOP = "{\"type\": \"rnn\", \"inputSize\": 3, \"layers\": [{\"cell\": \"tanh\", \"hiddenSize\": 5},"
            + " {\"cell\": \"gru\", \"hiddenSize\": 4}, {\"cell\": \"lstm\", \"hiddenSize\": 4}],"
            + " \"edges\": [{\"from\": 2, \"to\": 1, \"delay\": 1}], \"head\": {\"type\": \"gaussian\", \"outputSize\": 1}, \"seed\": 7}";

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void exportsDotAndJsonThatShowTheGraphIsNotAGrid(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("loop.json");
        Files.writeString(model, LOOP);
        Run dot = run("unroll", "--model", model.toString(), "--steps", "3", "--format", "dot");
        assertThat(dot.code()).isZero();
        assertThat(dot.out()).startsWith("// 3 layers unrolled over 3 steps").contains("not a grid: 3 links")
                .contains("h2_1 -> h1_2 [color=red");
        Path json = dir.resolve("graph.json");
        Run j = run("unroll", "--model", model.toString(), "--steps", "3", "--format", "json", "--out", json.toString());
        assertThat(j.code()).isZero();
        var graph = Json.read(json);
        assertThat(graph.get("grid").asBoolean()).isFalse();
        assertThat(graph.get("extraLinks").asInt()).isEqualTo(3);
        assertThat(graph.get("nodes").size()).isEqualTo(3 + 3 * 5);
        assertThat(graph.get("provenance").get("command").asText()).isEqualTo("unroll");
    }

    @Test
    void refusesModelsWithoutALoopGraphAndBadSteps(@TempDir Path dir) throws Exception {
        Path chain = dir.resolve("chain.json");
        Files.writeString(chain, "{\"type\": \"markov-chain\", \"initial\": [1, 0], \"transition\": [[0.5, 0.5], [0.5, 0.5]]}");
        Run r = run("unroll", "--model", chain.toString(), "--steps", "3");
        assertThat(r.code()).isEqualTo(Main.INPUT_ERROR);
        assertThat(r.err()).contains("a markov-chain model has no loop graph to unroll");
        Path model = dir.resolve("loop.json");
        Files.writeString(model, LOOP);
        assertThat(run("unroll", "--model", model.toString(), "--steps", "0").code()).isEqualTo(Main.USAGE_ERROR);
        assertThat(run("unroll", "--model", model.toString(), "--steps", "2", "--format", "png").code())
                .isEqualTo(Main.USAGE_ERROR);
    }

    @Test
    void drawsPngAndSvg(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("loop.json");
        Files.writeString(model, LOOP);
        Path png = dir.resolve("graph.png");
        Run r = run("unroll", "--model", model.toString(), "--steps", "4", "--format", "png", "--out", png.toString());
        assertThat(r.code()).as(r.err()).isZero();
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isGreaterThan(400);
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int x = 0; x < image.getWidth(); x += 3) {
            for (int y = 0; y < image.getHeight(); y += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours.size()).as("distinct colours").isGreaterThan(5);
        Path svg = dir.resolve("graph.svg");
        assertThat(run("unroll", "--model", model.toString(), "--steps", "4", "--format", "svg", "--out", svg.toString())
                .code()).isZero();
        var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        assertThat(factory.newDocumentBuilder().parse(svg.toFile()).getDocumentElement().getNodeName()).isEqualTo("svg");
        Run tooMany = run("unroll", "--model", model.toString(), "--steps", "61", "--format", "svg");
        assertThat(tooMany.code()).isEqualTo(Main.USAGE_ERROR);
        assertThat(tooMany.err()).contains("at most 60 steps");
    }

    static final String STACK = LOOP.replace(", \"edges\": [{\"from\": 2, \"to\": 1, \"delay\": 1}]", "");

    @Test
    void analyzeReportsTheBlockTheCriticalPathAndTheDelays(@TempDir Path dir) throws Exception {
        Path loop = dir.resolve("loop.json");
        Files.writeString(loop, LOOP);
        Path stack = dir.resolve("stack.json");
        Files.writeString(stack, STACK);
        // the numbers, counted by hand: 9 links for the plain 3-layer stack at T = 6, 14 with the loop
        Run plain = run("unroll", "--model", stack.toString(), "--steps", "6", "--analyze");
        assertThat(plain.code()).as(plain.err()).isZero();
        assertThat(plain.out()).contains("T = 6: 9 links").contains("D(T) = T + 3 for T >= 1")
                .contains("no layers are joined");
        Run r = run("unroll", "--model", loop.toString(), "--steps", "6", "--analyze");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("C1: layers 1, 2  one recurrent block; critical cycle 1 -> 2 -> 1")
                .contains("T = 6: 14 links").contains("D(T) = 2T + 2 for T >= 1").contains("Effective delays per layer");
        Path json = dir.resolve("analysis.json");
        Run j = run("unroll", "--model", loop.toString(), "--steps", "6", "--analyze", "--json", "--out", json.toString());
        assertThat(j.code()).as(j.err()).isZero();
        assertThat(j.out()).isEmpty();
        var a = Json.read(json);
        assertThat(a.get("criticalPath").get("links").asInt()).isEqualTo(14);
        assertThat(a.get("components").get(1).get("block").asBoolean()).isTrue();
        assertThat(a.get("layerDelays").get(1).get("lagFrom").get("2").asInt()).isEqualTo(1);
        assertThat(a.get("provenance").get("command").asText()).isEqualTo("unroll --analyze");
    }

    @Test
    void drawsTheDepthLayoutWiderThanTheTimeLayout(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("loop.json");
        Files.writeString(model, LOOP);
        Path time = dir.resolve("time.svg");
        Path depth = dir.resolve("depth.svg");
        assertThat(run("unroll", "--model", model.toString(), "--steps", "6", "--format", "svg", "--layout", "time", "--out",
                time.toString()).code()).isZero();
        Run r = run("unroll", "--model", model.toString(), "--steps", "6", "--format", "svg", "--layout", "depth", "--out",
                depth.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String t = Files.readString(time);
        String d = Files.readString(depth);
        // cells and sizes on the nodes; by depth 15 columns (D(6) = 14), by time 6
        assertThat(t).contains("gru 4").contains("lstm 4").contains("tanh 5").contains("t = 5").doesNotContain("depth 1");
        assertThat(d).contains("gru 4").contains("depth 14").doesNotContain("depth 15").contains("h1  t=5");
        Path png = dir.resolve("depth.png");
        assertThat(run("unroll", "--model", model.toString(), "--steps", "6", "--format", "png", "--layout", "depth", "--out",
                png.toString()).code()).isZero();
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isGreaterThan(15 * 100);
    }
}
