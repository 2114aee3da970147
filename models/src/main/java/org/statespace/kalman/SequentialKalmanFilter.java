package org.statespace.kalman;

import org.statespace.NumericalException;
import org.statespace.SpecException;
import org.statespace.data.Sequence;

/**
 * The sequential (univariate) Kalman filter over any {@link GaussianStateSpace} whose observation noise R
 * is diagonal (Durbin &amp; Koopman 2012, sec. 6.4; statsmodels' univariate filter): the observed
 * components of y_t are processed one at a time, so no m×m matrix is factored. With z_i the row i of H
 * (the Jacobian of h at the predicted mean) and a, P updated component by component:
 *
 * <pre>
 *   ŷ_i = h(a, u_t)_i,  v_i = y_i - ŷ_i,  M_i = P z_i,  F_i = z_iᵀ M_i + R_ii
 *   a ← a + M_i v_i / F_i,   P ← P - M_i M_iᵀ / F_i,   log-likelihood += -½ (log 2π + log F_i + v_i² / F_i)
 * </pre>
 *
 * For a linear model the result equals the {@link ConventionalKalmanFilter}'s (the log-likelihood is the
 * same sum factored differently: log|S| = Σ log F_i) up to rounding. Prediction is the transition model's.
 * The covariance update is the plain form (as in statsmodels' univariate filter), mirrored from the upper
 * triangle so P stays exactly symmetric.
 *
 * <p>Not thread-safe: an instance is one run's workspace; the model may be shared.
 */
public final class SequentialKalmanFilter extends AbstractGaussianFilter {
    private final double[] observationMean;
    private final double[] jacobian;
    private final double[] noise;
    private final double[] gain;

    /**
     * A filter over {@code model}; R is checked to be diagonal at every correction.
     *
     * @throws IllegalArgumentException when the model is not {@link ObservationModel#linearized() linearised}
     */
    public SequentialKalmanFilter(GaussianStateSpace model) {
        super(model);
        if (!model.linearized()) {
            throw new IllegalArgumentException("the sequential Kalman filter needs the Jacobian H of a linearised "
                    + "observation model; a sigma-point model has none (use the ConventionalKalmanFilter)");
        }
        observationMean = new double[m];
        jacobian = new double[m * n];
        noise = new double[m * m];
        gain = new double[n];
    }

    private void requireDiagonal(int t) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                if (i != j && noise[i * m + j] != 0) {
                    throw new SpecException("sequential Kalman filter", "observationNoise[" + i + "][" + j + "]",
                            "is " + noise[i * m + j] + " at step " + t
                                    + "; processing components one at a time needs a diagonal observation noise");
                }
            }
        }
    }

    /**
     * Conditions the predicted belief of step t on the observed components of row t, one at a time;
     * returns log p(o_t | past) and adds it to the state's log-likelihood.
     *
     * @throws NumericalException naming the sequence, step and component when F_i is not positive
     * @throws SpecException      when R of step t is not diagonal
     */
    @Override
    public double correct(FilterState state, Sequence sequence, int t) {
        requireCorrectable(state, sequence, t);
        state.corrected = true;
        double[] a = state.mean;
        double[] p = state.covariance;
        model.observationJacobian(a, sequence, t, jacobian);
        model.observationNoise(sequence, t, noise);
        requireDiagonal(t);
        double term = 0;
        for (int i = 0; i < m; i++) {
            double y = sequence.value(t, i);
            if (Double.isNaN(y)) {
                continue;
            }
            model.observationMean(a, sequence, t, observationMean);
            double v = y - observationMean[i];
            int zi = i * n;
            double f = noise[i * m + i];
            for (int r = 0; r < n; r++) {
                double sum = Dense.dot(p, r * n, jacobian, zi, n);
                gain[r] = sum;
            }
            f += Dense.dot(jacobian, zi, gain, 0, n);
            if (!(f > 0)) {
                throw new NumericalException("sequence '" + sequence.id() + "', step " + t + ": observation component "
                        + i + " has predictive variance " + f + " (must be positive)");
            }
            double k = v / f;
            for (int r = 0; r < n; r++) {
                a[r] += gain[r] * k;
            }
            for (int r = 0; r < n; r++) {
                for (int c = r; c < n; c++) {
                    double value = p[r * n + c] - gain[r] * gain[c] / f;
                    p[r * n + c] = value;
                    p[c * n + r] = value;
                }
            }
            term -= 0.5 * (ConventionalKalmanFilter.LOG_2PI + Math.log(f) + v * (v / f));
        }
        term = ConventionalKalmanFilter.requireRepresentable(term, sequence, t, m);
        state.logLikelihood += term;
        return term;
    }
}
