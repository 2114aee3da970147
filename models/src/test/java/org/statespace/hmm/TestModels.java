package org.statespace.hmm;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.statespace.data.Sequence;

/** Tiny HMMs of every emission type, random ones for properties, and sequences with missing values. */
final class TestModels {
    private TestModels() {
    }

    static final double[] PI2 = {0.6, 0.4};
    static final double[][] A2 = {{0.7, 0.3}, {0.2, 0.8}};
    static final double[] PI3 = {0.5, 0.3, 0.2};
    static final double[][] A3 = {{0.8, 0.15, 0.05}, {0.1, 0.7, 0.2}, {0.25, 0.25, 0.5}};

    static List<HiddenMarkovModel> categorical() {
        return List.of(
                HiddenMarkovModel.of(List.of("healthy", "fever"), PI2, A2,
                        CategoricalEmission.of(List.of("normal", "cold", "dizzy"),
                                new double[][] {{0.5, 0.4, 0.1}, {0.1, 0.3, 0.6}})),
                HiddenMarkovModel.of(PI3, A3, CategoricalEmission.of(new double[][] {
                    {0.4, 0.3, 0.2, 0.1}, {0.05, 0.15, 0.3, 0.5}, {0.25, 0.35, 0.3, 0.1}})));
    }

    static List<HiddenMarkovModel> gaussian() {
        return List.of(
                HiddenMarkovModel.of(PI3, A3, GaussianEmission.univariate(new double[] {-1, 0.5, 2.5},
                        new double[] {0.5, 1.2, 0.8})),
                HiddenMarkovModel.of(PI2, A2, GaussianEmission.full(new double[][] {{0, 0}, {1.5, -0.5}},
                        new double[][][] {{{1, 0.3}, {0.3, 0.8}}, {{0.6, -0.2}, {-0.2, 1.4}}})),
                HiddenMarkovModel.of(PI3, A3, GaussianEmission.diagonal(new double[][] {{0, 1}, {1, -1}, {-1, 0.5}},
                        new double[][] {{0.5, 1}, {1.5, 0.7}, {0.9, 0.4}})),
                HiddenMarkovModel.of(PI2, A2, GaussianEmission.spherical(new double[][] {{0, 0, 1}, {1, 2, -1}},
                        new double[] {0.7, 1.6})),
                HiddenMarkovModel.of(PI3, A3, GaussianEmission.tied(new double[][] {{0, 0}, {2, 1}, {-1, 1.5}},
                        new double[][] {{1.1, 0.4}, {0.4, 0.9}})));
    }

    static List<HiddenMarkovModel> mixture() {
        return List.of(
                HiddenMarkovModel.of(PI2, A2, GaussianMixtureEmission.diagonal(
                        new double[][] {{0.3, 0.7}, {0.6, 0.4}},
                        new double[][][] {{{-2}, {0.5}}, {{1.5}, {3}}},
                        new double[][][] {{{0.6}, {1.1}}, {{0.4}, {0.9}}})),
                HiddenMarkovModel.of(PI2, A2, GaussianMixtureEmission.diagonal(
                        new double[][] {{0.5, 0.5}, {0.2, 0.8}},
                        new double[][][] {{{0, 0}, {1, 1}}, {{3, 2}, {2, 3}}},
                        new double[][][] {{{1, 0.5}, {0.5, 0.7}}, {{0.8, 1.2}, {1.3, 0.6}}})),
                HiddenMarkovModel.of(PI3, A3, GaussianMixtureEmission.full(
                        new double[][] {{0.5, 0.3, 0.2}, {0.1, 0.6, 0.3}, {0.4, 0.4, 0.2}},
                        new double[][][] {{{0, 0}, {1, 0}, {0, 1}}, {{2, 2}, {3, 1}, {1, 3}}, {{-1, -1}, {-2, 0}, {0, -2}}},
                        new double[][][][] {
                            {{{1, 0.2}, {0.2, 1}}, {{0.5, 0}, {0, 0.5}}, {{0.8, -0.1}, {-0.1, 0.6}}},
                            {{{1.2, 0.3}, {0.3, 0.9}}, {{0.7, 0.1}, {0.1, 0.7}}, {{0.6, 0}, {0, 1.1}}},
                            {{{0.9, -0.3}, {-0.3, 1}}, {{1, 0}, {0, 1}}, {{0.5, 0.2}, {0.2, 0.5}}}})));
    }

    static List<HiddenMarkovModel> poisson() {
        return List.of(
                HiddenMarkovModel.of(PI3, A3, PoissonEmission.of(new double[][] {{0.5}, {3}, {9}})),
                HiddenMarkovModel.of(PI2, A2, PoissonEmission.of(new double[][] {{1, 4}, {6, 0.7}})));
    }

    static List<HiddenMarkovModel> all() {
        List<HiddenMarkovModel> out = new ArrayList<>();
        out.addAll(categorical());
        out.addAll(gaussian());
        out.addAll(mixture());
        out.addAll(poisson());
        return out;
    }

    /**
     * A sampled sequence of the given length with about a fifth of the steps missing and, for vectors,
     * a fifth of the remaining components missing too.
     */
    static Sequence withGaps(HiddenMarkovModel model, String id, int length, RandomGenerator random) {
        Sequence s = model.sampleWithStates(id, length, null, random);
        int d = s.dimension();
        double[] y = s.observations();
        for (int t = 0; t < length; t++) {
            if (random.nextInt(5) == 0) {
                for (int j = 0; j < d; j++) {
                    y[t * d + j] = Double.NaN;
                }
            } else if (d > 1) {
                for (int j = 0; j < d; j++) {
                    if (random.nextInt(5) == 0) {
                        y[t * d + j] = Double.NaN;
                    }
                }
            }
        }
        return Sequence.of(id, d, y);
    }

    /** A random stochastic vector with entries bounded away from 0. */
    static double[] randomProbabilities(RandomGenerator random, int n) {
        double[] p = new double[n];
        double s = 0;
        for (int i = 0; i < n; i++) {
            p[i] = 0.1 + random.nextDouble();
            s += p[i];
        }
        for (int i = 0; i < n; i++) {
            p[i] /= s;
        }
        return p;
    }

    static double[][] randomStochastic(RandomGenerator random, int rows, int cols) {
        double[][] m = new double[rows][];
        for (int i = 0; i < rows; i++) {
            m[i] = randomProbabilities(random, cols);
        }
        return m;
    }

    // a random SPD d×d: L Lᵀ + 0.3 I
    static double[][] randomCovariance(RandomGenerator random, int d) {
        double[][] l = new double[d][d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                l[a][b] = random.nextGaussian() * 0.6;
            }
        }
        double[][] c = new double[d][d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                double s = a == b ? 0.3 : 0;
                for (int k = 0; k < d; k++) {
                    s += l[a][k] * l[b][k];
                }
                c[a][b] = s;
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                c[b][a] = c[a][b];
            }
        }
        return c;
    }

    static double[][] randomMeans(RandomGenerator random, int k, int d, double spread) {
        double[][] m = new double[k][d];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < d; j++) {
                m[i][j] = spread * random.nextGaussian();
            }
        }
        return m;
    }

    static double[] randomVariances(RandomGenerator random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.3 + random.nextDouble();
        }
        return v;
    }

    /** The emission kinds a random model can have. */
    enum Kind { CATEGORICAL, FULL, DIAGONAL, SPHERICAL, TIED, GMM_DIAGONAL, GMM_FULL, POISSON }

    /** A random model of K states of the given kind (d = 2 for the vector kinds). */
    static HiddenMarkovModel random(RandomGenerator random, Kind kind, int k) {
        double[] pi = randomProbabilities(random, k);
        double[][] a = randomStochastic(random, k, k);
        int d = 2;
        EmissionModel e = switch (kind) {
            case CATEGORICAL -> CategoricalEmission.of(randomStochastic(random, k, 3));
            case FULL -> {
                double[][][] covs = new double[k][][];
                for (int i = 0; i < k; i++) {
                    covs[i] = randomCovariance(random, d);
                }
                yield GaussianEmission.full(randomMeans(random, k, d, 2), covs);
            }
            case DIAGONAL -> {
                double[][] v = new double[k][];
                for (int i = 0; i < k; i++) {
                    v[i] = randomVariances(random, d);
                }
                yield GaussianEmission.diagonal(randomMeans(random, k, d, 2), v);
            }
            case SPHERICAL -> GaussianEmission.spherical(randomMeans(random, k, d, 2), randomVariances(random, k));
            case TIED -> GaussianEmission.tied(randomMeans(random, k, d, 2), randomCovariance(random, d));
            case GMM_DIAGONAL -> {
                double[][][] means = new double[k][][];
                double[][][] vars = new double[k][2][];
                for (int i = 0; i < k; i++) {
                    means[i] = randomMeans(random, 2, d, 2);
                    for (int c = 0; c < 2; c++) {
                        vars[i][c] = randomVariances(random, d);
                    }
                }
                yield GaussianMixtureEmission.diagonal(randomStochastic(random, k, 2), means, vars);
            }
            case GMM_FULL -> {
                double[][][] means = new double[k][][];
                double[][][][] covs = new double[k][2][][];
                for (int i = 0; i < k; i++) {
                    means[i] = randomMeans(random, 2, d, 2);
                    for (int c = 0; c < 2; c++) {
                        covs[i][c] = randomCovariance(random, d);
                    }
                }
                yield GaussianMixtureEmission.full(randomStochastic(random, k, 2), means, covs);
            }
            case POISSON -> {
                double[][] r = new double[k][d];
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < d; j++) {
                        r[i][j] = 0.5 + 8 * random.nextDouble();
                    }
                }
                yield PoissonEmission.of(r);
            }
        };
        return HiddenMarkovModel.of(pi, a, e);
    }
}
