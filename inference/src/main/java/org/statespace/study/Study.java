package org.statespace.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.DataException;
import org.statespace.StateSpaceModel;
import org.statespace.StatespaceException;
import org.statespace.capability.ExpectationMaximization;
import org.statespace.data.Dataset;
import org.statespace.data.Datasets;
import org.statespace.data.Support;
import org.statespace.distribution.Scores;
import org.statespace.inference.Evaluation;
import org.statespace.inference.FilterEngine;
import org.statespace.inference.FilterOptions;
import org.statespace.inference.FilterResult;
import org.statespace.inference.FitConfiguration;
import org.statespace.inference.FitResult;
import org.statespace.inference.LearningCurve;
import org.statespace.inference.StreamSummary;
import org.statespace.inference.Metrics;
import org.statespace.inference.ScoreCollector;
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
 * sequences. A model that does not apply to a dataset is skipped with the reason (a model of counts or
 * symbols on real-valued data among them: a mass is no match for a density); a fit that fails is
 * reported as failed with its error, and the study goes on.
 *
 * <p>Besides the filter's metrics every row gets the proper scores of a {@link ScoreCollector} (the log
 * score of the dataset's support, CRPS or Brier, PIT, coverage at the study's levels, errors of mean and
 * median) from the first held-out step plus the study's {@code "burn"} on. Each model of a dataset is scored
 * on the same steps: a step in the diffuse period of any model's exact diffuse start
 * ({@link org.statespace.DiffusePhase}) is left out for all of them, the rows of models that had no such
 * step being scored again without it.
 */
public final class Study {
    private Study() {
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Study.class);

    /** A row that did not run is worth a line at info (it is also in the results); every row one at debug. */
    private static void log(StudyRow row) {
        if (row.ok()) {
            LOG.debug("study row {} on {} (seed {}): {}", row.model(), row.dataset(), row.seed(), row.status());
        } else {
            LOG.info("study row {} on {} (seed {}) {}: {}", row.model(), row.dataset(), row.seed(), row.status(),
                    row.reason());
        }
    }

    /**
     * A study built in code: {@code Study.builder().dataset("nile", nile).model("ll", StructuralModel.localLevel())
     * .run()} (see {@link StudyBuilder}).
     */
    public static StudyBuilder builder() {
        return new StudyBuilder();
    }

    /**
     * Runs the study for a report: as {@link #run(StudySpec, DatasetResolver, int, StudyListener, boolean)} with
     * the hidden states the report draws kept.
     *
     * @param threads threads for filtering and E-steps (results do not depend on it)
     */
    public static StudyResult run(StudySpec spec, DatasetResolver resolver, int threads, StudyListener listener) {
        return run(spec, resolver, threads, listener, true);
    }

    /**
     * @param threads   threads for filtering and E-steps (results do not depend on it)
     * @param forReport whether to keep what a report draws for the first seed that ran of each model on each
     *                  dataset: its one-step predictions of the shown sequence ({@link StudyResult#shownPredictions},
     *                  taken from the run that scored the row) and, for a model with discrete hidden states, their
     *                  smoothed probabilities and Viterbi path ({@link StudyResult#shownStates}: one smoother and
     *                  one decoder run over the shown sequence)
     */
    public static StudyResult run(StudySpec spec, DatasetResolver resolver, int threads, StudyListener listener,
            boolean forReport) {
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
                ModelSpecs.type(m.template().field("type")).templateFitOptions(m.template());
            }
        }
        int total = spec.datasets().size() * spec.models().size() * spec.seeds().size();
        List<StudyRow> rows = new ArrayList<>();
        Map<String, StateSpaceModel<?, ?>> fittedModels = new LinkedHashMap<>();
        Map<String, ShownPredictions> shownPredictions = new LinkedHashMap<>();
        Map<String, ShownStates> shownStates = new LinkedHashMap<>();
        Map<String, StudyResult.DatasetScoring> scoring = new LinkedHashMap<>();
        int index = 0;
        for (StudySpec.DatasetEntry d : spec.datasets()) {
            Dataset data = loaded.get(d.name());
            StudySpec.Split split = spec.splitFor(d, resolver);
            Prepared prepared = prepare(data, split, d.name());
            int[] scoredFrom = prepared.firstStep().clone();
            for (int i = 0; i < scoredFrom.length; i++) {
                scoredFrom[i] = (int) Math.min(Integer.MAX_VALUE, (long) scoredFrom[i] + spec.scoring().burn());
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (StudySpec.ModelEntry m : spec.models()) {
                for (long seed : spec.seeds()) {
                    index++;
                    hear.rowStarted(index, total, m.name(), d.name(), seed);
                    Outcome outcome = runOne(m, d.name(), prepared, scoredFrom, spec.scoring(), seed, threads, hear);
                    outcomes.add(outcome);
                    log(outcome.row());
                    hear.rowFinished(index, total, outcome.row());
                }
            }
            // every model is scored on the same steps: the diffuse steps of any model are left out for all
            boolean[][] diffuse = new boolean[prepared.evaluation().size()][];
            long diffuseSteps = 0;
            for (Outcome o : outcomes) {
                if (o.collector() == null) {
                    continue;
                }
                int[][] steps = o.collector().diffuseStepsBySequence();
                for (int i = 0; i < steps.length; i++) {
                    for (int t : steps[i]) {
                        if (diffuse[i] == null) {
                            diffuse[i] = new boolean[prepared.evaluation().sequence(i).length()];
                        }
                        if (!diffuse[i][t]) {
                            diffuse[i][t] = true;
                            diffuseSteps++;
                        }
                    }
                }
            }
            java.util.Set<String> drawnModels = new java.util.HashSet<>();
            for (Outcome o : outcomes) {
                StudyRow row = o.row();
                if (o.collector() != null) {
                    ScoreCollector c = o.collector();
                    if (c.diffuseSteps() != diffuseSteps) {
                        c = Evaluation.properScores(FilterEngine.of(new FilterOptions(threads, false, true)), o.model(),
                                o.evaluation(), scoredFrom, spec.scoring().levels(), row.seed(), diffuse);
                    }
                    row = row.withScores(c.scores(), c.stepLogScores());
                }
                if (o.model() != null && row.ok()) {
                    fittedModels.put(row.key(), o.model());
                    if (forReport && drawnModels.add(row.model())) { // the report draws a model's first seed
                        String key = row.key();
                        shownPredictions(spec, row, o).ifPresent(p -> shownPredictions.put(key, p));
                        shownStates(spec, row, o).ifPresent(s -> shownStates.put(key, s));
                    }
                }
                rows.add(row);
            }
            scoring.put(d.name(), new StudyResult.DatasetScoring(prepared.evaluation().support(),
                    prepared.evaluation().supportDeclared(), logScoreName(prepared.evaluation().support()), split,
                    spec.scoring().burn(), diffuseSteps));
        }
        return new StudyResult(spec, rows, scoring, (System.nanoTime() - start) / 1e9, threads, fittedModels,
                shownPredictions, shownStates);
    }

    /**
     * The report's one-step predictions of a row's model over the shown sequence, kept from the evaluation run that
     * scored the row; empty when there is none (no evaluation data), or when a kept summary is not finite (logged:
     * the report then says they are missing).
     */
    private static java.util.Optional<ShownPredictions> shownPredictions(StudySpec spec, StudyRow row, Outcome o) {
        if (o.shown() == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(ShownPredictions.of(o.shown(), o.model().symbolNames(),
                    StudyResult.SHOWN_STEPS, provenance(spec, row)));
        } catch (StatespaceException e) {
            LOG.info("study row {} on {} (seed {}): no predictions for the report: {}", row.model(), row.dataset(),
                    row.seed(), e.getMessage());
            return java.util.Optional.empty();
        }
    }

    /** What a kept result records of the row that made it. */
    private static ObjectNode provenance(StudySpec spec, StudyRow row) {
        ObjectNode provenance = org.statespace.spec.Json.object();
        provenance.put("study", spec.name());
        provenance.put("model", row.model());
        provenance.put("dataset", row.dataset());
        provenance.put("seed", row.seed());
        return provenance;
    }

    /**
     * The report's hidden states of a row's model over the shown sequence (as the model saw it: symbols aligned to
     * its alphabet); empty for a model without discrete hidden states, or one whose smoother fails (logged: the
     * report then says they are missing).
     */
    private static java.util.Optional<ShownStates> shownStates(StudySpec spec, StudyRow row, Outcome o) {
        if (o.evaluation().size() == 0) {
            return java.util.Optional.empty();
        }
        try {
            return ShownStates.of(o.model(), o.evaluation().sequence(StudyResult.shownSequence(o.evaluation())),
                    StudyResult.SHOWN_STEPS, provenance(spec, row));
        } catch (StatespaceException e) {
            LOG.info("study row {} on {} (seed {}): no smoothed states for the report: {}", row.model(), row.dataset(),
                    row.seed(), e.getMessage());
            return java.util.Optional.empty();
        }
    }

    /** The log score a dataset's support calls for (see {@link ScoreCollector}). */
    static String logScoreName(Support support) {
        return switch (support) {
            case COUNTS -> "discretised log score";
            case SYMBOLS -> "log mass";
            case REAL -> "log density";
        };
    }

    /**
     * A row, and for a row that ran its model, data and scores; {@code shown} is the evaluation trace of the
     * sequence the report draws (kept as {@link StudyResult#shownPredictions}).
     */
    private record Outcome(StudyRow row, StateSpaceModel<?, ?> model, Dataset evaluation, ScoreCollector collector,
            org.statespace.inference.SequenceTrace shown) {
        Outcome(StudyRow row) {
            this(row, null, null, null, null);
        }
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

    private static Outcome runOne(StudySpec.ModelEntry entry, String dataset, Prepared data, int[] scoredFrom,
            StudySpec.Scoring scoring, long seed, int threads, StudyListener listener) {
        String type = entry.start().field("type").asText();
        if (!entry.datasets().isEmpty() && !entry.datasets().contains(dataset)) {
            return new Outcome(skipped(entry, dataset, seed, type, "not listed for this model"));
        }
        StateSpaceModel<?, ?> initial;
        try {
            initial = startingModel(entry, data.training(), seed);
        } catch (DataException e) {
            return new Outcome(skipped(entry, dataset, seed, type, e.getMessage()));
        }
        try {
            // symbols matched to the model's alphabet by name
            var space = initial.observationSpace();
            data = new Prepared(space.align(data.training(), ""), space.align(data.evaluation(), ""), data.firstStep());
        } catch (DataException e) {
            return new Outcome(skipped(entry, dataset, seed, type, e.getMessage()));
        }
        // a mass against a density is no comparison: models of counts or symbols do not apply to real data
        Support support = data.evaluation().support();
        if (support == Support.REAL && Scores.isIntegerValued(initial.emission().newDistribution())) {
            return new Outcome(skipped(entry, dataset, seed, type, "the data are real-valued"
                    + (data.evaluation().supportDeclared() ? " (declared)" : "")
                    + " and the model predicts counts or symbols: a mass is not comparable with a density"));
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
                FitConfiguration config = FitConfiguration.read(entry.fit(), entry.template(), initial,
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
            ScoreCollector scores = Evaluation.properScores(FilterEngine.of(new FilterOptions(threads, false, true)),
                    fitted, data.evaluation(), scoredFrom, scoring.levels(), seed);
            StudyRow row = new StudyRow(entry.name(), dataset, seed, StudyRow.OK, "", type, method, iterations, converged,
                    warning, metrics, curve, fitted.toSpec(), null, null);
            // the report's prediction figure draws one evaluation sequence: its trace is kept from this run
            org.statespace.inference.SequenceTrace shown = data.evaluation().size() == 0 ? null
                    : run.sequence(StudyResult.shownSequence(data.evaluation()));
            return new Outcome(row, fitted, data.evaluation(), scores, shown);
        } catch (org.statespace.SpecException e) {
            throw e;
        } catch (StatespaceException e) {
            return new Outcome(new StudyRow(entry.name(), dataset, seed, StudyRow.FAILED, e.getMessage(), type, "", 0, false,
                    "", null, null, null, null, null));
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
                null, null, null);
    }

}
