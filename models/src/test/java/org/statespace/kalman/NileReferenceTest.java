package org.statespace.kalman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import org.statespace.Recurrence;
import org.statespace.data.Sequence;

/**
 * The local-level model on the Nile at the published variances (15099, 1469.1) reproduces the published
 * log-likelihoods of {@code nile.md} under both initialisations and both conventions.
 */
class NileReferenceTest {
    private static final Sequence NILE = NileData.sequence();
    // the published values have four decimals
    private static final double PUBLISHED = 5e-5;

    @Test
    void exactDiffuseLogLikelihoodInStatsmodelsConvention() {
        StructuralModel model = StructuralModel.localLevel(NileData.OBSERVATION_VARIANCE, NileData.LEVEL_VARIANCE);
        assertThat(Recurrence.logLikelihood(model, NILE)).isCloseTo(-633.4646, within(PUBLISHED));
        assertThat(model.filterStates(NILE).logLikelihood()).isCloseTo(-633.4646, within(PUBLISHED));
    }

    @Test
    void exactDiffuseLogLikelihoodInKfasConvention() {
        StructuralModel model = StructuralModel.localLevel(NileData.OBSERVATION_VARIANCE, NileData.LEVEL_VARIANCE);
        KalmanFilterResult result = model.filterStates(NILE);
        assertThat(result.logLikelihoodKfasConvention()).isCloseTo(-632.5456, within(PUBLISHED));
        assertThat(result.diffuseSteps()).isEqualTo(1);
        assertThat(result.diffuseElements()).isEqualTo(1);
    }

    @Test
    void filteredStateAfterTheFirstObservationIsExactlyTheObservation() {
        StructuralModel model = StructuralModel.localLevel(NileData.OBSERVATION_VARIANCE, NileData.LEVEL_VARIANCE);
        KalmanFilterResult result = model.filterStates(NILE);
        assertThat(result.filteredMean(0, 0)).isEqualTo(NILE.scalar(0));
        assertThat(result.filteredCovariance(0, 0, 0)).isEqualTo(NileData.OBSERVATION_VARIANCE);
        assertThat(result.predictedCovariance(1, 0, 0))
                .isEqualTo(NileData.OBSERVATION_VARIANCE + NileData.LEVEL_VARIANCE);
    }

    @Test
    void knownPriorLogLikelihoodWithAllTermsAndWithoutTheFirst() {
        StructuralModel model = StructuralModel.localLevel(NileData.OBSERVATION_VARIANCE, NileData.LEVEL_VARIANCE)
                .withKnownInitialization(new double[] {0}, new double[][] {{1e7}});
        KalmanFilterResult result = model.filterStates(NILE);
        assertThat(Recurrence.logLikelihood(model, NILE)).isCloseTo(-641.5856, within(PUBLISHED));
        assertThat(result.logLikelihood() - result.logLikelihoodTerm(0)).isCloseTo(-632.5442, within(PUBLISHED));
        assertThat(result.logLikelihoodKfasConvention()).isEqualTo(result.logLikelihood());
    }

    /** Every filtered and smoothed moment and log-likelihood term equals statsmodels' (nile-statsmodels.csv). */
    @Test
    void filteredAndSmoothedLevelsEqualStatsmodels() throws java.io.IOException {
        StructuralModel model = StructuralModel.localLevel(NileData.OBSERVATION_VARIANCE, NileData.LEVEL_VARIANCE);
        KalmanFilterResult filtered = model.filterStates(NILE);
        KalmanSmootherResult smoothed = model.smoothStates(NILE);
        java.util.List<String> lines;
        try (java.io.InputStream in = NileReferenceTest.class.getResourceAsStream("nile-statsmodels.csv")) {
            lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#") && !l.startsWith("step")).toList();
        }
        assertThat(lines).hasSize(NILE.length());
        for (String line : lines) {
            String[] f = line.split(",");
            int t = Integer.parseInt(f[0]);
            assertThat(filtered.filteredMean(t, 0)).isCloseTo(Double.parseDouble(f[1]), within(1e-9 * 1000));
            assertThat(filtered.filteredCovariance(t, 0, 0)).isCloseTo(Double.parseDouble(f[2]), within(1e-9 * 15099));
            assertThat(smoothed.mean(t, 0)).isCloseTo(Double.parseDouble(f[3]), within(1e-9 * 1000));
            assertThat(smoothed.covariance(t, 0, 0)).isCloseTo(Double.parseDouble(f[4]), within(1e-9 * 15099));
            assertThat(filtered.logLikelihoodTerm(t)).isCloseTo(Double.parseDouble(f[5]), within(1e-10));
        }
    }

    @Test
    void theGeneralModelWithADiffuseStartGivesTheSameAsTheStructuralOne() {
        LinearGaussianModel general = LinearGaussianModel.of(new double[][] {{1}},
                new double[][] {{NileData.LEVEL_VARIANCE}}, new double[][] {{1}},
                new double[][] {{NileData.OBSERVATION_VARIANCE}}, new double[] {0}, new double[][] {{0}})
                .withDiffuseInitialization();
        assertThat(Recurrence.logLikelihood(general, NILE)).isCloseTo(-633.4646, within(PUBLISHED));
        assertThat(general.filterStates(NILE).logLikelihoodKfasConvention()).isCloseTo(-632.5456, within(PUBLISHED));
    }
}
