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
import org.statespace.data.Support;
import org.statespace.inference.MetricDescriptor;
import org.statespace.inference.Metrics;
import org.statespace.io.AtomicFiles;
import org.statespace.spec.Json;

/**
 * A study's results: one row per (model, dataset, seed), and a summary per (dataset, model) with the
 * mean and standard deviation of every metric and proper score over the seeds. Writes {@code results.json},
 * {@code results.csv}, {@code results.md}, the learning curves and the fitted specs.
 *
 * <p><b>Which score.</b> Per dataset the log score follows its {@link Support} ({@link DatasetScoring}):
 * on counts every prediction is scored by the mass it gives the observation (the discretised log score
 * log(F(y + 1/2) - F(y - 1/2)) for a continuous prediction), on symbols by the log mass, on real data by
 * the log density (and models of counts or symbols are skipped). Steps in the diffuse period of any
 * model's exact diffuse start and the study's {@code "burn"} first held-out steps are left out of every
 * score, for every model alike.
 *
 * <p><b>Is the best model better?</b> Per dataset the model with the highest mean log score over its
 * seeds is compared with every other model that ran by a Diebold-Mariano test
 * ({@link PairedTest#dieboldMariano(double[])}) on the per-step log-score differences. Seeds are pooled by
 * averaging: for the seeds both models ran, d(t) = mean over seeds of (score_best,seed(t) - score_other,seed(t)),
 * one difference per held-out step, so the test's T is the number of held-out steps and its variance
 * is the variation over the data (refitting with another seed does not make new data; stacking seeds
 * as extra steps would overstate T). The model is marked {@code best} only when every such test rejects
 * at the study's significance level with a positive mean difference; otherwise it and every model it does
 * not beat significantly are marked {@code tied}. A test that cannot be made (fewer than two steps, a
 * non-finite score, no seed in common) counts as not significant.
 */
public final class StudyResult {
    /**
     * Steps of the shown sequence a report draws at most (its end: the held-out part and the steps before it),
     * and so the steps of it a study keeps for the report ({@link #shownStates}).
     */
    public static final int SHOWN_STEPS = 300;

    /** The mark of a model significantly better than every other on its dataset. */
    public static final String BEST = "best";
    /** The mark of the highest-scoring model when not significantly better, and of those it does not beat. */
    public static final String TIED = "tied";

    /**
     * How a dataset was scored.
     *
     * @param support      what its values are
     * @param declared     whether the dataset declared its support (else inferred)
     * @param logScore     the log score used: "log density", "discretised log score" or "log mass"
     * @param split        the split it got
     * @param burn         first held-out steps of every part left out
     * @param diffuseSteps held-out steps left out because some model's exact diffuse start had not ended
     */
    public record DatasetScoring(Support support, boolean declared, String logScore, StudySpec.Split split, int burn,
            long diffuseSteps) {

        /** One line: "counts (inferred): discretised log score; 80% by time; burn 0; 0 diffuse steps left out". */
        public String describe() {
            return support.jsonName() + " (" + (declared ? "declared" : "inferred") + "): " + logScore + "; "
                    + String.format(Locale.ROOT, "%.3g", split.train() * 100).replaceAll("\\.?0+$", "") + "% "
                    + (split.bySequence() ? "of sequences" : "of each sequence") + " for training; burn-in "
                    + burn + " step" + (burn == 1 ? "" : "s") + "; " + diffuseSteps + " diffuse step"
                    + (diffuseSteps == 1 ? "" : "s") + " left out";
        }
    }

    private final StudySpec spec;
    private final Map<String, DatasetScoring> scoring;
    private final List<StudyRow> rows;
    private final double seconds;
    private final int threads;
    private final Map<String, org.statespace.StateSpaceModel<?, ?>> fittedModels;
    private final Map<String, ShownPredictions> shownPredictions;
    private final Map<String, ShownStates> shownStates;
    private final String created = Instant.now().toString();

    /**
     * The aggregate of one (dataset, model) over its seeds.
     *
     * @param notConverged of the seeds that ran, how many fits stopped at their iteration limit
     * @param mark         {@link #BEST}, {@link #TIED} or empty (see the class comment)
     * @param pValue       for the highest-scoring model the largest p-value of its paired tests, for another
     *                     the p-value of the test against it; NaN when there is none, or when a test could not
     *                     be made (then the top model is marked tied)
     */
    public record Summary(String dataset, String model, String type, String status, String reason, int seeds,
            Map<String, double[]> meanAndSd, int notConverged, String mark, double pValue) {

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

    /**
     * One result from the results of parts of {@code spec} that each ran some of its datasets (for example
     * one dataset per Spark task): rows in the order of the spec's datasets, each dataset's scoring kept.
     * The parts' own specs are not consulted; every dataset of {@code spec} must be in exactly one part.
     *
     * @param rowsByDataset  each dataset's rows, by dataset name
     * @param scoringByDataset each dataset's scoring, by dataset name
     * @param seconds        the wall time of the whole study
     * @param threads        threads the study used in all (for the record)
     */
    public static StudyResult assemble(StudySpec spec, Map<String, List<StudyRow>> rowsByDataset,
            Map<String, DatasetScoring> scoringByDataset, double seconds, int threads) {
        List<StudyRow> rows = new ArrayList<>();
        for (StudySpec.DatasetEntry d : spec.datasets()) {
            List<StudyRow> part = rowsByDataset.get(d.name());
            if (part == null || !scoringByDataset.containsKey(d.name())) {
                throw new IllegalArgumentException("no result for dataset \"" + d.name() + "\"");
            }
            rows.addAll(part);
        }
        return new StudyResult(spec, rows, scoringByDataset, seconds, threads);
    }

    StudyResult(StudySpec spec, List<StudyRow> rows, Map<String, DatasetScoring> scoring, double seconds, int threads) {
        this(spec, rows, scoring, seconds, threads, Map.of(), Map.of(), Map.of());
    }

    StudyResult(StudySpec spec, List<StudyRow> rows, Map<String, DatasetScoring> scoring, double seconds, int threads,
            Map<String, org.statespace.StateSpaceModel<?, ?>> fittedModels,
            Map<String, ShownPredictions> shownPredictions, Map<String, ShownStates> shownStates) {
        this.shownPredictions = Map.copyOf(shownPredictions);
        this.shownStates = Map.copyOf(shownStates);
        this.spec = spec;
        this.scoring = Map.copyOf(scoring);
        this.rows = List.copyOf(rows);
        this.seconds = seconds;
        this.threads = threads;
        this.fittedModels = Map.copyOf(fittedModels);
    }

    /**
     * The fitted model of a row of the run that made this result (keyed by {@link StudyRow#key()}), so charts
     * need not read it back from its spec; empty for a row that did not run. The spec is in {@link StudyRow#fitted()}.
     */
    public java.util.Optional<org.statespace.StateSpaceModel<?, ?>> fittedModel(StudyRow row) {
        return java.util.Optional.ofNullable(fittedModels.get(row.key()));
    }

    /**
     * The one-step-ahead predictive summaries of the sequence a report draws for a dataset ({@link #shownSequence}),
     * kept from the evaluation run that scored the row, for the first seed that ran of each model when the study ran
     * for a report ({@link Study#run(StudySpec, DatasetResolver, int, StudyListener, boolean)}); written into
     * results.json with the row ({@code "shownPredictions"}), so the report's prediction figure needs no second
     * run, from the study or from the file.
     */
    public java.util.Optional<ShownPredictions> shownPredictions(StudyRow row) {
        return java.util.Optional.ofNullable(shownPredictions.get(row.key()));
    }

    /**
     * The smoothed state probabilities and Viterbi path of the sequence a report draws, kept by the study for the
     * first seed that ran of each model with discrete hidden states when it ran for a report
     * ({@link Study#run(StudySpec, DatasetResolver, int, StudyListener, boolean)}); written into results.json
     * with the row ({@code "shownStates"}), so a report drawn from the file needs no smoother run either.
     */
    public java.util.Optional<ShownStates> shownStates(StudyRow row) {
        return java.util.Optional.ofNullable(shownStates.get(row.key()));
    }

    /**
     * The index of the sequence a report draws of a dataset's evaluation part (the whole data for a split in time,
     * the held-out sequences for a split by sequence): the first that carries its true hidden states, so the
     * posterior chart can show the true path, else the first.
     */
    public static int shownSequence(org.statespace.data.Dataset evaluation) {
        for (int i = 0; i < evaluation.size(); i++) {
            if (evaluation.sequence(i).hasStates()) {
                return i;
            }
        }
        return 0;
    }

    public StudySpec spec() {
        return spec;
    }

    public List<StudyRow> rows() {
        return rows;
    }

    /** How a dataset was scored (null for a name not in the study). */
    public DatasetScoring scoring(String dataset) {
        return scoring.get(dataset);
    }

    /** The proper scores in table order ({@link MetricDescriptor}'s), for coverage levels {@code levels}. */
    public static List<String> scoreNames(double[] levels) {
        List<String> names = new ArrayList<>();
        boolean coverage = false;
        for (MetricDescriptor d : MetricDescriptor.values()) {
            if (d.isStudyCoverage()) {
                if (!coverage) {
                    for (double l : levels) {
                        names.add(coverageName(l));
                    }
                    coverage = true;
                }
            } else if (d.isProperScore()) {
                names.add(d.key());
            }
        }
        return names;
    }

    /** The score name of the coverage at a level: {@code coverageAt95} for 0.95, {@code coverageAt97.5} for 0.975. */
    public static String coverageName(double level) {
        return "coverageAt" + percent(level);
    }

    static String percent(double level) {
        String p = String.format(Locale.ROOT, "%.6f", level * 100).replaceAll("0+$", "");
        return p.endsWith(".") ? p.substring(0, p.length() - 1) : p;
    }

    private List<String> scoreNames() {
        return scoreNames(spec.scoring().levels());
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
                for (String score : scoreNames()) {
                    double[] values = new double[ok.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = ok.get(i).score(score);
                    }
                    stats.put(score, meanAndSd(values));
                }
            }
            int notConverged = (int) ok.stream().filter(r -> !r.converged()).count();
            out.add(new Summary(first.dataset(), first.model(), first.type(), status, reason, ok.size(), stats,
                    notConverged, "", Double.NaN));
        }
        return marked(out);
    }

    private static double[] meanAndSd(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / values.length;
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double sd = values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : 0;
        return new double[] {mean, Double.isNaN(mean) ? Double.NaN : sd};
    }

    // the best/tied marks and p-values of the class comment
    private List<Summary> marked(List<Summary> summaries) {
        List<Summary> out = new ArrayList<>(summaries);
        Map<String, Integer> best = new LinkedHashMap<>();
        for (int i = 0; i < out.size(); i++) {
            Summary s = out.get(i);
            double v = s.mean("meanLogScore");
            Integer b = best.get(s.dataset());
            if (s.ok() && !Double.isNaN(v) && (b == null || v > out.get(b).mean("meanLogScore"))) {
                best.put(s.dataset(), i);
            }
        }
        for (Map.Entry<String, Integer> e : best.entrySet()) {
            Summary top = out.get(e.getValue());
            boolean allSignificant = true;
            double largest = Double.NaN;
            for (int i = 0; i < out.size(); i++) {
                Summary s = out.get(i);
                if (i == e.getValue() || !s.ok() || !s.dataset().equals(e.getKey())) {
                    continue;
                }
                PairedTest test = pairedTest(e.getKey(), top.model(), s.model());
                double p = test == null ? Double.NaN : test.pValue();
                boolean significant = test != null && test.meanDifference() > 0
                        && test.significantAt(spec.scoring().significance());
                allSignificant &= significant;
                largest = Double.isNaN(largest) || !(p <= largest) ? p : largest;
                out.set(i, with(s, significant ? "" : TIED, p));
            }
            out.set(e.getValue(), with(top, allSignificant ? BEST : TIED, largest));
        }
        return out;
    }

    private static Summary with(Summary s, String mark, double p) {
        return new Summary(s.dataset(), s.model(), s.type(), s.status(), s.reason(), s.seeds(), s.meanAndSd(),
                s.notConverged(), mark, p);
    }

    /**
     * The Diebold-Mariano test of model {@code a} against model {@code b} on a dataset, on per-step log-score
     * differences a - b averaged over the seeds both ran (see the class comment); null when it cannot be made.
     */
    public PairedTest pairedTest(String dataset, String a, String b) {
        Map<Long, double[]> left = new LinkedHashMap<>();
        Map<Long, double[]> right = new LinkedHashMap<>();
        for (StudyRow r : rows) {
            if (r.ok() && r.dataset().equals(dataset) && r.stepLogScores() != null) {
                if (r.model().equals(a)) {
                    left.put(r.seed(), r.stepLogScores());
                } else if (r.model().equals(b)) {
                    right.put(r.seed(), r.stepLogScores());
                }
            }
        }
        double[] d = null;
        int seeds = 0;
        for (Map.Entry<Long, double[]> e : left.entrySet()) {
            double[] x = e.getValue();
            double[] y = right.get(e.getKey());
            if (y == null || y.length != x.length) {
                continue;
            }
            if (d == null) {
                d = new double[x.length];
            }
            for (int t = 0; t < x.length; t++) {
                d[t] += x[t] - y[t];
            }
            seeds++;
        }
        if (d == null || d.length < 2) {
            return null;
        }
        for (int t = 0; t < d.length; t++) {
            d[t] /= seeds;
            if (!Double.isFinite(d[t])) {
                return null;
            }
        }
        return PairedTest.dieboldMariano(d);
    }

    /**
     * For each dataset, the model with the highest mean log score (the dataset's log score, on the steps
     * scored), significant or not (none if nothing ran); see {@link Summary#mark()} for whether it is
     * significantly better.
     */
    public Map<String, String> winners() {
        Map<String, String> best = new LinkedHashMap<>();
        Map<String, Double> bestValue = new LinkedHashMap<>();
        for (Summary s : summary()) {
            bestValue.putIfAbsent(s.dataset(), Double.NEGATIVE_INFINITY);
            double v = s.mean("meanLogScore");
            if (s.ok() && v > bestValue.get(s.dataset())) {
                bestValue.put(s.dataset(), v);
                best.put(s.dataset(), s.model());
            }
        }
        return best;
    }

    /** Everything, with provenance: the study spec, seeds, tool version, time, how each dataset was scored. */
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
        ObjectNode scored = o.putObject("scoring");
        ArrayNode levels = scored.putArray("levels");
        for (double l : spec.scoring().levels()) {
            Json.number(levels, l);
        }
        Json.number(scored, "significance", spec.scoring().significance());
        scored.put("test", "diebold-mariano on per-step log-score differences, averaged over common seeds");
        ObjectNode perDataset = scored.putObject("datasets");
        for (StudySpec.DatasetEntry d : spec.datasets()) {
            DatasetScoring ds = scoring.get(d.name());
            if (ds == null) {
                continue;
            }
            ObjectNode x = perDataset.putObject(d.name());
            x.put("support", ds.support().jsonName());
            x.put("supportDeclared", ds.declared());
            x.put("logScore", ds.logScore());
            Json.number(x, "train", ds.split().train());
            x.put("by", ds.split().bySequence() ? "sequence" : "time");
            x.put("burn", ds.burn());
            x.put("diffuseSteps", ds.diffuseSteps());
        }
        ArrayNode r = o.putArray("rows");
        for (StudyRow row : rows) {
            ObjectNode json = row.toJson();
            ShownPredictions predicted = shownPredictions.get(row.key());
            if (predicted != null) {
                json.set("shownPredictions", predicted.toJson());
            }
            ShownStates shown = shownStates.get(row.key());
            if (shown != null) {
                json.set("shownStates", shown.toJson());
            }
            r.add(json);
        }
        ArrayNode sum = o.putArray("summary");
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
            so.put("best", BEST.equals(s.mark()));
            so.put("tied", TIED.equals(s.mark()));
            Json.optionalNumber(so, "pValue", s.pValue());
            if (s.ok()) {
                so.put("converged", s.converged());
                if (!s.converged()) {
                    so.put("notConvergedSeeds", s.notConverged());
                }
                ObjectNode means = so.putObject("mean");
                ObjectNode sds = so.putObject("sd");
                for (String metric : metricAndScoreNames()) {
                    Json.optionalNumber(means, metric, s.mean(metric));
                    Json.optionalNumber(sds, metric, s.sd(metric));
                }
            }
        }
        return o;
    }

    private List<String> metricAndScoreNames() {
        List<String> names = new ArrayList<>(Metrics.NAMES.keySet());
        names.addAll(scoreNames());
        return names;
    }

    /**
     * One line per row: the metrics, the dataset's log score and the proper scores, and the (dataset, model)'s
     * mark and p-value (repeated on each of its seeds' lines).
     */
    public String toCsv() {
        StringBuilder b = new StringBuilder();
        b.append("study,dataset,model,type,seed,status,reason,method,iterations,converged,observations");
        for (String metric : Metrics.NAMES.keySet()) {
            b.append(',').append(metric);
        }
        b.append(",logScore");
        for (String score : scoreNames()) {
            b.append(',').append(score);
        }
        b.append(",mark,pValue,version\n");
        Map<String, Summary> summaries = new LinkedHashMap<>();
        for (Summary s : summary()) {
            summaries.put(s.dataset() + "\u0000" + s.model(), s);
        }
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
            DatasetScoring ds = scoring.get(r.dataset());
            b.append(',').append(ds == null ? "" : ds.logScore());
            for (String score : scoreNames()) {
                b.append(',');
                double v = r.score(score);
                if (!Double.isNaN(v)) {
                    b.append(v);
                }
            }
            Summary s = summaries.get(r.dataset() + "\u0000" + r.model());
            b.append(',').append(s == null ? "" : s.mark()).append(',');
            if (s != null && !Double.isNaN(s.pValue())) {
                b.append(s.pValue());
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

    private String levelsText() {
        List<String> p = new ArrayList<>();
        for (double l : spec.scoring().levels()) {
            p.add(percent(l) + "%");
        }
        return String.join("/", p);
    }

    private String legend() {
        return "log score: mean per held-out step in nats (higher is better); the dataset's log score is named above "
                + "its table. " + BEST + ": the highest mean log score, better than every other model by a paired "
                + "Diebold-Mariano test at level " + spec.scoring().significance() + "; " + TIED + ": the highest "
                + "mean log score without that, and the models it does not beat significantly. p: the test's p-value "
                + "(for the top model the largest over its tests). CRPS (Brier for symbols; lower is better); PIT KS: "
                + "Kolmogorov-Smirnov distance of the PIT values from uniform (0 is calibrated); cov: fraction inside "
                + "the central " + levelsText() + " predictive intervals; RMSE mean / MAE median: errors of the "
                + "predictive mean and median. Scores leave out the steps of any model's diffuse start and the "
                + "study's burn-in, for every model alike.";
    }

    /** The summary as Markdown tables, one per dataset, with how it was scored; the marked log score in bold. */
    public String toMarkdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Study: ").append(spec.name()).append("\n\n");
        b.append("Seeds: ").append(spec.seeds()).append(". Statespace ").append(Version.current())
                .append(". Scores on held-out data, one step ahead; mean ± sd over seeds.\n\n");
        double[] levels = spec.scoring().levels();
        String current = null;
        List<Summary> summaries = summary();
        for (Summary s : summaries) {
            if (!s.dataset().equals(current)) {
                current = s.dataset();
                b.append("\n## ").append(current).append("\n\n");
                DatasetScoring ds = scoring.get(current);
                if (ds != null) {
                    b.append("Scored by ").append(ds.describe()).append(".\n\n");
                }
                b.append("| model | type | log score | mark | p | CRPS / Brier | PIT KS");
                for (double l : levels) {
                    b.append(" | cov ").append(percent(l)).append('%');
                }
                b.append(" | RMSE mean | MAE median | log-lik/obs | params | BIC | fit s | converged |\n|");
                b.append("---|".repeat(13 + levels.length)).append('\n');
            }
            b.append("| ").append(s.model()).append(" | ").append(s.type()).append(" | ");
            if (!s.ok()) {
                b.append(s.status()).append(": ").append(s.reason().replace("|", "\\|"))
                        .append(" |".repeat(12 + levels.length)).append('\n');
                continue;
            }
            String ls = pm(s, "meanLogScore", 4);
            b.append(BEST.equals(s.mark()) || TIED.equals(s.mark()) && s.model().equals(winners().get(s.dataset()))
                    ? "**" + ls + "**" : ls);
            b.append(" | ").append(s.mark()).append(" | ").append(pValueText(s.pValue()));
            b.append(" | ").append(pm(s, Double.isNaN(s.mean("crps")) ? "brier" : "crps", 4));
            b.append(" | ").append(pm(s, "pitDistance", 3));
            for (double l : levels) {
                b.append(" | ").append(pm(s, coverageName(l), 3));
            }
            b.append(" | ").append(rootPm(s, "mseOfMean")).append(" | ").append(pm(s, "maeOfMedian", 4))
                    .append(" | ").append(pm(s, "meanLogLikelihood", 4));
            b.append(" | ").append(fmt(s.mean("parameters"), 0)).append(" | ").append(fmt(s.mean("bic"), 1))
                    .append(" | ").append(fmt(s.mean("fitSeconds"), 2)).append(" | ")
                    .append(s.converged() ? s.convergence() : "**" + s.convergence() + "**").append(" |\n");
            if (!s.reason().isEmpty()) {
                b.append("| | | ").append(s.reason().replace("|", "\\|")).append(" |".repeat(12 + levels.length))
                        .append('\n');
            }
        }
        b.append('\n').append(legend()).append(" log-lik/obs: the filter's mean predictive log-likelihood per observation "
                + "over every held-out step (a density on counts, diffuse steps included), as before. converged: whether "
                + "every seed's fit met its tolerance (or stopped early on validation data); **no** marks a fit its "
                + "iteration limit stopped, whose parameters are not an optimum.\n");
        return b.toString();
    }

    static String pValueText(double p) {
        if (Double.isNaN(p)) {
            return "";
        }
        return p < 1e-4 ? "<1e-4" : String.format(Locale.ROOT, "%.4f", p);
    }

    // the square root of the mean squared error: mean ± sd over seeds of each seed's root
    private String rootPm(Summary s, String metric) {
        List<Double> roots = new ArrayList<>();
        for (StudyRow r : rows) {
            if (r.ok() && r.dataset().equals(s.dataset()) && r.model().equals(s.model())) {
                roots.add(Math.sqrt(r.score(metric)));
            }
        }
        double[] v = roots.stream().mapToDouble(Double::doubleValue).toArray();
        if (v.length == 0) {
            return "";
        }
        double[] m = meanAndSd(v);
        if (Double.isNaN(m[0])) {
            return "";
        }
        return v.length > 1 ? fmt(m[0], 4) + " ± " + fmt(m[1], 4) : fmt(m[0], 4);
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

    /**
     * A table for the terminal: per dataset a line saying how it was scored, one line per model that ran
     * (means over seeds), and the models skipped on it listed once with their reasons, wrapped at word
     * boundaries; columns are as wide as their widest entry, so no word is cut.
     */
    public String toConsole() {
        final int width = 110;
        double[] levels = spec.scoring().levels();
        List<String> header = new ArrayList<>(List.of("model", "type", "log score", "", "p", "CRPS/Brier", "PIT KS"));
        for (double l : levels) {
            header.add("cov" + percent(l));
        }
        header.addAll(List.of("RMSE", "MAE med", "params", "fit s", "conv"));
        List<Summary> summaries = summary();
        List<List<String>> table = new ArrayList<>();
        for (Summary s : summaries) {
            if (!s.ok()) {
                continue;
            }
            List<String> cells = new ArrayList<>(List.of(s.model(), s.type(), fmt(s.mean("meanLogScore"), 4),
                    BEST.equals(s.mark()) ? "* best" : TIED.equals(s.mark()) ? "= tied" : "", pValueText(s.pValue()),
                    fmt(Double.isNaN(s.mean("crps")) ? s.mean("brier") : s.mean("crps"), 4), fmt(s.mean("pitDistance"), 3)));
            for (double l : levels) {
                cells.add(fmt(s.mean(coverageName(l)), 3));
            }
            cells.addAll(List.of(fmt(Math.sqrt(s.mean("mseOfMean")), 4), fmt(s.mean("maeOfMedian"), 4),
                    fmt(s.mean("parameters"), 0), fmt(s.mean("fitSeconds"), 2), s.converged() ? "yes" : "NO !"));
            table.add(cells);
        }
        int[] w = new int[header.size()];
        for (int c = 0; c < w.length; c++) {
            w[c] = Math.max(1, header.get(c).length());
            for (List<String> cells : table) {
                w[c] = Math.max(w[c], cells.get(c).length());
            }
        }
        int total = 0;
        for (int c : w) {
            total += c + 1;
        }
        final int lineWidth = Math.max(width, total + 2);
        String line = "-".repeat(lineWidth) + "\n";
        StringBuilder b = new StringBuilder();
        b.append(line);
        boolean anyStopped = false;
        String current = null;
        int next = 0;
        for (int i = 0; i < summaries.size(); i++) {
            Summary s = summaries.get(i);
            if (s.dataset().equals(current)) {
                continue;
            }
            current = s.dataset();
            if (i > 0) {
                b.append('\n');
            }
            DatasetScoring ds = scoring.get(current);
            wrap(b, current + (ds == null ? "" : ": " + ds.describe()), "", lineWidth);
            String dataset = current;
            if (summaries.stream().anyMatch(m -> m.ok() && m.dataset().equals(dataset))) {
                row(b, header, w);
            }
            Map<String, List<String>> skipped = new LinkedHashMap<>();
            for (Summary m : summaries) {
                if (!m.dataset().equals(current)) {
                    continue;
                }
                if (m.ok()) {
                    anyStopped |= !m.converged();
                    row(b, table.get(next++), w);
                } else {
                    skipped.computeIfAbsent(m.status() + ": " + m.reason(), k -> new ArrayList<>()).add(m.model());
                }
            }
            for (Map.Entry<String, List<String>> e : skipped.entrySet()) {
                wrap(b, "  " + String.join(", ", e.getValue()) + " " + e.getKey(), "    ", lineWidth);
            }
        }
        b.append(line);
        if (anyStopped) {
            List<String> names = new ArrayList<>();
            for (Summary s : summaries) {
                if (s.ok() && !s.converged()) {
                    names.add(s.model() + " on " + s.dataset() + " (" + s.notConverged() + "/" + s.seeds() + " seeds)");
                }
            }
            wrap(b, "NO ! the fit stopped at its iteration limit before converging (not an optimum): "
                    + String.join(", ", names), "  ", lineWidth);
        }
        wrap(b, legend().replace(BEST + ":", "* best:").replace(TIED + ":", "= tied:"), "", lineWidth);
        b.append(String.format(Locale.ROOT, "Study time %.1f s.%n", seconds));
        return b.toString();
    }

    private static void row(StringBuilder b, List<String> cells, int[] w) {
        StringBuilder line = new StringBuilder("  ");
        for (int c = 0; c < w.length; c++) {
            String v = cells.get(c);
            boolean left = c < 2 || c == 3;
            line.append(left ? String.format(Locale.ROOT, "%-" + w[c] + "s", v) : String.format(Locale.ROOT, "%" + w[c] + "s", v));
            line.append(' ');
        }
        b.append(line.toString().stripTrailing()).append('\n');
    }

    // words of text on lines of at most width characters (a longer word gets a line of its own, uncut)
    static void wrap(StringBuilder b, String text, String indent, int width) {
        int lineLength = 0;
        boolean first = true;
        for (String word : text.split(" ")) {
            if (word.isEmpty() && first) {
                b.append(' ');
                lineLength++;
                continue;
            }
            if (!first && lineLength + 1 + word.length() > width) {
                b.append('\n').append(indent);
                lineLength = indent.length();
                first = true;
            }
            if (!first) {
                b.append(' ');
                lineLength++;
            }
            b.append(word);
            lineLength += word.length();
            first = false;
        }
        b.append('\n');
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
