package org.statespace.kalman;

/**
 * The exact diffuse update of one observed component (Durbin &amp; Koopman 2012, sec. 5.2 and 6.4; Koopman &amp;
 * Durbin 2000), the kernel of {@link DiffuseKalmanUpdate} and of the rnn package's Kalman cell: the predicted
 * belief a, P = P_* + κ P_∞ (κ → ∞) is conditioned on one scalar observation e = zᵀ x + ε, ε ~ N(0, σ²) (a
 * component of y - D u - d, after whitening when R is not diagonal). With M_∞ = P_∞ z, M_* = P_* z,
 * F_∞ = zᵀ M_∞, F_* = zᵀ M_* + σ², v = e - zᵀ a:
 *
 * <pre>
 *   F_∞ &gt; tol:  a += M_∞ v / F_∞,  P_* += M_∞ M_∞ᵀ F_* / F_∞² - (M_* M_∞ᵀ + M_∞ M_*ᵀ) / F_∞,
 *              P_∞ -= M_∞ M_∞ᵀ / F_∞,  term -½ (log 2π + log F_∞)
 *   otherwise: a += M_* v / F_*,  P_* -= M_* M_*ᵀ / F_*,  term -½ (log 2π + log F_* + v² / F_*)
 * </pre>
 *
 * tol = {@link #TOLERANCE} |z|² max|P_∞| (P_∞ as it was at the start of the step, so that rounding left in P_∞
 * by earlier components is not taken for a direction). The covariances are updated on the upper triangle and
 * mirrored, so they stay exactly symmetric.
 */
public final class DiffuseComponentUpdate {
    /** F_∞ counts as positive above this fraction of its scale |z|² max|P_∞|. */
    public static final double TOLERANCE = 1e-8;
    /** P_∞ counts as zero (the diffuse phase is over) when no entry exceeds this fraction of its largest entry before the update. */
    public static final double ZERO = 1e-10;
    /**
     * κ of the predictive law reported during a diffuse start, relative to the scale of its finite part: the
     * emission is N(ŷ, F_* + κ F_∞) with κ = 1e7 · max(1, largest diagonal entry of F_*), so its intervals are very
     * wide but finite. The log-likelihood terms are the exact diffuse ones.
     */
    public static final double PREDICTIVE_SCALE = 1e7;

    private DiffuseComponentUpdate() {
    }

    /**
     * Conditions (a, P_*, P_∞) (n, n×n, n×n, updated in place) on component {@code index}: row z at
     * {@code rows[za..za+n)}, value e, noise variance σ². Writes M_∞, M_* into {@code mInf}, {@code mStar} at za,
     * v, F_∞ (0 on the non-diffuse branch) and F_* into the three arrays at {@code index}.
     *
     * @param sizeBefore max|P_∞| at the start of the step
     * @return the log-density term, or NaN (and nothing updated) when the component has F_∞ = 0 and F_* &lt;= 0
     */
    public static double update(int n, double[] rows, int za, double e, double noise, double[] a, double[] pStar,
            double[] pInf, double sizeBefore, double[] mInf, double[] mStar, double[] innovations,
            double[] diffuseVariances, double[] variances, int index) {
        double v = e;
        for (int j = 0; j < n; j++) {
            v -= rows[za + j] * a[j];
        }
        double fInf = 0;
        double fStar = noise;
        double zz = 0;
        for (int i = 0; i < n; i++) {
            double si = 0;
            double ii = 0;
            for (int j = 0; j < n; j++) {
                ii += pInf[i * n + j] * rows[za + j];
                si += pStar[i * n + j] * rows[za + j];
            }
            mInf[za + i] = ii;
            mStar[za + i] = si;
            fInf += rows[za + i] * ii;
            fStar += rows[za + i] * si;
            zz += rows[za + i] * rows[za + i];
        }
        innovations[index] = v;
        variances[index] = fStar;
        if (fInf > TOLERANCE * zz * sizeBefore) {
            diffuseVariances[index] = fInf;
            double k0 = v / fInf;
            double c1 = fStar / (fInf * fInf);
            for (int i = 0; i < n; i++) {
                a[i] += mInf[za + i] * k0;
            }
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    double ps = pStar[i * n + j] + mInf[za + i] * mInf[za + j] * c1
                            - (mStar[za + i] * mInf[za + j] + mInf[za + i] * mStar[za + j]) / fInf;
                    pStar[i * n + j] = ps;
                    pStar[j * n + i] = ps;
                    double pi = pInf[i * n + j] - mInf[za + i] * mInf[za + j] / fInf;
                    pInf[i * n + j] = pi;
                    pInf[j * n + i] = pi;
                }
            }
            return -0.5 * (ConventionalKalmanFilter.LOG_2PI + Math.log(fInf));
        }
        diffuseVariances[index] = 0;
        if (!(fStar > 0)) {
            return Double.NaN;
        }
        double k0 = v / fStar;
        for (int i = 0; i < n; i++) {
            a[i] += mStar[za + i] * k0;
        }
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double ps = pStar[i * n + j] - mStar[za + i] * mStar[za + j] / fStar;
                pStar[i * n + j] = ps;
                pStar[j * n + i] = ps;
            }
        }
        return -0.5 * (ConventionalKalmanFilter.LOG_2PI + Math.log(fStar) + v * (v / fStar)); // scaled before squaring
    }

    /** Whether P_∞ (n×n) counts as zero after a step whose P_∞ started with largest entry {@code sizeBefore}. */
    public static boolean resolved(double[] pInf, int off, int n, double sizeBefore) {
        double max = 0;
        for (int i = 0; i < n * n; i++) {
            max = Math.max(max, Math.abs(pInf[off + i]));
        }
        return max <= ZERO * sizeBefore;
    }
}
