package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import org.statespace.SpecException;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.nonlinear.NonlinearModel;
import org.statespace.numeric.Randoms;
import org.statespace.spec.ModelSpecs;

/**
 * The trainer runs the Gaussian-approximation EM of the extended and unscented filters through the family's
 * {@code ExpectationMaximization} kernels, as it runs Baum-Welch and Shumway-Stoffer; the particle filter is
 * refused EM and stays with the optimiser.
 */
class NonlinearEmTrainerTest {

    @Test
    void extendedAndUnscentedModelsAreFittedByEm() {
        NonlinearModel truth = (NonlinearModel) ModelSpecs.parse("{\"type\": \"nonlinear\", \"model\": \"lorenz63\", "
                + "\"filter\": \"ekf\"}", "truth");
        RandomGenerator random = Randoms.stream(8, 0);
        List<Sequence> sequences = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            sequences.add(truth.system().sample("l" + s, 150, null, random));
        }
        Dataset data = Dataset.of(sequences);
        for (String filter : new String[] {"ekf", "ukf"}) {
            NonlinearModel start = (NonlinearModel) ModelSpecs.parse("{\"type\": \"nonlinear\", \"model\": \"lorenz63\", "
                    + "\"filter\": \"" + filter + "\", \"observationNoise\": [[4, 0, 0], [0, 4, 0], [0, 0, 4]]}", "start");
            FitResult result = Trainer.fit(start, data, null, TrainOptions.defaults().withThreads(1).withMaxIterations(8),
                    FitSettings.NONE, TrainingListener.NONE);
            assertThat(result.method()).as(filter).isEqualTo(TrainOptions.Method.EM);
            double[] trace = result.logLikelihoodTrace();
            assertThat(trace[trace.length - 1]).as(filter).isGreaterThan(trace[0]);
            double r = ((NonlinearModel) result.model()).system().observationNoise()[0][0];
            assertThat(r).as(filter).isBetween(0.5, 2.0);
        }
    }

    @Test
    void theParticleFilterIsNotFittedByEm() {
        NonlinearModel particle = (NonlinearModel) ModelSpecs.parse("{\"type\": \"nonlinear\", \"model\": \"growth\", "
                + "\"filter\": \"particle\", \"particles\": 50}", "p");
        assertThat(Trainer.available(particle)).containsExactly(TrainOptions.Method.OPTIMIZER);
        assertThatThrownBy(() -> Trainer.resolve(particle, TrainOptions.Method.EM)).isInstanceOf(SpecException.class)
                .hasMessageContaining("em");
    }
}
