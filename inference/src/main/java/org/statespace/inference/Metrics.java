package org.statespace.inference;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.spec.Json;

/**
 * How well a model predicted held-out data, one step ahead. Quantities that do not apply are NaN:
 * errors and interval coverage for symbols, accuracy for real values.
 *
 * @param observations      observed steps scored
 * @param meanLogLikelihood mean of log p(o_t | past) per observed step, in nats (higher is better)
 * @param mse               mean squared error of the point prediction, over observed components
 * @param mae               mean absolute error of the point prediction
 * @param accuracy          fraction of steps whose most probable symbol was the one observed
 * @param logLoss           mean of -log p(o_t | past) for symbols (the cross-entropy)
 * @param coverage50        fraction of observed components inside the central 50% predictive interval
 * @param coverage90        the same for the central 90% interval
 * @param parameters        free parameters of the model
 * @param aic               AIC on the training data (NaN when unknown)
 * @param bic               BIC on the training data
 * @param fitSeconds        wall-clock time of the fit
 * @param filterSeconds     wall-clock time of the evaluation filter run
 */
public record Metrics(long observations, double meanLogLikelihood, double mse, double mae, double accuracy,
        double logLoss, double coverage50, double coverage90, int parameters, double aic, double bic,
        double fitSeconds, double filterSeconds) {

    /** The metric names, in table order, with how to read them. */
    public static final Map<String, String> NAMES = names();

    private static Map<String, String> names() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("meanLogLikelihood", "mean predictive log-likelihood per observation, nats (higher is better)");
        m.put("mse", "mean squared error of the point prediction");
        m.put("mae", "mean absolute error of the point prediction");
        m.put("accuracy", "fraction of symbols predicted right (most probable symbol)");
        m.put("logLoss", "cross-entropy of the symbol predictions, nats");
        m.put("coverage50", "fraction inside the central 50% predictive interval (0.5 is calibrated)");
        m.put("coverage90", "fraction inside the central 90% predictive interval (0.9 is calibrated)");
        m.put("parameters", "free parameters");
        m.put("aic", "Akaike information criterion on the training data");
        m.put("bic", "Bayesian information criterion on the training data");
        m.put("fitSeconds", "fit time, seconds");
        m.put("filterSeconds", "evaluation filter time, seconds");
        return m;
    }

    /** A metric by name (see {@link #NAMES}). */
    public double get(String name) {
        return switch (name) {
            case "observations" -> observations;
            case "meanLogLikelihood" -> meanLogLikelihood;
            case "mse" -> mse;
            case "mae" -> mae;
            case "accuracy" -> accuracy;
            case "logLoss" -> logLoss;
            case "coverage50" -> coverage50;
            case "coverage90" -> coverage90;
            case "parameters" -> parameters;
            case "aic" -> aic;
            case "bic" -> bic;
            case "fitSeconds" -> fitSeconds;
            case "filterSeconds" -> filterSeconds;
            default -> throw new IllegalArgumentException("no metric named " + name);
        };
    }

    /**
     * The metrics as JSON: a metric that does not apply (NaN) is left out, an infinite one is the string
     * "Infinity" or "-Infinity" (see {@link Json}); never {@code null}.
     */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("observations", observations);
        for (String name : NAMES.keySet()) {
            Json.optionalNumber(o, name, get(name));
        }
        return o;
    }
}
