package org.statespace.kalman;

import java.util.random.RandomGenerator;

import org.statespace.capability.PosteriorDraws;
import org.statespace.data.Sequence;

/**
 * The simple simulation smoother of Durbin &amp; Koopman (2002, "A simple and efficient simulation smoother
 * for state space time series analysis", Biometrika 89, sec. 2.3, the state form): a draw from p(x | y) is
 *
 * <pre>
 *   x̃ = x̂(y) + (x⁺ - x̂(y⁺))
 * </pre>
 *
 * where (x⁺, y⁺) is drawn from the model itself (same inputs, same missing components as y: a component
 * missing in y is set missing in y⁺) and x̂(·) = E[x | ·] is the smoother's mean ({@link KalmanSmoother}).
 * x̂ is affine in the observations with a gain that does not depend on them, so x⁺ - x̂(y⁺) has the law
 * N(0, Var[x | y]) and is independent of y; adding x̂(y) gives the posterior. The smoothed mean of y is
 * computed once and each draw costs one filter pass and one smoother pass over y⁺.
 *
 * <p>Why this and not forward-filter backward-sample: it reuses the filter and smoother that already
 * handle missing and partly missing observations, singular Q and the exact diffuse start, so nothing
 * about them is written twice; backward sampling would need the inverse (or a factor) of each predicted
 * covariance, which a singular Q (the local linear trend) or a diffuse start makes awkward. With an exact
 * diffuse start the unconditional draw begins the diffuse states at their initial mean (δ = 0): the diffuse
 * smoother is exactly equivariant in δ (shifting the diffuse states shifts x̂ by the same propagated amount),
 * so x⁺ - x̂(y⁺) does not depend on δ and any value will do (Durbin &amp; Koopman 2002, sec. 2.3).
 */
final class SimulationSmoother {
    private SimulationSmoother() {
    }

    static PosteriorDraws sample(LinearGaussianModel model, KalmanFilter filter, Sequence sequence, int count,
            RandomGenerator random) {
        PosteriorDraws.requireCount(count);
        int length = sequence.length();
        int n = model.n;
        int m = model.m;
        double[] out = new double[count * length * n];
        if (length == 0) {
            return PosteriorDraws.continuous(count, 0, n, out);
        }
        double[] mean = KalmanSmoother.smooth(FilterMoments.record(filter, sequence)).means();
        double[] masked = new double[length * m];
        for (int d = 0; d < count; d++) {
            Sequence plus = model.sampleWithStates(sequence.id(), length, model.p > 0 ? sequence : null, random);
            for (int t = 0; t < length; t++) {
                for (int j = 0; j < m; j++) {
                    masked[t * m + j] = Double.isNaN(sequence.value(t, j)) ? Double.NaN : plus.value(t, j);
                }
            }
            Sequence yPlus = Sequence.of(sequence.id(), m, masked);
            if (model.p > 0) {
                yPlus = yPlus.withInputs(model.p, plus.inputs());
            }
            double[] meanPlus = KalmanSmoother.smooth(FilterMoments.record(filter, yPlus)).means();
            int base = d * length * n;
            for (int t = 0; t < length; t++) {
                for (int i = 0; i < n; i++) {
                    out[base + t * n + i] = mean[t * n + i] + plus.state(t, i) - meanPlus[t * n + i];
                }
            }
        }
        return PosteriorDraws.continuous(count, length, n, out);
    }
}
