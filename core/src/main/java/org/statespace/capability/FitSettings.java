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
}
