package org.statespace.hsmm;

import java.util.Arrays;

import org.statespace.NumericalException;
import org.statespace.capability.DecodedPath;
import org.statespace.data.Sequence;
import org.statespace.hmm.EmissionModel;
import org.statespace.hmm.StateRecursions;
import org.statespace.numeric.Randoms;

/**
 * The whole-sequence kernels of an explicit-duration HMM over its expanded chain (M slots, sparse
 * transition): the scaled forward filter, the scaled backward pass, posterior marginals, the E-step and
 * Viterbi, each O(T·(M + K²)). Memory O(T·M). One per thread; reusable across sequences.
 *
 * <pre>
 *   α̂_t(m) = p(x_t = m | o_0..o_t)                    c_t = Σ_m (α̂_{t-1} P)(m) b̃_t(k(m))
 *   β̂_t(m) = Σ_m' P(m, m') b̃_{t+1}(k(m')) β̂_{t+1}(m') / c_{t+1},   β̂_{T-1} = 1
 *   γ_t(m) = α̂_t(m) β̂_t(m)
 * </pre>
 * with b̃_t = b_t / max_k b_t(k) (the max is added back into the log-likelihood), and a missing
 * observation scored as b = 1.
 */
final class SemiMarkovKernels implements StateRecursions {
    private final HiddenSemiMarkovModel model;
    private final int k;
    private final int m;
    private final EmissionModel.Workspace emission;
    private final double[] exit;
    private final double[] u;
    private final double[] enter;
    private int length;
    private Sequence sequence;
    private double[] alpha = new double[0];     // T×M filtered
    private double[] beta = new double[0];      // T×M
    private double[] densities = new double[0]; // T×K scaled
    private double[] normalizer = new double[0]; // T: c_t
    private boolean smoothed;

    SemiMarkovKernels(HiddenSemiMarkovModel model) {
        this.model = model;
        this.k = model.states;
        this.m = model.size;
        this.emission = model.emission.newWorkspace();
        exit = new double[k];
        u = new double[m];
        enter = new double[k];
    }

    private void ensure(int t) {
        if (alpha.length < t * m) {
            alpha = new double[t * m];
            beta = new double[t * m];
            normalizer = new double[t];
        }
        if (densities.length < t * k) {
            densities = new double[t * k];
        }
    }

    /** The scaled forward filter; returns log p(o). Throws when an observation is impossible. */
    @Override
    public double forward(Sequence s) {
        int n = s.length();
        ensure(n);
        length = n;
        sequence = s;
        smoothed = false;
        double ll = 0;
        double[] predicted = u;
        for (int t = 0; t < n; t++) {
            if (t == 0) {
                model.start(predicted);
            } else {
                model.propagate(alpha, (t - 1) * m, predicted, exit);
            }
            double max = HiddenSemiMarkovModel.scaledDensities(emission, s, t, densities, t * k, k);
            double c = 0;
            for (int i = 0; i < m; i++) {
                double a = predicted[i] * densities[t * k + model.owner[i]];
                alpha[t * m + i] = a;
                c += a;
            }
            if (max == Double.NEGATIVE_INFINITY || !(c > 0)) {
                throw new NumericalException("sequence '" + s.id() + "', step " + t
                        + ": the observation has probability zero under every state and duration");
            }
            double inv = 1 / c;
            for (int i = 0; i < m; i++) {
                alpha[t * m + i] *= inv;
            }
            normalizer[t] = c;
            ll += Math.log(c) + max;
        }
        return ll;
    }

    /** log p(o_0..o_{T-1}): the forward recursion (which keeps its arrays). */
    @Override
    public double logLikelihood(Sequence s) {
        return forward(s);
    }

    /** Forward and backward passes; returns log p(o). */
    @Override
    public double smooth(Sequence s) {
        double ll = forward(s);
        int n = length;
        Arrays.fill(beta, (n - 1) * m, n * m, 1);
        for (int t = n - 2; t >= 0; t--) {
            double inv = 1 / normalizer[t + 1];
            backwardWeights(t + 1);
            for (int i = 0; i < m; i++) {
                int own = model.owner[i];
                beta[t * m + i] = (model.stay[i] * u[model.next[i]] + model.hazard[i] * enter[own]) * inv;
            }
        }
        smoothed = true;
        return ll;
    }

    // u(m') = b̃_{t}(k(m')) β̂_t(m'); enter(k) = Σ_j A_kj u(entry j)
    private void backwardWeights(int t) {
        for (int i = 0; i < m; i++) {
            u[i] = densities[t * k + model.owner[i]] * beta[t * m + i];
        }
        for (int a = 0; a < k; a++) {
            double e = 0;
            for (int j = 0; j < k; j++) {
                e += model.transition[a * k + j] * u[model.entry[j]];
            }
            enter[a] = e;
        }
    }

    /**
     * A state path drawn from p(s | o) by backward sampling over the expanded chain, from the filter of
     * the last {@link #forward}: x_{T-1} ~ α̂_{T-1}, x_t ~ α̂_t(m) P(m, x_{t+1}) with
     * P(m, m') = stay(m) [next(m) = m'] + hazard(m) A_{k(m) k(m')} [m' = entry(k(m'))]. Returns the states k(x_t).
     */
    int[] samplePath(java.util.random.RandomGenerator random) {
        int n = length;
        int[] path = new int[n];
        if (n == 0) {
            return path;
        }
        double[] w = new double[m];
        int slot = Randoms.categorical(alpha, (n - 1) * m, m, random);
        path[n - 1] = model.owner[slot];
        for (int t = n - 2; t >= 0; t--) {
            int to = slot;
            int toState = model.owner[to];
            boolean isEntry = model.entry[toState] == to;
            double total = 0;
            for (int i = 0; i < m; i++) {
                double p = model.next[i] == to ? model.stay[i] : 0;
                if (isEntry) {
                    p += model.hazard[i] * model.transition[model.owner[i] * k + toState];
                }
                w[i] = alpha[t * m + i] * p;
                total += w[i];
            }
            for (int i = 0; i < m; i++) {
                w[i] /= total;
            }
            slot = Randoms.categorical(w, 0, m, random);
            path[t] = model.owner[slot];
        }
        return path;
    }

    /** p(s_t = k | o_0..o_t), T×K (fresh). */
    @Override
    public double[] filteredProbabilities() {
        return collapse(alpha, false);
    }

    /** p(s_t = k | o_0..o_{T-1}), T×K (fresh). */
    @Override
    public double[] posteriorProbabilities() {
        if (!smoothed) {
            throw new IllegalStateException("run smooth first");
        }
        return collapse(alpha, true);
    }

    private double[] collapse(double[] a, boolean withBeta) {
        double[] out = new double[length * k];
        for (int t = 0; t < length; t++) {
            for (int i = 0; i < m; i++) {
                double v = a[t * m + i] * (withBeta ? beta[t * m + i] : 1);
                out[t * k + model.owner[i]] += v;
            }
        }
        return out;
    }

    /** The E-step of one sequence into {@code st}; returns log p(o). */
    double expectation(Sequence s, SemiMarkovStatistics st) {
        double ll = smooth(s);
        int n = length;
        double[] weights = new double[k];
        for (int t = 0; t < n; t++) {
            Arrays.fill(weights, 0);
            for (int i = 0; i < m; i++) {
                weights[model.owner[i]] += alpha[t * m + i] * beta[t * m + i];
            }
            if (t == 0) {
                for (int a = 0; a < k; a++) {
                    st.initial[a] += weights[a];
                }
            }
            emission.accumulate(st.emission, s, t, weights, 0);
            if (t == n - 1) {
                for (int i = 0; i < m; i++) {
                    st.censored[i] += alpha[t * m + i] * beta[t * m + i];
                }
                continue;
            }
            for (int a = 0; a < k; a++) {
                st.occupancy[a] += weights[a];
            }
            // ends and transitions between t and t+1
            double inv = 1 / normalizer[t + 1];
            backwardWeights(t + 1);
            Arrays.fill(exit, 0);
            for (int i = 0; i < m; i++) {
                int own = model.owner[i];
                double x = alpha[t * m + i] * model.hazard[i] * inv;
                exit[own] += x;
                st.ends[i] += x * enter[own];
            }
            for (int a = 0; a < k; a++) {
                if (exit[a] == 0) {
                    continue;
                }
                for (int j = 0; j < k; j++) {
                    st.transitions[a * k + j] += exit[a] * model.transition[a * k + j] * u[model.entry[j]];
                }
            }
        }
        st.logLikelihood += ll;
        return ll;
    }

    /** The Viterbi path over the expanded chain, reported as states, with log p(s*, o). */
    @Override
    public DecodedPath viterbi(Sequence s) {
        int n = s.length();
        double[] delta = new double[m];
        double[] nextDelta = new double[m];
        int[] back = new int[n * m];
        double[] logB = new double[k];
        double[] bestExit = new double[k];
        int[] bestExitSlot = new int[k];
        double[] logStay = new double[m];
        double[] logHazard = new double[m];
        double[] logA = new double[k * k];
        for (int i = 0; i < m; i++) {
            logStay[i] = Math.log(model.stay[i]);
            logHazard[i] = Math.log(model.hazard[i]);
        }
        for (int i = 0; i < k * k; i++) {
            logA[i] = Math.log(model.transition[i]);
        }
        for (int t = 0; t < n; t++) {
            emission.logDensities(s, t, logB, 0);
            if (t == 0) {
                Arrays.fill(nextDelta, Double.NEGATIVE_INFINITY);
                for (int a = 0; a < k; a++) {
                    nextDelta[model.entry[a]] = Math.log(model.initial[a]);
                }
            } else {
                Arrays.fill(nextDelta, Double.NEGATIVE_INFINITY);
                Arrays.fill(bestExit, Double.NEGATIVE_INFINITY);
                for (int i = 0; i < m; i++) {
                    double v = delta[i] + logStay[i];
                    int to = model.next[i];
                    if (v > nextDelta[to]) {
                        nextDelta[to] = v;
                        back[t * m + to] = i;
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
                        if (v > nextDelta[to]) {
                            nextDelta[to] = v;
                            back[t * m + to] = bestExitSlot[a];
                        }
                    }
                }
            }
            for (int i = 0; i < m; i++) {
                nextDelta[i] += logB[model.owner[i]];
            }
            double[] swap = delta;
            delta = nextDelta;
            nextDelta = swap;
        }
        int best = 0;
        for (int i = 1; i < m; i++) {
            if (delta[i] > delta[best]) {
                best = i;
            }
        }
        if (!(delta[best] > Double.NEGATIVE_INFINITY)) {
            throw new NumericalException("sequence '" + s.id() + "': no state path has positive probability");
        }
        int[] path = new int[n];
        int slot = best;
        for (int t = n - 1; t >= 0; t--) {
            path[t] = model.owner[slot];
            if (t > 0) {
                slot = back[t * m + slot];
            }
        }
        return new DecodedPath(path, delta[best]);
    }
}
