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

    /**
     * An input that is zero over the whole training set cannot be estimated: the trainer's fit (not only a study
     * row) carries the model's note naming it, and the input's coefficients stay at their start.
     */
    @Test
    void aFitOnAnInputThatIsAlwaysZeroSaysSo() {
        LinearGaussianModel truth = LinearGaussianModel.of(new double[][] {{0.8}}, new double[][] {{0.3}},
                new double[][] {{1}}, new double[][] {{0.5}}, new double[] {0}, new double[][] {{1}});
        List<Sequence> sequences = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Sequence s = Sampling.sample(truth, "s" + i, 40, null, Randoms.stream(9, i));
            sequences.add(Sequence.of(s.id(), 1, s.observations()).withInputs(1, new double[40]));
        }
        LinearGaussianModel start = LinearGaussianModel.of(new double[][] {{0.5}}, new double[][] {{1}},
                new double[][] {{1}}, new double[][] {{1}}, new double[] {0}, new double[][] {{1}})
                .withControlMatrix(new double[][] {{0}}).withTransitionOffset(new double[] {0});
        FitResult result = Trainer.fit(start, Dataset.of(sequences), null,
                TrainOptions.defaults().withMaxIterations(20).withThreads(1), KalmanFitSettings.defaults(),
                TrainingListener.NONE);
        assertThat(result.warnings()).anySatisfy(w -> assertThat(w).contains("input1").contains("held"));
        assertThat(((LinearGaussianModel) result.model()).controlMatrix().orElseThrow()[0][0]).isZero();
    }
}
