package org.statespace.plots;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.statespace.Version;
import org.statespace.inference.Parallel;
import org.statespace.io.AtomicFiles;
import org.statespace.spec.Json;

/**
 * The study report: one self-contained {@code report.html} (styles, images and script inline; it loads
 * nothing from anywhere) with the results table (mean ± sd over seeds, the best model per dataset
 * marked, numbers to four significant digits and spreads to two), an opening summary of who wins each
 * dataset, every chart, the study spec, seeds and versions. Charts are embedded as 8-bit indexed PNG data URIs
 * ({@link PlotFiles#compactPng}, so the page stays small) and the same PNGs are written under {@code plots/}
 * (with SVG files beside them when asked), on the study's threads. The table's score columns are the study's
 * metrics ({@link Metrics#columns}): a new score in results.json gets a column of its own.
 *
 * <p>A small inline script marks the page once every image has loaded: {@code <body
 * data-report-ready="true" data-images-total="N" data-images-loaded="N">}, which a headless browser can
 * read back to check that the report renders; it also records {@code data-scroll-width} (the document's
 * scroll width) and {@code data-window-width}, so a check can see that nothing scrolls sideways.
 */
public final class StudyReport {
    /** The folder, beside report.html, that holds the chart files. */
    public static final String PLOTS = "plots";

    private StudyReport() {
    }

    /**
     * Writes {@code plots/NAME.png} for every figure and {@code report.html} under {@code dir}, encoding the
     * figures on the study's threads; returns the report's path.
     */
    public static Path write(Path dir, StudyView view, List<Figure> figures, List<String> notes) {
        return write(dir, view, figures, notes, threads(view), Double.NaN, false);
    }

    /**
     * As {@link #write(Path, StudyView, List, List)}, on {@code threads} threads, with {@code plots/NAME.svg}
     * too when {@code svg}; {@code drawSeconds} (the time spent building the charts, NaN when unknown) is added
     * to the time spent encoding them in the report's line on how long the charts took. Each figure is painted
     * once: the compact PNG ({@link PlotFiles#compactPng}) is both the embedded image and the file.
     */
    static Path write(Path dir, StudyView view, List<Figure> figures, List<String> notes, int threads,
            double drawSeconds, boolean svg) {
        long start = System.nanoTime();
        Map<Figure, String> images = new LinkedHashMap<>();
        List<String> encoded = Parallel.map(figures, threads, f -> {
            byte[] png = PlotFiles.compactPng(f.drawing());
            AtomicFiles.writeBytes(dir.resolve(PLOTS).resolve(f.name() + ".png"), png);
            if (svg) {
                PlotFiles.writeSvg(f.drawing(), dir.resolve(PLOTS).resolve(f.name() + ".svg"));
            }
            return pngDataUri(png);
        });
        for (int i = 0; i < figures.size(); i++) {
            images.put(figures.get(i), encoded.get(i));
        }
        double encodeSeconds = (System.nanoTime() - start) / 1e9;
        Path report = dir.resolve("report.html");
        AtomicFiles.writeString(report, html(view, figures, images, notes, new double[] {drawSeconds, encodeSeconds},
                threads, svg));
        return report;
    }

    /** The thread count the study ran with (1 when it does not say). */
    static int threads(StudyView view) {
        return Math.max(1, view.provenance().path("threads").asInt(1));
    }

    /** PNG bytes as a data URI for an {@code <img>} (the Content-Security-Policy allows images from data: only). */
    static String pngDataUri(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    /** The report's HTML; {@code images} gives each figure's data URI (a compact PNG is computed when missing). */
    static String html(StudyView view, List<Figure> figures, Map<Figure, String> images, List<String> notes) {
        return html(view, figures, images, notes, null, 1, false);
    }

    /**
     * {@code chartSeconds}: the seconds spent building the charts (model runs) and encoding them, or null;
     * {@code svg}: whether plots/ holds SVG files beside the PNGs.
     */
    static String html(StudyView view, List<Figure> figures, Map<Figure, String> images, List<String> notes,
            double[] chartSeconds, int threads, boolean svg) {
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
                .append(String.format(Locale.ROOT, "%.1f s", view.provenance().path("seconds").asDouble()));
        if (chartSeconds != null) {
            b.append(" · charts ").append(figures.size()).append(" in ");
            if (!Double.isNaN(chartSeconds[0])) {
                b.append(String.format(Locale.ROOT, "%.1f s building (model runs) + ", chartSeconds[0]));
            }
            b.append(String.format(Locale.ROOT, "%.1f s encoding (%s)", chartSeconds[1], svg ? "PNG, SVG" : "PNG"))
                    .append(" on ")
                    .append(threads).append(threads == 1 ? " thread" : " threads");
        }
        b.append("</p>\n");
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
        summary(b, view);
        results(b, view);
        for (String s : sections) {
            b.append("<section id=\"").append(anchor(s)).append("\">\n<h2>").append(esc(s)).append("</h2>\n");
            for (Figure f : figures) {
                if (!f.section().equals(s)) {
                    continue;
                }
                String uri = images.get(f);
                if (uri == null) {
                    uri = pngDataUri(PlotFiles.compactPng(f.drawing()));
                }
                b.append("<figure id=\"fig-").append(esc(f.name())).append("\">\n<img src=\"")
                        .append(uri).append("\" width=\"").append(f.drawing().width()).append("\" height=\"")
                        .append(f.drawing().height()).append("\" alt=\"").append(esc(f.title())).append("\">\n")
                        .append("<figcaption><b>").append(esc(f.title())).append(".</b> ").append(esc(f.caption()))
                        .append(" <span class=\"files\">").append(PLOTS).append('/').append(esc(f.name()))
                        .append(svg ? ".png, .svg" : ".png").append("</span></figcaption>\n</figure>\n");
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

    /**
     * The opening summary: per dataset, which model has the best primary score and whether the win is real. The
     * study's paired Diebold-Mariano verdict ({@code best}, {@code tied}, {@code pValue} in results.json) decides
     * when the study ran it; for results without it, the gap against the spread over seeds: a gap of more than
     * twice the combined sd of the two models is a win, a smaller one a tie; with one seed there is no spread,
     * and the summary says so.
     */
    private static void summary(StringBuilder b, StudyView view) {
        List<String> lines = summaryLines(view);
        if (lines.isEmpty()) {
            return;
        }
        b.append("<section id=\"summary\">\n<h2>Summary</h2>\n<ul class=\"summary\">\n");
        for (String line : lines) {
            b.append("<li>").append(line).append("</li>\n");
        }
        b.append("</ul>\n<p class=\"note\">By held-out log score per observation (the dataset's score: log density, "
                + "discretised log score for counts, log mass for symbols). Where the study ran its paired test "
                + "(Diebold-Mariano on per-step score differences, at the study's level), a win is a significant one and "
                + "otherwise the leaders are tied. Without it (results of an older study), a win means the gap to the next "
                + "model is more than twice the spread over seeds (the two sds combined); a model fitted in closed form "
                + "gives the same score for every seed, and then only the gap is said.</p>\n</section>\n");
    }

    /** One HTML line per dataset with a primary score (see {@link #summary}). */
    static List<String> summaryLines(StudyView view) {
        List<String> out = new ArrayList<>();
        for (String dataset : view.datasets()) {
            // the study's own score for the dataset (what its paired test compared) when it has one
            String score = view.summary().stream().anyMatch(s -> s.dataset().equals(dataset) && s.ok()
                    && Double.isFinite(s.mean(Metrics.STUDY_SCORE))) ? Metrics.STUDY_SCORE : Metrics.PRIMARY;
            List<StudyView.SummaryRow> ranked = new ArrayList<>();
            for (StudyView.SummaryRow s : view.summary()) {
                if (s.dataset().equals(dataset) && s.ok() && Double.isFinite(s.mean(score))) {
                    ranked.add(s);
                }
            }
            if (ranked.isEmpty()) {
                continue;
            }
            ranked.sort((x, y) -> Double.compare(y.mean(score), x.mean(score)));
            StudyView.SummaryRow best = ranked.get(0);
            String on = "on <b>" + esc(dataset) + "</b> ";
            if (ranked.size() == 1) {
                out.add(on + esc(best.model()) + " is the only model scored (" + sig(best.mean(score), 4)
                        + " nats/obs)");
                continue;
            }
            StudyView.SummaryRow second = ranked.get(1);
            double gap = best.mean(score) - second.mean(score);
            if (ranked.stream().anyMatch(r -> r.tied() || Double.isFinite(r.pValue()))) {
                // the study ran its paired test (Diebold-Mariano on per-step log scores): its verdict, not the seeds'
                if (best.best()) {
                    out.add(on + esc(best.model()) + " wins by " + sig(gap, 2) + " nats/obs over " + esc(second.model())
                            + ", significant (paired Diebold-Mariano test, p " + pText(best.pValue()) + ")");
                } else {
                    List<String> tied = new ArrayList<>();
                    for (StudyView.SummaryRow r : ranked) {
                        if (r == best || r.tied()) {
                            tied.add(esc(r.model()));
                        }
                    }
                    out.add(on + String.join(tied.size() == 2 ? " and " : ", ", tied) + (tied.size() == 1 ? " leads" : " are tied")
                            + " (" + esc(best.model()) + " leads by " + sig(gap, 2) + " nats/obs, not significant: paired "
                            + "Diebold-Mariano test, p " + pText(best.pValue()) + ")");
                }
                continue;
            }
            if (best.seeds() < 2 || second.seeds() < 2) {
                out.add(on + esc(best.model()) + " leads " + esc(second.model()) + " by " + sig(gap, 2)
                        + " nats/obs (one seed: no spread to judge the gap by)");
                continue;
            }
            if (spread(best, second) == 0) {
                out.add(on + esc(best.model()) + " leads " + esc(second.model()) + " by " + sig(gap, 2)
                        + " nats/obs (every seed gave the same scores, so the seeds cannot judge the gap)");
                continue;
            }
            List<String> tied = new ArrayList<>(List.of(esc(best.model())));
            for (StudyView.SummaryRow r : ranked.subList(1, ranked.size())) {
                if (best.mean(score) - r.mean(score) <= 2 * spread(best, r)) {
                    tied.add(esc(r.model()));
                }
            }
            if (tied.size() == 1) {
                out.add(on + esc(best.model()) + " wins by " + sig(gap, 2) + " nats/obs over " + esc(second.model())
                        + " (more than twice the spread over seeds, " + sig(spread(best, second), 2) + ")");
            } else {
                out.add(on + String.join(tied.size() == 2 ? " and " : ", ", tied) + " are tied (" + esc(best.model())
                        + " leads by " + sig(gap, 2) + " nats/obs, within twice the spread over seeds)");
            }
        }
        return out;
    }

    private static String pText(double p) {
        return !Double.isFinite(p) ? "not computed" : p < 1e-4 ? "< 0.0001" : "= " + sig(p, 2);
    }

    private static double spread(StudyView.SummaryRow a, StudyView.SummaryRow b) {
        double sa = Double.isFinite(a.sd(Metrics.PRIMARY)) ? a.sd(Metrics.PRIMARY) : 0;
        double sb = Double.isFinite(b.sd(Metrics.PRIMARY)) ? b.sd(Metrics.PRIMARY) : 0;
        return Math.sqrt(sa * sa + sb * sb);
    }

    private static void results(StringBuilder b, StudyView view) {
        b.append("<section id=\"results\">\n<h2>Results</h2>\n");
        b.append("<p>").append(columnsText(view)).append("</p>\n");
        for (String dataset : view.datasets()) {
            List<StudyView.SummaryRow> rows = view.summary().stream().filter(s -> s.dataset().equals(dataset))
                    .toList();
            List<Metrics> columns = Metrics.columns(rows);
            int width = columns.size() + 5;
            b.append("<h3>").append(esc(dataset)).append("</h3>\n<table>\n<thead><tr><th>model</th><th>type</th>");
            for (Metrics m : columns) {
                b.append("<th>").append(esc(m.header()).replaceAll("([a-z])([A-Z])", "$1<wbr>$2")).append("</th>");
            }
            b.append("<th>params</th><th>BIC</th><th>fit s</th><th>seeds</th><th>converged</th></tr></thead>\n"
                    + "<tbody>\n");
            for (StudyView.SummaryRow s : rows) {
                b.append(s.best() ? "<tr class=\"best\">" : "<tr>");
                b.append("<td>").append(s.best() ? "★ " : "").append(esc(s.model())).append("</td><td>")
                        .append(esc(s.type())).append("</td>");
                if (!s.ok()) {
                    b.append("<td colspan=\"").append(width).append("\" class=\"status\">").append(esc(s.status()))
                            .append(": ").append(esc(s.reason())).append("</td></tr>\n");
                    continue;
                }
                for (Metrics m : columns) {
                    b.append("<td class=\"num\">").append(pm(s, m.name())).append("</td>");
                }
                b.append("<td class=\"num\">").append(integer(s.mean("parameters"))).append("</td><td class=\"num\">")
                        .append(sig(s.mean("bic"), 4)).append("</td><td class=\"num\">")
                        .append(sig(s.mean("fitSeconds"), 2)).append("</td><td class=\"num\">").append(s.seeds())
                        .append("</td>").append(s.converged() ? "<td class=\"converged\">yes</td>"
                                : "<td class=\"not-converged\"><b>no</b>: " + s.notConvergedSeeds() + " of " + s.seeds()
                                        + " stopped at the iteration limit</td>")
                        .append("</tr>\n");
                if (!s.reason().isEmpty()) {
                    b.append("<tr><td></td><td colspan=\"").append(width + 1).append("\" class=\"status\">")
                            .append(esc(s.reason())).append("</td></tr>\n");
                }
            }
            b.append("</tbody>\n</table>\n");
        }
        b.append("</section>\n");
    }

    /**
     * The paragraph above the tables, said from the columns the tables have: each score column's header with
     * what it measures and which way is better, then the fixed columns.
     */
    static String columnsText(StudyView view) {
        List<Metrics> columns = new ArrayList<>();
        for (String dataset : view.datasets()) {
            for (Metrics m : Metrics.columns(view.summary().stream().filter(x -> x.dataset().equals(dataset)).toList())) {
                if (columns.stream().noneMatch(c -> c.header().equals(m.header()))) {
                    columns.add(m);
                }
            }
        }
        StringBuilder b = new StringBuilder("Held-out one-step-ahead predictions: the mean over seeds, with ± one sd "
                + "over seeds below it; numbers have four significant digits, spreads two.");
        for (Metrics m : columns) {
            b.append(" <b>").append(esc(m.header())).append("</b>: ");
            if (m.name().equals(Metrics.STUDY_SCORE)) {
                b.append("the mean log score per held-out observation in nats, the one the dataset's support calls for "
                        + "(the log density on real values, the discretised log score on counts, the log mass on "
                        + "symbols, as named above the dataset's table in the terminal and in results.md; higher is "
                        + "better)");
            } else {
                b.append(esc(m.label()));
            }
            if (m.higherBetter() != null && !m.name().equals(Metrics.STUDY_SCORE)) {
                b.append(m.higherBetter() ? " (higher is better)" : " (lower is better)");
            }
            b.append('.');
        }
        b.append(" ★ marks the model that the study's paired Diebold-Mariano test finds better than every other on "
                + "its dataset (no mark when the leaders are tied; the summary above says which). params: free "
                + "parameters; BIC on the training data; fit s: seconds of fitting. converged: whether every seed's "
                + "fit met its tolerance; <b>no</b> marks a fit that its iteration limit stopped, whose parameters "
                + "are not an optimum.");
        return b.toString();
    }

    /** Mean (four significant digits) with ± sd (two) on a line of its own when there are several seeds. */
    private static String pm(StudyView.SummaryRow s, String metric) {
        double mean = s.mean(metric);
        if (Double.isNaN(mean)) {
            return "";
        }
        double sd = s.sd(metric);
        if (s.seeds() > 1 && Double.isFinite(sd)) {
            String[] both = meanAndSd(mean, sd);
            return both[0] + "<br><span class=\"sd\">± " + both[1] + "</span>";
        }
        return sig(mean, 4);
    }

    /**
     * A mean and its sd in one format: the sd to two significant digits, the mean to the same decimal place
     * (at most four significant digits, so a tiny sd does not pad the mean with zeros).
     */
    static String[] meanAndSd(double mean, double sd) {
        String s = sig(sd, 2);
        if (!(sd > 0) || Double.isInfinite(sd) || !Double.isFinite(mean) || plain(sd) == null || plain(mean) == null) {
            return new String[] {sig(mean, 4), s};
        }
        int sdDecimals = decimals(sd, 2);
        int meanDecimals = Math.min(sdDecimals, decimals(mean, 4));
        return new String[] {fixed(mean, meanDecimals), s};
    }

    /**
     * {@code v} to {@code digits} significant digits: plain between 0.001 and 100 000, otherwise as 1.23e-8;
     * 0 as "0", NaN as "" and infinities as ∞ and −∞.
     */
    static String sig(double v, int digits) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "−∞";
        }
        if (v == 0) {
            return "0";
        }
        if (plain(v) == null) {
            String e = String.format(Locale.ROOT, "%." + (digits - 1) + "e", v); // 1.23e-08
            int at = e.indexOf('e');
            int exponent = Integer.parseInt(e.substring(at + 1));
            return minus(e.substring(0, at)) + "e" + (exponent < 0 ? "−" : "") + Math.abs(exponent);
        }
        return fixed(v, decimals(v, digits));
    }

    /** A count: plain digits when it is a whole number, else as {@link #sig}. */
    static String integer(double v) {
        return Double.isFinite(v) && v == Math.rint(v) && Math.abs(v) < 1e15 ? minus(Long.toString((long) v))
                : sig(v, 4);
    }

    /** Whether {@code v} is written plain (not in e-notation), as a non-null marker. */
    private static Boolean plain(double v) {
        double a = Math.abs(v);
        return a == 0 || (a >= 1e-3 && a < 1e5) ? Boolean.TRUE : null;
    }

    /** Decimal places that give {@code digits} significant digits (after rounding); negative rounds to tens, .... */
    private static int decimals(double v, int digits) {
        double a = Math.abs(v);
        if (a == 0) {
            return 0;
        }
        int exponent = (int) Math.floor(Math.log10(a));
        // rounding may carry into the next power of ten (0.0999 to 2 digits is 0.10)
        double rounded = new java.math.BigDecimal(a).round(new java.math.MathContext(digits)).doubleValue();
        exponent = (int) Math.floor(Math.log10(rounded));
        return digits - 1 - exponent;
    }

    private static String fixed(double v, int decimals) {
        if (decimals < 0) {
            return minus(new java.math.BigDecimal(v).setScale(decimals, java.math.RoundingMode.HALF_EVEN).toPlainString());
        }
        return minus(String.format(Locale.ROOT, "%." + decimals + "f", v));
    }

    /** A typographic minus, as the tables use. */
    private static String minus(String s) {
        return s.startsWith("-") ? "−" + s.substring(1) : s;
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
            main { max-width: 1180px; box-sizing: border-box; margin: 0 auto; padding: 24px 20px 60px; background: #fff; }
            h1 { font-size: 26px; margin: 0 0 6px; }
            h2 { font-size: 21px; margin: 34px 0 10px; border-bottom: 2px solid #e3e3e3; padding-bottom: 4px; }
            h3 { font-size: 17px; margin: 20px 0 6px; }
            .lead { font-size: 16px; color: #333; margin: 4px 0; }
            .meta { color: #666; font-size: 13px; }
            nav { font-size: 14px; margin: 10px 0 0; }
            a { color: #0b5ea8; text-decoration: none; }
            table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 4px 0 12px; }
            th, td { border-bottom: 1px solid #e5e5e5; padding: 4px 5px; text-align: left; vertical-align: top;
                     overflow-wrap: break-word; }
            th { background: #f3f5f8; font-weight: 600; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            td.num .sd { color: #666; font-size: 12px; }
            ul.summary { font-size: 16px; }
            .note { color: #555; font-size: 13px; }
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
              document.body.setAttribute('data-scroll-width', String(document.scrollingElement.scrollWidth));
              document.body.setAttribute('data-window-width', String(window.innerWidth));
              document.body.setAttribute('data-report-ready', 'true');
            });
            """;
}
