package org.statespace.plots;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.statespace.Version;
import org.statespace.io.AtomicFiles;
import org.statespace.spec.Json;

/**
 * The study report: one self-contained {@code report.html} (styles, images and script inline; it loads
 * nothing from anywhere) with the results table (mean ± sd over seeds, the best model per dataset
 * marked), every chart, the study spec, seeds and versions. Charts are embedded as PNG data URIs and
 * also written as PNG and SVG files under {@code plots/}.
 *
 * <p>A small inline script marks the page once every image has loaded: {@code <body
 * data-report-ready="true" data-images-total="N" data-images-loaded="N">}, which a headless browser can
 * read back to check that the report renders.
 */
public final class StudyReport {
    /** The folder, beside report.html, that holds the chart files. */
    public static final String PLOTS = "plots";

    private StudyReport() {
    }

    /**
     * Writes {@code plots/NAME.png}, {@code plots/NAME.svg} for every figure and {@code report.html}
     * under {@code dir}; returns the report's path.
     */
    public static Path write(Path dir, StudyView view, List<Figure> figures, List<String> notes) {
        Map<Figure, String> images = new LinkedHashMap<>();
        for (Figure f : figures) {
            byte[] png = PlotFiles.png(f.drawing());
            AtomicFiles.writeBytes(dir.resolve(PLOTS).resolve(f.name() + ".png"), png);
            PlotFiles.writeSvg(f.drawing(), dir.resolve(PLOTS).resolve(f.name() + ".svg"));
            images.put(f, Base64.getEncoder().encodeToString(png));
        }
        Path report = dir.resolve("report.html");
        AtomicFiles.writeString(report, html(view, figures, images, notes));
        return report;
    }

    /** The report's HTML; {@code pngBase64} gives each figure's PNG (computed when missing). */
    static String html(StudyView view, List<Figure> figures, Map<Figure, String> pngBase64, List<String> notes) {
        StringBuilder b = new StringBuilder(1 << 16);
        String title = "Study " + view.name();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        b.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        b.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
                + "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n");
        b.append("<title>").append(esc(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n");
        b.append("<body data-report-ready=\"false\">\n<main>\n");
        b.append("<h1>").append(esc(title)).append("</h1>\n");
        String description = view.spec().path("description").asText("");
        if (!description.isEmpty()) {
            b.append("<p class=\"lead\">").append(esc(description)).append("</p>\n");
        }
        b.append("<p class=\"meta\">Statespace ").append(esc(view.provenance().path("version").asText(Version.current())))
                .append(" · Java ").append(esc(view.provenance().path("java").asText("")))
                .append(" · created ").append(esc(view.provenance().path("created").asText("")))
                .append(" · seeds ").append(esc(view.seeds().toString()))
                .append(" · ").append(esc(view.provenance().path("threads").asText(""))).append(" threads · ")
                .append(String.format(Locale.ROOT, "%.1f s", view.provenance().path("seconds").asDouble()))
                .append("</p>\n");
        b.append("<nav><a href=\"#results\">Results</a>");
        List<String> sections = new ArrayList<>();
        for (Figure f : figures) {
            if (!sections.contains(f.section())) {
                sections.add(f.section());
            }
        }
        for (String s : sections) {
            b.append(" · <a href=\"#").append(anchor(s)).append("\">").append(esc(s)).append("</a>");
        }
        b.append(" · <a href=\"#spec\">Study spec</a></nav>\n");
        results(b, view);
        for (String s : sections) {
            b.append("<section id=\"").append(anchor(s)).append("\">\n<h2>").append(esc(s)).append("</h2>\n");
            for (Figure f : figures) {
                if (!f.section().equals(s)) {
                    continue;
                }
                String png = pngBase64.get(f);
                if (png == null) {
                    png = Base64.getEncoder().encodeToString(PlotFiles.png(f.drawing()));
                }
                b.append("<figure id=\"fig-").append(esc(f.name())).append("\">\n<img src=\"data:image/png;base64,")
                        .append(png).append("\" width=\"").append(f.drawing().width()).append("\" height=\"")
                        .append(f.drawing().height()).append("\" alt=\"").append(esc(f.title())).append("\">\n")
                        .append("<figcaption><b>").append(esc(f.title())).append(".</b> ").append(esc(f.caption()))
                        .append(" <span class=\"files\">").append(PLOTS).append('/').append(esc(f.name()))
                        .append(".png, .svg</span></figcaption>\n</figure>\n");
            }
            b.append("</section>\n");
        }
        if (!notes.isEmpty()) {
            b.append("<section id=\"notes\"><h2>Notes</h2><ul>\n");
            for (String n : notes) {
                b.append("<li>").append(esc(n)).append("</li>\n");
            }
            b.append("</ul></section>\n");
        }
        b.append("<section id=\"spec\"><h2>Study spec</h2>\n<pre>").append(esc(Json.write(view.spec())))
                .append("</pre>\n<h3>Provenance</h3>\n<pre>").append(esc(Json.write(view.provenance())))
                .append("</pre>\n</section>\n");
        b.append("</main>\n<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return b.toString();
    }

    private static void results(StringBuilder b, StudyView view) {
        b.append("<section id=\"results\">\n<h2>Results</h2>\n");
        b.append("<p>Held-out one-step-ahead predictions: mean ± sd over seeds. log-lik/obs is the mean predictive "
                + "log-likelihood per observation in nats (higher is better); ★ marks the best model on each dataset. "
                + "cov 50%/90%: the share of observations inside the central predictive interval. BIC on the training "
                + "data. converged: whether every seed's fit met its tolerance; <b>no</b> marks a fit that its iteration "
                + "limit stopped, whose parameters are not an optimum.</p>\n");
        for (String dataset : view.datasets()) {
            b.append("<h3>").append(esc(dataset)).append("</h3>\n<table>\n<thead><tr><th>model</th><th>type</th>"
                    + "<th>log-lik/obs</th><th>MSE</th><th>MAE</th><th>accuracy</th><th>cov 50%</th><th>cov 90%</th>"
                    + "<th>params</th><th>BIC</th><th>fit s</th><th>seeds</th><th>converged</th></tr></thead>\n<tbody>\n");
            for (StudyView.SummaryRow s : view.summary()) {
                if (!s.dataset().equals(dataset)) {
                    continue;
                }
                b.append(s.best() ? "<tr class=\"best\">" : "<tr>");
                b.append("<td>").append(s.best() ? "★ " : "").append(esc(s.model())).append("</td><td>")
                        .append(esc(s.type())).append("</td>");
                if (!s.ok()) {
                    b.append("<td colspan=\"11\" class=\"status\">").append(esc(s.status())).append(": ")
                            .append(esc(s.reason())).append("</td></tr>\n");
                    continue;
                }
                for (String m : new String[] {"meanLogLikelihood", "mse", "mae", "accuracy", "coverage50", "coverage90"}) {
                    b.append("<td class=\"num\">").append(pm(s, m)).append("</td>");
                }
                b.append("<td class=\"num\">").append(number(s.mean("parameters"), 0)).append("</td><td class=\"num\">")
                        .append(number(s.mean("bic"), 1)).append("</td><td class=\"num\">")
                        .append(number(s.mean("fitSeconds"), 2)).append("</td><td class=\"num\">").append(s.seeds())
                        .append("</td>").append(s.converged() ? "<td class=\"converged\">yes</td>"
                                : "<td class=\"not-converged\"><b>no</b>: " + s.notConvergedSeeds() + " of " + s.seeds()
                                        + " stopped at the iteration limit</td>")
                        .append("</tr>\n");
                if (!s.reason().isEmpty()) {
                    b.append("<tr><td></td><td colspan=\"12\" class=\"status\">").append(esc(s.reason()))
                            .append("</td></tr>\n");
                }
            }
            b.append("</tbody>\n</table>\n");
        }
        b.append("</section>\n");
    }

    private static String pm(StudyView.SummaryRow s, String metric) {
        double mean = s.mean(metric);
        if (Double.isNaN(mean)) {
            return "";
        }
        double sd = s.sd(metric);
        return s.seeds() > 1 && Double.isFinite(sd) ? number(mean, 4) + " ± " + number(sd, 4) : number(mean, 4);
    }

    static String number(double v, int digits) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "−∞";
        }
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e6 || a < Math.pow(10, -digits))) {
            return String.format(Locale.ROOT, "%." + Math.max(1, digits - 1) + "e", v);
        }
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String anchor(String section) {
        return "s-" + Figure.safeName(section.toLowerCase(Locale.ROOT));
    }

    private static final String CSS = """
            body { margin: 0; background: #fafafa; color: #222;
                   font: 15px/1.5 "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; }
            main { max-width: 1000px; margin: 0 auto; padding: 24px 20px 60px; background: #fff; }
            h1 { font-size: 26px; margin: 0 0 6px; }
            h2 { font-size: 21px; margin: 34px 0 10px; border-bottom: 2px solid #e3e3e3; padding-bottom: 4px; }
            h3 { font-size: 17px; margin: 20px 0 6px; }
            .lead { font-size: 16px; color: #333; margin: 4px 0; }
            .meta { color: #666; font-size: 13px; }
            nav { font-size: 14px; margin: 10px 0 0; }
            a { color: #0b5ea8; text-decoration: none; }
            table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 4px 0 12px; }
            th, td { border-bottom: 1px solid #e5e5e5; padding: 4px 6px; text-align: left; white-space: nowrap; }
            th { background: #f3f5f8; font-weight: 600; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            td.status { color: #8a4b00; white-space: normal; }
            td.not-converged { color: #a40000; white-space: normal; }
            tr.best td { background: #eaf5ea; font-weight: 600; }
            figure { margin: 18px 0 26px; }
            figure img { display: block; max-width: 100%; height: auto; border: 1px solid #eee; }
            figcaption { font-size: 13px; color: #444; margin-top: 6px; }
            .files { color: #888; font-family: "DejaVu Sans Mono", monospace; font-size: 12px; }
            pre { background: #f6f8fa; border: 1px solid #e5e5e5; padding: 10px; font-size: 12px; overflow-x: auto; }
            """;

    /** Marks the body once every image has loaded (or failed): what the headless-browser check reads. */
    private static final String SCRIPT = """
            window.addEventListener('load', function () {
              var images = document.images, loaded = 0, failed = [];
              for (var i = 0; i < images.length; i++) {
                var img = images[i];
                if (img.complete && img.naturalWidth > 0 && img.naturalHeight > 0) { loaded++; }
                else { failed.push(img.alt); }
              }
              document.body.setAttribute('data-images-total', String(images.length));
              document.body.setAttribute('data-images-loaded', String(loaded));
              document.body.setAttribute('data-images-failed', failed.join(' | '));
              document.body.setAttribute('data-report-ready', 'true');
            });
            """;
}
