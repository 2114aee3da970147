/**
 * Predictive distributions: what every model says about the next observation before it sees it.
 *
 * <p>{@link org.statespace.distribution.Categorical} (symbols), {@link org.statespace.distribution.Gaussian}
 * (N(μ, Σ), missing components marginalised), {@link org.statespace.distribution.Poisson} (independent
 * counts) and {@link org.statespace.distribution.Mixture} (Σ_k w_k p_k, the HMM predictive). Each is a
 * mutable workspace that an emission overwrites at every step; {@code copy()} keeps one.
 *
 * <p>{@link org.statespace.distribution.Scores} scores one of them against the observation that came:
 * discretised log score for counts, CRPS, Brier score, PIT, interval coverage, mean and median errors.
 */
package org.statespace.distribution;
