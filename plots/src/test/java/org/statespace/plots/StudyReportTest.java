package org.statespace.plots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.study.DatasetResolver;
import org.statespace.study.Study;
import org.statespace.study.StudyResult;
import org.statespace.study.StudySpec;

/**
 * The report of a small study: self-contained, complete, and rendered by a real browser with every image
 * decoded. In CI ({@code CI=true}) Chromium must be there ({@code .ci/run} installs it); elsewhere the
 * browser check is skipped, loudly, when it is missing.
 */
class StudyReportTest {
    @TempDir
    static Path dir;
    static StudyResult result;
    static Path report;

    /** Two symbol datasets from two Markov chains, 3 x 150 steps each. */
    static final DatasetResolver TINY = new DatasetResolver() {
        @Override
        public Dataset builtin(String name) {
            Random r = new Random(name.hashCode());
            double stay = name.equals("sticky") ? 0.9 : 0.4;
            List<Sequence> seqs = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                int[] x = new int[150];
                for (int t = 1; t < x.length; t++) {
                    x[t] = r.nextDouble() < stay ? x[t - 1] : r.nextInt(3);
                }
                seqs.add(Sequence.ofSymbols(name + s, x));
            }
            return Dataset.ofSymbols(seqs, List.of("a", "b", "c"));
        }

        @Override
        public List<String> names() {
            return List.of("sticky", "jumpy");
        }
    };

    static final String SPEC = """
            {"name": "tiny", "description": "A first-order and a second-order chain on two small symbol datasets.",
             "datasets": [{"name": "sticky", "builtin": "sticky"}, {"name": "jumpy", "builtin": "jumpy"}],
             "seeds": [1, 2],
             "models": [{"name": "chain-1", "template": {"type": "markov-chain"}, "fit": {"pseudoCount": 1}},
                        {"name": "chain-2", "template": {"type": "markov-chain", "order": 2}, "fit": {"pseudoCount": 1}}]}
            """;

    @BeforeAll
    static void runStudy() {
        result = Study.run(StudySpec.parse(SPEC, "tiny study", null), TINY, 1, null);
        result.write(dir);
        report = StudyPlots.write(result, TINY, dir);
    }

    @Test
    void reportIsSelfContainedAndHasTheTableSpecSeedsAndEveryChart() throws Exception {
        String html = Files.readString(report);
        assertThat(report.getFileName().toString()).isEqualTo("report.html");
        // nothing is loaded from anywhere: every image is a data URI, no link or script source
        assertThat(html).doesNotContain("src=\"http").doesNotContain("href=\"http").doesNotContain("<link")
                .doesNotContain("<script src").doesNotContain("url(");
        Matcher img = Pattern.compile("<img src=\"([^\"]{0,30})").matcher(html);
        int images = 0;
        while (img.find()) {
            assertThat(img.group(1)).startsWith("data:image/png;base64,");
            images++;
        }
        // 2 metrics (log score, accuracy), 2 learning-curve charts, per dataset one prediction figure with a panel
        // per model (symbols: no PIT or coverage)
        assertThat(images).isEqualTo(2 + 2 + 2);
        assertThat(html).contains("<h3>sticky</h3>", "<h3>jumpy</h3>", "★ ", "±", "chain-2", "Study spec",
                "&quot;seeds&quot; : [ 1, 2 ]", "seeds [1, 2]", "Statespace ");
        // the best model per dataset is the one results.json names
        for (var s : StudyView.of(result).summary()) {
            if (s.best()) {
                assertThat(html).contains("<tr class=\"best\"><td>★ " + s.model() + "</td>");
            }
        }
        try (var files = Files.list(dir.resolve("plots"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".png")).count()).isEqualTo(images);
        }
        // each chart is encoded once: the embedded image is the file's bytes (a compact PNG), and the page is
        // little more than its images
        long embedded = 0;
        Matcher uri = Pattern.compile("<figure id=\"fig-([^\"]*)\">\n<img src=\"data:image/png;base64,([^\"]*)\"")
                .matcher(html);
        while (uri.find()) {
            embedded += uri.group(2).length();
            assertThat(java.util.Base64.getDecoder().decode(uri.group(2)))
                    .isEqualTo(Files.readAllBytes(dir.resolve("plots").resolve(uri.group(1) + ".png")));
        }
        assertThat(embedded).isPositive();
        assertThat(Files.size(report)).isLessThan(embedded + 60_000);
        try (var files = Files.list(dir.resolve("plots"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".svg")).count()).as("SVG only when asked").isZero();
        }
        BufferedImage predictive = ImageIO.read(dir.resolve("plots").resolve("predictive-sticky.png").toFile());
        assertThat(predictive.getWidth()).isEqualTo(960);
        // title, legend and one panel per model
        assertThat(predictive.getHeight()).isGreaterThan(2 * StudyFigures.SYMBOL_PANEL_HEIGHT);
        ImageChecks.checkNotBlank(predictive, "predictive-sticky.png");
        ImageChecks.checkPng(dir.resolve("plots").resolve("curves-jumpy.png"), 960, 480);
        // asked for, every chart is written as SVG too
        Path withSvg = dir.resolve("with-svg");
        StudyPlots.write(result, TINY, withSvg, true);
        ImageChecks.checkSvg(withSvg.resolve("plots").resolve("predictive-sticky.svg"));
        assertThat(Files.readString(withSvg.resolve("report.html"))).contains("plots/predictive-sticky.png, .svg");
    }

    @Test
    void theParagraphAboveTheTablesExplainsExactlyTheirScoreColumns() throws Exception {
        String html = Files.readString(report);
        String paragraph = html.substring(html.indexOf("<section id=\"results\">"));
        paragraph = paragraph.substring(paragraph.indexOf("<p>"), paragraph.indexOf("</p>"));
        java.util.Set<String> headers = new java.util.LinkedHashSet<>();
        Matcher th = Pattern.compile("<th>([^<]*(?:<wbr>[^<]*)*)</th>").matcher(html);
        while (th.find()) {
            headers.add(th.group(1).replace("<wbr>", ""));
        }
        headers.removeAll(List.of("model", "type", "params", "BIC", "fit s", "seeds", "converged"));
        assertThat(headers).contains("log score"); // the study's own score, never the older log-lik/obs
        for (String h : headers) {
            assertThat(paragraph).contains("<b>" + h + "</b>: ");
        }
        assertThat(paragraph).doesNotContain("log-lik/obs").contains("★ marks").contains("Diebold-Mariano");
    }

    @Test
    void aFitStoppedAtItsIterationLimitIsFlaggedInTheReport() {
        // two EM iterations with tolerance 0 cannot meet the tolerance; the chain's closed form always does
        StudyResult stopped = Study.run(StudySpec.parse("""
                {"name": "limits", "datasets": [{"name": "sticky", "builtin": "sticky"}], "seeds": [1],
                 "models": [{"name": "chain-1", "template": {"type": "markov-chain"}},
                            {"name": "hmm-2", "template": {"type": "hmm", "states": 2},
                             "fit": {"maxIterations": 2, "tolerance": 0}}]}""", "limits", null), TINY, 1, null);
        StudyView view = StudyView.of(stopped);
        assertThat(view.summary()).extracting(StudyView.SummaryRow::converged).containsExactly(true, false);
        assertThat(view.rows()).extracting(StudyView.Row::converged).containsExactly(true, false);
        String html = StudyReport.html(view, List.of(), java.util.Map.of(), List.of());
        assertThat(html).contains("<th>converged</th>").contains("<td class=\"converged\">yes</td>")
                .contains("<td class=\"not-converged\"><b>no</b>: 1 of 1 stopped at the iteration limit</td>");
    }

    @Test
    void aHeadlessBrowserRendersTheReportWithEveryImageDecoded() throws Exception {
        var browser = Browser.find();
        if (browser.isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("chromium is not installed; .ci/run must install it (apt-get install -y chromium)");
            }
            Assumptions.abort("chromium is not installed: the browser check of the report did not run");
        }
        Path work = Files.createDirectories(dir.resolve("browser"));
        String dom = browser.get().dumpDom(report, work);
        Matcher body = Pattern.compile("<body([^>]*)>").matcher(dom);
        assertThat(body.find()).as("a body element in the DOM").isTrue();
        String attributes = body.group(1);
        assertThat(attributes).contains("data-report-ready=\"true\"");
        int total = attribute(attributes, "data-images-total");
        assertThat(total).isEqualTo(6);
        assertThat(attribute(attributes, "data-images-loaded")).as(attributes).isEqualTo(total);
        assertThat(attributes).contains("data-images-failed=\"\"");

        Path shot = browser.get().screenshot(report, work, 1280, 3200);
        BufferedImage image = ImageIO.read(shot.toFile());
        assertThat(image.getWidth()).isEqualTo(1280);
        ImageChecks.checkNotBlank(image, "the screenshot of the report");
        // the charts' own colours are on the page: the images were drawn, not left as empty boxes
        assertThat(count(image, 0x0072b2)).as("chart-blue pixels in the screenshot").isGreaterThan(2000);
        assertThat(count(image, 0xd55e00)).as("chart-vermillion pixels in the screenshot").isGreaterThan(500);
        if (System.getProperty("plots.gallery") != null) {
            Files.copy(shot, Path.of(System.getProperty("plots.gallery")).resolve("report-screenshot.png"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static int attribute(String attributes, String name) {
        Matcher m = Pattern.compile(name + "=\"(\\d+)\"").matcher(attributes);
        assertThat(m.find()).as(name + " in " + attributes).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static int count(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y) & 0xffffff;
                int dr = Math.abs((p >> 16) - (rgb >> 16));
                int dg = Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff));
                int db = Math.abs((p & 0xff) - (rgb & 0xff));
                if (dr + dg + db < 24) {
                    n++;
                }
            }
        }
        return n;
    }
}
