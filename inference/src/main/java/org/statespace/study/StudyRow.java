package org.statespace.study;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.inference.LearningCurve;
import org.statespace.inference.MetricDescriptor;
import org.statespace.inference.Metrics;
import org.statespace.inference.ProperScores;
import org.statespace.spec.Json;

/**
 * One (model, dataset, seed) of a study: its metrics on held-out data, or why it was skipped or failed.
 *
 * @param model      the model entry's name
 * @param dataset    the dataset's name
 * @param seed       the seed
 * @param status     {@code ok}, {@code skipped} (the model does not apply to the data) or {@code failed}
 * @param reason     why it was skipped or failed; empty when ok
 * @param type       the model's spec type
 * @param method     the fit method that ran (empty unless ok)
 * @param iterations fit iterations
 * @param converged  whether the fit converged (its tolerance, early stopping or a closed form ended it); false when
 *                   its iteration limit stopped it; true for a model scored as given; false unless ok
 * @param warning    the fit's warnings joined by "; " (the iteration limit, a degenerate start); empty if none
 * @param metrics    the held-out metrics (null unless ok)
 * @param curve      the learning curve (null unless ok)
 * @param fitted     the fitted model's spec (null unless ok)
 * @param scores     the proper scores of the held-out predictions, on the steps every model of the dataset is
 *                   scored on (null unless ok)
 * @param stepLogScores the log score of each of those steps, in dataset order, for the paired test (null
 *                   unless ok)
 */
public record StudyRow(String model, String dataset, long seed, String status, String reason, String type,
        String method, int iterations, boolean converged, String warning, Metrics metrics, LearningCurve curve, ObjectNode fitted,
        ProperScores scores, double[] stepLogScores) {

    public static final String OK = "ok";
    public static final String SKIPPED = "skipped";
    public static final String FAILED = "failed";

    public boolean ok() {
        return OK.equals(status);
    }

    /** The same row with its proper scores and per-step log scores. */
    StudyRow withScores(ProperScores s, double[] steps) {
        return new StudyRow(model, dataset, seed, status, reason, type, method, iterations, converged, warning, metrics,
                curve, fitted, s, steps);
    }

    /**
     * A proper score by its name in {@link StudyResult#scoreNames}: {@code meanLogScore}, {@code crps},
     * {@code brier}, {@code pitDistance}, {@code coverage<percent>} (e.g. {@code coverage95}), {@code mseOfMean},
     * {@code maeOfMedian}; NaN when it does not apply or the row did not run.
     */
    public double score(String name) {
        if (scores == null) {
            return Double.NaN;
        }
        var descriptor = MetricDescriptor.byKey(name);
        if (descriptor.isPresent() && descriptor.get().isProperScore() && !descriptor.get().isStudyCoverage()) {
            return descriptor.get().of(scores);
        }
        double[] levels = scores.coverageLevels();
        for (int i = 0; i < levels.length; i++) {
            if (name.equals(StudyResult.coverageName(levels[i]))) {
                return scores.coverage()[i];
            }
        }
        throw new IllegalArgumentException("no score named " + name);
    }

    /** The row as JSON (without curve and fitted spec, which are written to files of their own). */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("model", model);
        o.put("dataset", dataset);
        o.put("seed", seed);
        o.put("status", status);
        if (!reason.isEmpty()) {
            o.put("reason", reason);
        }
        o.put("type", type);
        if (ok()) {
            o.put("method", method);
            o.put("iterations", iterations);
            o.put("converged", converged);
            if (!warning.isEmpty()) {
                o.put("warning", warning);
            }
            o.set("metrics", metrics.toJson());
            if (scores != null) {
                o.set("scores", scores.toJson());
            }
        }
        return o;
    }

    /** A file-name-safe key: model__dataset__seedS. */
    public String key() {
        return safe(model) + "__" + safe(dataset) + "__seed" + seed;
    }

    static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
