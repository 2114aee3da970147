package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.nonlinear.BuiltinModel;
import org.statespace.nonlinear.NonlinearModel;
import org.statespace.numeric.Randoms;
import org.statespace.spec.ModelSpecs;

/**
 * The trainer fits a particle-filter model by its derivative-free optimiser. Data: 4 series of 100 steps
 * simulated from the growth model at its defaults (Q = 10, R = 1, seed 11); the start has R = 4 and frees R
 * only, run by 300 particles with common random numbers (seed 3), so the objective is deterministic. The
 * stated tolerance is the truth within a factor 2 (0.5 .. 2), much tighter than the start's factor 4: a
 * maximum-likelihood estimate from 400 observations carries its own sampling error, and the particle
 * filter's Monte Carlo error adds to it (at these seeds the estimate is about 1.47). The likelihood at the
 * estimate must also beat the start's, and Q, not free, must stay at 10.
 */
class ParticleFilterMaximumLikelihoodTest {

    @Test
    void theOptimiserRecoversTheObservationNoiseOfTheGrowthModel() {
        RandomGenerator random = Randoms.stream(11, 0);
        List<Sequence> sequences = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            sequences.add(BuiltinModel.GROWTH.defaultSystem().sample("g" + s, 100, null, random));
        }
        Dataset data = Dataset.of(sequences);
        NonlinearModel start = (NonlinearModel) ModelSpecs.parse("{\"type\": \"nonlinear\", \"model\": \"growth\", "
                + "\"filter\": \"particle\", \"particles\": 300, \"seed\": 3, \"observationNoise\": [[4]], "
                + "\"free\": [\"observationNoise\"]}", "start");
        FitResult result = Trainer.fit(start, data, null, TrainOptions.defaults().withThreads(1)
                .withMethod(TrainOptions.Method.OPTIMIZER), FitSettings.NONE, TrainingListener.NONE);
        NonlinearModel fitted = (NonlinearModel) result.model();
        double r = fitted.system().observationNoise()[0][0];
        assertThat(result.method()).isEqualTo(TrainOptions.Method.OPTIMIZER);
        assertThat(r).isBetween(0.5, 2.0);
        assertThat(fitted.system().processNoise()[0][0]).isEqualTo(10.0);
        double startLl = 0;
        for (Sequence s : sequences) {
            startLl += start.filterStates(s).logLikelihood();
        }
        assertThat(result.logLikelihood()).isGreaterThan(startLl);
    }
}
