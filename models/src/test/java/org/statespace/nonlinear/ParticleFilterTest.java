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
import org.statespace.distribution.Mixture;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.kalman.KalmanSmootherResult;
import org.statespace.kalman.LinearGaussianModel;
import org.statespace.numeric.Randoms;

/**
 * The bootstrap particle filter against the exact Kalman filter of a linear model: its log-likelihood
 * estimate converges as N grows and its smoothed means approach the RTS smoother's; it is reproducible by
 * seed; its predictive law is a proper Gaussian mixture (weights summing to 1, the engine's log-density the
 * filter's increment).
 */
class ParticleFilterTest {
    private static final LinearGaussianModel KALMAN = LinearModels.kalman();

    private static NonlinearModel particle(int count, long seed) {
        return NonlinearModel.of(LinearModels.system(), NonlinearFilter.PARTICLE,
                NonlinearOptions.defaults().withParticles(count).withSeed(seed));
    }

    /**
     * For each N in {100, 1000, 10000}, 12 independent runs (seeds 1..12): their mean must lie within
     * 4 standard errors (sample standard deviation / √12) of the Kalman log-likelihood, plus the known downward
     * bias of the log of an unbiased estimate, about half its variance (the delta method); and the spread must
     * shrink as N grows (it falls roughly as 1/√N: the 10000-particle spread below half the 100-particle one).
     */
    @Test
    void logLikelihoodConvergesToTheKalmanValue() {
        Sequence s = LinearModels.series(21, 30);
        double exact = KALMAN.filterStates(s).logLikelihood();
        double[] spreads = new double[3];
        int[] sizes = {100, 1000, 10000};
        int runs = 12;
        for (int k = 0; k < sizes.length; k++) {
            double[] estimates = new double[runs];
            for (int r = 0; r < runs; r++) {
                estimates[r] = particle(sizes[k], r + 1).particleFilter().logLikelihood(s);
            }
            double mean = 0;
            for (double e : estimates) {
                mean += e / runs;
            }
            double var = 0;
            for (double e : estimates) {
                var += (e - mean) * (e - mean) / (runs - 1);
            }
            double standardError = Math.sqrt(var / runs);
            assertThat(Math.abs(mean - exact)).as("N = %d: mean %s, exact %s, se %s", sizes[k], mean, exact, standardError)
                    .isLessThan(4 * standardError + var / 2 + 1e-9);
            spreads[k] = Math.sqrt(var);
        }
        assertThat(spreads[2]).isLessThan(spreads[0] / 2);
        assertThat(spreads[2]).as("10000 particles: spread of the log-likelihood estimate").isLessThan(0.2);
    }

    @Test
    void sameSeedSameNumbersOtherSeedOtherNumbers() {
        Sequence s = LinearModels.series(22, 20);
        double a = particle(200, 5).particleFilter().logLikelihood(s);
        double b = particle(200, 5).particleFilter().logLikelihood(s);
        double c = particle(200, 6).particleFilter().logLikelihood(s);
        assertThat(a).isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
        // through the engine's recurrence: the same estimate
        assertThat(Recurrence.logLikelihood(particle(200, 5), s)).isCloseTo(a, within(1e-9));
    }

    @Test
    void predictiveLawIsANormalisedGaussianMixtureWhoseDensityIsTheIncrement() {
        NonlinearModel model = particle(300, 3);
        Sequence s = LinearModels.series(23, 20);
        ParticleFilter pf = model.particleFilter();
        ParticleFilter.Run run = pf.newState();
        Mixture out = pf.newDistribution();
        pf.start(run, s);
        for (int t = 0; t < s.length(); t++) {
            if (t > 0) {
                pf.step(run, s, t);
            }
            pf.predict(run, s, t, out);
            double sum = 0;
            for (int k = 0; k < out.size(); k++) {
                sum += out.weight(k);
                assertThat(out.component(k)).isInstanceOf(Gaussian.class);
            }
            assertThat(sum).isCloseTo(1, within(1e-12));
            // the mixture's own density (its components' log-densities, summed with the weights) is the increment
            double mixture = out.logDensity(s, t);
            double increment = pf.logDensity(run, out, s, t);
            assertThat(increment).isCloseTo(mixture, within(1e-10 * Math.max(1, Math.abs(mixture))));
        }
    }

    /** FFBSi with 300 particles and 400 draws: smoothed means within 0.25 of the RTS smoother (posterior sd about 0.5). */
    @Test
    void backwardSimulationApproachesTheRtsSmoother() {
        Sequence s = LinearModels.series(24, 25);
        NonlinearModel model = NonlinearModel.of(LinearModels.system(), NonlinearFilter.PARTICLE,
                NonlinearOptions.defaults().withParticles(2000).withSmootherDraws(400).withSeed(9));
        KalmanSmootherResult exact = KALMAN.smoothStates(s);
        StateEstimates ours = model.smoothStates(s);
        Track m = ours.tracks().stream().filter(t -> t.name().equals("smoothedMeans")).findFirst().orElseThrow();
        Track c = ours.tracks().stream().filter(t -> t.name().equals("smoothedCovariances")).findFirst().orElseThrow();
        for (int t = 0; t < s.length(); t++) {
            for (int i = 0; i < 3; i++) {
                double sd = Math.sqrt(exact.covariance(t, i, i));
                // Monte Carlo error of a mean of 400 draws (correlated by the finite particle set): allow 4 sd/√400
                // plus a tenth of a posterior sd for the particle approximation
                assertThat(m.value(t, i)).isCloseTo(exact.mean(t, i), within(4 * sd / 20 + 0.1 * sd + 0.05));
                assertThat(c.value(t, i * 3 + i)).isCloseTo(exact.covariance(t, i, i),
                        within(0.5 * exact.covariance(t, i, i)));
            }
        }
    }

    @Test
    void forecastIsAMixtureOfPropagatedParticles() {
        Sequence s = LinearModels.series(25, 20);
        List<PredictiveDistribution> ours = particle(4000, 2).forecast(s, 3, null);
        List<PredictiveDistribution> exact = KALMAN.forecast(s, 3, null);
        for (int k = 0; k < 3; k++) {
            for (int j = 0; j < 2; j++) {
                double sd = Math.sqrt(exact.get(k).variance(j));
                assertThat(ours.get(k).mean(j)).isCloseTo(exact.get(k).mean(j), within(0.15 * sd));
                assertThat(ours.get(k).variance(j)).isCloseTo(exact.get(k).variance(j), within(0.2 * sd * sd));
            }
        }
    }

    @Test
    void sampleDrawsTheStatesOfTheModel() {
        Sequence s = NonlinearModel.builtin(BuiltinModel.GROWTH, NonlinearFilter.PARTICLE)
                .sampleWithStates("g", 50, null, Randoms.seeded(3));
        assertThat(s.length()).isEqualTo(50);
        assertThat(s.hasStates()).isTrue();
        // y_t - x_t²/20 is the observation noise, N(0, 1): its mean square over 50 steps near 1
        double ms = 0;
        for (int t = 0; t < 50; t++) {
            double v = s.value(t, 0) - s.state(t, 0) * s.state(t, 0) / 20;
            ms += v * v / 50;
        }
        assertThat(ms).isBetween(0.5, 1.6);
    }
}
