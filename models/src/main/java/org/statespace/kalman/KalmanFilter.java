package org.statespace.kalman;

import org.statespace.DataException;
import org.statespace.Emission;
import org.statespace.NumericalException;
import org.statespace.StateTransition;
import org.statespace.data.Sequence;
import org.statespace.distribution.Gaussian;
import org.statespace.numeric.Cholesky;
import org.statespace.numeric.SpecialFunctions;

/**
 * The Kalman filter of a {@link LinearGaussianModel} as the model's f and g. With a_t, P_t the
 * predicted mean and covariance of x_t given o_0..o_{t-1}:
 *
 * <pre>
 *   emission     ŷ_t = H a_t + D u_t + d,   F_t = H P_t Hᵀ + R,   p(o_t | past) = N(ŷ_t, F_t)
 *   update       v = y_o - ŷ_o (observed components o only),  F_oo = L Lᵀ (Cholesky),
 *                Kᵀ = F_oo⁻¹ H_o P_t (two triangular solves, never an inverse),
 *                a_t|t = a_t + K v,
 *                P_t|t = (I - K H_o) P_t (I - K H_o)ᵀ + K R_oo Kᵀ   (Joseph form)
 *   prediction   a_{t+1} = F a_t|t + B u_{t+1} + b,   P_{t+1} = F P_t|t Fᵀ + Q
 * </pre>
 *
 * Covariance products are formed on the upper triangle and mirrored, so every covariance is exactly
 * symmetric. The factor of F_t made for the emission is the one the update uses (the Gaussian gets it
 * through {@link Gaussian#setFactored}); nothing is factored twice in a step.
 *
 * <p>Exact diffuse initialisation (Durbin &amp; Koopman 2012, sec. 5.2 and 6.4; Koopman &amp; Durbin 2000):
 * while P = P_* + κ P_∞ has a diffuse part, the update processes the observed components one at a time
 * (after whitening them by the Cholesky factor C of R_oo when R is not diagonal: z_i = rows of C⁻¹ H_o,
 * unit noise). With M_∞ = P_∞ z, M_* = P_* z, F_∞ = zᵀ M_∞, F_* = zᵀ M_* + σ²:
 *
 * <pre>
 *   F_∞ &gt; 0:  a += M_∞ v / F_∞,  P_* += M_∞ M_∞ᵀ F_* / F_∞² - (M_* M_∞ᵀ + M_∞ M_*ᵀ) / F_∞,
 *             P_∞ -= M_∞ M_∞ᵀ / F_∞,  log-likelihood term -½ (log 2π + log F_∞)
 *   F_∞ = 0:  a += M_* v / F_*,  P_* -= M_* M_*ᵀ / F_*,  term -½ (log 2π + log F_* + v² / F_*)
 * </pre>
 *
 * plus -log|C| for the whitening. The diffuse phase ends at the first update after which P_∞ is zero.
 * These are the terms of the diffuse log-likelihood of Durbin &amp; Koopman (2012, eq. 7.4), also
 * statsmodels' value; KFAS leaves out the log 2π of each component with F_∞ &gt; 0.
 */
final class KalmanFilter implements StateTransition<KalmanState>, Emission<KalmanState, Gaussian> {
    static final double LOG_2PI = SpecialFunctions.LOG_2PI;
    /**
     * κ of the predictive law reported during a diffuse start, relative to the scale of its finite part:
     * the emission is N(ŷ, F_* + κ F_∞) with κ = 1e7 · max(1, largest diagonal entry of F_*), so its
     * intervals are very wide but finite. The log-likelihood terms are the exact diffuse ones.
     */
    static final double DIFFUSE_SCALE = 1e7;
    /**
     * F_∞ = zᵀ P_∞ z counts as positive above this fraction of its scale |z|² max|P_∞| (P_∞ as it was at the
     * start of the step), so that rounding left in P_∞ by earlier components is not taken for a direction.
     */
    static final double DIFFUSE_TOLERANCE = 1e-8;
    /** P_∞ counts as zero when no entry exceeds this fraction of its largest entry before the update. */
    static final double DIFFUSE_ZERO = 1e-10;

    private final boolean steadyState;

    private final int n;
    private final int m;
    private final int p;
    private final double[] transition;
    private final double[] control;
    private final double[] transitionOffset;
    private final double[] processNoise;
    private final double[] observation;
    private final double[] feedthrough;
    private final double[] observationOffset;
    private final double[] observationNoise;
    private final double[] initialMean;
    private final double[] initialCovariance;
    private final double[] initialDiffuse;
    private final boolean diffuseModel;
    private final boolean diagonalNoise;

    /** The filter of {@code model}, with the exact steady state on or off as {@code options} say. */
    KalmanFilter(LinearGaussianModel model, KalmanOptions options) {
        this.steadyState = options.exactSteadyState();
        n = model.n;
        m = model.m;
        p = model.p;
        transition = model.transition;
        control = model.hasControl ? model.control : null;
        transitionOffset = model.hasTransitionOffset ? model.transitionOffset : null;
        processNoise = model.processNoise;
        observation = model.observation;
        feedthrough = model.hasFeedthrough ? model.feedthrough : null;
        observationOffset = model.hasObservationOffset ? model.observationOffset : null;
        observationNoise = model.observationNoise;
        initialMean = model.initialMean;
        initialCovariance = model.initialCovariance;
        diffuseModel = model.diffuseStates.length > 0;
        initialDiffuse = new double[diffuseModel ? n * n : 0];
        for (int i : model.diffuseStates) {
            initialDiffuse[i * n + i] = 1;
        }
        boolean diagonal = true;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                if (i != j && observationNoise[i * m + j] != 0) {
                    diagonal = false;
                }
            }
        }
        diagonalNoise = diagonal;
    }

    int stateDimension() {
        return n;
    }

    int observationDimension() {
        return m;
    }

    boolean diffuseModel() {
        return diffuseModel;
    }

    /** F (n×n), shared: do not modify. */
    double[] transitionMatrix() {
        return transition;
    }

    /** H (m×n), shared: do not modify. */
    double[] observationMatrix() {
        return observation;
    }

    // ------------------------------------------------------------------------------------------------
    // f

    @Override
    public KalmanState newState() {
        return new KalmanState(n, m, diffuseModel);
    }

    @Override
    public void start(KalmanState s, Sequence sequence) {
        if (sequence.dimension() != m || sequence.inputDimension() != p) {
            throw new DataException("sequence '" + sequence.id() + "' has " + sequence.dimension()
                    + "-dimensional observations and " + sequence.inputDimension() + " inputs per step; the model needs "
                    + m + " and " + p);
        }
        System.arraycopy(initialMean, 0, s.mean, 0, n);
        System.arraycopy(initialCovariance, 0, s.covariance, 0, n * n);
        if (diffuseModel) {
            System.arraycopy(initialDiffuse, 0, s.diffuseCovariance, 0, n * n);
        }
        s.diffuse = diffuseModel;
        s.filteredDiffuse = false;
        s.step = 0;
        s.updated = -1;
        s.moments = -1;
        s.emitted = -1;
        s.factored = false;
        s.steady = 0;
        s.fullUpdate = false;
        s.otherFullUpdate = false;
        s.setStep = 0;
        s.otherSetStep = -1;
        s.filteredInOtherSet = false;
        s.resolvedDiffuse = 0;
    }

    @Override
    public void step(KalmanState s, Sequence sequence, int t) {
        if (s.step != t - 1) {
            throw new IllegalStateException("step " + t + " asked of a state at step " + s.step);
        }
        if (s.updated != t - 1) {
            update(s, sequence, t - 1);
        }
        propagate(s, sequence, t);
    }

    /** a_t = F a_{t-1|t-1} + B u_t + b, P_t = F P_{t-1|t-1} Fᵀ + Q (and P_∞ = F P_∞ Fᵀ). */
    void propagate(KalmanState s, Sequence sequence, int t) {
        propagate(s, sequence, t, t);
    }

    /** The same with u_t read from row {@code inputRow} of {@code inputs} (future inputs of a forecast). */
    void propagate(KalmanState s, Sequence inputs, int inputRow, int t) {
        Dense.multiplyVector(transition, s.filteredMean, s.mean, n, n);
        addInputTerms(s.mean, control, transitionOffset, n, inputs, inputRow);
        s.step = t;
        s.moments = -1;
        s.emitted = -1;
        if (s.steady != 0 && s.fullUpdate) {
            // P_t is the covariance of the matching earlier step; its quantities are all in place
            if (s.steady == 2) {
                s.swapSets();
            }
            s.setStep = t;
            return;
        }
        // F P_t|t Fᵀ + Q with P_t|t symmetric, so every entry of F P_t|t is a dot product of two rows
        double[] next = s.nextCovariance;
        Dense.symmetricSandwich(transition, s.filteredCovariance, processNoise, next, s.vn, n);
        s.steady = 0;
        if (steadyState && s.fullUpdate && s.setStep == t - 1) {
            if (equal(next, s.covariance)) {
                s.steady = 1;
            } else if (s.otherFullUpdate && s.otherSetStep == t - 2 && equal(next, s.otherCovariance)) {
                s.steady = 2;
                s.swapSets();
            }
        }
        if (s.steady == 0) {
            s.swapSets();
            // next becomes P_t; the set's old covariance array takes its place as the next scratch
            s.nextCovariance = s.covariance;
            s.covariance = next;
            s.factored = false;
            s.fullUpdate = false;
        }
        s.setStep = t;
        if (s.filteredDiffuse) {
            Dense.symmetricSandwich(transition, s.filteredDiffuseCovariance, null, s.diffuseCovariance, s.vn, n);
        }
        s.diffuse = s.filteredDiffuse;
    }

    private boolean equal(double[] a, double[] b) {
        for (int i = 0; i < n * n; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    /** Takes the predicted belief as filtered (no observation at this step), for forecasts. */
    void skipUpdate(KalmanState s) {
        System.arraycopy(s.mean, 0, s.filteredMean, 0, n);
        System.arraycopy(s.covariance, 0, s.filteredCovariance, 0, n * n);
        if (s.diffuse) {
            System.arraycopy(s.diffuseCovariance, 0, s.filteredDiffuseCovariance, 0, n * n);
        }
        s.filteredDiffuse = s.diffuse;
        s.filteredInOtherSet = false;
        s.updated = s.step;
        s.observedCount = 0;
        s.logDensity = 0;
        s.steady = 0;
        s.fullUpdate = false;
    }

    // out += G u_row + offset
    private void addInputTerms(double[] out, double[] gainMatrix, double[] offset, int rows, Sequence sequence, int row) {
        if (gainMatrix != null) {
            for (int i = 0; i < rows; i++) {
                double sum = 0;
                for (int j = 0; j < p; j++) {
                    sum += gainMatrix[i * p + j] * sequence.input(row, j);
                }
                out[i] += sum;
            }
        }
        if (offset != null) {
            for (int i = 0; i < rows; i++) {
                out[i] += offset[i];
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // g

    @Override
    public Gaussian newDistribution() {
        return new Gaussian(m);
    }

    /** ŷ_t = H a_t + D u_t + d, HP = H P_t, F_t = HP Hᵀ + R (P_* during a diffuse start). */
    void moments(KalmanState s, Sequence sequence, int t) {
        moments(s, sequence, t, t);
    }

    void moments(KalmanState s, Sequence inputs, int inputRow, int t) {
        Dense.multiplyVector(observation, s.mean, s.observationMean, m, n);
        addInputTerms(s.observationMean, feedthrough, observationOffset, m, inputs, inputRow);
        s.moments = t;
        if (s.steady != 0) {
            // P_t is an earlier step's covariance: HP, F and its factor are in place
            return;
        }
        if (m == 2) {
            innovationCovarianceTwo(s);
        } else {
            Dense.multiplyTransposeB(observation, s.covariance, s.hp, m, n, n);
            Dense.symmetricProduct(s.hp, observation, observationNoise, s.innovationCovariance, m, n);
        }
        s.moments = t;
        s.factored = false;
    }

    // HP and F for m = 2, written out: both rows of HP from one pass over the rows of P_t (symmetric, so
    // (H P)_ij = H_i · P_j), then the three entries of the upper triangle of HP Hᵀ + R. The same operations in
    // the same order as the general products, so the same bits.
    private void innovationCovarianceTwo(KalmanState s) {
        double[] h = observation;
        double[] p = s.covariance;
        double[] hp = s.hp;
        double[] r = observationNoise;
        for (int j = 0; j < n; j++) {
            hp[j] = Dense.dot(h, 0, p, j * n, n);
            hp[n + j] = Dense.dot(h, n, p, j * n, n);
        }
        double f00 = r[0] + Dense.dot(hp, 0, h, 0, n);
        double f01 = r[1] + Dense.dot(hp, 0, h, n, n);
        double f11 = r[3] + Dense.dot(hp, n, h, n, n);
        double[] f = s.innovationCovariance;
        f[0] = f00;
        f[1] = f01;
        f[2] = f01;
        f[3] = f11;
    }

    private void factorInnovation(KalmanState s, Sequence sequence, int t) {
        try {
            Cholesky.factor(s.innovationCovariance, m, s.factor);
        } catch (NumericalException e) {
            throw new NumericalException("sequence '" + sequence.id() + "', step " + t
                    + ": the innovation covariance H P Hᵀ + R is not positive definite (" + e.getMessage() + ")");
        }
        s.factored = true;
    }

    @Override
    public void predict(KalmanState s, Sequence sequence, int t, Gaussian out) {
        if (s.step != t) {
            throw new IllegalStateException("prediction of step " + t + " asked of a state at step " + s.step);
        }
        moments(s, sequence, t);
        writePrediction(s, sequence, t, out);
    }

    /** Writes N(ŷ, F) (or its diffuse stand-in) for moments already computed. */
    void writePrediction(KalmanState s, Sequence sequence, int t, Gaussian out) {
        if (!s.diffuse) {
            if (!s.factored) {
                factorInnovation(s, sequence, t);
            }
            out.setFactored(s.observationMean, 0, s.innovationCovariance, s.factor);
            s.emitted = t;
            return;
        }
        double[] inflated = s.a2;
        diffuseInnovationCovariance(s, inflated);
        double scale = 1;
        for (int i = 0; i < m; i++) {
            scale = Math.max(scale, s.innovationCovariance[i * m + i]);
        }
        double kappa = DIFFUSE_SCALE * scale;
        for (int i = 0; i < m * m; i++) {
            inflated[i] = s.innovationCovariance[i] + kappa * inflated[i];
        }
        try {
            out.set(s.observationMean, 0, inflated);
        } catch (NumericalException e) {
            throw new NumericalException("sequence '" + sequence.id() + "', step " + t
                    + ": the predictive covariance is not positive definite (" + e.getMessage() + ")");
        }
    }

    /** F_∞ = H P_∞ Hᵀ (m×m) of the predicted belief into {@code out}. */
    void diffuseInnovationCovariance(KalmanState s, double[] out) {
        Dense.multiply(observation, s.diffuseCovariance, s.a1, m, n, n);
        Dense.symmetricProduct(s.a1, observation, null, out, m, n);
    }

    @Override
    public double logDensity(KalmanState s, Gaussian predicted, Sequence sequence, int t) {
        if (s.updated != t) {
            update(s, sequence, t, predicted);
        }
        return s.logDensity;
    }

    // ------------------------------------------------------------------------------------------------
    // update

    /**
     * Conditions the predicted belief of step t on o_t (its observed components), leaving the filtered
     * belief and log p(o_t | past) in the state.
     */
    void update(KalmanState s, Sequence sequence, int t) {
        update(s, sequence, t, null);
    }

    /**
     * The same; {@code predicted}, when it is the emission's distribution of this step (set from the
     * same factor), gives the log-density term, so the log-determinant is not taken twice.
     */
    private void update(KalmanState s, Sequence sequence, int t, Gaussian predicted) {
        if (s.step != t) {
            throw new IllegalStateException("update of step " + t + " asked of a state at step " + s.step);
        }
        // every path below leaves P_t|t in the current set (the steady one finds it there)
        s.filteredInOtherSet = false;
        int k = 0;
        for (int j = 0; j < m; j++) {
            if (!Double.isNaN(sequence.value(t, j))) {
                s.observed[k++] = j;
            }
        }
        s.observedCount = k;
        if (s.diffuse) {
            s.fullUpdate = false;
            s.steady = 0;
            diffuseUpdate(s, sequence, t, k);
            return;
        }
        s.filteredDiffuse = false;
        if (k == 0) {
            s.steady = 0;
            s.fullUpdate = false;
            System.arraycopy(s.mean, 0, s.filteredMean, 0, n);
            System.arraycopy(s.covariance, 0, s.filteredCovariance, 0, n * n);
            s.logDensity = 0;
            s.updated = t;
            return;
        }
        if (s.moments != t) {
            moments(s, sequence, t);
        }
        int[] o = s.observed;
        double[] lower;
        if (k == m) {
            if (!s.factored) {
                factorInnovation(s, sequence, t);
            }
            lower = s.factor;
        } else {
            s.steady = 0;
            lower = s.subFactor;
            try {
                Dense.factorBlock(s.innovationCovariance, m, o, k, lower);
            } catch (NumericalException e) {
                throw new NumericalException("sequence '" + sequence.id() + "', step " + t
                        + ": the innovation covariance of the observed components is not positive definite ("
                        + e.getMessage() + ")");
            }
        }
        double[] v = s.innovation;
        for (int a = 0; a < k; a++) {
            v[a] = sequence.value(t, o[a]) - s.observationMean[o[a]];
        }
        if (predicted != null && k == m && s.emitted == t) {
            // the Gaussian holds this step's mean and factor and its log-determinant already
            s.logDensity = requireRepresentable(predicted.logDensity(sequence, t), sequence, t);
            s.whitenedValid = false;
        } else {
            s.logDensity = requireRepresentable(logDensity(lower, k, v, s.whitened), sequence, t);
            s.whitenedValid = true;
        }

        if (s.steady != 0) {
            // P_t equals an earlier fully observed step's covariance bit for bit: that step's gain and
            // P_t|t (in the current set) are this step's, exactly
            for (int i = 0; i < n; i++) {
                s.filteredMean[i] = s.mean[i] + Dense.dot(s.gainTransposed, i, n, v, 0, 1, k);
            }
            s.fullUpdate = true;
            s.updated = t;
            return;
        }
        if (k == 2) {
            gainTwo(s, lower, o, v);
        } else {
            // Kᵀ = F_oo⁻¹ (H_o P): copy the observed rows of HP, then solve L Lᵀ Kᵀ = H_o P row-block-wise
            double[] g = s.gainTransposed;
            for (int a = 0; a < k; a++) {
                System.arraycopy(s.hp, o[a] * n, g, a * n, n);
            }
            solveLowerRows(lower, k, g, n);
            solveUpperTransposedRows(lower, k, g, n);

            // a_t|t = a_t + K v
            for (int i = 0; i < n; i++) {
                s.filteredMean[i] = s.mean[i] + Dense.dot(g, i, n, v, 0, 1, k);
            }
        }
        joseph(s, k);
        s.fullUpdate = k == m;
        s.updated = t;
    }

    /**
     * log N(v; 0, L Lᵀ) = -½ (k log 2π + 2 Σ log L_aa + |L⁻¹ v|²), with {@code whitened} = L⁻¹ v left behind;
     * the same operations in the same order as {@link Gaussian#logDensity}, so both give the same bits.
     */
    static double logDensity(double[] lower, int k, double[] v, double[] whitened) {
        System.arraycopy(v, 0, whitened, 0, k);
        Cholesky.solveLower(lower, k, whitened);
        double q = 0;
        for (int a = 0; a < k; a++) {
            q += whitened[a] * whitened[a];
        }
        return -0.5 * (k * LOG_2PI + Cholesky.logDeterminant(lower, k) + q);
    }

    // Two observed components, written out: Kᵀ = F_oo⁻¹ (H_o P) by the two triangular solves of L Lᵀ Kᵀ = H_o P
    // (L = [l00 0; l10 l11]) column by column, and a_t|t = a_t + K v in the same pass. The same operations in
    // the same order as the general copy-and-solve (which skips l10 when it is 0: the same values), without
    // the copy and with each reciprocal taken once.
    private void gainTwo(KalmanState s, double[] lower, int[] o, double[] v) {
        double[] g = s.gainTransposed;
        double[] hp = s.hp;
        int r0 = o[0] * n;
        int r1 = o[1] * n;
        double l10 = lower[2];
        double inv0 = 1 / lower[0];
        double inv1 = 1 / lower[3];
        double v0 = v[0];
        double v1 = v[1];
        for (int j = 0; j < n; j++) {
            double y0 = hp[r0 + j] * inv0;
            double y1 = (hp[r1 + j] - l10 * y0) * inv1;
            double g1 = y1 * inv1;
            double g0 = (y0 - l10 * g1) * inv0;
            g[j] = g0;
            g[n + j] = g1;
            s.filteredMean[j] = s.mean[j] + (g0 * v0 + g1 * v1);
        }
    }

    // Joseph form P_t|t = A P Aᵀ + K R_oo Kᵀ, A = I - K H_o, valid for any gain K, evaluated as
    // M = A P = P - K (H_o P), then M Aᵀ = M - (M H_oᵀ) Kᵀ, so P_t|t = M + (K R_oo - M H_oᵀ) Kᵀ; only the upper
    // triangle is formed and mirrored. K = gainTransposedᵀ (n×k).
    private void joseph(KalmanState s, int k) {
        if (k == m) {
            josephFull(s);
            return;
        }
        int[] o = s.observed;
        double[] g = s.gainTransposed;
        double[] hp = s.hp;
        double[] mMat = s.a1;
        double[] c = s.a3;
        double[] p = s.covariance;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = p[i * n + j];
                for (int b = 0; b < k; b++) {
                    sum -= g[b * n + i] * hp[o[b] * n + j];
                }
                mMat[i * n + j] = sum;
            }
        }
        // C = K R_oo - M H_oᵀ (n×k)
        for (int i = 0; i < n; i++) {
            for (int b = 0; b < k; b++) {
                int ob = o[b];
                double sum = 0;
                for (int d = 0; d < k; d++) {
                    sum += g[d * n + i] * observationNoise[o[d] * m + ob];
                }
                c[i * k + b] = sum - Dense.dot(mMat, i * n, observation, ob * n, n);
            }
        }
        double[] pf = s.filteredCovariance;
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double sum = mMat[i * n + j] + Dense.dot(c, i * k, 1, g, j, n, k);
                pf[i * n + j] = sum;
                pf[j * n + i] = sum;
            }
        }
    }

    // The same with every component observed (no index indirection).
    private void josephFull(KalmanState s) {
        if (m == 2) {
            josephTwo(s);
            return;
        }
        double[] g = s.gainTransposed;
        double[] hp = s.hp;
        double[] mMat = s.a1;
        double[] c = s.a3;
        double[] p = s.covariance;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                mMat[i * n + j] = p[i * n + j] - Dense.dot(g, i, n, hp, j, n, m);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int b = 0; b < m; b++) {
                c[i * m + b] = Dense.dot(g, i, n, observationNoise, b, m, m) - Dense.dot(mMat, i * n, observation, b * n, n);
            }
        }
        double[] pf = s.filteredCovariance;
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double sum = mMat[i * n + j] + Dense.dot(c, i * m, 1, g, j, n, m);
                pf[i * n + j] = sum;
                pf[j * n + i] = sum;
            }
        }
    }

    // The same for m = 2, written out and one row i at a time: row i of K and of C stay in registers, row i
    // of M is summed into M Hᵀ as it is formed, and neither M nor C is stored whole. The same operations in
    // the same order as the general form, so the same bits.
    private void josephTwo(KalmanState s) {
        double[] g = s.gainTransposed;
        double[] hp = s.hp;
        double[] h = observation;
        double[] r = observationNoise;
        double[] row = s.vn;
        double[] p = s.covariance;
        double[] pf = s.filteredCovariance;
        for (int i = 0; i < n; i++) {
            double k0 = g[i];
            double k1 = g[n + i];
            double mh0 = 0;
            double mh1 = 0;
            for (int j = 0; j < n; j++) {
                double mij = p[i * n + j] - (k0 * hp[j] + k1 * hp[n + j]);
                row[j] = mij;
                mh0 += mij * h[j];
                mh1 += mij * h[n + j];
            }
            double c0 = (k0 * r[0] + k1 * r[2]) - mh0;
            double c1 = (k0 * r[1] + k1 * r[3]) - mh1;
            for (int j = i; j < n; j++) {
                double sum = row[j] + (c0 * g[j] + c1 * g[n + j]);
                pf[i * n + j] = sum;
                pf[j * n + i] = sum;
            }
        }
    }

    // Solves L X = B in place for B (k×c, row-major), L lower triangular k×k.
    static void solveLowerRows(double[] lower, int k, double[] b, int c) {
        for (int a = 0; a < k; a++) {
            int ra = a * c;
            for (int d = 0; d < a; d++) {
                double l = lower[a * k + d];
                if (l == 0) {
                    continue;
                }
                int rd = d * c;
                for (int j = 0; j < c; j++) {
                    b[ra + j] -= l * b[rd + j];
                }
            }
            double inv = 1 / lower[a * k + a];
            for (int j = 0; j < c; j++) {
                b[ra + j] *= inv;
            }
        }
    }

    // Solves Lᵀ X = B in place for B (k×c).
    static void solveUpperTransposedRows(double[] lower, int k, double[] b, int c) {
        for (int a = k - 1; a >= 0; a--) {
            int ra = a * c;
            for (int d = a + 1; d < k; d++) {
                double l = lower[d * k + a];
                if (l == 0) {
                    continue;
                }
                int rd = d * c;
                for (int j = 0; j < c; j++) {
                    b[ra + j] -= l * b[rd + j];
                }
            }
            double inv = 1 / lower[a * k + a];
            for (int j = 0; j < c; j++) {
                b[ra + j] *= inv;
            }
        }
    }

    // Exact diffuse update: observed components one at a time (see the class comment).
    private void diffuseUpdate(KalmanState s, Sequence sequence, int t, int k) {
        System.arraycopy(s.mean, 0, s.filteredMean, 0, n);
        System.arraycopy(s.covariance, 0, s.filteredCovariance, 0, n * n);
        System.arraycopy(s.diffuseCovariance, 0, s.filteredDiffuseCovariance, 0, n * n);
        s.filteredDiffuse = true;
        s.updated = t;
        if (k == 0) {
            s.logDensity = 0;
            return;
        }
        int[] o = s.observed;
        double[] rows = s.componentRows;
        double[] e = s.transformedResidual;
        double[] noise = s.componentNoise;
        // residuals y_o - D_o u_t - d_o
        for (int a = 0; a < k; a++) {
            double r = sequence.value(t, o[a]);
            if (feedthrough != null) {
                for (int j = 0; j < p; j++) {
                    r -= feedthrough[o[a] * p + j] * sequence.input(t, j);
                }
            }
            if (observationOffset != null) {
                r -= observationOffset[o[a]];
            }
            e[a] = r;
            System.arraycopy(observation, o[a] * n, rows, a * n, n);
        }
        double term = 0;
        if (diagonalNoise) {
            for (int a = 0; a < k; a++) {
                noise[a] = observationNoise[o[a] * m + o[a]];
            }
        } else {
            double[] c = s.noiseFactor;
            try {
                Dense.factorBlock(observationNoise, m, o, k, c);
            } catch (NumericalException ex) {
                throw new NumericalException("sequence '" + sequence.id() + "', step " + t
                        + ": exact diffuse filtering with correlated observation noise needs the observed block of "
                        + "observationNoise to be positive definite (" + ex.getMessage() + ")");
            }
            solveLowerRows(c, k, rows, n);
            solveLowerRows(c, k, e, 1);
            for (int a = 0; a < k; a++) {
                noise[a] = 1;
                term -= Math.log(c[a * k + a]);
            }
        }
        double[] af = s.filteredMean;
        double[] pStar = s.filteredCovariance;
        double[] pInf = s.filteredDiffuseCovariance;
        double sizeBefore = Dense.maxAbs(pInf, n * n);
        for (int a = 0; a < k; a++) {
            int za = a * n;
            double v = e[a];
            for (int j = 0; j < n; j++) {
                v -= rows[za + j] * af[j];
            }
            double[] mInf = s.componentDiffuseGains;
            double[] mStar = s.componentGains;
            double fInf = 0;
            double fStar = noise[a];
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
            s.componentInnovations[a] = v;
            s.componentVariances[a] = fStar;
            if (fInf > DIFFUSE_TOLERANCE * zz * sizeBefore) {
                s.componentDiffuseVariances[a] = fInf;
                double k0 = v / fInf;
                double c1 = fStar / (fInf * fInf);
                for (int i = 0; i < n; i++) {
                    af[i] += mInf[za + i] * k0;
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
                term -= 0.5 * (LOG_2PI + Math.log(fInf));
                s.resolvedDiffuse++;
            } else {
                s.componentDiffuseVariances[a] = 0;
                if (!(fStar > 0)) {
                    throw new NumericalException("sequence '" + sequence.id() + "', step " + t + ": observation component "
                            + o[a] + " has zero predictive variance");
                }
                double k0 = v / fStar;
                for (int i = 0; i < n; i++) {
                    af[i] += mStar[za + i] * k0;
                }
                for (int i = 0; i < n; i++) {
                    for (int j = i; j < n; j++) {
                        double ps = pStar[i * n + j] - mStar[za + i] * mStar[za + j] / fStar;
                        pStar[i * n + j] = ps;
                        pStar[j * n + i] = ps;
                    }
                }
                term -= 0.5 * (LOG_2PI + Math.log(fStar) + v * (v / fStar)); // scaled before squaring
            }
        }
        if (Dense.maxAbs(pInf, n * n) <= DIFFUSE_ZERO * sizeBefore) {
            java.util.Arrays.fill(pInf, 0, n * n, 0);
            s.filteredDiffuse = false;
        }
        s.logDensity = requireRepresentable(term, sequence, t);
    }

    /**
     * A Gaussian density is never zero, so a log-density of -∞ (or NaN) means the true value lies
     * outside the range of a double (an observation some 1e154 predictive standard deviations from its
     * mean): a {@link NumericalException} naming the sequence, step and observation, never a silent -∞.
     */
    private double requireRepresentable(double logDensity, Sequence sequence, int t) {
        if (Double.isFinite(logDensity)) {
            return logDensity;
        }
        StringBuilder value = new StringBuilder();
        for (int j = 0; j < m; j++) {
            value.append(j == 0 ? "" : ", ").append(sequence.value(t, j));
        }
        throw new NumericalException("sequence '" + sequence.id() + "', step " + t + ": the predictive log-density of "
                + "observation " + (m == 1 ? value : "[" + value + "]") + " is " + logDensity
                + " (the observation lies too far from its predictive mean for the log-density to be a double)");
    }
}
