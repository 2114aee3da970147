package org.statespace.nonlinear;

import org.statespace.Emission;
import org.statespace.StateTransition;
import org.statespace.data.Sequence;
import org.statespace.distribution.Gaussian;
import org.statespace.kalman.FilterState;
import org.statespace.kalman.GaussianFilterRecurrence;
import org.statespace.kalman.GaussianStateSpace;

/**
 * The extended or unscented filter as the model's f and g: {@link GaussianFilterRecurrence} over its
 * {@link GaussianStateSpace}, whose run also keeps the predicted moments a_t, P_t of the step being scored and
 * its log-likelihood term, which the correction overwrites. With them the engine's own pass records what
 * {@link NonlinearModel#filterStates} returns ({@link org.statespace.capability.StateRecording}), so
 * {@code filter --states} needs no second pass. Keeping them costs a copy of n + n² numbers a step, against the
 * O(n³) of the step itself.
 */
final class GaussianRecurrence implements StateTransition<GaussianRecurrence.Run>, Emission<GaussianRecurrence.Run, Gaussian> {

    /** One run: the filter's run and the kept predicted moments (a_t n, P_t n×n) and term of the step scored last. */
    static final class Run {
        final GaussianFilterRecurrence.Run filter;
        final double[] predictedMean;
        final double[] predictedCovariance;
        double term;

        Run(GaussianFilterRecurrence.Run filter, int n) {
            this.filter = filter;
            predictedMean = new double[n];
            predictedCovariance = new double[n * n];
        }
    }

    private final GaussianFilterRecurrence filter;
    private final int n;

    GaussianRecurrence(GaussianStateSpace space) {
        filter = new GaussianFilterRecurrence(space);
        n = space.stateDimension();
    }

    @Override
    public Run newState() {
        return new Run(filter.newState(), n);
    }

    @Override
    public void start(Run run, Sequence sequence) {
        filter.start(run.filter, sequence);
    }

    @Override
    public void step(Run run, Sequence sequence, int t) {
        filter.step(run.filter, sequence, t);
    }

    @Override
    public Gaussian newDistribution() {
        return filter.newDistribution();
    }

    @Override
    public void predict(Run run, Sequence sequence, int t, Gaussian out) {
        filter.predict(run.filter, sequence, t, out);
    }

    /** Keeps a_t and P_t before the correction with o_t, then corrects and returns the term. */
    @Override
    public double logDensity(Run run, Gaussian predicted, Sequence sequence, int t) {
        FilterState s = run.filter.state();
        if (!s.corrected()) {
            for (int i = 0; i < n; i++) {
                run.predictedMean[i] = s.mean(i);
                for (int j = 0; j < n; j++) {
                    run.predictedCovariance[i * n + j] = s.covariance(i, j);
                }
            }
        }
        run.term = filter.logDensity(run.filter, predicted, sequence, t);
        return run.term;
    }
}
