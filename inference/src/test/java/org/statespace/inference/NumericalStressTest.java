package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.statespace.NumericalException;
import org.statespace.Recurrence;
import org.statespace.Sampling;
import org.statespace.StateSpaceModel;
import org.statespace.StatespaceException;
import org.statespace.capability.Differentiable;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * Numerical stress through the engine and the trainer, where the anchors' issue trackers report NaN,
 * lost positive definiteness and underflow: a million steps through the engine; Kalman filtering with
 * nearly singular noise and with observations and offsets of size 1e8; EM on a constant series and with
 * a state that gets no data; an RNN whose gradients explode, where clipping by global norm engages and
 * nothing becomes NaN or infinite; and a clear error when a model truly diverges. (The families' own
 * tests hold more: HmmLongSequenceTest, KalmanFilterTest's million steps and nearly singular noise,
 * HmmBaumWelchTest's constant series and unused states.)
 */
class NumericalStressTest {
    private static StateSpaceModel<?, ?> model(String json) {
        return ModelSpecs.parse(json, "model");
    }

    private static Dataset data(Sequence... sequences) {
        return Dataset.of(List.of(sequences));
    }

    private static TrainOptions em(int iterations) {
        return TrainOptions.defaults().withMethod(TrainOptions.Method.EM).withMaxIterations(iterations).withTolerance(0)
                .withThreads(1);
    }

    /**
     * Fits with EM; the trace must rise at every iteration, or (when {@code mayStop}) the fit may end with
     * the NumericalException that says a noise variance fell below the rounding error of its statistics.
     * Returns the fit, or null when it stopped so.
     */
    private static FitResult emRisesOrStopsClearly(StateSpaceModel<?, ?> start, Dataset data, int iterations,
            FitSettings settings, boolean mayStop) {
        try {
            FitResult fit = Trainer.fit(start, data, null, em(iterations), settings, null);
            assertNonDecreasing(fit.logLikelihoodTrace());
            assertAllFinite(fit.model().toSpec(), start.type() + " fitted");
            return fit;
        } catch (NumericalException e) {
            assertThat(mayStop).as(e.getMessage()).isTrue();
            assertThat(e.getMessage()).startsWith("EM: the new ").contains("Noise[").contains("rounding error")
                    .contains("hold ");
            return null;
        }
    }

    private static void assertNonDecreasing(double[] trace) {
        for (int i = 1; i < trace.length; i++) {
            assertThat(trace[i]).as("iteration %d of %s", i, Arrays.toString(trace)).isFinite()
                    .isGreaterThanOrEqualTo(trace[i - 1] - 1e-9 * Math.abs(trace[i - 1]));
        }
    }

    /** Every number in a spec is finite (JSON has no NaN: the writer would put null). */
    private static void assertAllFinite(JsonNode node, String path) {
        if (node.isNumber()) {
            assertThat(node.doubleValue()).as(path).isFinite();
        } else if (node.isNull()) {
            throw new AssertionError(path + " is null (a NaN or infinity was written)");
        } else if (node.isContainerNode()) {
            var names = node.fieldNames();
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    assertAllFinite(node.get(i), path + "[" + i + "]");
                }
            }
            while (names.hasNext()) {
                String n = names.next();
                assertAllFinite(node.get(n), path + "." + n);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // long sequences

    @Test
    void aMillionStepsThroughTheEngineStayFiniteForAnHmmAndAKalmanFilter() {
        for (String spec : new String[] {
            "{\"type\": \"hmm\", \"initial\": [0.5, 0.3, 0.2], \"transition\": [[0.98, 0.01, 0.01], [0.02, 0.96, 0.02],"
                + " [0.01, 0.01, 0.98]], \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"spherical\","
                + " \"means\": [[-2], [0], [3]], \"covariances\": [1, 0.25, 2]}}",
            "{\"type\": \"local-linear-trend\", \"observationVariance\": 2, \"levelVariance\": 0.5, \"slopeVariance\": 1e-4}"}) {
            StateSpaceModel<?, ?> m = model(spec);
            Sequence s = Sampling.sample(m, "long", 1_000_000, null, Randoms.seeded(4));
            StreamSummary summary = FilterEngine.of(new FilterOptions(1, false)).stream(m, data(s), null);
            assertThat(summary.logLikelihood()).as(m.type()).isFinite().isLessThan(-1e5);
            assertThat(summary.logLikelihood()).isEqualTo(Recurrence.logLikelihood(m, s));
            assertThat(summary.meanLogLikelihood()).isBetween(-5.0, 0.0);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Kalman: near-singular noise, huge offsets

    @Test
    void nearlySingularNoiseGivesFiniteLikelihoodsAndAFiniteFit() {
        StateSpaceModel<?, ?> m = model("{\"type\": \"lgssm\", \"transitionMatrix\": [[1, 1], [0, 1]],"
                + " \"processNoise\": [[1e-12, 0], [0, 1e-14]], \"observationMatrix\": [[1, 0]],"
                + " \"observationNoise\": [[1e-10]], \"initialMean\": [0, 0.1], \"initialCovariance\": [[1, 0], [0, 1]]}");
        Sequence s = Sampling.sample(m, "s", 5000, null, Randoms.seeded(5));
        FilterResult run = FilterEngine.of(new FilterOptions(1, true)).run(m, data(s));
        assertThat(run.logLikelihood()).isFinite();
        for (int t = 0; t < s.length(); t++) {
            assertThat(run.sequence(0).variance(t, 0)).as("predictive variance at %d", t).isPositive().isFinite();
        }
        // Q of 1e-12 next to states of size 500: EM cannot see it in double precision, and says so
        emRisesOrStopsClearly(m, data(s), 10, FitConfiguration.defaults(m).settings(), true);
        // with the noise held fixed, EM fits the dynamics; it rises up to rounding: F solves normal equations
        // whose condition number is ~1e7 (positions of 500 next to a slope of 0.1), on a likelihood of 5e4
        // nats whose predictive sd is 1e-5, so each iteration may move it by ~1e-4 relative either way
        FitSettings fixedNoise = ModelSpecs.type("lgssm").readFitSettings(org.statespace.spec.SpecNode.root(
                Json.parse("{\"fixed\": [\"processNoise\", \"observationNoise\", \"initialCovariance\"]}", "fit"), "fit"));
        FitResult fit = Trainer.fit(m, data(s), null, em(10), fixedNoise, null);
        double[] trace = fit.logLikelihoodTrace();
        for (int i = 1; i < trace.length; i++) {
            assertThat(trace[i]).as(Arrays.toString(trace)).isFinite().isGreaterThanOrEqualTo(trace[i - 1] - 1e-4 * Math.abs(trace[i - 1]));
        }
        assertAllFinite(fit.model().toSpec(), "fitted");
    }

    @Test
    void observationsAndOffsetsOfSize1e8GiveTheLikelihoodOfTheCentredProblem() {
        String centred = "{\"type\": \"lgssm\", \"transitionMatrix\": [[0.9]], \"processNoise\": [[0.5]],"
                + " \"observationMatrix\": [[1]], \"observationNoise\": [[0.3]], \"initialMean\": [0],"
                + " \"initialCovariance\": [[1]]%s}";
        StateSpaceModel<?, ?> small = model(String.format(centred, ""));
        StateSpaceModel<?, ?> huge = model(String.format(centred, ", \"observationOffset\": [1e8]"));
        Sequence s = Sampling.sample(small, "s", 2000, null, Randoms.seeded(6));
        double[] shifted = s.observations().clone();
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] += 1e8;
        }
        Sequence big = Sequence.of("big", 1, shifted);
        double expected = Recurrence.logLikelihood(small, s);
        // 1e8 carries ~8 digits after the point: the per-step error is ~1e-8 relative to an O(1) residual
        assertThat(Recurrence.logLikelihood(huge, big)).isCloseTo(expected, within(1e-5 * s.length()));
        // a diffuse local level needs no offset: the level absorbs 1e8
        StateSpaceModel<?, ?> level = model("{\"type\": \"local-level\", \"observationVariance\": 0.3, \"levelVariance\": 0.5}");
        double centredLevel = Recurrence.logLikelihood(level, s);
        assertThat(Recurrence.logLikelihood(level, big)).isCloseTo(centredLevel, within(1e-5 * s.length()));
        // EM from a start near the data's level (as the lgssm template makes it) climbs, and gives the fit of
        // the centred problem shifted by 1e8
        String startSpec = centred.replace("0.3", "2").replace("0.5", "1");
        StateSpaceModel<?, ?> start = model(String.format(startSpec, ", \"observationOffset\": [100000003]"));
        StateSpaceModel<?, ?> startCentred = model(String.format(startSpec, ", \"observationOffset\": [3]"));
        FitResult fit = emRisesOrStopsClearly(start, data(big), 30, FitConfiguration.defaults(start).settings(), false);
        FitResult fitCentred = emRisesOrStopsClearly(startCentred, data(s), 30,
                FitConfiguration.defaults(startCentred).settings(), false);
        JsonNode a = fit.model().toSpec();
        JsonNode b = fitCentred.model().toSpec();
        assertThat(a.get("observationOffset").get(0).asDouble() - 1e8)
                .isCloseTo(b.get("observationOffset").get(0).asDouble(), within(1e-4));
        for (String field : new String[] {"observationNoise", "processNoise", "transitionMatrix"}) {
            double x = a.get(field).get(0).get(0).asDouble();
            assertThat(x).as(field).isCloseTo(b.get(field).get(0).get(0).asDouble(), within(1e-5 * Math.abs(x)));
        }
        // from an offset of 0 the first statistics hold 1e16-sized squares: it rises or says why it cannot
        StateSpaceModel<?, ?> far = model(String.format(centred, ", \"observationOffset\": [0]"));
        emRisesOrStopsClearly(far, data(big), 10, FitConfiguration.defaults(far).settings(), true);
        // and the optimiser on the structural model too
        FitResult mle = Trainer.fit(level, data(big), null, TrainOptions.defaults().withThreads(1),
                FitSettings.NONE, null);
        assertThat(mle.logLikelihood()).isFinite().isGreaterThanOrEqualTo(centredLevel - 1e-3);
    }

    // ---------------------------------------------------------------------------------------------
    // EM on degenerate data

    @Test
    void emOnAConstantSeriesStaysFiniteForHmmAndLinearGaussianModels() {
        double[] constant = new double[200];
        Arrays.fill(constant, 5.0);
        Dataset flat = data(Sequence.ofScalars("flat", constant));
        for (String spec : new String[] {
            "{\"type\": \"hmm\", \"initial\": [0.5, 0.5], \"transition\": [[0.9, 0.1], [0.1, 0.9]],"
                + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[4], [6]],"
                + " \"covariances\": [[[1]], [[1]]]}}",
            "{\"type\": \"hmm\", \"initial\": [0.5, 0.5], \"transition\": [[0.9, 0.1], [0.1, 0.9]],"
                + " \"emission\": {\"type\": \"poisson\", \"rates\": [[2], [8]]}}",
            "{\"type\": \"lgssm\", \"transitionMatrix\": [[0.8]], \"processNoise\": [[1]], \"observationMatrix\": [[1]],"
                + " \"observationOffset\": [0], \"observationNoise\": [[1]], \"initialMean\": [0], \"initialCovariance\": [[1]]}"}) {
            StateSpaceModel<?, ?> start = model(spec);
            // an HMM floors its variances; a linear-Gaussian model's noise goes to zero, where its likelihood
            // is unbounded, and EM stops with a clear error when the variance reaches the rounding error
            FitResult fit = emRisesOrStopsClearly(start, flat, 30, FitConfiguration.defaults(start).settings(),
                    start.type().equals("lgssm"));
            if (fit != null) {
                assertThat(Recurrence.logLikelihood(fit.model(), flat.sequence(0))).isFinite();
            } else {
                assertThat(start.type()).isEqualTo("lgssm");
            }
        }
    }

    @Test
    void emWithAStateThatGetsNoDataKeepsItFiniteForHmmAndLinearGaussianModels() {
        // HMM: the third state sits at 1000, far from every observation, so it gets no responsibility
        StateSpaceModel<?, ?> hmm = model("{\"type\": \"hmm\", \"initial\": [0.5, 0.5, 0], \"transition\":"
                + " [[0.8, 0.2, 0], [0.2, 0.8, 0], [0.3, 0.3, 0.4]], \"emission\": {\"type\": \"gaussian\","
                + " \"covarianceType\": \"full\", \"means\": [[-1], [1], [1000]], \"covariances\": [[[1]], [[1]], [[1]]]}}");
        StateSpaceModel<?, ?> truth = model("{\"type\": \"hmm\", \"initial\": [0.5, 0.5], \"transition\":"
                + " [[0.9, 0.1], [0.1, 0.9]], \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\","
                + " \"means\": [[-2], [2]], \"covariances\": [[[1]], [[1]]]}}");
        List<Sequence> seqs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            seqs.add(Sampling.sample(truth, "s" + i, 150, null, Randoms.stream(7, i)));
        }
        Dataset d = Dataset.of(seqs);
        FitResult fit = emRisesOrStopsClearly(hmm, d, 25, FitConfiguration.defaults(hmm).settings(), false);
        assertThat(fit.model().toSpec().get("emission").get("means").get(2).get(0).asDouble()).isEqualTo(1000.0);
        // linear-Gaussian: the second state never reaches the observation (H = [1 0], F diagonal)
        StateSpaceModel<?, ?> lg = model("{\"type\": \"lgssm\", \"transitionMatrix\": [[0.7, 0], [0, 0.5]],"
                + " \"processNoise\": [[1, 0], [0, 1]], \"observationMatrix\": [[1, 0]], \"observationNoise\": [[0.5]],"
                + " \"initialMean\": [0, 0], \"initialCovariance\": [[1, 0], [0, 1]]}");
        Dataset lgData = data(Sampling.sample(lg, "a", 300, null, Randoms.seeded(8)),
                Sampling.sample(lg, "b", 100, null, Randoms.seeded(9)));
        FitResult lgFit = emRisesOrStopsClearly(lg, lgData, 25,
                ModelSpecs.type("lgssm").readFitSettings(org.statespace.spec.SpecNode.root(
                        Json.parse("{\"fixed\": [\"observationMatrix\"]}", "fit"), "fit")), false);
        JsonNode q = lgFit.model().toSpec().get("processNoise");
        assertThat(q.get(1).get(1).asDouble()).as("the unobserved state's variance").isPositive();
    }

    // ---------------------------------------------------------------------------------------------
    // RNN: exploding gradients, clipping, divergence

    private static Sequence randomWalk(int length) {
        return Sampling.sample(model("{\"type\": \"local-level\", \"observationVariance\": 1, \"levelVariance\": 0.1}"),
                "walk", length, null, Randoms.seeded(1));
    }

    private static Differentiable scaledRnn(String cell, double factor) {
        Differentiable m = (Differentiable) model("{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \""
                + cell + "\", \"hiddenSize\": 8}], \"head\": {\"type\": \"gaussian\", \"outputSize\": 1}, \"seed\": 3}");
        double[] theta = m.parameters();
        for (int i = 0; i < theta.length; i++) {
            theta[i] *= factor;
        }
        return (Differentiable) m.withParameters(theta);
    }

    @Test
    void explodingGradientsAreClippedToTheirNormAndNothingBecomesNaN() {
        Dataset walk = data(randomWalk(400));
        for (String cell : new String[] {"tanh", "gru"}) {
            Differentiable rnn = scaledRnn(cell, cell.equals("tanh") ? 8 : 5);
            StateSpaceModel<?, ?> start = (StateSpaceModel<?, ?>) rnn;
            FitSettings settings = FitConfiguration.defaults(start).settings();
            double[] theta0 = rnn.parameters();
            double[] g = new double[theta0.length];
            double loss = rnn.gradientEvaluator(settings).evaluate(theta0.clone(), walk.sequences(), g);
            double norm = Math.sqrt(Arrays.stream(g).map(v -> v * v).sum());
            assertThat(loss).isFinite();
            assertThat(norm).as("%s gradient norm", cell).isGreaterThan(1000).isFinite();
            // one plain SGD step on the whole batch moves the parameters by exactly rate × clipNorm
            double rate = 0.01;
            double clipNorm = 1;
            TrainOptions sgd = TrainOptions.defaults().withMethod(TrainOptions.Method.GRADIENT).withOptimizer("sgd")
                    .withMomentum(0).withLearningRate(rate).withClipNorm(clipNorm).withMaxIterations(1).withThreads(1);
            FitResult one = Trainer.fit(start, walk, null, sgd, settings, null);
            double[] theta1 = ((Differentiable) one.model()).parameters();
            double moved = 0;
            for (int i = 0; i < theta0.length; i++) {
                moved += (theta1[i] - theta0[i]) * (theta1[i] - theta0[i]);
            }
            assertThat(Math.sqrt(moved)).as("%s: the step was clipped", cell).isCloseTo(rate * clipNorm, within(1e-9));
            // without clipping the same step moves them by rate × the full norm
            FitResult unclipped = Trainer.fit(start, walk, null, sgd.withClipNorm(0), settings, null);
            double[] theta2 = ((Differentiable) unclipped.model()).parameters();
            double moved2 = 0;
            for (int i = 0; i < theta0.length; i++) {
                moved2 += (theta2[i] - theta0[i]) * (theta2[i] - theta0[i]);
            }
            assertThat(Math.sqrt(moved2)).isCloseTo(rate * norm, within(1e-6 * rate * norm));
            // training on with Adam and clipping: every parameter, loss and log-likelihood stays finite
            TrainOptions adam = TrainOptions.defaults().withMethod(TrainOptions.Method.GRADIENT).withClipNorm(clipNorm)
                    .withMaxIterations(8).withThreads(1);
            FitResult fit = Trainer.fit(start, walk, null, adam, settings, null);
            for (double v : ((Differentiable) fit.model()).parameters()) {
                assertThat(v).isFinite();
            }
            for (double ll : fit.logLikelihoodTrace()) {
                assertThat(ll).isFinite();
            }
            for (LearningCurve.Point p : fit.curve().points()) {
                assertThat(p.trainingLoss()).isFinite();
            }
            assertThat(fit.logLikelihood()).isGreaterThan(fit.logLikelihoodTrace()[0]);
        }
    }

    @Test
    void aGradientThatIsNotFiniteIsAnErrorNotAStepToNaN() {
        double[] g = {1, Double.POSITIVE_INFINITY, 2};
        assertThatThrownBy(() -> GradientStep.clip(g, 1)).isInstanceOf(NumericalException.class)
                .hasMessageContaining("parameter 1");
        assertThatThrownBy(() -> GradientStep.clip(new double[] {Double.NaN}, 0)).isInstanceOf(NumericalException.class);
        double[] big = {3e200, 4e200};
        assertThat(GradientStep.clip(big, 1)).isFinite();
        assertThat(Math.hypot(big[0], big[1])).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void aNetworkWhoseActivationsOverflowIsAClearError() {
        Differentiable relu = scaledRnn("relu", 3);
        StateSpaceModel<?, ?> start = (StateSpaceModel<?, ?>) relu;
        Dataset walk = data(randomWalk(400));
        TrainOptions options = TrainOptions.defaults().withMethod(TrainOptions.Method.GRADIENT).withMaxIterations(2)
                .withThreads(1);
        assertThatThrownBy(() -> Trainer.fit(start, walk, null, options, FitConfiguration.defaults(start).settings(), null))
                .isInstanceOf(NumericalException.class).hasMessageContaining("walk");
        assertThatThrownBy(() -> FilterEngine.of(new FilterOptions(1, false)).run(start, walk))
                .isInstanceOf(StatespaceException.class).hasMessageContaining("walk").hasMessageContaining("step");
    }
}
