package org.statespace.hmm;

import org.statespace.NumericalException;
import org.statespace.numeric.Cholesky;

/**
 * Weighted multinomial logistic regression by Newton's method with a backtracking line search, the
 * M-step of an input-output HMM's transitions and initial distribution. Rows r ({@link RegressionRows}, in memory
 * or spilled to disk and read a block at a time in row order) carry regressors x_r (q,
 * the inputs and a trailing 1) and non-negative targets y_r (K expected counts); the coefficients θ (K×q,
 * row j for class j) maximise the concave
 *
 * <pre>
 *   f(θ) = Σ_r Σ_j y_rj log π_rj(θ) - (λ/2) ||θ||²,    π_r = softmax(θ x_r)
 *   ∇_j f = Σ_r (y_rj - n_r π_rj) x_r - λ θ_j,          n_r = Σ_j y_rj
 *   -∇²f  = Σ_r n_r (diag π_r - π_r π_rᵀ) ⊗ x_r x_rᵀ + λ I
 * </pre>
 *
 * The ridge λ &gt; 0 makes the optimum unique (softmax is unchanged by adding one vector to every θ_j) and
 * finite (a transition never observed would otherwise drive its coefficients to -∞), and -∇²f positive
 * definite, so each Newton step solves with a Cholesky factor. Iterates until the Newton decrement
 * ∇fᵀ Δ falls below 1e-12 (1 + |f|) or 100 steps; each step is an ascent (halved until Armijo holds).
 */
final class SoftmaxRegression {
    private SoftmaxRegression() {
    }

    /**
     * @param x      rows×q regressors, row-major
     * @param y      rows×K targets, row-major
     * @param start  K×q starting coefficients (not modified)
     * @return the maximising coefficients, K×q
     */
    static double[] fit(double[] x, double[] y, int rows, int q, int k, double ridge, double[] start) {
        return fit(RegressionRows.of(x, y, rows, q, k), 0, k, ridge, start);
    }

    /**
     * The regression over stored rows, read a block at a time in row order (the same sums in the same order
     * whichever the store).
     *
     * @param rows    the rows: x their regressors (q), the targets of row r at y[r·width + target ..+k)
     * @param target  the offset of the targets in a row's y
     * @param start   K×q starting coefficients (not modified)
     * @return the maximising coefficients, K×q
     */
    static double[] fit(RegressionRows rows, int target, int k, double ridge, double[] start) {
        int q = rows.q;
        int n = k * q;
        double[] theta = start.clone();
        double[] gradient = new double[n];
        double[] hessian = new double[n * n];
        double[] lower = new double[n * n];
        double[] step = new double[n];
        double[] trial = new double[n];
        double[] pi = new double[k];
        double f = objective(rows, target, k, ridge, theta, pi);
        for (int iteration = 0; iteration < 100; iteration++) {
            derivatives(rows, target, k, ridge, theta, pi, gradient, hessian);
            Cholesky.factor(hessian, n, lower);
            System.arraycopy(gradient, 0, step, 0, n);
            Cholesky.solveLower(lower, n, step);
            Cholesky.solveUpperTransposed(lower, n, step);
            double decrement = 0;
            for (int i = 0; i < n; i++) {
                decrement += gradient[i] * step[i];
            }
            if (!(decrement > 1e-12 * (1 + Math.abs(f)))) {
                break;
            }
            double s = 1;
            double next;
            while (true) {
                for (int i = 0; i < n; i++) {
                    trial[i] = theta[i] + s * step[i];
                }
                next = objective(rows, target, k, ridge, trial, pi);
                if (next >= f + 1e-4 * s * decrement || s < 1e-10) {
                    break;
                }
                s /= 2;
            }
            if (!(next >= f)) {
                break; // rounding: no further ascent possible
            }
            System.arraycopy(trial, 0, theta, 0, n);
            f = next;
        }
        if (!Double.isFinite(f)) {
            throw new NumericalException("the softmax regression of the transitions did not converge (objective " + f + ")");
        }
        return theta;
    }

    /** f(θ), the penalised weighted log-likelihood. */
    static double objective(RegressionRows rows, int target, int k, double ridge, double[] theta, double[] pi) {
        int q = rows.q;
        int width = rows.width;
        double f = 0;
        for (int from = 0; from < rows.count(); ) {
            int count = rows.load(from);
            double[] x = rows.x();
            double[] y = rows.y();
            for (int r = rows.base(), end = r + count; r < end; r++) {
                double logNormalizer = softmax(x, r * q, q, k, theta, pi);
                for (int j = 0; j < k; j++) {
                    double t = y[r * width + target + j];
                    if (t != 0) {
                        f += t * logProbability(x, r * q, q, j, theta, logNormalizer);
                    }
                }
            }
            from += count;
        }
        double norm = 0;
        for (double t : theta) {
            norm += t * t;
        }
        return f - 0.5 * ridge * norm;
    }

    // log π_j without underflow: θ_j x - log Σ exp(θ x)
    private static double logProbability(double[] x, int offset, int q, int j, double[] theta, double logNormalizer) {
        double z = 0;
        for (int l = 0; l < q; l++) {
            z += theta[j * q + l] * x[offset + l];
        }
        return z - logNormalizer;
    }

    /** π = softmax(θ x) into {@code pi}; returns log Σ_j exp(θ_j x). */
    static double softmax(double[] x, int offset, int q, int k, double[] theta, double[] pi) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            double z = 0;
            for (int l = 0; l < q; l++) {
                z += theta[j * q + l] * x[offset + l];
            }
            pi[j] = z;
            max = Math.max(max, z);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            pi[j] = Math.exp(pi[j] - max);
            sum += pi[j];
        }
        for (int j = 0; j < k; j++) {
            pi[j] /= sum;
        }
        return max + Math.log(sum);
    }

    private static void derivatives(RegressionRows rows, int target, int k, double ridge, double[] theta,
            double[] pi, double[] gradient, double[] hessian) {
        int q = rows.q;
        int width = rows.width;
        int n = k * q;
        java.util.Arrays.fill(hessian, 0);
        for (int i = 0; i < n; i++) {
            gradient[i] = -ridge * theta[i];
            hessian[i * n + i] = ridge;
        }
        for (int from = 0; from < rows.count(); ) {
            int count = rows.load(from);
            double[] x = rows.x();
            double[] y = rows.y();
            for (int r = rows.base(), end = r + count; r < end; r++) {
                int xo = r * q;
                int yo = r * width + target;
                double total = 0;
                for (int j = 0; j < k; j++) {
                    total += y[yo + j];
                }
                if (total == 0) {
                    continue;
                }
                softmax(x, xo, q, k, theta, pi);
                for (int j = 0; j < k; j++) {
                    double residual = y[yo + j] - total * pi[j];
                    for (int l = 0; l < q; l++) {
                        gradient[j * q + l] += residual * x[xo + l];
                    }
                    for (int j2 = 0; j2 <= j; j2++) {
                        double w = total * pi[j] * ((j == j2 ? 1 : 0) - pi[j2]);
                        if (w == 0) {
                            continue;
                        }
                        for (int l = 0; l < q; l++) {
                            double wl = w * x[xo + l];
                            int row = (j * q + l) * n + j2 * q;
                            for (int l2 = 0; l2 < q; l2++) {
                                hessian[row + l2] += wl * x[xo + l2];
                            }
                        }
                    }
                }
            }
            from += count;
        }
        // the lower block triangle was filled; mirror it (Cholesky reads the lower triangle only, but keep it whole)
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                hessian[a * n + b] = hessian[b * n + a];
            }
        }
    }
}
