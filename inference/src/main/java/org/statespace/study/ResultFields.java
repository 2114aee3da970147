package org.statespace.study;

import java.util.List;
import java.util.Map;

import org.statespace.spec.Field;
import org.statespace.spec.Fields;
import org.statespace.spec.Shape;

/**
 * The fields of the result files the command line writes as JSON, declared once: {@link SpecSchemas} turns them
 * into the {@code result-*} schemas and the reference page, and the plots reader checks a result's top-level
 * fields against them ({@code ResultCharts}). A part whose fields depend on the model (a sequence's tracks:
 * {@code filteredMeans}, {@code posteriorProbabilities}, {@code hidden_l0}, ...) is an open object with the
 * common fields declared; free-form parts (provenance, options, a study's own spec) are objects of any fields.
 *
 * <p>Numbers that may be non-finite are written as JSON numbers or the strings {@code "-Infinity"},
 * {@code "Infinity"}, {@code "NaN"} ({@code Json.extendedNumber}); a missing observation's value is {@code null}.
 */
public final class ResultFields {
    private ResultFields() {
    }

    /** A number, or one of the strings a non-finite number is written as. */
    static Shape extended() {
        return Shape.anyOf(Shape.number(), Shape.choice("-Infinity", "Infinity", "NaN"))
                .summarised("number (or \"-Infinity\", \"Infinity\", \"NaN\")");
    }

    /** An object whose fields are not declared here. */
    static Shape freeObject(String summary) {
        return Shape.mapOf(Shape.any()).summarised(summary);
    }

    /** Per step: a number, a vector or a matrix (by the track's shape), {@code null} for a missing value. */
    private static Shape steps() {
        return Shape.arrayOf(Shape.any(), false).summarised("array with one entry per step");
    }

    private static Field provenance(String command) {
        return Field.required("provenance", freeObject("object"), "how the file was made: tool, version, commit, "
                + "command (`" + command + "`), time created, the model and data files and, where they apply, seeds");
    }

    /** The marker of a result file's kind, written first. */
    private static Field result(String kind) {
        return Field.optional("result", Shape.choice(kind), "the kind of result (`" + kind + "`), written first by "
                + "version 1 and later; a file without it is recognised by its fields");
    }

    /** The version of the result file's layout, written after {@code result}. */
    private static final Field VERSION = Field.optional("version", Shape.integer(1, 1), "the version of the "
            + "result layout (1)");

    private static Field states(String more) {
        return Field.optional("states", Shape.names(), "the hidden states' names (\"0\"..\"K-1\" when the spec gives "
                + "none)" + more + "; columns of state probabilities are in this order");
    }

    private static final Field SYMBOLS = Field.optional("symbols", Shape.names(), "the observed symbols' names; "
            + "columns of symbol probabilities are in this order");
    private static final Field ID = Field.required("id", Shape.text(), "the sequence's id, as in the data");

    /** One sequence of a {@code filter} result. */
    public static final Fields FILTER_SEQUENCE = Fields.openOf("filter sequence", "One sequence of a filter result. "
            + "With `--states` it also holds the model's filtered tracks, named by the model (HMM: "
            + "`filteredProbabilities`; linear-Gaussian: `filteredMeans`, `filteredCovariances`, `predictedMeans`, "
            + "`predictedCovariances`; RNN: `hidden_l0`, ...), each an array with one entry per step.",
            ID,
            Field.required("logLikelihood", Shape.number(), "the sequence's log-likelihood"),
            Field.required("predictiveLogDensities", Shape.arrayOf(Shape.anyOf(Shape.number(), Shape.nullValue()), false),
                    "log-density of every observation under the one-step predictive distribution (null: missing)"),
            Field.optional("predictiveMeans", steps(), "`--summaries`: predictive mean of every step"),
            Field.optional("predictiveVariances", steps(), "`--summaries`: predictive variance of every step"),
            Field.optional("lower50", steps(), "`--summaries`: lower end of the central 50% predictive interval"),
            Field.optional("upper50", steps(), "`--summaries`: upper end of the central 50% predictive interval"),
            Field.optional("lower90", steps(), "`--summaries`: lower end of the central 90% predictive interval"),
            Field.optional("upper90", steps(), "`--summaries`: upper end of the central 90% predictive interval"),
            Field.optional("predictiveProbabilities", Shape.arrayOf(Shape.vector(), false),
                    "`--summaries`, symbols: predictive probability of every symbol at every step"));

    /** A {@code filter} result. */
    public static final Fields FILTER = Fields.of("filter result", "What `statespace filter --json` (or `--out R.json`) "
            + "writes.",
            result("filter"),
            VERSION,
            states(", with `--states`"),
            SYMBOLS,
            Field.required("logLikelihood", Shape.number(), "the total log-likelihood of the data"),
            Field.required("observations", Shape.integer(0, Long.MAX_VALUE), "the number of observed steps"),
            Field.required("meanLogLikelihood", Shape.number(), "the log-likelihood per observed step"),
            Field.required("sequences", Shape.arrayOf(Shape.object(FILTER_SEQUENCE), false), "one entry per sequence"),
            provenance("filter"));

    /** One sequence of a {@code smooth} result. */
    public static final Fields SMOOTH_SEQUENCE = Fields.openOf("smooth sequence", "One sequence of a smooth result: "
            + "the model's smoothed tracks, named by the model (HMM: `posteriorProbabilities`; linear-Gaussian: "
            + "`smoothedMeans`, `smoothedCovariances`, ...), each an array with one entry per step; with `--draws`, "
            + "`draws` instead.",
            ID,
            Field.optional("logLikelihood", Shape.number(), "the sequence's log-likelihood (not with `--draws`)"),
            Field.optional("draws", Shape.arrayOf(steps(), false), "`--draws`: the posterior draws, each a path (state "
                    + "names, or a vector per step)"));

    /** A {@code smooth} result. */
    public static final Fields SMOOTH = Fields.of("smooth result", "What `statespace smooth --json` (or `--out R.json`) "
            + "writes.",
            result("smooth"),
            VERSION,
            states(""),
            Field.optional("logLikelihood", Shape.number(), "the total log-likelihood of the data (not with `--draws`)"),
            Field.optional("draws", Shape.integer(1, Integer.MAX_VALUE), "`--draws`: draws per sequence"),
            Field.optional("seed", Shape.integer(), "`--draws`: the seed of the draws"),
            Field.required("sequences", Shape.arrayOf(Shape.object(SMOOTH_SEQUENCE), false), "one entry per sequence"),
            provenance("smooth"));

    /** One sequence of a {@code decode} result. */
    public static final Fields DECODE_SEQUENCE = Fields.of("decode sequence", "One sequence of a decode result.",
            ID,
            Field.required("viterbiPath", Shape.arrayOf(Shape.text(), false), "the most probable path, as state names"),
            Field.required("viterbiLogProbability", Shape.number(), "log p(path, observations)"));

    /** A {@code decode} result. */
    public static final Fields DECODE = Fields.of("decode result", "What `statespace decode --json` (or "
            + "`--out R.json`) writes.",
            result("decode"),
            VERSION,
            Field.required("states", Shape.names(), "the hidden states' names, the values of the paths"),
            Field.required("sequences", Shape.arrayOf(Shape.object(DECODE_SEQUENCE), false), "one entry per sequence"),
            provenance("decode"));

    /** One step ahead of a {@code forecast}. */
    public static final Fields FORECAST_STEP = Fields.of("forecast step", "One step of a sequence's forecast: symbol "
            + "probabilities, or the mean, variance and central intervals of every component.",
            Field.required("step", Shape.integer(1, Integer.MAX_VALUE), "steps ahead of the history's end (1..K)"),
            Field.optional("probabilities", Shape.vector(), "symbols: the probability of every symbol"),
            Field.optional("mean", Shape.vector(), "the predictive mean of every component"),
            Field.optional("variance", Shape.vector(), "the predictive variance of every component"),
            Field.optional("lower50", Shape.vector(), "the 25% quantile of every component"),
            Field.optional("upper50", Shape.vector(), "the 75% quantile of every component"),
            Field.optional("lower90", Shape.vector(), "the 5% quantile of every component"),
            Field.optional("upper90", Shape.vector(), "the 95% quantile of every component"));

    /** One sequence of a {@code forecast} result. */
    public static final Fields FORECAST_SEQUENCE = Fields.of("forecast sequence", "One sequence of a forecast result.",
            ID,
            Field.required("forecast", Shape.arrayOf(Shape.object(FORECAST_STEP), true), "one entry per step ahead"));

    /** A {@code forecast} result. */
    public static final Fields FORECAST = Fields.of("forecast result", "What `statespace forecast --json` (or "
            + "`--out R.json`) writes.",
            result("forecast"),
            VERSION,
            Field.required("steps", Shape.integer(1, Integer.MAX_VALUE), "steps ahead (`--steps`)"),
            SYMBOLS,
            Field.required("sequences", Shape.arrayOf(Shape.object(FORECAST_SEQUENCE), false), "one entry per sequence"),
            provenance("forecast"));

    /** A {@code fit --report}. */
    public static final Fields FIT_REPORT = Fields.of("fit report", "What `statespace fit --report R.json` writes.",
            Field.required("type", Shape.text(), "the model type"),
            Field.required("method", Shape.text(), "the fitting method"),
            Field.required("iterations", Shape.integer(0, Integer.MAX_VALUE), "iterations run"),
            Field.required("converged", Shape.bool(), "whether the fit met its convergence criterion"),
            Field.required("status", Shape.text(), "how the fit ended"),
            Field.optional("warnings", Shape.arrayOf(Shape.any(), false), "what to be wary of in the result"),
            Field.required("logLikelihood", extended(), "the final log-likelihood of the training data"),
            Field.required("observations", Shape.integer(0, Long.MAX_VALUE), "the number of observed training steps"),
            Field.required("parameterCount", Shape.integer(0, Long.MAX_VALUE), "free parameters of the model"),
            Field.required("aic", extended(), "Akaike's information criterion"),
            Field.required("bic", extended(), "the Bayesian information criterion"),
            Field.required("logLikelihoodTrace", Shape.arrayOf(extended(), false), "the log-likelihood per iteration"),
            Field.optional("logPrior", extended(), "with a prior: its log-density at the result"),
            Field.optional("logPosterior", extended(), "with a prior: log-likelihood plus log-prior"),
            Field.optional("logPosteriorTrace", Shape.arrayOf(extended(), false), "with a prior: per iteration"),
            Field.optional("restartLogLikelihoods", Shape.arrayOf(extended(), false),
                    "with restarts: the final log-likelihood of every start"),
            Field.required("learningCurve", freeObject("object"), "iteration, trainingLoss, validationLoss (with "
                    + "held-out data) and seconds, arrays of one entry per iteration"),
            Field.required("seconds", Shape.number(), "the fit's wall-clock time"),
            Field.required("options", freeObject("object"), "the fit options used (see `fit-options`)"),
            Field.required("settings", freeObject("object"), "the family's fit settings used"),
            Field.required("standardErrors", freeObject("object"), "standard errors of the parameters (method, "
                    + "parameters, and why some are missing)"),
            Field.required("fittedSpec", Shape.ref("model", "model spec"), "the fitted model"),
            provenance("fit"));

    /** The hidden states a study keeps of a row for its report ({@link ShownStates}). */
    public static final Fields SHOWN_STATES = Fields.of("study shown states", "What a study keeps of the first seed "
            + "of each model with discrete hidden states for its report: the smoothed state probabilities and the "
            + "Viterbi path of the sequence the report draws, over its last steps (at most "
            + StudyResult.SHOWN_STEPS + "), so that `plot results.json` draws them without running the model again.",
            Field.required("sequenceLength", Shape.integer(1, Integer.MAX_VALUE), "T, the steps of the whole sequence"),
            Field.required("firstStep", Shape.integer(0, Integer.MAX_VALUE), "the step of the first kept row; the rows "
                    + "are steps firstStep..T-1"),
            Field.required("posterior", Shape.object(SMOOTH), "a smooth result of that one sequence with its "
                    + "`posteriorProbabilities` over the kept steps (the log-likelihood is the whole sequence's)"),
            Field.optional("viterbi", Shape.object(DECODE), "a decode result of that one sequence: its Viterbi path "
                    + "over the kept steps (the log-probability is the whole path's)"));

    /** The one-step predictions a study keeps of a row for its report ({@link ShownPredictions}). */
    public static final Fields SHOWN_PREDICTIONS = Fields.of("study shown predictions", "What a study keeps of the "
            + "first seed of each model for its report's prediction figure: the one-step-ahead predictive summaries of "
            + "the sequence the report draws, over its last steps (at most " + StudyResult.SHOWN_STEPS + "), from the "
            + "filter run that scored the row, so that `plot results.json` draws them without running the model again.",
            Field.required("sequenceLength", Shape.integer(1, Integer.MAX_VALUE), "T, the steps of the whole sequence"),
            Field.required("firstStep", Shape.integer(0, Integer.MAX_VALUE), "the step of the first kept row; the rows "
                    + "are steps firstStep..T-1"),
            Field.required("predictions", Shape.object(FILTER), "a filter result of that one sequence with its "
                    + "predictive summaries over the kept steps (the log-likelihood is the whole sequence's)"));

    private static final Fields STUDY_ROW = Fields.of("study row", "One fit of a study: a model on a dataset with one "
            + "seed.",
            Field.required("model", Shape.text(), "the model's name in the study"),
            Field.required("dataset", Shape.text(), "the dataset's name in the study"),
            Field.required("seed", Shape.integer(), "the seed"),
            Field.required("status", Shape.text(), "ok, or why the row has no result"),
            Field.optional("reason", Shape.text(), "what went wrong"),
            Field.required("type", Shape.text(), "the model type"),
            Field.optional("method", Shape.text(), "the fitting method"),
            Field.optional("iterations", Shape.integer(0, Integer.MAX_VALUE), "iterations run"),
            Field.optional("converged", Shape.bool(), "whether the fit converged"),
            Field.optional("warning", Shape.text(), "what to be wary of"),
            Field.optional("metrics", Shape.mapOf(extended()).summarised("object of numbers"),
                    "observations and the metrics on the held-out part"),
            Field.optional("scores", freeObject("object"), "the proper scores on the held-out part"),
            Field.optional("shownStates", Shape.object(SHOWN_STATES), "for the first seed of a model with discrete hidden "
                    + "states, when the study was run for its report: what the report draws of them"),
            Field.optional("shownPredictions", Shape.object(SHOWN_PREDICTIONS), "for the first seed of a model, when the "
                    + "study was run for its report: the one-step predictions its prediction figure draws"));

    private static final Fields STUDY_SUMMARY = Fields.of("study summary row", "One (dataset, model) of a study, over "
            + "its seeds.",
            Field.required("dataset", Shape.text(), "the dataset's name"),
            Field.required("model", Shape.text(), "the model's name"),
            Field.required("type", Shape.text(), "the model type"),
            Field.required("status", Shape.text(), "ok, or why there is no result"),
            Field.optional("reason", Shape.text(), "what went wrong"),
            Field.required("seeds", Shape.integer(0, Integer.MAX_VALUE), "seeds with a result"),
            Field.required("best", Shape.bool(), "the best model of the dataset"),
            Field.required("tied", Shape.bool(), "not significantly worse than the best"),
            Field.optional("pValue", extended(), "Diebold-Mariano p-value against the best"),
            Field.optional("converged", Shape.bool(), "whether every seed converged"),
            Field.optional("notConvergedSeeds", Shape.integer(0, Integer.MAX_VALUE), "seeds that did not converge"),
            Field.optional("mean", Shape.mapOf(extended()).summarised("object of numbers"), "every metric's mean"),
            Field.optional("sd", Shape.mapOf(extended()).summarised("object of numbers"), "every metric's sd"));

    /** A study's {@code results.json}. */
    public static final Fields STUDY = Fields.of("study result", "The `results.json` that `statespace compare --study "
            + "F.json --out DIR` writes.",
            Field.required("study", Shape.text(), "the study's name"),
            Field.required("provenance", freeObject("object"), "tool, version, commit, java, created, threads, seeds, "
                    + "seconds"),
            Field.required("spec", freeObject("object"), "the study file as read (see `study`)"),
            Field.required("scoring", freeObject("object"), "how each dataset was scored: levels, significance, test, "
                    + "and per dataset its support, split and burn-in"),
            Field.required("rows", Shape.arrayOf(Shape.object(STUDY_ROW), false), "one entry per fit"),
            Field.required("summary", Shape.arrayOf(Shape.object(STUDY_SUMMARY), false),
                    "one entry per dataset and model"));

    /** Every result kind by its catalog name, in the order the reference lists them. */
    public static List<Map.Entry<String, Fields>> kinds() {
        return List.of(Map.entry("result-filter", FILTER), Map.entry("result-smooth", SMOOTH),
                Map.entry("result-decode", DECODE), Map.entry("result-forecast", FORECAST),
                Map.entry("result-fit-report", FIT_REPORT), Map.entry("result-study", STUDY));
    }
}
