/**
 * Recurrent neural networks as state-space models: vanilla cells in two forms, LSTM, GRU, stacks and
 * any loop graph with delays, PyTorch-compatible weights, exact backpropagation through time.
 *
 * <h2>Cells (PyTorch's equations and gate order)</h2>
 * For layer l at step t with input y_t^{in} (x_t for layer 0, the output of layer l-1 above it), its own
 * previous output h_{t-1}, and the outputs y^{j}_{t-d} of the extra edges j → l (weights W_e):
 * <pre>
 *   vanilla, form (i):  h_t = σ(W_ih y_t^{in} + b_ih + W_hh h_{t-1} + b_hh + Σ_e W_e y^{j}_{t-d})
 *                       i.e. h_t^l = σ(W^l [h_t^{l-1}; h_{t-1}^l] + b^l) with W^l = [W_ih W_hh], b^l = b_ih + b_hh
 *   vanilla, form (ii): a_t = W_ih ỹ_t^{in} + b_ih + W_hh σ(a_{t-1}) + b_hh + Σ_e W_e ỹ^{j}_{t-d}
 *                       i.e. a_t^l = W^l [σ(a_t^{l-1}); σ(a_{t-1}^l)] + b^l
 *                       where ỹ is σ of a form-(ii) source's state (never of the raw input x), and no σ at the end
 *   vanilla, form (ii-literal), the notes' h_t^l = W^l [h_t^{l-1}; σ(h_{t-1}^l)] + b^l:
 *                       a_t = W_ih y_t^{in} + b_ih + W_hh σ(a_{t-1}) + b_hh + Σ_e W_e y^{j}_{t-d}
 *                       σ only where a layer reads its own past (W_hh, an extra edge from itself) and where the
 *                       head reads it; the layer above and extra edges to other layers read a_t itself
 *   σ: tanh, relu = max(0, ·) or sigmoid = 1 / (1 + e^{-·})
 *   LSTM (rows i, f, g, o):  i = sig(Z_i), f = sig(Z_f), g = tanh(Z_g), o = sig(Z_o),
 *                            Z = W_ih y^{in} + b_ih + W_hh h_{t-1} + b_hh + Σ_e W_e y^{j}_{t-d}
 *                            c_t = f ⊙ c_{t-1} + i ⊙ g,  h_t = o ⊙ tanh(c_t)
 *   GRU (rows r, z, n):      A = W_ih y^{in} + b_ih + Σ_e W_e y^{j}_{t-d},  B = W_hh h_{t-1} + b_hh
 *                            r = sig(A_r + B_r), z = sig(A_z + B_z), n = tanh(A_n + r ⊙ B_n)
 *                            h_t = (1 - z) ⊙ n + z ⊙ h_{t-1}
 * </pre>
 * r multiplies W_hn h + b_hn including the bias (PyTorch, cuDNN); an extra edge adds into the input side
 * A, outside the reset gate. Weights have PyTorch's shapes: {@code weight_ih_l<l>} G·H × in,
 * {@code weight_hh_l<l>} G·H × H, {@code bias_ih_l<l>}, {@code bias_hh_l<l>} G·H, gates stacked in the
 * order above; {@code weight_edge_<from>_<to>} G·H_to × H_from, like a {@code weight_ih} of the receiving
 * layer.
 *
 * <h2>Hybrid cells</h2>
 * Two filters are cells too. Their pre-activations Z are formed like every cell's (biases, W_ih y^{in},
 * W_hh of their own state, extra edges); each reads the previous observation o_{t-1} (the observation part
 * of x_t, missing components skipped) and has blocks of its own:
 * <pre>
 *   HMM (K states, Z: K·K transition logits; {@link HmmCell}):
 *     h_0 = softmax(initial_logits);  α = h_{t-1} ⊙ b(o_{t-1}) / Σ;  A = softmax rows of Z;  h_t = Aᵀ α
 *   Kalman (n states, state [a; vec P], Z: n drift; {@link KalmanCell}):
 *     h_0 = [m0; P0];  correct with o_{t-1} (U = P H_Oᵀ, S = H_O U + R_OO, a_f = a + U S⁻¹ v, P_f = P - U S⁻¹ Uᵀ);
 *     a_t = F a_f + Z,  P_t = F P_f Fᵀ + Q
 *     options: "diffuseStates" (the state carries P_∞ too and the diffuse phase runs the exact diffuse
 *     correction of Durbin &amp; Koopman, the kalman family's own kernel), "feedthrough" (d more pre-activations,
 *     carried in the state, shift the predicted observation: D u_t), "learnedGain" (innovations form: state x̂,
 *     x̂' = F x̂ + K v + Z with a trained gain K and innovation covariance S = L Lᵀ; predictive N(H x̂ + c, S))
 * </pre>
 * The {@link Head.Type#BELIEF} head is the top hybrid cell's predictive distribution of o_t (Σ_k h_k b_k, or
 * N(H a + c, H P Hᵀ + R)); its loss is -log p(o_t | past), the filter's own normaliser. Every covariance is
 * L Lᵀ with a log-diagonal lower factor and every probability vector a softmax, so gradient steps keep the
 * constraints. {@code org.statespace.translate} writes Markov chains, HMMs and linear-Gaussian models exactly
 * as such networks.
 *
 * <h2>Forms (i) and (ii) are the same network, and when (ii-literal) is too</h2>
 * Take the same W, b and initial states with h_{-1} = σ(a_{-1}). If σ(a_s^k) = h_s^k for every layer k
 * and every step s before (t, l) in the unrolled order, then every input of form (ii) at (t, l) — ỹ = σ(a)
 * of a hidden source, x itself for the input — equals the corresponding input of form (i), so the
 * pre-activations agree: a_t^l = W^l [h_t^{l-1}; h_{t-1}^l] + b^l, and σ(a_t^l) = h_t^l. By induction
 * over the unrolled DAG this holds at every layer and step, and the head, which applies σ to a
 * form-(ii) top layer first, gives equal outputs. The code runs the two forms on different paths (form
 * (ii) stores a and each consumer applies σ, and in the backward pass σ', at its input), and the tests
 * and the example {@code FormsEquivalence} check the identity to 1e-12.
 *
 * <p>Precisely, the two conditions are: (1) the initial states match, h_0 = σ(a_0) for every layer, so each
 * h_0 must lie in σ's range (tanh: (-1, 1), sigmoid: (0, 1), relu: [0, ∞)); zeros match for tanh and relu
 * (σ(0) = 0) but not for the sigmoid, where a zero a_0 is read as 1/2 and no a_0 gives h_0 = 0; (2) every
 * consumer of a form-(ii) state applies σ. Form (ii) meets (2) by construction, for every stack and loop
 * graph. Form (ii-literal) meets it only for a layer whose state no other layer reads: a single layer, or
 * the top layer of a stack with no extra edge leaving it. For two stacked tanh layers in the literal form,
 * layer 1 reads a_t^0 where form (i) reads tanh(a_t^0), and the outputs differ (tested against a
 * hand-written recurrence; the example prints the difference). Initial states are set per layer in the
 * spec ({@code "initialState"}, {@code "initialCell"}; {@link org.statespace.rnn.InitialStates}).
 *
 * <h2>Loop graphs</h2>
 * A network is a graph of layer nodes whose connections carry a delay: the stack is implied (x → 0 and
 * l-1 → l at delay 0, l → l at delay 1), {@link org.statespace.rnn.Edge}s add others, e.g. layer 2 back to
 * layer 1 at delay 1. Every cycle must have a positive delay ({@link org.statespace.rnn.LoopGraph}); the
 * graph then unrolls over T steps into a DAG of (layer, t) nodes ({@link org.statespace.rnn.UnrolledGraph}),
 * which the network runs in topological order (steps in order, layers in the graph's topological order
 * within a step) and backpropagates in reverse. A connection of delay d reads, before step d, the
 * initial state (zeros unless the spec sets it; a = 0 in form (ii), which a consumer sees as σ(0)).
 * {@link org.statespace.rnn.LoopAnalysis} says what a loop does to the unrolled DAG: the strongly connected
 * components of the layer graph (layers joined by a cycle run as one recurrent block), the critical path
 * D(T), its growth per step (the maximum cycle ratio, links per step of delay), and each layer's
 * effective delays. Three layers with the top one looping back to the middle one at delay 1 give
 * D(T) = 2T + 2 (14 links at T = 6) against T + 3 for the plain stack (9): the unrolled graph is not a grid.
 *
 * <h2>As a recurrence</h2>
 * The state h_t is the states of every layer (and LSTM cells) at step t, kept over the last
 * max-delay + 1 steps. The input at step t is x_t = [enc(o_{t-1}); u_t]: the previous observation (one-hot
 * over the M symbols of a softmax head, the d components otherwise; zeros when missing and at t = 0)
 * joined with the exogenous inputs u_t; initial states are zero unless the spec sets them. The head (an {@code nn.Linear} on the top
 * layer's output, {@code head.weight} rows × H, {@code head.bias}) gives the predictive distribution of
 * o_t, so Σ_t log p(o_t | past) scores an RNN like any other family:
 * <pre>
 *   linear:   N(μ, diag(v)), μ = head(h), rows d; v is a head parameter re-estimated after every training
 *             epoch as the mean squared one-step residual on the training data (trained with squared error)
 *   gaussian: N(μ, diag(exp(s))), [μ; s] = head(h), rows 2d (means first, then log-variances); trained by
 *             negative log-likelihood
 *   softmax:  Categorical(softmax(head(h))), rows M; trained by cross-entropy
 * </pre>
 *
 * <h2>Training</h2>
 * {@link org.statespace.rnn.RnnModel} is {@link org.statespace.capability.Differentiable}: exact BPTT
 * through every cell, form, head and loop graph, truncated BPTT(k1, k2), losses per scored observation,
 * mini-batches of sequences of different lengths (packed: sorted by length, finished rows drop out),
 * missing components masked. The trainer of module {@code inference} runs the optimiser (Adam, SGD with
 * momentum, clipping by global norm, early stopping). Every product is a matrix-matrix product over the
 * batch into preallocated workspaces, all gates of a layer in one product; nothing is allocated per step.
 */
package org.statespace.rnn;
