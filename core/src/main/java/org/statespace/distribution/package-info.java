/**
 * Predictive distributions: what every model says about the next observation before it sees it.
 *
 * <p>{@link org.statespace.distribution.Categorical} (symbols), {@link org.statespace.distribution.Gaussian}
 * (N(μ, Σ), missing components marginalised), {@link org.statespace.distribution.Poisson} (independent
 * counts) and {@link org.statespace.distribution.Mixture} (Σ_k w_k p_k, the HMM predictive). Each is a
 * mutable workspace that an emission overwrites at every step; {@code copy()} keeps one.
 */
package org.statespace.distribution;
