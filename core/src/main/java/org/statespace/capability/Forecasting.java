package org.statespace.capability;

import java.util.List;

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
}
