package org.statespace.hmm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.statespace.numeric.CovarianceParameters;

/**
 * The unconstrained parametrisation of an HMM used for standard errors
 * ({@link org.statespace.capability.UnconstrainedParameters}).
 *
 * <p>Each transition row is a point of the simplex: over its positive entries P with reference r (the
 * last of them), θ_j = log(a_j / a_r) for j ∈ P \ {r}, and back a_j = e^{θ_j} / (1 + Σ e^{θ}), a_r =
 * 1 / (1 + Σ e^{θ}); entries that are 0 stay 0. So a row of K positive entries has K − 1 free parameters
 * and every reported probability, the reference included, gets its standard error through the delta
 * method. Categorical emission rows and mixture weights likewise; Poisson rates and Gaussian variances (diagonal,
 * spherical, one-dimensional) by their logs, full and tied covariances in more than one dimension by their
 * Cholesky factors with log diagonals ({@link CovarianceParameters}), reported as their lower triangles;
 * Gaussian means as they are. The initial distribution is held at its estimate: with one sequence its maximum
 * likelihood estimate is a corner of the simplex (the first state's posterior), where the information is
 * singular.
 */
final class HmmParameters {

    private HmmParameters() {
    }

    static Optional<String> unavailable(HiddenMarkovModel m) {
        if (m.control() != null && m.control().fitJson != null) {
            // the observed information of the free parameters alone would need the constraints' own parametrisation
            return Optional.of("standard errors are not computed for an HMM whose spec fixes, ties or bounds parameters "
                    + "(its \"fit\" block)");
        }
        // every emission type (EmissionModel is sealed: Poisson, categorical, Gaussian, Gaussian mixture) has them
        return Optional.empty();
    }

    /** Whether a Gaussian's covariances are parametrised by Cholesky factors (full or tied in more than one dimension). */
    private static boolean cholesky(GaussianEmission g) {
        return g.dimension() > 1 && (g.covarianceType() == CovarianceType.FULL
                || g.covarianceType() == CovarianceType.TIED);
    }

    private static double[] packed(double[][] matrix) {
        return org.statespace.numeric.Validate.pack(matrix);
    }

    static double[] theta(HiddenMarkovModel m) {
        List<Double> out = new ArrayList<>();
        for (double[] row : m.transitionMatrix()) {
            org.statespace.numeric.SimplexLogits.toLogits(row, out);
        }
        EmissionModel e = m.emissionModel();
        if (e instanceof PoissonEmission p) {
            for (double[] row : p.rates()) {
                for (double v : row) {
                    if (v > 0) {
                        out.add(Math.log(v));
                    }
                }
            }
        } else if (e instanceof CategoricalEmission c) {
            for (double[] row : c.probabilities()) {
                org.statespace.numeric.SimplexLogits.toLogits(row, out);
            }
        } else if (e instanceof GaussianEmission g) {
            for (double[] mean : g.means()) {
                for (double v : mean) {
                    out.add(v);
                }
            }
            if (cholesky(g)) {
                int shared = g.covarianceType() == CovarianceType.TIED ? 1 : g.stateCount();
                for (int i = 0; i < shared; i++) {
                    CovarianceParameters.toUnconstrained(packed(g.covariance(i)), g.dimension(), out);
                }
            } else {
                for (double v : gaussianVariances(g)) {
                    out.add(Math.log(v));
                }
            }
        } else if (e instanceof GaussianMixtureEmission x) {
            mixture(x, true, out);
        }
        double[] theta = new double[out.size()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = out.get(i);
        }
        return theta;
    }

    /** The free variances: K×d diagonal entries (full: d = 1), K for spherical, 1 for tied (d = 1). */
    private static double[] gaussianVariances(GaussianEmission g) {
        int k = g.stateCount();
        int d = g.dimension();
        if (g.covarianceType() == CovarianceType.TIED) {
            return new double[] {g.covariance(0)[0][0]};
        }
        boolean spherical = g.covarianceType() == CovarianceType.SPHERICAL;
        double[] out = new double[spherical ? k : k * d];
        for (int i = 0; i < k; i++) {
            double[][] c = g.covariance(i);
            if (spherical) {
                out[i] = c[0][0];
            } else {
                for (int j = 0; j < d; j++) {
                    out[i * d + j] = c[j][j];
                }
            }
        }
        return out;
    }

    static HiddenMarkovModel with(HiddenMarkovModel m, double[] theta) {
        int k = m.stateCount();
        double[][] a = m.transitionMatrix();
        double[][] next = new double[k][k];
        int offset = 0;
        for (int i = 0; i < k; i++) {
            offset = org.statespace.numeric.SimplexLogits.fromLogits(a[i], theta, offset, next[i]);
        }
        EmissionModel e = m.emissionModel();
        EmissionModel f;
        if (e instanceof PoissonEmission p) {
            double[][] rates = p.rates();
            for (double[] row : rates) {
                for (int j = 0; j < row.length; j++) {
                    if (row[j] > 0) {
                        row[j] = Math.exp(theta[offset++]);
                    }
                }
            }
            f = PoissonEmission.of(rates);
        } else if (e instanceof CategoricalEmission c) {
            double[][] probabilities = c.probabilities();
            double[][] rows = new double[probabilities.length][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = new double[probabilities[i].length];
                offset = org.statespace.numeric.SimplexLogits.fromLogits(probabilities[i], theta, offset, rows[i]);
            }
            f = CategoricalEmission.of(c.symbolNames(), rows);
        } else if (e instanceof GaussianMixtureEmission x) {
            int c = x.componentCount();
            int d = x.dimension();
            double[][] weights = new double[k][c];
            for (int i = 0; i < k; i++) {
                offset = org.statespace.numeric.SimplexLogits.fromLogits(weights(x, i), theta, offset, weights[i]);
            }
            double[][][] means = new double[k][c][d];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < c; j++) {
                    for (int q = 0; q < d; q++) {
                        means[i][j][q] = theta[offset++];
                    }
                }
            }
            if (x.covarianceType() == CovarianceType.FULL) {
                double[][][][] covariances = new double[k][c][][];
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < c; j++) {
                        if (d > 1) {
                            covariances[i][j] = org.statespace.numeric.Validate.unpack(
                                    CovarianceParameters.fromUnconstrained(theta, offset, d), d, d);
                            offset += CovarianceParameters.count(d);
                        } else {
                            covariances[i][j] = new double[][] {{Math.exp(theta[offset++])}};
                        }
                    }
                }
                f = GaussianMixtureEmission.full(weights, means, covariances);
            } else {
                double[][][] variances = new double[k][c][d];
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < c; j++) {
                        for (int q = 0; q < d; q++) {
                            variances[i][j][q] = Math.exp(theta[offset++]);
                        }
                    }
                }
                f = GaussianMixtureEmission.diagonal(weights, means, variances);
            }
        } else {
            GaussianEmission g = (GaussianEmission) e;
            int d = g.dimension();
            double[][] means = new double[k][d];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < d; j++) {
                    means[i][j] = theta[offset++];
                }
            }
            if (cholesky(g)) {
                if (g.covarianceType() == CovarianceType.TIED) {
                    f = GaussianEmission.tied(means, org.statespace.numeric.Validate.unpack(
                            CovarianceParameters.fromUnconstrained(theta, offset, d), d, d));
                    offset += CovarianceParameters.count(d);
                } else {
                    double[][][] v = new double[k][][];
                    for (int i = 0; i < k; i++) {
                        v[i] = org.statespace.numeric.Validate.unpack(
                                CovarianceParameters.fromUnconstrained(theta, offset, d), d, d);
                        offset += CovarianceParameters.count(d);
                    }
                    f = GaussianEmission.full(means, v);
                }
            } else if (g.covarianceType() == CovarianceType.TIED) {
                f = GaussianEmission.tied(means, new double[][] {{Math.exp(theta[offset++])}});
            } else if (g.covarianceType() == CovarianceType.FULL) {
                double[][][] v = new double[k][1][1];
                for (int i = 0; i < k; i++) {
                    v[i][0][0] = Math.exp(theta[offset++]);
                }
                f = GaussianEmission.full(means, v);
            } else if (g.covarianceType() == CovarianceType.SPHERICAL) {
                double[] v = new double[k];
                for (int i = 0; i < k; i++) {
                    v[i] = Math.exp(theta[offset++]);
                }
                f = GaussianEmission.spherical(means, v);
            } else {
                double[][] v = new double[k][d];
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < d; j++) {
                        v[i][j] = Math.exp(theta[offset++]);
                    }
                }
                f = GaussianEmission.diagonal(means, v);
            }
        }
        if (offset != theta.length) {
            throw new IllegalArgumentException("expected " + offset + " free parameters, got " + theta.length);
        }
        return HiddenMarkovModel.trusted(m.stateNames(), m.initial(), org.statespace.numeric.Validate.pack(next), f);
    }

    /**
     * A mixture's weights, means and covariances in parameter order: as θ ({@code unconstrained}: weight logits,
     * log-variances, Cholesky factors) or as the reported values (weights, variances, lower triangles).
     */
    private static void mixture(GaussianMixtureEmission x, boolean unconstrained, List<Double> out) {
        int d = x.dimension();
        for (int i = 0; i < x.stateCount(); i++) {
            if (unconstrained) {
                org.statespace.numeric.SimplexLogits.toLogits(weights(x, i), out);
            } else {
                for (double v : weights(x, i)) {
                    out.add(v);
                }
            }
        }
        for (int i = 0; i < x.stateCount(); i++) {
            for (int c = 0; c < x.componentCount(); c++) {
                for (double v : x.mean(i, c)) {
                    out.add(v);
                }
            }
        }
        for (int i = 0; i < x.stateCount(); i++) {
            for (int c = 0; c < x.componentCount(); c++) {
                double[] cov = packed(x.covariance(i, c));
                if (x.covarianceType() == CovarianceType.FULL && d > 1) {
                    if (unconstrained) {
                        CovarianceParameters.toUnconstrained(cov, d, out);
                    } else {
                        CovarianceParameters.lowerTriangle(cov, d, out);
                    }
                } else {
                    for (int j = 0; j < d; j++) {
                        out.add(unconstrained ? Math.log(cov[j * d + j]) : cov[j * d + j]);
                    }
                }
            }
        }
    }

    /** The mixture weights of one state (C). */
    private static double[] weights(GaussianMixtureEmission x, int state) {
        double[] w = new double[x.componentCount()];
        for (int c = 0; c < w.length; c++) {
            w[c] = x.weight(state, c);
        }
        return w;
    }

    private static List<String> defaultNames(int k) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    static List<String> names(HiddenMarkovModel m) {
        List<String> out = new ArrayList<>();
        int k = m.stateCount();
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                out.add("transition[" + m.stateName(i) + "->" + m.stateName(j) + "]");
            }
        }
        EmissionModel e = m.emissionModel();
        if (e instanceof PoissonEmission p) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < p.dimension(); j++) {
                    out.add("rate[" + m.stateName(i) + "]" + (p.dimension() > 1 ? "[" + j + "]" : ""));
                }
            }
        } else if (e instanceof CategoricalEmission c) {
            for (int i = 0; i < k; i++) {
                for (String symbol : c.symbolNames().isEmpty() ? defaultNames(c.symbolCount()) : c.symbolNames()) {
                    out.add("emission[" + m.stateName(i) + "][" + symbol + "]");
                }
            }
        } else if (e instanceof GaussianEmission g) {
            int d = g.dimension();
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < d; j++) {
                    out.add("mean[" + m.stateName(i) + "]" + (d > 1 ? "[" + j + "]" : ""));
                }
            }
            if (cholesky(g)) {
                if (g.covarianceType() == CovarianceType.TIED) {
                    CovarianceParameters.lowerTriangleNames("covariance", d, out);
                } else {
                    for (int i = 0; i < k; i++) {
                        CovarianceParameters.lowerTriangleNames("covariance[" + m.stateName(i) + "]", d, out);
                    }
                }
                return out;
            }
            if (g.covarianceType() == CovarianceType.TIED) {
                out.add("variance");
                return out;
            }
            boolean spherical = g.covarianceType() == CovarianceType.SPHERICAL;
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < (spherical ? 1 : d); j++) {
                    out.add("variance[" + m.stateName(i) + "]" + (d > 1 && !spherical ? "[" + j + "]" : ""));
                }
            }
        } else if (e instanceof GaussianMixtureEmission x) {
            int d = x.dimension();
            int c = x.componentCount();
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < c; j++) {
                    out.add("weight[" + m.stateName(i) + "][" + j + "]");
                }
            }
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < c; j++) {
                    for (int a = 0; a < d; a++) {
                        out.add("mean[" + m.stateName(i) + "][" + j + "]" + (d > 1 ? "[" + a + "]" : ""));
                    }
                }
            }
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < c; j++) {
                    String component = "[" + m.stateName(i) + "][" + j + "]";
                    if (x.covarianceType() == CovarianceType.FULL && d > 1) {
                        CovarianceParameters.lowerTriangleNames("covariance" + component, d, out);
                    } else {
                        for (int a = 0; a < d; a++) {
                            out.add("variance" + component + (d > 1 ? "[" + a + "]" : ""));
                        }
                    }
                }
            }
        }
        return out;
    }

    static double[] values(HiddenMarkovModel m) {
        List<Double> out = new ArrayList<>();
        for (double[] row : m.transitionMatrix()) {
            for (double v : row) {
                out.add(v);
            }
        }
        EmissionModel e = m.emissionModel();
        if (e instanceof PoissonEmission p) {
            for (double[] row : p.rates()) {
                for (double v : row) {
                    out.add(v);
                }
            }
        } else if (e instanceof CategoricalEmission c) {
            for (double[] row : c.probabilities()) {
                for (double v : row) {
                    out.add(v);
                }
            }
        } else if (e instanceof GaussianEmission g) {
            for (double[] mean : g.means()) {
                for (double v : mean) {
                    out.add(v);
                }
            }
            if (cholesky(g)) {
                int shared = g.covarianceType() == CovarianceType.TIED ? 1 : g.stateCount();
                for (int i = 0; i < shared; i++) {
                    CovarianceParameters.lowerTriangle(packed(g.covariance(i)), g.dimension(), out);
                }
            } else {
                for (double v : gaussianVariances(g)) {
                    out.add(v);
                }
            }
        } else if (e instanceof GaussianMixtureEmission x) {
            mixture(x, false, out);
        }
        double[] values = new double[out.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = out.get(i);
        }
        return values;
    }
}
