package org.statespace.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.statespace.Sampling;
import org.statespace.StateSpaceModel;
import org.statespace.capability.Differentiable;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.inference.FitResult;
import org.statespace.inference.TrainOptions;
import org.statespace.inference.Trainer;
import org.statespace.inference.TrainingListener;
import org.statespace.numeric.Randoms;
import org.statespace.rnn.RnnFitSettings;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;

/**
 * Data-parallel gradient training on Spark against the single-JVM trainer ({@link Trainer#fit} with method
 * gradient) on the same data, start and seed: the parameters after every epoch within 1e-10 relative (each epoch
 * compared with a single-JVM run of that many epochs), the same for 2 and 5 partitions, and the log-likelihood
 * trace. Spark runs in local[2].
 */
class SparkGradientTest extends LocalSpark {

    /** Sequences of the AR(1)-plus-noise model of varying lengths (5..34 steps), every 17th step missing. */
    static Dataset varyingLengths(int count, long seed) {
        StateSpaceModel<?, ?> truth = ModelSpecs.parse(SparkEmTest.LGSSM_TRUE, "truth");
        SplittableRandom r = new SplittableRandom(seed);
        List<Sequence> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(Sampling.sample(truth, "s" + i, 5 + r.nextInt(30), null, r.split()));
        }
        return Dataset.of(out);
    }

    /** An RNN start drawn from a template (a standardised GRU with a linear head unless the template says). */
    static StateSpaceModel<?, ?> rnnStart(String template, Dataset data) {
        StateSpaceModel<?, ?> drawn = ModelSpecs.template(SpecNode.root(Json.parse(template, "t"), "template"), data,
                Randoms.seeded(3));
        return ModelSpecs.parse(ModelSpecs.write(drawn), "start"); // as a spec file gives it
    }

    private static JavaRDD<IndexedSequence> rdd(Dataset d, String name, StateSpaceModel<?, ?> model, int partitions)
            throws IOException {
        Path file = dir.resolve(name);
        if (!java.nio.file.Files.exists(file)) {
            SparkEmTest.jsonLines(d, file);
        }
        return SparkSequences.read(spark, file.toString(), ModelSpecs.write(model), partitions,
                SparkSequences.ParquetColumns.defaults());
    }

    /** The single JVM's fit after {@code epochs} epochs. */
    private static FitResult singleJvm(StateSpaceModel<?, ?> start, Dataset d, TrainOptions options,
            FitSettings settings, int epochs) {
        return Trainer.fit(start, d, null, options.withMaxIterations(epochs), settings, TrainingListener.NONE);
    }

    private static void assertClose(double[] actual, double[] expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("%s[%d]", what, i).isCloseTo(expected[i], within(1e-10 * Math.abs(expected[i])));
        }
    }

    private static TrainOptions adam() {
        return TrainOptions.defaults().withMethod(TrainOptions.Method.GRADIENT).withSeed(5).withBatchSize(12)
                .withChunkLength(12).withLearningRate(0.02).withThreads(1);
    }

    @Test
    void adamOnAStandardisedGruFollowsTheSingleJvmTrajectoryOnTwoAndFivePartitions() throws IOException {
        Dataset d = varyingLengths(24, 7);
        StateSpaceModel<?, ?> start = rnnStart("{\"type\": \"rnn\", \"cell\": \"gru\", \"hiddenSize\": 4}", d);
        // shards of 3 rows: each batch of 12 pieces is dealt into 4 shards, spread over the partitions
        FitSettings settings = new RnnFitSettings(RnnFitSettings.Loss.DEFAULT, 0, 0, 3);
        int epochs = 3;
        List<double[]> expected = new ArrayList<>();
        FitResult last = null;
        for (int e = 1; e <= epochs; e++) {
            last = singleJvm(start, d, adam(), settings, e);
            expected.add(((Differentiable) last.model()).parameters());
        }
        List<double[]> firstRun = null;
        for (int partitions : new int[] {2, 5}) {
            JavaRDD<IndexedSequence> data = rdd(d, "gru.jsonl", start, partitions);
            List<double[]> seen = new ArrayList<>();
            SparkGradient.Result r = new SparkGradient(sc, adam().withMaxIterations(epochs), settings, null)
                    .fit(data, data.count(), start, (epoch, theta, ll) -> seen.add(theta));
            data.unpersist(true);
            assertThat(seen).hasSize(epochs);
            if (firstRun != null) {
                for (int e = 0; e < epochs; e++) {
                    assertThat(seen.get(e)).as("epoch %d bit for bit", e + 1).isEqualTo(firstRun.get(e));
                }
            }
            firstRun = seen;
            for (int e = 0; e < epochs; e++) {
                assertClose(seen.get(e), expected.get(e), partitions + " partitions, epoch " + (e + 1));
            }
            assertClose(r.trace(), last.logLikelihoodTrace(), "trace");
            assertThat(r.trace()[epochs]).isGreaterThan(r.trace()[0]); // it learned something
            // the re-estimated head variance travels in the spec
            assertClose(numbers(r.model()), numbers(last.model()), "fitted spec");
        }
    }

    @Test
    void sgdWithMomentumAndAGaussianHeadFollowsTheSingleJvmAndAResumedRunEndsWhereTheWholeOneEnds()
            throws IOException {
        Dataset d = varyingLengths(20, 9);
        StateSpaceModel<?, ?> start = rnnStart(
                "{\"type\": \"rnn\", \"cell\": \"tanh\", \"hiddenSize\": 3, \"head\": \"gaussian\", \"standardize\": false}",
                d);
        TrainOptions sgd = TrainOptions.defaults().withMethod(TrainOptions.Method.GRADIENT).withOptimizer("sgd")
                .withLearningRate(0.01).withMomentum(0.8).withBatchSize(7).withClipNorm(1.0).withSeed(2).withThreads(1);
        FitSettings settings = new RnnFitSettings(RnnFitSettings.Loss.DEFAULT, 0, 0, 2);
        FitResult single = singleJvm(start, d, sgd, settings, 3);
        JavaRDD<IndexedSequence> data = rdd(d, "tanh.jsonl", start, 3);
        long n = data.count();
        SparkGradient.Result whole = new SparkGradient(sc, sgd.withMaxIterations(3), settings, null)
                .fit(data, n, start, SparkGradient.EpochListener.NONE);
        assertClose(((Differentiable) whole.model()).parameters(), ((Differentiable) single.model()).parameters(),
                "parameters");
        assertClose(whole.trace(), single.logLikelihoodTrace(), "trace");

        Path checkpoint = dir.resolve("gradient-checkpoint.json");
        new SparkGradient(sc, sgd.withMaxIterations(1), settings, checkpoint)
                .fit(data, n, start, SparkGradient.EpochListener.NONE); // "killed" after one epoch
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SparkGradient(sc,
                sgd.withMaxIterations(3).withLearningRate(0.02), settings, checkpoint)
                .resume(data, n, start, checkpoint, SparkGradient.EpochListener.NONE))
                .isInstanceOf(org.statespace.SpecException.class).hasMessageContaining("another starting model, other options");
        SparkGradient.Result resumed = new SparkGradient(sc, sgd.withMaxIterations(3), settings, checkpoint)
                .resume(data, n, start, checkpoint, SparkGradient.EpochListener.NONE);
        assertThat(resumed.trace()).isEqualTo(whole.trace());
        assertThat(ModelSpecs.write(resumed.model())).isEqualTo(ModelSpecs.write(whole.model()));
        assertThat(resumed.epochs()).isEqualTo(3);
        data.unpersist(true);
    }

    @Test
    void aValidationSplitStopsEarlyAtTheSingleJvmEpochAndKeepsItsModel() throws IOException {
        Dataset d = varyingLengths(20, 13);
        StateSpaceModel<?, ?> start = rnnStart(
                "{\"type\": \"rnn\", \"cell\": \"gru\", \"hiddenSize\": 3, \"standardize\": false}", d);
        // a large step and patience 1: the held-out loss soon fails to improve
        TrainOptions o = TrainOptions.defaults().withMethod(TrainOptions.Method.GRADIENT).withSeed(4).withBatchSize(8)
                .withLearningRate(0.3).withThreads(1).withValidationFraction(0.25).withPatience(1);
        FitSettings settings = new RnnFitSettings(RnnFitSettings.Loss.DEFAULT, 0, 0, 4);
        FitResult single = singleJvm(start, d, o, settings, 8);
        JavaRDD<IndexedSequence> data = rdd(d, "early.jsonl", start, 3);
        SparkGradient.Result r = new SparkGradient(sc, o.withMaxIterations(8), settings, null)
                .fit(data, data.count(), start, SparkGradient.EpochListener.NONE);
        assertThat(single.converged()).as("the single JVM stopped early").isTrue();
        assertThat(r.stoppedEarly()).isTrue();
        assertThat(r.epochs()).isEqualTo(single.iterations()).isLessThan(8);
        double[] losses = single.curve().points().stream()
                .mapToDouble(org.statespace.inference.LearningCurve.Point::validationLoss).toArray();
        assertClose(r.validationLosses(), losses, "validation losses");
        assertClose(r.trace(), single.logLikelihoodTrace(), "trace");
        assertClose(((Differentiable) r.model()).parameters(), ((Differentiable) single.model()).parameters(),
                "kept parameters");
        assertThat(r.logLikelihood()).isCloseTo(single.logLikelihood(), within(1e-10 * Math.abs(single.logLikelihood())));
        data.unpersist(true);

        // four sequences: the end of each is held out, as the single JVM's time split does
        Dataset few = varyingLengths(4, 17);
        TrainOptions two = o.withMaxIterations(2).withPatience(0).withLearningRate(0.02);
        FitResult timeSplit = singleJvm(start, few, two, settings, 2);
        JavaRDD<IndexedSequence> fewData = rdd(few, "few.jsonl", start, 2);
        SparkGradient.Result t = new SparkGradient(sc, two, settings, null)
                .fit(fewData, fewData.count(), start, SparkGradient.EpochListener.NONE);
        assertClose(t.validationLosses(), timeSplit.curve().points().stream()
                .mapToDouble(org.statespace.inference.LearningCurve.Point::validationLoss).toArray(), "time split losses");
        assertClose(t.trace(), timeSplit.logLikelihoodTrace(), "time split trace");
        fewData.unpersist(true);
    }

    /** Every number of a model's spec, in document order. */
    static double[] numbers(StateSpaceModel<?, ?> model) {
        List<Double> out = new ArrayList<>();
        collect(model.toSpec(), out);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void collect(com.fasterxml.jackson.databind.JsonNode n, List<Double> out) {
        if (n.isNumber()) {
            out.add(n.asDouble());
        } else {
            n.forEach(c -> collect(c, out));
        }
    }
}
