package org.statespace;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.distribution.PredictiveDistribution;

/**
 * A probabilistic state-space model: the recurrence h_t = f_θ(x_t, h_{t-1}) (its
 * {@link #transition()}) and the emission of a predictive distribution of o_t from h_t (its
 * {@link #emission()}). Every family — Markov chain, HMM, linear-Gaussian, RNN — is one, so one engine
 * runs and scores them all.
 *
 * <p>Models are immutable and thread-safe; fitting returns a new model. What only some families can do
 * (smooth, decode, EM, gradients) is offered through the capability interfaces of
 * {@code org.statespace.capability}, which a model implements when it can.
 *
 * @param <S> the state workspace of the family
 * @param <D> the predictive distribution it emits
 */
public interface StateSpaceModel<S, D extends PredictiveDistribution> {

    /** The spec type of this model, the {@code "type"} of its JSON ({@code "markov-chain"}, ...). */
    String type();

    /** What the model observes and takes as inputs. */
    ObservationSpace observationSpace();

    /** f_θ. */
    StateTransition<S> transition();

    /** g_θ. */
    Emission<S, D> emission();

    /**
     * The number of free parameters, as counted for AIC and BIC (a probability vector of K entries
     * counts K-1; a symmetric d×d covariance d(d+1)/2).
     */
    int parameterCount();

    /** The model's JSON spec; reading it back gives an equal model. A fresh node on every call. */
    ObjectNode toSpec();

    /**
     * Names of the symbols a symbolic model emits, in index order (a Markov chain's state names, an
     * HMM's symbol names); empty when there are none or the model is real-valued.
     */
    default List<String> symbolNames() {
        return List.of();
    }
}
