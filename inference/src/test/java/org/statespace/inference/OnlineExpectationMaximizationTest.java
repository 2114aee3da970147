package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.capability.ExpectationMaximization;
import org.statespace.capability.FitSettings;
import org.statespace.capability.SufficientStatistics;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.hmm.GaussianEmission;
import org.statespace.hmm.GaussianMixtureEmission;
import org.statespace.hmm.HiddenMarkovModel;
import org.statespace.hmm.HmmFitSettings;
import org.statespace.hsmm.Duration;
import org.statespace.hsmm.HiddenSemiMarkovModel;
import org.statespace.kalman.KalmanFitSettings;
import org.statespace.kalman.LinearGaussianModel;
import org.statespace.numeric.Randoms;
import org.statespace.rnn.Cell;
import org.statespace.rnn.Head;
import org.statespace.rnn.Layer;
import org.statespace.rnn.RnnArchitecture;
import org.statespace.rnn.RnnFitSettings;
import org.statespace.rnn.RnnModel;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;
import org.statespace.Sampling;

/**
 * Online (stepwise) EM: one update with η = 1 over all the data is one batch EM iteration bit for bit (the
 * batch path of {@link Trainer} is the reference); statistics moved to another model's centre give that model
 * the same M-step (the M-step about the old centre is the reference); on 10⁵ simulated steps it reaches batch
 * EM's optimum within 1e-3 nats per step for a Gaussian HMM and a linear-Gaussian model; a killed and resumed
 * fit ends bit for bit where an uninterrupted one does.
 */
class OnlineExpectationMaximizationTest {
    @TempDir
    Path dir;

    /** Every EM family and emission type, with missing values where the family has them. */
    private static List<StateSpaceModel<?, ?>[]> trueAndStart() {
        List<StateSpaceModel<?, ?>[]> out = new ArrayList<>();
        for (RandomModels.Kind kind : RandomModels.Kind.values()) {
            if (!kind.em()) {
                continue;
            }
            for (long seed = 1; seed <= 3; seed++) {
                out.add(new StateSpaceModel<?, ?>[] {RandomModels.sameShape(kind, seed, seed),
                    RandomModels.sameShape(kind, seed, seed + 50)});
            }
        }
        double[][] means = {{0, 0}, {2, 1}, {-1, 2}};
        double[] start = {0.3, 0.3, 0.4};
        double[][] a = {{0.8, 0.1, 0.1}, {0.1, 0.8, 0.1}, {0.2, 0.2, 0.6}};
        out.add(new StateSpaceModel<?, ?>[] {
            HiddenMarkovModel.of(start, a, GaussianEmission.diagonal(means, new double[][] {{1, 0.5}, {0.4, 1}, {2, 1}})),
            HiddenMarkovModel.of(start, a, GaussianEmission.diagonal(shift(means, 0.3), new double[][] {{1, 1}, {1, 1},
                {1, 1}}))});
        out.add(new StateSpaceModel<?, ?>[] {
            HiddenMarkovModel.of(start, a, GaussianEmission.tied(means, new double[][] {{1, 0.3}, {0.3, 0.8}})),
            HiddenMarkovModel.of(start, a, GaussianEmission.tied(shift(means, -0.4), new double[][] {{1, 0}, {0, 1}}))});
        double[][] w = {{0.6, 0.4}, {0.5, 0.5}};
        double[][][] mixMeans = {{{0, 0}, {1, 1}}, {{3, 0}, {2, -1}}};
        double[][][][] covs = {{{{1, 0.2}, {0.2, 1}}, {{0.5, 0}, {0, 0.5}}}, {{{1, 0}, {0, 2}}, {{0.7, 0.1}, {0.1, 0.7}}}};
        double[][] a2 = {{0.9, 0.1}, {0.2, 0.8}};
        out.add(new StateSpaceModel<?, ?>[] {
            HiddenMarkovModel.of(new double[] {0.5, 0.5}, a2, GaussianMixtureEmission.full(w, mixMeans, covs)),
            HiddenMarkovModel.of(new double[] {0.5, 0.5}, a2, GaussianMixtureEmission.full(w,
                    new double[][][] {{{0.2, 0}, {1, 0.7}}, {{2.5, 0}, {2, -0.5}}}, covs))});
        double[][] a3 = {{0, 0.6, 0.4}, {0.5, 0, 0.5}, {0.7, 0.3, 0}};
        out.add(new StateSpaceModel<?, ?>[] {
            HiddenSemiMarkovModel.of(List.of("a", "b", "c"), start, a3, List.of(new Duration.Poisson(3),
                    new Duration.NegativeBinomial(2, 0.4), new Duration.Poisson(5)), 12,
                    GaussianEmission.univariate(new double[] {-1, 1, 3}, new double[] {1, 0.5, 1})),
            HiddenSemiMarkovModel.of(List.of("a", "b", "c"), start, a3, List.of(new Duration.Poisson(2),
                    new Duration.NegativeBinomial(1, 0.5), new Duration.Poisson(4)), 12,
                    GaussianEmission.univariate(new double[] {-0.5, 0.5, 2}, new double[] {1, 1, 1}))});
        return out;
    }

    private static double[][] shift(double[][] m, double by) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i].clone();
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] += by * (i + 1);
            }
        }
        return out;
    }

    private static FitSettings settings(StateSpaceModel<?, ?> model) {
        return model instanceof LinearGaussianModel ? KalmanFitSettings.defaults() : HmmFitSettings.defaults();
    }

    @Test
    void oneUpdateWithStepOneOverAllTheDataIsOneBatchIterationBitForBit() {
        for (StateSpaceModel<?, ?>[] pair : trueAndStart()) {
            Dataset data = RandomModels.sample(pair[0], 4, 7);
            StateSpaceModel<?, ?> start = pair[1];
            FitSettings settings = settings(start);
            FitResult batch = Trainer.fit(start, data, null, TrainOptions.defaults().withMethod(TrainOptions.Method.EM)
                    .withMaxIterations(1).withTolerance(0).withThreads(1), settings, null);
            TrainOptions online = TrainOptions.defaults().withMethod(TrainOptions.Method.ONLINE_EM).withMaxIterations(1)
                    .withThreads(2).withOnline(new TrainOptions.OnlineEm(1, 0, 0, data.size()));
            FitResult step = Trainer.fit(start, data, null, online, settings, null);
            assertThat(batch.iterations()).as(start.toString()).isEqualTo(1);
            assertThat(Json.write(step.model().toSpec())).as(start.toString()).isEqualTo(Json.write(batch.model().toSpec()));
            assertThat(step.model()).isEqualTo(batch.model());
            // and the update really changed the model
            assertThat(step.model()).isNotEqualTo(start);
            // the library entry point gives the same
            OnlineExpectationMaximization direct = OnlineExpectationMaximization.start(start,
                    new TrainOptions.OnlineEm(1, 0, 0, 1), settings, data.sequences().stream()
                            .mapToLong(Sequence::length).sum(), 1);
            direct.update(start.observationSpace().align(data, "data").sequences());
            assertThat(direct.model()).isEqualTo(batch.model());
        }
    }

    /**
     * Statistics taken under model A and moved ({@link SufficientStatistics#blend} with keep 1, add 0) to the centre
     * of a model B that differs from A in its Gaussian means (HMM) or observation offset (linear-Gaussian) give
     * B's M-step the parameters A's M-step gives from the unmoved statistics.
     */
    @Test
    void statisticsMovedToAnotherCentreGiveThatModelTheSameMaximisation() {
        int checked = 0;
        for (StateSpaceModel<?, ?>[] pair : trueAndStart()) {
            StateSpaceModel<?, ?> a = pair[1];
            if (a instanceof LinearGaussianModel g) {
                a = g.withObservationOffset(new double[g.observationSpace().dimension()]);
            }
            StateSpaceModel<?, ?> b = moved(a);
            if (b == null) {
                continue; // categorical and Poisson statistics have no centre
            }
            Dataset data = a.observationSpace().align(RandomModels.sample(pair[0], 3, 11), "data");
            ExpectationMaximization emA = (ExpectationMaximization) a;
            ExpectationMaximization emB = (ExpectationMaximization) b;
            SufficientStatistics s = emA.newStatistics();
            for (Sequence q : data.sequences()) {
                emA.expectation(q, s);
            }
            StateSpaceModel<?, ?> expected = emA.maximization(s, settings(a));
            SufficientStatistics carrier = emB.newStatistics();
            s.blend(1, carrier, 0);
            StateSpaceModel<?, ?> actual = emB.maximization(s, settings(a));
            assertClose(actual.toSpec(), expected.toSpec(), a.toString());
            checked++;
            if (a instanceof LinearGaussianModel) {
                continue; // its statistics carry their own shift, which its M-step reads
            }
            // the HMM's M-step from unmoved statistics about B's means is wrong, so the check can fail
            SufficientStatistics unmoved = emA.newStatistics();
            for (Sequence q : data.sequences()) {
                emA.expectation(q, unmoved);
            }
            assertThat(Json.write(emB.maximization(unmoved, settings(a)).toSpec()))
                    .isNotEqualTo(Json.write(expected.toSpec()));
        }
        assertThat(checked).isGreaterThanOrEqualTo(10);
    }

    /** A with its Gaussian means (HMM) or observation offset (linear-Gaussian) moved; null when it has neither. */
    private static StateSpaceModel<?, ?> moved(StateSpaceModel<?, ?> a) {
        ObjectNode spec = a.toSpec();
        if (a instanceof LinearGaussianModel g) {
            double[] offset = new double[g.observationSpace().dimension()];
            for (int i = 0; i < offset.length; i++) {
                offset[i] = 1.5 - i;
            }
            return g.withObservationOffset(offset);
        }
        JsonNode means = spec.path("emission").path("means");
        if (means.isMissingNode()) {
            return null;
        }
        addTo(means, new double[] {0.7});
        return ModelSpecs.read(SpecNode.root(spec, "moved"));
    }

    private static void addTo(JsonNode node, double[] next) {
        if (node instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) {
                if (arr.get(i).isNumber()) {
                    arr.set(i, DoubleNode.valueOf(arr.get(i).asDouble() + next[0]));
                    next[0] = -0.9 * next[0] + 0.1;
                } else {
                    addTo(arr.get(i), next);
                }
            }
        }
    }

    private static void assertClose(JsonNode actual, JsonNode expected, String what) {
        if (expected.isNumber()) {
            double e = expected.asDouble();
            assertThat(actual.asDouble()).as(what).isCloseTo(e, org.assertj.core.api.Assertions.within(
                    1e-9 * Math.max(1, Math.abs(e))));
            return;
        }
        if (expected.isContainerNode()) {
            assertThat(actual.size()).as(what).isEqualTo(expected.size());
            if (expected.isArray()) {
                for (int i = 0; i < expected.size(); i++) {
                    assertClose(actual.get(i), expected.get(i), what);
                }
            } else {
                Iterator<String> names = expected.fieldNames();
                while (names.hasNext()) {
                    String n = names.next();
                    assertClose(actual.get(n), expected.get(n), what + "." + n);
                }
            }
            return;
        }
        assertThat(actual).as(what).isEqualTo(expected);
    }

    // ----------------------------------------------------------------------------------------------
    // reaching batch EM's optimum on a long series

    static final HiddenMarkovModel GAUSSIAN_TRUTH = HiddenMarkovModel.of(new double[] {1, 0, 0},
            new double[][] {{0.95, 0.03, 0.02}, {0.04, 0.92, 0.04}, {0.02, 0.05, 0.93}},
            GaussianEmission.univariate(new double[] {-2, 0.5, 3}, new double[] {1, 0.5, 1.5}));
    static final HiddenMarkovModel GAUSSIAN_START = HiddenMarkovModel.of(new double[] {0.4, 0.3, 0.3},
            new double[][] {{0.8, 0.1, 0.1}, {0.1, 0.8, 0.1}, {0.1, 0.1, 0.8}},
            GaussianEmission.univariate(new double[] {-1, 0, 1}, new double[] {2, 2, 2}));

    static Dataset longSeries(StateSpaceModel<?, ?> truth, int steps, long seed) {
        return Dataset.of(List.of(Sampling.sample(truth, "long", steps, null, Randoms.seeded(seed))));
    }

    @Test
    void onAHundredThousandStepsAGaussianHmmReachesBatchEmsOptimum() {
        Dataset data = longSeries(GAUSSIAN_TRUTH, 100_000, 3);
        assertReachesBatchOptimum(GAUSSIAN_START, data, HmmFitSettings.defaults(), 1000);
    }

    static final LinearGaussianModel AR_TRUTH = LinearGaussianModel.of(new double[][] {{0.9}}, new double[][] {{0.5}},
            new double[][] {{1}}, new double[][] {{1}}, new double[] {0}, new double[][] {{1}});
    static final LinearGaussianModel AR_START = LinearGaussianModel.of(new double[][] {{0.5}}, new double[][] {{1}},
            new double[][] {{1}}, new double[][] {{2}}, new double[] {0}, new double[][] {{1}});

    @Test
    void onAHundredThousandStepsALinearGaussianModelReachesBatchEmsOptimum() {
        Dataset data = longSeries(AR_TRUTH, 100_000, 4);
        assertReachesBatchOptimum(AR_START, data, KalmanFitSettings.defaults().withFixed("observationMatrix"), 1000);
    }

    /**
     * Batch EM run to convergence gives the optimum; online EM from the same start, chunks of {@code chunk}
     * steps, one chunk per update, default step sizes, three passes, must come within 1e-3 nats per step of it
     * (the start is further than 0.02 nats per step away, so the check can fail). Measured when written: the
     * HMM within 3e-5 nats per step (1e-4 after one pass), the linear-Gaussian model within 3e-4 (1.0e-3 after one
     * pass: EM for its noise variances is slow, batch EM needs 72 iterations); batch EM stopped at tolerance 1e-8 is
     * within 1e-7 nats per step of where it ends at 1e-10.
     */
    private static void assertReachesBatchOptimum(StateSpaceModel<?, ?> start, Dataset data, FitSettings settings,
            int chunk) {
        long steps = data.sequences().stream().mapToLong(Sequence::length).sum();
        FitResult batch = Trainer.fit(start, data, null, TrainOptions.defaults().withMethod(TrainOptions.Method.EM)
                .withMaxIterations(2000).withTolerance(1e-8).withThreads(2), settings, null);
        assertThat(batch.converged()).isTrue();
        FitResult online = Trainer.fit(start, data, null, TrainOptions.defaults()
                .withMethod(TrainOptions.Method.ONLINE_EM).withChunkLength(chunk).withBatchSize(1).withMaxIterations(3)
                .withTolerance(0).withThreads(2), settings, null);
        double batchPerStep = batch.logLikelihood() / steps;
        double onlinePerStep = online.logLikelihood() / steps;
        double startPerStep = online.logLikelihoodTrace()[0] / steps;
        assertThat(batchPerStep - startPerStep).isGreaterThan(0.02);
        assertThat(Math.abs(onlinePerStep - batchPerStep)).as("online %.6f vs batch %.6f per step", onlinePerStep,
                batchPerStep).isLessThan(1e-3);
    }

    // ----------------------------------------------------------------------------------------------
    // resuming

    /** Stops the fit (as a kill would) after update {@code update} of pass {@code pass}. */
    private static TrainingListener killAt(int pass, int update) {
        int[] passesDone = {0};
        return new TrainingListener() {
            @Override
            public void onIteration(int iteration, int maxIterations, LearningCurve.Point point) {
                passesDone[0] = iteration;
            }

            @Override
            public void onUpdate(int u, int updatesPerPass) {
                if (passesDone[0] + 1 == pass && u == update) {
                    throw new Killed();
                }
            }
        };
    }

    private static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void aKilledAndResumedFitEndsBitForBitWhereAnUninterruptedOneDoes() {
        Dataset data = longSeries(GAUSSIAN_TRUTH, 5000, 8);
        // 20 chunks of 250 steps, 2 per update: 10 updates per pass
        TrainOptions options = TrainOptions.defaults().withMethod(TrainOptions.Method.ONLINE_EM).withChunkLength(250)
                .withBatchSize(2).withMaxIterations(3).withTolerance(0).withThreads(2);
        HmmFitSettings settings = HmmFitSettings.defaults();
        FitResult whole = Trainer.fit(GAUSSIAN_START, data, null, options, settings, null);
        assertThat(whole.iterations()).isEqualTo(3);
        // {checkpoint every, kill in pass, at update}: the last checkpoint mid pass 2 (update 12), or at the end
        // of pass 1 before its evaluation (update 10)
        int[][] cases = {{3, 2, 5}, {5, 2, 3}, {4, 1, 7}};
        for (int[] c : cases) {
            Path ck = dir.resolve("online-" + c[0] + ".json");
            assertThatThrownBy(() -> Trainer.fit(GAUSSIAN_START, data, null, options.withCheckpoint(ck, c[0]), settings,
                    killAt(c[1], c[2]))).isInstanceOf(Killed.class);
            FitResult resumed = Trainer.resume(ck, GAUSSIAN_START, data, null, options.withCheckpoint(ck, c[0]), settings,
                    null);
            assertThat(resumed.model()).as("case %s", java.util.Arrays.toString(c)).isEqualTo(whole.model());
            assertThat(resumed.logLikelihoodTrace()).containsExactly(whole.logLikelihoodTrace());
            assertThat(resumed.iterations()).isEqualTo(whole.iterations());
        }
        // without the running statistics the fit would not be the same: resuming from the model alone differs
        Path ck = dir.resolve("online-damaged.json");
        assertThatThrownBy(() -> Trainer.fit(GAUSSIAN_START, data, null, options.withCheckpoint(ck, 3), settings,
                killAt(2, 5))).isInstanceOf(Killed.class);
        assertThat(Json.read(ck).path("online").path("statistics").size()).isGreaterThan(10);
    }

    @Test
    void aDamagedOnlineCheckpointIsRefusedWithTheFieldNamed() throws Exception {
        Dataset data = longSeries(GAUSSIAN_TRUTH, 2000, 9);
        TrainOptions options = TrainOptions.defaults().withMethod(TrainOptions.Method.ONLINE_EM).withChunkLength(200)
                .withMaxIterations(1).withThreads(1);
        Path ck = dir.resolve("online.json");
        Trainer.fit(GAUSSIAN_START, data, null, options.withCheckpoint(ck, 4), HmmFitSettings.defaults(), null);
        ObjectNode good = (ObjectNode) Json.read(ck);
        ObjectNode shortened = good.deepCopy();
        ((ArrayNode) shortened.get("online").get("statistics")).remove(0);
        Files.writeString(ck, Json.write(shortened));
        assertThatThrownBy(() -> Trainer.resume(ck, GAUSSIAN_START, data, null, options.withMaxIterations(2),
                HmmFitSettings.defaults(), null)).isInstanceOf(SpecException.class)
                .hasMessageStartingWith(ck + ": online.statistics: ");
        ObjectNode far = good.deepCopy();
        ((ObjectNode) far.get("online")).put("position", 11);
        Files.writeString(ck, Json.write(far));
        assertThatThrownBy(() -> Trainer.resume(ck, GAUSSIAN_START, data, null, options.withMaxIterations(2),
                HmmFitSettings.defaults(), null)).isInstanceOf(SpecException.class)
                .hasMessage(ck + ": online.position: 11 is beyond the 10 updates of a pass over this data");
    }

    // ----------------------------------------------------------------------------------------------
    // bad input

    @Test
    void aStepExponentOutsideTheRangeAndAFamilyWithoutStatisticsAreRefused() {
        for (double bad : new double[] {0.5, 0.3, 1.01, Double.NaN}) {
            assertThatThrownBy(() -> TrainOptions.OnlineEm.defaults().withStepExponent(bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("stepExponent must be in (0.5, 1], got " + bad);
        }
        ObjectNode o = Json.object();
        o.put("method", "online-em");
        o.put("stepExponent", 1.5);
        assertThatThrownBy(() -> FitConfiguration.read(SpecNode.root(o, "fit.json"), GAUSSIAN_START,
                TrainOptions.defaults())).isInstanceOf(SpecException.class)
                .hasMessageContaining("fit.json").hasMessageContaining("stepExponent")
                .hasMessageContaining("must be in (0.5, 1]").hasMessageContaining("1.5");
        RnnModel rnn = RnnModel.initialized(RnnArchitecture.stack(1, List.of(Layer.of(Cell.GRU, 2)),
                Head.of(Head.Type.GAUSSIAN, 1)), 1);
        Dataset data = longSeries(GAUSSIAN_TRUTH, 50, 1);
        assertThatThrownBy(() -> Trainer.fit(rnn, data, null, TrainOptions.defaults()
                .withMethod(TrainOptions.Method.ONLINE_EM), RnnFitSettings.defaults(), null))
                .isInstanceOf(SpecException.class).hasMessageContaining("cannot be fitted by online-em")
                .hasMessageContaining("sufficient statistics");
        assertThatThrownBy(() -> Trainer.fit(GAUSSIAN_START, data, null, TrainOptions.defaults()
                .withMethod(TrainOptions.Method.ONLINE_EM).withRestarts(2), HmmFitSettings.defaults(), null))
                .isInstanceOf(SpecException.class).hasMessageContaining("restarts 2");
        // statistics of a family that has not learnt to blend are not blendable, and say so when asked
        SufficientStatistics plain = new SufficientStatistics() {
            @Override
            public void merge(SufficientStatistics other) {
            }

            @Override
            public double logLikelihood() {
                return 0;
            }
        };
        assertThat(plain.blendable()).isFalse();
        assertThatThrownBy(() -> plain.blend(0.5, plain, 0.5)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("no online EM");
        assertThat(((ExpectationMaximization) GAUSSIAN_START).newStatistics().blendable()).isTrue();
    }
}
