package org.statespace.kalman;

import org.statespace.DataException;
import org.statespace.Emission;
import org.statespace.NumericalException;
import org.statespace.StateTransition;
import org.statespace.data.Sequence;
import org.statespace.distribution.Gaussian;

/**
 * The Kalman filter of a {@link LinearGaussianModel} as the model's f and g (the recurrence the engine
 * runs). With a_t, P_t the predicted mean and covariance of x_t given o_0..o_{t-1}:
 *
 * <pre>
 *   emission     ŷ_t = H a_t + D u_t + d,   F_t = H P_t Hᵀ + R,   p(o_t | past) = N(ŷ_t, F_t)
 *   update       the conventional (Joseph) correction of {@link ConventionalKalmanFilter}, or during an
 *                exact diffuse start the univariate one of {@link DiffuseKalmanUpdate}
 *   prediction   a_{t+1} = F a_t|t + B u_{t+1} + b,   P_{t+1} = F P_t|t Fᵀ + Q
 * </pre>
 *
 * The model's operations (prediction, observation mean, H P, F_t) are those of its
 * {@link LinearStateSpace}, and the update runs {@link ConventionalKalmanFilter}'s kernels: the same
 * operations in the same order as that filter, so the same bits. What this class adds is the recurrence's
 * bookkeeping: the factor of F_t made for the emission is the one the update uses (the Gaussian gets it
 * through {@link Gaussian#setFactored}; nothing is factored twice in a step), and the exact steady state
 * ({@link KalmanOptions#exactSteadyState()}). Over fully observed steps the covariance recursion is a function
 * of the predicted covariance alone, so once P_t equals, bit for bit, the P_s of an earlier step of the same
 * fully observed stretch, every later step repeats the steps from s on: the same innovation covariance, factor,
 * gain and covariances. In floating point the recursion always ends on such a cycle, of period one (a fixed
 * point), two, or hundreds of steps where rounding keeps wandering among nearby matrices (the benchmark's
 * n = 4, m = 4 model: period 264 from step 287; n = 8, m = 1: 1021 from step 303). The cycle is found by
 * Brent's algorithm (one n×n comparison per step, which stops at the first differing entry), its sets are
 * recorded while the full recursion runs on for one more period, and from then on they are replayed in turn
 * and only the means are updated. A period whose sets would take more than {@link #MAX_CYCLE_DOUBLES} doubles
 * is not recorded (the benchmark's n = 4, m = 8 model: period 18074). The results are identical to the full
 * computation; any missing component ends the cycle, and the search starts again.
 *
 * <p>{@code step(t)} always updates with o_{t-1} before it predicts, unless the emission's
 * {@link #logDensity} already did for that step (the engine scores every step, so the update runs once).
 */
final class KalmanFilter implements StateTransition<KalmanState>, Emission<KalmanState, Gaussian> {
    /** κ of the predictive law reported during a diffuse start: see {@link DiffuseComponentUpdate#PREDICTIVE_SCALE}. */
    static final double DIFFUSE_SCALE = DiffuseComponentUpdate.PREDICTIVE_SCALE;
    /** The most doubles the recorded sets of one cycle may take (8 MiB), per state. */
    static final long MAX_CYCLE_DOUBLES = 1 << 20;
    private final boolean steadyState;
    /** The longest period recorded. */
    private final int maxPeriod;

    private final int n;
    private final int m;
    private final int p;
    private final LinearStateSpace space;
    private final double[] observation;
    private final double[] observationNoise;
    private final double[] initialDiffuse;
    private final boolean diffuseModel;
    private final boolean diagonalNoise;

    /** The filter of {@code model}, with the exact steady state on or off as {@code options} say. */
    KalmanFilter(LinearGaussianModel model, KalmanOptions options) {
        this(model, options, MAX_CYCLE_DOUBLES);
    }

    /** The same with another bound on the doubles of a recorded cycle (tests). */
    KalmanFilter(LinearGaussianModel model, KalmanOptions options, long maxCycleDoubles) {
        this.steadyState = options.exactSteadyState();
        n = model.n;
        m = model.m;
        maxPeriod = (int) Math.min(Integer.MAX_VALUE, maxCycleDoubles / KalmanState.CovarianceSet.size(n, m));
        p = model.p;
        space = new LinearStateSpace(model);
        observation = model.observation;
        observationNoise = model.observationNoise;
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
        return space.model.transition;
    }

    /** The model's operations as a {@link GaussianStateSpace}. */
    LinearStateSpace stateSpace() {
        return space;
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
        if (sequence.dimension() != m || (p > 0 && sequence.inputDimension() != p)) {
            // a model without inputs ignores the data's (as every family does: ObservationSpace.align)
            throw new DataException("sequence '" + sequence.id() + "' has " + sequence.dimension()
                    + "-dimensional observations and " + sequence.inputDimension() + " inputs per step; the model needs "
                    + m + " and " + p);
        }
        if (s.steady != 0) {
            s.leaveCycle();
        }
        space.initialMean(s.mean);
        space.initialCovariance(s.current.covariance);
        if (diffuseModel) {
            System.arraycopy(initialDiffuse, 0, s.diffuseCovariance, 0, n * n);
        }
        s.diffuse = diffuseModel;
        s.filteredDiffuse = false;
        s.step = 0;
        s.updated = -1;
        s.moments = -1;
        s.emitted = -1;
        s.restartCycleSearch();
        s.current.factored = false;
        s.current.fullUpdate = false;
        s.other.fullUpdate = false;
        s.current.step = 0;
        s.other.step = -1;
        s.filteredSet = s.current;
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
        space.propagateMean(s.filteredMean, inputs, inputRow, s.mean);
        s.step = t;
        s.moments = -1;
        s.emitted = -1;
        if (s.steady != 0) {
            // the update of t - 1 was a full one (any other leaves the cycle): P_t is the next recorded set's
            if (++s.cyclePosition == s.cycleLength) {
                s.cyclePosition = 0;
            }
            s.current = s.cycle[s.cyclePosition];
            s.current.step = t;
            return;
        }
        if (steadyState) {
            if (!(s.current.fullUpdate && s.current.step == t - 1)) {
                s.restartCycleSearch();
            } else if (s.cycleLength > 0) {
                // recording: the set of step t - 1 is the cycle's next; after λ of them P_t is the first one's
                record(s);
                if (s.recorded == s.cycleLength) {
                    s.spare = s.current;
                    s.cyclePosition = 0;
                    s.current = s.cycle[0];
                    s.current.step = t;
                    s.steady = 1;
                    return;
                }
            }
        }
        // F P_t|t Fᵀ + Q with P_t|t symmetric, so every entry of F P_t|t is a dot product of two rows
        double[] next = s.nextCovariance;
        space.propagateCovariance(s.current.filteredCovariance, next, s.rows);
        if (steadyState && s.searching && s.cycleLength == 0) {
            search(s, next, t);
        }
        s.swapSets();
        // next becomes P_t; the set's old covariance array takes its place as the next scratch
        s.nextCovariance = s.current.covariance;
        s.current.covariance = next;
        s.current.factored = false;
        s.current.fullUpdate = false;
        s.current.step = t;
        if (s.filteredDiffuse) {
            space.propagateDiffuseCovariance(s.filteredDiffuseCovariance, s.diffuseCovariance, s.rows);
        }
        s.diffuse = s.filteredDiffuse;
    }

    /**
     * One step of Brent's cycle search on P_t = {@code next}, the stretch of full updates unbroken since the
     * checkpoint: P_t equal to the checkpoint P_s gives the period t - s (recorded from the next step when it
     * fits in {@link #maxPeriod}); else the checkpoint moves to P_t when t - s reaches the current power of two,
     * which doubles.
     */
    private void search(KalmanState s, double[] next, int t) {
        if (s.checkpointStep >= 0 && equal(next, s.checkpoint)) {
            int period = t - s.checkpointStep;
            if (period <= maxPeriod) {
                s.cycleLength = period;
                s.recorded = 0;
                if (s.cycle == null) {
                    s.cycle = new KalmanState.CovarianceSet[period];
                } else if (s.cycle.length < period) {
                    s.cycle = java.util.Arrays.copyOf(s.cycle, period);
                }
            } else {
                s.searching = false;
            }
        } else if (s.checkpointStep < 0 || t - s.checkpointStep == s.power) {
            if (s.checkpointStep >= 0) {
                s.power *= 2;
            }
            System.arraycopy(next, 0, s.checkpoint, 0, n * n);
            s.checkpointStep = t;
        }
    }

    /** Copies the current set (a full update's) into the cycle's next place. */
    private void record(KalmanState s) {
        KalmanState.CovarianceSet[] cycle = s.cycle;
        int i = s.recorded++;
        if (cycle[i] == null) {
            cycle[i] = new KalmanState.CovarianceSet(n, m);
        }
        cycle[i].copyFrom(s.current);
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
        if (s.steady != 0) {
            s.leaveCycle();
        }
        s.filteredSet = s.current;
        System.arraycopy(s.mean, 0, s.filteredMean, 0, n);
        System.arraycopy(s.current.covariance, 0, s.current.filteredCovariance, 0, n * n);
        if (s.diffuse) {
            System.arraycopy(s.diffuseCovariance, 0, s.filteredDiffuseCovariance, 0, n * n);
        }
        s.filteredDiffuse = s.diffuse;
        s.updated = s.step;
        s.observedCount = 0;
        s.logDensity = 0;
        s.current.fullUpdate = false;
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
        space.observationMean(s.mean, inputs, inputRow, s.observationMean);
        s.moments = t;
        if (s.steady != 0) {
            // P_t is an earlier step's covariance: HP, F and its factor are in place
            return;
        }
        space.crossCovariance(s.current.covariance, s.current.hp, s.rows);
        space.innovationCovariance(s.mean, s.current.hp, inputs, inputRow, s.current.innovationCovariance);
        s.moments = t;
        s.current.factored = false;
    }

    private void factorInnovation(KalmanState s, Sequence sequence, int t) {
        ConventionalKalmanFilter.factor(s.current.innovationCovariance, m, s.observed, m, s.current.factor, sequence, t);
        s.current.factored = true;
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
            if (!s.current.factored) {
                factorInnovation(s, sequence, t);
            }
            out.setFactored(s.observationMean, 0, s.current.innovationCovariance, s.current.factor);
            s.emitted = t;
            return;
        }
        double[] inflated = s.a2;
        diffuseInnovationCovariance(s, inflated);
        double scale = 1;
        for (int i = 0; i < m; i++) {
            scale = Math.max(scale, s.current.innovationCovariance[i * m + i]);
        }
        double kappa = DIFFUSE_SCALE * scale;
        for (int i = 0; i < m * m; i++) {
            inflated[i] = s.current.innovationCovariance[i] + kappa * inflated[i];
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
        int k = 0;
        for (int j = 0; j < m; j++) {
            if (!Double.isNaN(sequence.value(t, j))) {
                s.observed[k++] = j;
            }
        }
        s.observedCount = k;
        if (s.steady != 0 && k < m) {
            // a recorded set is this step's only for a full update: its quantities go to a working set
            s.leaveCycle();
        }
        // every path below leaves P_t|t in the current set (the steady one finds it there)
        s.filteredSet = s.current;
        if (s.diffuse) {
            s.current.fullUpdate = false;
            DiffuseKalmanUpdate.update(space, diagonalNoise, s, sequence, t, k);
            return;
        }
        s.filteredDiffuse = false;
        if (k == 0) {
            s.current.fullUpdate = false;
            System.arraycopy(s.mean, 0, s.filteredMean, 0, n);
            System.arraycopy(s.current.covariance, 0, s.current.filteredCovariance, 0, n * n);
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
            if (!s.current.factored) {
                factorInnovation(s, sequence, t);
            }
            lower = s.current.factor;
        } else {
            lower = s.subFactor;
            ConventionalKalmanFilter.factor(s.current.innovationCovariance, m, o, k, lower, sequence, t);
        }
        double[] v = s.innovation;
        for (int a = 0; a < k; a++) {
            v[a] = sequence.value(t, o[a]) - s.observationMean[o[a]];
        }
        if (predicted != null && k == m && s.emitted == t) {
            // the Gaussian holds this step's mean and factor and its log-determinant already
            s.logDensity = ConventionalKalmanFilter.requireRepresentable(predicted.logDensity(sequence, t), sequence, t, m);
            s.whitenedValid = false;
        } else {
            s.logDensity = ConventionalKalmanFilter.requireRepresentable(
                    ConventionalKalmanFilter.logDensity(lower, k, v, s.whitened), sequence, t, m);
            s.whitenedValid = true;
        }

        if (s.steady != 0) {
            // P_t equals an earlier fully observed step's covariance bit for bit: that step's gain and
            // P_t|t (in the current set, a recorded one) are this step's, exactly
            for (int i = 0; i < n; i++) {
                s.filteredMean[i] = s.mean[i] + Dense.dot(s.current.gainTransposed, i, n, v, 0, 1, k);
            }
            s.current.fullUpdate = true;
            s.updated = t;
            return;
        }
        // Kᵀ = F_oo⁻¹ (H_o P), a_t|t = a_t + K v, Joseph form for P_t|t
        double[] g = s.current.gainTransposed;
        ConventionalKalmanFilter.gain(lower, k, o, s.current.hp, g, n);
        for (int i = 0; i < n; i++) {
            s.filteredMean[i] = s.mean[i] + Dense.dot(g, i, n, v, 0, 1, k);
        }
        ConventionalKalmanFilter.joseph(n, m, k, o, g, s.current.hp, s.current.innovationCovariance, s.current.covariance,
                s.joseph, s.current.filteredCovariance);
        s.current.fullUpdate = k == m;
        s.updated = t;
    }
}
