package org.statespace.kalman;

import java.util.ArrayList;
import java.util.List;

import org.statespace.data.Sequence;

/**
 * The moments a forward pass of the Kalman filter stores for the smoother (which takes this, not the
 * filter): per step t the predicted a_t, P_t and filtered a_t|t, P_t|t, the information W_t = H_oᵀ F_oo⁻¹ H_o
 * and score s_t = H_oᵀ F_oo⁻¹ v_t (from the factor the update used), during an exact diffuse start what
 * each observed component left (z, v, F_∞, F_*, M_∞, M_*), the transition matrix F the pass used, and the
 * log-likelihood. Packed arrays: T×n means, T×n×n covariances, row-major.
 */
final class FilterMoments {
    final int length;
    final int n;
    final double[] transition;
    final String sequenceId;
    final double[] predictedMeans;
    final double[] predictedCovariances;
    final double[] filteredMeans;
    final double[] filteredCovariances;
    final double[] information;
    final double[] scores;
    final List<DiffuseStep> diffuseSteps = new ArrayList<>();
    double logLikelihood;
    int resolvedDiffuse;
    /** Part of the diffuse initial state is still diffuse after the last step (it cannot be smoothed). */
    boolean diffuseAtEnd;

    FilterMoments(int length, int n, double[] transition, String sequenceId) {
        this.length = length;
        this.n = n;
        this.transition = transition;
        this.sequenceId = sequenceId;
        predictedMeans = new double[length * n];
        predictedCovariances = new double[length * n * n];
        filteredMeans = new double[length * n];
        filteredCovariances = new double[length * n * n];
        information = new double[length * n * n];
        scores = new double[length * n];
    }

    /** What a step of the diffuse phase leaves for the backward pass. */
    static final class DiffuseStep {
        final double[] predictedDiffuse;
        final double[] filteredDiffuse;
        final int count;
        /** What each of the {@link #count} observed components left, in the filter's own layout. */
        final KalmanState.DiffuseComponents components;

        DiffuseStep(KalmanState s) {
            int n = s.n;
            count = s.observedCount;
            predictedDiffuse = s.diffuseCovariance.clone();
            filteredDiffuse = s.filteredDiffuse ? s.filteredDiffuseCovariance.clone() : new double[n * n];
            components = s.components.copy(count, n);
        }
    }

    /**
     * One step's stored moments (a_t, P_t, a_t|t, P_t|t, W_t, s_t; W_t and s_t zero at a step without observations
     * or of the diffuse phase): the workspace of {@link #step}, of {@link KalmanSmoother.Backward} and of the
     * spilled passes ({@link SpilledKalman}), which copy it to and from their packed storage.
     */
    static final class Step {
        final double[] predictedMean;
        final double[] predictedCovariance;
        final double[] filteredMean;
        final double[] filteredCovariance;
        final double[] information;
        final double[] score;

        Step(int n) {
            predictedMean = new double[n];
            predictedCovariance = new double[n * n];
            filteredMean = new double[n];
            filteredCovariance = new double[n * n];
            information = new double[n * n];
            score = new double[n];
        }

        /** Step t of {@code rec}'s packed arrays into this. */
        void copyFrom(FilterMoments rec, int t) {
            int n = predictedMean.length;
            int nn = n * n;
            System.arraycopy(rec.predictedMeans, t * n, predictedMean, 0, n);
            System.arraycopy(rec.predictedCovariances, t * nn, predictedCovariance, 0, nn);
            System.arraycopy(rec.filteredMeans, t * n, filteredMean, 0, n);
            System.arraycopy(rec.filteredCovariances, t * nn, filteredCovariance, 0, nn);
            System.arraycopy(rec.information, t * nn, information, 0, nn);
            System.arraycopy(rec.scores, t * n, score, 0, n);
        }

        /** This into step t of {@code rec}'s packed arrays. */
        void copyTo(FilterMoments rec, int t) {
            int n = predictedMean.length;
            int nn = n * n;
            System.arraycopy(predictedMean, 0, rec.predictedMeans, t * n, n);
            System.arraycopy(predictedCovariance, 0, rec.predictedCovariances, t * nn, nn);
            System.arraycopy(filteredMean, 0, rec.filteredMeans, t * n, n);
            System.arraycopy(filteredCovariance, 0, rec.filteredCovariances, t * nn, nn);
            System.arraycopy(information, 0, rec.information, t * nn, nn);
            System.arraycopy(score, 0, rec.scores, t * n, n);
        }
    }

    /** Runs {@code filter} over {@code sequence}, keeping its predicted and filtered moments and W_t, s_t. */
    static FilterMoments record(KalmanFilter filter, Sequence sequence) {
        int length = sequence.length();
        int n = filter.stateDimension();
        FilterMoments rec = new FilterMoments(length, n, filter.transitionMatrix(), sequence.id());
        KalmanState s = filter.newState();
        double[] x = scratch(filter);
        Step step = new Step(n);
        double total = 0;
        for (int t = 0; t < length; t++) {
            total += step(filter, s, sequence, t, x, step, rec.diffuseSteps);
            step.copyTo(rec, t);
        }
        rec.diffuseAtEnd = length > 0 && s.filteredDiffuse;
        rec.logLikelihood = total;
        rec.resolvedDiffuse = s.resolvedDiffuse;
        return rec;
    }

    /** The scratch {@link #step} needs for W_t. */
    static double[] scratch(KalmanFilter filter) {
        return new double[Math.max(1, filter.observationDimension()) * filter.stateDimension()];
    }

    /**
     * Step t of the forward pass, the one kernel of {@link #record} and of the spilled filter: predicts (starts at
     * t = 0) and updates {@code s} with step t of {@code sequence} (a whole sequence or a window holding step t),
     * puts the step's moments in {@code out}, and appends what a diffuse step leaves to {@code diffuseSteps}.
     * Returns log p(y_t | y_0..y_{t-1}).
     */
    static double step(KalmanFilter filter, KalmanState s, Sequence sequence, int t, double[] x, Step out,
            List<DiffuseStep> diffuseSteps) {
        int n = s.n;
        if (t == 0) {
            filter.start(s, sequence);
        } else {
            filter.propagate(s, sequence, t);
        }
        boolean diffuse = s.diffuse;
        System.arraycopy(s.mean, 0, out.predictedMean, 0, n);
        System.arraycopy(s.current.covariance, 0, out.predictedCovariance, 0, n * n);
        filter.update(s, sequence, t);
        System.arraycopy(s.filteredMean, 0, out.filteredMean, 0, n);
        System.arraycopy(s.current.filteredCovariance, 0, out.filteredCovariance, 0, n * n);
        if (diffuse) {
            diffuseSteps.add(new DiffuseStep(s));
        }
        if (!diffuse && s.observedCount > 0) {
            information(filter, s, x, out.information, out.score);
        } else {
            java.util.Arrays.fill(out.information, 0);
            java.util.Arrays.fill(out.score, 0);
        }
        return s.logDensity;
    }

    // W = H_oᵀ F_oo⁻¹ H_o = Xᵀ X and s = Xᵀ L⁻¹ v with X = L⁻¹ H_o, from the factor the update used.
    private static void information(KalmanFilter filter, KalmanState s, double[] x, double[] w, double[] scores) {
        int n = s.n;
        int m = s.m;
        int k = s.observedCount;
        double[] lower = k == m ? s.current.factor : s.subFactor;
        double[] h = filter.observationMatrix();
        for (int a = 0; a < k; a++) {
            System.arraycopy(h, s.observed[a] * n, x, a * n, n);
        }
        ConventionalKalmanFilter.solveLowerRows(lower, k, x, n);
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double sum = 0;
                for (int a = 0; a < k; a++) {
                    sum += x[a * n + i] * x[a * n + j];
                }
                w[i * n + j] = sum;
                w[j * n + i] = sum;
            }
            double sc = 0;
            for (int a = 0; a < k; a++) {
                sc += x[a * n + i] * s.whitened[a];
            }
            scores[i] = sc;
        }
    }
}
