package org.statespace.numeric;

import java.util.List;

/**
 * The unconstrained parametrisation of a symmetric positive definite d×d covariance Σ used for standard errors
 * ({@link org.statespace.capability.UnconstrainedParameters}): its Cholesky factor Σ = L Lᵀ with the log of
 * the diagonal, row by row over the lower triangle,
 *
 * <pre>
 *   θ = (log L_00, L_10, log L_11, L_20, L_21, log L_22, ...)      (d(d+1)/2 values)
 * </pre>
 *
 * which every θ ∈ ℝ^{d(d+1)/2} maps to a positive definite Σ and back one to one. The reported values are
 * the lower triangle of Σ in the same order, Σ_ij for j ≤ i.
 */
public final class CovarianceParameters {
    private CovarianceParameters() {
    }

    /** d(d+1)/2, the free parameters of a d×d covariance. */
    public static int count(int d) {
        return d * (d + 1) / 2;
    }

    /**
     * Appends θ of a covariance (row-major d×d, symmetric positive definite) to {@code out}.
     *
     * @throws org.statespace.NumericalException if it is not positive definite
     */
    public static void toUnconstrained(double[] covariance, int d, List<Double> out) {
        double[] lower = new double[d * d];
        Cholesky.factor(covariance, d, lower);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                out.add(i == j ? Math.log(lower[i * d + i]) : lower[i * d + j]);
            }
        }
    }

    /** The covariance (row-major d×d) of θ read from {@code theta} at {@code offset}: Σ = L Lᵀ. */
    public static double[] fromUnconstrained(double[] theta, int offset, int d) {
        double[] lower = new double[d * d];
        int k = offset;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                lower[i * d + j] = i == j ? Math.exp(theta[k]) : theta[k];
                k++;
            }
        }
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int m = 0; m <= j; m++) {
                    s += lower[i * d + m] * lower[j * d + m];
                }
                out[i * d + j] = s;
                out[j * d + i] = s;
            }
        }
        return out;
    }

    /** Appends the lower triangle of a row-major d×d matrix, Σ_ij for j ≤ i row by row, to {@code out}. */
    public static void lowerTriangle(double[] matrix, int d, List<Double> out) {
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                out.add(matrix[i * d + j]);
            }
        }
    }

    /** The names of the lower triangle's entries: {@code name[i][j]} for j ≤ i. */
    public static void lowerTriangleNames(String name, int d, List<String> out) {
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                out.add(name + "[" + i + "][" + j + "]");
            }
        }
    }
}
