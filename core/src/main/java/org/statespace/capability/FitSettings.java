package org.statespace.capability;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.spec.Json;

/**
 * The family-specific part of fit options: pseudo-counts, a covariance floor, which parameters to hold
 * fixed, truncation lengths. A family reads its own from JSON ({@link org.statespace.spec.ModelType#readFitSettings})
 * and its capabilities accept them; the trainer passes them through without looking inside.
 * Implementations are immutable records.
 */
public interface FitSettings {

    /** No family-specific settings. */
    FitSettings NONE = Json::object;

    /** The settings as JSON, for provenance in result files. */
    ObjectNode toJson();

    /**
     * A family's own settings out of what a capability was handed: {@code given} itself when it is of {@code type},
     * {@code defaults} when it is {@link #NONE} (or null: "no settings"). Another family's settings are an error, never
     * silently the defaults, which would drop what the caller asked for (a pseudo-count, a fixed parameter).
     *
     * @param model the type name of the model they were handed to ({@code StateSpaceModel#type()}), for the message
     * @throws IllegalArgumentException naming both families when {@code given} is another family's settings
     */
    static <S extends FitSettings> S of(FitSettings given, Class<S> type, S defaults, String model) {
        if (given == null || given == NONE) {
            return defaults;
        }
        if (type.isInstance(given)) {
            return type.cast(given);
        }
        throw new IllegalArgumentException(mismatch(given, model, type.getSimpleName()));
    }

    /**
     * The message for settings handed to a model of another family: "fit settings HmmFitSettings (of the hmm
     * family) cannot fit a markov-chain model, which takes MarkovFitSettings".
     *
     * @param takes what the model takes ("none" for a family without settings)
     */
    static String mismatch(FitSettings given, String model, String takes) {
        String name = given.getClass().getSimpleName();
        String family = name.endsWith("FitSettings") && name.length() > "FitSettings".length()
                ? name.substring(0, name.length() - "FitSettings".length()).toLowerCase(java.util.Locale.ROOT)
                : "another";
        return "fit settings " + name + " (of the " + family + " family) cannot fit a " + model + " model, which takes "
                + takes;
    }
}
