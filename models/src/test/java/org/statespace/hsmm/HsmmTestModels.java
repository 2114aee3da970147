package org.statespace.hsmm;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.special.Gamma;
import org.apache.commons.math3.util.CombinatoricsUtils;

import org.statespace.data.Sequence;
import org.statespace.hmm.CategoricalEmission;
import org.statespace.hmm.EmissionModel;
import org.statespace.hmm.GaussianEmission;
import org.statespace.hmm.PoissonEmission;

/**
 * Tiny explicit-duration HMMs for the tests, and the brute force: every state path is enumerated (its
 * segmentation follows from it, as no state follows itself) with duration probabilities from Commons Math
 * (Poisson, log-gamma for the negative binomial, the closed form of the geometric) and emission densities
 * from Commons Math (normal, Poisson) or read off the categorical matrix.
 */
final class HsmmTestModels {
    private HsmmTestModels() {
    }

    enum Emissions { CATEGORICAL, GAUSSIAN, POISSON }

    /** A random model of K states with the given durations (cycled over the states). */
    static HiddenSemiMarkovModel random(RandomGenerator r, int k, int maxDuration, Emissions kind, String... durationTypes) {
        double[] initial = randomRow(r, k, -1);
        double[][] a = new double[k][];
        for (int i = 0; i < k; i++) {
            a[i] = randomRow(r, k, i);
        }
        List<Duration> durations = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            String type = durationTypes[i % durationTypes.length];
            durations.add(switch (type) {
                case "poisson" -> new Duration.Poisson(0.3 + 3 * r.nextDouble());
                case "negative-binomial" -> new Duration.NegativeBinomial(0.5 + 3 * r.nextDouble(), 0.2 + 0.7 * r.nextDouble());
                case "table" -> new Duration.Table(randomRow(r, 1 + r.nextInt(maxDuration), -1));
                default -> new Duration.Geometric(0.1 + 0.8 * r.nextDouble());
            });
        }
        EmissionModel e = switch (kind) {
            case CATEGORICAL -> {
                double[][] b = new double[k][];
                for (int i = 0; i < k; i++) {
                    b[i] = randomRow(r, 3, -1);
                }
                yield CategoricalEmission.of(b);
            }
            case GAUSSIAN -> {
                double[] means = new double[k];
                double[] variances = new double[k];
                for (int i = 0; i < k; i++) {
                    means[i] = 3 * r.nextGaussian();
                    variances[i] = 0.3 + 2 * r.nextDouble();
                }
                yield GaussianEmission.univariate(means, variances);
            }
            default -> {
                double[][] rates = new double[k][1];
                for (int i = 0; i < k; i++) {
                    rates[i][0] = 0.5 + 6 * r.nextDouble();
                }
                yield PoissonEmission.of(rates);
            }
        };
        return HiddenSemiMarkovModel.of(List.of(), initial, a, durations, maxDuration, e);
    }

    /** Entries bounded away from 0, summing to 1; entry {@code zero} is 0. */
    static double[] randomRow(RandomGenerator r, int n, int zero) {
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = i == zero ? 0 : 0.2 + r.nextDouble();
            sum += p[i];
        }
        for (int i = 0; i < n; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** A sampled sequence with about a fifth of the steps missing. */
    static Sequence withGaps(HiddenSemiMarkovModel model, String id, int length, RandomGenerator random) {
        Sequence s = model.sampleWithStates(id, length, null, random);
        double[] y = s.observations();
        for (int t = 0; t < length; t++) {
            if (random.nextInt(5) == 0) {
                y[t] = Double.NaN;
            }
        }
        return Sequence.of(id, 1, y);
    }

    // ----------------------------------------------------------------------------------------------
    // brute force

    record Enumeration(double logLikelihood, double[][] posterior, int[] viterbiPath, double viterbiLogProbability) {
    }

    static double density(EmissionModel e, int k, Sequence s, int t) {
        if (s.isMissing(t)) {
            return 1;
        }
        double y = s.value(t, 0);
        if (e instanceof CategoricalEmission c) {
            return c.probabilities()[k][(int) y];
        }
        if (e instanceof GaussianEmission g) {
            return new NormalDistribution(null, g.mean(k)[0], Math.sqrt(g.covariance(k)[0][0])).density(y);
        }
        double rate = ((PoissonEmission) e).rates()[k][0];
        return new PoissonDistribution(null, rate, PoissonDistribution.DEFAULT_EPSILON,
                PoissonDistribution.DEFAULT_MAX_ITERATIONS).probability((int) y);
    }

    /** p(d) of the truncated-folded duration (any d ≥ 1; 0 beyond the support). */
    static double pmf(Duration duration, int maxDuration, int d) {
        if (duration instanceof Duration.Geometric g) {
            return Math.pow(1 - g.probability(), d - 1) * g.probability();
        }
        if (duration instanceof Duration.Table t) {
            return d <= t.values().length ? t.values()[d - 1] : 0;
        }
        if (d > maxDuration) {
            return 0;
        }
        if (d == maxDuration) {
            double below = 0;
            for (int x = 1; x < maxDuration; x++) {
                below += untruncated(duration, x);
            }
            return 1 - below;
        }
        return untruncated(duration, d);
    }

    private static double untruncated(Duration duration, int d) {
        int x = d - 1;
        if (duration instanceof Duration.Poisson p) {
            return new PoissonDistribution(null, p.rate(), PoissonDistribution.DEFAULT_EPSILON,
                    PoissonDistribution.DEFAULT_MAX_ITERATIONS).probability(x);
        }
        Duration.NegativeBinomial nb = (Duration.NegativeBinomial) duration;
        double r = nb.size();
        double q = nb.probability();
        return Math.exp(Gamma.logGamma(x + r) - Gamma.logGamma(r) - CombinatoricsUtils.factorialLog(x)
                + r * Math.log(q) + x * Math.log(1 - q));
    }

    /** P(duration ≥ d). */
    static double survival(Duration duration, int maxDuration, int d) {
        if (duration instanceof Duration.Geometric g) {
            return Math.pow(1 - g.probability(), d - 1);
        }
        double s = 0;
        for (int x = d; x <= maxDuration; x++) {
            s += pmf(duration, maxDuration, x);
        }
        return s;
    }

    /** p(path, o) by its segments: π, durations (the last one censored), transitions, emissions. */
    static double joint(HiddenSemiMarkovModel model, int[] path, Sequence s) {
        double p = model.initial()[path[0]];
        double[][] a = model.transitionMatrix();
        int start = 0;
        int n = path.length;
        for (int t = 0; t < n; t++) {
            p *= density(model.emissionModel(), path[t], s, t);
        }
        for (int t = 1; t <= n; t++) {
            if (t == n || path[t] != path[start]) {
                Duration d = model.durations().get(path[start]);
                int length = t - start;
                if (t == n) {
                    p *= survival(d, model.maxDuration(), length);
                } else {
                    p *= pmf(d, model.maxDuration(), length) * a[path[start]][path[t]];
                    start = t;
                }
            }
        }
        return p;
    }

    static Enumeration enumerate(HiddenSemiMarkovModel model, Sequence s) {
        int k = model.stateCount();
        int n = s.length();
        int[] path = new int[n];
        double total = 0;
        double[][] posterior = new double[n][k];
        double best = -1;
        int[] bestPath = null;
        int count = (int) Math.pow(k, n);
        for (int code = 0; code < count; code++) {
            int c = code;
            for (int t = 0; t < n; t++) {
                path[t] = c % k;
                c /= k;
            }
            double p = joint(model, path, s);
            total += p;
            for (int t = 0; t < n; t++) {
                posterior[t][path[t]] += p;
            }
            if (p > best) {
                best = p;
                bestPath = path.clone();
            }
        }
        for (double[] row : posterior) {
            for (int j = 0; j < k; j++) {
                row[j] /= total;
            }
        }
        return new Enumeration(Math.log(total), posterior, bestPath, Math.log(best));
    }
}
