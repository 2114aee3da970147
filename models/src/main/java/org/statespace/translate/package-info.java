/**
 * Exact translations of one family into another: every Markov chain and HMM becomes an {@code rnn}
 * spec whose only layer is an HMM cell (see {@code org.statespace.rnn.Cell#HMM}), every linear-Gaussian
 * model and structural model one whose only layer is a Kalman cell, under the belief
 * head, so that its hidden state is the filter's belief and its head the model's predictive distribution.
 *
 * <p>Why the log-likelihoods agree (proof sketch). The HMM's filter as a recurrence carries the predicted
 * belief h_t = p(s_t | o_0..o_{t-1}): h_0 = π, h_t = Aᵀ normalise(h_{t-1} ⊙ b(o_{t-1})), and scores
 * log Σ_k h_{t,k} b_k(o_t). The HMM cell computes the same three formulas with π = softmax(log π),
 * A = softmax rows of log A and b_k from its emission blocks (log-probabilities, log-rates, means and the
 * Cholesky factor of each covariance), and softmax(log p) = p for any probability vector p; so every step
 * agrees up to rounding (a zero probability is the logit -1e300, whose exponential is exactly 0). A missing
 * observation skips the update in both. A Markov chain of order k is the HMM whose states are the windows
 * (s_t..s_{t+k-1}), whose transition appends a state (z → (z mod S^{k-1})·S + j with probability A[z][j]) and
 * whose emission is the window's first state with probability 1 (an identity emission for k = 1): the
 * chain's own filter carries exactly that window belief.
 *
 * <p>The linear-Gaussian case: the model's recurrence carries the predicted belief N(a_t, P_t), a_0 = m0,
 * P_0 = P0, corrects with the observed components of o_{t-1} and predicts a_t = F a_{t|t} + B u_t + b,
 * P_t = F P_{t|t} Fᵀ + Q; it scores o_t by N(H a_t + d, H P_t Hᵀ + R). The Kalman cell is the same
 * recursion with B u_t + b as its drift (input [o_{t-1}; u_t], weights [0 | B], bias b) and Q, R, P0 as
 * L Lᵀ of their Cholesky factors; the source's Joseph-form update and the cell's P - U S⁻¹ Uᵀ are equal in
 * exact arithmetic, so the two agree up to rounding. A feedthrough D u_t is the cell's observation shift
 * e_t (rows n..n+d of the input weights [0 | D]), carried in the state from step t to the correction with
 * o_t, so both use H a_t + D u_t + d. An exact diffuse start is the cell's diffuse states: no finite prior
 * gives the diffuse log-likelihood (the limit κ → ∞ of a prior κ I minus a divergent log κ term), so the cell
 * carries P_∞ itself and runs the same exact diffuse correction (the shared kernel
 * {@code org.statespace.kalman.DiffuseComponentUpdate}, one whitened component at a time) while P_∞ ≠ 0; its
 * log-density terms are the source's diffuse terms, its predictive law the source's κ-inflated stand-in, and its
 * state reports the same steps as diffuse ({@code org.statespace.DiffusePhase}), so the engine leaves the same
 * steps out of every score for both. (The cell always whitens by chol(R_OO); the source skips that for a
 * diagonal R: equal in exact arithmetic.)
 */
package org.statespace.translate;
