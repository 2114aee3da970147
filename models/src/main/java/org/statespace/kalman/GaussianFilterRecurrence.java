package org.statespace.kalman;

import org.statespace.DataException;
import org.statespace.Emission;
import org.statespace.StateTransition;
import org.statespace.data.Sequence;
import org.statespace.distribution.Gaussian;

/**
 * The {@link ConventionalKalmanFilter} of any {@link GaussianStateSpace} as a model's f and g, so that a
 * model written against the interface (an extended or unscented filter) runs in the engine like every
 * family: {@code start} sets N(m0, P0); the emission is N(ŷ_t, S_t); its log-density corrects with o_t;
 * {@code step(t)} corrects with o_{t-1} if the step was not scored, then predicts. (The linear model's own
 * recurrence adds the exact diffuse start, the steady-state shortcut and the factor shared between the
 * emission and the update.)
 *
 * <p>Immutable and thread-safe; each {@link Run} from {@link #newState()} holds one run's filter workspace.
 */
public final class GaussianFilterRecurrence implements StateTransition<GaussianFilterRecurrence.Run>,
        Emission<GaussianFilterRecurrence.Run, Gaussian> {

    /** One run's filter (its workspace) and state. */
    public static final class Run {
        final ConventionalKalmanFilter filter;
        final FilterState state;
        double term;

        Run(ConventionalKalmanFilter filter) {
            this.filter = filter;
            this.state = filter.newState();
        }

        /** The belief: predicted after {@code step(t)}, filtered once step t is scored. */
        public FilterState state() {
            return state;
        }
    }

    private final GaussianStateSpace model;

    /** The recurrence of {@code model}. */
    public GaussianFilterRecurrence(GaussianStateSpace model) {
        this.model = model;
    }

    @Override
    public Run newState() {
        return new Run(new ConventionalKalmanFilter(model));
    }

    @Override
    public void start(Run run, Sequence sequence) {
        if (sequence.dimension() != model.observationDimension()) {
            throw new DataException("sequence '" + sequence.id() + "' has " + sequence.dimension()
                    + "-dimensional observations; the model needs " + model.observationDimension());
        }
        run.filter.start(run.state);
    }

    @Override
    public void step(Run run, Sequence sequence, int t) {
        if (!run.state.corrected) {
            run.filter.correct(run.state, sequence, t - 1);
        }
        run.filter.predict(run.state, sequence, t);
    }

    @Override
    public Gaussian newDistribution() {
        return new Gaussian(model.observationDimension());
    }

    @Override
    public void predict(Run run, Sequence sequence, int t, Gaussian out) {
        run.filter.predictive(run.state, sequence, t, out);
    }

    /** log p(o_t | past) of the observed components (0 when none is), correcting the belief with o_t. */
    @Override
    public double logDensity(Run run, Gaussian predicted, Sequence sequence, int t) {
        if (!run.state.corrected) {
            run.term = run.filter.correct(run.state, sequence, t);
        }
        return run.term;
    }
}
