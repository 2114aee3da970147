package org.statespace.hmm;

import java.util.List;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.ObservationSpace;
import org.statespace.data.ObservedRows;
import org.statespace.data.Sequence;
import org.statespace.distribution.Categorical;
import org.statespace.distribution.Mixture;
import org.statespace.distribution.PredictiveDistribution;

/**
 * The emission densities b_k(o) = p(o_t = o | s_t = k) of an HMM's K states: categorical, Gaussian
 * (full, diagonal, spherical or tied covariances), Gaussian mixture, or Poisson. Immutable and
 * thread-safe; the per-step work happens in a {@link Workspace} that one thread owns.
 *
 * <p>Missing values: a step whose observation is entirely missing has no emission term (every
 * log b_k is 0); a vector with some components missing is scored by the marginal density of the
 * observed ones.
 */
public sealed interface EmissionModel
        permits CategoricalEmission, GaussianEmission, GaussianMixtureEmission, PoissonEmission {

    /** The {@code emission.type} of the spec: categorical, gaussian, gmm or poisson. */
    String type();

    /** K. */
    int stateCount();

    /** What the emissions produce: symbols 0..M-1, or real vectors of dimension d. */
    ObservationSpace observationSpace();

    /** The number of free emission parameters, as counted for AIC and BIC. */
    int parameterCount();

    /** The spec of the {@code "emission"} object; a fresh node on every call. */
    ObjectNode toSpec();

    /** Names of the symbols of a categorical emission, in index order; empty otherwise. */
    default List<String> symbolNames() {
        return List.of();
    }

    /** The emission distribution of state k as a fresh standalone distribution. */
    PredictiveDistribution stateDistribution(int state);

    /**
     * A fresh distribution of the next observation of a model with these emissions, for {@link #predict}: a
     * {@link Categorical} over the symbols for a categorical emission, else a {@link Mixture} of the K state
     * distributions.
     */
    default PredictiveDistribution newPredictive() {
        if (this instanceof CategoricalEmission c) {
            return new Categorical(c.symbolCount());
        }
        int states = stateCount();
        PredictiveDistribution[] parts = new PredictiveDistribution[states];
        for (int k = 0; k < states; k++) {
            parts[k] = stateDistribution(k);
        }
        return new Mixture(parts);
    }

    /**
     * p(o | past) = Σ_k w_k b_k(o) into {@code out} (made by {@link #newPredictive}), for weights w over the K
     * states: the categorical Σ_k w_k B_k, or the mixture's weights set to w.
     */
    default void predict(double[] weights, PredictiveDistribution out) {
        if (this instanceof CategoricalEmission c) {
            c.mix(weights, (Categorical) out);
        } else {
            ((Mixture) out).setWeights(weights, 0);
        }
    }

    /** A fresh workspace for evaluating, sampling and accumulating statistics; one per thread. */
    Workspace newWorkspace();

    /** A zeroed accumulator of expected sufficient statistics. */
    Statistics newStatistics();

    /**
     * The M-step: the emission parameters that maximise the expected complete-data log-likelihood
     * (plus the pseudo-count prior of the settings) given the statistics. A state (or mixture
     * component) that received no responsibility keeps its parameters; covariances are kept at or
     * above the settings' covariance floor (their eigenvalues clipped, the exact constrained maximum).
     */
    EmissionModel maximize(Statistics statistics, HmmFitSettings settings);

    /**
     * A data-driven random start of the same structure: k-means++ for Gaussian and mixture emissions,
     * random rows around the symbol frequencies for categorical ones, random rates around the means for
     * Poisson ones.
     */
    EmissionModel initialize(ObservedRows data, RandomGenerator random, HmmFitSettings settings);

    /** Per-thread scratch for the per-step work. Not thread-safe; never allocates per call. */
    interface Workspace {
        /**
         * Writes log b_k(o_t) for k = 0..K-1 into {@code out[offset .. offset+K)}; all 0 when o_t is
         * missing.
         *
         * @throws org.statespace.DataException when o_t is not a possible value (a symbol outside the
         *                                      alphabet, a negative or fractional count)
         */
        void logDensities(Sequence sequence, int t, double[] out, int offset);

        /**
         * The log-densities of the steps {@code from..to-1}, step t's K values at
         * {@code out[offset + (t - from)·stride ..]}: the numbers {@link #logDensities(Sequence, int, double[], int)}
         * writes step by step, in one call for a block of steps (the univariate Gaussian computes a block in one
         * loop, without a call per step).
         *
         * @throws org.statespace.DataException as the one-step method, for the first bad step
         */
        default void logDensities(Sequence sequence, int from, int to, double[] out, int offset, int stride) {
            for (int t = from; t < to; t++) {
                logDensities(sequence, t, out, offset + (t - from) * stride);
            }
        }

        /** Draws o ~ b_k into {@code out[offset .. offset+d)}. */
        void sample(int state, RandomGenerator random, double[] out, int offset);

        /**
         * Adds the expected statistics of step t, whose state has posterior probabilities
         * {@code weights[offset .. offset+K)}. A missing step adds nothing; missing components of a
         * partly observed vector are replaced by their conditional expectations given the state.
         */
        void accumulate(Statistics statistics, Sequence sequence, int t, double[] weights, int offset);
    }

    /** Expected sufficient statistics of the emission parameters; mutable, merged across threads. */
    interface Statistics {
        /** Adds another accumulator of the same emission model into this one. */
        void merge(Statistics other);

        /** The total responsibility Σ_t γ_t(k) that state k received from scored steps. */
        double responsibility(int state);

        /** this &larr; keep&middot;this + add&middot;other (see {@link org.statespace.capability.SufficientStatistics#blend}). */
        void blend(double keep, Statistics other, double add);

        /** Every number, reference points included, in a fixed order. */
        double[] toArray();

        /** Sets every number from {@link #toArray}'s layout; IllegalArgumentException on another length. */
        void setFrom(double[] values);
    }
}
