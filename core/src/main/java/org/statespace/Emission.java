package org.statespace;

import org.statespace.data.Sequence;
import org.statespace.distribution.PredictiveDistribution;

/**
 * g_θ, the emission y_t = g_θ(h_t): from the state h_t to the predictive distribution of observation
 * t, p(o_t | o_0..o_{t-1}, u_0..u_t). Immutable and thread-safe; the distribution it writes into is a
 * workspace from {@link #newDistribution()}.
 *
 * @param <S> the family's state workspace
 * @param <D> the kind of predictive distribution it emits
 */
public interface Emission<S, D extends PredictiveDistribution> {

    /** A fresh predictive-distribution workspace, allocated once per run. */
    D newDistribution();

    /** Writes g(h_t) into {@code out}; {@code t} gives access to u_t (a feedthrough term). */
    void predict(S state, Sequence sequence, int t, D out);

    /**
     * log p(o_t | past) under the prediction {@code predicted} just made from {@code state}. The default
     * asks the distribution; a family may override it to reuse work and leave by-products in the state
     * for the next {@link StateTransition#step} (an HMM keeps the emission densities of o_t).
     */
    default double logDensity(S state, D predicted, Sequence sequence, int t) {
        return predicted.logDensity(sequence, t);
    }
}
