package org.statespace.capability;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.statespace.Emission;
import org.statespace.Recurrence;
import org.statespace.StateSpaceModel;
import org.statespace.data.Sequence;
import org.statespace.distribution.PredictiveDistribution;

/** A model that gives exact k-step-ahead predictive distributions after a history. */
public interface Forecasting {

    /**
     * The predictive distributions of o_T, ..., o_{T+steps-1} given all of {@code history} (length T).
     *
     * @param futureInputs the inputs u_T..u_{T+steps-1} when the model takes inputs (a sequence of at
     *                     least {@code steps} steps whose observations are ignored), else {@code null}
     * @return {@code steps} independent distributions (copies)
     */
    List<PredictiveDistribution> forecast(Sequence history, int steps, Sequence futureInputs);

    /**
     * The same forecast continued from the filter state after the last step of a non-empty history, as the
     * engine's loop ({@link org.statespace.Recurrence.Workspace#run}) leaves it: h_{T-1} with o_{T-1} scored. A
     * history read in chunks (a file longer than memory) is run through the loop chunk by chunk and forecast from
     * its last window, with the numbers of {@link #forecast} (which runs the same loop, then this).
     *
     * @param filterState  this model's state workspace ({@code transition().newState()}) after step T-1; it is
     *                     advanced in place
     * @param window       the history, or a window of it ({@link Sequence#firstStep()}) that holds step T-1 =
     *                     {@code window.length() - 1} and the steps the model looks back at
     * @param futureInputs as in {@link #forecast}
     * @throws IllegalArgumentException when the state is not this model's or the window is empty
     */
    List<PredictiveDistribution> forecastAfter(Object filterState, Sequence window, int steps, Sequence futureInputs);

    /**
     * The checks every {@link #forecastAfter} makes: at least one step, a non-empty window, a state of the
     * model's type; returns the state as that type.
     */
    static <S> S filterState(Object filterState, Class<S> type, Sequence window, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        if (window.length() == 0) {
            throw new IllegalArgumentException("sequence '" + window.id() + "' is empty: forecast it with forecast()");
        }
        if (!type.isInstance(filterState)) {
            throw new IllegalArgumentException("the filter state must be a " + type.getSimpleName() + " of this model, got "
                    + (filterState == null ? "null" : filterState.getClass().getSimpleName()));
        }
        return type.cast(filterState);
    }

    /**
     * The forecast of a model whose state moves ahead without observations or inputs (a Markov chain, an HMM, an
     * HSMM): the engine's loop over the history ({@link org.statespace.Recurrence.Workspace#run}), then as
     * {@link #byPropagationAfter}; an empty history forecasts from the start state.
     *
     * @param ahead moves the state one step ahead (h ← the prediction of the next step with no observation to
     *              condition on)
     * @throws IllegalArgumentException when {@code steps} &lt; 1
     */
    static <S, D extends PredictiveDistribution> List<PredictiveDistribution> byPropagation(StateSpaceModel<S, D> model,
            Sequence history, int steps, Consumer<S> ahead) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        if (history.length() == 0) {
            S h = model.transition().newState();
            model.transition().start(h, history);
            return propagate(model.emission(), h, history, steps, ahead);
        }
        Recurrence.Workspace<S, D> w = Recurrence.workspace(model);
        w.run(history, null);
        return continueFrom(model, w.state(), history, steps, ahead);
    }

    /**
     * {@link #forecastAfter} of such a model: step T conditions the filter state h_{T-1} on o_{T-1} and predicts s_T;
     * then {@code steps} times the predictive distribution the emission gives of the state (a copy), and the state
     * moved one step ahead by {@code ahead}.
     *
     * @throws IllegalArgumentException as {@link #filterState}
     */
    static <S, D extends PredictiveDistribution> List<PredictiveDistribution> byPropagationAfter(
            StateSpaceModel<S, D> model, Class<S> type, Object filterState, Sequence window, int steps,
            Consumer<S> ahead) {
        return continueFrom(model, filterState(filterState, type, window, steps), window, steps, ahead);
    }

    // step T from h_{T-1}, then the forecast by propagation
    private static <S, D extends PredictiveDistribution> List<PredictiveDistribution> continueFrom(
            StateSpaceModel<S, D> model, S h, Sequence window, int steps, Consumer<S> ahead) {
        model.transition().step(h, window, window.length());
        return propagate(model.emission(), h, window, steps, ahead);
    }

    private static <S, D extends PredictiveDistribution> List<PredictiveDistribution> propagate(Emission<S, D> g, S h,
            Sequence history, int steps, Consumer<S> ahead) {
        List<PredictiveDistribution> out = new ArrayList<>(steps);
        D d = g.newDistribution();
        for (int i = 0; i < steps; i++) {
            g.predict(h, history, 0, d);
            out.add(d.copy());
            ahead.accept(h);
        }
        return out;
    }
}
