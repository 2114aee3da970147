/**
 * Models that wrap other models. {@link org.statespace.transform.StandardizedModel}: any model run on
 * standardised data z = (o - μ) / σ, its predictive distribution mapped back to o = μ + σ z, so
 * p(o) = p_Z((o - μ) / σ) / Π σ_j.
 */
package org.statespace.transform;
