package org.statespace.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.Sampling;
import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;
import org.statespace.data.ObservationKind;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;
import org.statespace.numeric.TestMatrices;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * Random valid models of every family and variant, built as JSON specs and read through the registry
 * (so the readers are exercised too): sizes, probabilities, means and covariances drawn from a seed.
 * Covariances are A Aᵀ/n + a floor; transition matrices of linear-Gaussian models are scaled to a
 * spectral radius below 0.95 (stable, as a fitted model of stationary data is).
 */
final class RandomModels {
    /** The families and variants drawn. */
    enum Kind {
        MARKOV, HMM_CATEGORICAL, HMM_GAUSSIAN, HMM_SPHERICAL, HMM_POISSON, HMM_GMM, LGSSM, LOCAL_LEVEL,
        LOCAL_LINEAR_TREND, RNN_GAUSSIAN, RNN_LINEAR, RNN_SOFTMAX;

        boolean em() {
            return this.name().startsWith("HMM") || this == LGSSM;
        }
    }

    private RandomModels() {
    }

    static StateSpaceModel<?, ?> model(Kind kind, long seed) {
        return ModelSpecs.read(spec(kind, Randoms.seeded(seed)), kind + " #" + seed);
    }

    /** Two models of the same shape (sizes drawn from {@code seed}, values from {@code seed} and {@code values}). */
    static StateSpaceModel<?, ?> sameShape(Kind kind, long seed, long values) {
        RandomGenerator shape = Randoms.seeded(seed);
        RandomGenerator rest = Randoms.seeded(values);
        return ModelSpecs.read(spec(kind, new Split(shape, rest)), kind + " #" + seed + "/" + values);
    }

    /** Sizes from one stream and values from another, so that two draws can share their shape. */
    private record Split(RandomGenerator sizes, RandomGenerator values) implements RandomGenerator {
        @Override
        public long nextLong() {
            return values.nextLong();
        }

        @Override
        public int nextInt(int origin, int bound) {
            return sizes.nextInt(origin, bound);
        }

        @Override
        public boolean nextBoolean() {
            return sizes.nextBoolean();
        }
    }

    static ObjectNode spec(Kind kind, RandomGenerator r) {
        ObjectNode o = Json.object();
        switch (kind) {
            case MARKOV -> {
                int s = r.nextInt(1, 5);
                int order = r.nextInt(1, 3);
                int contexts = (int) Math.pow(s, order);
                o.put("type", "markov-chain");
                if (order > 1) {
                    o.put("order", order);
                }
                o.set("initial", Json.vector(probabilities(r, contexts)));
                o.set("transition", stochastic(r, contexts, s));
            }
            case HMM_CATEGORICAL, HMM_GAUSSIAN, HMM_SPHERICAL, HMM_POISSON, HMM_GMM -> {
                int k = r.nextInt(1, 4);
                o.put("type", "hmm");
                o.set("initial", Json.vector(probabilities(r, k)));
                o.set("transition", stochastic(r, k, k));
                ObjectNode e = o.putObject("emission");
                int d = r.nextInt(1, 3);
                switch (kind) {
                    case HMM_CATEGORICAL -> {
                        e.put("type", "categorical");
                        e.set("probabilities", stochastic(r, k, r.nextInt(2, 5)));
                    }
                    case HMM_GAUSSIAN -> {
                        e.put("type", "gaussian");
                        e.put("covarianceType", "full");
                        e.set("means", means(r, k, d, 3));
                        ArrayNode c = e.putArray("covariances");
                        for (int i = 0; i < k; i++) {
                            c.add(Json.matrix(covariance(r, d, 0.3)));
                        }
                    }
                    case HMM_SPHERICAL -> {
                        e.put("type", "gaussian");
                        e.put("covarianceType", "spherical");
                        e.set("means", means(r, k, d, 3));
                        ArrayNode c = e.putArray("covariances");
                        for (int i = 0; i < k; i++) {
                            c.add(0.2 + r.nextDouble() * 2);
                        }
                    }
                    case HMM_POISSON -> {
                        e.put("type", "poisson");
                        ArrayNode rates = e.putArray("rates");
                        for (int i = 0; i < k; i++) {
                            double[] v = new double[d];
                            for (int j = 0; j < d; j++) {
                                v[j] = 0.2 + 8 * r.nextDouble();
                            }
                            rates.add(Json.vector(v));
                        }
                    }
                    default -> {
                        int c = r.nextInt(1, 3);
                        e.put("type", "gmm");
                        e.put("covarianceType", "diagonal");
                        e.set("weights", stochastic(r, k, c));
                        ArrayNode m = e.putArray("means");
                        ArrayNode v = e.putArray("covariances");
                        for (int i = 0; i < k; i++) {
                            m.add(means(r, c, 1, 4));
                            ArrayNode vi = v.addArray();
                            for (int j = 0; j < c; j++) {
                                vi.addArray().add(0.2 + r.nextDouble());
                            }
                        }
                    }
                }
            }
            case LGSSM -> {
                int n = r.nextInt(1, 4);
                int m = r.nextInt(1, 3);
                o.put("type", "lgssm");
                o.set("transitionMatrix", Json.matrix(stable(r, n)));
                o.set("processNoise", Json.matrix(covariance(r, n, 0.1)));
                o.set("observationMatrix", Json.matrix(gaussian(r, m, n, 1)));
                if (r.nextBoolean()) {
                    o.set("observationOffset", Json.vector(gaussian(r, 1, m, 2)[0]));
                }
                o.set("observationNoise", Json.matrix(covariance(r, m, 0.2)));
                o.set("initialMean", Json.vector(gaussian(r, 1, n, 1)[0]));
                o.set("initialCovariance", Json.matrix(covariance(r, n, 0.5)));
            }
            case LOCAL_LEVEL -> {
                o.put("type", "local-level");
                o.put("observationVariance", 0.1 + 3 * r.nextDouble());
                o.put("levelVariance", 0.01 + r.nextDouble());
            }
            case LOCAL_LINEAR_TREND -> {
                o.put("type", "local-linear-trend");
                o.put("observationVariance", 0.1 + 3 * r.nextDouble());
                o.put("levelVariance", 0.01 + r.nextDouble());
                o.put("slopeVariance", 0.001 + 0.1 * r.nextDouble());
            }
            default -> {
                String[] cells = {"tanh", "relu", "sigmoid", "lstm", "gru"};
                int out = kind == Kind.RNN_SOFTMAX ? r.nextInt(2, 5) : r.nextInt(1, 3);
                o.put("type", "rnn");
                o.put("inputSize", out);
                ArrayNode layers = o.putArray("layers");
                int count = r.nextInt(1, 3);
                for (int l = 0; l < count; l++) {
                    ObjectNode layer = layers.addObject();
                    String cell = cells[r.nextInt(0, cells.length)];
                    layer.put("cell", cell);
                    layer.put("hiddenSize", r.nextInt(1, 5));
                    if (!cell.equals("lstm") && !cell.equals("gru") && r.nextBoolean()) {
                        layer.put("form", "ii");
                    }
                }
                ObjectNode head = o.putObject("head");
                head.put("type", kind == Kind.RNN_GAUSSIAN ? "gaussian" : kind == Kind.RNN_LINEAR ? "linear" : "softmax");
                head.put("outputSize", out);
                if (kind == Kind.RNN_LINEAR) {
                    double[] v = new double[out];
                    for (int j = 0; j < out; j++) {
                        v[j] = 0.2 + r.nextDouble();
                    }
                    head.set("variance", Json.vector(v));
                }
                o.put("seed", r.nextLong());
            }
        }
        return o;
    }

    /** A dataset of {@code count} sequences of 5 to 40 steps sampled from {@code model}. */
    static Dataset sample(StateSpaceModel<?, ?> model, int count, long seed) {
        RandomGenerator r = Randoms.seeded(seed);
        List<Sequence> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(Sampling.sample(model, "s" + i, r.nextInt(5, 41), null, Randoms.stream(seed, i)));
        }
        return model.observationSpace().kind() == ObservationKind.SYMBOLS
                ? Dataset.ofSymbols(out, List.of()) : Dataset.of(out);
    }

    private static double[] probabilities(RandomGenerator r, int n) {
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = 0.05 + r.nextDouble();
            sum += p[i];
        }
        for (int i = 0; i < n; i++) {
            p[i] /= sum;
        }
        p[n - 1] = 1;
        for (int i = 0; i < n - 1; i++) {
            p[n - 1] -= p[i];
        }
        return p;
    }

    private static ArrayNode stochastic(RandomGenerator r, int rows, int cols) {
        ArrayNode a = Json.array();
        for (int i = 0; i < rows; i++) {
            a.add(Json.vector(probabilities(r, cols)));
        }
        return a;
    }

    private static ArrayNode means(RandomGenerator r, int k, int d, double spread) {
        return Json.matrix(gaussian(r, k, d, spread));
    }

    private static double[][] gaussian(RandomGenerator r, int rows, int cols, double scale) {
        double[][] a = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                a[i][j] = scale * r.nextGaussian();
            }
        }
        return a;
    }

    static double[][] covariance(RandomGenerator r, int n, double floor) {
        double[][] a = gaussian(r, n, n, 1);
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = i == j ? floor : 0;
                for (int l = 0; l < n; l++) {
                    sum += a[i][l] * a[j][l] / n;
                }
                c[i][j] = sum;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                c[i][j] = c[j][i];
            }
        }
        return c;
    }

    private static double[][] stable(RandomGenerator r, int n) {
        return TestMatrices.contract(gaussian(r, n, n, 0.6), 0.95);
    }
}
