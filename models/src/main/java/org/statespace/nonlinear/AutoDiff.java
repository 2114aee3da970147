package org.statespace.nonlinear;

import org.hipparchus.analysis.differentiation.Gradient;
import org.hipparchus.analysis.differentiation.GradientField;
import org.hipparchus.util.Binary64;
import org.hipparchus.util.Binary64Field;
import org.hipparchus.util.MathArrays;

import org.statespace.data.Sequence;

/**
 * Forward-mode automatic differentiation of a {@link FieldFunction} with Hipparchus' {@link Gradient}
 * field: each of the n state components is a variable, so one evaluation gives the value and all n
 * partial derivatives, exact to rounding (no step size as in finite differences). The value alone is an
 * evaluation on {@link Binary64}.
 */
public final class AutoDiff {
    private AutoDiff() {
    }

    /** The {@link DifferentiableFunction} of {@code function} from ℝⁿ (n = {@code inputDimension}) to ℝʳ. */
    public static DifferentiableFunction of(int inputDimension, int outputDimension, FieldFunction function) {
        if (inputDimension < 1 || outputDimension < 1) {
            throw new IllegalArgumentException("dimensions must be positive, got " + inputDimension + " -> " + outputDimension);
        }
        return new Differentiated(inputDimension, outputDimension, function);
    }

    private record Differentiated(int inputDimension, int outputDimension, FieldFunction function)
            implements DifferentiableFunction {

        @Override
        public void value(double[] x, Sequence inputs, int t, double[] out) {
            Binary64[] in = MathArrays.buildArray(Binary64Field.getInstance(), inputDimension);
            for (int i = 0; i < inputDimension; i++) {
                in[i] = new Binary64(x[i]);
            }
            Binary64[] result = MathArrays.buildArray(Binary64Field.getInstance(), outputDimension);
            function.apply(in, inputs, t, result);
            for (int i = 0; i < outputDimension; i++) {
                out[i] = result[i].getReal();
            }
        }

        @Override
        public void jacobian(double[] x, Sequence inputs, int t, double[] value, double[] jacobian) {
            int n = inputDimension;
            Gradient[] in = MathArrays.buildArray(GradientField.getField(n), n);
            for (int i = 0; i < n; i++) {
                in[i] = Gradient.variable(n, i, x[i]);
            }
            Gradient[] result = MathArrays.buildArray(GradientField.getField(n), outputDimension);
            function.apply(in, inputs, t, result);
            for (int i = 0; i < outputDimension; i++) {
                value[i] = result[i].getValue();
                for (int c = 0; c < n; c++) {
                    jacobian[i * n + c] = result[i].getPartialDerivative(c);
                }
            }
        }
    }
}
