package org.statespace;

import org.statespace.data.Sequence;
import org.statespace.distribution.PredictiveDistribution;

/**
 * The one loop every model runs: h_0 = start; for each t, h_t = f(x_t, h_{t-1}) (t &gt;= 1), predict
 * p(o_t | past) = g(h_t), score o_t. The engine of module {@code inference} builds on this loop (many
 * sequences, threads, stored results); tests and families use it directly.
 */
public final class Recurrence {
    private Recurrence() {
    }

    /** What a caller sees at each step. The state and distribution are live workspaces: copy to keep. */
    @FunctionalInterface
    public interface Observer<S, D extends PredictiveDistribution> {
        /**
         * @param t          the step
         * @param state      h_t
         * @param predicted  p(o_t | o_0..o_{t-1}, u_0..u_t)
         * @param logDensity log p(o_t | past); 0 when o_t is missing
         */
        void step(int t, S state, D predicted, double logDensity);
    }

    /** A loop's workspaces, allocated once and reusable for many sequences. */
    public static final class Workspace<S, D extends PredictiveDistribution> {
        private final StateSpaceModel<S, D> model;
        private final S state;
        private final D predicted;

        private Workspace(StateSpaceModel<S, D> model) {
            this.model = model;
            this.state = model.transition().newState();
            this.predicted = model.emission().newDistribution();
        }

        public StateSpaceModel<S, D> model() {
            return model;
        }

        /** The state after the last step run, h_t (a live workspace: the next run overwrites it). */
        public S state() {
            return state;
        }

        /**
         * Runs the recurrence over one sequence and returns Σ_t log p(o_t | past), the sequence
         * log-likelihood.
         *
         * @param observer sees every step, or {@code null}
         * @throws NumericalException when a step's log-density is NaN or +inf (naming the step)
         */
        public double run(Sequence sequence, Observer<? super S, ? super D> observer) {
            return run(sequence, 0, observer);
        }

        /**
         * Runs steps {@code from .. sequence.length()-1} only, continuing from the state this workspace holds
         * after step {@code from - 1} (starting afresh when {@code from} is 0): the loop of a sequence read in
         * chunks, each chunk a window ({@link Sequence#firstStep()}) that still holds the steps the model looks
         * back at. Returns the sum of the log-densities of those steps.
         *
         * @throws NumericalException when a step's log-density is NaN or +inf (naming the step)
         */
        public double run(Sequence sequence, int from, Observer<? super S, ? super D> observer) {
            StateTransition<S> f = model.transition();
            Emission<S, D> g = model.emission();
            double total = 0;
            int length = sequence.length();
            for (int t = from; t < length; t++) {
                if (t == 0) {
                    f.start(state, sequence);
                } else {
                    f.step(state, sequence, t);
                }
                g.predict(state, sequence, t, predicted);
                double logDensity = g.logDensity(state, predicted, sequence, t);
                if (Double.isNaN(logDensity) || logDensity == Double.POSITIVE_INFINITY) {
                    throw new NumericalException("sequence '" + sequence.id() + "', step " + t
                            + ": predictive log-density is " + logDensity);
                }
                total += logDensity;
                if (observer != null) {
                    observer.step(t, state, predicted, logDensity);
                }
            }
            return total;
        }
    }

    /** Workspaces for running {@code model}; one per thread. */
    public static <S, D extends PredictiveDistribution> Workspace<S, D> workspace(StateSpaceModel<S, D> model) {
        return new Workspace<>(model);
    }

    /** Σ_t log p(o_t | o_0..o_{t-1}) of one sequence. */
    public static double logLikelihood(StateSpaceModel<?, ?> model, Sequence sequence) {
        return workspace(model).run(sequence, null);
    }
}
