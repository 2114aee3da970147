package org.statespace.kalman;

/**
 * The state h_t of a linear-Gaussian model as the recurrence carries it: the predicted Gaussian belief
 * of x_t given o_0..o_{t-1}, mean (n×1) and covariance (n×n), and, once {@code step(t+1)} or the
 * emission's log-density has run, the filtered belief of x_t given o_0..o_t. During an exact diffuse
 * start the covariance is split as P = P_* + κ P_∞ (κ → ∞) and both parts are kept.
 *
 * <p>A mutable workspace from {@code transition().newState()}, owned by one thread for one run; it also
 * holds the scratch the filter needs so that no step allocates. Read it through the accessors; copy
 * what you keep.
 */
public final class KalmanState implements org.statespace.DiffusePhase {
    final int n;
    final int m;

    // predicted belief of x_step: mean a, covariance P (P_* while diffuse), diffuse part P_inf
    final double[] mean;
    double[] covariance;
    final double[] diffuseCovariance;
    boolean diffuse;
    int step = -1;

    // filtered belief of x_updated
    final double[] filteredMean;
    double[] filteredCovariance;
    final double[] filteredDiffuseCovariance;
    boolean filteredDiffuse;
    int updated = -1;

    // observation moments of step 'moments': y_hat = H a + D u + d, HP = H P, F = H P H' + R, its factor
    final double[] observationMean;
    double[] hp;
    double[] innovationCovariance;
    double[] factor;
    int moments = -1;
    boolean factored;
    /** The step whose N(ŷ, F) the emission last wrote with this factor, or -1. */
    int emitted = -1;
    /** The last update was a regular one with every component observed. */
    boolean fullUpdate;
    /**
     * Exact steady state: 0 when off; 1 when P_t repeats P_{t-1} bit for bit, 2 when P_t repeats P_{t-2}
     * (rounding makes the covariance recursion settle on a cycle of two). Then gain and covariances of the
     * matching earlier step, kept in this or the other set of arrays, are this step's.
     */
    int steady;
    /** The step whose quantities the current set of arrays holds. */
    int setStep = -1;
    /** The filtered covariance of step {@code updated} is in the other set (the sets were swapped since). */
    boolean filteredInOtherSet;

    // the other set: covariance, HP, F, its factor, Kᵀ and P_t|t of an earlier step (double buffering)
    double[] otherCovariance;
    double[] otherHp;
    double[] otherInnovationCovariance;
    double[] otherFactor;
    double[] otherGainTransposed;
    double[] otherFilteredCovariance;
    boolean otherFactored;
    boolean otherFullUpdate;
    int otherSetStep = -1;
    /** {@code whitened} holds L⁻¹ v of the last update (else the Gaussian scored the step). */
    boolean whitenedValid;

    // the update of step 'updated': observed components, innovation v_o, L^{-1} v_o, K' = F_oo^{-1} H_o P
    final int[] observed;
    int observedCount;
    final double[] innovation;
    final double[] whitened;
    double[] gainTransposed;
    final double[] subFactor;
    double logDensity;
    /** Observed components whose F_inf was positive, over the whole run (KFAS leaves out their log 2π). */
    int resolvedDiffuse;

    /** P_{t+1} as propagate forms it (n×n); exchanged with {@link #covariance} when it becomes the current one. */
    double[] nextCovariance;

    // scratch
    final double[] a1;
    final double[] a2;
    final double[] a3;
    final double[] vn;

    // exact diffuse (univariate) processing of one step: per observed component i, z_i (transformed row
    // of H), v_i, F_inf,i, F_*,i, M_inf,i = P_inf z_i, M_*,i = P_* z_i (before component i)
    final double[] componentRows;
    final double[] componentInnovations;
    final double[] componentDiffuseVariances;
    final double[] componentVariances;
    final double[] componentDiffuseGains;
    final double[] componentGains;
    final double[] componentNoise;
    final double[] transformedResidual;
    final double[] noiseFactor;

    KalmanState(int n, int m, boolean diffuseModel) {
        this.n = n;
        this.m = m;
        mean = new double[n];
        covariance = new double[n * n];
        diffuseCovariance = new double[diffuseModel ? n * n : 0];
        filteredMean = new double[n];
        filteredCovariance = new double[n * n];
        filteredDiffuseCovariance = new double[diffuseModel ? n * n : 0];
        observationMean = new double[m];
        hp = new double[m * n];
        innovationCovariance = new double[m * m];
        factor = new double[m * m];
        observed = new int[m];
        innovation = new double[m];
        whitened = new double[m];
        gainTransposed = new double[m * n];
        otherCovariance = new double[n * n];
        nextCovariance = new double[n * n];
        otherFilteredCovariance = new double[n * n];
        otherHp = new double[m * n];
        otherInnovationCovariance = new double[m * m];
        otherFactor = new double[m * m];
        otherGainTransposed = new double[m * n];
        subFactor = new double[m * m];
        int w = Math.max(n, m);
        a1 = new double[w * w];
        a2 = new double[w * w];
        a3 = new double[w * w];
        vn = new double[w];
        int dm = diffuseModel ? m : 0;
        componentRows = new double[dm * n];
        componentInnovations = new double[dm];
        componentDiffuseVariances = new double[dm];
        componentVariances = new double[dm];
        componentDiffuseGains = new double[dm * n];
        componentGains = new double[dm * n];
        componentNoise = new double[dm];
        transformedResidual = new double[dm];
        noiseFactor = new double[dm * dm];
    }

    /** Exchanges the current and the other set of per-step arrays. */
    void swapSets() {
        double[] a = covariance;
        covariance = otherCovariance;
        otherCovariance = a;
        a = hp;
        hp = otherHp;
        otherHp = a;
        a = innovationCovariance;
        innovationCovariance = otherInnovationCovariance;
        otherInnovationCovariance = a;
        a = factor;
        factor = otherFactor;
        otherFactor = a;
        a = gainTransposed;
        gainTransposed = otherGainTransposed;
        otherGainTransposed = a;
        a = filteredCovariance;
        filteredCovariance = otherFilteredCovariance;
        otherFilteredCovariance = a;
        boolean b = factored;
        factored = otherFactored;
        otherFactored = b;
        b = fullUpdate;
        fullUpdate = otherFullUpdate;
        otherFullUpdate = b;
        int i = setStep;
        setStep = otherSetStep;
        otherSetStep = i;
        filteredInOtherSet = !filteredInOtherSet;
    }

    /** n, the state dimension. */
    public int stateDimension() {
        return n;
    }

    /** The step t whose predicted belief this holds (-1 before {@code start}). */
    public int step() {
        return step;
    }

    /** Component i of the predicted mean E[x_t | o_0..o_{t-1}]. */
    public double mean(int i) {
        return mean[i];
    }

    /** Entry (i, j) of the predicted covariance (its finite part P_* during a diffuse start). */
    public double covariance(int i, int j) {
        return covariance[i * n + j];
    }

    /** Copies the predicted mean (n) into {@code out[offset..]}. */
    public void copyMean(double[] out, int offset) {
        System.arraycopy(mean, 0, out, offset, n);
    }

    /** Copies the predicted covariance (n×n row-major) into {@code out[offset..]}. */
    public void copyCovariance(double[] out, int offset) {
        System.arraycopy(covariance, 0, out, offset, n * n);
    }

    /** Whether the predicted belief still has a diffuse part P_∞ (the exact diffuse start is not over). */
    public boolean isDiffuse() {
        return diffuse;
    }

    /** The step whose filtered belief is held, or -1. */
    public int filteredStep() {
        return updated;
    }

    /** Copies the filtered mean E[x_s | o_0..o_s] of {@link #filteredStep()} s into {@code out[offset..]}. */
    public void copyFilteredMean(double[] out, int offset) {
        System.arraycopy(filteredMean, 0, out, offset, n);
    }

    /** Copies the filtered covariance (n×n) of {@link #filteredStep()} into {@code out[offset..]}. */
    public void copyFilteredCovariance(double[] out, int offset) {
        System.arraycopy(filteredInOtherSet ? otherFilteredCovariance : filteredCovariance, 0, out, offset, n * n);
    }

    @Override
    public String toString() {
        return "KalmanState[step=" + step + ", n=" + n + (diffuse ? ", diffuse" : "") + "]";
    }

    /**
     * Whether the predicted belief of this step still has a diffuse part P_∞ ≠ 0: the step lies in the
     * exact diffuse period ({@link KalmanFilterResult#diffuseSteps()} counts these steps).
     */
    @Override
    public boolean inDiffusePhase() {
        return diffuse;
    }
}
