package org.statespace.study;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.DataException;
import org.statespace.capability.Track;
import org.statespace.inference.SequenceTrace;
import org.statespace.inference.result.FilterReport;
import org.statespace.inference.result.PredictiveBands;
import org.statespace.spec.Json;

/**
 * What a study's report draws of a model's one-step-ahead predictions, kept by the study from the filter run that
 * scored the row: the predictive summaries of p(o_t | o_0..o_{t-1}) (mean, variance, central 50% and 90% intervals,
 * and for symbols the probabilities of each) of the sequence the report shows ({@link StudyResult#shownSequence})
 * over its last {@link StudyResult#SHOWN_STEPS} steps (a report never draws more). Its JSON codec is
 * {@link #toJson()} / {@link #fromJson} (the fields {@link ResultFields#SHOWN_PREDICTIONS}): the predictions as a
 * {@code filter} result of that one sequence, by the filter result's own codec.
 *
 * @param sequenceLength T, the length of the whole sequence
 * @param firstStep      the step of the first kept row: T minus the steps kept
 * @param predictions    one sequence's filter run with its predictive summaries (steps {@code firstStep}..T-1; its
 *                       log-likelihood and observation count are the whole sequence's)
 */
public record ShownPredictions(int sequenceLength, int firstStep, FilterReport predictions) {

    public ShownPredictions {
        if (predictions.sequences().size() != 1) {
            throw new IllegalArgumentException("expected the run of one sequence, got " + predictions.sequences().size());
        }
        FilterReport.Run run = predictions.sequences().get(0);
        if (run.bands().isEmpty()) {
            throw new IllegalArgumentException("the run of sequence \"" + run.id() + "\" holds no predictive summaries");
        }
        int kept = run.bands().get().length();
        if (!(firstStep >= 0 && firstStep + kept == sequenceLength)) {
            throw new IllegalArgumentException("steps " + firstStep + ".." + (firstStep + kept - 1) + " are not the end of "
                    + sequenceLength + " steps");
        }
        if (run.probabilities().isPresent() && run.probabilities().get().length() != kept) {
            throw new IllegalArgumentException("expected symbol probabilities of " + kept + " steps, got "
                    + run.probabilities().get().length());
        }
    }

    /** The kept run: its predictive summaries over steps firstStep..T-1. */
    public FilterReport.Run run() {
        return predictions.sequences().get(0);
    }

    /** The id of the sequence. */
    public String sequenceId() {
        return run().id();
    }

    /** The kept predictive bands, (T - firstStep) steps × d components. */
    public PredictiveBands bands() {
        return run().bands().orElseThrow();
    }

    /**
     * Keeps the last {@code steps} steps of a filter run that kept its predictive summaries.
     *
     * @param symbols    the model's names of its symbols when the run predicts symbols (written with the result),
     *                   or empty
     * @param provenance what the made value records of where it came from (copied)
     * @throws DataException when the run kept no summaries or a kept summary is not finite (a result file holds
     *                       finite summaries only)
     */
    public static ShownPredictions of(SequenceTrace trace, List<String> symbols, int steps, ObjectNode provenance) {
        if (!trace.hasSummaries()) {
            throw new DataException("the filter run of sequence \"" + trace.id() + "\" kept no predictive summaries");
        }
        int n = trace.length();
        int from = Math.max(0, n - steps);
        FilterReport.Run run = FilterReport.run(trace).steps(from, n);
        PredictiveBands b = run.bands().orElseThrow();
        for (Track t : List.of(b.means(), b.variances(), b.lower50(), b.upper50(), b.lower90(), b.upper90())) {
            requireFinite(t, trace.id(), from, false);
        }
        run.probabilities().ifPresent(p -> requireFinite(p, trace.id(), from, false));
        requireFinite(run.predictiveLogDensities(), trace.id(), from, true); // NaN: a missing observation
        long observed = 0;
        for (int t = 0; t < n; t++) {
            observed += trace.observed(t) ? 1 : 0;
        }
        double ll = trace.logLikelihood();
        FilterReport report = new FilterReport(List.of(), trace.symbolCount() > 0 ? symbols : List.of(), ll, observed,
                observed == 0 ? 0 : ll / observed, List.of(run), provenance);
        return new ShownPredictions(n, from, report);
    }

    private static void requireFinite(Track track, String id, int firstStep, boolean nanMissing) {
        double[] v = track.values();
        int width = track.width();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i]) && !(nanMissing && Double.isNaN(v[i]))) {
                throw new DataException("sequence \"" + id + "\": " + track.name() + " of step " + (firstStep + i / width)
                        + " is " + v[i]);
            }
        }
    }

    /** {@code {"sequenceLength", "firstStep", "predictions": <filter result>}}. */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("sequenceLength", sequenceLength);
        o.put("firstStep", firstStep);
        o.set("predictions", predictions.toJson());
        return o;
    }

    /** Reads what {@link #toJson()} wrote; errors name {@code where} and the field. */
    public static ShownPredictions fromJson(JsonNode json, String where) {
        org.statespace.spec.SpecNode.root(json, where).requireObject(ResultFields.SHOWN_PREDICTIONS);
        FilterReport predictions = FilterReport.fromJson(json.get("predictions"), where + ": predictions");
        try {
            return new ShownPredictions(json.get("sequenceLength").asInt(), json.get("firstStep").asInt(), predictions);
        } catch (IllegalArgumentException e) {
            throw new DataException(where + ": " + e.getMessage());
        }
    }
}
