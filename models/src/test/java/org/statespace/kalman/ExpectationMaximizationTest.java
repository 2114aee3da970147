package org.statespace.kalman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import org.statespace.NumericalException;
import org.statespace.capability.SufficientStatistics;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;
import org.statespace.numeric.TestMatrices;

/**
 * Shumway-Stoffer EM: the likelihood never decreases (any fixed subset, diagonal constraints, sequences
 * of different lengths with missing values), fixed parameters stay put, and on the Nile EM's fixed point
 * is the published maximum-likelihood estimate.
 */
class ExpectationMaximizationTest {

    static double emStep(LinearGaussianModel[] model, List<Sequence> data, KalmanFitSettings settings) {
        SufficientStatistics stats = model[0].newStatistics();
        for (Sequence s : data) {
            SufficientStatistics one = model[0].newStatistics();
            model[0].expectation(s, one);
            stats.merge(one);
        }
        model[0] = model[0].maximization(stats, settings);
        return stats.logLikelihood();
    }

    static List<Sequence> dataset(LinearGaussianModel truth, long seed) {
        RandomGenerator random = Randoms.seeded(seed);
        List<Sequence> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int length = 15 + random.nextInt(25);
            Sequence s = KalmanSmootherTest.withGaps(truth, length, seed * 10 + i, 0);
            out.add(s.withId("s" + i));
        }
        return out;
    }

    /**
     * On stable models (the truth and the start) EM never lowers the likelihood. Explosive ones are left to
     * {@link #onExplosiveModelsEmRisesOrStopsWithAClearError}: there the state's covariance grows like
     * λ^(2t), the smoother's statistics lose their digits, and the guarantee is a clear error instead.
     */
    @Property(tries = 12)
    void theLikelihoodNeverDecreases(@ForAll @LongRange(min = 1, max = 100_000) long seed) {
        RandomGenerator random = Randoms.seeded(seed);
        LinearGaussianModel truth = stable(HipparchusCrossCheckTest.randomModel(random));
        List<Sequence> data = dataset(truth, seed);
        LinearGaussianModel start = stable(HipparchusCrossCheckTest.randomModel(random));
        emRises(seed, truth, data, start, random, false);
    }

    /**
     * Seeds whose random truth and start are explosive (data up to 5e5 after 40 steps) and on which EM
     * used to lower the likelihood silently, by hundreds of nats, from a negative smoothed variance: EM
     * now rises at every iteration it completes and otherwise stops with a NumericalException that names
     * the sequence and step.
     */
    @Test
    void onExplosiveModelsEmRisesOrStopsWithAClearError() {
        for (long seed : new long[] {45, 426, 486, 1698}) {
            RandomGenerator random = Randoms.seeded(seed);
            LinearGaussianModel truth = HipparchusCrossCheckTest.randomModel(random);
            List<Sequence> data = dataset(truth, seed);
            LinearGaussianModel start = HipparchusCrossCheckTest.randomModel(random);
            emRises(seed, truth, data, start, random, true);
        }
    }

    private static void emRises(long seed, LinearGaussianModel truth, List<Sequence> data, LinearGaussianModel start,
            RandomGenerator random, boolean mayDiverge) {
        Set<String> fixed = new LinkedHashSet<>();
        for (String name : KalmanFitSettings.PARAMETER_NAMES) {
            if (random.nextInt(4) == 0) {
                fixed.add(name);
            }
        }
        KalmanFitSettings settings = new KalmanFitSettings(fixed, random.nextBoolean(), random.nextBoolean());
        LinearGaussianModel[] model = {start};
        double previous = Double.NEGATIVE_INFINITY;
        for (int iteration = 0; iteration < 12; iteration++) {
            double ll;
            try {
                ll = emStep(model, data, settings);
            } catch (NumericalException e) {
                assertThat(mayDiverge).as("seed %d, iteration %d: %s", seed, iteration, e.getMessage()).isTrue();
                assertThat(e.getMessage()).containsAnyOf("smoothed variance", "rounding error", "not positive definite");
                return;
            }
            assertThat(ll).as("seed %d, iteration %d with %s", seed, iteration, settings)
                    .isGreaterThanOrEqualTo(previous - 1e-8 * Math.abs(previous));
            previous = ll;
        }
        for (String name : fixed) {
            assertThat(parameter(model[0], name)).as(name).isEqualTo(parameter(start, name));
        }
        if (settings.diagonalProcessNoise() && !fixed.contains("processNoise")) {
            double[][] q = model[0].processNoise();
            assertThat(q[0][1]).isZero();
        }
        if (settings.diagonalObservationNoise() && !fixed.contains("observationNoise")) {
            assertThat(model[0].observationNoise()[0][1]).isZero();
        }
    }

    /** The model with F scaled down to a maximum absolute row sum of 0.95 (so spectral radius below 1). */
    static LinearGaussianModel stable(LinearGaussianModel m) {
        double[][] f = TestMatrices.contract(m.transitionMatrix(), 0.95);
        return LinearGaussianModel.of(f, m.processNoise(), m.observationMatrix(), m.observationNoise(),
                m.initialMean(), m.initialCovariance())
                .withControlMatrix(m.controlMatrix().orElseThrow())
                .withFeedthroughMatrix(m.feedthroughMatrix().orElseThrow())
                .withTransitionOffset(m.transitionOffset().orElseThrow())
                .withObservationOffset(m.observationOffset().orElseThrow());
    }

    static double[] parameter(LinearGaussianModel model, String name) {
        return switch (name) {
            case "transitionMatrix" -> flatten(model.transitionMatrix());
            case "controlMatrix" -> flatten(model.controlMatrix().orElseThrow());
            case "transitionOffset" -> model.transitionOffset().orElseThrow();
            case "processNoise" -> flatten(model.processNoise());
            case "observationMatrix" -> flatten(model.observationMatrix());
            case "feedthroughMatrix" -> flatten(model.feedthroughMatrix().orElseThrow());
            case "observationOffset" -> model.observationOffset().orElseThrow();
            case "observationNoise" -> flatten(model.observationNoise());
            case "initialMean" -> model.initialMean();
            case "initialCovariance" -> flatten(model.initialCovariance());
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static double[] flatten(double[][] a) {
        return java.util.Arrays.stream(a).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    @Test
    void theLikelihoodNeverDecreasesWithADiffuseStart() {
        LinearGaussianModel truth = KalmanContractTest.DIFFUSE;
        List<Sequence> data = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            data.add(KalmanSmootherTest.withGaps(truth, 20 + 7 * i, 40 + i, 3).withId("d" + i));
        }
        LinearGaussianModel[] model = {truth};
        KalmanFitSettings settings = KalmanFitSettings.defaults().withFixed("transitionMatrix", "observationMatrix");
        double previous = Double.NEGATIVE_INFINITY;
        for (int iteration = 0; iteration < 15; iteration++) {
            double ll = emStep(model, data, settings);
            assertThat(ll).isGreaterThanOrEqualTo(previous - 1e-8 * Math.abs(previous));
            previous = ll;
        }
    }

    /**
     * The local-level model as an lgssm with F = H = 1 fixed and an exact diffuse start: EM's fixed point
     * is the maximum-likelihood estimate, published as σ²_ε = 15098.5, σ²_η = 1469.18 (KFAS; nile.md).
     */
    @Test
    void onTheNileEmReachesThePublishedMaximumLikelihoodEstimate() {
        LinearGaussianModel start = LinearGaussianModel.of(new double[][] {{1}}, new double[][] {{1000}},
                new double[][] {{1}}, new double[][] {{10000}}, new double[] {0}, new double[][] {{0}})
                .withDiffuseInitialization();
        KalmanFitSettings settings = KalmanFitSettings.defaults().withFixed("transitionMatrix", "observationMatrix");
        LinearGaussianModel[] model = {start};
        List<Sequence> data = List.of(NileData.sequence());
        double previous = Double.NEGATIVE_INFINITY;
        // EM converges linearly and slowly here; 3000 iterations of a 100-step series take well under a second
        for (int iteration = 0; iteration < 3000; iteration++) {
            double ll = emStep(model, data, settings);
            assertThat(ll).isGreaterThanOrEqualTo(previous - 1e-8 * Math.abs(previous));
            previous = ll;
        }
        // to the digits published
        assertThat(model[0].observationNoise()[0][0]).isCloseTo(15098.5, within(0.05));
        assertThat(model[0].processNoise()[0][0]).isCloseTo(1469.18, within(0.005));
    }
}
