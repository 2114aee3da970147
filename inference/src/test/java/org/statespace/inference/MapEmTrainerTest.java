package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.data.Dataset;
import org.statespace.hmm.HiddenMarkovModel;
import org.statespace.hmm.HmmFitSettings;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * EM of a model whose spec has a prior: the trainer traces the log-posterior beside the log-likelihood, the
 * posterior never falls and ends the fit, the report carries both, and a killed fit resumes to the same
 * posterior trace.
 */
class MapEmTrainerTest {
    @TempDir
    Path dir;

    static HiddenMarkovModel withPrior() {
        ObjectNode spec = HmmTrainerTest.START.toSpec();
        spec.set("prior", Json.parse("""
                {"initial": {"concentration": 2}, "transition": {"concentration": 1.5, "sticky": 30},
                 "emission": {"meanPrior": [0, 0], "meanWeight": 0.05, "covarianceScale": 0.5,
                              "covarianceDegreesOfFreedom": 4}}
                """, "test"));
        return (HiddenMarkovModel) ModelSpecs.read(spec, "test");
    }

    @Test
    void theLogPosteriorIsTracedAndNeverFalls() {
        Dataset data = HmmTrainerTest.data();
        HiddenMarkovModel start = withPrior();
        TrainOptions options = TrainOptions.defaults().withMaxIterations(200).withTolerance(1e-10).withThreads(2);
        FitResult fit = Trainer.fit(start, data, null, options, HmmFitSettings.defaults(), null);
        assertThat(fit.hasPrior()).isTrue();
        double[] posterior = fit.logPosteriorTrace();
        double[] likelihood = fit.logLikelihoodTrace();
        assertThat(posterior).hasSameSizeAs(likelihood);
        for (int i = 1; i < posterior.length; i++) {
            assertThat(posterior[i]).as("iteration %d", i).isGreaterThanOrEqualTo(posterior[i - 1] - 1e-9);
        }
        // entry 0 is the start's: its log-likelihood from the filter plus its log-prior
        double startLl = FilterEngine.of(FilterOptions.defaults()).stream(start, data, null).logLikelihood();
        assertThat(posterior[0]).isCloseTo(startLl + start.logPrior(), within(1e-8 * Math.abs(startLl)));
        HiddenMarkovModel fitted = (HiddenMarkovModel) fit.model();
        assertThat(fit.logPrior()).isEqualTo(fitted.logPrior());
        assertThat(fit.logPosterior()).isEqualTo(fit.logLikelihood() + fitted.logPrior());
        assertThat(posterior[posterior.length - 1]).isCloseTo(fit.logPosterior(), within(1e-9 * Math.abs(fit.logPosterior())));
        assertThat(fit.converged()).isTrue();
        JsonNode json = fit.toJson();
        assertThat(json.get("logPosteriorTrace").size()).isEqualTo(posterior.length);
        assertThat(json.get("logPrior").asDouble()).isEqualTo(fit.logPrior());
        assertThat(json.get("logPosterior").asDouble()).isEqualTo(fit.logPosterior());
        // a model without a prior reports none
        FitResult ml = Trainer.fit(HmmTrainerTest.START, data, null, options.withMaxIterations(3), HmmFitSettings.defaults(),
                null);
        assertThat(ml.hasPrior()).isFalse();
        assertThat(ml.logPosteriorTrace()).isEmpty();
        assertThat(ml.toJson().has("logPosterior")).isFalse();
    }

    @Test
    void aKilledMapFitResumesToTheSamePosteriorTrace() {
        Dataset data = HmmTrainerTest.data();
        HiddenMarkovModel start = withPrior();
        TrainOptions options = TrainOptions.defaults().withRestarts(1).withSeed(3).withMaxIterations(25).withTolerance(0)
                .withThreads(2);
        FitResult whole = Trainer.fit(start, data, null, options, HmmFitSettings.defaults(), null);
        Path ck = dir.resolve("map.json");
        int[] calls = {0};
        TrainingListener killer = (i, n, p) -> {
            if (++calls[0] == 33) {
                throw new IllegalStateException("killed");
            }
        };
        assertThatThrownBy(() -> Trainer.fit(start, data, null, options.withCheckpoint(ck, 1), HmmFitSettings.defaults(),
                killer)).hasMessage("killed");
        FitResult resumed = Trainer.resume(ck, start, data, null, options.withCheckpoint(ck, 1), HmmFitSettings.defaults(),
                null);
        assertThat(resumed.model()).isEqualTo(whole.model());
        assertThat(resumed.logPosteriorTrace()).containsExactly(whole.logPosteriorTrace());
        assertThat(resumed.logPrior()).isEqualTo(whole.logPrior());
    }
}
