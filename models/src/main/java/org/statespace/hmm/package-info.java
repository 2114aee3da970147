/**
 * Hidden Markov models with categorical, Gaussian (full, diagonal, spherical, tied), Gaussian-mixture
 * and Poisson emissions: filtering, smoothing, decoding, sampling and Baum-Welch.
 *
 * <h2>Model</h2>
 * K hidden states, steps t = 0..T-1:
 * <pre>
 *   s_0 ~ π                       initial distribution, K
 *   s_t | s_{t-1} = i ~ A_i       transition matrix, K×K, row i = p(s_t | s_{t-1} = i)
 *   o_t | s_t = k ~ b_k           emission density of state k
 * </pre>
 * Emissions ({@link org.statespace.hmm.EmissionModel}):
 * <pre>
 *   categorical  b_k(m) = B_km                              B: K×M
 *   gaussian     b_k(o) = N(o; μ_k, Σ_k)                    μ: K×d; Σ full K×d×d, diagonal K×d,
 *                                                           spherical K (σ_k² I), tied d×d (shared)
 *   gmm          b_k(o) = Σ_c w_kc N(o; μ_kc, Σ_kc)          w: K×C; μ: K×C×d; Σ: K×C×d (diagonal) or K×C×d×d
 *   poisson      b_k(o) = Π_j λ_kj^{o_j} e^{-λ_kj} / o_j!     λ: K×d
 * </pre>
 * A missing observation (JSON null, NaN) has no emission term (b_k = 1 for every k); a vector with
 * some components missing is scored by the marginal density of its observed components.
 *
 * <h2>As a recurrence</h2>
 * The state the engine carries is the predicted belief h_t(k) = p(s_t = k | o_0..o_{t-1}):
 * <pre>
 *   h_0 = π
 *   α_{t-1}(i) = h_{t-1}(i) b_i(o_{t-1}) / Σ_j h_{t-1}(j) b_j(o_{t-1})     condition on o_{t-1} (skipped when missing)
 *   h_t(j) = Σ_i α_{t-1}(i) A_ij                                       predict
 *   p(o_t | o_0..o_{t-1}) = Σ_k h_t(k) b_k(o_t)                        the emission
 * </pre>
 * The predictive distribution is a {@link org.statespace.distribution.Categorical} with probabilities
 * Σ_k h_t(k) B_k for categorical emissions and a {@link org.statespace.distribution.Mixture} of the
 * state densities with weights h_t otherwise. Scoring o_t computes b_k(o_t) once and keeps it in the
 * state, where the next step reuses it; Σ_t log p(o_t | past) is the sequence log-likelihood.
 *
 * <h2>Kernels</h2>
 * {@link org.statespace.hmm.ForwardBackward} runs the scaled recursions (Rabiner 1989, with the
 * emission densities of every step shifted by their maximum, b̃_t(k) = b_k(o_t) / max_j b_j(o_t)):
 * <pre>
 *   c_t = Σ_k h_t(k) b̃_t(k),   α̂_t(k) = h_t(k) b̃_t(k) / c_t,   log p(o) = Σ_t (log c_t + log max_j b_j(o_t))
 *   β̂_{T-1} = 1,   β̂_t(i) = Σ_j A_ij b̃_{t+1}(j) β̂_{t+1}(j) / c_{t+1}
 *   γ_t(k) = α̂_t(k) β̂_t(k)                                       p(s_t = k | o)
 *   ξ_t(i, j) = α̂_t(i) A_ij b̃_{t+1}(j) β̂_{t+1}(j) / c_{t+1}         p(s_t = i, s_{t+1} = j | o)
 * </pre>
 * Every α̂ is normalised and every b̃ lies in [0, 1] with maximum 1, so sequences of any length neither
 * underflow nor overflow. Viterbi runs in log space: δ_0(k) = log π_k + log b_k(o_0),
 * δ_t(j) = max_i (δ_{t-1}(i) + log A_ij) + log b_j(o_t), ties to the smaller index. Posterior paths
 * are drawn by forward-filter backward-sample: s_{T-1} ~ α̂_{T-1}, s_t ~ α̂_t(i) A_{i, s_{t+1}}.
 *
 * <h2>Baum-Welch</h2>
 * E-step (summed over sequences n of any lengths): N⁰_k = Σ_n γ_0(k), N_ij = Σ_n Σ_t ξ_t(i, j), and
 * γ-weighted emission statistics. M-step with symmetric Dirichlet pseudo-counts α
 * ({@link org.statespace.hmm.HmmFitSettings}):
 * <pre>
 *   π_k  = (N⁰_k + α_π) / Σ_k' (N⁰_k' + α_π)
 *   A_ij = (N_ij + α_A + [i = j] α_self) / Σ_j' (N_ij' + α_A + [i = j'] α_self)
 *   B_km = (Σ_t γ_t(k) [o_t = m] + α_B) / Σ_m' (...)
 *   μ_k  = Σ_t γ_t(k) E[o_t | s_t = k] / N_k,   Σ_k = Σ_t γ_t(k) E[(o_t - μ_k)(o_t - μ_k)ᵀ | s_t = k] / N_k
 *   λ_kj = Σ_t γ_t(k) o_tj / Σ_t γ_t(k)   (over the steps where component j was observed)
 * </pre>
 * where N_k = Σ_t γ_t(k) over observed steps, and missing components of a partly observed Gaussian
 * vector enter through their conditional mean and covariance given the observed ones (so the E-step is
 * exact and EM stays monotone). Tied covariances pool the scatter over states, diagonal ones keep its
 * diagonal, spherical ones its mean variance. Mixture components are weighted by γ_t(k) times their
 * responsibility within the state. Covariances are floored by clipping eigenvalues at the covariance
 * floor (the exact constrained maximiser), Poisson rates at the rate floor. A state or component that
 * receives no responsibility keeps its parameters, so no NaN ever appears.
 *
 * <p>Free parameters (AIC, BIC): (K - 1) + K(K - 1) + emission: K(M - 1) categorical; K·d means plus
 * K·d(d+1)/2 (full), K·d (diagonal), K (spherical) or d(d+1)/2 (tied) Gaussian; K(C - 1) + K·C·d +
 * K·C·d or K·C·d(d+1)/2 mixture; K·d Poisson.
 *
 * <h2>Input-output and autoregressive HMMs</h2>
 * {@link org.statespace.hmm.InputOutputHmm} ({@code "iohmm"}, Bengio &amp; Frasconi 1995): A_t(i, j) =
 * softmax_j(W_i u_t + b_i) and π = softmax(V u_0 + c) or fixed; the kernels above run with A_t in place of A
 * ({@link org.statespace.hmm.ForwardBackward} takes the step's matrix). Its emission is any of the above or a
 * {@link org.statespace.hmm.RegressionEmission}: N(C_k x_t, Σ_k) with x_t = [u_t; o_{t-1}; ...; o_{t-L}; 1],
 * the regression HMM (L = 0) and the autoregressive HMM (Hamilton 1989; Murphy 2012, sec. 17.6), fitted by
 * weighted least squares. The transitions' M-step is a weighted multinomial logistic regression of the
 * expected transitions on [u_t; 1] with an L2 ridge ({@code SoftmaxRegression}, Newton's method).
 *
 * <h2>MAP EM and constraints (the spec's "prior" and "fit" blocks)</h2>
 * With a prior the M-step is the posterior mode: Dirichlet(α) rows p_j ∝ N_j + α_j - 1 (sticky: κ added to
 * α_ii); Gamma(a, b) rates λ = (Σγo + a - 1) / (Σγ + b); Normal-inverse-Wishart means and covariances
 * <pre>
 *   μ_k = (κ0 μ0 + Σ_t γ_t(k) o_t) / (κ0 + N_k)
 *   Σ_k = (Ψ + Σ_t γ_t(k)(o_t - μ_k)(o_t - μ_k)ᵀ + κ0 (μ_k - μ0)(μ_k - μ0)ᵀ) / (N_k + ν + d + 1 + [κ0 &gt; 0])
 * </pre>
 * (ν + 2 in place of ν + d + 1 for the per-variance inverse-Gamma form of diagonal and spherical covariances;
 * a tie group or tied covariance type sums numerators and denominators over its states, with one Ψ and ν).
 * Fixed entries of a probability row keep their values and the free ones share the rest in proportion to
 * their counts; a fixed mean leaves the covariance as the scatter about it; bounds clip eigenvalues, variances
 * and rates. Every step is the exact constrained maximum, so EM never lowers log p(o | θ) + log p(θ).
 */
package org.statespace.hmm;
