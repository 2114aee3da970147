package org.statespace.kalman;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.capability.FitSettings;
import org.statespace.spec.Json;

/**
 * How EM (Shumway-Stoffer) fits an {@code lgssm}: which parameters stay as they are and whether the
 * noise covariances are constrained to be diagonal. JSON (in fit options):
 * {@code {"fixed": ["transitionMatrix", "observationMatrix"], "diagonalProcessNoise": true}}.
 *
 * @param fixed                    names of parameters held at their starting values, among
 *                                 {@link #PARAMETER_NAMES}; parameters a spec leaves out (a missing
 *                                 offset, control or feedthrough matrix) stay out and are never fitted
 * @param diagonalProcessNoise     Q is re-estimated as a diagonal matrix
 * @param diagonalObservationNoise R is re-estimated as a diagonal matrix
 */
public record KalmanFitSettings(Set<String> fixed, boolean diagonalProcessNoise, boolean diagonalObservationNoise)
        implements FitSettings {

    /** The parameters EM can fit, in spec order. */
    public static final List<String> PARAMETER_NAMES = List.of("transitionMatrix", "controlMatrix", "transitionOffset",
            "processNoise", "observationMatrix", "feedthroughMatrix", "observationOffset", "observationNoise",
            "initialMean", "initialCovariance");

    public KalmanFitSettings {
        for (String name : fixed) {
            if (!PARAMETER_NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown parameter \"" + name + "\"; expected one of "
                        + String.join(", ", PARAMETER_NAMES));
            }
        }
        fixed = Collections.unmodifiableSet(new LinkedHashSet<>(fixed));
    }

    /** Every parameter fitted, full covariances. */
    public static KalmanFitSettings defaults() {
        return new KalmanFitSettings(Set.of(), false, false);
    }

    /** These settings with {@code names} held fixed (replacing the fixed set). */
    public KalmanFitSettings withFixed(String... names) {
        return new KalmanFitSettings(new LinkedHashSet<>(List.of(names)), diagonalProcessNoise, diagonalObservationNoise);
    }

    public KalmanFitSettings withDiagonalProcessNoise(boolean diagonal) {
        return new KalmanFitSettings(fixed, diagonal, diagonalObservationNoise);
    }

    public KalmanFitSettings withDiagonalObservationNoise(boolean diagonal) {
        return new KalmanFitSettings(fixed, diagonalProcessNoise, diagonal);
    }

    /** Whether parameter {@code name} is held fixed. */
    public boolean isFixed(String name) {
        return fixed.contains(name);
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        ArrayNode names = o.putArray("fixed");
        for (String name : PARAMETER_NAMES) {
            if (fixed.contains(name)) {
                names.add(name);
            }
        }
        o.put("diagonalProcessNoise", diagonalProcessNoise);
        o.put("diagonalObservationNoise", diagonalObservationNoise);
        return o;
    }
}
