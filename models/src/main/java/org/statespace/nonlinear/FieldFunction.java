package org.statespace.nonlinear;

import org.hipparchus.CalculusFieldElement;

import org.statespace.data.Sequence;

/**
 * A vector function of the state written once, over any Hipparchus {@link CalculusFieldElement}: evaluated
 * on {@code Binary64} it gives the value, on {@code Gradient} (forward-mode automatic differentiation) the
 * value and the exact Jacobian. {@link AutoDiff#of} turns it into a {@link DifferentiableFunction}.
 *
 * <p>Constants enter through the field: {@code x[0].newInstance(8 * Math.cos(1.2 * t))},
 * {@code x[0].multiply(0.5)}. A generic method cannot be a lambda; write an anonymous class:
 *
 * <pre>{@code
 * FieldFunction growth = new FieldFunction() {
 *     public <T extends CalculusFieldElement<T>> void apply(T[] x, Sequence inputs, int t, T[] out) {
 *         out[0] = x[0].multiply(0.5).add(x[0].multiply(25).divide(x[0].square().add(1)))
 *                 .add(8 * Math.cos(1.2 * t));
 *     }
 * };
 * }</pre>
 */
public interface FieldFunction {

    /**
     * Writes g(x, u_t) into {@code out}.
     *
     * @param x      the state (n), not modified
     * @param inputs the sequence whose row {@code t} holds u_t (functions without inputs ignore it)
     * @param t      the 0-based step of the value being computed
     * @param out    the value (its length is the output dimension)
     */
    <T extends CalculusFieldElement<T>> void apply(T[] x, Sequence inputs, int t, T[] out);
}
