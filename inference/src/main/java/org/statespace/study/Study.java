package org.statespace.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.DataException;
import org.statespace.StateSpaceModel;
import org.statespace.StatespaceException;
import org.statespace.data.Dataset;
import org.statespace.data.Datasets;
import org.statespace.inference.Evaluation;
import org.statespace.inference.FilterEngine;
import org.statespace.inference.FilterOptions;
import org.statespace.inference.FilterResult;
import org.statespace.inference.FitConfiguration;
import org.statespace.inference.FitResult;
import org.statespace.inference.LearningCurve;
import org.statespace.inference.StreamSummary;
import org.statespace.inference.Metrics;
import org.statespace.inference.Trainer;
import org.statespace.inference.TrainOptions;
import org.statespace.numeric.InformationCriteria;
import org.statespace.numeric.Randoms;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;

/**
 * Runs a comparative study: for every dataset, model and seed, fit the model on the training part and
 * score its one-step-ahead predictions on the held-out part with the same metrics for every family.
 * With a time split the model is filtered through each whole sequence and scored on the held-out end,
 * so every prediction uses the whole past; with a sequence split it is scored on whole held-out
 * sequences. A model that does not apply to a dataset is skipped with the reason; a fit that fails is
 * reported as failed with its error, and the study goes on.
 */
public final class Study {
    private Study() {
    }

    /**
     * @param threads threads for filtering and E-steps (results do not depend on it)
     */
    public static StudyResult run(StudySpec spec, DatasetResolver resolver, int threads, StudyListener listener) {
        long start = System.nanoTime();
        StudyListener hear = listener == null ? StudyListener.NONE : listener;
        Map<String, Dataset> loaded = new LinkedHashMap<>();
        for (StudySpec.DatasetEntry d : spec.datasets()) {
            loaded.put(d.name(), d.builtin() != null ? resolver.builtin(d.builtin()) : Datasets.read(d.path()));
        }
        // check every model spec and fit block before any long work
        for (StudySpec.ModelEntry m : spec.models()) {
            if (m.init() != null) {
                ModelSpecs.read(m.init());
            } else {
                ModelSpecs.type(m.template().field("type"));
            }
        }
        int total = spec.datasets().size() * spec.models().size() * spec.seeds().size();
        List<StudyRow> rows = new ArrayList<>();
        int index = 0;
        for (StudySpec.DatasetEntry d : spec.datasets()) {
            Dataset data = loaded.get(d.name());
            StudySpec.Split split = d.split().orElse(spec.split());
            Prepared prepared = prepare(data, split, d.name());
            for (StudySpec.ModelEntry m : spec.models()) {
                for (long seed : spec.seeds()) {
                    index++;
                    hear.rowStarted(index, total, m.name(), d.name(), seed);
                    StudyRow row = runOne(m, d.name(), prepared, seed, threads, hear);
                    rows.add(row);
                    hear.rowFinished(index, total, row);
                }
            }
        }
        return new StudyResult(spec, rows, (System.nanoTime() - start) / 1e9, threads);
    }

    /** A dataset split for training and scoring. */
    record Prepared(Dataset training, Dataset evaluation, int[] firstStep) {
    }

    static Prepared prepare(Dataset data, StudySpec.Split split, String name) {
        try {
            if (split.bySequence()) {
                Dataset.Split s = data.splitBySequence(split.train());
                return new Prepared(s.training(), s.heldOut(), new int[s.heldOut().size()]);
            }
            Dataset.Split s = data.splitInTime(split.train());
            int[] first = new int[data.size()];
            for (int i = 0; i < data.size(); i++) {
                first[i] = Dataset.trainingSteps(data.sequence(i).length(), split.train());
            }
            return new Prepared(s.training(), data, first);
        } catch (DataException e) {
            throw new DataException("dataset \"" + name + "\": " + e.getMessage(), e);
        }
    }

    private static StudyRow runOne(StudySpec.ModelEntry entry, String dataset, Prepared data, long seed, int threads,
            StudyListener listener) {
        String type = entry.start().field("type").asText();
        if (!entry.datasets().isEmpty() && !entry.datasets().contains(dataset)) {
            return skipped(entry, dataset, seed, type, "not listed for this model");
        }
        StateSpaceModel<?, ?> initial;
        try {
            initial = startingModel(entry, data.training(), seed);
        } catch (DataException e) {
            return skipped(entry, dataset, seed, type, e.getMessage());
        }
        try {
            // symbols matched to the model's alphabet by name
            var space = initial.observationSpace();
            data = new Prepared(space.align(data.training(), ""), space.align(data.evaluation(), ""), data.firstStep());
        } catch (DataException e) {
            return skipped(entry, dataset, seed, type, e.getMessage());
        }
        try {
            StateSpaceModel<?, ?> fitted;
            double trainingLogLikelihood;
            long n;
            double fitSeconds;
            String method;
            int iterations;
            boolean converged;
            String warning;
            LearningCurve curve;
            if (entry.fitted()) {
                FitConfiguration config = FitConfiguration.read(entry.fit(), initial,
                        TrainOptions.defaults().withThreads(threads));
                TrainOptions options = config.options().withSeed(seed);
                FitResult fit = Trainer.fit(initial, data.training(), null, options, config.settings(),
                        listener.fitListener());
                fitted = fit.model();
                trainingLogLikelihood = fit.logLikelihood();
                n = fit.observations();
                fitSeconds = fit.seconds();
                method = fit.method().jsonName();
                iterations = fit.iterations();
                converged = fit.converged();
                warning = String.join("; ", fit.warnings());
                curve = fit.curve();
            } else {
                fitted = initial;
                StreamSummary train = FilterEngine.of(new FilterOptions(threads, false, true)).stream(fitted, data.training(), null);
                trainingLogLikelihood = train.logLikelihood();
                n = train.observedSteps();
                fitSeconds = 0;
                method = "none";
                iterations = 0;
                converged = true;
                warning = "";
                curve = new LearningCurve();
                curve.add(new LearningCurve.Point(0, -train.meanLogLikelihood(), Double.NaN, 0));
            }
            // finite results only: an observation of probability zero fails the row with the step that gave it
            FilterResult run = FilterEngine.of(new FilterOptions(threads, true, true)).run(fitted, data.evaluation());
            double aic = InformationCriteria.aic(trainingLogLikelihood, fitted.parameterCount());
            double bic = InformationCriteria.bic(trainingLogLikelihood, fitted.parameterCount(), Math.max(1, n));
            Metrics metrics = Evaluation.score(run, data.firstStep(), data.evaluation(), fitted.parameterCount(), aic, bic,
                    fitSeconds);
            return new StudyRow(entry.name(), dataset, seed, StudyRow.OK, "", type, method, iterations, converged,
                    warning, metrics, curve,
                    fitted.toSpec());
        } catch (org.statespace.SpecException e) {
            throw e;
        } catch (StatespaceException e) {
            return new StudyRow(entry.name(), dataset, seed, StudyRow.FAILED, e.getMessage(), type, "", 0, false, "", null,
                    null, null);
        }
    }

    /**
     * The model a study entry starts from for a seed: its template sized by the data, or its spec with
     * a top-level {@code "seed"} (random weight initialisation) replaced by the study's seed unless the
     * spec gives its weights.
     */
    static StateSpaceModel<?, ?> startingModel(StudySpec.ModelEntry entry, Dataset training, long seed) {
        if (entry.template() != null) {
            SpecNode template = entry.template();
            return ModelSpecs.template(template, training, Randoms.seeded(seed));
        }
        SpecNode init = entry.init();
        if (init.json().has("seed") && !init.json().has("weights")) {
            ObjectNode copy = ((ObjectNode) init.json()).deepCopy();
            copy.put("seed", seed);
            return ModelSpecs.read(SpecNode.root(copy, init.source()).relocated(init.path()));
        }
        return ModelSpecs.read(init);
    }

    private static StudyRow skipped(StudySpec.ModelEntry entry, String dataset, long seed, String type, String reason) {
        return new StudyRow(entry.name(), dataset, seed, StudyRow.SKIPPED, reason, type, "", 0, false, "", null, null,
                null);
    }

}
