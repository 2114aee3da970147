package org.statespace.hmm;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.distribution.MultivariateNormalDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.PoissonDistribution;

import org.statespace.data.Sequence;

/**
 * Exact answers for tiny HMMs by enumerating every hidden path, with emission densities computed
 * independently of the family's code (Commons Math's normal, multivariate normal and Poisson
 * distributions on the marginal of the observed components; categorical entries read off the matrix).
 */
final class BruteForce {
    private BruteForce() {
    }

    /** Everything enumeration gives for one sequence. */
    record Enumeration(double logLikelihood, double[][] filtered, double[][] posterior, double[][][] twoSlice,
            int[] viterbiPath, double viterbiLogProbability) {
    }

    /** b_k(o_t) for every step and state (1 for a missing step). */
    static double[][] densities(HiddenMarkovModel model, Sequence s) {
        int k = model.stateCount();
        double[][] b = new double[s.length()][k];
        for (int t = 0; t < s.length(); t++) {
            for (int j = 0; j < k; j++) {
                b[t][j] = density(model.emissionModel(), j, s, t);
            }
        }
        return b;
    }

    static double density(EmissionModel e, int state, Sequence s, int t) {
        int d = s.dimension();
        List<Integer> observed = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            if (!Double.isNaN(s.value(t, j))) {
                observed.add(j);
            }
        }
        if (observed.isEmpty()) {
            return 1;
        }
        if (e instanceof CategoricalEmission c) {
            return c.probability(state, (int) s.value(t, 0));
        }
        if (e instanceof GaussianEmission g) {
            return normal(s, t, observed, g.mean(state), g.covariance(state));
        }
        if (e instanceof GaussianMixtureEmission g) {
            double p = 0;
            for (int c = 0; c < g.componentCount(); c++) {
                p += g.weight(state, c) * normal(s, t, observed, g.mean(state, c), g.covariance(state, c));
            }
            return p;
        }
        PoissonEmission p = (PoissonEmission) e;
        double prob = 1;
        for (int j : observed) {
            prob *= new PoissonDistribution(null, p.rate(state, j), PoissonDistribution.DEFAULT_EPSILON,
                    PoissonDistribution.DEFAULT_MAX_ITERATIONS).probability((int) s.value(t, j));
        }
        return prob;
    }

    private static double normal(Sequence s, int t, List<Integer> observed, double[] mean, double[][] cov) {
        int n = observed.size();
        double[] y = new double[n];
        double[] mu = new double[n];
        double[][] sub = new double[n][n];
        for (int a = 0; a < n; a++) {
            y[a] = s.value(t, observed.get(a));
            mu[a] = mean[observed.get(a)];
            for (int b = 0; b < n; b++) {
                sub[a][b] = cov[observed.get(a)][observed.get(b)];
            }
        }
        if (n == 1) {
            return new NormalDistribution(null, mu[0], Math.sqrt(sub[0][0])).density(y[0]);
        }
        return new MultivariateNormalDistribution(null, mu, sub).density(y);
    }

    /** Enumerates all K^T paths. */
    static Enumeration enumerate(HiddenMarkovModel model, Sequence s) {
        int k = model.stateCount();
        int n = s.length();
        double[][] b = densities(model, s);
        double[] pi = model.initial();
        double[][] a = model.transitionMatrix();
        double total = 0;
        double[][] posterior = new double[n][k];
        double[][][] twoSlice = new double[Math.max(0, n - 1)][k][k];
        double best = -1;
        int[] bestPath = null;
        int[] path = new int[n];
        long count = (long) Math.pow(k, n);
        for (long code = 0; code < count; code++) {
            long rest = code;
            for (int t = n - 1; t >= 0; t--) {   // lexicographic order: path[0] most significant
                path[t] = (int) (rest % k);
                rest /= k;
            }
            double p = pi[path[0]] * b[0][path[0]];
            for (int t = 1; t < n; t++) {
                p *= a[path[t - 1]][path[t]] * b[t][path[t]];
            }
            total += p;
            for (int t = 0; t < n; t++) {
                posterior[t][path[t]] += p;
                if (t < n - 1) {
                    twoSlice[t][path[t]][path[t + 1]] += p;
                }
            }
            if (p > best) {
                best = p;
                bestPath = path.clone();
            }
        }
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < k; j++) {
                posterior[t][j] /= total;
                if (t < n - 1) {
                    for (int i = 0; i < k; i++) {
                        twoSlice[t][j][i] /= total;
                    }
                }
            }
        }
        double[][] filtered = new double[n][];
        for (int t = 0; t < n; t++) {
            filtered[t] = filteredAt(pi, a, b, t, k);
        }
        return new Enumeration(Math.log(total), filtered, posterior, twoSlice, bestPath, Math.log(best));
    }

    // p(s_t | o_0..o_t) by enumerating the paths of length t+1
    private static double[] filteredAt(double[] pi, double[][] a, double[][] b, int t, int k) {
        double[] out = new double[k];
        int[] path = new int[t + 1];
        long count = (long) Math.pow(k, t + 1);
        double total = 0;
        for (long code = 0; code < count; code++) {
            long rest = code;
            for (int u = 0; u <= t; u++) {
                path[u] = (int) (rest % k);
                rest /= k;
            }
            double p = pi[path[0]] * b[0][path[0]];
            for (int u = 1; u <= t; u++) {
                p *= a[path[u - 1]][path[u]] * b[u][path[u]];
            }
            out[path[t]] += p;
            total += p;
        }
        for (int j = 0; j < k; j++) {
            out[j] /= total;
        }
        return out;
    }
}
