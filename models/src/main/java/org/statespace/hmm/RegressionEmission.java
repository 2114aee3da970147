package org.statespace.hmm;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.NumericalException;
import org.statespace.ObservationSpace;
import org.statespace.data.Sequence;
import org.statespace.distribution.Gaussian;
import org.statespace.distribution.Mixture;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.numeric.Cholesky;
import org.statespace.numeric.Validate;
import org.statespace.spec.Json;
import org.statespace.spec.SpecNode;

/**
 * Linear-Gaussian emissions of an {@link InputOutputHmm} whose mean is a regression on the step's inputs
 * and on the previous observations:
 *
 * <pre>
 *   o_t | s_t = k ~ N(C_k x_t, Σ_k),   x_t = [u_t; o_{t-1}; ...; o_{t-L}; 1]   (q = p' + L·d + 1)
 * </pre>
 *
 * with u_t the p inputs when {@code "inputs": true} (p' = p, else p' = 0) and L = {@code "lags"}
 * autoregressive lags. {@code "inputs": true, "lags": 0} is the regression emission (mean C_k u_t + d_k, as in
 * dynamax's LinearRegressionHMM); {@code "inputs": false, "lags": L} the autoregressive HMM (Hamilton 1989;
 * dynamax's LinearAutoregressiveHMM). Lags before the start of a sequence are 0 (dynamax's convention). A
 * step with a missing component, or whose lags hold a missing value, has no emission term (it is not scored,
 * as a missing step of an HMM).
 *
 * <p>The M-step is weighted least squares per state with the posteriors γ_t(k) as weights:
 * C_k = S_yx S_xx⁻¹ and Σ_k = (S_yy - C_k S_xy) / Σ_t γ_t(k), with S_xx = Σ γ x xᵀ, S_yx = Σ γ y xᵀ,
 * S_yy = Σ γ y yᵀ; a state whose S_xx is singular (too few steps to determine C_k) keeps its parameters, and
 * a fitted Σ_k whose eigenvalues fall below the covariance floor gets the floor added to its diagonal.
 */
public final class RegressionEmission {
    static final String TYPE = "regression";

    final int k;
    final int d;
    final int p;
    final boolean inputs;
    final int lags;
    final int q;
    final double[] coefficients; // K×d×q
    final double[] covariances;  // K×d×d
    private final double[] factors;
    private final double[] logNormalizers; // -½ (d log 2π + log det Σ_k)

    RegressionEmission(int k, int d, int p, boolean inputs, int lags, double[] coefficients, double[] covariances) {
        this.k = k;
        this.d = d;
        this.p = p;
        this.inputs = inputs;
        this.lags = lags;
        this.q = (inputs ? p : 0) + lags * d + 1;
        this.coefficients = coefficients;
        this.covariances = covariances;
        factors = new double[k * d * d];
        logNormalizers = new double[k];
        double[] lower = new double[d * d];
        for (int s = 0; s < k; s++) {
            Cholesky.factor(Arrays.copyOfRange(covariances, s * d * d, (s + 1) * d * d), d, lower);
            System.arraycopy(lower, 0, factors, s * d * d, d * d);
            logNormalizers[s] = -0.5 * (d * Math.log(2 * Math.PI) + Cholesky.logDeterminant(lower, d));
        }
    }

    /**
     * Reads {@code {"type": "regression", "inputs": true, "lags": 0, "coefficients": K×d×q, "covariances": K×d×d}}
     * for a model of K states and p inputs; the last column of each coefficient matrix is the intercept d_k.
     */
    static RegressionEmission read(SpecNode e, int k, int p) {
        e.requireObject(IoHmmFields.REGRESSION);
        boolean inputs = e.optional("inputs").map(SpecNode::asBoolean).orElse(true);
        int lags = e.optional("lags").map(n -> n.asInt(0, 100)).orElse(0);
        if (inputs && p == 0) {
            throw e.errorAt("inputs", "true, but the model declares no inputs (\"inputs\": 0)");
        }
        SpecNode coefficientsNode = e.field("coefficients");
        java.util.List<SpecNode> perState = coefficientsNode.elements();
        if (perState.size() != k) {
            throw coefficientsNode.error("expected " + k + " matrices (one per state), got " + perState.size());
        }
        double[][] first = perState.get(0).asMatrix();
        int d = first.length;
        int q = (inputs ? p : 0) + lags * d + 1;
        double[] coefficients = new double[k * d * q];
        for (int s = 0; s < k; s++) {
            double[][] c = perState.get(s).asMatrix(d, q);
            for (int i = 0; i < d; i++) {
                System.arraycopy(c[i], 0, coefficients, (s * d + i) * q, q);
            }
        }
        SpecNode covNode = e.field("covariances");
        java.util.List<SpecNode> covs = covNode.elements();
        if (covs.size() != k) {
            throw covNode.error("expected " + k + " matrices (one per state), got " + covs.size());
        }
        double[] covariances = new double[k * d * d];
        for (int s = 0; s < k; s++) {
            double[][] c = covs.get(s).asSquareMatrix(d);
            Validate.positiveDefinite(covs.get(s), c);
            System.arraycopy(Validate.pack(c), 0, covariances, s * d * d, d * d);
        }
        return new RegressionEmission(k, d, p, inputs, lags, coefficients, covariances);
    }

    ObjectNode toSpec() {
        ObjectNode o = Json.object();
        o.put("type", TYPE);
        o.put("inputs", inputs);
        o.put("lags", lags);
        ArrayNode c = o.putArray("coefficients");
        ArrayNode v = o.putArray("covariances");
        for (int s = 0; s < k; s++) {
            c.add(Json.matrix(Arrays.copyOfRange(coefficients, s * d * q, (s + 1) * d * q), d, q));
            v.add(Json.matrix(Arrays.copyOfRange(covariances, s * d * d, (s + 1) * d * d), d, d));
        }
        return o;
    }

    ObservationSpace observationSpace() {
        return ObservationSpace.reals(d);
    }

    /** K (d q + d (d + 1) / 2). */
    int parameterCount() {
        return k * (d * q + d * (d + 1) / 2);
    }

    /** C_k (d×q, a copy; the last column is the intercept). */
    public double[][] coefficients(int state) {
        return Validate.unpack(Arrays.copyOfRange(coefficients, state * d * q, (state + 1) * d * q), d, q);
    }

    /** Σ_k (d×d, a copy). */
    public double[][] covariance(int state) {
        return Validate.unpack(Arrays.copyOfRange(covariances, state * d * d, (state + 1) * d * d), d, d);
    }

    /**
     * x_t into {@code x[0..q)}: the inputs, the lags (0 before the start), 1. Returns false when o_t or a lag
     * has a missing component (the step is not scored); the regressors are then still written, missing lags as 0.
     */
    boolean regressors(Sequence s, int t, double[] x) {
        int c = 0;
        if (inputs) {
            for (int l = 0; l < p; l++) {
                x[c++] = s.input(t, l);
            }
        }
        boolean complete = true;
        for (int lag = 1; lag <= lags; lag++) {
            for (int i = 0; i < d; i++) {
                double v = t - lag >= 0 ? s.value(t - lag, i) : 0;
                if (Double.isNaN(v)) {
                    complete = false;
                    v = 0;
                }
                x[c++] = v;
            }
        }
        x[c] = 1;
        if (t < s.length()) {
            for (int i = 0; i < d; i++) {
                if (Double.isNaN(s.value(t, i))) {
                    return false;
                }
            }
        }
        return complete;
    }

    void mean(int state, double[] x, double[] out) {
        for (int i = 0; i < d; i++) {
            double m = 0;
            int row = (state * d + i) * q;
            for (int l = 0; l < q; l++) {
                m += coefficients[row + l] * x[l];
            }
            out[i] = m;
        }
    }

    EmissionModel.Workspace newWorkspace() {
        return new Workspace();
    }

    Statistics newStatistics() {
        return new Statistics(k, d, q);
    }

    /** The predictive distribution workspace: a mixture of the K state Gaussians. */
    PredictiveDistribution newPredictive() {
        Gaussian[] parts = new Gaussian[k];
        for (int s = 0; s < k; s++) {
            parts[s] = new Gaussian(d);
        }
        return new Mixture(parts);
    }

    /** Sets the state Gaussians of step t and the weights. */
    void predict(double[] weights, Sequence s, int t, Mixture out, double[] x, double[] m) {
        regressors(s, t, x);
        for (int state = 0; state < k; state++) {
            mean(state, x, m);
            ((Gaussian) out.component(state)).setFactored(m, 0, Arrays.copyOfRange(covariances, state * d * d,
                    (state + 1) * d * d), Arrays.copyOfRange(factors, state * d * d, (state + 1) * d * d));
        }
        out.setWeights(weights, 0);
    }

    final class Workspace implements EmissionModel.Workspace {
        final double[] x = new double[q];
        final double[] residual = new double[d];

        @Override
        public void logDensities(Sequence sequence, int t, double[] out, int offset) {
            if (!regressors(sequence, t, x)) {
                Arrays.fill(out, offset, offset + k, 0);
                return;
            }
            for (int s = 0; s < k; s++) {
                mean(s, x, residual);
                for (int i = 0; i < d; i++) {
                    residual[i] = sequence.value(t, i) - residual[i];
                }
                Cholesky.solveLower(Arrays.copyOfRange(factors, s * d * d, (s + 1) * d * d), d, residual);
                double quad = 0;
                for (int i = 0; i < d; i++) {
                    quad += residual[i] * residual[i];
                }
                out[offset + s] = logNormalizers[s] - 0.5 * quad;
            }
        }

        /** Regression emissions need the step's regressors: sample through the model's predictive distribution. */
        @Override
        public void sample(int state, RandomGenerator random, double[] out, int offset) {
            throw new UnsupportedOperationException("regression emissions depend on the step; sample the model through "
                    + "its predictive distributions (org.statespace.Sampling)");
        }

        @Override
        public void accumulate(EmissionModel.Statistics statistics, Sequence sequence, int t, double[] weights, int offset) {
            if (!regressors(sequence, t, x)) {
                return;
            }
            Statistics st = (Statistics) statistics;
            for (int s = 0; s < k; s++) {
                double g = weights[offset + s];
                if (g == 0) {
                    continue;
                }
                st.weight[s] += g;
                int xx = s * q * q;
                for (int a = 0; a < q; a++) {
                    for (int b = 0; b < q; b++) {
                        st.xx[xx + a * q + b] += g * x[a] * x[b];
                    }
                }
                for (int i = 0; i < d; i++) {
                    double y = sequence.value(t, i);
                    for (int a = 0; a < q; a++) {
                        st.yx[(s * d + i) * q + a] += g * y * x[a];
                    }
                    for (int j = 0; j < d; j++) {
                        st.yy[(s * d + i) * d + j] += g * y * sequence.value(t, j);
                    }
                }
            }
        }
    }

    /** Σ γ, Σ γ x xᵀ, Σ γ y xᵀ and Σ γ y yᵀ per state. */
    static final class Statistics implements EmissionModel.Statistics {
        final int k;
        final double[] weight;
        final double[] xx;
        final double[] yx;
        final double[] yy;

        Statistics(int k, int d, int q) {
            this.k = k;
            weight = new double[k];
            xx = new double[k * q * q];
            yx = new double[k * d * q];
            yy = new double[k * d * d];
        }

        @Override
        public void merge(EmissionModel.Statistics other) {
            Statistics o = (Statistics) other;
            GaussianEmission.Stats.add(weight, o.weight);
            GaussianEmission.Stats.add(xx, o.xx);
            GaussianEmission.Stats.add(yx, o.yx);
            GaussianEmission.Stats.add(yy, o.yy);
        }

        @Override
        public double responsibility(int state) {
            return weight[state];
        }

        /** Raw (uncentred) sums, so a blend is the same blend of every sum. */
        @Override
        public void blend(double keep, EmissionModel.Statistics other, double add) {
            Statistics o = (Statistics) other;
            org.statespace.capability.SufficientStatistics.blend(weight, keep, o.weight, add);
            org.statespace.capability.SufficientStatistics.blend(xx, keep, o.xx, add);
            org.statespace.capability.SufficientStatistics.blend(yx, keep, o.yx, add);
            org.statespace.capability.SufficientStatistics.blend(yy, keep, o.yy, add);
        }

        @Override
        public double[] toArray() {
            return org.statespace.capability.SufficientStatistics.concat(weight, xx, yx, yy);
        }

        @Override
        public void setFrom(double[] values) {
            org.statespace.capability.SufficientStatistics.split(values, weight, xx, yx, yy);
        }
    }

    /** Weighted least squares per state (see the class comment). */
    RegressionEmission maximize(Statistics st, double covarianceFloor) {
        double[] c = coefficients.clone();
        double[] v = covariances.clone();
        double[] lower = new double[q * q];
        double[] row = new double[q];
        for (int s = 0; s < k; s++) {
            double w = st.weight[s];
            if (!(w > 0)) {
                continue;
            }
            try {
                Cholesky.factor(Arrays.copyOfRange(st.xx, s * q * q, (s + 1) * q * q), q, lower);
            } catch (NumericalException singular) {
                continue; // too few steps to determine C_k: keep the state's parameters
            }
            double[] ck = new double[d * q];
            for (int i = 0; i < d; i++) { // row i of C_k solves S_xx c = S_xy[:, i]
                System.arraycopy(st.yx, (s * d + i) * q, row, 0, q);
                Cholesky.solveLower(lower, q, row);
                Cholesky.solveUpperTransposed(lower, q, row);
                System.arraycopy(row, 0, ck, i * q, q);
            }
            double[] cov = new double[d * d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double sum = st.yy[(s * d + i) * d + j];
                    for (int a = 0; a < q; a++) {
                        sum -= ck[i * q + a] * st.yx[(s * d + j) * q + a];
                    }
                    cov[i * d + j] = sum / w;
                }
            }
            for (int i = 0; i < d; i++) { // exactly symmetric
                for (int j = 0; j < i; j++) {
                    double m = 0.5 * (cov[i * d + j] + cov[j * d + i]);
                    cov[i * d + j] = m;
                    cov[j * d + i] = m;
                }
            }
            double smallest = Double.POSITIVE_INFINITY;
            for (double e : Validate.eigenvalues(Validate.unpack(cov, d, d))) {
                smallest = Math.min(smallest, e);
            }
            if (!(smallest >= covarianceFloor)) {
                for (int i = 0; i < d; i++) {
                    cov[i * d + i] += covarianceFloor - Math.min(smallest, 0);
                }
            }
            System.arraycopy(ck, 0, c, s * d * q, d * q);
            System.arraycopy(cov, 0, v, s * d * d, d * d);
        }
        return new RegressionEmission(k, d, p, inputs, lags, c, v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegressionEmission r && r.k == k && r.d == d && r.p == p && r.inputs == inputs
                && r.lags == lags && Arrays.equals(r.coefficients, coefficients) && Arrays.equals(r.covariances, covariances);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(coefficients) * 31 + Arrays.hashCode(covariances);
    }
}
