package org.statespace.inference.result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.DataException;
import org.statespace.study.ResultFields;

/**
 * A result of one command over a dataset, as a typed value: {@link FilterReport}, {@link SmoothReport},
 * {@link DecodeReport} or {@link ForecastReport}. Each has one JSON codec ({@code toJson} and its
 * {@code fromJson}), which writes the fields {@link ResultFields} declares after the marker
 * {@code "result": "<kind>", "version": 1}; the tidy CSV ({@link TidyTable}) is made from that JSON.
 * {@link #read} reads any of them back.
 */
public sealed interface ResultValue permits FilterReport, SmoothReport, DecodeReport, ForecastReport {

    /** The version of the result files this code writes, the value of the {@code "version"} marker. */
    int VERSION = 1;

    /** The kind, the value of the {@code "result"} marker: filter, smooth, decode, forecast. */
    String kind();

    /** The result as JSON: the marker, then the fields of its kind in a fixed order. */
    ObjectNode toJson();

    /** The tidy per-step table (see {@link TidyTable}). */
    default String toCsv() {
        return TidyTable.of(toJson());
    }

    /**
     * Reads a result file's JSON. With the marker, its kind says which codec reads it; a file written before
     * the marker existed is recognised once, here, by the fields its kind declares ({@code steps} or a
     * sequence's {@code forecast}: forecast; a sequence's {@code predictiveLogDensities}, predictive summaries or
     * filtered tracks: filter; {@code draws}, {@code posteriorProbabilities} or {@code smoothedMeans}: smooth;
     * a sequence with only a {@code viterbiPath}: decode). A document that is none of these is a
     * {@link DataException} naming the source.
     *
     * @param source the file, named in errors
     */
    static ResultValue read(JsonNode json, String source) {
        String kind = kindOf(json, source);
        return switch (kind) {
            case FilterReport.KIND -> FilterReport.fromJson(json, source);
            case SmoothReport.KIND -> SmoothReport.fromJson(json, source);
            case DecodeReport.KIND -> DecodeReport.fromJson(json, source);
            case ForecastReport.KIND -> ForecastReport.fromJson(json, source);
            default -> throw new IllegalStateException(kind);
        };
    }

    /** The kind of a result document: its marker, or for an older file the kind its fields declare. */
    static String kindOf(JsonNode json, String source) {
        return recognise(json, source).orElseThrow(() -> notAResult(source));
    }

    /**
     * The kind of a document that is one of these results (see {@link #read}), or empty when it is none; a
     * {@code "result"} marker of an unknown kind, or a {@code "version"} newer than this code, is a
     * {@link DataException} naming the source.
     */
    static java.util.Optional<String> recognise(JsonNode json, String source) {
        if (json == null || !json.isObject()) {
            return java.util.Optional.empty();
        }
        JsonNode marker = json.get("result");
        if (marker != null) {
            String kind = marker.asText();
            if (!marker.isTextual() || !java.util.List.of(FilterReport.KIND, SmoothReport.KIND, DecodeReport.KIND,
                    ForecastReport.KIND).contains(kind)) {
                throw new DataException(source + ": result: expected one of \"filter\", \"smooth\", \"decode\", "
                        + "\"forecast\", got " + StepArrays.abbreviate(marker));
            }
            JsonNode version = json.get("version");
            if (version != null && !(version.isIntegralNumber() && version.asInt() >= 1 && version.asInt() <= VERSION)) {
                throw new DataException(source + ": version: this statespace reads result files of version 1 to "
                        + VERSION + ", got " + StepArrays.abbreviate(version));
            }
            return java.util.Optional.of(kind);
        }
        JsonNode sequences = json.get("sequences");
        if (sequences == null || !sequences.isArray()) {
            return java.util.Optional.empty();
        }
        if (json.has("steps")) {
            return java.util.Optional.of(ForecastReport.KIND);
        }
        if (json.has("draws")) {
            return java.util.Optional.of(SmoothReport.KIND);
        }
        JsonNode first = sequences.size() > 0 ? sequences.get(0) : null;
        if (first == null || !first.isObject()) {
            return json.has("meanLogLikelihood") ? java.util.Optional.of(FilterReport.KIND) : java.util.Optional.empty();
        }
        // the field that only one kind declares for its sequences decides
        if (first.has("forecast")) {
            return java.util.Optional.of(ForecastReport.KIND);
        }
        if (first.has("predictiveLogDensities") || first.has("predictiveMeans") || first.has("predictiveProbabilities")
                || first.has("filteredProbabilities") || first.has("filteredMeans")) {
            return java.util.Optional.of(FilterReport.KIND);
        }
        if (first.has("posteriorProbabilities") || first.has("smoothedMeans") || first.has("draws")) {
            return java.util.Optional.of(SmoothReport.KIND);
        }
        if (first.has("viterbiPath")) {
            return java.util.Optional.of(DecodeReport.KIND);
        }
        return java.util.Optional.empty();
    }

    private static DataException notAResult(String source) {
        return new DataException(source + ": not a filter, smooth, decode or forecast result (it has no \"result\" "
                + "marker, and its sequences hold none of predictiveLogDensities, posteriorProbabilities, smoothedMeans, "
                + "viterbiPath, forecast)");
    }
}
