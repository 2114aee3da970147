package org.statespace.hmm;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import org.statespace.NumericalException;
import org.statespace.capability.DecodedPath;
import org.statespace.data.Sequence;

/**
 * The inference kernels of one {@link HiddenMarkovModel} with reusable workspaces: the scaled forward
 * filter and log-likelihood, the backward pass, posterior and two-slice marginals, Viterbi decoding,
 * forward-filter backward-sample posterior paths and Baum-Welch statistics. Arrays grow to the longest
 * sequence seen and are reused, so running many sequences allocates nothing per step or per sequence.
 * Not thread-safe: one per thread ({@link HiddenMarkovModel#forwardBackward()}).
 *
 * <p>Equations (π initial, A transition, b_k(o_t) emission density; see the package documentation):
 * <pre>
 *   b̃_t(k)  = b_k(o_t) / max_j b_j(o_t)                  scaled densities, shift m_t = log max_j b_j(o_t)
 *   h_0     = π,   h_t(j) = Σ_i α̂_{t-1}(i) A_ij           predicted p(s_t | o_0..o_{t-1})
 *   c_t     = Σ_k h_t(k) b̃_t(k),   α̂_t(k) = h_t(k) b̃_t(k) / c_t      filtered p(s_t | o_0..o_t)
 *   log p(o_0..o_{T-1}) = Σ_t (log c_t + m_t)
 *   β̂_{T-1} = 1,   β̂_t(i) = Σ_j A_ij b̃_{t+1}(j) β̂_{t+1}(j) / c_{t+1}
 *   γ_t(k)  = α̂_t(k) β̂_t(k)                                posterior p(s_t | o_0..o_{T-1})
 *   ξ_t(i,j) = α̂_t(i) A_ij b̃_{t+1}(j) β̂_{t+1}(j) / c_{t+1}   p(s_t = i, s_{t+1} = j | o_0..o_{T-1})
 * </pre>
 * Every α̂ is normalised and every b̃ is at most 1 with its largest entry 1, so nothing underflows or
 * overflows however long the sequence. A missing observation has b̃ = 1 (no emission term).
 *
 * <p>The same kernels run an input-output HMM ({@link InputOutputHmm}), whose π and A depend on the inputs:
 * π = π(u_0) and the A of the step into s_t is A_t = A(u_t); each pass first computes π and A_1..A_{T-1}
 * for the sequence (T×K×K) and then runs the recursions above with A_t in place of A.
 */
public final class ForwardBackward implements StateRecursions {
    private final HiddenMarkovModel model;
    private final int k;
    private final double[] transition;
    private final double[] initial;
    /** Input-dependent π and A_t, or null for a time-homogeneous HMM. */
    private final InputOutputHmm.Schedule schedule;
    private double[] stepTransitions = new double[0]; // T×K×K: A_t at t·K·K (input-driven only)
    private final double[] stepInitial;
    // the transition matrices of the current pass: a[at(t) ..] is the A into step t
    private double[] a;
    private int stride;
    // A's rows and Aᵀ's rows (its columns), one array each (see ForwardStep): fixed for a homogeneous HMM,
    // refilled from A_t at every step of an input-driven one
    private final double[][] rows;
    private final double[][] columns;
    private final EmissionModel.Workspace emission;
    // per-step arrays, grown to the longest sequence
    private double[] densities = new double[0];  // T×K scaled densities b̃
    private double[] shifts = new double[0];     // T: m_t
    private double[] predicted = new double[0];  // T×K: h_t
    private double[] filtered = new double[0];   // T×K: α̂_t
    private double[] scales = new double[0];     // T: c_t
    private double[] backward = new double[0];   // T×K: β̂_t
    private double[] posterior = new double[0];  // T×K: γ_t
    private int[] backpointers = new int[0];     // T×K
    // K-sized scratch
    private final double[] v;
    private final double[] next;
    private final double[] row;
    private final double[] delta;
    private final double[] previous;
    private final double[][] expectedTransitions;
    /** Steps per block of the expected-transition product (rows of v kept for one product). */
    static final int BLOCK = 32;
    private double[][] vBlock = new double[0][];
    /** Steps per block of the forward pass: the emission's log-densities of a block are computed in one call. */
    static final int STEPS = 64;
    private double[] blockDensities = new double[0]; // STEPS×K, for the O(K) log-likelihood
    private final double[] blockShifts = new double[STEPS];
    private int impossibleStep;

    private Sequence sequence;
    private int length;
    private double logLikelihood = Double.NaN;
    private boolean smoothed;

    ForwardBackward(HiddenMarkovModel model) {
        this(model, model.stateCount(), model.initialArray(), model.transitionArray(), model.emissionModel().newWorkspace(),
                null);
    }

    /** Kernels of an input-output HMM: π and A_t from {@code schedule}, emission densities from {@code emission}. */
    ForwardBackward(int k, EmissionModel.Workspace emission, InputOutputHmm.Schedule schedule) {
        this(null, k, null, null, emission, schedule);
    }

    private ForwardBackward(HiddenMarkovModel model, int k, double[] initial, double[] transition,
            EmissionModel.Workspace emission, InputOutputHmm.Schedule schedule) {
        this.model = model;
        this.k = k;
        this.transition = transition;
        this.initial = initial;
        this.schedule = schedule;
        this.stepInitial = new double[k];
        this.a = transition;
        this.emission = emission;
        v = new double[k];
        next = new double[k];
        row = new double[k];
        delta = new double[k];
        previous = new double[k];
        expectedTransitions = new double[k][k];
        rows = new double[k][k];
        columns = new double[k][k];
        if (transition != null) {
            ForwardStep.rows(transition, 0, k, rows);
            ForwardStep.columns(transition, 0, k, columns);
        }
    }

    // the rows of the A into step t >= 1 of the current pass
    private double[][] rowsInto(int t) {
        return schedule == null ? rows : ForwardStep.rows(a, t * stride, k, rows);
    }

    // the rows of Aᵀ for the A into step t >= 1 of the current pass
    private double[][] columnsInto(int t) {
        return schedule == null ? columns : ForwardStep.columns(a, t * stride, k, columns);
    }

    /**
     * The model these kernels run.
     *
     * @throws IllegalStateException for the kernels of an input-output HMM, which has its own type
     */
    public HiddenMarkovModel model() {
        if (model == null) {
            throw new IllegalStateException("these kernels run an input-output HMM");
        }
        return model;
    }

    // π and the A_t of sequence s (input-driven: computed from its inputs; homogeneous: the model's)
    private double[] prepare(Sequence s) {
        if (schedule == null) {
            a = transition;
            stride = 0;
            return initial;
        }
        int n = s.length();
        int kk = k * k;
        if (stepTransitions.length < n * kk) {
            stepTransitions = new double[Math.max(n, stepTransitions.length / kk + stepTransitions.length / kk / 2) * kk];
        }
        if (n > 0) {
            schedule.initial(s, stepInitial);
        }
        for (int t = 1; t < n; t++) {
            schedule.transition(s, t, stepTransitions, t * kk);
        }
        a = stepTransitions;
        stride = kk;
        return stepInitial;
    }

    private void ensureCapacity(int t) {
        if (scales.length >= t) {
            return;
        }
        int n = Math.max(t, scales.length + scales.length / 2);
        densities = new double[n * k];
        shifts = new double[n];
        predicted = new double[n * k];
        filtered = new double[n * k];
        scales = new double[n];
        backward = new double[0];
        posterior = new double[0];
    }

    private void ensureBackwardCapacity() {
        if (backward.length < scales.length * k) {
            backward = new double[scales.length * k];
            posterior = new double[scales.length * k];
        }
    }

    /**
     * log b_k(o_t) of steps from..to-1 into {@code out} (step t at {@code offset + (t - from)·K}), each step
     * scaled in place, its shift m_t into {@code shiftsOut[shiftOffset + t - from]}; returns false at the first
     * step whose observation has probability zero under every state (kept in impossibleStep).
     */
    private boolean scaledDensities(Sequence s, int from, int to, double[] out, int offset, double[] shiftsOut,
            int shiftOffset) {
        emission.logDensities(s, from, to, out, offset, k);
        for (int t = from; t < to; t++) {
            double max = ForwardStep.scale(out, offset + (t - from) * k, k);
            if (max == Double.NEGATIVE_INFINITY) {
                impossibleStep = t;
                return false;
            }
            shiftsOut[shiftOffset + t - from] = max;
        }
        return true;
    }

    /**
     * The scaled forward filter over a sequence: stores h_t, α̂_t, c_t and the scaled emission densities
     * for the other kernels, and returns the log-likelihood (0 for an empty sequence).
     *
     * @throws NumericalException if an observation has probability zero under the model (naming the step)
     */
    public double forward(Sequence s) {
        int length = s.length();
        ensureCapacity(length);
        this.sequence = s;
        this.length = length;
        this.smoothed = false;
        double[] pi = prepare(s);
        double total = 0;
        for (int from = 0; from < length; from += STEPS) {
            int to = Math.min(length, from + STEPS);
            boolean possible;
            try {
                possible = scaledDensities(s, from, to, densities, from * k, shifts, from);
            } catch (RuntimeException e) {
                this.sequence = null;
                throw e;
            }
            // up to an impossible step, so an earlier step impossible given the past is reported first, as before
            int end = possible ? to : impossibleStep;
            for (int t = from; t < end; t++) {
                int base = t * k;
                if (t == 0) {
                    System.arraycopy(pi, 0, predicted, 0, k);
                } else {
                    ForwardStep.predict(filtered, base - k, rowsInto(t), k, v);
                    System.arraycopy(v, 0, predicted, base, k);
                }
                double c = ForwardStep.condition(predicted, base, densities, base, k, filtered, base);
                if (!(c > 0)) {
                    this.sequence = null;
                    throw new NumericalException("sequence '" + s.id() + "', step " + t
                            + ": the observation has probability zero given the past (log-likelihood -inf)");
                }
                scales[t] = c;
                total += Math.log(c) + shifts[t];
            }
            if (!possible) {
                this.sequence = null;
                throw new NumericalException("sequence '" + s.id() + "', step " + impossibleStep
                        + ": the observation has probability zero under every state");
            }
        }
        logLikelihood = total;
        return total;
    }

    /**
     * The forward filter and the backward pass: after it, {@link #posterior} and {@link #twoSlice} hold
     * the smoothed marginals. Returns the log-likelihood.
     */
    public double smooth(Sequence s) {
        double ll = forward(s);
        ensureBackwardCapacity();
        smoothed = true;
        if (length == 0) {
            return ll;
        }
        int last = (length - 1) * k;
        Arrays.fill(backward, last, last + k, 1);
        System.arraycopy(filtered, last, posterior, last, k);
        for (int t = length - 2; t >= 0; t--) {
            int base = t * k;
            int after = base + k;
            double inv = 1 / scales[t + 1];
            for (int j = 0; j < k; j++) {
                v[j] = densities[after + j] * backward[after + j] * inv;
            }
            ForwardStep.predict(v, 0, columnsInto(t + 1), k, row); // β̂_t(i) = Σ_j A_ij v(j)
            System.arraycopy(row, 0, backward, base, k);
            double sum = 0;
            for (int i = 0; i < k; i++) {
                double g = filtered[base + i] * backward[base + i];
                posterior[base + i] = g;
                sum += g;
            }
            // Σ_i γ_t(i) = 1 exactly in exact arithmetic; renormalise so rounding cannot drift over long sequences
            double norm = 1 / sum;
            for (int i = 0; i < k; i++) {
                posterior[base + i] *= norm;
            }
        }
        return ll;
    }

    /**
     * The log-likelihood alone, with O(K) memory whatever the length (the arrays of the other kernels are
     * not touched). An observation with probability zero gives -inf.
     */
    public double logLikelihood(Sequence s) {
        double[] alpha = delta;
        double[] h = next;
        double[] pi = initial;
        double[] at = null;
        if (schedule != null) {
            at = new double[k * k]; // one matrix, recomputed per step: memory stays O(K²)
            pi = stepInitial;
            if (s.length() > 0) {
                schedule.initial(s, pi);
            }
        }
        if (blockDensities.length < STEPS * k) {
            blockDensities = new double[STEPS * k];
        }
        double[] lb = blockDensities;
        double total = 0;
        int n = s.length();
        for (int from = 0; from < n; from += STEPS) {
            int to = Math.min(n, from + STEPS);
            if (!scaledDensities(s, from, to, lb, 0, blockShifts, 0)) {
                return Double.NEGATIVE_INFINITY;
            }
            for (int t = from; t < to; t++) {
                if (t == 0) {
                    System.arraycopy(pi, 0, h, 0, k);
                } else {
                    double[][] m = rows;
                    if (at != null) {
                        schedule.transition(s, t, at, 0);
                        m = ForwardStep.rows(at, 0, k, rows);
                    }
                    ForwardStep.predict(alpha, 0, m, k, h);
                }
                double c = ForwardStep.condition(h, 0, lb, (t - from) * k, k, alpha, 0);
                if (!(c > 0)) {
                    return Double.NEGATIVE_INFINITY;
                }
                total += Math.log(c) + blockShifts[t - from];
            }
        }
        return total;
    }

    /**
     * One sequence's E-step: the forward filter, then a backward pass that adds γ_0 to the initial
     * counts, Σ_t ξ_t to the transition counts and γ_t-weighted emission statistics, without storing
     * β or γ. Returns the log-likelihood (also added to the statistics).
     */
    double expectation(Sequence s, HmmStatistics statistics) {
        double ll = forward(s);
        statistics.sequences++;
        if (length == 0) {
            return ll;
        }
        double[] beta = next;
        double[] gamma = row;
        double[][] x = expectedTransitions;
        for (double[] xi : x) {
            Arrays.fill(xi, 0);
        }
        Arrays.fill(beta, 1);
        int last = (length - 1) * k;
        System.arraycopy(filtered, last, gamma, 0, k);
        emission.accumulate(statistics.emission, s, length - 1, gamma, 0);
        // Σ_t ξ_t(i,j) = A_ij Σ_t α̂_t(i) v_t(j): for a homogeneous HMM the sum of outer products is a matrix
        // product over time, formed a block of BLOCK steps at a time (the v_t of the block kept as rows),
        // A applied at the end; when A_t varies, the outer products weighted by A_t one step at a time
        double[][] vs = schedule == null ? blockRows() : null;
        int filled = 0;
        for (int t = length - 2; t >= 0; t--) {
            int base = t * k;
            int after = base + k;
            double inv = 1 / scales[t + 1];
            double[] vr = vs == null ? v : vs[filled];
            for (int j = 0; j < k; j++) {
                vr[j] = densities[after + j] * beta[j] * inv;
            }
            ForwardStep.predict(vr, 0, columnsInto(t + 1), k, beta); // β̂_t(i) = Σ_j A_ij v(j)
            if (schedule == null) {
                if (++filled == BLOCK) {
                    addOuterProducts(t + BLOCK - 1, filled, vs, x);
                    filled = 0;
                }
            } else {
                for (int i = 0; i < k; i++) {
                    double ai = filtered[base + i];
                    double[] xi = x[i];
                    int rt = (t + 1) * stride + i * k;
                    for (int j = 0; j < k; j++) {
                        xi[j] += ai * a[rt + j] * v[j];
                    }
                }
            }
            double sum = 0;
            for (int i = 0; i < k; i++) {
                gamma[i] = filtered[base + i] * beta[i];
                sum += gamma[i];
            }
            double norm = 1 / sum;
            for (int i = 0; i < k; i++) {
                gamma[i] *= norm;
            }
            emission.accumulate(statistics.emission, s, t, gamma, 0);
        }
        if (filled > 0) {
            addOuterProducts(filled - 1, filled, vs, x);
        }
        for (int i = 0; i < k; i++) {
            statistics.initial[i] += gamma[i];
        }
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                int ij = i * k + j;
                statistics.transitions[ij] += schedule == null ? transition[ij] * x[i][j] : x[i][j];
            }
        }
        statistics.logLikelihood += ll;
        return ll;
    }

    // the BLOCK rows v_t (K each) of one block of the backward pass
    private double[][] blockRows() {
        if (vBlock.length < BLOCK) {
            vBlock = new double[BLOCK][k];
        }
        return vBlock;
    }

    /**
     * x (K×K) += Σ_b α̂_{top-b}ᵀ v_b for b &lt; count: the rows v_b of {@code rows} are the backward pass's steps
     * top, top-1, ... (a block of the product α̂ᵀ V over time). Row i of x stays in cache while the block's
     * rows are added into it, four at a time; for every entry the additions come in the order of the steps,
     * so the sums are bit for bit those of one outer product per step.
     */
    private void addOuterProducts(int top, int count, double[][] rows, double[][] x) {
        for (int i = 0; i < k; i++) {
            double[] xi = x[i];
            int b = 0;
            for (; b + 3 < count; b += 4) {
                double a0 = filtered[(top - b) * k + i];
                double a1 = filtered[(top - b - 1) * k + i];
                double a2 = filtered[(top - b - 2) * k + i];
                double a3 = filtered[(top - b - 3) * k + i];
                double[] v0 = rows[b];
                double[] v1 = rows[b + 1];
                double[] v2 = rows[b + 2];
                double[] v3 = rows[b + 3];
                for (int j = 0; j < k; j++) {
                    xi[j] = xi[j] + a0 * v0[j] + a1 * v1[j] + a2 * v2[j] + a3 * v3[j];
                }
            }
            for (; b < count; b++) {
                double ai = filtered[(top - b) * k + i];
                double[] vb = rows[b];
                for (int j = 0; j < k; j++) {
                    xi[j] += ai * vb[j];
                }
            }
        }
    }

    /**
     * The Viterbi path argmax_s p(s, o) and log p(s*, o), in log space (ties go to the smaller state
     * index). A missing observation contributes no emission term.
     *
     * @throws NumericalException if no path has positive probability (naming the step)
     */
    public DecodedPath viterbi(Sequence s) {
        int n = s.length();
        if (n == 0) {
            return new DecodedPath(new int[0], 0);
        }
        if (backpointers.length < n * k) {
            backpointers = new int[Math.max(n, scales.length) * k];
        }
        double[] logPi;
        double[] logAt;
        if (schedule == null) {
            logPi = model.logInitialArray();
            logAt = model.logTransitionTransposedArray();
        } else { // local copies: the arrays of the last forward pass stay as they were
            double[] pi = new double[k];
            schedule.initial(s, pi);
            logPi = new double[k];
            for (int j = 0; j < k; j++) {
                logPi[j] = Math.log(pi[j]);
            }
            logAt = new double[k * k];
        }
        double[] at = schedule == null ? null : new double[k * k];
        double[] lb = row;
        double[] cur = delta;
        double[] prev = previous;
        for (int t = 0; t < n; t++) {
            emission.logDensities(s, t, lb, 0);
            double best = Double.NEGATIVE_INFINITY;
            if (t == 0) {
                for (int j = 0; j < k; j++) {
                    cur[j] = logPi[j] + lb[j];
                    best = Math.max(best, cur[j]);
                }
            } else {
                System.arraycopy(cur, 0, prev, 0, k);
                if (schedule != null) { // log A_tᵀ of this step
                    schedule.transition(s, t, at, 0);
                    for (int i = 0; i < k; i++) {
                        for (int j = 0; j < k; j++) {
                            logAt[j * k + i] = Math.log(at[i * k + j]);
                        }
                    }
                }
                int bp = t * k;
                for (int j = 0; j < k; j++) {
                    int col = j * k;
                    double m = Double.NEGATIVE_INFINITY;
                    int arg = 0;
                    for (int i = 0; i < k; i++) {
                        double c = prev[i] + logAt[col + i];
                        if (c > m) {
                            m = c;
                            arg = i;
                        }
                    }
                    backpointers[bp + j] = arg;
                    cur[j] = m + lb[j];
                    best = Math.max(best, cur[j]);
                }
            }
            if (best == Double.NEGATIVE_INFINITY || Double.isNaN(best)) {
                throw new NumericalException("sequence '" + s.id() + "', step " + t
                        + ": no hidden path has positive probability");
            }
        }
        int[] path = new int[n];
        int arg = 0;
        for (int j = 1; j < k; j++) {
            if (cur[j] > cur[arg]) {
                arg = j;
            }
        }
        double logProbability = cur[arg];
        path[n - 1] = arg;
        for (int t = n - 1; t > 0; t--) {
            path[t - 1] = backpointers[t * k + path[t]];
        }
        return new DecodedPath(path, logProbability);
    }

    /**
     * A path drawn from p(s_0..s_{T-1} | o) by forward-filter backward-sample, using the filter of the
     * last {@link #forward} or {@link #smooth}: s_{T-1} ~ α̂_{T-1}, then s_t ~ α̂_t(i) A_{i, s_{t+1}}.
     */
    public int[] samplePath(RandomGenerator random) {
        requireForward();
        int[] path = new int[length];
        if (length == 0) {
            return path;
        }
        int last = (length - 1) * k;
        path[length - 1] = ForwardStep.draw(filtered, last, k, random);
        for (int t = length - 2; t >= 0; t--) {
            path[t] = ForwardStep.sampleBack(filtered, t * k, a, (t + 1) * stride, k, path[t + 1], v, random);
        }
        return path;
    }

    /** {@code count} paths drawn by {@link #samplePath} after one {@link #forward} pass over {@code s}. */
    public org.statespace.capability.PosteriorDraws samplePaths(Sequence s, int count, RandomGenerator random) {
        org.statespace.capability.PosteriorDraws.requireCount(count);
        forward(s);
        int[][] paths = new int[count][];
        for (int d = 0; d < count; d++) {
            paths[d] = samplePath(random);
        }
        return org.statespace.capability.PosteriorDraws.paths(s.length(), paths);
    }

    private void requireForward() {
        if (sequence == null) {
            throw new IllegalStateException("run forward or smooth first");
        }
    }

    private void requireSmoothed() {
        if (!smoothed) {
            throw new IllegalStateException("run smooth first");
        }
    }

    /** T of the sequence last filtered. */
    public int length() {
        requireForward();
        return length;
    }

    /** The log-likelihood of the sequence last filtered. */
    public double lastLogLikelihood() {
        requireForward();
        return logLikelihood;
    }

    /** p(s_t = j | o_0..o_{t-1}), the predicted belief h_t. */
    public double predicted(int t, int j) {
        requireForward();
        checkStep(t);
        return predicted[t * k + j];
    }

    /** p(s_t = j | o_0..o_t). */
    public double filtered(int t, int j) {
        requireForward();
        checkStep(t);
        return filtered[t * k + j];
    }

    /** p(s_t = j | o_0..o_{T-1}). */
    public double posterior(int t, int j) {
        requireSmoothed();
        checkStep(t);
        return posterior[t * k + j];
    }

    /** p(s_t = i, s_{t+1} = j | o_0..o_{T-1}) for 0 &lt;= t &lt; T-1. */
    public double twoSlice(int t, int i, int j) {
        requireSmoothed();
        if (t < 0 || t >= length - 1) {
            throw new IndexOutOfBoundsException("two-slice marginals exist for steps 0.." + (length - 2) + ", got " + t);
        }
        int after = (t + 1) * k;
        return filtered[t * k + i] * a[(t + 1) * stride + i * k + j] * densities[after + j] * backward[after + j]
                / scales[t + 1];
    }

    private void checkStep(int t) {
        if (t < 0 || t >= length) {
            throw new IndexOutOfBoundsException("step " + t + " outside 0.." + (length - 1));
        }
    }

    /** The predicted beliefs h_0..h_{T-1} (T×K, a copy). */
    public double[] predictedProbabilities() {
        requireForward();
        return Arrays.copyOf(predicted, length * k);
    }

    /** The filtered probabilities (T×K, a copy). */
    public double[] filteredProbabilities() {
        requireForward();
        return Arrays.copyOf(filtered, length * k);
    }

    /** The posterior marginals γ (T×K, a copy). */
    public double[] posteriorProbabilities() {
        requireSmoothed();
        return Arrays.copyOf(posterior, length * k);
    }

    /** The two-slice marginals ξ_0..ξ_{T-2} ((T-1)×K×K packed, a copy). */
    public double[] twoSliceMarginals() {
        requireSmoothed();
        double[] out = new double[Math.max(0, length - 1) * k * k];
        for (int t = 0; t < length - 1; t++) {
            int after = (t + 1) * k;
            double inv = 1 / scales[t + 1];
            for (int j = 0; j < k; j++) {
                v[j] = densities[after + j] * backward[after + j] * inv;
            }
            for (int i = 0; i < k; i++) {
                double ai = filtered[t * k + i];
                for (int j = 0; j < k; j++) {
                    out[(t * k + i) * k + j] = ai * a[(t + 1) * stride + i * k + j] * v[j];
                }
            }
        }
        return out;
    }
}
