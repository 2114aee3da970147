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
import org.statespace.StateSpaceModel;
import org.statespace.kalman.StructuralModel;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;

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

    /**
     * Lake Huron's annual level 1875-1952 (feet; R's {@code datasets::LakeHuron}, the first 78 of its 98 values: the
     * default study's training part), fitted as a local level from the study's template start.
     */
    static final double[] LAKE_HURON_TRAINING = {
        580.38, 581.86, 580.97, 580.8, 579.79, 580.39, 580.42, 580.82, 581.4, 581.32, 581.44, 581.68,
        581.17, 580.53, 580.01, 579.91, 579.14, 579.16, 579.55, 579.67, 578.44, 578.24, 579.1, 579.09,
        579.35, 578.82, 579.32, 579.01, 579, 579.8, 579.83, 579.72, 579.89, 580.01, 579.37, 578.69, 578.19,
        578.67, 579.55, 578.92, 578.09, 579.37, 580.13, 580.14, 579.51, 579.24, 578.66, 578.86, 578.05,
        577.79, 576.75, 576.75, 577.82, 578.64, 580.58, 579.48, 577.38, 576.9, 576.94, 576.24, 576.84,
        576.85, 576.9, 577.79, 578.18, 577.51, 577.23, 578.42, 579.61, 579.05, 579.26, 579.22, 579.38,
        579.1, 577.95, 578.12, 579.75, 580.85};

    /**
     * A series whose maximum lies on the boundary, observation variance 0 (minus infinity on the optimiser's
     * log scale), as for the Lake Huron, lynx and sunspot series in the default study: the fit converges
     * instead of stopping at its iteration limit (it did so before the optimiser knew flat coordinates), and
     * lands on the closed-form optimum. With σ²_ε = 0 the exact diffuse likelihood is that of the first
     * differences, each N(0, σ²_η), whose maximum is at σ²_η = the mean of the squared differences.
     */
    @Test
    void anOptimumOnTheBoundaryConvergesToTheRandomWalk() {
        double[] y = LAKE_HURON_TRAINING;
        int n = y.length;
        double squares = 0;
        for (int t = 1; t < n; t++) {
            squares += (y[t] - y[t - 1]) * (y[t] - y[t - 1]);
        }
        double randomWalkVariance = squares / (n - 1);
        Dataset data = Dataset.of(List.of(Sequence.ofScalars("huron", y)));
        StateSpaceModel<?, ?> start = ModelSpecs.template(SpecNode.root(Json.parse("{\"type\": \"local-level\"}", "t"),
                "t"), data, Randoms.seeded(1));
        FitResult result = Trainer.fit(start, data, null, TrainOptions.defaults().withThreads(1), FitSettings.NONE,
                TrainingListener.NONE);
        StructuralModel fitted = (StructuralModel) result.model();
        assertThat(result.converged()).as(String.join("; ", result.warnings())).isTrue();
        assertThat(fitted.observationVariance()).isLessThan(1e-6 * fitted.levelVariance());
        assertThat(fitted.levelVariance()).isCloseTo(randomWalkVariance, within(1e-4 * randomWalkVariance));
    }
}
