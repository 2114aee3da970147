package org.statespace;

import org.statespace.data.Sequence;

/**
 * f_θ, one step of the state recurrence h_t = f_θ(x_t, h_{t-1}).
 *
 * <p>The state h_t summarises everything known before observation t: the observations o_0..o_{t-1}
 * and the inputs u_0..u_t. Its input x_t is therefore the previous observation o_{t-1} (missing at
 * t = 0) and the current input u_t; a family may read any of o_{t-1}, u_{t-1}, u_t from the sequence.
 * What h is depends on the family:
 * <ul>
 *   <li>Markov chain: the distribution of the current state (a point mass when it was observed);</li>
 *   <li>HMM: the predicted belief p(s_t | o_0..o_{t-1}), a K-vector;</li>
 *   <li>linear-Gaussian: the predicted Gaussian belief of x_t (mean, covariance);</li>
 *   <li>RNN: the hidden vectors (and LSTM cells) of every layer.</li>
 * </ul>
 *
 * <p>The transition itself is immutable and thread-safe; the state it works on is a mutable workspace
 * from {@link #newState()} that one thread owns for one run. Implementations do not allocate in
 * {@link #start} or {@link #step}.
 *
 * @param <S> the family's state workspace
 */
public interface StateTransition<S> {

    /** A fresh workspace for h, sized for this model; allocated once per run. */
    S newState();

    /** Sets h_0, the state before any observation of {@code sequence} (from the prior and u_0). */
    void start(S state, Sequence sequence);

    /** Advances h_{t-1} to h_t = f(x_t, h_{t-1}) in place, for t &gt;= 1, with x_t = (o_{t-1}, u_t). */
    void step(S state, Sequence sequence, int t);
}
