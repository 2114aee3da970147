package org.statespace.hmm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The unconstrained parametrisation of an HMM used for standard errors
 * ({@link org.statespace.capability.UnconstrainedParameters}).
 *
 * <p>Each transition row is a point of the simplex: over its positive entries P with reference r (the
 * last of them), θ_j = log(a_j / a_r) for j ∈ P \ {r}, and back a_j = e^{θ_j} / (1 + Σ e^{θ}), a_r =
 * 1 / (1 + Σ e^{θ}); entries that are 0 stay 0. So a row of K positive entries has K − 1 free parameters
 * and every reported probability, the reference included, gets its standard error through the delta
 * method. Categorical emission rows likewise; Poisson rates and Gaussian variances by their logs, Gaussian
 * means as they are. The initial distribution is held at its estimate: with one sequence its maximum
 * likelihood estimate is a corner of the simplex (the first state's posterior), where the information is
 * singular.
 */
final class HmmParameters {

    private HmmParameters() {
    }

    static Optional<String> unavailable(HiddenMarkovModel m) {
        EmissionModel e = m.emissionModel();
        if (m.control() != null && m.control().fitJson != null) {
            // the observed information of the free parameters alone would need the constraints' own parametrisation
            return Optional.of("standard errors are not computed for an HMM whose spec fixes, ties or bounds parameters "
                    + "(its \"fit\" block)");
        }
        if (e instanceof PoissonEmission || e instanceof CategoricalEmission) {
            return Optional.empty();
        }
        if (e instanceof GaussianEmission g && (g.covarianceType() == CovarianceType.DIAGONAL
                || g.covarianceType() == CovarianceType.SPHERICAL || g.dimension() == 1)) {
            return Optional.empty();    // in one dimension full and tied covariances are variances too
        }
        String what = e instanceof GaussianEmission g ? "Gaussian emissions with " + g.covarianceType().jsonName()
                + " covariances" : e.type() + " emissions";
        return Optional.of("standard errors are not implemented for HMMs with " + what
                + " (they are for Poisson, categorical, and diagonal, spherical or one-dimensional Gaussian emissions)");
    }

    private static void simplexToLogits(double[] row, List<Double> out) {
        int r = reference(row);
        for (int j = 0; j < row.length; j++) {
            if (j != r && row[j] > 0) {
                out.add(Math.log(row[j] / row[r]));
            }
        }
    }

    private static int reference(double[] row) {
        for (int j = row.length - 1; j >= 0; j--) {
            if (row[j] > 0) {
                return j;
            }
        }
        throw new IllegalStateException("a probability row without a positive entry");
    }

    /** Reads the logits of one row from theta at offset into a new row with the zero pattern of {@code pattern}. */
    private static int logitsToSimplex(double[] pattern, double[] theta, int offset, double[] out) {
        int r = reference(pattern);
        double max = 0;
        int k = offset;
        for (int j = 0; j < pattern.length; j++) {
            if (j != r && pattern[j] > 0) {
                max = Math.max(max, theta[k++]);
            }
        }
        double sum = Math.exp(-max);
        k = offset;
        for (int j = 0; j < pattern.length; j++) {
            if (j == r) {
                out[j] = Math.exp(-max);
            } else if (pattern[j] > 0) {
                out[j] = Math.exp(theta[k++] - max);
                sum += out[j];
            } else {
                out[j] = 0;
            }
        }
        for (int j = 0; j < pattern.length; j++) {
            out[j] /= sum;
        }
        return k;
    }

    static double[] theta(HiddenMarkovModel m) {
        List<Double> out = new ArrayList<>();
        for (double[] row : m.transitionMatrix()) {
            simplexToLogits(row, out);
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
                simplexToLogits(row, out);
            }
        } else if (e instanceof GaussianEmission g) {
            for (double[] mean : g.means()) {
                for (double v : mean) {
                    out.add(v);
                }
            }
            for (double v : gaussianVariances(g)) {
                out.add(Math.log(v));
            }
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
            offset = logitsToSimplex(a[i], theta, offset, next[i]);
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
                offset = logitsToSimplex(probabilities[i], theta, offset, rows[i]);
            }
            f = CategoricalEmission.of(c.symbolNames(), rows);
        } else {
            GaussianEmission g = (GaussianEmission) e;
            int d = g.dimension();
            double[][] means = new double[k][d];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < d; j++) {
                    means[i][j] = theta[offset++];
                }
            }
            if (g.covarianceType() == CovarianceType.TIED) {
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
            for (double v : gaussianVariances(g)) {
                out.add(v);
            }
        }
        double[] values = new double[out.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = out.get(i);
        }
        return values;
    }
}
