package org.statespace.study;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.Version;
import org.statespace.inference.Metrics;
import org.statespace.io.AtomicFiles;
import org.statespace.spec.Json;

/**
 * A study's results: one row per (model, dataset, seed), and a summary per (dataset, model) with the
 * mean and standard deviation of every metric over the seeds. Writes {@code results.json},
 * {@code results.csv}, {@code results.md}, the learning curves and the fitted specs.
 */
public final class StudyResult {
    private final StudySpec spec;
    private final List<StudyRow> rows;
    private final double seconds;
    private final int threads;
    private final String created = Instant.now().toString();

    /**
     * The aggregate of one (dataset, model) over its seeds.
     *
     * @param notConverged of the seeds that ran, how many fits stopped at their iteration limit
     */
    public record Summary(String dataset, String model, String type, String status, String reason, int seeds,
            Map<String, double[]> meanAndSd, int notConverged) {

        /** Whether every seed's fit converged (false when one stopped at its iteration limit, or none ran). */
        public boolean converged() {
            return ok() && notConverged == 0;
        }

        /** "yes", or "no (N of M seeds stopped at the iteration limit)"; empty unless ok. */
        public String convergence() {
            if (!ok()) {
                return "";
            }
            return notConverged == 0 ? "yes"
                    : "no (" + notConverged + " of " + seeds + " seed" + (seeds == 1 ? "" : "s")
                            + " stopped at the iteration limit)";
        }

        /** Mean of a metric over the seeds that ran (NaN if none). */
        public double mean(String metric) {
            double[] v = meanAndSd.get(metric);
            return v == null ? Double.NaN : v[0];
        }

        /** Sample standard deviation over the seeds (0 for one seed). */
        public double sd(String metric) {
            double[] v = meanAndSd.get(metric);
            return v == null ? Double.NaN : v[1];
        }

        public boolean ok() {
            return StudyRow.OK.equals(status);
        }
    }

    StudyResult(StudySpec spec, List<StudyRow> rows, double seconds, int threads) {
        this.spec = spec;
        this.rows = List.copyOf(rows);
        this.seconds = seconds;
        this.threads = threads;
    }

    public StudySpec spec() {
        return spec;
    }

    public List<StudyRow> rows() {
        return rows;
    }

    /** Wall-clock seconds. */
    public double seconds() {
        return seconds;
    }

    /** Per (dataset, model), in study order. */
    public List<Summary> summary() {
        Map<String, List<StudyRow>> groups = new LinkedHashMap<>();
        for (StudyRow r : rows) {
            groups.computeIfAbsent(r.dataset() + "\u0000" + r.model(), k -> new ArrayList<>()).add(r);
        }
        List<Summary> out = new ArrayList<>();
        for (List<StudyRow> group : groups.values()) {
            StudyRow first = group.get(0);
            List<StudyRow> ok = group.stream().filter(StudyRow::ok).toList();
            String status = !ok.isEmpty() ? StudyRow.OK
                    : group.stream().anyMatch(r -> StudyRow.FAILED.equals(r.status())) ? StudyRow.FAILED : StudyRow.SKIPPED;
            String reason = ok.isEmpty() ? first.reason() : "";
            if (!ok.isEmpty() && ok.size() < group.size()) {
                reason = (group.size() - ok.size()) + " of " + group.size() + " seeds failed: "
                        + group.stream().filter(r -> !r.ok()).findFirst().orElseThrow().reason();
            }
            Map<String, double[]> stats = new LinkedHashMap<>();
            if (!ok.isEmpty()) {
                for (String metric : Metrics.NAMES.keySet()) {
                    double sum = 0;
                    for (StudyRow r : ok) {
                        sum += r.metrics().get(metric);
                    }
                    double mean = sum / ok.size();
                    double ss = 0;
                    for (StudyRow r : ok) {
                        double e = r.metrics().get(metric) - mean;
                        ss += e * e;
                    }
                    double sd = ok.size() > 1 ? Math.sqrt(ss / (ok.size() - 1)) : 0;
                    stats.put(metric, new double[] {mean, Double.isNaN(mean) ? Double.NaN : sd});
                }
            }
            int notConverged = (int) ok.stream().filter(r -> !r.converged()).count();
            out.add(new Summary(first.dataset(), first.model(), first.type(), status, reason, ok.size(), stats,
                    notConverged));
        }
        return out;
    }

    /** For each dataset, the model with the highest mean predictive log-likelihood (none if nothing ran). */
    public Map<String, String> winners() {
        Map<String, String> best = new LinkedHashMap<>();
        Map<String, Double> bestValue = new LinkedHashMap<>();
        for (Summary s : summary()) {
            bestValue.putIfAbsent(s.dataset(), Double.NEGATIVE_INFINITY);
            double v = s.mean("meanLogLikelihood");
            if (s.ok() && v > bestValue.get(s.dataset())) {
                bestValue.put(s.dataset(), v);
                best.put(s.dataset(), s.model());
            }
        }
        return best;
    }

    /** Everything, with provenance: the study spec, seeds, tool version, time. */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("study", spec.name());
        ObjectNode provenance = o.putObject("provenance");
        provenance.put("tool", "statespace");
        provenance.put("version", Version.current());
        provenance.put("commit", Version.commit());
        provenance.put("java", System.getProperty("java.version"));
        provenance.put("created", created);
        provenance.put("threads", threads);
        provenance.set("seeds", Json.array());
        spec.seeds().forEach(s -> ((ArrayNode) provenance.get("seeds")).add(s));
        Json.number(provenance, "seconds", seconds);
        o.set("spec", spec.json());
        ArrayNode r = o.putArray("rows");
        rows.forEach(row -> r.add(row.toJson()));
        ArrayNode sum = o.putArray("summary");
        Map<String, String> winners = winners();
        for (Summary s : summary()) {
            ObjectNode so = sum.addObject();
            so.put("dataset", s.dataset());
            so.put("model", s.model());
            so.put("type", s.type());
            so.put("status", s.status());
            if (!s.reason().isEmpty()) {
                so.put("reason", s.reason());
            }
            so.put("seeds", s.seeds());
            so.put("best", s.model().equals(winners.get(s.dataset())));
            if (s.ok()) {
                so.put("converged", s.converged());
                if (!s.converged()) {
                    so.put("notConvergedSeeds", s.notConverged());
                }
                ObjectNode means = so.putObject("mean");
                ObjectNode sds = so.putObject("sd");
                for (String metric : Metrics.NAMES.keySet()) {
                    Json.optionalNumber(means, metric, s.mean(metric));
                    Json.optionalNumber(sds, metric, s.sd(metric));
                }
            }
        }
        return o;
    }

    /** One line per row. */
    public String toCsv() {
        StringBuilder b = new StringBuilder();
        b.append("study,dataset,model,type,seed,status,reason,method,iterations,converged,observations");
        for (String metric : Metrics.NAMES.keySet()) {
            b.append(',').append(metric);
        }
        b.append(",version\n");
        for (StudyRow r : rows) {
            b.append(csv(spec.name())).append(',').append(csv(r.dataset())).append(',').append(csv(r.model()))
                    .append(',').append(csv(r.type())).append(',').append(r.seed()).append(',').append(r.status())
                    .append(',').append(csv(r.reason())).append(',').append(r.method()).append(',')
                    .append(r.ok() ? Integer.toString(r.iterations()) : "").append(',')
                    .append(r.ok() ? Boolean.toString(r.converged()) : "").append(',')
                    .append(r.ok() ? Long.toString(r.metrics().observations()) : "");
            for (String metric : Metrics.NAMES.keySet()) {
                b.append(',');
                if (r.ok()) {
                    double v = r.metrics().get(metric);
                    if (Double.isInfinite(v)) {
                        b.append(v > 0 ? "inf" : "-inf"); // as pandas' read_csv and R's read.csv read them
                    } else if (!Double.isNaN(v)) {
                        b.append(v);
                    }
                }
            }
            b.append(',').append(Version.current()).append('\n');
        }
        return b.toString();
    }

    private static String csv(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** The summary as Markdown tables, one per dataset; the best log-likelihood in bold. */
    public String toMarkdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Study: ").append(spec.name()).append("\n\n");
        b.append("Seeds: ").append(spec.seeds()).append(". Statespace ").append(Version.current())
                .append(". Metrics on held-out data, one step ahead; mean ± sd over seeds.\n\n");
        Map<String, String> winners = winners();
        String current = null;
        for (Summary s : summary()) {
            if (!s.dataset().equals(current)) {
                current = s.dataset();
                b.append("\n## ").append(current).append("\n\n");
                b.append("| model | type | log-lik/obs | MSE | MAE | accuracy | cov 50% | cov 90% | params | BIC | fit s | converged |\n");
                b.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            }
            b.append("| ").append(s.model()).append(" | ").append(s.type()).append(" | ");
            if (!s.ok()) {
                b.append(s.status()).append(": ").append(s.reason().replace("|", "\\|")).append(" | | | | | | | | | |\n");
                continue;
            }
            String ll = pm(s, "meanLogLikelihood", 4);
            b.append(s.model().equals(winners.get(s.dataset())) ? "**" + ll + "**" : ll);
            for (String m : new String[] {"mse", "mae", "accuracy", "coverage50", "coverage90"}) {
                b.append(" | ").append(pm(s, m, 4));
            }
            b.append(" | ").append(fmt(s.mean("parameters"), 0)).append(" | ").append(fmt(s.mean("bic"), 1))
                    .append(" | ").append(fmt(s.mean("fitSeconds"), 2)).append(" | ")
                    .append(s.converged() ? s.convergence() : "**" + s.convergence() + "**").append(" |\n");
            if (!s.reason().isEmpty()) {
                b.append("| | | ").append(s.reason().replace("|", "\\|")).append(" | | | | | | | | | |\n");
            }
        }
        b.append("\nlog-lik/obs: mean predictive log-likelihood per observation in nats (higher is better). ")
                .append("cov: fraction of observations inside the central predictive interval. ")
                .append("converged: whether every seed's fit met its tolerance (or stopped early on validation data); ")
                .append("**no** marks a fit its iteration limit stopped, whose parameters are not an optimum.\n");
        return b.toString();
    }

    private static String pm(Summary s, String metric, int digits) {
        double mean = s.mean(metric);
        if (Double.isNaN(mean)) {
            return "";
        }
        double sd = s.sd(metric);
        return s.seeds() > 1 ? fmt(mean, digits) + " ± " + fmt(sd, digits) : fmt(mean, digits);
    }

    private static String fmt(double v, int digits) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e6 || a < Math.pow(10, -digits))) {
            return String.format(Locale.ROOT, "%." + Math.max(1, digits - 1) + "e", v);
        }
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    /** A compact table for the terminal. */
    public String toConsole() {
        StringBuilder b = new StringBuilder();
        Map<String, String> winners = winners();
        String line = "-".repeat(110) + "\n";
        b.append(String.format(Locale.ROOT, "%-14s %-16s %-14s %16s %11s %9s %8s %8s %8s %5s%n", "dataset", "model", "type",
                "loglik/obs", "MSE", "accuracy", "cov90", "params", "fit s", "conv"));
        boolean anyStopped = false;
        b.append(line);
        String current = null;
        for (Summary s : summary()) {
            String ds = s.dataset().equals(current) ? "" : s.dataset();
            if (!s.dataset().equals(current) && current != null) {
                b.append('\n');
            }
            current = s.dataset();
            if (!s.ok()) {
                String reason = s.reason();
                if (reason.length() > 56) {
                    reason = reason.substring(0, 55) + "~";
                }
                b.append(String.format(Locale.ROOT, "%-14s %-16s %-14s %s: %s%n", cut(ds, 14), cut(s.model(), 16),
                        cut(s.type(), 14), s.status(), reason));
                continue;
            }
            String ll = fmt(s.mean("meanLogLikelihood"), 4) + (s.model().equals(winners.get(s.dataset())) ? " *" : "  ");
            anyStopped |= !s.converged();
            b.append(String.format(Locale.ROOT, "%-14s %-16s %-14s %16s %11s %9s %8s %8s %8s %5s%n", cut(ds, 14),
                    cut(s.model(), 16), cut(s.type(), 14), ll, fmt(s.mean("mse"), 4), fmt(s.mean("accuracy"), 3),
                    fmt(s.mean("coverage90"), 3), fmt(s.mean("parameters"), 0), fmt(s.mean("fitSeconds"), 2),
                    s.converged() ? "yes" : "NO !"));
        }
        b.append(line);
        if (anyStopped) {
            b.append("NO ! the fit stopped at its iteration limit before converging (not an optimum):\n  ");
            List<String> names = new ArrayList<>();
            for (Summary s : summary()) {
                if (s.ok() && !s.converged()) {
                    names.add(s.model() + " on " + s.dataset() + " (" + s.notConverged() + "/" + s.seeds() + " seeds)");
                }
            }
            int width = 2;
            for (int i = 0; i < names.size(); i++) {
                String item = names.get(i) + (i + 1 < names.size() ? ", " : "\n");
                if (width > 0 && width + item.length() > 110) {
                    b.setLength(b.length() - 1); // the space after the comma
                    b.append("\n  ");
                    width = 2;
                }
                b.append(item);
                width += item.length();
            }
        }
        b.append("* best predictive log-likelihood per observation on the dataset (nats, held-out data); ")
                .append(String.format(Locale.ROOT, "%.1f s%n", seconds));
        return b.toString();
    }

    private static String cut(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }

    /**
     * Writes results.json, results.csv, results.md, curves/KEY.json and fitted/KEY.json under {@code dir},
     * each file atomically.
     */
    public void write(Path dir) {
        AtomicFiles.writeString(dir.resolve("results.json"), Json.write(toJson()));
        AtomicFiles.writeString(dir.resolve("results.csv"), toCsv());
        AtomicFiles.writeString(dir.resolve("results.md"), toMarkdown());
        for (StudyRow r : rows) {
            if (!r.ok()) {
                continue;
            }
            ObjectNode curve = r.curve().toJson();
            curve.put("model", r.model());
            curve.put("dataset", r.dataset());
            curve.put("seed", r.seed());
            curve.put("method", r.method());
            AtomicFiles.writeString(dir.resolve("curves").resolve(r.key() + ".json"), Json.write(curve));
            AtomicFiles.writeString(dir.resolve("fitted").resolve(r.key() + ".json"), Json.write(r.fitted()));
        }
    }
}
