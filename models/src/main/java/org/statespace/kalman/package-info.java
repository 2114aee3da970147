/**
 * Linear-Gaussian state-space models: the Kalman filter, the RTS smoother with lag-one
 * cross-covariances, exact diffuse initialisation, forecasts, sampling, EM and maximum likelihood.
 *
 * <h2>The model</h2>
 * In the 1-based notation of the literature, with states x_t (n×1), observations y_t (m×1) and inputs u_t
 * (p×1):
 * <pre>
 *   x_1 ~ N(m0, P0)
 *   x_t = F x_{t-1} + B u_t + b + w_t,   w_t ~ N(0, Q)     (t &gt;= 2)
 *   y_t = H x_t + D u_t + d + v_t,       v_t ~ N(0, R)
 * </pre>
 * F n×n ({@code transitionMatrix}), B n×p ({@code controlMatrix}), b n×1 ({@code transitionOffset}),
 * Q n×n ({@code processNoise}), H m×n ({@code observationMatrix}), D m×p ({@code feedthroughMatrix}),
 * d m×1 ({@code observationOffset}), R m×m ({@code observationNoise}), m0 ({@code initialMean}),
 * P0 ({@code initialCovariance}); all w_t, v_t and x_1 independent. The input u_1 enters only through D.
 *
 * <h2>As a recurrence (0-based steps t = 0..T-1)</h2>
 * The state h_t is the predicted Gaussian belief of x_t given o_0..o_{t-1}: mean a_t, covariance P_t.
 * {@code start} sets a_0 = m0, P_0 = P0. {@code step(t)} updates h_{t-1} with o_{t-1} (using u_{t-1}
 * in the feedthrough) and predicts with u_t: a_t = F a_{t-1|t-1} + B u_t + b, P_t = F P_{t-1|t-1} Fᵀ + Q.
 * The emission is the predictive Gaussian of o_t, N(H a_t + D u_t + d, H P_t Hᵀ + R); the summed
 * log-densities of the observed components are the sequence log-likelihood. The update solves with the
 * Cholesky factor of the innovation covariance (never inverts it), uses the Joseph form, and keeps every
 * covariance exactly symmetric; a missing observation (all components NaN) skips the update and a
 * partly missing one updates with its observed components (their marginal F_oo, H_o, R_oo).
 *
 * <p>Once the covariance recursion has settled (the predicted covariance of a fully observed step repeats
 * that of an earlier step, bit for bit: the recursion ends on a cycle of one, two or hundreds of steps), the
 * factors, gains and covariances of the cycle are replayed and only the means are updated: an exact steady state, whose results are identical to the full update (any
 * missing component ends it). It is on by default and an option of the model
 * ({@link org.statespace.kalman.KalmanOptions}, {@code LinearGaussianModel.withKalmanOptions}). Per step
 * nothing is allocated.
 *
 * <h2>Filters: predict and correct over a model interface</h2>
 * A Gaussian filter sees a model through {@link org.statespace.kalman.GaussianStateSpace}: a
 * {@link org.statespace.kalman.TransitionModel} (a_t = f(a_{t-1|t-1}, u_t), P_t = F P_{t-1|t-1} Fᵀ + Q) and an
 * {@link org.statespace.kalman.ObservationModel} (ŷ_t = h(a_t, u_t), the cross covariance H P_t, the innovation
 * covariance S_t = H P_t Hᵀ + R, H and R). The filter state is small
 * ({@link org.statespace.kalman.FilterState}: mean, covariance, accumulated log-likelihood), and the variants
 * are separate classes, as statsmodels separates its conventional, univariate and univariate-diffuse filters:
 * <ul>
 *   <li>{@link org.statespace.kalman.ConventionalKalmanFilter}: the update of all observed components at once,
 *       v = y_o - ŷ_o, S_oo = L Lᵀ, Kᵀ = S_oo⁻¹ (H_o P) by two triangular solves,
 *       a_t|t = a_t + K v, P_t|t = (I - K H_o) P_t (I - K H_o)ᵀ + K R_oo Kᵀ (Joseph form);</li>
 *   <li>{@link org.statespace.kalman.SequentialKalmanFilter}: for a diagonal R, one component at a time,
 *       F_i = z_iᵀ P z_i + R_ii, a += P z_i v_i / F_i, P -= P z_i z_iᵀ P / F_i (no m×m factor);</li>
 *   <li>{@code DiffuseKalmanUpdate}: the exact diffuse initialisation (below), linear models only;</li>
 *   <li>the exact steady state, an option of the linear model's recurrence (above).</li>
 * </ul>
 * The filters call the whole-belief operations {@code TransitionModel.propagate} and
 * {@code ObservationModel.observe}, whose defaults are the single-moment operations above (a sigma-point model
 * overrides them: its predicted mean depends on the covariance); a model that is not
 * {@code ObservationModel.linearized()} (sigma points, no H) is corrected with P_t|t = P_t - K S_oo Kᵀ instead
 * of the Joseph form, and the sequential filter refuses it.
 * {@code LinearGaussianModel.stateSpace()} is the exact linear {@code GaussianStateSpace}; the model's
 * recurrence ({@code transition()}/{@code emission()}, package-private {@code KalmanFilter}) runs the same
 * operations and the same update kernels as {@code ConventionalKalmanFilter}, adding the bookkeeping the
 * engine's step-by-step protocol needs (the emission's factor is the update's; the update runs in the
 * emission's log-density when the engine scores the step, else in the next {@code step}). An extended
 * filter implements {@code GaussianStateSpace} with Jacobians, an unscented one with sigma points; neither
 * edits a filter class (a test does the former with numerical Jacobians; package {@code nonlinear} has both), and
 * {@link org.statespace.kalman.GaussianFilterRecurrence} makes any such model the f and g the engine runs.
 *
 * <h2>Exact diffuse initialisation and the log-likelihood convention</h2>
 * With {@code "initialization": "diffuse"} the chosen states start with x_1 = m0 + A δ, δ ~ N(0, κ I),
 * κ → ∞ (P = P_* + κ P_∞ with P_∞ = A Aᵀ), handled exactly as in Durbin &amp; Koopman (2012, ch. 5) by
 * processing the observed components of each diffuse step one at a time (whitened by the Cholesky
 * factor of R_oo when R is not diagonal) until P_∞ vanishes. The log-likelihood is then the diffuse
 * log-likelihood log L_d = lim (log L_κ + (q/2) log κ), Durbin &amp; Koopman (2012, eq. 7.4): a component of
 * a diffuse step with F_∞ &gt; 0 contributes -½ (log 2π + log F_∞), any other its ordinary term. That is the
 * value of the recurrence, the trainer and statsmodels (Nile local level at the published variances:
 * -633.4646). R's KFAS leaves out the -½ log 2π of each component with F_∞ &gt; 0 (-632.5456);
 * {@link org.statespace.kalman.KalmanFilterResult#logLikelihoodKfasConvention()} reports that one.
 * During a diffuse step the predictive law of o_t is improper; the emission then reports the proper
 * stand-in N(ŷ, F_* + κ F_∞) with κ = 1e7 · max(1, largest diagonal entry of F_*) for means and intervals,
 * while its log-density term stays the exact diffuse one.
 *
 * <h2>Smoothing and learning</h2>
 * The smoother reads the moments a filter pass stored (package-private {@code FilterMoments}: predicted
 * and filtered moments, W_t = H_oᵀ F_oo⁻¹ H_o and s_t = H_oᵀ F_oo⁻¹ v_t per step), never the filter. It is
 * the backward recursion of Durbin &amp; Koopman (2012, sec. 4.4), which gives the RTS
 * smoothed moments without inverting predicted covariances, with the exact initial smoother (sec. 5.3)
 * over the diffuse phase; it also gives Cov[x_t, x_{t-1} | all]. EM (Shumway-Stoffer) uses them, with
 * missing observation components imputed in the E-step; any parameters can be held fixed and Q, R
 * constrained to be diagonal ({@link org.statespace.kalman.KalmanFitSettings}).
 *
 * <p>One sequence longer than memory ({@link org.statespace.capability.LongSequenceInference}): the filter step,
 * the smoother's backward step and the E-step's sums are each one kernel ({@code FilterMoments.step},
 * {@code KalmanSmoother.Backward}, {@code ShumwayStoffer.Accumulator}) that the in-memory path runs over packed
 * arrays and package-private {@code SpilledKalman} over a spill file read in blocks, so both give the same numbers
 * bit for bit. A structural model smooths over chunks by the spilled smoother of the linear-Gaussian model it
 * stands for (it is fitted by maximising the likelihood, so it has no E-step over chunks).
 *
 * <p>Posterior draws of the states ({@code samplePosterior}) use the simple simulation smoother of
 * Durbin &amp; Koopman (2002): x̃ = x̂(y) + x⁺ - x̂(y⁺), with (x⁺, y⁺) simulated from the model with y's inputs
 * and missing components, so the smoother above does all the work (missing data, singular Q and the exact
 * diffuse start included; package-private {@code SimulationSmoother}).
 *
 * <h2>Types</h2>
 * {@link org.statespace.kalman.LinearGaussianModel} ({@code "lgssm"}, EM by Shumway-Stoffer) and
 * {@link org.statespace.kalman.StructuralModel} ({@code "local-level"}, {@code "local-linear-trend"},
 * maximum likelihood over log-variances).
 */
package org.statespace.kalman;
