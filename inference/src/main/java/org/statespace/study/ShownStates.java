package org.statespace.study;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.DataException;
import org.statespace.StateSpaceModel;
import org.statespace.capability.DecodedPath;
import org.statespace.capability.PathDecoding;
import org.statespace.capability.StateSmoothing;
import org.statespace.capability.Track;
import org.statespace.data.Sequence;
import org.statespace.inference.result.DecodeReport;
import org.statespace.inference.result.SmoothReport;
import org.statespace.spec.Json;

/**
 * What a study's report draws of a model's hidden states, made once by the study from the fitted model: the
 * smoothed state probabilities p(s_t = k | all observations) of the sequence the report shows
 * ({@link StudyResult#shownSequence}) and, when the model decodes, its Viterbi path, both over the last
 * {@link StudyResult#SHOWN_STEPS} steps of that sequence (a report never draws more). The smoother and the
 * decoder run over the whole sequence; only the drawn steps are kept. Its JSON codec is {@link #toJson()} /
 * {@link #fromJson} (the fields {@link ResultFields#SHOWN_STATES}): the posterior as a {@code smooth} result,
 * the path as a {@code decode} result, each by its own codec.
 *
 * @param sequenceLength T, the length of the whole sequence
 * @param firstStep      the step of the first kept row: T minus the steps kept
 * @param posterior      one sequence's {@code posteriorProbabilities} track (steps {@code firstStep}..T-1)
 * @param path           the Viterbi path over the same steps, with the whole path's log-probability
 */
public record ShownStates(int sequenceLength, int firstStep, SmoothReport posterior, Optional<DecodeReport> path) {

    /** The name of the smoothed track a report draws. */
    public static final String POSTERIOR = "posteriorProbabilities";

    public ShownStates {
        if (posterior.sequences().size() != 1 || posterior.sequences().get(0).track(POSTERIOR).isEmpty()) {
            throw new IllegalArgumentException("expected one sequence with " + POSTERIOR);
        }
        int kept = posterior.sequences().get(0).track(POSTERIOR).orElseThrow().length();
        if (!(firstStep >= 0 && firstStep + kept == sequenceLength)) {
            throw new IllegalArgumentException("steps " + firstStep + ".." + (firstStep + kept - 1) + " are not the end of "
                    + sequenceLength + " steps");
        }
        if (path.isPresent() && (path.get().sequences().size() != 1
                || path.get().sequences().get(0).path().length != kept)) {
            throw new IllegalArgumentException("expected one path of " + kept + " steps");
        }
    }

    /** The kept smoothed probabilities, (T - firstStep)×K. */
    public Track probabilities() {
        return posterior.sequences().get(0).track(POSTERIOR).orElseThrow();
    }

    /** The hidden states' names ("0".."K-1" when the model names none). */
    public List<String> states() {
        return posterior.states().isEmpty() ? PathDecoding.indexNames(probabilities().shape()[0]) : posterior.states();
    }

    /** The id of the sequence. */
    public String sequenceId() {
        return posterior.sequences().get(0).id();
    }

    /** The kept Viterbi path (state indices, steps firstStep..T-1), when the model decodes. */
    public Optional<int[]> viterbiPath() {
        return path.map(p -> p.sequences().get(0).path());
    }

    /**
     * Runs the model's smoother (and decoder, if it has one) over {@code sequence} and keeps the last
     * {@code steps} steps; empty when the model has no smoothed state probabilities (no discrete hidden state).
     *
     * @param provenance what the made values record of where they came from (copied into both)
     */
    public static Optional<ShownStates> of(StateSpaceModel<?, ?> model, Sequence sequence, int steps,
            ObjectNode provenance) {
        if (!(model instanceof StateSmoothing smoother)) {
            return Optional.empty();
        }
        var estimates = smoother.smoothStates(sequence);
        Optional<Track> whole = estimates.tracks().stream().filter(t -> t.name().equals(POSTERIOR)).findFirst();
        if (whole.isEmpty()) {
            return Optional.empty();
        }
        Track p = whole.get();
        int n = p.length();
        int from = Math.max(0, n - steps);
        int width = p.width();
        Track kept = new Track(POSTERIOR, n - from, p.shape(),
                java.util.Arrays.copyOfRange(p.values(), from * width, n * width));
        List<String> names = model instanceof PathDecoding named ? named.stateNames() : List.of();
        SmoothReport smoothed = SmoothReport.of(names, List.of(new SmoothReport.Run(sequence.id(),
                estimates.logLikelihood(), List.of(kept))), provenance);
        Optional<DecodeReport> decoded = Optional.empty();
        if (model instanceof PathDecoding decoder) {
            DecodedPath d = decoder.decode(sequence);
            int[] path = java.util.Arrays.copyOfRange(d.path(), from, n);
            decoded = Optional.of(new DecodeReport(decoder.stateNames(), List.of(new DecodeReport.Path(sequence.id(),
                    path, d.logProbability())), provenance));
        }
        return Optional.of(new ShownStates(n, from, smoothed, decoded));
    }

    /** {@code {"sequenceLength", "firstStep", "posterior": <smooth result>, "viterbi": <decode result>}}. */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("sequenceLength", sequenceLength);
        o.put("firstStep", firstStep);
        o.set("posterior", posterior.toJson());
        path.ifPresent(p -> o.set("viterbi", p.toJson()));
        return o;
    }

    /** Reads what {@link #toJson()} wrote; errors name {@code where} and the field. */
    public static ShownStates fromJson(JsonNode json, String where) {
        org.statespace.spec.SpecNode.root(json, where).requireObject(ResultFields.SHOWN_STATES);
        SmoothReport posterior = SmoothReport.fromJson(json.get("posterior"), where + ": posterior");
        Optional<DecodeReport> path = json.has("viterbi")
                ? Optional.of(DecodeReport.fromJson(json.get("viterbi"), where + ": viterbi")) : Optional.empty();
        try {
            return new ShownStates(json.get("sequenceLength").asInt(), json.get("firstStep").asInt(), posterior, path);
        } catch (IllegalArgumentException e) {
            throw new DataException(where + ": " + e.getMessage());
        }
    }
}
