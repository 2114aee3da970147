package org.statespace.inference;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.StateSpaceModel;
import org.statespace.capability.FitSettings;
import org.statespace.numeric.InformationCriteria;
import org.statespace.spec.Json;

/**
 * The outcome of a fit: the fitted model and how it got there.
 *
 * @param model                  the fitted model (the best-validation one when early stopping was used)
 * @param method                 the method that ran
 * @param curve                  training and validation loss per iteration (of the best restart)
 * @param logLikelihoodTrace     the training log-likelihood after each iteration (entry 0: the start)
 * @param iterations             iterations run in the kept restart
 * @param converged              whether the tolerance (or early stopping, or the closed form) ended it; false when
 *                               the iteration limit did
 * @param logLikelihood          the fitted model's log-likelihood on the training data
 * @param observations           observed steps in the training data
 * @param restartLogLikelihoods  the final training log-likelihood of every restart (entry 0: the given start)
 * @param seconds                wall-clock time
 * @param options                the options used
 * @param settings               the family settings used
 * @param warnings               one line each: the iteration limit ended the fit before the tolerance was met
 *                               (naming the limit and the last relative improvement), or a degenerate start was
 *                               moved (see {@link org.statespace.capability.SymmetryBreaking}); empty when neither
 * @param logPosteriorTrace      for a model with a prior (EM then maximises the posterior): the training
 *                               log-posterior log p(data | θ) + log p(θ) after each iteration, aligned with
 *                               {@code logLikelihoodTrace}; empty otherwise
 * @param logPrior               log p(θ) of the fitted model under its prior; NaN when it has none
 */
public record FitResult(StateSpaceModel<?, ?> model, TrainOptions.Method method, LearningCurve curve,
        double[] logLikelihoodTrace, int iterations, boolean converged, double logLikelihood, long observations,
        double[] restartLogLikelihoods, double seconds, TrainOptions options, FitSettings settings,
        List<String> warnings, double[] logPosteriorTrace, double logPrior) {

    public FitResult {
        logPosteriorTrace = logPosteriorTrace.clone();
        logLikelihoodTrace = logLikelihoodTrace.clone();
        restartLogLikelihoods = restartLogLikelihoods.clone();
        warnings = List.copyOf(warnings);
    }

    /** A fit of a model without a prior: no log-posterior trace. */
    public FitResult(StateSpaceModel<?, ?> model, TrainOptions.Method method, LearningCurve curve,
            double[] logLikelihoodTrace, int iterations, boolean converged, double logLikelihood, long observations,
            double[] restartLogLikelihoods, double seconds, TrainOptions options, FitSettings settings,
            List<String> warnings) {
        this(model, method, curve, logLikelihoodTrace, iterations, converged, logLikelihood, observations,
                restartLogLikelihoods, seconds, options, settings, warnings, new double[0], Double.NaN);
    }

    /** Whether the model had a prior, so that the fit maximised the posterior. */
    public boolean hasPrior() {
        return !Double.isNaN(logPrior);
    }

    /** log p(data | θ) + log p(θ) of the fitted model; NaN without a prior. */
    public double logPosterior() {
        return logLikelihood + logPrior;
    }

    @Override
    public double[] logPosteriorTrace() {
        return logPosteriorTrace.clone();
    }

    /**
     * {@code "converged"} when the tolerance (or early stopping on validation data, or the closed form) ended
     * the fit, {@code "stopped"} when the iteration limit did. A fit that fails raises an exception instead.
     */
    public String status() {
        return converged ? "converged" : "stopped";
    }

    @Override
    public double[] logLikelihoodTrace() {
        return logLikelihoodTrace.clone();
    }

    @Override
    public double[] restartLogLikelihoods() {
        return restartLogLikelihoods.clone();
    }

    /** AIC of the fitted model on the training data. */
    public double aic() {
        return InformationCriteria.aic(logLikelihood, model.parameterCount());
    }

    /** BIC of the fitted model on the training data. */
    public double bic() {
        return InformationCriteria.bic(logLikelihood, model.parameterCount(), observations);
    }

    private static ArrayNode extended(double[] values) {
        ArrayNode a = Json.array();
        for (double v : values) {
            Json.extendedNumber(a, v);
        }
        return a;
    }

    /**
     * The fit report written by {@code statespace fit --report}. Log-likelihoods, AIC and BIC that are not
     * finite are the strings "-Infinity", "Infinity" or "NaN" (see {@link Json}), never {@code null}.
     */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("type", model.type());
        o.put("method", method.jsonName());
        o.put("iterations", iterations);
        o.put("converged", converged);
        o.put("status", status());
        if (!warnings.isEmpty()) {
            o.set("warnings", Json.mapper().valueToTree(warnings));
        }
        // a fit may legitimately end at -∞ (a start the data gives probability zero): written as "-Infinity"
        Json.extendedNumber(o, "logLikelihood", logLikelihood);
        o.put("observations", observations);
        o.put("parameterCount", model.parameterCount());
        Json.extendedNumber(o, "aic", aic());
        Json.extendedNumber(o, "bic", bic());
        o.set("logLikelihoodTrace", extended(logLikelihoodTrace));
        if (hasPrior()) {
            Json.extendedNumber(o, "logPrior", logPrior);
            Json.extendedNumber(o, "logPosterior", logPosterior());
            o.set("logPosteriorTrace", extended(logPosteriorTrace));
        }
        if (restartLogLikelihoods.length > 1) {
            o.set("restartLogLikelihoods", extended(restartLogLikelihoods));
        }
        o.set("learningCurve", curve.toJson());
        Json.number(o, "seconds", seconds);
        o.set("options", options.toJson());
        o.set("settings", settings.toJson());
        return o;
    }
}
