package org.statespace.nonlinear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.statespace.Recurrence;
import org.statespace.capability.StateEstimates;
import org.statespace.capability.Track;
import org.statespace.data.Sequence;
import org.statespace.distribution.Gaussian;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.kalman.KalmanFilterResult;
import org.statespace.kalman.KalmanSmootherResult;
import org.statespace.kalman.LinearGaussianModel;

/**
 * On a linear model (f(x) = F x, h(x) = H x, with missing components) the extended filter is the Kalman
 * filter (log-likelihood and every moment within 1e-12, relative), the unscented filter too (1e-10: its
 * moments are exact for a linear map, formed by other sums), and so are their RTS smoothers and forecasts. The
 * reference is the Kalman family's own filter and smoother of the same {@link LinearGaussianModel}.
 */
class LinearEquivalenceTest {
    private static final LinearGaussianModel KALMAN = LinearModels.kalman();

    private static NonlinearModel model(NonlinearFilter filter) {
        return NonlinearModel.of(LinearModels.system(), filter, NonlinearOptions.defaults());
    }

    private static void close(double ours, double theirs, double tolerance) {
        assertThat(ours).isCloseTo(theirs, within(tolerance * Math.max(1, Math.abs(theirs))));
    }

    private static Track track(StateEstimates e, String name) {
        return e.tracks().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    private void filterEquals(NonlinearFilter filter, double tolerance) {
        for (long seed : new long[] {1, 2, 3}) {
            Sequence s = LinearModels.series(seed, 40);
            NonlinearModel model = model(filter);
            KalmanFilterResult theirs = KALMAN.filterStates(s);
            StateEstimates ours = model.filterStates(s);
            close(ours.logLikelihood(), theirs.logLikelihood(), tolerance);
            close(Recurrence.logLikelihood(model, s), theirs.logLikelihood(), tolerance);
            Track pm = track(ours, "predictedMeans");
            Track pc = track(ours, "predictedCovariances");
            Track fm = track(ours, "filteredMeans");
            Track fc = track(ours, "filteredCovariances");
            for (int t = 0; t < s.length(); t++) {
                for (int i = 0; i < 3; i++) {
                    close(pm.value(t, i), theirs.predictedMean(t, i), tolerance);
                    close(fm.value(t, i), theirs.filteredMean(t, i), tolerance);
                    for (int j = 0; j < 3; j++) {
                        close(pc.value(t, i * 3 + j), theirs.predictedCovariance(t, i, j), tolerance);
                        close(fc.value(t, i * 3 + j), theirs.filteredCovariance(t, i, j), tolerance);
                    }
                }
            }
        }
    }

    @Test
    void extendedFilterIsTheKalmanFilterOnALinearModel() {
        filterEquals(NonlinearFilter.EXTENDED, 1e-12);
    }

    @Test
    void unscentedFilterIsTheKalmanFilterOnALinearModel() {
        filterEquals(NonlinearFilter.UNSCENTED, 1e-10);
        // other sigma-point spreads are exact too
        NonlinearModel wide = NonlinearModel.of(LinearModels.system(), NonlinearFilter.UNSCENTED,
                NonlinearOptions.defaults().withAlpha(1).withKappa(1).withBeta(0));
        Sequence s = LinearModels.series(4, 30);
        close(wide.filterStates(s).logLikelihood(), KALMAN.filterStates(s).logLikelihood(), 1e-10);
    }

    @Test
    void rtsSmoothersAreTheKalmanSmootherOnALinearModel() {
        for (NonlinearFilter filter : List.of(NonlinearFilter.EXTENDED, NonlinearFilter.UNSCENTED)) {
            Sequence s = LinearModels.series(5, 40);
            KalmanSmootherResult theirs = KALMAN.smoothStates(s);
            StateEstimates ours = model(filter).smoothStates(s);
            Track m = track(ours, "smoothedMeans");
            Track c = track(ours, "smoothedCovariances");
            for (int t = 0; t < s.length(); t++) {
                for (int i = 0; i < 3; i++) {
                    close(m.value(t, i), theirs.mean(t, i), 1e-9);
                    for (int j = 0; j < 3; j++) {
                        close(c.value(t, i * 3 + j), theirs.covariance(t, i, j), 1e-9);
                    }
                }
            }
        }
    }

    @Test
    void forecastsAreTheKalmanForecastsOnALinearModel() {
        Sequence s = LinearModels.series(6, 25);
        List<PredictiveDistribution> theirs = KALMAN.forecast(s, 4, null);
        for (NonlinearFilter filter : List.of(NonlinearFilter.EXTENDED, NonlinearFilter.UNSCENTED)) {
            List<PredictiveDistribution> ours = model(filter).forecast(s, 4, null);
            assertThat(ours).hasSize(4);
            for (int k = 0; k < 4; k++) {
                Gaussian a = (Gaussian) ours.get(k);
                Gaussian b = (Gaussian) theirs.get(k);
                for (int i = 0; i < 2; i++) {
                    close(a.mean(i), b.mean(i), 1e-10);
                    for (int j = 0; j < 2; j++) {
                        close(a.covariance(i, j), b.covariance(i, j), 1e-10);
                    }
                }
            }
        }
    }
}
