package org.statespace.plots;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import org.statespace.DataException;
import org.statespace.StatespaceException;
import org.statespace.data.Dataset;
import org.statespace.data.Datasets;
import org.statespace.data.Sequence;
import org.statespace.inference.LearningCurve;
import org.statespace.spec.Fields;
import org.statespace.spec.Json;
import org.statespace.spec.SpecNode;
import org.statespace.study.ResultFields;

/**
 * Charts of the result files the command line writes, read back from their JSON: {@code filter} (with
 * {@code --summaries}: predictive bands or, for symbols, predictive probabilities; without: the
 * predictive log-density of every step; with {@code --states}: filtered states), {@code smooth}
 * ({@code posteriorProbabilities}, {@code smoothedMeans}/{@code smoothedCovariances}), {@code decode}
 * ({@code viterbiPath}), {@code forecast} (the k-step-ahead bands or, for symbols, probabilities) and
 * {@code fit --report} (learning curve and log-likelihood trace). A study's results.json is drawn by
 * {@link StudyPlots#writeFromFiles}.
 *
 * <p>States and symbols are labelled with the names the file carries ({@code "states"}, {@code "symbols"}:
 * the columns of its probabilities in order, and the values of a {@code viterbiPath}); a path of state
 * indices, as older files hold, is read too. A top-level field that the result's schema does not declare
 * ({@link ResultFields}, the {@code result-*} schemas) is an error naming the file and the field.
 */
public final class ResultCharts {
    /** Sequences drawn at most from one result file. */
    public static final int MAX_SEQUENCES = 8;

    private ResultCharts() {
    }

    /** What kind of result a JSON document is, or empty when it is none that can be drawn. */
    public static Optional<String> kind(JsonNode json) {
        if (StudyView.isStudyResult(json)) {
            return Optional.of("study");
        }
        if (json.isObject() && json.has("learningCurve") && json.has("logLikelihoodTrace")) {
            return Optional.of("fit report");
        }
        if (json.isObject() && json.path("sequences").isArray() && json.get("sequences").size() > 0) {
            JsonNode s = json.get("sequences").get(0);
            for (String f : new String[] {"predictiveMeans", "predictiveProbabilities", "predictiveLogDensities",
                "filteredProbabilities", "posteriorProbabilities", "filteredMeans", "smoothedMeans", "viterbiPath",
                "forecast"}) {
                if (s.has(f)) {
                    return Optional.of(f.startsWith("predictive") ? "filter result"
                            : f.equals("viterbiPath") ? "decode result"
                            : f.equals("forecast") ? "forecast result"
                            : f.startsWith("filtered") ? "filter result" : "smooth result");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The figures of a fit report, filter, smooth, decode or forecast result.
     *
     * @param json the result
     * @param file where it was read from (names it in errors; its folder is searched for the data)
     */
    public static StudyFigures.Drawn figures(JsonNode json, Path file) {
        String kind = kind(json).orElseThrow(() -> notPlottable(file));
        if (kind.equals("study")) {
            throw new DataException(file + ": a study result; draw it with StudyPlots.writeFromFiles");
        }
        checkFields(json, kind, file);
        if (kind.equals("fit report")) {
            return fitReport(json, file);
        }
        List<Figure> out = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Optional<Dataset> data = data(json, file, notes);
        List<String> states = names(json, "states", file);
        List<String> fileSymbols = names(json, "symbols", file);
        JsonNode sequences = json.get("sequences");
        for (int i = 0; i < Math.min(MAX_SEQUENCES, sequences.size()); i++) {
            JsonNode s = sequences.get(i);
            String id = s.path("id").asText("sequence " + i);
            Optional<Sequence> seq = data.flatMap(d -> d.sequences().stream().filter(q -> q.id().equals(id)).findFirst());
            try {
                List<String> symbols = !fileSymbols.isEmpty() ? fileSymbols
                        : data.map(Dataset::symbolNames).orElse(List.of());
                out.addAll(sequence(s, id, seq, states, symbols));
            } catch (StatespaceException e) {
                throw new DataException(file + ": sequences[" + i + "]: " + e.getMessage(), e);
            }
        }
        if (sequences.size() > MAX_SEQUENCES) {
            notes.add("drew the first " + MAX_SEQUENCES + " of " + sequences.size() + " sequences");
        }
        if (out.isEmpty()) {
            throw notPlottable(file);
        }
        return new StudyFigures.Drawn(out, notes);
    }

    /**
     * Checks the result's top-level field names against the declaration its schema is made from
     * ({@link ResultFields}): a field no command writes is an error naming the file and the field.
     */
    private static void checkFields(JsonNode json, String kind, Path file) {
        Fields declared = switch (kind) {
            case "fit report" -> ResultFields.FIT_REPORT;
            case "decode result" -> ResultFields.DECODE;
            case "forecast result" -> ResultFields.FORECAST;
            case "smooth result" -> ResultFields.SMOOTH;
            default -> ResultFields.FILTER; // a smooth result with filtered tracks too: its fields are a filter's
        };
        SpecNode.root(json, file.toString()).requireObject(declared);
    }

    static DataException notPlottable(Path file) {
        return new DataException(file + ": not a result statespace can plot (expected a study's results.json, or the "
                + "output of filter, smooth, decode, forecast or fit --report)");
    }

    /** The names listed under {@code field} at the top of a result ({@code "states"}, {@code "symbols"}), or none. */
    private static List<String> names(JsonNode json, String field, Path file) {
        JsonNode node = json.get(field);
        if (node == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode n : node) {
                if (!n.isTextual() || out.contains(n.asText())) {
                    break;
                }
                out.add(n.asText());
            }
        }
        if (!node.isArray() || out.size() != node.size() || out.isEmpty()) {
            throw new DataException(file + ": " + field + ": expected a list of distinct names, got " + abbreviate(node));
        }
        return out;
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    private static StudyFigures.Drawn fitReport(JsonNode json, Path file) {
        List<Figure> out = new ArrayList<>();
        String type = json.path("type").asText("model");
        long seed = json.path("options").path("seed").asLong(0);
        LearningCurve curve;
        try {
            curve = LearningCurve.fromJson(json.get("learningCurve"));
        } catch (RuntimeException e) {
            throw new DataException(file + ": learningCurve: expected arrays iteration, trainingLoss, validationLoss and "
                    + "seconds of one length", e);
        }
        if (curve.size() > 0) {
            String title = type + " fit (" + json.path("method").asText("") + "): learning curve";
            out.add(new Figure("learning-curve", "Fit", title, "Loss per observation after each iteration.",
                    Drawing.of(LearningCurveChart.of(title, "loss per observation (nats)",
                            List.of(CurveLine.of(type, seed, curve))))));
        }
        double[] trace = numbers(json.get("logLikelihoodTrace"), file + ": logLikelihoodTrace");
        if (trace.length > 1) {
            XYChart chart = Charts.xy(type + " fit: training log-likelihood", "iteration (0: the start)",
                    "training log-likelihood (nats)", Charts.WIDTH, Charts.HEIGHT);
            XYSeries s = Charts.line(chart, "log-likelihood", Charts.steps(trace.length), finite(trace), Charts.color(0), 2f);
            s.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE);
            chart.getStyler().setLegendVisible(false);
            Charts.roundTimeTicks(chart, 0, Double.isFinite(trace[0]) ? trace[0] : Double.NaN);
            Charts.padY(chart.getStyler(), trace, false);
            out.add(new Figure("log-likelihood-trace", "Fit", type + " fit: training log-likelihood",
                    "The training log-likelihood after each iteration; EM never lowers it.", Drawing.of(chart)));
        }
        if (out.isEmpty()) {
            throw new DataException(file + ": the fit report has an empty learning curve and log-likelihood trace");
        }
        return new StudyFigures.Drawn(out, List.of());
    }

    private static double[] finite(double[] v) {
        double[] c = v.clone();
        for (int i = 0; i < c.length; i++) {
            if (!Double.isFinite(c[i])) {
                c[i] = Double.NaN;
            }
        }
        return c;
    }

    /**
     * The dataset named in the result's provenance, if it can be found (as given, or beside the result)
     * and is the data the result was computed on. A result file is input from anywhere, so the file it names
     * is treated with care: only a {@code .json} or {@code .csv} file is read, it is used only when it holds
     * every sequence of the result (by id) with the result's number of steps, and a note about it never
     * quotes what the file holds (a reader's error would show its first token, a symbol column its values).
     */
    private static Optional<Dataset> data(JsonNode json, Path file, List<String> notes) {
        String given = json.path("provenance").path("data").asText("");
        if (given.isEmpty()) {
            return Optional.empty();
        }
        String lower = given.toLowerCase(java.util.Locale.ROOT);
        if (!lower.endsWith(".json") && !lower.endsWith(".csv")) {
            notes.add("the data " + given + " named in the result is not a .json or .csv dataset: observations are not drawn");
            return Optional.empty();
        }
        Path p;
        try {
            p = Path.of(given);
        } catch (java.nio.file.InvalidPathException e) {
            notes.add("the data named in the result is not a file name: observations are not drawn");
            return Optional.empty();
        }
        Path folder = file.toAbsolutePath().getParent();
        if (!Files.isRegularFile(p) && !p.isAbsolute() && folder != null) {
            p = folder.resolve(given);
        }
        if (!Files.isRegularFile(p)) {
            notes.add("the data " + given + " was not found: observations are not drawn");
            return Optional.empty();
        }
        Dataset d;
        try {
            d = Datasets.read(p);
        } catch (StatespaceException e) {
            notes.add("the data " + given + " cannot be read as a dataset: observations are not drawn");
            return Optional.empty();
        }
        JsonNode sequences = json.path("sequences");
        for (int i = 0; i < sequences.size(); i++) {
            String id = sequences.get(i).path("id").asText("");
            int steps = steps(sequences.get(i));
            boolean found = d.sequences().stream().anyMatch(q -> q.id().equals(id) && (steps < 0 || q.length() == steps));
            if (!found) {
                notes.add("the data " + given + " is not the data of this result (no sequence with the id and length of "
                        + "sequences[" + i + "]): observations are not drawn");
                return Optional.empty();
            }
        }
        return Optional.of(d);
    }

    // The number of steps of a result's sequence: the length of its per-step arrays (-1 when it has none).
    private static int steps(JsonNode s) {
        for (String field : new String[] {"predictiveLogDensities", "viterbiPath", "posteriorProbabilities",
            "smoothedMeans", "filteredProbabilities", "filteredMeans"}) {
            if (s.path(field).isArray()) {
                return s.path(field).size();
            }
        }
        return -1;
    }

    private static List<Figure> sequence(JsonNode s, String id, Optional<Sequence> seq, List<String> stateNames,
            List<String> symbolNames) {
        List<Figure> out = new ArrayList<>();
        String base = Figure.safeName(id);
        String section = "sequence " + id;
        if (s.has("predictiveProbabilities")) {
            Packed p = packed(s.get("predictiveProbabilities"), "predictiveProbabilities");
            List<LabelledPath> paths = new ArrayList<>();
            seq.filter(q -> q.length() == p.rows).ifPresent(q -> {
                int[] observed = new int[q.length()];
                for (int t = 0; t < observed.length; t++) {
                    observed[t] = q.isMissing(t) ? -1 : (int) q.value(t, 0);
                }
                paths.add(new LabelledPath("observed", observed));
            });
            List<String> names = Charts.labels(symbolNames, p.cols, "symbol");
            StateProbabilityTrack sp = new StateProbabilityTrack(id, names, p.rows, p.values, paths, -1);
            String title = id + ": predictive probabilities of the next symbol";
            out.add(new Figure("predictive-" + base, section, title, "", Drawing.of(ProbabilityChart.of(title,
                    "predictive probability", sp))));
        } else if (s.has("predictiveMeans")) {
            Packed mean = packed(s.get("predictiveMeans"), "predictiveMeans");
            Packed l50 = packed(s.get("lower50"), "lower50");
            Packed u50 = packed(s.get("upper50"), "upper50");
            Packed l90 = packed(s.get("lower90"), "lower90");
            Packed u90 = packed(s.get("upper90"), "upper90");
            for (int j = 0; j < Math.min(StudyFigures.MAX_COMPONENTS, mean.cols); j++) {
                double[] observed = new double[mean.rows];
                java.util.Arrays.fill(observed, Double.NaN);
                final int component = j;
                seq.filter(q -> q.length() == mean.rows && q.dimension() == mean.cols).ifPresent(q -> {
                    for (int t = 0; t < observed.length; t++) {
                        observed[t] = q.value(t, component);
                    }
                });
                PredictiveSeries ps = new PredictiveSeries(id, mean.cols == 1 ? "observation (units of the data)"
                        : "observation component " + j, Charts.steps(mean.rows), observed, mean.column(j),
                        l50.column(j), u50.column(j), l90.column(j), u90.column(j), -1);
                String title = id + ": one-step-ahead predictions" + (mean.cols > 1 ? ", component " + j : "");
                out.add(new Figure("predictive-" + base + (mean.cols > 1 ? "-" + j : ""), section, title, "",
                        Drawing.of(PredictiveChart.of(title, ps))));
            }
        } else if (s.has("predictiveLogDensities")) {
            double[] ld = numbers(s.get("predictiveLogDensities"), "predictiveLogDensities");
            XYChart chart = Charts.xy(id + ": predictive log-density of each observation", "time step t",
                    "log p(o_t | o_0..o_{t-1}) (nats)", Charts.WIDTH, Charts.HEIGHT);
            Charts.line(chart, "log-density", Charts.steps(ld.length), ld, Charts.color(0), 1.4f);
            for (int t = 0; t < ld.length; t++) {
                if (Double.isFinite(ld[t])) {
                    Charts.roundTimeTicks(chart, t, ld[t]);
                    break;
                }
            }
            chart.getStyler().setLegendVisible(false);
            out.add(new Figure("log-density-" + base, section, chart.getTitle(), "", Drawing.of(chart)));
        }
        for (String name : new String[] {"filteredProbabilities", "posteriorProbabilities"}) {
            if (s.has(name)) {
                Packed p = packed(s.get(name), name);
                List<LabelledPath> paths = new ArrayList<>();
                if (s.has("viterbiPath")) {
                    paths.add(new LabelledPath("Viterbi path", statePath(s.get("viterbiPath"), "viterbiPath",
                            stateNames)));
                }
                int[] reference = PathMatching.argmax(p.values, p.rows, p.cols);
                seq.flatMap(q -> StudyFigures.truePath(q, p.cols)).filter(t -> t.length == p.rows)
                        .ifPresent(t -> paths.add(new LabelledPath("true path (states matched)",
                                PathMatching.relabel(t, reference, p.cols))));
                boolean smoothed = name.startsWith("posterior");
                String title = id + (smoothed ? ": smoothed state probabilities" : ": filtered state probabilities");
                out.add(new Figure((smoothed ? "posterior-" : "filtered-") + base, section, title, "",
                        Drawing.of(ProbabilityChart.of(title, smoothed ? "p(s_t | all observations)"
                                : "p(s_t | o_0..o_t)", new StateProbabilityTrack(id, Charts.labels(stateNames, p.cols,
                                        "state"), p.rows,
                                        p.values, paths, -1)))));
            }
        }
        if (s.has("viterbiPath") && !s.has("posteriorProbabilities") && !s.has("filteredProbabilities")) {
            int[] path = statePath(s.get("viterbiPath"), "viterbiPath", stateNames);
            int k = stateNames.size();
            for (int v : path) {
                k = Math.max(k, v + 1);
            }
            String title = id + ": Viterbi path";
            out.add(new Figure("viterbi-" + base, section, title, "", Drawing.of(PathChart.of(title,
                    "state on the Viterbi path", Charts.labels(stateNames, k, "state"), path))));
        }
        if (s.has("forecast")) {
            out.addAll(forecast(s.get("forecast"), id, base, section, symbolNames));
        }
        List<GaussianTrack> tracks = new ArrayList<>();
        for (String prefix : new String[] {"filtered", "smoothed"}) {
            if (s.has(prefix + "Means") && s.has(prefix + "Covariances")) {
                Packed m = packed(s.get(prefix + "Means"), prefix + "Means");
                Packed c = packed(s.get(prefix + "Covariances"), prefix + "Covariances");
                tracks.add(new GaussianTrack(prefix, m.rows, m.cols, m.values, c.values));
            }
        }
        if (!tracks.isEmpty()) {
            for (int j = 0; j < Math.min(StudyFigures.MAX_COMPONENTS, tracks.get(0).dimension()); j++) {
                String title = id + ": hidden state x" + j;
                out.add(new Figure("states-" + base + "-" + j, section, title, "", Drawing.of(StateChart.of(title,
                        "state component x" + j, j, tracks, new double[0]))));
            }
        }
        var fields = s.fieldNames();
        while (fields.hasNext()) {
            String name = fields.next();
            if (name.startsWith("hidden")) {
                Packed h = packed(s.get(name), name);
                String title = id + ": hidden units (" + name + ")";
                out.add(new Figure("hidden-" + base + "-" + Figure.safeName(name), section, title, "",
                        Drawing.of(HiddenUnitsChart.of(title, new HiddenUnits(id, name, h.rows, h.cols, h.values)))));
            }
        }
        return out;
    }

    /**
     * A forecast's rows ({@code step}, then {@code probabilities} for symbols or {@code mean}, {@code lower50},
     * {@code upper50}, {@code lower90}, {@code upper90} vectors) as charts over the steps ahead.
     */
    private static List<Figure> forecast(JsonNode rows, String id, String base, String section,
            List<String> symbolNames) {
        if (!rows.isArray() || rows.size() == 0 || !rows.get(0).isObject()) {
            throw new DataException("forecast: expected a non-empty list of steps, got " + abbreviate(rows));
        }
        List<Figure> out = new ArrayList<>();
        int n = rows.size();
        if (rows.get(0).has("probabilities")) {
            Packed p = packed(field(rows, "probabilities"), "forecast[].probabilities");
            String title = id + ": forecast probabilities of the symbol k steps ahead";
            var chart = ProbabilityChart.of(title, "forecast probability", new StateProbabilityTrack(id,
                    Charts.labels(symbolNames, p.cols, "symbol"), p.rows, p.values, List.of(), -1, 1));
            chart.setXAxisTitle("steps ahead k");
            out.add(new Figure("forecast-" + base, section, title, "", Drawing.of(chart)));
            return out;
        }
        Packed mean = packed(field(rows, "mean"), "forecast[].mean");
        Packed l50 = packed(field(rows, "lower50"), "forecast[].lower50");
        Packed u50 = packed(field(rows, "upper50"), "forecast[].upper50");
        Packed l90 = packed(field(rows, "lower90"), "forecast[].lower90");
        Packed u90 = packed(field(rows, "upper90"), "forecast[].upper90");
        double[] ahead = new double[n];
        for (int k = 0; k < n; k++) {
            ahead[k] = k + 1;
        }
        double[] none = new double[n];
        java.util.Arrays.fill(none, Double.NaN);
        for (int j = 0; j < Math.min(StudyFigures.MAX_COMPONENTS, mean.cols); j++) {
            PredictiveSeries ps = new PredictiveSeries(id, mean.cols == 1 ? "observation (units of the data)"
                    : "observation component " + j, ahead, none, mean.column(j), l50.column(j), u50.column(j),
                    l90.column(j), u90.column(j), -1);
            String title = id + ": forecast k steps ahead" + (mean.cols > 1 ? ", component " + j : "");
            var chart = PredictiveChart.of(title, ps);
            chart.setXAxisTitle("steps ahead k");
            out.add(new Figure("forecast-" + base + (mean.cols > 1 ? "-" + j : ""), section, title, "",
                    Drawing.of(chart)));
        }
        return out;
    }

    /** {@code name} of every row, as one array (a missing one is an error naming the step). */
    private static JsonNode field(JsonNode rows, String name) {
        var a = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        for (int k = 0; k < rows.size(); k++) {
            JsonNode v = rows.get(k).get(name);
            if (v == null) {
                throw new DataException("forecast[" + k + "]: no " + name);
            }
            a.add(v);
        }
        return a;
    }

    /**
     * A path of states: names from {@code stateNames} (as {@code decode} writes it) or indices (older files),
     * as indices; null is an unknown step (-1).
     */
    static int[] statePath(JsonNode node, String name, List<String> stateNames) {
        if (node == null || !node.isArray() || node.size() == 0) {
            throw new DataException(name + ": expected a non-empty array, got " + (node == null ? "nothing" : abbreviate(node)));
        }
        int[] out = new int[node.size()];
        for (int t = 0; t < out.length; t++) {
            JsonNode v = node.get(t);
            if (v.isNull()) {
                out[t] = -1;
            } else if (v.isTextual()) {
                out[t] = stateNames.indexOf(v.asText());
                if (out[t] < 0) {
                    throw new DataException(name + "[" + t + "]: \"" + v.asText() + "\" is not one of the states "
                            + (stateNames.isEmpty() ? "(the file lists none under \"states\")" : stateNames));
                }
            } else if (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()) && v.asDouble() >= 0
                    && v.asDouble() < Integer.MAX_VALUE) {
                out[t] = v.asInt();
            } else {
                throw new DataException(name + "[" + t + "]: expected a state name or index, got " + abbreviate(v));
            }
        }
        return out;
    }

    /** T rows of numbers, vectors or matrices, flattened row-major; null entries are NaN. */
    record Packed(int rows, int cols, double[] values) {
        double[] column(int j) {
            double[] c = new double[rows];
            for (int t = 0; t < rows; t++) {
                c[t] = values[t * cols + j];
            }
            return c;
        }
    }

    static Packed packed(JsonNode node, String name) {
        if (node == null || !node.isArray() || node.size() == 0) {
            throw new DataException(name + ": expected a non-empty array, got " + (node == null ? "nothing" : node));
        }
        int rows = node.size();
        int cols = -1;
        List<Double> values = new ArrayList<>();
        for (int t = 0; t < rows; t++) {
            List<Double> row = new ArrayList<>();
            flatten(node.get(t), row, name + "[" + t + "]");
            if (cols < 0) {
                cols = row.size();
            } else if (row.size() != cols) {
                throw new DataException(name + "[" + t + "]: " + row.size() + " numbers, but earlier steps have " + cols);
            }
            values.addAll(row);
        }
        return new Packed(rows, cols, values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static void flatten(JsonNode n, List<Double> out, String where) {
        if (n.isNumber()) {
            out.add(n.asDouble());
        } else if (n.isTextual() && n.asText().matches("-?Infinity|NaN")) {
            out.add(Json.doubleValue(n, "result", where));
        } else if (n.isNull()) {
            out.add(Double.NaN);
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                flatten(n.get(i), out, where + "[" + i + "]");
            }
        } else {
            throw new DataException(where + ": expected a number, got " + n);
        }
    }

    static double[] numbers(JsonNode node, String name) {
        Packed p = packed(node, name);
        if (p.cols != 1) {
            throw new DataException(name + ": expected one number per step, got " + p.cols);
        }
        return p.values;
    }
}
