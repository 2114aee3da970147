package org.statespace.kalman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

import org.statespace.capability.PosteriorDraws;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * The simulation smoother's draws against the posterior of the dense joint Gaussian ({@link BruteForce},
 * independent of the filter and smoother): for known, diffuse and partly diffuse starts, inputs, offsets,
 * correlated noises, a singular Q (local linear trend) and missing and partly missing observations, the
 * sample mean of every x_t,i and the sample covariances within a step and between neighbouring steps are
 * within 5 Monte Carlo standard errors of the exact posterior moments. With N draws the standard error of
 * a sample mean is sqrt(Σ_aa / N) and, for Gaussian draws, that of a sample covariance
 * sqrt((Σ_aa Σ_bb + Σ_ab²) / N) (the variance of the product of two centred normals); 5 of them make
 * a false alarm over the ~2000 checks unlikely (two-sided 5.7e-7 each) while a wrong draw (a missing
 * correction term, draws from the filter instead of the smoother) is off by many.
 */
class SimulationSmootherTest {
    private static final int DRAWS = 4000;

    @Test
    void drawsHaveTheJointPosteriorMeanAndCovariance() {
        long seed = 100;
        int models = 0;
        for (LinearGaussianModel model : KalmanSmootherTest.models()) {
            Sequence s = KalmanSmootherTest.withGaps(model, 9, seed++, model.stateDimension());
            DMatrixRMaj[] post = new BruteForce(model, s).statePosterior();
            PosteriorDraws draws = model.samplePosterior(s, DRAWS, Randoms.seeded(seed));
            int n = model.stateDimension();
            int length = s.length();
            assertThat(draws.count()).isEqualTo(DRAWS);
            assertThat(draws.length()).isEqualTo(length);
            assertThat(draws.dimension()).isEqualTo(n);
            assertThat(draws.discrete()).isFalse();
            int size = length * n;
            double[] mean = new double[size];
            for (int d = 0; d < DRAWS; d++) {
                for (int a = 0; a < size; a++) {
                    mean[a] += draws.value(d, a / n, a % n) / DRAWS;
                }
            }
            for (int a = 0; a < size; a++) {
                double var = post[1].get(a, a);
                assertThat(mean[a]).as("%s mean of x[%d][%d]", model, a / n, a % n)
                        .isCloseTo(post[0].get(a, 0), within(5 * Math.sqrt(var / DRAWS) + 1e-9));
            }
            for (int a = 0; a < size; a++) {
                for (int b = a; b < size && b / n <= a / n + 1; b++) {
                    double sum = 0;
                    for (int d = 0; d < DRAWS; d++) {
                        sum += (draws.value(d, a / n, a % n) - mean[a]) * (draws.value(d, b / n, b % n) - mean[b]);
                    }
                    double cov = sum / (DRAWS - 1);
                    double exact = post[1].get(a, b);
                    double se = Math.sqrt((post[1].get(a, a) * post[1].get(b, b) + exact * exact) / DRAWS);
                    assertThat(cov).as("%s Cov[x%d, x%d]", model, a, b).isCloseTo(exact, within(5 * se + 1e-9));
                }
            }
            models++;
        }
        assertThat(models).isEqualTo(5);
    }

    @Test
    void theStructuralModelDrawsLikeItsLinearForm() {
        StructuralModel level = StructuralModel.localLevel(NileData.OBSERVATION_VARIANCE, NileData.LEVEL_VARIANCE);
        Sequence nile = Sequence.ofScalars("nile", NileData.volumes());
        PosteriorDraws a = level.samplePosterior(nile, 3, Randoms.seeded(5));
        PosteriorDraws b = level.asLinearGaussian().samplePosterior(nile, 3, Randoms.seeded(5));
        for (int d = 0; d < 3; d++) {
            for (int t = 0; t < nile.length(); t++) {
                assertThat(a.value(d, t, 0)).isEqualTo(b.value(d, t, 0));
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameDrawsAndAnotherSeedOthers() {
        LinearGaussianModel model = KalmanContractTest.FULL;
        Sequence s = KalmanSmootherTest.withGaps(model, 6, 3, 1);
        PosteriorDraws a = model.samplePosterior(s, 2, Randoms.seeded(9));
        PosteriorDraws b = model.samplePosterior(s, 2, Randoms.seeded(9));
        PosteriorDraws c = model.samplePosterior(s, 2, Randoms.seeded(10));
        assertThat(a.value(1, 5, 0)).isEqualTo(b.value(1, 5, 0)).isNotEqualTo(c.value(1, 5, 0));
    }

    @Test
    void badCountsAndEmptySequences() {
        LinearGaussianModel model = KalmanContractTest.SCALAR;
        Sequence s = Sequence.ofScalars("s", new double[] {1, 2});
        assertThatThrownBy(() -> model.samplePosterior(s, 0, Randoms.seeded(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
        assertThat(model.samplePosterior(Sequence.ofScalars("e", new double[0]), 2, Randoms.seeded(1)).length()).isZero();
    }
}
