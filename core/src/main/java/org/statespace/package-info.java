/**
 * The core of Statespace: every model is the recurrence
 *
 * <pre>
 *     h_t = f_θ(x_t, h_{t-1})      (the state transition, {@link org.statespace.StateTransition})
 *     y_t = g_θ(h_t)               (the emission, {@link org.statespace.Emission})
 * </pre>
 *
 * where x_t = (o_{t-1}, u_t) is what became known since the last step and y_t is the predictive
 * distribution p(o_t | o_0..o_{t-1}, u_0..u_t) of the next observation. The sum over t of
 * log p(o_t | past) is the sequence log-likelihood for every family, which makes them comparable.
 * {@link org.statespace.StateSpaceModel} joins the two; {@link org.statespace.Recurrence} runs them.
 */
package org.statespace;
