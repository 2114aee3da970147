package org.statespace.nonlinear;

import org.statespace.data.Sequence;

/**
 * A vector function of the state, g: ℝⁿ → ℝʳ at step t (u_t from the sequence), with its Jacobian: the f
 * or the h of a {@link NonlinearSystem}. Write one by hand (value and Jacobian) or from a
 * {@link FieldFunction} by {@link AutoDiff#of} (forward-mode automatic differentiation). Implementations
 * are immutable and thread-safe.
 */
public interface DifferentiableFunction {

    /** n, the length of the argument. */
    int inputDimension();

    /** r, the length of the value. */
    int outputDimension();

    /** g(x, u_t) (r) into {@code out}. */
    void value(double[] x, Sequence inputs, int t, double[] out);

    /** g(x, u_t) (r) into {@code value} and ∂g/∂x (r×n, row-major) into {@code jacobian}. */
    void jacobian(double[] x, Sequence inputs, int t, double[] value, double[] jacobian);
}
