package org.statespace.hsmm;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import org.statespace.NumericalException;
import org.statespace.data.Sequence;
import org.statespace.hmm.EmissionModel;
import org.statespace.numeric.Randoms;

/**
 * One step of each recursion of an explicit-duration HMM over its expanded chain (M slots, K states): the scaled
 * forward step, the scaled backward step, a step's expected statistics, its posterior, the Viterbi step and a step
 * of backward sampling. The
 * whole-sequence kernels ({@link SemiMarkovKernels}, every step's α̂, β̂ and b̃ in T×M and T×K arrays) and the
 * spilled ones ({@link SpilledSemiMarkov}, a step's α̂, b̃, c and o in a record on disk) both call these, so
 * their numbers are the same in the same order of operations, bit for bit. Each step reads and writes the
 * caller's arrays at the offsets given, so a caller may pass one array as input and output (the step reads all
 * it needs into its own workspace first). Workspaces allocated once, O(M + K²); one per thread.
 *
 * <pre>
 *   forward:   α̃_t = (α̂_{t-1} P) ⊙ b̃_t(k(·)),   c_t = Σ_m α̃_t(m),   α̂_t = α̃_t / c_t     (α̂_{-1} P := π at entries)
 *   backward:  u(m') = b̃_{t+1}(k(m')) β̂_{t+1}(m'),   enter(k) = Σ_j A_kj u(entry j),
 *              β̂_t(m) = (stay(m) u(next(m)) + hazard(m) enter(k(m))) / c_{t+1}
 *   Viterbi:   δ_t(m') = max_m [δ_{t-1}(m) + log P(m, m')] + log b_t(k(m'))
 * </pre>
 */
final class SemiMarkovStep {
    private final HiddenSemiMarkovModel model;
    private final int k;
    private final int m;
    private final EmissionModel.Workspace emission;
    private final double[] predicted; // M
    private final double[] exit;      // K
    private final double[] u;         // M: of the last backward step
    private final double[] enter;     // K: of the last backward step
    private final double[] weights;   // K
    private double[] drawWeights;     // M: backward sampling's, allocated when first needed
    private double normalizer;
    // Viterbi
    private double[] logB;
    private double[] bestExit;
    private int[] bestExitSlot;
    private double[] logStay;
    private double[] logHazard;
    private double[] logA;

    SemiMarkovStep(HiddenSemiMarkovModel model) {
        this.model = model;
        this.k = model.states;
        this.m = model.size;
        this.emission = model.emission.newWorkspace();
        predicted = new double[m];
        exit = new double[k];
        u = new double[m];
        enter = new double[k];
        weights = new double[k];
    }

    /** The emission workspace these steps score with. */
    EmissionModel.Workspace emission() {
        return emission;
    }

    /**
     * The forward step of t: α̂_t into {@code alpha[to .. to+M)} from α̂_{t-1} in {@code previous[from ..]}
     * (ignored at t = 0, which starts from π), b̃_t into {@code densities[at .. at+K)}. Returns log c_t + the
     * densities' shift (the step's log-likelihood term); c_t is {@link #normalizer()}.
     *
     * @throws NumericalException naming sequence {@code id} and step t when o_t is impossible
     */
    double forward(String id, Sequence s, int t, double[] previous, int from, double[] densities, int at,
            double[] alpha, int to) {
        if (t == 0) {
            model.start(predicted);
        } else {
            model.propagate(previous, from, predicted, exit);
        }
        double max = HiddenSemiMarkovModel.scaledDensities(emission, s, t, densities, at, k);
        double c = 0;
        for (int i = 0; i < m; i++) {
            double a = predicted[i] * densities[at + model.owner[i]];
            alpha[to + i] = a;
            c += a;
        }
        if (max == Double.NEGATIVE_INFINITY || !(c > 0)) {
            throw new NumericalException("sequence '" + id + "', step " + t
                    + ": the observation has probability zero under every state and duration");
        }
        double inv = 1 / c;
        for (int i = 0; i < m; i++) {
            alpha[to + i] *= inv;
        }
        normalizer = c;
        return Math.log(c) + max;
    }

    /** c_t of the last {@link #forward}. */
    double normalizer() {
        return normalizer;
    }

    /**
     * The backward step of t &lt; T-1: β̂_t into {@code beta[to .. to+M)} from β̂_{t+1} in {@code after[from ..]},
     * b̃_{t+1} in {@code densities[at ..]} and c_{t+1} ({@code scaleAfter}); keeps u and enter of step t+1 for
     * {@link #statistics}.
     */
    void backward(double[] densities, int at, double[] after, int from, double scaleAfter, double[] beta, int to) {
        double inv = 1 / scaleAfter;
        for (int i = 0; i < m; i++) {
            u[i] = densities[at + model.owner[i]] * after[from + i];
        }
        for (int a = 0; a < k; a++) {
            double e = 0;
            for (int j = 0; j < k; j++) {
                e += model.transition[a * k + j] * u[model.entry[j]];
            }
            enter[a] = e;
        }
        for (int i = 0; i < m; i++) {
            int own = model.owner[i];
            beta[to + i] = (model.stay[i] * u[model.next[i]] + model.hazard[i] * enter[own]) * inv;
        }
    }

    /**
     * Adds step t's expected counts into {@code st}: its state weights γ_t (initial counts at t = 0, emission
     * statistics of o_t, which is {@code s} at {@code index}), then for the last step the censored slots, else
     * occupancy, segment ends and transitions between t and t+1 (from u and enter of the {@link #backward} of t and
     * c_{t+1} = {@code scaleAfter}). α̂_t at {@code alpha[a ..]}, β̂_t at {@code beta[b ..]}.
     */
    void statistics(SemiMarkovStatistics st, Sequence s, int index, boolean first, boolean last, double[] alpha, int a,
            double[] beta, int b, double scaleAfter) {
        Arrays.fill(weights, 0);
        for (int i = 0; i < m; i++) {
            weights[model.owner[i]] += alpha[a + i] * beta[b + i];
        }
        if (first) {
            for (int j = 0; j < k; j++) {
                st.initial[j] += weights[j];
            }
        }
        emission.accumulate(st.emission, s, index, weights, 0);
        if (last) {
            for (int i = 0; i < m; i++) {
                st.censored[i] += alpha[a + i] * beta[b + i];
            }
            return;
        }
        for (int j = 0; j < k; j++) {
            st.occupancy[j] += weights[j];
        }
        // ends and transitions between t and t+1
        double inv = 1 / scaleAfter;
        Arrays.fill(exit, 0);
        for (int i = 0; i < m; i++) {
            int own = model.owner[i];
            double x = alpha[a + i] * model.hazard[i] * inv;
            exit[own] += x;
            st.ends[i] += x * enter[own];
        }
        for (int from = 0; from < k; from++) {
            if (exit[from] == 0) {
                continue;
            }
            for (int j = 0; j < k; j++) {
                st.transitions[from * k + j] += exit[from] * model.transition[from * k + j] * u[model.entry[j]];
            }
        }
    }

    /** p(s_t = k | o_0..o_{T-1}) = Σ_{m of k} α̂_t(m) β̂_t(m) into {@code out[o .. o+K)}. */
    void posterior(double[] alpha, int a, double[] beta, int b, double[] out, int o) {
        Arrays.fill(out, o, o + k, 0);
        for (int i = 0; i < m; i++) {
            out[o + model.owner[i]] += alpha[a + i] * beta[b + i];
        }
    }

    /**
     * The last slot of a path drawn from p(x | o) by backward sampling: x_{T-1} ~ α̂_{T-1}, with α̂_{T-1} at
     * {@code filtered[at .. at+M)}. One {@code random.nextDouble()}.
     */
    int sampleLast(double[] filtered, int at, RandomGenerator random) {
        return Randoms.categorical(filtered, at, m, random);
    }

    /**
     * One step of backward sampling over the expanded chain, the kernel of the in-memory sampler
     * ({@link SemiMarkovKernels#samplePath}) and of the spilled one ({@link SpilledSemiMarkov#samplePosterior}):
     * the slot x_t ~ α̂_t(m) P(m, x_{t+1}) with α̂_t at {@code filtered[at .. at+M)}, x_{t+1} = {@code to} and
     * P(m, m') = stay(m) [next(m) = m'] + hazard(m) A_{k(m) k(m')} [m' = entry(k(m'))]. One
     * {@code random.nextDouble()}.
     */
    int sampleBack(double[] filtered, int at, int to, RandomGenerator random) {
        if (drawWeights == null) {
            drawWeights = new double[m];
        }
        double[] w = drawWeights;
        int toState = model.owner[to];
        boolean isEntry = model.entry[toState] == to;
        double total = 0;
        for (int i = 0; i < m; i++) {
            double p = model.next[i] == to ? model.stay[i] : 0;
            if (isEntry) {
                p += model.hazard[i] * model.transition[model.owner[i] * k + toState];
            }
            w[i] = filtered[at + i] * p;
            total += w[i];
        }
        for (int i = 0; i < m; i++) {
            w[i] /= total;
        }
        return Randoms.categorical(w, 0, m, random);
    }

    /**
     * The Viterbi step of t: δ_t into {@code next} from δ_{t-1} in {@code delta} (ignored at t = 0), the slot each
     * slot of step t came from into {@code back[at .. at+M)} (0 where none, and at t = 0). Ties go to the smaller
     * slot, a continuation before an entry.
     */
    void viterbi(Sequence s, int t, double[] delta, double[] next, int[] back, int at) {
        if (logB == null) {
            logTables();
        }
        emission.logDensities(s, t, logB, 0);
        Arrays.fill(back, at, at + m, 0);
        Arrays.fill(next, Double.NEGATIVE_INFINITY);
        if (t == 0) {
            for (int a = 0; a < k; a++) {
                next[model.entry[a]] = Math.log(model.initial[a]);
            }
        } else {
            Arrays.fill(bestExit, Double.NEGATIVE_INFINITY);
            for (int i = 0; i < m; i++) {
                double v = delta[i] + logStay[i];
                int to = model.next[i];
                if (v > next[to]) {
                    next[to] = v;
                    back[at + to] = i;
                }
                int own = model.owner[i];
                double x = delta[i] + logHazard[i];
                if (x > bestExit[own]) {
                    bestExit[own] = x;
                    bestExitSlot[own] = i;
                }
            }
            for (int j = 0; j < k; j++) {
                int to = model.entry[j];
                for (int a = 0; a < k; a++) {
                    double v = bestExit[a] + logA[a * k + j];
                    if (v > next[to]) {
                        next[to] = v;
                        back[at + to] = bestExitSlot[a];
                    }
                }
            }
        }
        for (int i = 0; i < m; i++) {
            next[i] += logB[model.owner[i]];
        }
    }

    /**
     * The slot where the last δ is largest (the smaller on ties): the end of the Viterbi path.
     *
     * @throws NumericalException naming sequence {@code id} when no path has positive probability
     */
    int bestLast(String id, double[] delta) {
        int best = 0;
        for (int i = 1; i < m; i++) {
            if (delta[i] > delta[best]) {
                best = i;
            }
        }
        if (!(delta[best] > Double.NEGATIVE_INFINITY)) {
            throw new NumericalException("sequence '" + id + "': no state path has positive probability");
        }
        return best;
    }

    private void logTables() {
        logB = new double[k];
        bestExit = new double[k];
        bestExitSlot = new int[k];
        logStay = new double[m];
        logHazard = new double[m];
        logA = new double[k * k];
        for (int i = 0; i < m; i++) {
            logStay[i] = Math.log(model.stay[i]);
            logHazard[i] = Math.log(model.hazard[i]);
        }
        for (int i = 0; i < k * k; i++) {
            logA[i] = Math.log(model.transition[i]);
        }
    }
}
