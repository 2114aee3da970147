package org.statespace.plots;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.statespace.StateSpaceModel;
import org.statespace.StatespaceException;
import org.statespace.capability.PathDecoding;
import org.statespace.capability.StateEstimates;
import org.statespace.capability.StateFiltering;
import org.statespace.capability.StateSmoothing;
import org.statespace.capability.Track;
import org.statespace.data.Dataset;
import org.statespace.data.ObservationKind;
import org.statespace.data.Sequence;
import org.statespace.inference.FilterEngine;
import org.statespace.distribution.Scores;
import org.statespace.inference.LearningCurve;
import org.statespace.inference.ProperScores;
import org.statespace.inference.ScoreCollector;
import org.statespace.inference.SequenceTrace;
import org.statespace.study.StudySpec;

/**
 * Every chart of a study: the metric comparisons, the learning curves per dataset, and for each dataset
 * and model the charts that need a model run over the data (one-step-ahead predictions with their
 * bands; and, when the model has them, smoothed state probabilities with the Viterbi and true paths,
 * filtered and smoothed Gaussian states, RNN hidden units; per dataset, PIT histograms and interval
 * coverage from a scoring run over the held-out part). Model runs go through the model's
 * capabilities ({@link StateSmoothing}, {@link StateFiltering}, {@link PathDecoding}) and the filter
 * engine, so they draw any family.
 */
public final class StudyFigures {
    /** Steps shown at most in a per-sequence chart (the end of the sequence, held-out part included). */
    public static final int MAX_STEPS = 300;
    /** Components of a vector observation or state drawn at most. */
    public static final int MAX_COMPONENTS = 2;

    /** A fitted model of a study. */
    public record FittedModel(String name, long seed, StateSpaceModel<?, ?> model) {
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
            if (m.chartTitle() == null) {
                continue;
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
     * As {@link #modelRuns(String, Dataset, StudySpec.Split, List)}, with the report's model colours; adds the
     * dataset's calibration charts (PIT histograms and coverage against nominal level) from a scoring run of
     * each model over the held-out part ({@link ScoreCollector}).
     */
    public static Drawn modelRuns(String datasetName, Dataset data, StudySpec.Split split, List<FittedModel> models,
            Map<String, java.awt.Color> colours) {
        List<Figure> out = new ArrayList<>();
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
        Map<String, FittedModel> first = new LinkedHashMap<>();
        models.forEach(m -> first.putIfAbsent(m.name(), m));
        for (FittedModel m : first.values()) {
            out.addAll(sequenceFigures(datasetName, data, sequence, heldOutFrom, m, notes));
        }
        attempt(out, notes, datasetName + ", calibration", o -> calibration(datasetName, data, split, first.values(),
                colours, notes, o));
        return new Drawn(out, notes);
    }

    /** The PIT histograms and coverage chart of a dataset's models, scored over its held-out part. */
    private static void calibration(String dataset, Dataset data, StudySpec.Split split,
            java.util.Collection<FittedModel> models, Map<String, java.awt.Color> colours, List<String> notes,
            List<Figure> out) {
        Dataset scored;
        int[] firstStep;
        if (split.bySequence()) {
            scored = data.splitBySequence(split.train()).heldOut();
            firstStep = new int[scored.size()];
        } else {
            scored = data;
            firstStep = new int[data.size()];
            for (int i = 0; i < data.size(); i++) {
                firstStep[i] = Dataset.trainingSteps(data.sequence(i).length(), split.train());
            }
        }
        Map<String, long[]> pit = new LinkedHashMap<>();
        Map<String, double[]> levels = new LinkedHashMap<>();
        Map<String, double[]> coverage = new LinkedHashMap<>();
        for (FittedModel m : models) {
            attempt(new ArrayList<>(), notes, dataset + ": " + m.name() + ", calibration", ignored -> {
                ScoreCollector collector = new ScoreCollector(scored, firstStep, Scores.defaultCoverageLevels(),
                        m.seed());
                FilterEngine.singleThreaded().stream(m.model(), scored, collector);
                ProperScores p = collector.scores();
                if (java.util.Arrays.stream(p.pitHistogram()).sum() > 0) {
                    pit.put(m.name(), p.pitHistogram());
                }
                levels.put(m.name(), p.coverageLevels());
                coverage.put(m.name(), p.coverage());
            });
        }
        String base = Figure.safeName(dataset);
        if (!pit.isEmpty()) {
            String title = dataset + ": PIT histograms";
            out.add(new Figure("pit-" + base, dataset, title, "The predictive CDF at each held-out observation "
                    + "(randomised for discrete data), in " + ScoreCollector.PIT_BINS + " bins, as a density: a "
                    + "calibrated model's bars sit on the dashed line at 1; a U shape means too sharp, a hump too wide.",
                    CalibrationChart.pit(title, pit, colours)));
        }
        if (coverage.values().stream().anyMatch(c -> java.util.Arrays.stream(c).anyMatch(Double::isFinite))) {
            String title = dataset + ": interval coverage";
            out.add(new Figure("coverage-" + base, dataset, title, "Share of held-out observations inside each "
                    + "model's central predictive interval against the interval's level; calibrated on the diagonal.",
                    Drawing.of(CalibrationChart.coverage(title, levels, coverage, colours))));
        }
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
        for (Sequence s : data.sequences()) {
            if (s.hasStates()) {
                return s;
            }
        }
        return data.sequence(0);
    }

    static List<Figure> sequenceFigures(String dataset, Dataset data, Sequence sequence, int heldOutFrom,
            FittedModel fitted, List<String> notes) {
        List<Figure> all = new ArrayList<>();
        int n = sequence.length();
        int from = Math.max(0, n - MAX_STEPS);
        Run run = new Run(dataset, Figure.safeName(dataset) + "-" + Figure.safeName(fitted.name()),
                dataset + ": " + fitted.name(), sequence, heldOutFrom, from,
                "sequence " + sequence.id() + (from > 0 ? " (steps " + from + "-" + (n - 1) + " of " + n + ")" : ""));
        attempt(all, notes, run.who() + ", predictions", out -> predictive(run, data, fitted.model(), out));
        attempt(all, notes, run.who() + ", hidden states", out -> states(run, fitted.model(), out));
        return all;
    }

    /**
     * What the charts of one model on one sequence share: names, titles, and the window of steps drawn.
     *
     * @param base    the file-name stem: dataset-model
     * @param who     the title stem: "dataset: model"
     * @param from    the first step drawn (the last {@link #MAX_STEPS} steps are drawn)
     * @param seqText the sequence and window, for captions
     */
    private record Run(String dataset, String base, String who, Sequence sequence, int heldOutFrom, int from,
            String seqText) {
    }

    private static void predictive(Run run, Dataset data, StateSpaceModel<?, ?> model, List<Figure> out) {
        String dataset = run.dataset();
        String base = run.base();
        String who = run.who();
        Sequence sequence = run.sequence();
        int heldOutFrom = run.heldOutFrom();
        int n = sequence.length();
        int from = run.from();
        String seqText = run.seqText();
        SequenceTrace trace = FilterEngine.singleThreaded().run(model, sequence);
        if (data.kind() == ObservationKind.SYMBOLS && trace.symbolCount() > 0) {
            int k = trace.symbolCount();
            double[] p = new double[n * k];
            int[] observed = new int[n];
            for (int t = 0; t < n; t++) {
                System.arraycopy(trace.probabilities(t).orElseThrow(), 0, p, t * k, k);
                observed[t] = sequence.isMissing(t) ? -1 : sequence.symbol(t);
            }
            StateProbabilities sp = new StateProbabilities(sequence.id(), symbolNames(data, model, k), n, p,
                    List.of(new LabelledPath("observed", observed)), heldOutFrom).window(from, n);
            String title = who + ", predictive probabilities of the next symbol";
            out.add(new Figure("predictive-" + base, dataset, title, "Stacked p(o_t = symbol | o_0..o_{t-1}) on "
                    + seqText + ", with the symbol that came below; the dashed line starts the held-out part.",
                    Drawing.of(ProbabilityChart.of(title, "predictive probability", sp))));
        } else {
            for (int j = 0; j < Math.min(MAX_COMPONENTS, trace.dimension()); j++) {
                String label = trace.dimension() == 1 ? "observation (units of the data)"
                        : "observation component " + j + " (units of the data)";
                PredictiveSeries s = PredictiveSeries.of(trace, sequence, j, label, heldOutFrom).window(from, n);
                String title = who + ", one-step-ahead predictions" + (trace.dimension() > 1 ? ", component " + j : "");
                out.add(new Figure("predictive-" + base + (trace.dimension() > 1 ? "-" + j : ""), dataset, title,
                        "Observations (dots) of " + seqText + " with the predictive mean and central 50% and 90% "
                                + "intervals of p(o_t | o_0..o_{t-1}); calibrated bands hold half and nine tenths "
                                + "of the dots.",
                        Drawing.of(PredictiveChart.of(title, s))));
            }
        }
    }

    private static void states(Run run, StateSpaceModel<?, ?> model, List<Figure> out) {
        String dataset = run.dataset();
        String base = run.base();
        String who = run.who();
        Sequence sequence = run.sequence();
        int heldOutFrom = run.heldOutFrom();
        int from = run.from();
        String seqText = run.seqText();
        if (model instanceof StateSmoothing smoother) {
            StateEstimates smoothed = smoother.smoothStates(sequence);
            Optional<Track> posterior = track(smoothed, "posteriorProbabilities");
            Optional<Track> means = track(smoothed, "smoothedMeans");
            Optional<Track> covariances = track(smoothed, "smoothedCovariances");
            if (posterior.isPresent()) {
                out.add(posteriorFigure(base, who, sequence, heldOutFrom, model, posterior.get(), from, dataset, seqText));
            } else if (means.isPresent() && covariances.isPresent()) {
                out.addAll(stateFigures(base, who, sequence, model, means.get(), covariances.get(), dataset, seqText));
            }
        }
        if (model instanceof StateFiltering filter && !(model instanceof StateSmoothing)) {
            StateEstimates filtered = filter.filterStates(sequence);
            int layers = 0;
            for (Track t : filtered.tracks()) {
                if (t.name().startsWith("hidden") && t.shape().length == 1 && layers < 3) {
                    layers++;
                    HiddenUnits h = new HiddenUnits(sequence.id(), t.name(), t.length(), t.shape()[0], t.values());
                    String title = who + ", hidden units (" + t.name() + ")";
                    out.add(new Figure("hidden-" + base + "-" + Figure.safeName(t.name()), dataset, title,
                            "Activations of every unit of the layer over " + "sequence " + sequence.id() + ".",
                            Drawing.of(HiddenUnitsChart.of(title, h))));
                }
            }
        }
    }

    private static Figure posteriorFigure(String base, String who, Sequence sequence, int heldOutFrom,
            StateSpaceModel<?, ?> model, Track posterior, int from, String dataset, String seqText) {
        int n = posterior.length();
        int k = posterior.shape()[0];
        List<String> names = Charts.labels(model instanceof PathDecoding named ? named.stateNames() : List.of(),
                k, "state");
        List<LabelledPath> paths = new ArrayList<>();
        if (model instanceof PathDecoding decoder) {
            paths.add(new LabelledPath("Viterbi path", decoder.decode(sequence).path()));
        }
        int[] reference = PathMatching.argmax(posterior.values(), n, k);
        truePath(sequence, k).ifPresent(p -> paths.add(new LabelledPath("true path (states matched)",
                PathMatching.relabel(p, reference, k))));
        StateProbabilities sp = new StateProbabilities(sequence.id(), names, n, posterior.values(), paths, heldOutFrom)
                .window(from, n);
        String title = who + ", smoothed state probabilities";
        return new Figure("posterior-" + base, dataset, title, "Stacked p(s_t = k | all observations of " + seqText
                + ")" + (paths.isEmpty() ? "." : ", with " + String.join(" and ",
                        paths.stream().map(LabelledPath::name).toList()) + " below."
                        + (paths.size() > 0 && paths.get(paths.size() - 1).name().startsWith("true")
                                ? " The true states are renamed to the fitted states they overlap most (a fitted "
                                        + "model numbers its states arbitrarily)." : "")),
                Drawing.of(ProbabilityChart.of(title, "posterior probability", sp)));
    }

    private static List<Figure> stateFigures(String base, String who, Sequence sequence, StateSpaceModel<?, ?> model,
            Track means, Track covariances, String dataset, String seqText) {
        int n = means.length();
        int dim = means.shape()[0];
        List<GaussianTrack> tracks = new ArrayList<>();
        if (model instanceof StateFiltering filter) {
            StateEstimates f = filter.filterStates(sequence);
            Optional<Track> fm = track(f, "filteredMeans");
            Optional<Track> fc = track(f, "filteredCovariances");
            if (fm.isPresent() && fc.isPresent()) {
                tracks.add(new GaussianTrack("filtered", n, dim, fm.get().values(), fc.get().values()));
            }
        }
        tracks.add(new GaussianTrack("smoothed", n, dim, means.values(), covariances.values()));
        List<Figure> out = new ArrayList<>();
        for (int j = 0; j < Math.min(MAX_COMPONENTS, dim); j++) {
            // No true-state overlay: a fitted model's state is identified only up to a change of basis
            // (EM may rotate, scale or reorder it), so a dataset's true states are not its coordinates.
            double[] truth = new double[0];
            String title = who + ", hidden state x" + j;
            out.add(new Figure("states-" + base + "-" + j, dataset, title, "Filtered p(x_t | o_0..o_t) and smoothed "
                    + "p(x_t | all observations) of state component " + j + " on " + seqText + ": mean and central 50% "
                    + "and 90% intervals" + (truth.length > 0 ? "; dots: the true state." : "."),
                    Drawing.of(StateChart.of(title, "state component x" + j, j, tracks, truth))));
        }
        return out;
    }

    private static Optional<Track> track(StateEstimates estimates, String name) {
        return estimates.tracks().stream().filter(t -> t.name().equals(name)).findFirst();
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

    private static List<String> symbolNames(Dataset data, StateSpaceModel<?, ?> model, int k) {
        return Charts.labels(model.symbolNames().size() == k ? model.symbolNames() : data.symbolNames(), k, "symbol");
    }
}
