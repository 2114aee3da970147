package org.statespace.translate;

import java.util.List;

import org.statespace.hmm.CategoricalEmission;
import org.statespace.hmm.CovarianceType;
import org.statespace.hmm.EmissionModel;
import org.statespace.hmm.GaussianEmission;
import org.statespace.hmm.GaussianMixtureEmission;
import org.statespace.hmm.HiddenMarkovModel;
import org.statespace.hmm.PoissonEmission;
import org.statespace.numeric.Cholesky;
import org.statespace.rnn.BeliefEmission;
import org.statespace.rnn.Head;
import org.statespace.rnn.Layer;
import org.statespace.rnn.RnnArchitecture;
import org.statespace.rnn.RnnModel;

/**
 * An HMM as an rnn: one HMM cell of K states under a belief head. π → {@code initial_logits_l0} = log π;
 * A → {@code bias_ih_l0} = log A row-major ({@code bias_hh_l0} and the weights 0, so the transition does not
 * depend on the input); the emission → the cell's emission blocks: categorical log B, Poisson log-rates,
 * Gaussian means and their covariances in the source's structure, kept by the parametrisation so that
 * fine-tuning keeps it too (full: a Cholesky factor per state with a log-diagonal; diagonal: the log standard
 * deviations; spherical: one log standard deviation per state; tied: one shared factor), Gaussian mixtures
 * their log-weights, means and covariances (full or diagonal) likewise.
 */
public final class HmmToRnn {
    private HmmToRnn() {
    }

    public static RnnModel translate(HiddenMarkovModel hmm) {
        int k = hmm.stateCount();
        EmissionModel e = hmm.emissionModel();
        BeliefEmission emission;
        if (e instanceof CategoricalEmission) {
            emission = BeliefEmission.of(BeliefEmission.Kind.CATEGORICAL);
        } else if (e instanceof PoissonEmission) {
            emission = BeliefEmission.of(BeliefEmission.Kind.POISSON);
        } else if (e instanceof GaussianEmission g) {
            emission = new BeliefEmission(BeliefEmission.Kind.GAUSSIAN, 1, structure(g.covarianceType()));
        } else {
            GaussianMixtureEmission m = (GaussianMixtureEmission) e;
            emission = new BeliefEmission(BeliefEmission.Kind.MIXTURE, m.componentCount(), structure(m.covarianceType()));
        }
        boolean symbolic = emission.symbolic();
        int observed = symbolic ? ((CategoricalEmission) e).symbolCount() : e.observationSpace().dimension();
        Head head = Head.belief(observed, symbolic, symbolic ? e.symbolNames() : List.of());
        RnnArchitecture a = RnnArchitecture.stack(observed, List.of(Layer.hmm(k, emission)), head);
        double[] theta = new double[a.parameterCount()];
        fill(theta, a, "initial_logits_l0", hmm.initial());
        double[][] transition = hmm.transitionMatrix();
        int off = a.block("bias_ih_l0").offset();
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                theta[off + i * k + j] = ToRnn.log(transition[i][j]);
            }
        }
        if (e instanceof CategoricalEmission c) {
            int o = a.block("emission_logits_l0").offset();
            for (int s = 0; s < k; s++) {
                for (int j = 0; j < observed; j++) {
                    theta[o + s * observed + j] = ToRnn.log(c.probability(s, j));
                }
            }
        } else if (e instanceof PoissonEmission p) {
            int o = a.block("emission_log_rate_l0").offset();
            for (int s = 0; s < k; s++) {
                for (int j = 0; j < observed; j++) {
                    theta[o + s * observed + j] = ToRnn.log(p.rate(s, j));
                }
            }
        } else if (e instanceof GaussianEmission g) {
            for (int s = 0; s < k; s++) {
                gaussian(theta, a, emission.covariance(), s, g.mean(s), g.covariance(s));
            }
        } else {
            GaussianMixtureEmission m = (GaussianMixtureEmission) e;
            int c = m.componentCount();
            int o = a.block("emission_weight_logits_l0").offset();
            for (int s = 0; s < k; s++) {
                for (int q = 0; q < c; q++) {
                    theta[o + s * c + q] = ToRnn.log(m.weight(s, q));
                    gaussian(theta, a, emission.covariance(), s * c + q, m.mean(s, q), m.covariance(s, q));
                }
            }
        }
        return RnnModel.of(a, theta, null, 0);
    }

    static void fill(double[] theta, RnnArchitecture a, String block, double[] probabilities) {
        int off = a.block(block).offset();
        for (int i = 0; i < probabilities.length; i++) {
            theta[off + i] = ToRnn.log(probabilities[i]);
        }
    }

    private static BeliefEmission.Structure structure(CovarianceType type) {
        return switch (type) {
            case FULL -> BeliefEmission.Structure.FULL;
            case DIAGONAL -> BeliefEmission.Structure.DIAGONAL;
            case SPHERICAL -> BeliefEmission.Structure.SPHERICAL;
            case TIED -> BeliefEmission.Structure.TIED;
        };
    }

    // Gaussian g of the cell: its mean, and its covariance in the structure's block: log standard deviations
    // (diagonal, spherical), or L = chol(Σ) with the diagonal as logarithms (full; tied: once, shared)
    private static void gaussian(double[] theta, RnnArchitecture a, BeliefEmission.Structure structure, int g,
            double[] mean, double[][] covariance) {
        int d = mean.length;
        System.arraycopy(mean, 0, theta, a.block("emission_mean_l0").offset() + g * d, d);
        if (structure == BeliefEmission.Structure.DIAGONAL) {
            int o = a.block("emission_log_diagonal_l0").offset() + g * d;
            for (int i = 0; i < d; i++) {
                theta[o + i] = 0.5 * Math.log(covariance[i][i]);
            }
            return;
        }
        if (structure == BeliefEmission.Structure.SPHERICAL) {
            theta[a.block("emission_log_scale_l0").offset() + g] = 0.5 * Math.log(covariance[0][0]);
            return;
        }
        if (structure == BeliefEmission.Structure.TIED) {
            g = 0; // one shared factor
        }
        double[] flat = new double[d * d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(covariance[i], 0, flat, i * d, d);
        }
        double[] lower = new double[d * d];
        Cholesky.factor(flat, d, lower);
        int o = a.block("emission_cholesky_l0").offset() + g * d * d;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                theta[o + i * d + j] = i == j ? Math.log(lower[i * d + i]) : lower[i * d + j];
            }
        }
    }
}
