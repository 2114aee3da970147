package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.SpecException;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.hmm.HmmFitSettings;
import org.statespace.kalman.StructuralModel;
import org.statespace.rnn.Cell;
import org.statespace.rnn.Head;
import org.statespace.rnn.Layer;
import org.statespace.rnn.RnnArchitecture;
import org.statespace.rnn.RnnFitSettings;
import org.statespace.rnn.RnnModel;
import org.statespace.Sampling;
import org.statespace.numeric.Randoms;

/**
 * A fit stopped after some iterations and continued from its checkpoint ends exactly where an
 * uninterrupted fit ends: EM (with restarts) and gradient training bit for bit, the optimiser (which
 * restarts its simplex at the best point) within its tolerance.
 */
class CheckpointResumeTest {
    @TempDir
    Path dir;

    @Test
    void emWithRestartsResumesToTheSameParameters() {
        Dataset data = HmmTrainerTest.data();
        TrainOptions options = TrainOptions.defaults().withRestarts(2).withSeed(5).withMaxIterations(40)
                .withTolerance(0).withThreads(2);
        HmmFitSettings settings = HmmFitSettings.defaults();
        FitResult whole = Trainer.fit(HmmTrainerTest.START, data, null, options, settings, null);
        Path ck = dir.resolve("em.json");
        // the "killed" run: restart 0 done, restart 1 stopped after 7 updates of its 40
        assertThatThrownBy(() -> Trainer.fit(HmmTrainerTest.START, data, null, options.withCheckpoint(ck, 1), settings,
                stopAt(1, 7))).isInstanceOf(Killed.class);
        FitResult resumed = Trainer.resume(ck, HmmTrainerTest.START, data, null, options.withCheckpoint(ck, 3), settings,
                null);
        assertThat(resumed.model()).isEqualTo(whole.model());
        assertThat(resumed.logLikelihoodTrace()).containsExactly(whole.logLikelihoodTrace());
        assertThat(resumed.restartLogLikelihoods()).containsExactly(whole.restartLogLikelihoods());
    }

    @Test
    void gradientTrainingResumesToTheSameParameters() {
        Dataset data = gruSamples(3, 11, 8, 30, 4);
        RnnModel start = gru(3, 12);
        TrainOptions options = TrainOptions.defaults().withSeed(9).withMaxIterations(12).withBatchSize(3)
                .withThreads(1).withLearningRate(0.02);
        FitResult whole = Trainer.fit(start, data, null, options, RnnFitSettings.defaults(), null);
        Path ck = dir.resolve("gradient.json");
        Trainer.fit(start, data, null, options.withMaxIterations(5).withCheckpoint(ck, 1), RnnFitSettings.defaults(), null);
        FitResult resumed = Trainer.resume(ck, start, data, null, options, RnnFitSettings.defaults(), null);
        assertThat(resumed.model()).isEqualTo(whole.model());
        assertThat(resumed.logLikelihoodTrace()).containsExactly(whole.logLikelihoodTrace());
    }

    /**
     * SGD keeps no second moment, so its checkpoint holds an empty one; resuming it was refused ("gradient.secondMoment:
     * 0 values do not fit this model's ... parameters") before the check knew the optimiser.
     */
    @Test
    void sgdTrainingResumesToTheSameParameters() {
        Dataset data = gruSamples(2, 21, 6, 20, 5);
        RnnModel start = gru(2, 22);
        TrainOptions options = TrainOptions.defaults().withOptimizer(TrainOptions.Optimizer.SGD).withSeed(3)
                .withMaxIterations(8).withBatchSize(2).withThreads(1).withLearningRate(0.01);
        FitResult whole = Trainer.fit(start, data, null, options, RnnFitSettings.defaults(), null);
        Path ck = dir.resolve("sgd.json");
        Trainer.fit(start, data, null, options.withMaxIterations(3).withCheckpoint(ck, 1), RnnFitSettings.defaults(), null);
        FitResult resumed = Trainer.resume(ck, start, data, null, options, RnnFitSettings.defaults(), null);
        assertThat(resumed.model()).isEqualTo(whole.model());
        assertThat(resumed.logLikelihoodTrace()).containsExactly(whole.logLikelihoodTrace());
    }

    @Test
    void theOptimiserResumesToTheSameOptimum() throws Exception {
        Dataset nile = NileMaximumLikelihoodTest.nile();
        StructuralModel start = StructuralModel.localLevel(1000, 1000);
        TrainOptions options = TrainOptions.defaults().withThreads(1);
        FitResult whole = Trainer.fit(start, nile, null, options, FitSettings.NONE, null);
        Path ck = dir.resolve("optimizer.json");
        Trainer.fit(start, nile, null, options.withMaxIterations(15).withCheckpoint(ck, 5), FitSettings.NONE, null);
        FitResult resumed = Trainer.resume(ck, start, nile, null, options, FitSettings.NONE, null);
        assertSameLocalLevelOptimum(resumed, whole);
    }

    @Test
    void aCheckpointOfAnotherFitIsRefused() throws Exception {
        Dataset data = HmmTrainerTest.data();
        TrainOptions options = TrainOptions.defaults().withSeed(5).withMaxIterations(3).withThreads(1);
        Path ck = dir.resolve("em.json");
        Trainer.fit(HmmTrainerTest.START, data, null, options.withCheckpoint(ck, 1), HmmFitSettings.defaults(), null);
        assertThatThrownBy(() -> Trainer.resume(ck, HmmTrainerTest.START, data, null, options.withSeed(6),
                HmmFitSettings.defaults(), null)).isInstanceOf(SpecException.class).hasMessageContaining("another starting model");
        Files.writeString(ck, "{\"format\": \"something else\"}");
        assertThatThrownBy(() -> Trainer.resume(ck, HmmTrainerTest.START, data, null, options,
                HmmFitSettings.defaults(), null)).isInstanceOf(SpecException.class).hasMessageContaining("not a statespace checkpoint");
        Files.writeString(ck, "{\"format\": \"statespace-checkpoint\", \"formatVersion\": 1}");
        assertThatThrownBy(() -> Trainer.resume(ck, HmmTrainerTest.START, data, null, options,
                HmmFitSettings.defaults(), null)).isInstanceOf(SpecException.class)
                .hasMessage(ck + ": method: missing");
    }

    @Test
    void everyFieldIsCheckedAgainstTheRunItResumes() throws Exception {
        Dataset data = HmmTrainerTest.data();
        TrainOptions options = TrainOptions.defaults().withSeed(5).withMaxIterations(4).withTolerance(0).withThreads(1);
        Path ck = dir.resolve("em.json");
        Trainer.fit(HmmTrainerTest.START, data, null, options.withCheckpoint(ck, 1), HmmFitSettings.defaults(), null);
        String good = Files.readString(ck);
        // {the damage, the message}; the run resumed allows 6 iterations and no restarts
        String[][] cases = {
            {"\"iteration\" : 4", "\"iteration\" : -5", "iteration: -5 is negative"},
            {"\"iteration\" : 4", "\"iteration\" : 1e12", "iteration: 1.0E12 is too large"},
            {"\"iteration\" : 4", "\"iteration\" : 7", "iteration: 7 is beyond this run's maxIterations 6"},
            {"\"iteration\" : 4", "\"iteration\" : 3", "trace: 4 entries do not match iteration 3 (expected 3)"},
            {"\"restart\" : 0", "\"restart\" : 999", "restart: 999 is beyond this run's restarts 0"},
            {"\"restart\" : 0", "\"restart\" : \"0\"", "restart: \"0\" is not a number"},
            {"\"type\" : \"hmm\"", "\"type\" : \"local-level\"", "model.type: \"local-level\" is not the starting model's type \"hmm\""},
            {"\"iteration\" : 4,", "", "iteration: missing"},
        };
        for (String[] c : cases) {
            assertThat(good).contains(c[0]);
            Files.writeString(ck, good.replaceFirst(java.util.regex.Pattern.quote(c[0]),
                    java.util.regex.Matcher.quoteReplacement(c[1])));
            assertThatThrownBy(() -> Trainer.resume(ck, HmmTrainerTest.START, data, null, options.withMaxIterations(6),
                    HmmFitSettings.defaults(), null)).as(c[1]).isInstanceOf(SpecException.class)
                    .hasMessageStartingWith(ck + ": " + c[2]);
        }
        // a string in the trace is not read as 0
        com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode)
                org.statespace.spec.Json.parse(good, "ck");
        ((com.fasterxml.jackson.databind.node.ArrayNode) o.get("trace")).set(2, "abc");
        Files.writeString(ck, org.statespace.spec.Json.write(o));
        assertThatThrownBy(() -> Trainer.resume(ck, HmmTrainerTest.START, data, null, options.withMaxIterations(6),
                HmmFitSettings.defaults(), null)).hasMessage(ck + ": trace[2]: \"abc\" is not a number");
        // the undamaged checkpoint resumes
        Files.writeString(ck, good);
        assertThat(Trainer.resume(ck, HmmTrainerTest.START, data, null, options.withMaxIterations(6),
                HmmFitSettings.defaults(), null).iterations()).isEqualTo(6);
    }

    /** The optimiser's resumed local-level fit is at the uninterrupted one's optimum, within its tolerance. */
    static void assertSameLocalLevelOptimum(FitResult resumed, FitResult whole) {
        StructuralModel a = (StructuralModel) whole.model();
        StructuralModel b = (StructuralModel) resumed.model();
        assertThat(b.observationVariance()).isCloseTo(a.observationVariance(), within(0.05));
        assertThat(b.levelVariance()).isCloseTo(a.levelVariance(), within(0.005));
        assertThat(resumed.logLikelihood()).isCloseTo(whole.logLikelihood(), within(1e-6));
    }

    /** A GRU network of {@code hidden} units with a Gaussian head, initialised from {@code seed}. */
    static RnnModel gru(int hidden, long seed) {
        return RnnModel.initialized(RnnArchitecture.stack(1, List.of(Layer.of(Cell.GRU, hidden)),
                Head.of(Head.Type.GAUSSIAN, 1)), seed);
    }

    /** {@code sequences} sequences of {@code length} steps drawn from {@code gru(hidden, seed)}, sequence i by stream i. */
    static Dataset gruSamples(int hidden, long seed, int sequences, int length, long streams) {
        RnnModel truth = gru(hidden, seed);
        List<Sequence> seqs = new ArrayList<>();
        for (int i = 0; i < sequences; i++) {
            seqs.add(Sampling.sample(truth, "s" + i, length, null, Randoms.stream(streams, i)));
        }
        return Dataset.of(seqs);
    }

    /** A listener that stops the fit (as a kill would) after {@code updates} iterations of restart {@code restart}. */
    private static TrainingListener stopAt(int restart, int updates) {
        int[] seen = {0};
        int[] restarts = {0};
        return (i, n, p) -> {
            if (i == 1) {
                restarts[0] = seen[0] == 0 ? 0 : restarts[0] + 1;
            }
            seen[0]++;
            if (restarts[0] == restart && i == updates) {
                throw new Killed();
            }
        };
    }

    private static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
