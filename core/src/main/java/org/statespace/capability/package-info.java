/**
 * Capabilities: what only some families can do, declared here and implemented by the model classes
 * that can. Filtering and smoothing of hidden states ({@link org.statespace.capability.StateFiltering},
 * {@link org.statespace.capability.StateSmoothing}), decoding ({@link org.statespace.capability.PathDecoding}),
 * forecasting, sampling with hidden states, and the kernels of learning: closed form, EM sufficient
 * statistics ({@link org.statespace.capability.ExpectationMaximization}), gradients
 * ({@link org.statespace.capability.Differentiable}; split into shards and per-sequence sums for a cluster by
 * {@link org.statespace.capability.ShardedGradient} and {@link org.statespace.capability.SummedRefit}), likelihood
 * over a few free parameters, and
 * data-driven initialisation for restarts. Loops that use them live in module {@code inference}.
 */
package org.statespace.capability;
