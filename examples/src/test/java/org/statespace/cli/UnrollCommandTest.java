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
}
