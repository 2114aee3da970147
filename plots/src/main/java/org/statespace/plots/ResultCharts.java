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
import org.statespace.capability.Track;
import org.statespace.inference.result.DecodeReport;
import org.statespace.inference.result.FilterReport;
import org.statespace.inference.result.ForecastReport;
import org.statespace.inference.result.PredictiveBands;
import org.statespace.inference.result.ResultValue;
import org.statespace.inference.result.SmoothReport;
import org.statespace.spec.Json;
import org.statespace.spec.SpecNode;
import org.statespace.study.ResultFields;

/**
 * Charts of the result files the command line writes, decoded by their codecs ({@link ResultValue#read}:
 * {@link FilterReport}, {@link SmoothReport}, {@link DecodeReport}, {@link ForecastReport}) and drawn from the
 * typed values: {@code filter} (with {@code --summaries}: predictive bands or, for symbols, predictive
 * probabilities; without: the predictive log-density of every step; with {@code --states}: filtered states),
 * {@code smooth} ({@code posteriorProbabilities}, {@code smoothedMeans}/{@code smoothedCovariances}),
 * {@code decode} ({@code viterbiPath}), {@code forecast} (the k-step-ahead bands or, for symbols, probabilities)
 * and {@code fit --report} (learning curve and log-likelihood trace). A study's results.json is drawn by
 * {@link StudyPlots#writeFromFiles}.
 *
 * <p>States and symbols are labelled with the names the result carries (the columns of its probabilities in
 * order, and the values of a path). Files without the {@code "result"} marker are recognised by their codecs,
 * and a top-level field that the result's schema does not declare ({@link ResultFields}) is an error naming the
 * file and the field.
 */
public final class ResultCharts {
    /** Sequences drawn at most from one result file. */
    public static final int MAX_SEQUENCES = 8;

    private ResultCharts() {
    }

    /**
     * What kind of result a JSON document is ("study", "fit report", "filter result", "smooth result", "decode
     * result", "forecast result"), or empty when it is none that can be drawn (also for a marker of an unknown
     * kind or a newer version, which {@link #figures(JsonNode, Path)} reports with the file's name).
     */
    public static Optional<String> kind(JsonNode json) {
        if (StudyView.isStudyResult(json)) {
            return Optional.of("study");
        }
        if (isFitReport(json)) {
            return Optional.of("fit report");
        }
        try {
            return ResultValue.recognise(json, "result").map(k -> k + " result");
        } catch (DataException unknownMarker) {
            return Optional.empty(); // an unknown kind or a newer version: figures() says which, naming the file
        }
    }

    private static boolean isFitReport(JsonNode json) {
        return json.isObject() && json.has("learningCurve") && json.has("logLikelihoodTrace");
    }

    /**
     * The figures of a fit report, filter, smooth, decode or forecast result.
     *
     * @param json the result
     * @param file where it was read from (names it in errors; its folder is searched for the data)
     */
    public static StudyFigures.Drawn figures(JsonNode json, Path file) {
        if (StudyView.isStudyResult(json)) {
            throw new DataException(file + ": a study result; draw it with StudyPlots.writeFromFiles");
        }
        if (isFitReport(json)) {
            SpecNode.root(json, file.toString()).requireObject(ResultFields.FIT_REPORT);
            return fitReport(json, file);
        }
        if (ResultValue.recognise(json, file.toString()).isEmpty()) {
            throw notPlottable(file);
        }
        return figures(ResultValue.read(json, file.toString()), file);
    }

    /**
     * The figures of a typed result.
     *
     * @param file where it was read from (names it in errors; its folder is searched for the data its
     *             provenance names)
     */
    public static StudyFigures.Drawn figures(ResultValue result, Path file) {
        List<Figure> out = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Drawable> sequences = drawables(result);
        Optional<Dataset> data = data(result, sequences, file, notes);
        for (int i = 0; i < Math.min(MAX_SEQUENCES, sequences.size()); i++) {
            Drawable s = sequences.get(i);
            Optional<Sequence> seq = data.flatMap(d -> d.sequences().stream().filter(q -> q.id().equals(s.id())).findFirst());
            try {
                List<String> symbols = !s.symbols().isEmpty() ? s.symbols()
                        : data.map(Dataset::symbolNames).orElse(List.of());
                out.addAll(sequence(s, seq, symbols));
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
     * What one sequence of any result offers to draw: the predictive summaries of a filter (probabilities,
     * bands or log-densities), the state tracks of a filter or smoother, a decoded path, a forecast.
     */
    private record Drawable(String id, int length, List<String> states, List<String> symbols,
            Optional<Track> probabilities, Optional<PredictiveBands> bands, Optional<Track> logDensities,
            List<Track> tracks, Optional<int[]> path, Optional<ForecastReport.Run> forecast) {

        Optional<Track> track(String name) {
            return tracks.stream().filter(t -> t.name().equals(name)).findFirst();
        }
    }

    private static List<Drawable> drawables(ResultValue result) {
        List<Drawable> out = new ArrayList<>();
        if (result instanceof FilterReport f) {
            f.sequences().forEach(r -> out.add(new Drawable(r.id(), r.length(), f.states(), f.symbols(),
                    r.probabilities(), r.bands(), Optional.of(r.predictiveLogDensities()).filter(t -> t.length() > 0),
                    r.tracks(), Optional.empty(), Optional.empty())));
        } else if (result instanceof SmoothReport s) {
            s.sequences().forEach(r -> out.add(new Drawable(r.id(), r.track("posteriorProbabilities")
                    .or(() -> r.track("smoothedMeans")).map(Track::length).orElse(-1), s.states(), List.of(),
                    Optional.empty(), Optional.empty(), Optional.empty(), r.tracks(), Optional.empty(), Optional.empty())));
        } else if (result instanceof DecodeReport d) {
            d.sequences().forEach(p -> out.add(new Drawable(p.id(), p.path().length, d.states(), List.of(),
                    Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.of(p.path()),
                    Optional.empty())));
        } else if (result instanceof ForecastReport f) {
            f.sequences().forEach(r -> out.add(new Drawable(r.id(), -1, List.of(), f.symbols(), Optional.empty(),
                    Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.of(r))));
        }
        return out;
    }

    static DataException notPlottable(Path file) {
        return new DataException(file + ": not a result statespace can plot (expected a study's results.json, or the "
                + "output of filter, smooth, decode, forecast or fit --report)");
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
    private static Optional<Dataset> data(ResultValue result, List<Drawable> sequences, Path file, List<String> notes) {
        String given = provenance(result).path("data").asText("");
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
        for (int i = 0; i < sequences.size(); i++) {
            String id = sequences.get(i).id();
            int steps = sequences.get(i).length();
            boolean found = d.sequences().stream().anyMatch(q -> q.id().equals(id) && (steps < 0 || q.length() == steps));
            if (!found) {
                notes.add("the data " + given + " is not the data of this result (no sequence with the id and length of "
                        + "sequences[" + i + "]): observations are not drawn");
                return Optional.empty();
            }
        }
        return Optional.of(d);
    }

    private static JsonNode provenance(ResultValue result) {
        if (result instanceof FilterReport f) {
            return f.provenance();
        }
        if (result instanceof SmoothReport s) {
            return s.provenance();
        }
        if (result instanceof DecodeReport d) {
            return d.provenance();
        }
        return ((ForecastReport) result).provenance();
    }

    private static List<Figure> sequence(Drawable s, Optional<Sequence> seq, List<String> symbolNames) {
        List<Figure> out = new ArrayList<>();
        String id = s.id();
        String base = Figure.safeName(id);
        String section = "sequence " + id;
        if (s.probabilities().isPresent()) {
            Track p = s.probabilities().get();
            List<LabelledPath> paths = new ArrayList<>();
            seq.filter(q -> q.length() == p.length()).ifPresent(q -> {
                int[] observed = new int[q.length()];
                for (int t = 0; t < observed.length; t++) {
                    observed[t] = q.isMissing(t) ? -1 : (int) q.value(t, 0);
                }
                paths.add(new LabelledPath("observed", observed));
            });
            List<String> names = Charts.labels(symbolNames, p.width(), "symbol");
            StateProbabilityTrack sp = new StateProbabilityTrack(id, names, p.length(), p.values(), paths, -1);
            String title = id + ": predictive probabilities of the next symbol";
            out.add(new Figure("predictive-" + base, section, title, "", Drawing.of(ProbabilityChart.of(title,
                    "predictive probability", sp))));
        } else if (s.bands().isPresent()) {
            PredictiveBands b = s.bands().get();
            int rows = b.length();
            int cols = b.dimension();
            for (int j = 0; j < Math.min(StudyFigures.MAX_COMPONENTS, cols); j++) {
                double[] observed = new double[rows];
                java.util.Arrays.fill(observed, Double.NaN);
                final int component = j;
                seq.filter(q -> q.length() == rows && q.dimension() == cols).ifPresent(q -> {
                    for (int t = 0; t < observed.length; t++) {
                        observed[t] = q.value(t, component);
                    }
                });
                PredictiveSeries ps = PredictiveSeries.of(id, b, j, cols == 1 ? "observation (units of the data)"
                        : "observation component " + j, Charts.steps(rows), observed, -1);
                String title = id + ": one-step-ahead predictions" + (cols > 1 ? ", component " + j : "");
                out.add(new Figure("predictive-" + base + (cols > 1 ? "-" + j : ""), section, title, "",
                        Drawing.of(PredictiveChart.of(title, ps))));
            }
        } else if (s.logDensities().isPresent()) {
            double[] ld = s.logDensities().get().values();
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
        // an older file may hold a path beside the state probabilities (viterbiPath): drawn as a strip on them
        Optional<int[]> path = s.path().or(() -> s.track("viterbiPath").map(ResultCharts::indices));
        for (String name : new String[] {"filteredProbabilities", "posteriorProbabilities"}) {
            Optional<Track> found = s.track(name);
            if (found.isEmpty()) {
                continue;
            }
            Track p = found.get();
            int k = p.width();
            List<LabelledPath> paths = new ArrayList<>();
            path.ifPresent(v -> paths.add(new LabelledPath("Viterbi path", v)));
            int[] reference = PathMatching.argmax(p.values(), p.length(), k);
            seq.flatMap(q -> StudyFigures.truePath(q, k)).filter(t -> t.length == p.length())
                    .ifPresent(t -> paths.add(new LabelledPath("true path (states matched)",
                            PathMatching.relabel(t, reference, k))));
            boolean smoothed = name.startsWith("posterior");
            String title = id + (smoothed ? ": smoothed state probabilities" : ": filtered state probabilities");
            out.add(new Figure((smoothed ? "posterior-" : "filtered-") + base, section, title, "",
                    Drawing.of(ProbabilityChart.of(title, smoothed ? "p(s_t | all observations)" : "p(s_t | o_0..o_t)",
                            new StateProbabilityTrack(id, Charts.labels(s.states(), k, "state"), p.length(),
                                    p.values(), paths, -1)))));
        }
        if (path.isPresent() && s.track("posteriorProbabilities").isEmpty() && s.track("filteredProbabilities").isEmpty()) {
            int[] v = path.get();
            int k = s.states().size();
            for (int x : v) {
                k = Math.max(k, x + 1);
            }
            String title = id + ": Viterbi path";
            out.add(new Figure("viterbi-" + base, section, title, "", Drawing.of(PathChart.of(title,
                    "state on the Viterbi path", Charts.labels(s.states(), k, "state"), v))));
        }
        s.forecast().ifPresent(f -> out.addAll(forecast(f, id, base, section, symbolNames)));
        List<GaussianTrack> tracks = new ArrayList<>();
        for (String prefix : new String[] {"filtered", "smoothed"}) {
            Optional<Track> m = s.track(prefix + "Means");
            Optional<Track> c = s.track(prefix + "Covariances");
            if (m.isPresent() && c.isPresent()) {
                tracks.add(new GaussianTrack(prefix, m.get().length(), m.get().width(), m.get().values(),
                        c.get().values()));
            }
        }
        if (!tracks.isEmpty()) {
            for (int j = 0; j < Math.min(StudyFigures.MAX_COMPONENTS, tracks.get(0).dimension()); j++) {
                String title = id + ": hidden state x" + j;
                out.add(new Figure("states-" + base + "-" + j, section, title, "", Drawing.of(StateChart.of(title,
                        "state component x" + j, j, tracks, new double[0]))));
            }
        }
        for (Track h : s.tracks()) {
            if (h.name().startsWith("hidden")) {
                String title = id + ": hidden units (" + h.name() + ")";
                out.add(new Figure("hidden-" + base + "-" + Figure.safeName(h.name()), section, title, "",
                        Drawing.of(HiddenUnitsChart.of(title, new HiddenUnits(id, h.name(), h.length(), h.width(),
                                h.values())))));
            }
        }
        return out;
    }

    /** A forecast's steps ahead as charts: symbol probabilities, or the bands of every component. */
    private static List<Figure> forecast(ForecastReport.Run run, String id, String base, String section,
            List<String> symbolNames) {
        List<Figure> out = new ArrayList<>();
        if (run.probabilities().isPresent()) {
            Track p = run.probabilities().get();
            String title = id + ": forecast probabilities of the symbol k steps ahead";
            var chart = ProbabilityChart.of(title, "forecast probability", new StateProbabilityTrack(id,
                    Charts.labels(symbolNames, p.width(), "symbol"), p.length(), p.values(), List.of(), -1, 1));
            chart.setXAxisTitle("steps ahead k");
            out.add(new Figure("forecast-" + base, section, title, "", Drawing.of(chart)));
            return out;
        }
        PredictiveBands b = run.bands().orElseThrow();
        int n = b.length();
        int cols = b.dimension();
        double[] ahead = new double[n];
        for (int k = 0; k < n; k++) {
            ahead[k] = k + 1;
        }
        double[] none = new double[n];
        java.util.Arrays.fill(none, Double.NaN);
        for (int j = 0; j < Math.min(StudyFigures.MAX_COMPONENTS, cols); j++) {
            PredictiveSeries ps = PredictiveSeries.of(id, b, j, cols == 1 ? "observation (units of the data)"
                    : "observation component " + j, ahead, none, -1);
            String title = id + ": forecast k steps ahead" + (cols > 1 ? ", component " + j : "");
            var chart = PredictiveChart.of(title, ps);
            chart.setXAxisTitle("steps ahead k");
            out.add(new Figure("forecast-" + base + (cols > 1 ? "-" + j : ""), section, title, "",
                    Drawing.of(chart)));
        }
        return out;
    }

    // A path track's values (state indices, -1 for unknown) as ints.
    private static int[] indices(Track path) {
        int[] out = new int[path.length()];
        for (int t = 0; t < out.length; t++) {
            double v = path.value(t, 0);
            out[t] = Double.isNaN(v) ? -1 : (int) v;
        }
        return out;
    }

    /** T values of a JSON array of numbers ({@code "-Infinity"}, {@code "Infinity"}, {@code "NaN"} too; null is NaN). */
    static double[] numbers(JsonNode node, String name) {
        if (node == null || !node.isArray() || node.size() == 0) {
            throw new DataException(name + ": expected a non-empty array, got " + (node == null ? "nothing" : abbreviate(node)));
        }
        double[] out = new double[node.size()];
        for (int t = 0; t < out.length; t++) {
            JsonNode v = node.get(t);
            if (v.isNull()) {
                out[t] = Double.NaN;
            } else if (v.isNumber() || v.isTextual()) {
                out[t] = Json.doubleValue(v, "result", name + "[" + t + "]");
            } else {
                throw new DataException(name + "[" + t + "]: expected a number, got " + abbreviate(v));
            }
        }
        return out;
    }
}
