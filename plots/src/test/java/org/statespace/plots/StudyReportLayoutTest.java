package org.statespace.plots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.spec.Json;

/**
 * The report's table and summary on a wide study (many models with long names, every score the study may
 * carry, one it does not know, numbers in the thousands beside tiny spreads): the table fits a 1280-pixel
 * window, numbers share one format, unknown scores get a column, and the summary says who wins where.
 */
class StudyReportLayoutTest {
    @TempDir
    Path dir;

    static final String[] MODELS = {"local-level-with-drift", "gaussian-hmm-3-states", "gaussian-hmm-5-states",
        "poisson-hmm-3", "gru-32-units-two-layers", "lstm-64-units", "markov-chain-order-2", "arima-like-kalman"};

    /** A results.json as the study writes it; metrics per model from simple formulas. */
    static StudyView wide() {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("study", "wide");
        ObjectNode prov = root.putObject("provenance");
        prov.put("version", "test");
        prov.put("threads", 2);
        prov.putArray("seeds").add(1).add(2).add(3);
        root.putObject("spec").put("name", "wide");
        root.putArray("rows");
        ArrayNode summary = root.putArray("summary");
        String[] datasets = {"nile-river-flow-at-aswan", "casino", "ties"};
        for (String d : datasets) {
            for (int m = 0; m < MODELS.length; m++) {
                ObjectNode s = summary.addObject();
                s.put("dataset", d).put("model", MODELS[m]).put("type", "type-" + m).put("status", "ok")
                        .put("seeds", 3).put("converged", true).put("best", m == 0);
                ObjectNode mean = s.putObject("mean");
                ObjectNode sd = s.putObject("sd");
                double ll = switch (d) {
                    case "casino" -> -1.0 - 0.05 * m; // gaps of 0.05 against sds of 0.01: a clear win
                    case "ties" -> -2.0 - 0.01 * m; // gaps of 0.01 against sds of 0.02: a tie
                    default -> -6.5 - 0.1 * m;
                };
                mean.put("meanLogLikelihood", ll);
                sd.put("meanLogLikelihood", d.equals("ties") ? 0.02 : 0.01);
                mean.put("crps", 14052.7896 + m);
                sd.put("crps", 258.2485);
                mean.put("mse", 22051.123456 * (m + 1));
                sd.put("mse", 7.041e-08);
                mean.put("mae", 113.25);
                sd.put("mae", 0.5);
                for (int level : new int[] {50, 80, 90, 95}) {
                    mean.put("coverage" + level, level / 100.0 - 0.0123);
                    sd.put("coverage" + level, 0.0312);
                }
                mean.put("pitCalibrationError", 0.04567);
                sd.put("pitCalibrationError", 0.00789);
                mean.put("parameters", 12);
                mean.put("bic", 1234567.891);
                mean.put("fitSeconds", 0.123456);
            }
        }
        return StudyView.fromJson(root, "wide results");
    }

    @Test
    void numbersHaveFourSignificantDigitsAndSpreadsTwo() {
        assertThat(StudyReport.sig(14052.7896, 4)).isEqualTo("14050");
        assertThat(StudyReport.sig(258.2485, 2)).isEqualTo("260");
        assertThat(StudyReport.sig(7.041e-08, 2)).isEqualTo("7.0e−8");
        assertThat(StudyReport.sig(-1.75432, 4)).isEqualTo("−1.754");
        assertThat(StudyReport.sig(0.099999, 2)).isEqualTo("0.10");
        assertThat(StudyReport.sig(1234567.891, 4)).isEqualTo("1.235e6");
        // mean to the sd's decimal place
        assertThat(StudyReport.meanAndSd(-1.75432, 0.01234)).containsExactly("−1.754", "0.012");
        assertThat(StudyReport.meanAndSd(14052.7896, 258.2485)).containsExactly("14050", "260");
        assertThat(StudyReport.meanAndSd(0.8877, 0.0312)).containsExactly("0.888", "0.031");
        // a tiny sd does not pad the mean: four significant digits at most
        assertThat(StudyReport.meanAndSd(22051.123456, 7.041e-08)).containsExactly("22050", "7.0e−8");
    }

    @Test
    void unknownScoresGetAColumnAndEveryNumberIsShort() {
        String html = StudyReport.html(wide(), List.of(), Map.of(), List.of());
        assertThat(html).contains("<th>CRPS</th>", "<th>cov 80%</th>", "<th>cov 95%</th>", "<th>pit<wbr>Calibration<wbr>Error</th>")
                .doesNotContain("14052.79").doesNotContain("258.2485").doesNotContain("7.041");
        // every number in a table cell has at most 5 digits (four significant, or a five-digit integer part)
        Matcher cell = Pattern.compile("<td class=\"num\">([^<]*)").matcher(html);
        int cells = 0;
        while (cell.find()) {
            cells++;
            assertThat(cell.group(1).replaceAll("e.*$", "").replaceAll("[^0-9]", "").length()).as(cell.group(1))
                    .isLessThanOrEqualTo(5);
        }
        assertThat(cells).isEqualTo(3 * MODELS.length * (9 + 4));
    }

    @Test
    void theSummaryTakesTheStudysPairedTestWhenItRanOne() {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("study", "tested");
        root.putObject("provenance").putArray("seeds").add(1).add(2);
        root.putObject("spec").put("name", "tested");
        root.putArray("rows");
        ArrayNode summary = root.putArray("summary");
        // {dataset, model, mean log score, best, tied, p}: the marks as StudyResult writes them
        Object[][] rows = {
            {"clear", "a", -1.0, true, false, 0.003}, {"clear", "b", -1.2, false, false, Double.NaN},
            {"close", "a", -2.0, false, true, 0.31}, {"close", "b", -2.01, false, true, Double.NaN},
            {"close", "c", -2.5, false, false, Double.NaN}};
        for (Object[] r : rows) {
            ObjectNode s = summary.addObject();
            s.put("dataset", (String) r[0]).put("model", (String) r[1]).put("type", "t").put("status", "ok")
                    .put("seeds", 2).put("converged", true).put("best", (Boolean) r[3]).put("tied", (Boolean) r[4]);
            if (Double.isFinite((Double) r[5])) {
                s.put("pValue", (Double) r[5]);
            }
            s.putObject("mean").put("meanLogLikelihood", (Double) r[2]);
            // sds so large that the spread over seeds alone would call both datasets ties
            s.putObject("sd").put("meanLogLikelihood", 1.0);
        }
        List<String> lines = StudyReport.summaryLines(StudyView.fromJson(root, "results.json"));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("<b>clear</b>", "a wins by 0.20 nats/obs over b, significant",
                "Diebold-Mariano test, p = 0.0030");
        assertThat(lines.get(1)).contains("<b>close</b>", "a and b are tied", "not significant", "p = 0.31")
                .doesNotContain(" c");
    }

    @Test
    void theSummarySaysWhoWinsAndWhatIsATie() {
        List<String> lines = StudyReport.summaryLines(wide());
        assertThat(lines).hasSize(3);
        // casino: -1.00 vs -1.05, sds 0.01: gap 0.05 > 2 * sqrt(2) * 0.01 = 0.028
        assertThat(lines.get(1)).contains("<b>casino</b>", MODELS[0] + " wins by 0.050 nats/obs over " + MODELS[1]);
        // ties: -2.00, -2.01, -2.02, -2.03, ... sds 0.02: 2 * sqrt(2) * 0.02 = 0.057 covers the gaps 0.01..0.05
        assertThat(lines.get(2)).contains("<b>ties</b>", "are tied", MODELS[0], MODELS[5])
                .doesNotContain(MODELS[6]);
        // a real study runs its paired test, and the summary takes that verdict (closed-form fits give every seed
        // the same score, so the spread over seeds could not have judged these gaps)
        List<String> tiny = StudyReport.summaryLines(StudyView.of(org.statespace.study.Study.run(
                org.statespace.study.StudySpec.parse(StudyReportTest.SPEC, "tiny study", null), StudyReportTest.TINY, 1,
                null)));
        assertThat(tiny).hasSize(2);
        assertThat(tiny).allSatisfy(l -> assertThat(l).contains("paired Diebold-Mariano test, p ")
                .doesNotContain("seeds cannot judge"));
    }

    @Test
    void theTablesFitA1280PixelWindowInChromium() throws Exception {
        var browser = Browser.find();
        if (browser.isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("chromium is not installed; .ci/run must install it (apt-get install -y chromium)");
            }
            Assumptions.abort("chromium is not installed: the width check of the report did not run");
        }
        StudyView view = wide();
        List<Figure> figures = List.of(new Figure("metric-meanLogLikelihood", "Comparison", "log score", "caption",
                MetricChart.of("log score", view.metric("meanLogLikelihood", "nats"))));
        Path report = StudyReport.write(dir, view, figures, List.of());
        Path work = Files.createDirectories(dir.resolve("browser"));
        String dom = browser.get().dumpDom(report, work, 1280, 900);
        Matcher body = Pattern.compile("<body([^>]*)>").matcher(dom);
        assertThat(body.find()).isTrue();
        int scroll = attribute(body.group(1), "data-scroll-width");
        int window = attribute(body.group(1), "data-window-width");
        assertThat(window).isEqualTo(1280);
        assertThat(scroll).as("the document's scroll width at a 1280-pixel window").isLessThanOrEqualTo(window);
        if (System.getProperty("plots.gallery") != null) {
            Path shot = browser.get().screenshot(report, work, 1280, 1800);
            Files.copy(shot, Path.of(System.getProperty("plots.gallery")).resolve("report-wide-1280.png"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static int attribute(String attributes, String name) {
        Matcher m = Pattern.compile(name + "=\"(\\d+)\"").matcher(attributes);
        assertThat(m.find()).as(name + " in " + attributes).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
