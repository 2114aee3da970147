/**
 * Discrete Markov chains of order k, observed directly.
 *
 * <p>Model: s_0..s_{k-1} ~ initial (S^k), s_t | s_{t-k}..s_{t-1} ~ transition[context] for t &gt;= k,
 * the context index being s_{t-k}·S^{k-1} + ... + s_{t-1}.
 *
 * <p>As a recurrence: the state h_t is the distribution of the window Z_t = (s_t..s_{t+k-1}) given
 * o_0..o_{t-1}; h_0 = initial; one step conditions on o_{t-1} (the first entry of Z_{t-1}) and moves
 * the window: p(Z_t) = Σ_z p(Z_{t-1} = z | o_{t-1}) A[z][last of Z_t]. The emission is the marginal of
 * the first entry: p(o_t | past). For order 1 with every state observed this is just row o_{t-1} of the
 * transition matrix, and the summed predictive log-densities are log p(s_0) + Σ log A[s_{t-1}][s_t].
 * A missing observation propagates the distribution without conditioning.
 */
package org.statespace.markov;
