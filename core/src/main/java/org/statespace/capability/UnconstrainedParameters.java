package org.statespace.capability;

import java.util.List;
import java.util.Optional;

import org.statespace.StateSpaceModel;

/**
 * A model whose free parameters map one to one onto an unconstrained vector θ ∈ ℝᵏ (log-variances,
 * log-rates, multinomial logits), so the observed information −∇²ℓ(θ) can be taken numerically at the
 * optimum and mapped back to the model's own parameters by the delta method: with Σ_θ = (−∇²ℓ)⁻¹ and the
 * Jacobian J = ∂values/∂θ (m×k), the covariance of the reported values is J Σ_θ Jᵀ.
 *
 * <p>Parameters on a boundary (a variance or probability that is exactly 0) are held fixed and have no
 * entry in θ; their reported values do not move with θ.
 */
public interface UnconstrainedParameters {

    /** θ, the k free parameters on their unconstrained scale. */
    double[] unconstrainedParameters();

    /** The model with free parameters θ (the fixed ones as in this model). */
    StateSpaceModel<?, ?> withUnconstrainedParameters(double[] theta);

    /** The names of the reported parameters (m of them), e.g. {@code "observationVariance"}, {@code "rate[0]"}. */
    List<String> parameterNames();

    /** The reported parameters' values, in {@link #parameterNames()} order (m). */
    double[] parameterValues();

    /**
     * Why standard errors cannot be given for this model (e.g. an emission type without a
     * parametrisation), or empty when they can.
     */
    default Optional<String> unavailable() {
        return Optional.empty();
    }

    /** A sentence on which parameters are held at their estimates (and so have no standard error), or empty. */
    default String heldFixed() {
        return "";
    }

    /**
     * The reported parameters' values of the model at θ (m); by default those of
     * {@link #withUnconstrainedParameters}'s model. A view with parameters held fixed ({@link #fixing}) reports
     * its own.
     */
    default double[] parameterValuesAt(double[] theta) {
        return ((UnconstrainedParameters) withUnconstrainedParameters(theta)).parameterValues();
    }

    /**
     * This parametrisation with the parameters that a fit with {@code settings} held at their starting values
     * held fixed too (a linear-Gaussian model's {@code "fixed"} matrices, say), so that the standard errors are
     * those of the parameters that fit estimated. By default the settings hold nothing and this is returned.
     */
    default UnconstrainedParameters fixing(FitSettings settings) {
        return this;
    }
}
