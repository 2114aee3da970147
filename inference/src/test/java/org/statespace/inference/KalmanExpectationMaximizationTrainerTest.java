package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.statespace.Sampling;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.kalman.KalmanFitSettings;
import org.statespace.kalman.LinearGaussianModel;
import org.statespace.numeric.Randoms;

/** The trainer runs Shumway-Stoffer EM on an lgssm: its log-likelihood trace never decreases. */
class KalmanExpectationMaximizationTrainerTest {

    @Test
    void theTraceNeverDecreasesOverSequencesOfDifferentLengths() {
        LinearGaussianModel truth = LinearGaussianModel.of(new double[][] {{0.9, 0.1}, {0, 0.7}},
                new double[][] {{0.3, 0.05}, {0.05, 0.2}}, new double[][] {{1, 0}, {0.5, 1}},
                new double[][] {{0.4, 0}, {0, 0.6}}, new double[] {0, 1}, new double[][] {{1, 0}, {0, 1}})
                .withObservationOffset(new double[] {2, -1});
        List<Sequence> sequences = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Sequence s = Sampling.sample(truth, "s" + i, 30 + 17 * i, null, Randoms.stream(4, i));
            double[] y = s.observations();
            for (int t = 3; t < y.length; t += 11) {
                y[t] = Double.NaN;
            }
            sequences.add(Sequence.of(s.id(), 2, y));
        }
        LinearGaussianModel start = LinearGaussianModel.of(new double[][] {{0.5, 0}, {0, 0.5}},
                new double[][] {{1, 0}, {0, 1}}, new double[][] {{1, 0}, {0, 1}}, new double[][] {{1, 0}, {0, 1}},
                new double[] {0, 0}, new double[][] {{1, 0}, {0, 1}}).withObservationOffset(new double[] {0, 0});
        FitResult result = Trainer.fit(start, Dataset.of(sequences), null,
                TrainOptions.defaults().withMaxIterations(60).withThreads(2),
                KalmanFitSettings.defaults().withDiagonalObservationNoise(true), TrainingListener.NONE);
        double[] trace = result.logLikelihoodTrace();
        assertThat(trace.length).isGreaterThan(10);
        for (int i = 1; i < trace.length; i++) {
            assertThat(trace[i]).isGreaterThanOrEqualTo(trace[i - 1] - 1e-8 * Math.abs(trace[i - 1]));
        }
        assertThat(result.method()).isEqualTo(TrainOptions.Method.EM);
        assertThat(result.toJson().get("logLikelihoodTrace").size()).isEqualTo(trace.length);
    }
}
