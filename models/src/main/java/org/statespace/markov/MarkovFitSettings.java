package org.statespace.markov;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.capability.FitSettings;
import org.statespace.spec.Json;

/**
 * How a Markov chain is fitted.
 *
 * @param pseudoCount α &gt;= 0 added to every count (a symmetric Dirichlet(α + 1) prior; the fit is its
 *                    posterior mode). 0 gives the maximum-likelihood estimate.
 * @param fitInitial  whether the initial distribution is re-estimated from the sequence starts
 */
public record MarkovFitSettings(double pseudoCount, boolean fitInitial) implements FitSettings {

    public MarkovFitSettings {
        if (!(pseudoCount >= 0) || Double.isInfinite(pseudoCount)) {
            throw new IllegalArgumentException("pseudoCount must be finite and non-negative, got " + pseudoCount);
        }
    }

    /** No pseudo-count, initial distribution fitted. */
    public static MarkovFitSettings defaults() {
        return new MarkovFitSettings(0, true);
    }

    public MarkovFitSettings withPseudoCount(double alpha) {
        return new MarkovFitSettings(alpha, fitInitial);
    }

    public MarkovFitSettings withFitInitial(boolean fit) {
        return new MarkovFitSettings(pseudoCount, fit);
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("pseudoCount", pseudoCount);
        o.put("fitInitial", fitInitial);
        return o;
    }
}
