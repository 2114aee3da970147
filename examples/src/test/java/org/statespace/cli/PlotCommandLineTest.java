package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code statespace plot} on every kind of result file the command line writes, and on bad ones. */
class PlotCommandLineTest {
    @TempDir
    Path dir;
    Path model;
    Path data;

    @BeforeEach
    void sampleData() throws Exception {
        model = dir.resolve("weather.json");
        Files.writeString(model, MarkovCommandLineTest.WEATHER);
        data = dir.resolve("w.json");
        CliRunner s = CliRunner.run("sample", "--model", model.toString(), "--length", "120", "--sequences", "2",
                "--seed", "3", "--out", data.toString());
        assertThat(s.exitCode()).as(s.err()).isZero();
    }

    private static void checkPng(Path png) throws Exception {
        assertThat(png).exists();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(960);
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours.size()).as("colours in %s", png).isGreaterThan(8);
        assertThat(png.resolveSibling(png.getFileName().toString().replace(".png", ".svg"))).exists();
    }

    @Test
    void filterResultsWithAndWithoutSummaries() throws Exception {
        Path r = dir.resolve("f.json");
        assertThat(CliRunner.run("filter", "--model", model.toString(), "--data", data.toString(), "--summaries",
                "--out", r.toString()).exitCode()).isZero();
        CliRunner plot = CliRunner.run("plot", "--result", r.toString(), "--out", dir.resolve("p1").toString());
        assertThat(plot.exitCode()).as(plot.err()).isZero();
        assertThat(plot.out()).startsWith("filter result: 2 chart(s)");
        checkPng(dir.resolve("p1").resolve("predictive-s1.png"));

        Path r0 = dir.resolve("f0.json");
        assertThat(CliRunner.run("filter", "--model", model.toString(), "--data", data.toString(), "--out",
                r0.toString()).exitCode()).isZero();
        CliRunner plot0 = CliRunner.run("plot", "--result", r0.toString(), "--out", dir.resolve("p0").toString());
        assertThat(plot0.exitCode()).as(plot0.err()).isZero();
        checkPng(dir.resolve("p0").resolve("log-density-s2.png"));
    }

    @Test
    void fitReport() throws Exception {
        Path report = dir.resolve("report.json");
        assertThat(CliRunner.run("fit", "--model", model.toString(), "--data", data.toString(), "--out",
                dir.resolve("fitted.json").toString(), "--report", report.toString()).exitCode()).isZero();
        CliRunner plot = CliRunner.run("plot", "--result", report.toString(), "--out", dir.resolve("p").toString());
        assertThat(plot.exitCode()).as(plot.err()).isZero();
        checkPng(dir.resolve("p").resolve("learning-curve.png"));
    }

    @Test
    void studyResultsGiveEveryChartAndTheReport() throws Exception {
        Path study = dir.resolve("study.json");
        Files.writeString(study, """
                {"name": "weather", "datasets": [{"name": "w", "path": "w.json"}], "seeds": [1],
                 "models": [{"name": "chain", "template": {"type": "markov-chain"}}]}
                """);
        Path out = dir.resolve("study-out");
        CliRunner compare = CliRunner.run("compare", study.toString(), "--out", out.toString(), "--quiet", "--svg");
        assertThat(compare.exitCode()).as(compare.err()).isZero();
        assertThat(compare.out()).contains("Report: ");
        assertThat(out.resolve("report.html")).exists();
        checkPng(out.resolve("plots").resolve("predictive-w.png"));
        checkPng(out.resolve("plots").resolve("metric-meanLogScore.png"));

        Path again = dir.resolve("again");
        CliRunner plot = CliRunner.run("plot", "--result", out.resolve("results.json").toString(), "--out",
                again.toString());
        assertThat(plot.exitCode()).as(plot.err()).isZero();
        assertThat(again.resolve("report.html")).exists();
        checkPng(again.resolve("plots").resolve("curves-w.png"));
        checkPng(again.resolve("plots").resolve("predictive-w.png"));
    }

    @Test
    void aFileThatIsNoResultIsOneLineOfError() throws Exception {
        CliRunner spec = CliRunner.run("plot", "--result", model.toString(), "--out", dir.resolve("x").toString());
        assertThat(spec.exitCode()).isEqualTo(Main.INPUT_ERROR);
        assertThat(spec.errorLines()).containsExactly("error: " + model
                + ": not a result statespace can plot (expected a study's results.json, or the output of filter, "
                + "smooth, decode, forecast or fit --report)");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"sequences\": [");
        CliRunner bad = CliRunner.run("plot", "--result", broken.toString(), "--out", dir.resolve("x").toString());
        assertThat(bad.exitCode()).isEqualTo(Main.INPUT_ERROR);
        assertThat(bad.errorLines()).hasSize(1);
        assertThat(bad.errorLines()[0]).startsWith("error: " + broken);
        CliRunner missing = CliRunner.run("plot", "--result", dir.resolve("none.json").toString(), "--out", "x");
        assertThat(missing.errorLines()).containsExactly("error: " + dir.resolve("none.json")
                + ": no such file (--result)");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    /** Every text plot wrote: its stdout, stderr and the SVG and HTML files under {@code out}. */
    private static String everything(CliRunner r, Path out) throws java.io.IOException {
        StringBuilder b = new StringBuilder(r.out()).append(r.err());
        if (Files.isDirectory(out)) {
            try (var files = Files.walk(out)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".svg") || f.toString().endsWith(".html")).toList()) {
                    b.append(Files.readString(f));
                }
            }
        }
        return b.toString();
    }

    @Test
    void aResultNeverShowsTheContentOfAFileItsProvenanceNames() throws Exception {
        Path r = dir.resolve("f.json");
        assertThat(CliRunner.run("filter", "--model", model.toString(), "--data", data.toString(), "--summaries",
                "--out", r.toString()).exitCode()).isZero();
        String result = Files.readString(r);
        Path text = Files.writeString(dir.resolve("secret.txt"), "hunter2 is the password\n");
        Path json = Files.writeString(dir.resolve("secret.json"), "{\"hunter2\": \"password\"}");
        Path csv = Files.writeString(dir.resolve("secret.csv"), "password\nhunter2\nhunter2\n");
        int i = 0;
        for (Path secret : new Path[] {text, json, csv}) {
            Path crafted = dir.resolve("crafted-" + i + ".json");
            Files.writeString(crafted, result.replace("\"data\" : \"" + data.toString().replace("\\", "\\\\") + "\"",
                    "\"data\" : \"" + secret.toString().replace("\\", "\\\\") + "\""));
            assertThat(Files.readString(crafted)).contains(secret.getFileName().toString());
            Path out = dir.resolve("p" + i++);
            CliRunner plot = CliRunner.run("plot", "--result", crafted.toString(), "--out", out.toString());
            assertThat(plot.exitCode()).as(plot.err()).isZero();
            assertThat(everything(plot, out)).as("what plot wrote for a result naming %s", secret)
                    .doesNotContain("hunter2").doesNotContain("password");
        }

        // a study's results.json naming such a file as a dataset
        Path study = dir.resolve("study.json");
        Files.writeString(study, """
                {"name": "weather", "datasets": [{"name": "w", "path": "w.json"}], "seeds": [1],
                 "models": [{"name": "chain", "template": {"type": "markov-chain"}}]}
                """);
        Path studyOut = dir.resolve("study-out");
        assertThat(CliRunner.run("compare", study.toString(), "--out", studyOut.toString(), "--quiet").exitCode()).isZero();
        String results = Files.readString(studyOut.resolve("results.json"));
        for (Path secret : new Path[] {text, json, csv}) {
            Files.writeString(studyOut.resolve("results.json"), results.replace("\"path\" : \"w.json\"",
                    "\"path\" : \"" + secret.toString().replace("\\", "\\\\") + "\""));
            assertThat(Files.readString(studyOut.resolve("results.json"))).contains(secret.getFileName().toString());
            Path out = dir.resolve("s" + i++);
            CliRunner plot = CliRunner.run("plot", "--result", studyOut.resolve("results.json").toString(), "--out", out.toString());
            assertThat(plot.exitCode()).as(plot.err()).isZero();
            assertThat(everything(plot, out)).as("what plot wrote for a study naming %s", secret)
                    .doesNotContain("hunter2").doesNotContain("password");
        }
    }
}
