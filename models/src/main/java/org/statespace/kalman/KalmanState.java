package org.statespace.kalman;

import java.util.Arrays;

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

    // predicted belief of x_step: mean a, covariance P (P_* while diffuse; in current.covariance), diffuse part P_inf
    final double[] mean;
    final double[] diffuseCovariance;
    boolean diffuse;
    int step = -1;

    // filtered belief of x_updated (covariance in filteredSet.filteredCovariance)
    final double[] filteredMean;
    final double[] filteredDiffuseCovariance;
    boolean filteredDiffuse;
    int updated = -1;

    // observation moments of step 'moments': y_hat = H a + D u + d (H P, F and its factor in current)
    final double[] observationMean;
    int moments = -1;
    /** The step whose N(ŷ, F) the emission last wrote with the current factor, or -1. */
    int emitted = -1;

    /**
     * What depends on the predicted covariance P_t alone: P_t, H P_t, F_t = H P_t Hᵀ + R, its factor, Kᵀ and
     * P_t|t. Two sets are kept, used in turn, for the exact steady state: when P_t repeats the covariance of
     * the step a set holds, bit for bit, everything in it is this step's too.
     */
    static final class CovarianceSet {
        double[] covariance;
        final double[] hp;
        final double[] innovationCovariance;
        final double[] factor;
        final double[] gainTransposed;
        final double[] filteredCovariance;
        /** {@link #factor} holds the factor of {@link #innovationCovariance}. */
        boolean factored;
        /** The set's update was a regular one with every component observed. */
        boolean fullUpdate;
        /** The step whose quantities the set holds. */
        int step = -1;

        CovarianceSet(int n, int m) {
            covariance = new double[n * n];
            hp = new double[m * n];
            innovationCovariance = new double[m * m];
            factor = new double[m * m];
            gainTransposed = new double[m * n];
            filteredCovariance = new double[n * n];
        }

        /** Makes this set a copy of {@code from} (same n and m), its flags and step included. */
        void copyFrom(CovarianceSet from) {
            System.arraycopy(from.covariance, 0, covariance, 0, covariance.length);
            System.arraycopy(from.hp, 0, hp, 0, hp.length);
            System.arraycopy(from.innovationCovariance, 0, innovationCovariance, 0, innovationCovariance.length);
            System.arraycopy(from.factor, 0, factor, 0, factor.length);
            System.arraycopy(from.gainTransposed, 0, gainTransposed, 0, gainTransposed.length);
            System.arraycopy(from.filteredCovariance, 0, filteredCovariance, 0, filteredCovariance.length);
            factored = from.factored;
            fullUpdate = from.fullUpdate;
            step = from.step;
        }

        /** The doubles one set holds (its memory, for the bound on a recorded cycle). */
        static long size(int n, int m) {
            return 2L * n * n + 2L * m * n + 2L * m * m;
        }
    }

    /** The set of step {@code step}: one of the two working sets, or during the steady state a recorded one. */
    CovarianceSet current;
    /** The working set of the step before (its covariance array is exchanged with {@link #nextCovariance}). */
    CovarianceSet other;
    /** The set holding the filtered covariance of step {@code updated}. */
    CovarianceSet filteredSet;
    /** P_{t+1} as propagate forms it (n×n); exchanged with the current covariance when it becomes P_t. */
    double[] nextCovariance;

    /*
     * The exact steady state. Over fully observed steps the covariance recursion P_t -> P_{t+1} is a function of
     * P_t alone, so once P_t equals, bit for bit, some earlier P_s of the same fully observed stretch, steps
     * t, t+1, ... repeat steps s, s+1, ... exactly: in floating point the recursion ends on a cycle, of period one
     * (a fixed point), two, or hundreds of steps (rounding wanders among a few nearby matrices). The cycle is found
     * with Brent's algorithm (P_t compared with one checkpoint, moved to P_t when t - checkpointStep reaches a
     * power of two that then doubles: the period λ is found within about two periods of entering the cycle),
     * its λ sets are recorded while the full recursion runs on, and from then on the sets are replayed in turn.
     */
    /** 1 while the recorded cycle is replayed: {@link #current} is {@code cycle[cyclePosition]}; else 0. */
    int steady;
    /** P_s of the checkpoint step (n×n). */
    final double[] checkpoint;
    /** The step of {@link #checkpoint}, or -1 when the search starts again from the next covariance. */
    int checkpointStep = -1;
    /** The distance at which the checkpoint moves next. */
    int power = 1;
    /** Whether a search is under way (false after a found period too long to record, until the stretch ends). */
    boolean searching = true;
    /** The period λ found (0: none yet); its sets are recorded into {@link #cycle} from the step after. */
    int cycleLength;
    /** How many sets of the cycle are recorded. */
    int recorded;
    int cyclePosition;
    /** The recorded sets, allocated when first needed and kept for the next cycle of the run. */
    CovarianceSet[] cycle;
    /** The working set put aside while the cycle is replayed. */
    CovarianceSet spare;

    // the update of step 'updated': observed components, innovation v_o, L^{-1} v_o, factor of a partial F_oo
    final int[] observed;
    int observedCount;
    final double[] innovation;
    final double[] whitened;
    final double[] subFactor;
    double logDensity;
    /** {@code whitened} holds L⁻¹ v of the last update (else the Gaussian scored the step). */
    boolean whitenedValid;
    /** Observed components whose F_inf was positive, over the whole run (KFAS leaves out their log 2π). */
    int resolvedDiffuse;

    // scratch
    final double[] a1;
    final double[] a2;
    final double[] a3;
    final double[] vn;
    /** The rows of the products F P Fᵀ and H P. */
    final Dense.RowWorkspace rows;
    /** The Joseph update's scratch. */
    final ConventionalKalmanFilter.JosephWorkspace joseph;

    /**
     * Exact diffuse (univariate) processing of one step: per observed component i, z_i (transformed row of
     * H), v_i, F_inf,i, F_*,i, M_inf,i = P_inf z_i, M_*,i = P_* z_i (before component i); null for a model
     * without a diffuse start.
     */
    static final class DiffuseComponents {
        final double[] rows;
        final double[] innovations;
        final double[] diffuseVariances;
        final double[] variances;
        final double[] diffuseGains;
        final double[] gains;
        final double[] noise;
        final double[] transformedResidual;
        final double[] noiseFactor;

        DiffuseComponents(int n, int m) {
            this(new double[m * n], new double[m], new double[m], new double[m], new double[m * n], new double[m * n],
                    new double[m], new double[m], new double[m * m]);
        }

        private DiffuseComponents(double[] rows, double[] innovations, double[] diffuseVariances, double[] variances,
                double[] diffuseGains, double[] gains, double[] noise, double[] transformedResidual,
                double[] noiseFactor) {
            this.rows = rows;
            this.innovations = innovations;
            this.diffuseVariances = diffuseVariances;
            this.variances = variances;
            this.diffuseGains = diffuseGains;
            this.gains = gains;
            this.noise = noise;
            this.transformedResidual = transformedResidual;
            this.noiseFactor = noiseFactor;
        }

        /**
         * What the first {@code count} components left (z, v, F_∞, F_*, M_∞, M_*), copied to their length, for
         * the backward pass; the copy's scratch ({@link #noise}, {@link #transformedResidual},
         * {@link #noiseFactor}) is empty.
         */
        DiffuseComponents copy(int count, int n) {
            double[] none = new double[0];
            return new DiffuseComponents(Arrays.copyOf(rows, count * n), Arrays.copyOf(innovations, count),
                    Arrays.copyOf(diffuseVariances, count), Arrays.copyOf(variances, count),
                    Arrays.copyOf(diffuseGains, count * n), Arrays.copyOf(gains, count * n), none, none, none);
        }
    }

    final DiffuseComponents components;

    KalmanState(int n, int m, boolean diffuseModel) {
        this.n = n;
        this.m = m;
        mean = new double[n];
        diffuseCovariance = new double[diffuseModel ? n * n : 0];
        filteredMean = new double[n];
        filteredDiffuseCovariance = new double[diffuseModel ? n * n : 0];
        observationMean = new double[m];
        current = new CovarianceSet(n, m);
        other = new CovarianceSet(n, m);
        filteredSet = current;
        checkpoint = new double[n * n];
        nextCovariance = new double[n * n];
        observed = new int[m];
        innovation = new double[m];
        whitened = new double[m];
        subFactor = new double[m * m];
        int w = Math.max(n, m);
        a1 = new double[w * w];
        a2 = new double[w * w];
        a3 = new double[w * w];
        vn = new double[w];
        rows = new Dense.RowWorkspace(n);
        joseph = new ConventionalKalmanFilter.JosephWorkspace(n, m);
        components = diffuseModel ? new DiffuseComponents(n, m) : null;
    }

    /** Exchanges the current and the other set. */
    void swapSets() {
        CovarianceSet a = current;
        current = other;
        other = a;
    }

    /** Stops replaying the cycle: the current set's quantities are copied into the working set put aside. */
    void leaveCycle() {
        spare.copyFrom(current);
        if (filteredSet == current) {
            filteredSet = spare;
        }
        current = spare;
        spare = null;
        steady = 0;
    }

    /** Forgets the search for a cycle: the next covariance starts a new one (a stretch of full updates ended). */
    void restartCycleSearch() {
        checkpointStep = -1;
        power = 1;
        searching = true;
        cycleLength = 0;
        recorded = 0;
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
        return current.covariance[i * n + j];
    }

    /** Copies the predicted mean (n) into {@code out[offset..]}. */
    public void copyMean(double[] out, int offset) {
        System.arraycopy(mean, 0, out, offset, n);
    }

    /** Copies the predicted covariance (n×n row-major) into {@code out[offset..]}. */
    public void copyCovariance(double[] out, int offset) {
        System.arraycopy(current.covariance, 0, out, offset, n * n);
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
        System.arraycopy(filteredSet.filteredCovariance, 0, out, offset, n * n);
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
