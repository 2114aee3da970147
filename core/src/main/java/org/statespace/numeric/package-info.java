/**
 * Numerical helpers shared by the families: special functions (log-gamma, incomplete gamma, erfc, the
 * normal distribution function and quantile, log-sum-exp), small Cholesky kernels, checks of
 * stochastic and covariance matrices read from specs, seeded random streams, and information criteria.
 */
package org.statespace.numeric;
