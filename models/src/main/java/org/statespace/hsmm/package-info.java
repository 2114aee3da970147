/**
 * Explicit-duration hidden Markov models (hidden semi-Markov models): filtering, smoothing, decoding,
 * sampling and EM over the expanded chain.
 *
 * <h2>Model</h2>
 * K &ge; 2 hidden states; the sequence is cut into segments:
 * <pre>
 *   first segment's state ~ π                    initial distribution, K
 *   segment of state k lasts d ~ p_k, d &ge; 1     a {@link org.statespace.hsmm.Duration}: Poisson, negative binomial
 *                                                (both shifted to start at 1, truncated at D with the tail folded
 *                                                into D), a table p_k(1..L), L &le; D, or geometric (exact)
 *   next segment's state j ~ A_k                 K×K, A_kk = 0
 *   o_t | s_t = k ~ b_k                          any HMM {@link org.statespace.hmm.EmissionModel}
 * </pre>
 * The first segment starts at t = 0; the last one may still be running at T-1 (it is right-censored: it
 * contributes P(d &ge; its length so far)). A missing observation has no emission term.
 *
 * <h2>The expanded chain</h2>
 * x_t = (s_t, e_t), e_t the number of steps the current segment has lasted including t, is a Markov chain
 * over M = Σ_k slots_k states: slot (k, e) continues to (k, e+1) with probability S_k(e+1)/S_k(e) and ends with
 * the hazard h_k(e) = p_k(e)/S_k(e), S_k(e) = Σ_{d&ge;e} p_k(d); after an end the next state j is entered at
 * (j, 1) with probability A_kj. A truncated duration has D slots and the last has hazard 1; a geometric
 * duration has one slot that stays with 1 - q and ends with q, so it is the HMM with A_kk = 1 - q_k and
 * A_kj = q_k Ā_kj exactly. One step costs O(K·D + K²); forward-backward and Viterbi O(T·(K·D + K²)).
 *
 * <h2>As a recurrence</h2>
 * The state the engine carries is the predicted belief over the expanded chain; the emission is the
 * predictive distribution Σ_k p(s_t = k | o_0..o_{t-1}) b_k(o_t), a categorical or a mixture, as for the HMM.
 *
 * <h2>Posterior paths</h2>
 * Forward-filter backward-sample over the expanded chain, which is Markov: x_{T-1} ~ α̂_{T-1},
 * x_t ~ α̂_t(m) P(m, x_{t+1}); the drawn path is the states of the drawn slots. O(T·M) per draw.
 *
 * <h2>EM</h2>
 * The E-step gives expected initial states, expected transitions between segments, expected segment ends per
 * slot and the posterior of each sequence's last step; the M-step is in
 * {@link org.statespace.hsmm.HiddenSemiMarkovModel#maximization} and the duration part in {@code DurationFit}.
 */
package org.statespace.hsmm;
