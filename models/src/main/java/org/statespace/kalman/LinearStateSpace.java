package org.statespace.kalman;

import org.statespace.data.Sequence;

/**
 * The exact {@link GaussianStateSpace} of a {@link LinearGaussianModel}:
 *
 * <pre>
 *   a_t = F a_{t-1|t-1} + B u_t + b,        P_t = F P_{t-1|t-1} Fᵀ + Q
 *   ŷ_t = H a_t + D u_t + d,                H P_t,   S_t = (H P_t) Hᵀ + R
 * </pre>
 *
 * Products are formed on the upper triangle and mirrored, so every covariance is exactly symmetric. The
 * model's arrays are shared, never modified.
 */
final class LinearStateSpace implements FixedNoiseStateSpace {
    /** The model whose parameters these operations read (its arrays are never modified here). */
    final LinearGaussianModel model;
    private final int n;
    private final int m;
    private final Constants constants;
    /** F and H by their nonzero entries, for the products (a structural model's F is mostly zeros). */
    private final Dense.Rows transitionRows;
    private final Dense.Rows observationRows;

    LinearStateSpace(LinearGaussianModel model) {
        this.model = model;
        n = model.n;
        m = model.m;
        constants = Constants.sharing(n, m, model.initialMean, model.initialCovariance, model.observationNoise);
        transitionRows = Dense.Rows.of(model.transition, n, n);
        observationRows = Dense.Rows.of(model.observation, m, n);
        int size = n;
        workspace = ThreadLocal.withInitial(() -> new Dense.RowWorkspace(size));
    }

    /**
     * The row workspace of the public operations, one per thread: the {@link GaussianStateSpace} interface
     * passes a flat scratch array, and the row kernels need rows of their own ({@link Dense.RowWorkspace});
     * the model's own recurrence ({@link KalmanFilter}) passes the workspace of its state instead.
     */
    private final ThreadLocal<Dense.RowWorkspace> workspace;

    @Override
    public Constants constants() {
        return constants;
    }

    /** a_t = F a + B u_t + b. */
    @Override
    public void propagateMean(double[] filteredMean, Sequence inputs, int t, double[] out) {
        Dense.multiplyVector(model.transition, filteredMean, out, n, n);
        addInputTerms(out, model.hasControl, model.control, model.hasTransitionOffset, model.transitionOffset, n, inputs, t);
    }

    /**
     * P_t = F P Fᵀ + Q by {@link Dense#symmetricSandwich}: rows of F P as sums of rows of P (P symmetric) over
     * the nonzeros of F, then the lower triangle, mirrored ({@code scratch} is not used: see {@link #workspace}).
     */
    @Override
    public void propagateCovariance(double[] filteredMean, double[] filteredCovariance, Sequence inputs, int t,
            double[] out, double[] scratch) {
        propagateCovariance(filteredCovariance, out, workspace.get());
    }

    /** P_t = F P Fᵀ + Q with the caller's workspace. */
    void propagateCovariance(double[] filteredCovariance, double[] out, Dense.RowWorkspace w) {
        Dense.symmetricSandwich(transitionRows, model.transition, filteredCovariance, model.processNoise, out, w, n);
    }

    /** P_∞,t = F P_∞ Fᵀ, the diffuse part of an exact diffuse start. */
    void propagateDiffuseCovariance(double[] filteredDiffuse, double[] out, Dense.RowWorkspace w) {
        Dense.symmetricSandwich(transitionRows, model.transition, filteredDiffuse, null, out, w, n);
    }

    /** ŷ_t = H a + D u_t + d. */
    @Override
    public void observationMean(double[] mean, Sequence inputs, int t, double[] out) {
        Dense.multiplyVector(model.observation, mean, out, m, n);
        addInputTerms(out, model.hasFeedthrough, model.feedthrough, model.hasObservationOffset, model.observationOffset, m, inputs, t);
    }

    /**
     * (H P)_i = Σ_l H_il P_l, row i of H P as a sum of rows of P over the nonzeros of row i of H (the same sums
     * in the same order as H_i · P_j, P being symmetric).
     */
    @Override
    public void crossCovariance(double[] mean, double[] covariance, Sequence inputs, int t, double[] out) {
        crossCovariance(covariance, out, workspace.get());
    }

    /** H P with the caller's workspace. */
    void crossCovariance(double[] covariance, double[] out, Dense.RowWorkspace w) {
        Dense.multiplySymmetric(observationRows, model.observation, covariance, out, w, n);
    }

    /** S = (H P) Hᵀ + R on the upper triangle, mirrored. */
    @Override
    public void innovationCovariance(double[] mean, double[] crossCovariance, Sequence inputs, int t, double[] out) {
        Dense.symmetricProduct(crossCovariance, model.observation, model.observationNoise, out, m, n);
    }

    @Override
    public void observationJacobian(double[] mean, Sequence inputs, int t, double[] out) {
        System.arraycopy(model.observation, 0, out, 0, m * n);
    }

    /** y_o(t) - D_o u_t - d_o: the observed components' values less the input terms (before H x). */
    double residualBeforeState(Sequence sequence, int t, int component) {
        double r = sequence.value(t, component);
        if (model.hasFeedthrough) {
            int p = model.p;
            for (int j = 0; j < p; j++) {
                r -= model.feedthrough[component * p + j] * sequence.input(t, j);
            }
        }
        if (model.hasObservationOffset) {
            r -= model.observationOffset[component];
        }
        return r;
    }

    // out += G u_row + offset, each part only when the model has it
    private void addInputTerms(double[] out, boolean hasGain, double[] gainMatrix, boolean hasOffset, double[] offset,
            int rows, Sequence sequence, int row) {
        if (hasGain) {
            int p = model.p;
            for (int i = 0; i < rows; i++) {
                double sum = 0;
                for (int j = 0; j < p; j++) {
                    sum += gainMatrix[i * p + j] * sequence.input(row, j);
                }
                out[i] += sum;
            }
        }
        if (hasOffset) {
            for (int i = 0; i < rows; i++) {
                out[i] += offset[i];
            }
        }
    }
}
