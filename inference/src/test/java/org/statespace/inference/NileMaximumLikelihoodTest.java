package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.kalman.StructuralModel;

/**
 * The trainer's optimiser fits the local-level model to the Nile by maximising the exact diffuse
 * likelihood and reaches the published estimates (nile.md: σ²_ε = 15098.5, σ²_η = 1469.18 from KFAS;
 * 15099 and 1469.1 in Durbin &amp; Koopman 2012, sec. 2.10).
 */
class NileMaximumLikelihoodTest {

    static Dataset nile() throws IOException {
        try (InputStream in = NileMaximumLikelihoodTest.class.getResourceAsStream("nile.csv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().split("\n");
            double[] values = new double[lines.length - 1];
            for (int i = 1; i < lines.length; i++) {
                values[i - 1] = Double.parseDouble(lines[i].split(",")[1].strip());
            }
            return Dataset.of(List.of(Sequence.ofScalars("nile", values)));
        }
    }

    @Test
    void theOptimiserReachesThePublishedEstimates() throws IOException {
        StructuralModel start = StructuralModel.localLevel(1000, 1000);
        FitResult result = Trainer.fit(start, nile(), null, TrainOptions.defaults().withThreads(1), FitSettings.NONE,
                TrainingListener.NONE);
        StructuralModel fitted = (StructuralModel) result.model();
        assertThat(result.method()).isEqualTo(TrainOptions.Method.OPTIMIZER);
        assertThat(result.converged()).isTrue();
        // to the digits KFAS publishes
        assertThat(fitted.observationVariance()).isCloseTo(15098.5, within(0.05));
        assertThat(fitted.levelVariance()).isCloseTo(1469.18, within(0.005));
        assertThat(result.logLikelihood()).isCloseTo(-633.4646, within(5e-5));
        double[] trace = result.logLikelihoodTrace();
        for (int i = 1; i < trace.length; i++) {
            assertThat(trace[i]).isGreaterThanOrEqualTo(trace[i - 1]);
        }
    }
}
