package org.statespace.hmm;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.ObservationSpace;
import org.statespace.data.ObservedRows;
import org.statespace.data.Sequence;
import org.statespace.distribution.Gaussian;
import org.statespace.distribution.Mixture;
import org.statespace.numeric.Validate;
import org.statespace.spec.Json;
import org.statespace.spec.SpecNode;

/**
 * Gaussian-mixture emissions: state k emits o ~ Σ_c w_kc N(μ_kc, Σ_kc), C components per state in d
 * dimensions, each covariance full or diagonal.
 *
 * <pre>{@code
 * {"type": "gmm", "covarianceType": "diagonal", "weights": [[0.5, 0.5], [0.2, 0.8]],
 *  "means": [[[0, 0], [1, 1]], [[5, 5], [6, 4]]],
 *  "covariances": [[[1, 1], [0.5, 0.5]], [[1, 2], [2, 1]]]}
 * }</pre>
 *
 * {@code weights} is K×C; {@code means} K×C×d; {@code covariances} K×C×d variances (diagonal) or
 * K×C×d×d (full). Parameters: K(C-1) + K·C·d + K·C·d (diagonal) or K·C·d(d+1)/2 (full).
 */
public final class GaussianMixtureEmission implements EmissionModel {
    static final String TYPE = "gmm";

    private final int states;
    private final int mixtures;
    private final int d;
    private final CovarianceType covarianceType;
    private final double[] weights;    // K×C
    private final double[] logWeights; // K×C
    private final double[] means;      // (K·C)×d, component i = k·C + c
    private final double[] parameters; // (K·C)×d×d (full) or (K·C)×d (diagonal)
    private final GaussianComponents components;

    private GaussianMixtureEmission(int states, int mixtures, int d, CovarianceType type, double[] weights,
            double[] means, double[] parameters) {
        if (type != CovarianceType.FULL && type != CovarianceType.DIAGONAL) {
            throw new IllegalArgumentException("mixture components have full or diagonal covariances, not " + type.jsonName());
        }
        this.states = states;
        this.mixtures = mixtures;
        this.d = d;
        this.covarianceType = type;
        this.weights = weights;
        this.means = means;
        this.parameters = parameters;
        this.logWeights = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            logWeights[i] = Math.log(weights[i]);
        }
        int count = states * mixtures;
        if (type == CovarianceType.DIAGONAL) {
            components = GaussianComponents.diagonal(count, d, means, parameters);
        } else {
            double[][] covs = new double[count][];
            for (int i = 0; i < count; i++) {
                covs[i] = Arrays.copyOfRange(parameters, i * d * d, (i + 1) * d * d);
            }
            components = GaussianComponents.full(count, d, means, covs);
        }
    }

    /**
     * Mixtures with full covariances.
     *
     * @param weights     K×C, rows probability vectors
     * @param means       K×C×d
     * @param covariances K×C×d×d, each symmetric positive definite
     */
    public static GaussianMixtureEmission full(double[][] weights, double[][][] means, double[][][][] covariances) {
        int k = weights.length;
        int c = weights[0].length;
        int d = checkShapes(weights, means);
        double[] p = new double[k * c * d * d];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < c; j++) {
                double[] cov = Checks.covariance("covariances[" + i + "][" + j + "]", covariances[i][j], d);
                System.arraycopy(cov, 0, p, (i * c + j) * d * d, d * d);
            }
        }
        return new GaussianMixtureEmission(k, c, d, CovarianceType.FULL, Validate.pack(weights), packMeans(means, d), p);
    }

    /**
     * Mixtures with diagonal covariances.
     *
     * @param variances K×C×d, all positive
     */
    public static GaussianMixtureEmission diagonal(double[][] weights, double[][][] means, double[][][] variances) {
        int k = weights.length;
        int c = weights[0].length;
        int d = checkShapes(weights, means);
        double[] p = new double[k * c * d];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < c; j++) {
                if (variances[i][j].length != d) {
                    throw new IllegalArgumentException("variances[" + i + "][" + j + "] has " + variances[i][j].length
                            + " entries, expected " + d);
                }
                for (int a = 0; a < d; a++) {
                    Checks.positive("variances[" + i + "][" + j + "][" + a + "]", variances[i][j][a]);
                    p[(i * c + j) * d + a] = variances[i][j][a];
                }
            }
        }
        return new GaussianMixtureEmission(k, c, d, CovarianceType.DIAGONAL, Validate.pack(weights), packMeans(means, d), p);
    }

    private static int checkShapes(double[][] weights, double[][][] means) {
        int k = weights.length;
        if (k == 0 || weights[0].length == 0) {
            throw new IllegalArgumentException("weights must be a non-empty K×C matrix");
        }
        int c = weights[0].length;
        for (int i = 0; i < k; i++) {
            if (weights[i].length != c) {
                throw new IllegalArgumentException("weights[" + i + "] has " + weights[i].length + " entries, expected " + c);
            }
            Checks.probabilities("weights[" + i + "]", weights[i]);
        }
        if (means.length != k || means[0].length != c || means[0][0].length == 0) {
            throw new IllegalArgumentException("means must be " + k + "x" + c + "xd");
        }
        return means[0][0].length;
    }

    private static double[] packMeans(double[][][] means, int d) {
        int k = means.length;
        int c = means[0].length;
        double[] mu = new double[k * c * d];
        for (int i = 0; i < k; i++) {
            if (means[i].length != c) {
                throw new IllegalArgumentException("means[" + i + "] has " + means[i].length + " components, expected " + c);
            }
            for (int j = 0; j < c; j++) {
                if (means[i][j].length != d) {
                    throw new IllegalArgumentException("means[" + i + "][" + j + "] has " + means[i][j].length
                            + " entries, expected " + d);
                }
                for (int a = 0; a < d; a++) {
                    Checks.finite("means[" + i + "][" + j + "][" + a + "]", means[i][j][a]);
                    mu[(i * c + j) * d + a] = means[i][j][a];
                }
            }
        }
        return mu;
    }

    static GaussianMixtureEmission read(SpecNode e, int states, boolean normalize) {
        e.requireObject(HmmFields.GMM);
        CovarianceType type = CovarianceType.fromJson(e.optional("covarianceType")
                .map(n -> n.asChoice("full", "diagonal")).orElse("diagonal"));  // diagonal by default, as hmmlearn
        SpecNode w = e.field("weights");
        double[][] weightRows = w.asMatrix();
        if (weightRows.length != states) {
            throw w.error("expected " + states + " rows (one per state), got " + weightRows.length);
        }
        weightRows = Validate.stochasticRows(w, weightRows, normalize);
        int c = weightRows[0].length;
        SpecNode m = e.field("means");
        List<SpecNode> perState = m.elements();
        if (perState.size() != states) {
            throw m.error("expected " + states + " blocks of " + c + " means (one per state), got " + perState.size());
        }
        double[][] first = perState.get(0).asMatrix();
        int d = first[0].length;
        double[] mu = new double[states * c * d];
        for (int k = 0; k < states; k++) {
            double[][] block = perState.get(k).asMatrix(c, d);
            for (int j = 0; j < c; j++) {
                System.arraycopy(block[j], 0, mu, (k * c + j) * d, d);
            }
        }
        SpecNode cov = e.field("covariances");
        List<SpecNode> covPerState = cov.elements();
        if (covPerState.size() != states) {
            throw cov.error("expected " + states + " blocks of " + c + " covariances (one per state), got "
                    + covPerState.size());
        }
        int block = type == CovarianceType.FULL ? d * d : d;
        double[] p = new double[states * c * block];
        for (int k = 0; k < states; k++) {
            double[] pk = GaussianEmission.readCovariances(covPerState.get(k), type, c, d);
            System.arraycopy(pk, 0, p, k * c * block, c * block);
        }
        return new GaussianMixtureEmission(states, c, d, type, Validate.pack(weightRows), mu, p);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int stateCount() {
        return states;
    }

    /** C, the components per state. */
    public int componentCount() {
        return mixtures;
    }

    /** d. */
    public int dimension() {
        return d;
    }

    /** {@link CovarianceType#FULL} or {@link CovarianceType#DIAGONAL}. */
    public CovarianceType covarianceType() {
        return covarianceType;
    }

    /** w_kc. */
    public double weight(int state, int component) {
        return weights[state * mixtures + component];
    }

    /** μ_kc (a copy). */
    public double[] mean(int state, int component) {
        int i = state * mixtures + component;
        return Arrays.copyOfRange(means, i * d, (i + 1) * d);
    }

    /** Σ_kc as a full d×d matrix (a copy). */
    public double[][] covariance(int state, int component) {
        return Validate.unpack(components.covariances[state * mixtures + component], d, d);
    }

    @Override
    public ObservationSpace observationSpace() {
        return ObservationSpace.reals(d);
    }

    @Override
    public int parameterCount() {
        return states * (mixtures - 1) + states * mixtures * d + covarianceType.parameterCount(states * mixtures, d);
    }

    @Override
    public ObjectNode toSpec() {
        ObjectNode o = Json.object();
        o.put("type", TYPE);
        o.put("covarianceType", covarianceType.jsonName());
        o.set("weights", Json.matrix(weights, states, mixtures));
        ArrayNode m = o.putArray("means");
        ArrayNode c = o.putArray("covariances");
        int block = covarianceType == CovarianceType.FULL ? d * d : d;
        for (int k = 0; k < states; k++) {
            m.add(Json.matrix(Arrays.copyOfRange(means, k * mixtures * d, (k + 1) * mixtures * d), mixtures, d));
            c.add(GaussianEmission.writeCovariances(covarianceType,
                    Arrays.copyOfRange(parameters, k * mixtures * block, (k + 1) * mixtures * block), mixtures, d));
        }
        return o;
    }

    @Override
    public Mixture stateDistribution(int state) {
        Gaussian[] parts = new Gaussian[mixtures];
        for (int c = 0; c < mixtures; c++) {
            int i = state * mixtures + c;
            parts[c] = new Gaussian(d);
            if (components.diagonal) {
                parts[c].setDiagonal(means, i * d, components.variances, i * d);
            } else {
                parts[c].setFactored(means, i * d, components.covariances[i], components.factors[i]);
            }
        }
        Mixture mixture = new Mixture(parts);
        mixture.setWeights(weights, state * mixtures);
        return mixture;
    }

    @Override
    public Workspace newWorkspace() {
        return new Work();
    }

    private final class Work implements Workspace {
        private final GaussianComponents.Scratch scratch = components.newScratch();
        private final double[] terms = new double[mixtures];

        // log w_kc + log N(y; μ_kc, Σ_kc) for the loaded observation into terms; returns their log-sum-exp
        private double componentTerms(int k) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < mixtures; c++) {
                int i = k * mixtures + c;
                double v = logWeights[i] == Double.NEGATIVE_INFINITY ? Double.NEGATIVE_INFINITY
                        : logWeights[i] + components.logDensity(i, scratch);
                terms[c] = v;
                if (v > max) {
                    max = v;
                }
            }
            if (max == Double.NEGATIVE_INFINITY) {
                return max;
            }
            double s = 0;
            for (int c = 0; c < mixtures; c++) {
                s += Math.exp(terms[c] - max);
            }
            return max + Math.log(s);
        }

        @Override
        public void logDensities(Sequence sequence, int t, double[] out, int offset) {
            if (scratch.load(sequence, t) == 0) {
                Arrays.fill(out, offset, offset + states, 0);
                return;
            }
            for (int k = 0; k < states; k++) {
                out[offset + k] = componentTerms(k);
            }
        }

        @Override
        public void sample(int state, RandomGenerator random, double[] out, int offset) {
            double u = random.nextDouble();
            double acc = 0;
            int chosen = -1;
            for (int c = 0; c < mixtures; c++) {
                double w = weights[state * mixtures + c];
                if (w > 0) {
                    chosen = c;
                }
                acc += w;
                if (u < acc) {
                    break;
                }
            }
            components.sample(state * mixtures + chosen, random, out, offset, scratch);
        }

        @Override
        public void accumulate(EmissionModel.Statistics statistics, Sequence sequence, int t, double[] weightsOfStates,
                int offset) {
            if (scratch.load(sequence, t) == 0) {
                return;
            }
            GaussianEmission.Stats s = (GaussianEmission.Stats) statistics;
            boolean fullSecond = covarianceType == CovarianceType.FULL;
            for (int k = 0; k < states; k++) {
                double w = weightsOfStates[offset + k];
                if (w == 0) {
                    continue;
                }
                double total = componentTerms(k);
                if (total == Double.NEGATIVE_INFINITY) {
                    continue;
                }
                for (int c = 0; c < mixtures; c++) {
                    // responsibility of component c within state k
                    double wc = w * Math.exp(terms[c] - total);
                    if (wc == 0) {
                        continue;
                    }
                    int i = k * mixtures + c;
                    s.weight[i] += wc;
                    components.accumulate(i, wc, scratch, s.first, s.second, fullSecond);
                }
            }
        }
    }

    /** Per component: responsibilities and centred moments, as for {@link GaussianEmission}. */
    @Override
    public Statistics newStatistics() {
        return new GaussianEmission.Stats(states * mixtures, d, covarianceType == CovarianceType.FULL, mixtures, means);
    }

    /**
     * Weights w_kc = (N_kc + α) / (N_k + Cα); each component's mean and covariance as for a Gaussian
     * emission with its responsibilities N_kc; components (and states) without responsibility keep
     * their parameters.
     */
    @Override
    public GaussianMixtureEmission maximize(Statistics statistics, HmmFitSettings settings) {
        GaussianEmission.Stats s = (GaussianEmission.Stats) statistics;
        boolean full = covarianceType == CovarianceType.FULL;
        int block = full ? d * d : d;
        double floor = settings.covarianceFloor();
        double[] nextWeights = weights.clone();
        for (int k = 0; k < states; k++) {
            Checks.normalizeRow(s.weight, k * mixtures, mixtures, settings.emissionPseudoCount(), 0, -1, nextWeights);
        }
        double[] nextMeans = means.clone();
        double[] next = parameters.clone();
        double[] delta = new double[d];
        double[] scatter = new double[block];
        for (int i = 0; i < states * mixtures; i++) {
            double n = s.weight[i];
            if (!(n > 0)) {
                continue;
            }
            GaussianComponents.scatter(d, n, s.first, i * d, s.second, i * block, full, delta, scatter);
            if (!GaussianEmission.allFinite(delta) || !GaussianEmission.allFinite(scatter)) {
                continue;
            }
            if (full) {
                System.arraycopy(GaussianComponents.floorCovariance(scatter, d, floor), 0, next, i * d * d, d * d);
            } else {
                for (int j = 0; j < d; j++) {
                    next[i * d + j] = Math.max(scatter[j], floor);
                }
            }
            for (int j = 0; j < d; j++) {
                nextMeans[i * d + j] += delta[j];
            }
        }
        return new GaussianMixtureEmission(states, mixtures, d, covarianceType, nextWeights, nextMeans, next);
    }

    /**
     * Two-level k-means++: K clusters of the observed vectors, one per state, then C clusters within
     * each (as hmmlearn's GMMHMM does); a state cluster with fewer than C points gives components at its
     * centroid jittered by the data's spread. Weights follow the sub-cluster sizes.
     */
    @Override
    public GaussianMixtureEmission initialize(ObservedRows data, RandomGenerator random, HmmFitSettings settings) {
        double[][] points = Starts.points(data, states, random);
        Starts.Clusters top = Starts.kMeans(points, states, random);
        double[] globalMean = Starts.mean(Starts.all(points), d);
        double[] global = Starts.scatter(Starts.all(points), globalMean);
        double floor = GaussianEmission.startFloor(global, d, settings.covarianceFloor());
        int count = states * mixtures;
        double[] nextWeights = new double[count];
        double[] nextMeans = new double[count * d];
        double[][] scatters = new double[count][];
        for (int k = 0; k < states; k++) {
            List<double[]> members = top.members().get(k);
            double[] centroid = top.centroids()[k];
            double[] stateScatter = members.size() >= 2 ? Starts.scatter(members, centroid) : global;
            if (members.size() >= mixtures) {
                Starts.Clusters sub = Starts.kMeans(members.toArray(new double[0][]), mixtures, random);
                double total = 0;
                for (int c = 0; c < mixtures; c++) {
                    int i = k * mixtures + c;
                    List<double[]> m = sub.members().get(c);
                    System.arraycopy(sub.centroids()[c], 0, nextMeans, i * d, d);
                    scatters[i] = m.size() >= 2 ? Starts.scatter(m, sub.centroids()[c]) : stateScatter;
                    nextWeights[i] = m.size() + 1;
                    total += m.size() + 1;
                }
                for (int c = 0; c < mixtures; c++) {
                    nextWeights[k * mixtures + c] /= total;
                }
            } else {
                for (int c = 0; c < mixtures; c++) {
                    int i = k * mixtures + c;
                    for (int j = 0; j < d; j++) {
                        double sd = Math.sqrt(Math.max(global[j * d + j], floor));
                        nextMeans[i * d + j] = centroid[j] + 0.5 * sd * random.nextGaussian();
                    }
                    scatters[i] = stateScatter;
                    nextWeights[i] = 1.0 / mixtures;
                }
            }
        }
        double[] next = GaussianEmission.covarianceParameters(covarianceType, scatters, null, d, floor, global);
        return new GaussianMixtureEmission(states, mixtures, d, covarianceType, nextWeights, nextMeans, next);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GaussianMixtureEmission g && states == g.states && mixtures == g.mixtures && d == g.d
                && covarianceType == g.covarianceType && Arrays.equals(weights, g.weights)
                && Arrays.equals(means, g.means) && Arrays.equals(parameters, g.parameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(states, mixtures, d, covarianceType, Arrays.hashCode(weights), Arrays.hashCode(means),
                Arrays.hashCode(parameters));
    }

    @Override
    public String toString() {
        return "gmm(K=" + states + ", C=" + mixtures + ", d=" + d + ", " + covarianceType.jsonName() + ")";
    }
}
