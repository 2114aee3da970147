package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import org.statespace.SpecException;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.hmm.HmmFitSettings;
import org.statespace.kalman.StructuralModel;
import org.statespace.rnn.RnnFitSettings;
import org.statespace.rnn.RnnModel;

/**
 * Checkpoints written by the trainer before it was split into one loop and one checkpoint record per method
 * (resources {@code checkpoints/v1/}, made by commit 048dc16 as their README says) still resume, and end where an
 * uninterrupted fit by today's code ends: EM with restarts, gradient training and online EM bit for bit, the
 * optimiser (which restarts its simplex at the best point) within its tolerance. Each file also names its method
 * when handed to a fit of another.
 */
class OldCheckpointFormatTest {

    private static Path resource(String name) throws Exception {
        return Path.of(OldCheckpointFormatTest.class.getResource("/checkpoints/v1/" + name).toURI());
    }

    @Test
    void anEmCheckpointWithAFinishedRestartResumes() throws Exception {
        Dataset data = HmmTrainerTest.data();
        TrainOptions options = TrainOptions.defaults().withRestarts(2).withSeed(5).withMaxIterations(40)
                .withTolerance(0).withThreads(2);
        FitResult whole = Trainer.fit(HmmTrainerTest.START, data, null, options, HmmFitSettings.defaults(), null);
        FitResult resumed = Trainer.resume(resource("em.json"), HmmTrainerTest.START, data, null, options,
                HmmFitSettings.defaults(), null);
        assertThat(resumed.model()).isEqualTo(whole.model());
        assertThat(resumed.logLikelihoodTrace()).containsExactly(whole.logLikelihoodTrace());
        assertThat(resumed.restartLogLikelihoods()).containsExactly(whole.restartLogLikelihoods());
    }

    @Test
    void aGradientCheckpointResumes() throws Exception {
        Dataset data = CheckpointResumeTest.gruSamples(3, 11, 8, 30, 4);
        RnnModel start = CheckpointResumeTest.gru(3, 12);
        TrainOptions options = TrainOptions.defaults().withSeed(9).withMaxIterations(12).withBatchSize(3)
                .withThreads(1).withLearningRate(0.02);
        FitResult whole = Trainer.fit(start, data, null, options, RnnFitSettings.defaults(), null);
        FitResult resumed = Trainer.resume(resource("gradient.json"), start, data, null, options,
                RnnFitSettings.defaults(), null);
        assertThat(resumed.model()).isEqualTo(whole.model());
        assertThat(resumed.logLikelihoodTrace()).containsExactly(whole.logLikelihoodTrace());
        // handed to a fit of another method: the file, the method it holds and the one expected
        assertThatThrownBy(() -> Trainer.resume(resource("gradient.json"), HmmTrainerTest.START,
                HmmTrainerTest.data(), null, options, HmmFitSettings.defaults(), null))
                .isInstanceOf(SpecException.class)
                .hasMessage(resource("gradient.json") + ": method: \"gradient\": the checkpoint was written by a fit of "
                        + "method gradient, this fit's method is em (resume it with method gradient)");
    }

    @Test
    void anOptimizerCheckpointResumes() throws Exception {
        Dataset nile = NileMaximumLikelihoodTest.nile();
        StructuralModel start = StructuralModel.localLevel(1000, 1000);
        TrainOptions options = TrainOptions.defaults().withThreads(1);
        FitResult whole = Trainer.fit(start, nile, null, options, FitSettings.NONE, null);
        FitResult resumed = Trainer.resume(resource("optimizer.json"), start, nile, null, options, FitSettings.NONE,
                null);
        CheckpointResumeTest.assertSameLocalLevelOptimum(resumed, whole);
    }

    @Test
    void anOnlineEmCheckpointResumesPartWayThroughAPass() throws Exception {
        Dataset data = OnlineExpectationMaximizationTest.longSeries(OnlineExpectationMaximizationTest.GAUSSIAN_TRUTH,
                5000, 8);
        TrainOptions options = TrainOptions.defaults().withMethod(TrainOptions.Method.ONLINE_EM).withChunkLength(250)
                .withBatchSize(2).withMaxIterations(3).withTolerance(0).withThreads(2);
        FitResult whole = Trainer.fit(OnlineExpectationMaximizationTest.GAUSSIAN_START, data, null, options,
                HmmFitSettings.defaults(), null);
        FitResult resumed = Trainer.resume(resource("online-em.json"), OnlineExpectationMaximizationTest.GAUSSIAN_START,
                data, null, options, HmmFitSettings.defaults(), null);
        assertThat(resumed.model()).isEqualTo(whole.model());
        assertThat(resumed.logLikelihoodTrace()).containsExactly(whole.logLikelihoodTrace());
        assertThat(resumed.iterations()).isEqualTo(3);
    }
}
