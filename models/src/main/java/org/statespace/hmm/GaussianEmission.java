package org.statespace.hmm;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.ObservationSpace;
import org.statespace.capability.SufficientStatistics;
import org.statespace.data.ObservedRows;
import org.statespace.data.Sequence;
import org.statespace.distribution.Gaussian;
import org.statespace.numeric.Validate;
import org.statespace.spec.Json;
import org.statespace.spec.SpecNode;

/**
 * Gaussian emissions: state k emits o ~ N(μ_k, Σ_k) in d dimensions, with Σ_k parametrised by a
 * {@link CovarianceType}.
 *
 * <pre>{@code
 * {"type": "gaussian", "covarianceType": "full", "means": [[0, 0], [3, 1]],
 *  "covariances": [[[1, 0.2], [0.2, 1]], [[2, 0], [0, 0.5]]]}
 * }</pre>
 *
 * {@code means} is K×d; {@code covariances} is K×d×d (full), K×d variances (diagonal), K variances
 * (spherical) or one d×d matrix (tied); {@code covarianceType} defaults to {@code "diagonal"} (as
 * hmmlearn's {@code GaussianHMM}). Parameters: K·d for the means plus
 * {@link CovarianceType#parameterCount}.
 */
public final class GaussianEmission implements EmissionModel {
    static final String TYPE = "gaussian";

    private final int states;
    private final int d;
    private final CovarianceType covarianceType;
    private final double[] means;      // K×d
    private final double[] parameters; // the covariances in the type's shape
    private final GaussianComponents components;

    GaussianEmission(int states, int d, CovarianceType type, double[] means, double[] parameters) {
        this.states = states;
        this.d = d;
        this.covarianceType = type;
        this.means = means;
        this.parameters = parameters;
        this.components = switch (type) {
            case DIAGONAL -> GaussianComponents.diagonal(states, d, means, parameters);
            case SPHERICAL -> {
                double[] v = new double[states * d];
                for (int k = 0; k < states; k++) {
                    Arrays.fill(v, k * d, (k + 1) * d, parameters[k]);
                }
                yield GaussianComponents.diagonal(states, d, means, v);
            }
            case FULL -> {
                double[][] covs = new double[states][];
                for (int k = 0; k < states; k++) {
                    covs[k] = Arrays.copyOfRange(parameters, k * d * d, (k + 1) * d * d);
                }
                yield GaussianComponents.full(states, d, means, covs);
            }
            case TIED -> {
                double[][] covs = new double[states][];
                Arrays.fill(covs, parameters);
                yield GaussianComponents.full(states, d, means, covs);
            }
        };
    }

    /** Full covariances: means K×d, covariances K of d×d symmetric positive definite. */
    public static GaussianEmission full(double[][] means, double[][][] covariances) {
        double[] mu = packMeans(means);
        int k = means.length;
        int d = means[0].length;
        if (covariances.length != k) {
            throw new IllegalArgumentException(covariances.length + " covariances for " + k + " states");
        }
        double[] p = new double[k * d * d];
        for (int i = 0; i < k; i++) {
            System.arraycopy(Checks.covariance("covariances[" + i + "]", covariances[i], d), 0, p, i * d * d, d * d);
        }
        return new GaussianEmission(k, d, CovarianceType.FULL, mu, p);
    }

    /** Diagonal covariances: means K×d, variances K×d (all positive). */
    public static GaussianEmission diagonal(double[][] means, double[][] variances) {
        double[] mu = packMeans(means);
        int k = means.length;
        int d = means[0].length;
        if (variances.length != k) {
            throw new IllegalArgumentException(variances.length + " variance rows for " + k + " states");
        }
        double[] p = new double[k * d];
        for (int i = 0; i < k; i++) {
            if (variances[i].length != d) {
                throw new IllegalArgumentException("variances[" + i + "] has " + variances[i].length + " entries, expected " + d);
            }
            for (int j = 0; j < d; j++) {
                Checks.positive("variances[" + i + "][" + j + "]", variances[i][j]);
                p[i * d + j] = variances[i][j];
            }
        }
        return new GaussianEmission(k, d, CovarianceType.DIAGONAL, mu, p);
    }

    /** Spherical covariances σ_k² I: means K×d, variances K (all positive). */
    public static GaussianEmission spherical(double[][] means, double[] variances) {
        double[] mu = packMeans(means);
        int k = means.length;
        if (variances.length != k) {
            throw new IllegalArgumentException(variances.length + " variances for " + k + " states");
        }
        for (int i = 0; i < k; i++) {
            Checks.positive("variances[" + i + "]", variances[i]);
        }
        return new GaussianEmission(k, means[0].length, CovarianceType.SPHERICAL, mu, variances.clone());
    }

    /** One covariance shared by all states: means K×d, covariance d×d symmetric positive definite. */
    public static GaussianEmission tied(double[][] means, double[][] covariance) {
        double[] mu = packMeans(means);
        int d = means[0].length;
        return new GaussianEmission(means.length, d, CovarianceType.TIED, mu, Checks.covariance("covariance", covariance, d));
    }

    /** A one-dimensional emission N(μ_k, σ_k²) per state (spherical, d = 1). */
    public static GaussianEmission univariate(double[] means, double[] variances) {
        double[][] m = new double[means.length][1];
        for (int k = 0; k < means.length; k++) {
            m[k][0] = means[k];
        }
        return spherical(m, variances);
    }

    private static double[] packMeans(double[][] means) {
        if (means.length == 0 || means[0].length == 0) {
            throw new IllegalArgumentException("means must be a non-empty K×d matrix");
        }
        int d = means[0].length;
        double[] mu = new double[means.length * d];
        for (int k = 0; k < means.length; k++) {
            if (means[k].length != d) {
                throw new IllegalArgumentException("means[" + k + "] has " + means[k].length + " entries, expected " + d);
            }
            for (int j = 0; j < d; j++) {
                Checks.finite("means[" + k + "][" + j + "]", means[k][j]);
                mu[k * d + j] = means[k][j];
            }
        }
        return mu;
    }

    static GaussianEmission read(SpecNode e, int states) {
        e.requireObject(HmmFields.GAUSSIAN);
        // diagonal by default, as hmmlearn's GaussianHMM; the fitted spec always writes it out
        CovarianceType type = CovarianceType.fromJson(e.optional("covarianceType")
                .map(n -> n.asChoice(HmmFields.COVARIANCE_TYPE.choiceArray())).orElse("diagonal"));
        SpecNode meansNode = e.field("means");
        double[][] m = meansNode.asMatrix();
        if (m.length != states) {
            throw meansNode.error("expected " + states + " rows (one mean per state), got " + m.length);
        }
        int d = m[0].length;
        SpecNode c = e.field("covariances");
        double[] p = readCovariances(c, type, states, d);
        return new GaussianEmission(states, d, type, Validate.pack(m), p);
    }

    /** Reads covariances of {@code count} Gaussians in the shape {@code type} implies (also used by mixtures). */
    static double[] readCovariances(SpecNode c, CovarianceType type, int count, int d) {
        switch (type) {
            case FULL -> {
                List<SpecNode> list = c.elements();
                if (list.size() != count) {
                    throw c.error("expected " + count + " covariance matrices of " + d + "x" + d + ", got " + list.size());
                }
                double[] p = new double[count * d * d];
                for (int k = 0; k < count; k++) {
                    System.arraycopy(readCovariance(list.get(k), d), 0, p, k * d * d, d * d);
                }
                return p;
            }
            case DIAGONAL -> {
                List<SpecNode> rows = c.elements();
                if (rows.size() != count) {
                    throw c.error("expected " + count + " rows of " + d + " variances, got " + rows.size());
                }
                double[] p = new double[count * d];
                for (int k = 0; k < count; k++) {
                    List<SpecNode> row = rows.get(k).elements();
                    if (row.size() != d) {
                        throw rows.get(k).error("expected " + d + " variances, got " + row.size());
                    }
                    for (int j = 0; j < d; j++) {
                        p[k * d + j] = row.get(j).asPositive();
                    }
                }
                return p;
            }
            case SPHERICAL -> {
                List<SpecNode> list = c.elements();
                if (list.size() != count) {
                    throw c.error("expected " + count + " variances (one per state), got " + list.size());
                }
                double[] p = new double[count];
                for (int k = 0; k < count; k++) {
                    p[k] = list.get(k).asPositive();
                }
                return p;
            }
            case TIED -> {
                return readCovariance(c, d);
            }
            default -> throw new IllegalStateException();
        }
    }

    private static double[] readCovariance(SpecNode node, int d) {
        double[][] m = node.asSquareMatrix(d);
        Validate.positiveDefinite(node, m);
        return Validate.pack(m);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int stateCount() {
        return states;
    }

    /** d. */
    public int dimension() {
        return d;
    }

    public CovarianceType covarianceType() {
        return covarianceType;
    }

    /** μ_k (a copy). */
    public double[] mean(int state) {
        return Arrays.copyOfRange(means, state * d, (state + 1) * d);
    }

    /** The means as K rows of d (a copy). */
    public double[][] means() {
        return Validate.unpack(means, states, d);
    }

    /** Σ_k as a full d×d matrix whatever the covariance type (a copy). */
    public double[][] covariance(int state) {
        return Validate.unpack(components.covariances[state], d, d);
    }

    @Override
    public ObservationSpace observationSpace() {
        return ObservationSpace.reals(d);
    }

    @Override
    public int parameterCount() {
        return states * d + covarianceType.parameterCount(states, d);
    }

    @Override
    public ObjectNode toSpec() {
        ObjectNode o = Json.object();
        o.put("type", TYPE);
        o.put("covarianceType", covarianceType.jsonName());
        o.set("means", Json.matrix(means, states, d));
        o.set("covariances", writeCovariances(covarianceType, parameters, states, d));
        return o;
    }

    /** The covariances of {@code count} Gaussians in the spec's shape for {@code type}. */
    static ArrayNode writeCovariances(CovarianceType type, double[] p, int count, int d) {
        return switch (type) {
            case FULL -> {
                ArrayNode a = Json.array();
                for (int k = 0; k < count; k++) {
                    a.add(Json.matrix(Arrays.copyOfRange(p, k * d * d, (k + 1) * d * d), d, d));
                }
                yield a;
            }
            case DIAGONAL -> Json.matrix(p, count, d);
            case SPHERICAL -> Json.vector(p);
            case TIED -> Json.matrix(p, d, d);
        };
    }

    @Override
    public Gaussian stateDistribution(int state) {
        Gaussian g = new Gaussian(d);
        if (components.diagonal) {
            g.setDiagonal(means, state * d, components.variances, state * d);
        } else {
            g.setFactored(means, state * d, components.covariances[state], components.factors[state]);
        }
        return g;
    }

    @Override
    public Workspace newWorkspace() {
        return new Work();
    }

    private final class Work implements Workspace {
        private final GaussianComponents.Scratch scratch = components.newScratch();
        private final boolean fullSecond = covarianceType == CovarianceType.FULL || covarianceType == CovarianceType.TIED;

        @Override
        public void logDensities(Sequence sequence, int t, double[] out, int offset) {
            if (d == 1) {
                // the common scalar case, inline: log N(y; μ_k, σ_k²) = c_k - (y - μ_k)² / (2σ_k²)
                double y = sequence.value(t, 0);
                if (Double.isNaN(y)) {
                    Arrays.fill(out, offset, offset + states, 0);
                    return;
                }
                double[] mu = means;
                double[] precision = components.precisions;
                double[] norm = components.logNormalizers;
                for (int k = 0; k < states; k++) {
                    double r = y - mu[k];
                    // scaled before squaring: r² alone overflows from |r| ≈ 1.3e154 where r² / σ² may not
                    out[offset + k] = norm[k] - 0.5 * r * (r * precision[k]);
                }
                return;
            }
            if (scratch.load(sequence, t) == 0) {
                Arrays.fill(out, offset, offset + states, 0);
                return;
            }
            for (int k = 0; k < states; k++) {
                out[offset + k] = components.logDensity(k, scratch);
            }
        }

        @Override
        public void logDensities(Sequence sequence, int from, int to, double[] out, int offset, int stride) {
            if (d != 1) {
                Workspace.super.logDensities(sequence, from, to, out, offset, stride);
                return;
            }
            double[] mu = means;
            double[] precision = components.precisions;
            double[] norm = components.logNormalizers;
            for (int t = from; t < to; t++) {
                double y = sequence.value(t, 0);
                int o = offset + (t - from) * stride;
                if (Double.isNaN(y)) {
                    Arrays.fill(out, o, o + states, 0);
                    continue;
                }
                for (int k = 0; k < states; k++) {
                    double r = y - mu[k];
                    out[o + k] = norm[k] - 0.5 * r * (r * precision[k]); // as the one-step method
                }
            }
        }

        @Override
        public void sample(int state, RandomGenerator random, double[] out, int offset) {
            components.sample(state, random, out, offset, scratch);
        }

        @Override
        public void accumulate(EmissionModel.Statistics statistics, Sequence sequence, int t, double[] weights,
                int offset) {
            Stats s = (Stats) statistics;
            if (d == 1) {
                double y = sequence.value(t, 0);
                if (Double.isNaN(y)) {
                    return;
                }
                for (int k = 0; k < states; k++) {
                    double w = weights[offset + k];
                    double e = y - means[k];
                    s.weight[k] += w;
                    s.first[k] += w * e;
                    s.second[k] += w * e * e;
                }
                return;
            }
            if (scratch.load(sequence, t) == 0) {
                return;
            }
            for (int k = 0; k < states; k++) {
                double w = weights[offset + k];
                if (w == 0) {
                    continue;
                }
                s.weight[k] += w;
                components.accumulate(k, w, scratch, s.first, s.second, fullSecond);
            }
        }
    }

    /**
     * Per state: the total responsibility N_k, Σ γ E[y - μ_k] and Σ γ E[(y - μ_k)(y - μ_k)ᵀ] (centred at
     * the current means for accuracy; lower triangles for full and tied, diagonals otherwise). The centre
     * (the means they were taken about) is kept, so that stepwise EM can move them to another model's.
     */
    static final class Stats implements EmissionModel.Statistics {
        final double[] weight;
        final double[] first;
        final double[] second;
        final int group;
        final int d;
        final boolean fullSecond;
        /** The means the moments are about, count×d. */
        final double[] centre;

        /** Statistics of {@code count} Gaussians, {@code group} consecutive ones per state, about {@code centre}. */
        Stats(int count, int d, boolean fullSecond, int group, double[] centre) {
            this.group = group;
            this.d = d;
            this.fullSecond = fullSecond;
            this.centre = centre.clone();
            weight = new double[count];
            first = new double[count * d];
            second = new double[count * (fullSecond ? d * d : d)];
        }

        /**
         * Moves this to {@code other}'s centre c' = c + δ: Σγ(y - c') = S1 - Nδ and
         * Σγ(y - c')(y - c')ᵀ = S2 - S1δᵀ - δS1ᵀ + Nδδᵀ, then blends.
         */
        @Override
        public void blend(double keep, EmissionModel.Statistics other, double add) {
            Stats o = (Stats) other;
            if (keep != 0) {
                int block = fullSecond ? d * d : d;
                for (int i = 0; i < weight.length; i++) {
                    double n = weight[i];
                    for (int a = 0; a < d; a++) {
                        double da = o.centre[i * d + a] - centre[i * d + a];
                        if (fullSecond) {
                            for (int b = 0; b <= a; b++) {
                                double db = o.centre[i * d + b] - centre[i * d + b];
                                second[i * block + a * d + b] += -first[i * d + a] * db - da * first[i * d + b]
                                        + n * da * db;
                            }
                        } else {
                            second[i * block + a] += -2 * first[i * d + a] * da + n * da * da;
                        }
                    }
                    for (int a = 0; a < d; a++) {
                        first[i * d + a] -= n * (o.centre[i * d + a] - centre[i * d + a]);
                    }
                }
            }
            System.arraycopy(o.centre, 0, centre, 0, centre.length);
            SufficientStatistics.blend(weight, keep, o.weight, add);
            SufficientStatistics.blend(first, keep, o.first, add);
            SufficientStatistics.blend(second, keep, o.second, add);
        }

        @Override
        public double[] toArray() {
            return SufficientStatistics.concat(centre, weight, first, second);
        }

        @Override
        public void setFrom(double[] values) {
            SufficientStatistics.split(values, centre, weight, first, second);
        }

        @Override
        public void merge(EmissionModel.Statistics other) {
            Stats o = (Stats) other;
            add(weight, o.weight);
            add(first, o.first);
            add(second, o.second);
        }

        static void add(double[] into, double[] from) {
            for (int i = 0; i < into.length; i++) {
                into[i] += from[i];
            }
        }

        @Override
        public double responsibility(int state) {
            double s = 0;
            for (int c = 0; c < group; c++) {
                s += weight[state * group + c];
            }
            return s;
        }
    }

    @Override
    public Statistics newStatistics() {
        return new Stats(states, d, covarianceType == CovarianceType.FULL || covarianceType == CovarianceType.TIED, 1, means);
    }

    /**
     * μ_k = Σ γ E[y] / N_k and Σ_k the expected scatter about it (pooled over states for tied, its
     * diagonal for diagonal, its mean variance for spherical), with eigenvalues floored at the
     * covariance floor. A state with N_k = 0 keeps its parameters.
     */
    @Override
    public GaussianEmission maximize(Statistics statistics, HmmFitSettings settings) {
        Stats s = (Stats) statistics;
        boolean fullSecond = covarianceType == CovarianceType.FULL || covarianceType == CovarianceType.TIED;
        int block = fullSecond ? d * d : d;
        double floor = settings.covarianceFloor();
        double[] nextMeans = means.clone();
        double[] next = parameters.clone();
        double[] delta = new double[d];
        double[] scatter = new double[block];
        double[] pooled = new double[d * d];
        double pooledWeight = 0;
        for (int k = 0; k < states; k++) {
            double n = s.weight[k];
            if (!(n > 0)) {
                continue;
            }
            GaussianComponents.scatter(d, n, s.first, k * d, s.second, k * block, fullSecond, delta, scatter);
            if (!allFinite(delta) || !allFinite(scatter)) {
                continue;
            }
            switch (covarianceType) {
                case FULL -> {
                    double[] c = GaussianComponents.floorCovariance(scatter, d, floor);
                    System.arraycopy(c, 0, next, k * d * d, d * d);
                }
                case DIAGONAL -> {
                    for (int j = 0; j < d; j++) {
                        next[k * d + j] = Math.max(scatter[j], floor);
                    }
                }
                case SPHERICAL -> {
                    double v = 0;
                    for (int j = 0; j < d; j++) {
                        v += scatter[j];
                    }
                    next[k] = Math.max(v / d, floor);
                }
                case TIED -> {
                    for (int i = 0; i < d * d; i++) {
                        pooled[i] += n * scatter[i];
                    }
                    pooledWeight += n;
                }
            }
            for (int j = 0; j < d; j++) {
                nextMeans[k * d + j] += delta[j];
            }
        }
        if (covarianceType == CovarianceType.TIED && pooledWeight > 0) {
            for (int i = 0; i < d * d; i++) {
                pooled[i] /= pooledWeight;
            }
            double[] c = GaussianComponents.floorCovariance(pooled, d, floor);
            if (c != null) {
                next = c;
            }
        }
        return new GaussianEmission(states, d, covarianceType, nextMeans, next);
    }

    static boolean allFinite(double[] a) {
        for (double v : a) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * k-means++ on the observed vectors: the K centroids are the means, each cluster's scatter (the
     * whole data's when the cluster has fewer than two points) gives the covariance, floored at
     * max(covariance floor, 10⁻³ × the mean data variance) so that no start is degenerate.
     */
    @Override
    public GaussianEmission initialize(ObservedRows data, RandomGenerator random, HmmFitSettings settings) {
        double[][] points = Starts.points(data, states, random);
        Starts.Clusters clusters = Starts.kMeans(points, states, random);
        double[] globalMean = Starts.mean(Starts.all(points), d);
        double[] global = Starts.scatter(Starts.all(points), globalMean);
        double floor = startFloor(global, d, settings.covarianceFloor());
        double[] nextMeans = new double[states * d];
        double[][] scatters = new double[states][];
        for (int k = 0; k < states; k++) {
            System.arraycopy(clusters.centroids()[k], 0, nextMeans, k * d, d);
            List<double[]> members = clusters.members().get(k);
            scatters[k] = members.size() >= 2 ? Starts.scatter(members, clusters.centroids()[k]) : global;
        }
        double[] next = covarianceParameters(covarianceType, scatters, clusters, d, floor, global);
        return new GaussianEmission(states, d, covarianceType, nextMeans, next);
    }

    /** The floor for starting covariances: the fit's floor, or 10⁻³ of the mean data variance if larger. */
    static double startFloor(double[] globalScatter, int d, double floor) {
        double v = 0;
        for (int j = 0; j < d; j++) {
            v += globalScatter[j * d + j];
        }
        v /= d;
        return Double.isFinite(v) ? Math.max(floor, 1e-3 * v) : floor;
    }

    // The covariance parameters of `type` from per-Gaussian scatters (d×d each).
    static double[] covarianceParameters(CovarianceType type, double[][] scatters, Starts.Clusters clusters, int d,
            double floor, double[] global) {
        int count = scatters.length;
        switch (type) {
            case FULL -> {
                double[] p = new double[count * d * d];
                for (int k = 0; k < count; k++) {
                    System.arraycopy(GaussianComponents.floorCovariance(scatters[k], d, floor), 0, p, k * d * d, d * d);
                }
                return p;
            }
            case DIAGONAL -> {
                double[] p = new double[count * d];
                for (int k = 0; k < count; k++) {
                    for (int j = 0; j < d; j++) {
                        p[k * d + j] = Math.max(scatters[k][j * d + j], floor);
                    }
                }
                return p;
            }
            case SPHERICAL -> {
                double[] p = new double[count];
                for (int k = 0; k < count; k++) {
                    double v = 0;
                    for (int j = 0; j < d; j++) {
                        v += scatters[k][j * d + j];
                    }
                    p[k] = Math.max(v / d, floor);
                }
                return p;
            }
            case TIED -> {
                double[] pooled = new double[d * d];
                double n = 0;
                for (int k = 0; k < count; k++) {
                    int size = clusters == null ? 1 : clusters.members().get(k).size();
                    for (int i = 0; i < d * d; i++) {
                        pooled[i] += size * scatters[k][i];
                    }
                    n += size;
                }
                for (int i = 0; i < d * d; i++) {
                    pooled[i] = n > 0 ? pooled[i] / n : global[i];
                }
                return GaussianComponents.floorCovariance(pooled, d, floor);
            }
            default -> throw new IllegalStateException();
        }
    }

    // the packed arrays, owned: for the constrained and MAP M-steps of HmmFitControl (never modified there)
    double[] meansArray() {
        return means;
    }

    double[] covarianceArray() {
        return parameters;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GaussianEmission g && states == g.states && d == g.d && covarianceType == g.covarianceType
                && Arrays.equals(means, g.means) && Arrays.equals(parameters, g.parameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(states, d, covarianceType, Arrays.hashCode(means), Arrays.hashCode(parameters));
    }

    @Override
    public String toString() {
        return "gaussian(K=" + states + ", d=" + d + ", " + covarianceType.jsonName() + ")";
    }
}
