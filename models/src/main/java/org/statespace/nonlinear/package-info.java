/**
 * Non-linear Gaussian state-space models and their filters.
 *
 * <h2>The model</h2>
 * With 0-based steps t = 0..T-1, states x_t (n×1), observations y_t (m×1), inputs u_t (p×1):
 * <pre>
 *   x_0 ~ N(m0, P0)
 *   x_t = f(x_{t-1}, u_t) + w_t,   w_t ~ N(0, Q)     (t &gt;= 1)
 *   y_t = h(x_t, u_t) + v_t,       v_t ~ N(0, R)
 * </pre>
 * ({@link org.statespace.nonlinear.NonlinearSystem}). f and h are {@link org.statespace.nonlinear.DifferentiableFunction}s
 * (value and Jacobian), written by hand or once over a Hipparchus field
 * ({@link org.statespace.nonlinear.FieldFunction}) and differentiated by forward-mode automatic differentiation
 * ({@link org.statespace.nonlinear.AutoDiff}); the built-in models of the filtering literature
 * ({@link org.statespace.nonlinear.BuiltinModel}: growth, pendulum, stochastic-volatility, lorenz63) are written
 * that way. A missing observation (NaN) skips the correction; a partly missing one corrects with the observed
 * components.
 *
 * <h2>Filters</h2>
 * Every filter emits the predictive law of y_t given y_0..y_{t-1}, as every family does, so the engine,
 * studies and charts take them unchanged; the sum of its log-densities is the (estimated) log-likelihood.
 * <ul>
 *   <li>extended Kalman filter ({@code "ekf"}, Jazwinski 1970): a {@link org.statespace.kalman.GaussianStateSpace}
 *       with the Jacobians at the mean, run by the Kalman family's filter and
 *       {@link org.statespace.kalman.GaussianFilterRecurrence} without editing them; predictive N(h(a_t), H P_t Hᵀ + R);</li>
 *   <li>unscented Kalman filter ({@code "ukf"}): scaled sigma points with α, β, κ (Julier &amp; Uhlmann 1997;
 *       Wan &amp; van der Merwe 2000), also a {@code GaussianStateSpace}; it needs the seam's whole-belief
 *       operations ({@code TransitionModel.propagate}, {@code ObservationModel.observe}) and its
 *       non-linearised correction P − K S Kᵀ ({@code ObservationModel.linearized()});</li>
 *   <li>bootstrap particle filter ({@code "particle"}, Gordon, Salmond &amp; Smith 1993): systematic resampling
 *       when the effective sample size falls below a threshold, a seeded generator, the unbiased likelihood
 *       estimate; predictive law the Gaussian mixture Σ_i W^i N(h(x_t^i), R).</li>
 * </ul>
 * Smoothers: the extended and unscented RTS smoothers (Särkkä 2013, ch. 9), forward-filter backward-simulation
 * for the particle filter (Godsill, Doucet &amp; West 2004); over one sequence read in chunks
 * ({@link org.statespace.capability.LongSequenceInference}) they run from a spill to disk with the same per-step
 * kernels, so the numbers are the in-memory ones bit for bit ({@code SpilledNonlinear}). Fitting: maximum likelihood over the declared free
 * parameters by the trainer's derivative-free optimiser; the particle filter draws the same random numbers at
 * every evaluation (common random numbers), so its objective is deterministic. A model run by the extended or
 * unscented filter whose free parameters are only noise matrices is also fitted by the Gaussian-approximation
 * EM of Särkkä (2013, ch. 12; {@link org.statespace.nonlinear.GaussianEm}): Q, R, m0 and P0 in closed form from
 * the RTS smoother's moments; exact (Shumway-Stoffer's) on a linear model, approximate otherwise.
 */
package org.statespace.nonlinear;
