package org.statespace.kalman;

import org.statespace.NumericalException;
import org.statespace.data.Sequence;

/**
 * The update of the exact diffuse initialisation (Durbin &amp; Koopman 2012, sec. 5.2 and 6.4; Koopman &amp;
 * Durbin 2000) of a linear model: while the predicted covariance P = P_* + κ P_∞ (κ → ∞) has a diffuse
 * part, the observed components are processed one at a time (after whitening them by the Cholesky factor C
 * of R_oo when R is not diagonal: z_i = rows of C⁻¹ H_o, unit noise). With M_∞ = P_∞ z, M_* = P_* z,
 * F_∞ = zᵀ M_∞, F_* = zᵀ M_* + σ²:
 *
 * <pre>
 *   F_∞ &gt; 0:  a += M_∞ v / F_∞,  P_* += M_∞ M_∞ᵀ F_* / F_∞² - (M_* M_∞ᵀ + M_∞ M_*ᵀ) / F_∞,
 *             P_∞ -= M_∞ M_∞ᵀ / F_∞,  log-likelihood term -½ (log 2π + log F_∞)
 *   F_∞ = 0:  a += M_* v / F_*,  P_* -= M_* M_*ᵀ / F_*,  term -½ (log 2π + log F_* + v² / F_*)
 * </pre>
 *
 * plus -log|C| for the whitening. The diffuse phase ends at the first update after which P_∞ is zero.
 * These are the terms of the diffuse log-likelihood of Durbin &amp; Koopman (2012, eq. 7.4), also
 * statsmodels' value; KFAS leaves out the log 2π of each component with F_∞ &gt; 0. What each component
 * leaves (z, v, F_∞, F_*, M_∞, M_*) stays in the state for the exact initial smoother.
 */
final class DiffuseKalmanUpdate {
    /** See {@link DiffuseComponentUpdate#TOLERANCE}. */
    static final double DIFFUSE_TOLERANCE = DiffuseComponentUpdate.TOLERANCE;
    /** See {@link DiffuseComponentUpdate#ZERO}. */
    static final double DIFFUSE_ZERO = DiffuseComponentUpdate.ZERO;

    private DiffuseKalmanUpdate() {
    }

    /**
     * Conditions the predicted belief of step t (a, P_*, P_∞ in {@code s}) on its k observed components
     * ({@code s.observed}), leaving the filtered belief and the log-density term in {@code s}.
     */
    static void update(LinearStateSpace space, boolean diagonalNoise, KalmanState s, Sequence sequence, int t, int k) {
        int n = space.model.n;
        int m = space.model.m;
        double[] observation = space.model.observation;
        double[] observationNoise = space.model.observationNoise;
        System.arraycopy(s.mean, 0, s.filteredMean, 0, n);
        System.arraycopy(s.current.covariance, 0, s.current.filteredCovariance, 0, n * n);
        System.arraycopy(s.diffuseCovariance, 0, s.filteredDiffuseCovariance, 0, n * n);
        s.filteredDiffuse = true;
        s.updated = t;
        if (k == 0) {
            s.logDensity = 0;
            return;
        }
        int[] o = s.observed;
        double[] rows = s.components.rows;
        double[] e = s.components.transformedResidual;
        double[] noise = s.components.noise;
        // residuals y_o - D_o u_t - d_o
        for (int a = 0; a < k; a++) {
            e[a] = space.residualBeforeState(sequence, t, o[a]);
            System.arraycopy(observation, o[a] * n, rows, a * n, n);
        }
        double term = 0;
        if (diagonalNoise) {
            for (int a = 0; a < k; a++) {
                noise[a] = observationNoise[o[a] * m + o[a]];
            }
        } else {
            double[] c = s.components.noiseFactor;
            try {
                Dense.factorBlock(observationNoise, m, o, k, c);
            } catch (NumericalException ex) {
                throw new NumericalException("sequence '" + sequence.id() + "', step " + t
                        + ": exact diffuse filtering with correlated observation noise needs the observed block of "
                        + "observationNoise to be positive definite (" + ex.getMessage() + ")");
            }
            ConventionalKalmanFilter.solveLowerRows(c, k, rows, n);
            ConventionalKalmanFilter.solveLowerRows(c, k, e, 1);
            for (int a = 0; a < k; a++) {
                noise[a] = 1;
                term -= Math.log(c[a * k + a]);
            }
        }
        double[] af = s.filteredMean;
        double[] pStar = s.current.filteredCovariance;
        double[] pInf = s.filteredDiffuseCovariance;
        double sizeBefore = Dense.maxAbs(pInf, n * n);
        for (int a = 0; a < k; a++) {
            double part = DiffuseComponentUpdate.update(n, rows, a * n, e[a], noise[a], af, pStar, pInf, sizeBefore,
                    s.components.diffuseGains, s.components.gains, s.components.innovations,
                    s.components.diffuseVariances, s.components.variances, a);
            if (Double.isNaN(part)) {
                throw new NumericalException("sequence '" + sequence.id() + "', step " + t + ": observation component "
                        + o[a] + " has zero predictive variance");
            }
            if (s.components.diffuseVariances[a] > 0) {
                s.resolvedDiffuse++;
            }
            term += part;
        }
        if (Dense.maxAbs(pInf, n * n) <= DIFFUSE_ZERO * sizeBefore) {
            java.util.Arrays.fill(pInf, 0, n * n, 0);
            s.filteredDiffuse = false;
        }
        s.logDensity = ConventionalKalmanFilter.requireRepresentable(term, sequence, t, m);
    }
}
