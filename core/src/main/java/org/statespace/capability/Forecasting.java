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
}
