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

    /** Runs {@code filter} over {@code sequence}, keeping its predicted and filtered moments and W_t, s_t. */
    static FilterMoments record(KalmanFilter filter, Sequence sequence) {
        int length = sequence.length();
        int n = filter.stateDimension();
        FilterMoments rec = new FilterMoments(length, n, filter.transitionMatrix(), sequence.id());
        KalmanState s = filter.newState();
        double[] x = new double[Math.max(1, filter.observationDimension()) * n];
        double total = 0;
        for (int t = 0; t < length; t++) {
            if (t == 0) {
                filter.start(s, sequence);
            } else {
                filter.propagate(s, sequence, t);
            }
            boolean diffuse = s.diffuse;
            System.arraycopy(s.mean, 0, rec.predictedMeans, t * n, n);
            System.arraycopy(s.current.covariance, 0, rec.predictedCovariances, t * n * n, n * n);
            filter.update(s, sequence, t);
            total += s.logDensity;
            System.arraycopy(s.filteredMean, 0, rec.filteredMeans, t * n, n);
            System.arraycopy(s.current.filteredCovariance, 0, rec.filteredCovariances, t * n * n, n * n);
            if (diffuse) {
                rec.diffuseSteps.add(new DiffuseStep(s));
            } else if (s.observedCount > 0) {
                information(filter, s, x, rec.information, rec.scores, t);
            }
        }
        rec.diffuseAtEnd = length > 0 && s.filteredDiffuse;
        rec.logLikelihood = total;
        rec.resolvedDiffuse = s.resolvedDiffuse;
        return rec;
    }

    // W = H_oᵀ F_oo⁻¹ H_o = Xᵀ X and s = Xᵀ L⁻¹ v with X = L⁻¹ H_o, from the factor the update used.
    private static void information(KalmanFilter filter, KalmanState s, double[] x, double[] w, double[] scores, int t) {
        int n = s.n;
        int m = s.m;
        int k = s.observedCount;
        double[] lower = k == m ? s.current.factor : s.subFactor;
        double[] h = filter.observationMatrix();
        for (int a = 0; a < k; a++) {
            System.arraycopy(h, s.observed[a] * n, x, a * n, n);
        }
        ConventionalKalmanFilter.solveLowerRows(lower, k, x, n);
        int base = t * n * n;
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double sum = 0;
                for (int a = 0; a < k; a++) {
                    sum += x[a * n + i] * x[a * n + j];
                }
                w[base + i * n + j] = sum;
                w[base + j * n + i] = sum;
            }
            double sc = 0;
            for (int a = 0; a < k; a++) {
                sc += x[a * n + i] * s.whitened[a];
            }
            scores[t * n + i] = sc;
        }
    }
}
