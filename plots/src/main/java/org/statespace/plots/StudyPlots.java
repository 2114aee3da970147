package org.statespace.plots;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.statespace.StateSpaceModel;
import org.statespace.StatespaceException;
import org.statespace.data.Dataset;
import org.statespace.data.Datasets;
import org.statespace.inference.LearningCurve;
import org.statespace.inference.Parallel;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;
import org.statespace.study.DatasetResolver;
import org.statespace.study.ShownPredictions;
import org.statespace.study.ShownStates;
import org.statespace.study.StudyResult;
import org.statespace.study.StudyRow;
import org.statespace.study.StudySpec;

/**
 * Draws every chart of a study and writes the report: {@code plots/*.png} (and {@code plots/*.svg} when
 * asked) and {@code report.html} beside the results. Works on a study just run ({@link #write(StudyResult,
 * DatasetResolver, Path)}) or on a results folder read back ({@link #writeFromFiles}).
 */
public final class StudyPlots {
    private StudyPlots() {
    }

    /** After a study: charts (PNG) and report under {@code dir} (where the results were written). */
    public static Path write(StudyResult result, DatasetResolver resolver, Path dir) {
        return write(result, resolver, dir, false);
    }

    /** As {@link #write(StudyResult, DatasetResolver, Path)}, with every chart as SVG too when {@code svg}. */
    public static Path write(StudyResult result, DatasetResolver resolver, Path dir, boolean svg) {
        Map<String, LearningCurve> curves = new LinkedHashMap<>();
        Map<String, JsonNode> fitted = new LinkedHashMap<>();
        Map<String, StateSpaceModel<?, ?>> models = new LinkedHashMap<>();
        Map<String, ShownPredictions> predictions = new LinkedHashMap<>();
        Map<String, ShownStates> states = new LinkedHashMap<>();
        for (StudyRow r : result.rows()) {
            if (r.ok()) {
                curves.put(r.key(), r.curve());
                fitted.put(r.key(), r.fitted());
                result.fittedModel(r).ifPresent(m -> models.put(r.key(), m)); // no need to read its spec back
                result.shownPredictions(r).ifPresent(p -> predictions.put(r.key(), p)); // nor to filter it again
                result.shownStates(r).ifPresent(s -> states.put(r.key(), s)); // nor to smooth and decode it
            }
        }
        return write(result.spec(), StudyView.of(result), curves, fitted, models, predictions, states, resolver, dir,
                new ArrayList<>(), svg);
    }

    /**
     * From a results.json (with {@code curves/} and {@code fitted/} beside it when present): charts and
     * report under {@code out}. A dataset named by a relative path is looked for relative to the results
     * folder, its parent (where the study file usually is) and the working folder; one that cannot be
     * found gets a note in the report instead of its model-run charts. The prediction and hidden-state charts draw
     * what the study kept in results.json (a row's {@code shownPredictions} and {@code shownStates}); nothing is
     * filtered, smoothed or decoded here, and a model whose row has none (a file written before they were kept)
     * gets a note instead of the chart.
     */
    public static Path writeFromFiles(Path resultsJson, JsonNode json, DatasetResolver resolver, Path out) {
        return writeFromFiles(resultsJson, json, resolver, out, false);
    }

    /** As {@link #writeFromFiles(Path, JsonNode, DatasetResolver, Path)}, with every chart as SVG too when {@code svg}. */
    public static Path writeFromFiles(Path resultsJson, JsonNode json, DatasetResolver resolver, Path out, boolean svg) {
        StudyView view = StudyView.fromJson(json, resultsJson.toString());
        Path folder = resultsJson.toAbsolutePath().getParent();
        Map<String, LearningCurve> curves = new LinkedHashMap<>();
        Map<String, JsonNode> fitted = new LinkedHashMap<>();
        Map<String, ShownPredictions> predictions = new LinkedHashMap<>();
        Map<String, ShownStates> states = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (StudyView.Row r : view.rows()) {
            if (!r.ok()) {
                continue;
            }
            if (r.shownPredictions() != null) {
                try {
                    predictions.put(r.key(), ShownPredictions.fromJson(r.shownPredictions(),
                            resultsJson + ": " + r.key() + ": shownPredictions"));
                } catch (StatespaceException e) { // malformed: say so, draw the rest
                    notes.add(r.key() + ": its kept one-step predictions cannot be read (" + e.getMessage() + ")");
                }
            }
            if (r.shownStates() != null) {
                try {
                    states.put(r.key(), ShownStates.fromJson(r.shownStates(), resultsJson + ": " + r.key() + ": shownStates"));
                } catch (StatespaceException e) { // malformed: say so, draw the rest
                    notes.add(r.key() + ": its kept hidden states cannot be read (" + e.getMessage() + ")");
                }
            }
            Path c = folder.resolve("curves").resolve(r.key() + ".json");
            Path f = folder.resolve("fitted").resolve(r.key() + ".json");
            try {
                if (Files.isRegularFile(c)) {
                    curves.put(r.key(), LearningCurve.fromJson(Json.read(c)));
                }
                if (Files.isRegularFile(f)) {
                    fitted.put(r.key(), Json.read(f));
                }
            } catch (RuntimeException e) { // a malformed curve file: say so, draw the rest
                notes.add(r.key() + ": cannot read its curve or fitted spec (" + e.getMessage() + ")");
            }
        }
        StudySpec spec;
        try {
            spec = StudySpec.read(SpecNode.root(view.spec(), resultsJson + " (spec)"), folder);
        } catch (StatespaceException e) {
            notes.add("the study spec in " + resultsJson + " cannot be read, so no model-run charts: " + e.getMessage());
            spec = null;
        }
        if (spec != null) {
            List<StudySpec.DatasetEntry> located = new ArrayList<>();
            for (int i = 0; i < spec.datasets().size(); i++) {
                StudySpec.DatasetEntry d = spec.datasets().get(i);
                Path p = d.path();
                if (p != null && !isDatasetFile(p)) { // the results file names it: read only what can be a dataset
                    notes.add("dataset " + d.name() + ": " + p.getFileName() + " is not a .json or .csv dataset, so no "
                            + "model-run charts");
                    continue;
                }
                if (p != null && !Files.isRegularFile(p)) {
                    String given = view.spec().path("datasets").path(i).path("path").asText("");
                    for (Path base : new Path[] {folder.getParent(), Path.of("").toAbsolutePath()}) {
                        if (base != null && !given.isEmpty() && Files.isRegularFile(base.resolve(given))) {
                            p = base.resolve(given).normalize();
                            break;
                        }
                    }
                }
                located.add(new StudySpec.DatasetEntry(d.name(), d.builtin(), p, d.split()));
            }
            spec = new StudySpec(spec.name(), located, spec.split(), spec.seeds(), spec.models(), spec.scoring(), spec.json());
        }
        return write(spec, view, curves, fitted, Map.of(), predictions, states, resolver, out, notes, svg);
    }

    private static boolean isDatasetFile(Path p) {
        String name = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".json") || name.endsWith(".csv");
    }

    static Path write(StudySpec spec, StudyView view, Map<String, LearningCurve> curves, Map<String, JsonNode> fitted,
            DatasetResolver resolver, Path dir) {
        return write(spec, view, curves, fitted, Map.of(), Map.of(), Map.of(), resolver, dir, new ArrayList<>(), false);
    }

    private static Path write(StudySpec spec, StudyView view, Map<String, LearningCurve> curves,
            Map<String, JsonNode> fitted, Map<String, StateSpaceModel<?, ?>> models,
            Map<String, ShownPredictions> predictions, Map<String, ShownStates> states, DatasetResolver resolver,
            Path dir, List<String> notes, boolean svg) {
        long start = System.nanoTime();
        List<Figure> figures = new ArrayList<>(StudyFigures.metrics(view));
        figures.addAll(StudyFigures.learningCurves(view, curves));
        Map<String, java.awt.Color> colours = Charts.modelColours(view.models());
        Map<String, StudyFigures.Drawn> runs = new LinkedHashMap<>();
        if (spec != null) {
            // each dataset's model runs on a thread of its own (up to the study's thread count); order is kept
            List<StudyFigures.Drawn> perDataset = Parallel.map(spec.datasets(), StudyReport.threads(view),
                    d -> modelRuns(spec, d, view, fitted, models, predictions, states, resolver));
            for (int i = 0; i < perDataset.size(); i++) {
                runs.put(spec.datasets().get(i).name(), perDataset.get(i));
            }
        }
        for (String dataset : view.datasets()) {
            StudyFigures.Drawn drawn = runs.get(dataset);
            if (drawn != null) {
                figures.addAll(drawn.figures());
                notes.addAll(drawn.notes());
            }
            figures.addAll(StudyFigures.calibration(view, dataset, colours));
        }
        double drawSeconds = (System.nanoTime() - start) / 1e9;
        return StudyReport.write(dir, view, figures, notes, StudyReport.threads(view), drawSeconds, svg);
    }

    /** The model-run charts of one dataset; what cannot be drawn becomes a note. */
    private static StudyFigures.Drawn modelRuns(StudySpec spec, StudySpec.DatasetEntry d, StudyView view,
            Map<String, JsonNode> fitted, Map<String, StateSpaceModel<?, ?>> fittedModels,
            Map<String, ShownPredictions> predictions, Map<String, ShownStates> states, DatasetResolver resolver) {
        List<String> notes = new ArrayList<>();
        Dataset data;
        try {
            data = d.builtin() != null ? resolver.builtin(d.builtin()) : Datasets.read(d.path());
        } catch (StatespaceException e) {
            // no reader's message: it would quote the file, and a results file may name any file
            return new StudyFigures.Drawn(List.of(), List.of("dataset " + d.name()
                    + ": not found or not a dataset, so no model-run charts"));
        }
        List<StudyFigures.FittedModel> models = new ArrayList<>();
        for (StudyView.Row r : view.rows()) {
            JsonNode f = fitted.get(r.key());
            StateSpaceModel<?, ?> known = fittedModels.get(r.key());
            if (r.ok() && r.dataset().equals(d.name()) && (f != null || known != null)
                    && models.stream().noneMatch(m -> m.name().equals(r.model()))) {
                try {
                    models.add(new StudyFigures.FittedModel(r.model(), r.seed(),
                            known != null ? known : ModelSpecs.read(f, "fitted " + r.key()),
                            java.util.Optional.ofNullable(predictions.get(r.key())),
                            java.util.Optional.ofNullable(states.get(r.key()))));
                } catch (StatespaceException e) {
                    notes.add(r.key() + ": the fitted spec cannot be read (" + e.getMessage() + ")");
                }
            }
        }
        StudyFigures.Drawn drawn = StudyFigures.modelRuns(d.name(), data, spec.splitFor(d, resolver), models,
                Charts.modelColours(view.models()));
        notes.addAll(drawn.notes());
        return new StudyFigures.Drawn(drawn.figures(), notes);
    }
}
