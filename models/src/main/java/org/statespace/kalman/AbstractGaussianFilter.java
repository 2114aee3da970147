package org.statespace.kalman;

import org.statespace.DataException;
import org.statespace.data.Sequence;

/**
 * What the {@link ConventionalKalmanFilter} and the {@link SequentialKalmanFilter} share, so both run one
 * piece of code: a new {@link FilterState}, the start N(m0, P0), the prediction
 * a ← f(a_{t-1|t-1}, u_t), P ← F P Fᵀ + Q of the {@link TransitionModel}, the checks that predict and correct
 * come in turn, and the loop of a whole sequence's log-likelihood. The filters differ only in
 * {@link #correct}. Package-private: its public methods are documented and used as the two public filters'.
 *
 * <p>Not thread-safe: the prediction workspace (allocated once here) is one run's.
 */
abstract sealed class AbstractGaussianFilter permits ConventionalKalmanFilter, SequentialKalmanFilter {
    final GaussianStateSpace model;
    final int n;
    final int m;
    /** a_t as the prediction forms it (n); free for a correction to use as scratch. */
    final double[] nextMean;
    /** P_t as the prediction forms it (n×n); free for a correction to use as scratch. */
    final double[] nextCovariance;
    private final double[] scratch;

    AbstractGaussianFilter(GaussianStateSpace model) {
        this.model = model;
        n = model.stateDimension();
        m = model.observationDimension();
        nextMean = new double[n];
        nextCovariance = new double[n * n];
        scratch = new double[Math.max(model.scratchLength(), Math.max(n, m))];
    }

    /** A state for this filter's model (before {@link #start}). */
    public final FilterState newState() {
        return new FilterState(n);
    }

    /** Sets the predicted belief of step 0 to N(m0, P0) and the log-likelihood to 0. */
    public final void start(FilterState state) {
        model.initialMean(state.mean);
        model.initialCovariance(state.covariance);
        state.logLikelihood = 0;
        state.step = 0;
        state.corrected = false;
    }

    /**
     * From the filtered belief of step t-1 to the predicted belief of step t (u_t from row t of
     * {@code inputs}): the transition model's a ← f(a, u_t), P ← F P Fᵀ + Q.
     */
    public final void predict(FilterState state, Sequence inputs, int t) {
        if (!state.corrected || state.step != t - 1) {
            throw new IllegalStateException("predict(" + t + ") needs the filtered belief of step " + (t - 1)
                    + ", the state holds " + state);
        }
        model.propagate(state.mean, state.covariance, inputs, t, nextMean, nextCovariance, scratch);
        System.arraycopy(nextMean, 0, state.mean, 0, n);
        System.arraycopy(nextCovariance, 0, state.covariance, 0, n * n);
        state.step = t;
        state.corrected = false;
    }

    /** Throws unless {@code state} holds the predicted belief of step t (what {@code operation} needs). */
    static void requirePredicted(String operation, FilterState state, int t) {
        if (state.corrected || state.step != t) {
            throw new IllegalStateException(operation + "(" + t + ") needs the predicted belief of step " + t
                    + ", the state holds " + state);
        }
    }

    /** Checks a correction's preconditions: the predicted belief of step t, and m-dimensional observations. */
    void requireCorrectable(FilterState state, Sequence sequence, int t) {
        requirePredicted("correct", state, t);
        if (sequence.dimension() != m) {
            throw new DataException("sequence '" + sequence.id() + "' has " + sequence.dimension()
                    + "-dimensional observations; the model needs " + m);
        }
    }

    /**
     * Conditions the predicted belief of step t on the observed components of row t of {@code sequence};
     * returns log p(o_t | o_0..o_{t-1}) (0 when nothing is observed) and adds it to the state's
     * log-likelihood.
     */
    public abstract double correct(FilterState state, Sequence sequence, int t);

    /** Σ_t log p(o_t | past) over the whole sequence: start, then correct and predict in turn. */
    public final double logLikelihood(Sequence sequence) {
        FilterState state = newState();
        start(state);
        for (int t = 0; t < sequence.length(); t++) {
            if (t > 0) {
                predict(state, sequence, t);
            }
            correct(state, sequence, t);
        }
        return state.logLikelihood;
    }
}
