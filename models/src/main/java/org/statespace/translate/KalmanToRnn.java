package org.statespace.translate;

import java.util.List;

import org.statespace.SpecException;
import org.statespace.kalman.LinearGaussianModel;
import org.statespace.kalman.StructuralModel;
import org.statespace.rnn.Head;
import org.statespace.rnn.Layer;
import org.statespace.rnn.RnnArchitecture;
import org.statespace.rnn.RnnModel;

/**
 * A linear-Gaussian model or a structural model as an rnn: one Kalman cell of n states under a belief head,
 * input [o_{t-1}; u_t] (d + p). F, H, the observation offset d and m0 are copied; the control B u_t + b is the
 * cell's drift ({@code weight_ih_l0} = [0 | B], {@code bias_ih_l0} = b); Q, R and P0 become Cholesky factors with
 * log-diagonals (a zero pivot of a semidefinite matrix is the log -1e300, an exact zero, so deterministic
 * components stay deterministic). An exact diffuse start becomes the cell's {@code diffuseStates} (P0 is then
 * the known part P_*), a feedthrough D u_t the cell's observation shift (rows n..n+d of {@code weight_ih_l0} =
 * [0 | D]). A structural model's Q and R are diagonal by construction (independent disturbances): its cell keeps
 * them so ({@code diagonalNoise}, log standard deviations), so fine-tuning keeps the structure.
 */
public final class KalmanToRnn {
    private KalmanToRnn() {
    }

    /** A structural model: its disturbances are independent, so Q and R stay diagonal under fine-tuning. */
    public static RnnModel translate(StructuralModel model) {
        return translate(model.asLinearGaussian(), true);
    }

    public static RnnModel translate(LinearGaussianModel model) {
        return translate(model, false);
    }

    private static RnnModel translate(LinearGaussianModel model, boolean diagonalNoise) {
        int n = model.stateDimension();
        int d = model.observationDimension();
        int p = model.inputDimension();
        List<Integer> diffuse = java.util.Arrays.stream(model.diffuseStates()).boxed().toList();
        int feedthrough = model.feedthroughMatrix().isPresent() ? d : 0;
        RnnArchitecture a = RnnArchitecture.stack(d + p, List.of(Layer.kalman(n, diffuse, feedthrough, diagonalNoise)),
                Head.belief(d, false, List.of()));
        double[] theta = new double[a.parameterCount()];
        copy(theta, a, "transition_l0", model.transitionMatrix());
        copy(theta, a, "observation_l0", model.observationMatrix());
        System.arraycopy(model.initialMean(), 0, theta, a.block("initial_mean_l0").offset(), n);
        model.observationOffset().ifPresent(c -> System.arraycopy(c, 0, theta, a.block("observation_offset_l0").offset(), d));
        model.transitionOffset().ifPresent(b -> System.arraycopy(b, 0, theta, a.block("bias_ih_l0").offset(), n));
        model.controlMatrix().ifPresent(b -> {
            int off = a.block("weight_ih_l0").offset();
            for (int i = 0; i < n; i++) {
                System.arraycopy(b[i], 0, theta, off + i * (d + p) + d, p);
            }
        });
        model.feedthroughMatrix().ifPresent(dm -> {
            int off = a.block("weight_ih_l0").offset();
            for (int j = 0; j < d; j++) {
                System.arraycopy(dm[j], 0, theta, off + (n + j) * (d + p) + d, p);
            }
        });
        cholesky(theta, a, "initial_cholesky_l0", model.initialCovariance(), "initialCovariance");
        if (diagonalNoise) {
            logDeviations(theta, a, "process_log_diagonal_l0", model.processNoise());
            logDeviations(theta, a, "observation_log_diagonal_l0", model.observationNoise());
        } else {
            cholesky(theta, a, "process_cholesky_l0", model.processNoise(), "processNoise");
            cholesky(theta, a, "observation_cholesky_l0", model.observationNoise(), "observationNoise");
        }
        return RnnModel.of(a, theta, null, 0);
    }

    // log √m_ii of a diagonal covariance (a zero variance: the log -1e300, an exact zero)
    private static void logDeviations(double[] theta, RnnArchitecture a, String block, double[][] m) {
        int off = a.block(block).offset();
        for (int i = 0; i < m.length; i++) {
            theta[off + i] = ToRnn.log(Math.sqrt(m[i][i]));
        }
    }

    private static void copy(double[] theta, RnnArchitecture a, String block, double[][] m) {
        int off = a.block(block).offset();
        int cols = m[0].length;
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, theta, off + i * cols, cols);
        }
    }

    /**
     * The lower Cholesky factor of a symmetric positive semidefinite matrix, log-diagonal: a pivot at or below
     * 1e-14 times the largest diagonal entry is a zero column (the entries below it must then vanish too, as they
     * do for a semidefinite matrix; else the matrix is refused as not semidefinite).
     */
    private static void cholesky(double[] theta, RnnArchitecture a, String block, double[][] m, String name) {
        int k = m.length;
        double scale = 0;
        for (int i = 0; i < k; i++) {
            scale = Math.max(scale, Math.abs(m[i][i]));
        }
        double tolerance = 1e-14 * scale;
        double[][] l = new double[k][k];
        for (int j = 0; j < k; j++) {
            double pivot = m[j][j];
            for (int q = 0; q < j; q++) {
                pivot -= l[j][q] * l[j][q];
            }
            if (pivot <= tolerance) {
                for (int i = j + 1; i < k; i++) {
                    double s = m[i][j];
                    for (int q = 0; q < j; q++) {
                        s -= l[i][q] * l[j][q];
                    }
                    if (Math.abs(s) > Math.sqrt(tolerance) * Math.sqrt(Math.abs(m[i][i]) + tolerance) + tolerance) {
                        throw new SpecException("", name, "is not positive semidefinite (pivot " + pivot + " at row " + j
                                + " with " + s + " below it)");
                    }
                }
                continue;
            }
            l[j][j] = Math.sqrt(pivot);
            for (int i = j + 1; i < k; i++) {
                double s = m[i][j];
                for (int q = 0; q < j; q++) {
                    s -= l[i][q] * l[j][q];
                }
                l[i][j] = s / l[j][j];
            }
        }
        int off = a.block(block).offset();
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                theta[off + i * k + j] = i == j ? ToRnn.log(l[i][i]) : l[i][j];
            }
        }
    }
}
