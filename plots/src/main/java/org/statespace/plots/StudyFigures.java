package org.statespace.plots;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.statespace.StateSpaceModel;
import org.statespace.StatespaceException;
import org.statespace.DataException;
import org.statespace.capability.PathDecoding;
import org.statespace.capability.Track;
import org.statespace.data.Dataset;
import org.statespace.data.ObservationKind;
import org.statespace.data.Sequence;
import org.statespace.inference.LearningCurve;
import org.statespace.inference.ScoreCollector;
import org.statespace.inference.result.FilterReport;
import org.statespace.study.ShownPredictions;
import org.statespace.study.ShownStates;
import org.statespace.study.StudyResult;
import org.statespace.study.StudySpec;

/**
 * Every chart of a study: the metric comparisons, the learning curves per dataset, and for each dataset
 * the charts a reader compares models by: one figure of one-step-ahead predictions with their bands (a
 * panel per model on one axis), each model's smoothed state probabilities with the Viterbi and true
 * paths when it has them, and the PIT histograms and interval coverage from the study's own scores.
 * Nothing is run here: the one-step predictions are the study's own ({@link FittedModel#predictions()},
 * {@link ShownPredictions}: kept from the evaluation run that scored the row), and so are the smoothed state
 * probabilities and the Viterbi path ({@link FittedModel#states()}, {@link ShownStates}); both are kept when the
 * study ran and written into results.json. A model whose results hold none (a results.json written before they
 * were kept, or a study run without its report) gets a note saying so instead of the chart.
 */
public final class StudyFigures {
    /** Steps shown at most in a per-sequence chart (the end of the sequence, held-out part included). */
    public static final int MAX_STEPS = StudyResult.SHOWN_STEPS;
    /** Steps shown at least (when the sequence has them): with a split in time, twice the held-out part. */
    static final int MIN_STEPS = 100;

    /**
     * The first step a per-sequence chart draws: the held-out part and as many training steps before it (at
     * least {@value #MIN_STEPS} steps in all, at most {@value #MAX_STEPS}), so the charts show what was scored
     * with its context; the last {@value #MAX_STEPS} steps of a held-out sequence ({@code heldOutFrom} &lt; 0).
     */
    static int drawnFrom(int n, int heldOutFrom) {
        int shown = heldOutFrom > 0 && heldOutFrom < n ? Math.max(MIN_STEPS, 2 * (n - heldOutFrom)) : MAX_STEPS;
        return Math.max(0, n - Math.min(MAX_STEPS, shown));
    }
    /** Components of a vector observation or state drawn at most. */
    public static final int MAX_COMPONENTS = 2;

    /**
     * A fitted model of a study, with what the study kept of it for the figures (each from the study just run or
     * read back from results.json): its one-step predictions of the sequence the figures draw
     * ({@link org.statespace.study.StudyResult#shownPredictions}) and its hidden states
     * ({@link org.statespace.study.StudyResult#shownStates}).
     */
    public record FittedModel(String name, long seed, StateSpaceModel<?, ?> model,
            Optional<ShownPredictions> predictions, Optional<ShownStates> states) {
        /** A model with nothing kept (a results.json written before they were kept): its charts become notes. */
        public FittedModel(String name, long seed, StateSpaceModel<?, ?> model) {
            this(name, seed, model, Optional.empty(), Optional.empty());
        }
    }

    /** The result of drawing: the figures, and one line for each chart that could not be drawn. */
    public record Drawn(List<Figure> figures, List<String> notes) {
        public Drawn {
            figures = List.copyOf(figures);
            notes = List.copyOf(notes);
        }
    }

    private StudyFigures() {
    }

    /** Bar charts of the metrics that have a value for some model and dataset. */
    public static List<Figure> metrics(StudyView view) {
        List<Figure> out = new ArrayList<>();
        Map<String, java.awt.Color> colours = Charts.modelColours(view.models());
        for (Metrics m : Metrics.KNOWN) {
            if (m.chartTitle() == null || Metrics.saidAgainIn(m.name(), view)) {
                continue; // an older metric whose proper score the study carries: the chart shows the table's
            }
            MetricTable table = view.metric(m.name(), m.label());
            if (table.hasValues()) {
                String seeds = view.seeds().size() > 1 ? "error bars: ± 1 sd over " + view.seeds().size() + " seeds"
                        : "one seed";
                out.add(new Figure("metric-" + m.name(), "Comparison", m.chartTitle(), "One panel per dataset, each "
                        + "with its own axis; one dot per model that ran on it, the mean over seeds; " + seeds
                        + ". A model keeps its colour in every chart.", MetricChart.of(m.chartTitle(), table, colours)));
            }
        }
        return out;
    }

    /** One learning-curve chart per dataset with every model that ran on it (curves keyed by row key). */
    public static List<Figure> learningCurves(StudyView view, Map<String, LearningCurve> curves) {
        List<Figure> out = new ArrayList<>();
        for (String dataset : view.datasets()) {
            List<CurveLine> lines = new ArrayList<>();
            for (StudyView.Row r : view.rows()) {
                LearningCurve c = curves.get(r.key());
                if (r.ok() && r.dataset().equals(dataset) && c != null && c.size() > 0) {
                    lines.add(CurveLine.of(r.model(), r.seed(), c));
                }
            }
            if (lines.isEmpty()) {
                continue;
            }
            String title = dataset + ": learning curves";
            out.add(new Figure("curves-" + Figure.safeName(dataset), "Learning curves", title,
                    "Loss per observation after each iteration (EM step, optimiser step or epoch) on the training part "
                            + "(solid) and on validation data (dashed, when the fit had any); one line per seed. Closed-form "
                            + "fits have two points: the start and the fit.",
                    Drawing.of(LearningCurveChart.of(title, "loss per observation (nats)", lines,
                            Charts.modelColours(view.models())))));
        }
        return out;
    }

    /**
     * The charts of one dataset that need model runs: for each model (its first fitted seed), over one
     * sequence: the first that carries its true hidden states, so the posterior chart can show the true path
     * (the first sequence when none does); for a sequence split, the same among the held-out sequences.
     */
    public static Drawn modelRuns(String datasetName, Dataset data, StudySpec.Split split, List<FittedModel> models) {
        return modelRuns(datasetName, data, split, models,
                Charts.modelColours(models.stream().map(FittedModel::name).distinct().toList()));
    }

    /**
     * As {@link #modelRuns(String, Dataset, StudySpec.Split, List)}, with the report's model colours. A report
     * draws what a reader compares: one figure of one-step-ahead predictions per dataset (per component of
     * vector data), a panel per model on one shared axis, and each model's smoothed state probabilities when it
     * has them (HMMs). The Kalman models' state bands and an RNN's hidden units are not drawn here ({@code plot}
     * of a {@code smooth} or {@code filter} result draws them); the calibration charts come from the study's
     * own scores ({@link #calibration}).
     */
    public static Drawn modelRuns(String datasetName, Dataset data, StudySpec.Split split, List<FittedModel> models,
            Map<String, java.awt.Color> colours) {
        List<Figure> posteriors = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Sequence sequence;
        int heldOutFrom;
        if (split.bySequence()) {
            sequence = shown(data.splitBySequence(split.train()).heldOut());
            heldOutFrom = -1;
        } else {
            sequence = shown(data);
            heldOutFrom = Dataset.trainingSteps(sequence.length(), split.train());
        }
        int n = sequence.length();
        int from = drawnFrom(n, heldOutFrom);
        String seqText = "sequence " + sequence.id() + (from > 0 ? " (steps " + from + "-" + (n - 1) + " of " + n + ")" : "");
        Map<String, FittedModel> first = new LinkedHashMap<>();
        models.forEach(m -> first.putIfAbsent(m.name(), m));
        Predictions predictions = new Predictions();
        for (FittedModel m : first.values()) {
            Run run = new Run(datasetName, Figure.safeName(datasetName) + "-" + Figure.safeName(m.name()),
                    datasetName + ": " + m.name(), sequence, heldOutFrom, from, seqText);
            attempt(new ArrayList<>(), notes, run.who() + ", predictions",
                    ignored -> predictive(run, data, m, predictions));
            attempt(posteriors, notes, run.who() + ", hidden states", out -> states(run, m, out));
        }
        List<Figure> out = new ArrayList<>(predictions.figures(datasetName, seqText));
        out.addAll(posteriors);
        return new Drawn(out, notes);
    }

    /** Height of one model's panel in a dataset's prediction figure (real values; symbols get more). */
    static final int PREDICTION_PANEL_HEIGHT = 250;
    static final int SYMBOL_PANEL_HEIGHT = 280;

    /** The prediction panels of a dataset's models, gathered model by model, drawn as one figure per component. */
    private static final class Predictions {
        final Map<Integer, Map<String, PredictiveSeries>> series = new LinkedHashMap<>();
        final Map<String, StateProbabilityTrack> symbols = new LinkedHashMap<>();
        List<String> symbolNames = List.of();
        int dimension = 1;

        List<Figure> figures(String dataset, String seqText) {
            List<Figure> out = new ArrayList<>();
            String base = Figure.safeName(dataset);
            for (var e : series.entrySet()) {
                int j = e.getKey();
                double[] limits = null;
                for (PredictiveSeries s : e.getValue().values()) { // one axis for every model of the dataset
                    double[] l = PredictiveChart.limits(s);
                    if (l != null) {
                        limits = limits == null ? l : new double[] {Math.min(limits[0], l[0]), Math.max(limits[1], l[1])};
                    }
                }
                List<org.knowm.xchart.XYChart> panels = new ArrayList<>();
                for (var m : e.getValue().entrySet()) {
                    panels.add(PredictiveChart.panel(m.getKey(), m.getValue(), Charts.WIDTH, PREDICTION_PANEL_HEIGHT,
                            limits));
                }
                String title = dataset + ": one-step-ahead predictions" + (dimension > 1 ? ", component " + j : "");
                out.add(new Figure("predictive-" + base + (dimension > 1 ? "-" + j : ""), dataset, title,
                        "Observations (dots) of " + seqText + " with each model's predictive mean and central 50% and "
                                + "90% intervals of p(o_t | o_0..o_{t-1}), one panel per model on one axis; calibrated "
                                + "bands hold half and nine tenths of the dots; the dashed line starts the held-out part.",
                        new MetricChart.Panels(title, panels, 1, PredictiveChart.panelLegend(), Charts.WIDTH,
                                PREDICTION_PANEL_HEIGHT)));
            }
            if (!symbols.isEmpty()) {
                List<org.knowm.xchart.XYChart> panels = new ArrayList<>();
                symbols.forEach((model, sp) -> panels.add(ProbabilityChart.panel(model, "predictive probability", sp,
                        Charts.WIDTH, SYMBOL_PANEL_HEIGHT)));
                Map<String, java.awt.Color> legend = new LinkedHashMap<>();
                for (int s = 0; s < symbolNames.size(); s++) {
                    legend.put(symbolNames.get(s), Charts.color(s));
                }
                String title = dataset + ": predictive probabilities of the next symbol";
                out.add(new Figure("predictive-" + base, dataset, title, "Stacked p(o_t = symbol | o_0..o_{t-1}) on "
                        + seqText + ", one panel per model, with the symbol that came below; the dashed line starts "
                        + "the held-out part.", new MetricChart.Panels(title, panels, 1, legend, Charts.WIDTH,
                                SYMBOL_PANEL_HEIGHT)));
            }
            return out;
        }
    }

    /**
     * A dataset's calibration charts from the study's own scores (the steps it scored, after burn-in and diffuse
     * steps): each model's PIT histogram, summed over its seeds, and the coverage of its central intervals against
     * their level, the mean over its seeds. Nothing when no row of the dataset has such scores.
     */
    public static List<Figure> calibration(StudyView view, String dataset, Map<String, java.awt.Color> colours) {
        Map<String, long[]> pit = new LinkedHashMap<>();
        Map<String, java.util.TreeMap<Double, double[]>> covered = new LinkedHashMap<>(); // level -> {sum, count}
        for (StudyView.Row r : view.rows()) {
            if (!r.ok() || !r.dataset().equals(dataset)) {
                continue;
            }
            com.fasterxml.jackson.databind.JsonNode histogram = r.scores().path("pitHistogram");
            if (histogram.isArray() && histogram.size() > 0) {
                long[] sum = pit.computeIfAbsent(r.model(), k -> new long[histogram.size()]);
                if (sum.length == histogram.size()) {
                    for (int i = 0; i < sum.length; i++) {
                        sum[i] += Math.max(0, histogram.get(i).asLong());
                    }
                }
            }
            var levels = r.scores().path("coverage").fields();
            while (levels.hasNext()) {
                var e = levels.next();
                double level;
                try {
                    level = Double.parseDouble(e.getKey());
                } catch (NumberFormatException notALevel) {
                    continue;
                }
                if (level > 0 && level < 1 && e.getValue().isNumber() && Double.isFinite(e.getValue().asDouble())) {
                    double[] acc = covered.computeIfAbsent(r.model(), k -> new java.util.TreeMap<>())
                            .computeIfAbsent(level, k -> new double[2]);
                    acc[0] += e.getValue().asDouble();
                    acc[1]++;
                }
            }
        }
        pit.values().removeIf(c -> java.util.Arrays.stream(c).sum() == 0);
        List<Figure> out = new ArrayList<>();
        String base = Figure.safeName(dataset);
        String seeds = view.seeds().size() > 1 ? " summed over the seeds" : "";
        if (!pit.isEmpty()) {
            String title = dataset + ": PIT histograms";
            out.add(new Figure("pit-" + base, dataset, title, "The predictive CDF at each scored held-out observation "
                    + "(randomised for discrete data)" + seeds + ", in " + ScoreCollector.PIT_BINS + " bins, as a density: "
                    + "a calibrated model's bars sit on the dashed line at 1; a U shape means too sharp, a hump too wide.",
                    CalibrationChart.pit(title, pit, colours)));
        }
        if (!covered.isEmpty()) {
            Map<String, double[]> levels = new LinkedHashMap<>();
            Map<String, double[]> coverage = new LinkedHashMap<>();
            covered.forEach((model, byLevel) -> {
                levels.put(model, byLevel.keySet().stream().mapToDouble(Double::doubleValue).toArray());
                coverage.put(model, byLevel.values().stream().mapToDouble(a -> a[0] / a[1]).toArray());
            });
            String title = dataset + ": interval coverage";
            out.add(new Figure("coverage-" + base, dataset, title, "Share of the scored held-out observations inside "
                    + "each model's central predictive interval" + (seeds.isEmpty() ? "" : " (the mean over the seeds)")
                    + " against the interval's level; calibrated on the diagonal.",
                    Drawing.of(CalibrationChart.coverage(title, levels, coverage, colours))));
        }
        return out;
    }

    /** A part of the charts of one model; a failure becomes a note and the other parts are still drawn. */
    private interface Part {
        void draw(List<Figure> out);
    }

    private static void attempt(List<Figure> out, List<String> notes, String what, Part part) {
        List<Figure> drawn = new ArrayList<>();
        try {
            part.draw(drawn);
            out.addAll(drawn);
        } catch (StatespaceException e) {
            notes.add(what + ": not drawn (" + e.getMessage() + ")");
        }
    }

    private static Sequence shown(Dataset data) {
        return data.sequence(StudyResult.shownSequence(data));
    }

    /**
     * What the charts of one model on one sequence share: names, titles, and the window of steps drawn.
     *
     * @param base    the file-name stem: dataset-model
     * @param who     the title stem: "dataset: model"
     * @param from    the first step drawn ({@link #drawnFrom})
     * @param seqText the sequence and window, for captions
     */
    private record Run(String dataset, String base, String who, Sequence sequence, int heldOutFrom, int from,
            String seqText) {
    }

    /**
     * Adds the prediction panels (the drawn window) of the one-step predictions the study kept of a model. Nothing is
     * run here: kept predictions that are missing, or that belong to another sequence than the data's, are an error
     * the caller notes.
     */
    private static void predictive(Run run, Dataset data, FittedModel fitted, Predictions out) {
        Sequence sequence = run.sequence();
        if (fitted.predictions().isEmpty()) {
            throw new DataException("the results hold no one-step predictions of this model (a row's "
                    + "\"shownPredictions\"): they were written by an older statespace or by a study run without its "
                    + "report, and a report draws only what the study kept; run the study again to draw them");
        }
        ShownPredictions kept = fitted.predictions().get();
        requireShown("one-step predictions", kept.sequenceId(), kept.sequenceLength(), sequence);
        FilterReport.Run predicted = kept.run();
        int first = kept.firstStep();
        int n = sequence.length();
        int length = n - first;
        int from = Math.max(0, run.from() - first); // a study keeps every step drawn: a hand-made file may keep fewer
        if (data.kind() == ObservationKind.SYMBOLS && predicted.probabilities().isPresent()) {
            org.statespace.capability.Track p = predicted.probabilities().get();
            int k = p.width();
            int[] observed = new int[length];
            for (int i = 0; i < length; i++) {
                observed[i] = sequence.isMissing(first + i) ? -1 : sequence.symbol(first + i);
            }
            List<String> symbols = kept.predictions().symbols();
            List<String> names = Charts.labels(symbols.size() == k ? symbols : data.symbolNames(), k, "symbol");
            int heldOut = run.heldOutFrom() < 0 ? -1 : run.heldOutFrom() - first;
            out.symbols.put(fitted.name(), new StateProbabilityTrack(sequence.id(), names, length, p.values(),
                    List.of(new LabelledPath("observed", observed)), heldOut, first).window(from, length));
            if (names.size() > out.symbolNames.size()) {
                out.symbolNames = names;
            }
        } else {
            int d = kept.bands().dimension();
            out.dimension = d;
            for (int j = 0; j < Math.min(MAX_COMPONENTS, d); j++) {
                String label = d == 1 ? "observation (units of the data)"
                        : "observation component " + j + " (units of the data)";
                out.series.computeIfAbsent(j, c -> new LinkedHashMap<>()).put(fitted.name(),
                        PredictiveSeries.of(predicted, sequence, first, j, label, run.heldOutFrom()).window(from, length));
            }
        }
    }

    /** Kept values of a sequence must be of the data's shown sequence: else the dataset changed since the study ran. */
    private static void requireShown(String what, String keptId, int keptLength, Sequence sequence) {
        if (!keptId.equals(sequence.id()) || keptLength != sequence.length()) {
            throw new DataException("the kept " + what + " are of sequence \"" + keptId + "\" (" + keptLength
                    + " steps), but the data's shown sequence is \"" + sequence.id() + "\" (" + sequence.length()
                    + " steps): the dataset changed since the study ran");
        }
    }

    /**
     * The smoothed state probabilities the study kept of a model with discrete hidden states, with its Viterbi
     * path and the true path (an HMM's posterior); nothing for a model without them. Nothing is run here: kept
     * states that are missing, or that belong to another sequence than the data's, are an error the caller notes.
     */
    private static void states(Run run, FittedModel fitted, List<Figure> out) {
        StateSpaceModel<?, ?> model = fitted.model();
        Sequence sequence = run.sequence();
        if (fitted.states().isEmpty()) {
            if (model instanceof PathDecoding) {
                throw new DataException("the results hold no smoothed states of this model (a row's \"shownStates\"): "
                        + "they were written by an older statespace or by a study run without its report, and a report "
                        + "draws only what the study kept; run the study again to draw them");
            }
            return;
        }
        ShownStates kept = fitted.states().get();
        requireShown("smoothed states", kept.sequenceId(), kept.sequenceLength(), sequence);
        out.add(posteriorFigure(run, kept));
    }

    private static Figure posteriorFigure(Run run, ShownStates kept) {
        Sequence sequence = run.sequence();
        Track posterior = kept.probabilities();
        int first = kept.firstStep();
        int length = posterior.length();
        int k = posterior.shape()[0];
        List<String> names = Charts.labels(kept.states(), k, "state");
        List<LabelledPath> paths = new ArrayList<>();
        kept.viterbiPath().ifPresent(p -> paths.add(new LabelledPath("Viterbi path", p)));
        int[] reference = PathMatching.argmax(posterior.values(), length, k);
        truePath(sequence, k).ifPresent(p -> paths.add(new LabelledPath("true path (states matched)",
                PathMatching.relabel(java.util.Arrays.copyOfRange(p, first, first + length), reference, k))));
        int heldOut = run.heldOutFrom() < 0 ? -1 : run.heldOutFrom() - first;
        StateProbabilityTrack sp = new StateProbabilityTrack(sequence.id(), names, length, posterior.values(), paths,
                heldOut, first).window(Math.max(0, run.from() - first), length);
        String title = run.who() + ", smoothed state probabilities";
        return new Figure("posterior-" + run.base(), run.dataset(), title, "Stacked p(s_t = k | all observations of "
                + run.seqText() + ")" + (paths.isEmpty() ? "." : ", with " + String.join(" and ",
                        paths.stream().map(LabelledPath::name).toList()) + " below."
                        + (paths.size() > 0 && paths.get(paths.size() - 1).name().startsWith("true")
                                ? " The true states are renamed to the fitted states they overlap most on the steps "
                                        + "drawn (a fitted model numbers its states arbitrarily)." : "")),
                Drawing.of(ProbabilityChart.of(title, "posterior probability", sp)));
    }

    /** The sequence's hidden states as a path, when there is one state per step in 0..k-1. */
    static Optional<int[]> truePath(Sequence sequence, int k) {
        if (!sequence.hasStates() || sequence.stateDimension() != 1) {
            return Optional.empty();
        }
        int[] path = new int[sequence.length()];
        for (int t = 0; t < path.length; t++) {
            double v = sequence.state(t, 0);
            if (Double.isNaN(v)) {
                path[t] = -1;
            } else if (v == Math.rint(v) && v >= 0 && v < k) {
                path[t] = (int) v;
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(path);
    }
}
