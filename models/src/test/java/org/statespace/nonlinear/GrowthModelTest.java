package org.statespace.nonlinear;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import org.statespace.capability.Track;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * The univariate non-stationary growth model is the literature's test of non-linear filters: the extended
 * filter, linearising x²/20 at its mean, loses the sign of x; the unscented filter does better; the particle
 * filter, which carries the bimodal posterior, best (Gordon, Salmond &amp; Smith 1993; van der Merwe et al. 2000,
 * tab. 1: EKF worst, UKF between, PF best). Reproduced here on 10 series of 100 steps simulated from the model
 * (seeds 1..10): the filtered-mean RMSE against the true states, averaged over the series, orders PF &lt; UKF &lt;
 * EKF.
 */
class GrowthModelTest {

    private static double rmse(NonlinearModel model, Sequence s) {
        Track m = model.filterStates(s).tracks().stream().filter(t -> t.name().equals("filteredMeans")).findFirst()
                .orElseThrow();
        double sum = 0;
        for (int t = 0; t < s.length(); t++) {
            double e = m.value(t, 0) - s.state(t, 0);
            sum += e * e;
        }
        return Math.sqrt(sum / s.length());
    }

    @Test
    void filteredRmseOrdersParticleThenUnscentedThenExtended() {
        NonlinearModel ekf = NonlinearModel.builtin(BuiltinModel.GROWTH, NonlinearFilter.EXTENDED);
        NonlinearModel ukf = NonlinearModel.builtin(BuiltinModel.GROWTH, NonlinearFilter.UNSCENTED);
        NonlinearModel pf = NonlinearModel.builtin(BuiltinModel.GROWTH, NonlinearFilter.PARTICLE);
        double e = 0;
        double u = 0;
        double p = 0;
        int series = 10;
        for (int k = 1; k <= series; k++) {
            Sequence s = ekf.sampleWithStates("g" + k, 100, null, Randoms.seeded(k));
            e += rmse(ekf, s) / series;
            u += rmse(ukf, s) / series;
            p += rmse(pf, s) / series;
        }
        String numbers = String.format("RMSE: EKF %.3f, UKF %.3f, PF %.3f", e, u, p);
        assertThat(p).as(numbers).isLessThan(u);
        assertThat(u).as(numbers).isLessThan(e);
    }
}
