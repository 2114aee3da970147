package org.statespace.capability;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.statespace.Emission;
import org.statespace.StateTransition;
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
     * The forecast of a model whose state moves ahead without observations or inputs (a Markov chain, an HMM, an
     * HSMM): the filter {@code f} run over the whole history, so the state predicts o_T; then {@code steps} times
     * the predictive distribution {@code g} gives of the state (a copy), and the state moved one step ahead by
     * {@code ahead} (h ← the prediction of the next step with no observation to condition on).
     *
     * @throws IllegalArgumentException when {@code steps} &lt; 1
     */
    static <S, D extends PredictiveDistribution> List<PredictiveDistribution> byPropagation(StateTransition<S> f,
            Emission<S, D> g, Sequence history, int steps, Consumer<S> ahead) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        S h = f.newState();
        f.start(h, history);
        // step T conditions on the last observation o_{T-1} and predicts s_T
        for (int t = 1; t <= history.length(); t++) {
            f.step(h, history, t);
        }
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
