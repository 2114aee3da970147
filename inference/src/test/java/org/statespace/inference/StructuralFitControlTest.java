package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.Test;

import org.statespace.SpecException;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.kalman.StructuralModel;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;

/**
 * The {@code "fit"} block of structural models (fixed variances, bounds) as the trainer's optimiser honours it, on the
 * Nile local level: the unconstrained maximum is σ²_ε = 15099, σ²_η = 1469.1 (Durbin &amp; Koopman 2012, sec. 2.10;
 * statsmodels' sigma2.irregular and sigma2.level). The constrained maxima are checked against a golden-section search
 * over the one remaining variance, run here on the filter's likelihood.
 */
class StructuralFitControlTest {

    private static StructuralModel read(String json) {
        return (StructuralModel) ModelSpecs.read(SpecNode.root(Json.parse(json, "spec.json"), "spec.json"));
    }

    private static FitResult fit(StructuralModel start, Dataset data) {
        return Trainer.fit(start, data, null, TrainOptions.defaults().withThreads(1), FitSettings.NONE,
                TrainingListener.NONE);
    }

    private static double logLikelihood(double observationVariance, double levelVariance, Sequence y) {
        return StructuralModel.localLevel(observationVariance, levelVariance).filterStates(y).logLikelihood();
    }

    /** The maximiser of a unimodal f on [a, b] by golden-section search, to a relative width of 1e-10. */
    private static double goldenMaximum(DoubleUnaryOperator f, double a, double b) {
        double g = (Math.sqrt(5) - 1) / 2;
        double c = b - g * (b - a);
        double d = a + g * (b - a);
        double fc = f.applyAsDouble(c);
        double fd = f.applyAsDouble(d);
        while (b - a > 1e-10 * (a + b)) {
            if (fc > fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - g * (b - a);
                fc = f.applyAsDouble(c);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + g * (b - a);
                fd = f.applyAsDouble(d);
            }
        }
        return (a + b) / 2;
    }

    @Test
    void withTheObservationVarianceFixedAtItsMaximumTheLevelVarianceIsTheUnconstrainedOne() throws IOException {
        Dataset nile = NileMaximumLikelihoodTest.nile();
        StructuralModel start = read("{\"type\": \"local-level\", \"observationVariance\": 15099, \"levelVariance\": 100,"
                + " \"fit\": {\"fixed\": [\"observationVariance\"]}}");
        assertThat(start.freeParameterNames()).containsExactly("log levelVariance");
        StructuralModel fitted = (StructuralModel) fit(start, nile).model();
        assertThat(fitted.observationVariance()).isEqualTo(15099.0);
        // the published unconstrained estimate, and the exact conditional maximum by golden section
        assertThat(fitted.levelVariance()).isCloseTo(1469.1, within(0.5));
        double conditional = goldenMaximum(q -> logLikelihood(15099, q, nile.sequence(0)), 100, 10000);
        assertThat(fitted.levelVariance()).isCloseTo(conditional, within(1e-3 * conditional));
    }

    @Test
    void aFixedVarianceKeepsItsValueBitForBitAndTravelsWithTheFittedSpec() throws IOException {
        Dataset nile = NileMaximumLikelihoodTest.nile();
        double value = 20000.123456789;
        StructuralModel start = read("{\"type\": \"local-level\", \"observationVariance\": " + value
                + ", \"levelVariance\": 500, \"fit\": {\"fixed\": [\"observationVariance\"]}}");
        StructuralModel fitted = (StructuralModel) fit(start, nile).model();
        assertThat(Double.doubleToRawLongBits(fitted.observationVariance())).isEqualTo(Double.doubleToRawLongBits(value));
        assertThat(fitted.levelVariance()).isNotEqualTo(500.0);
        assertThat(fitted.toSpec().get("fit").toString()).isEqualTo("{\"fixed\":[\"observationVariance\"]}");
        assertThat(read(fitted.toSpec().toString())).isEqualTo(fitted);
        assertThat(fitted.heldFixed()).contains("observationVariance");
    }

    @Test
    void anUpperBoundThatBindsHoldsAndIsTheConstrainedMaximum() throws IOException {
        Dataset nile = NileMaximumLikelihoodTest.nile();
        Sequence y = nile.sequence(0);
        StructuralModel start = read("{\"type\": \"local-level\", \"observationVariance\": 15099, \"levelVariance\": 500,"
                + " \"fit\": {\"fixed\": [\"observationVariance\"], \"bounds\": {\"levelVariance\": {\"lower\": 1, "
                + "\"upper\": 1000}}}}");
        StructuralModel fitted = (StructuralModel) fit(start, nile).model();
        assertThat(fitted.levelVariance()).isLessThanOrEqualTo(1000.0).isGreaterThan(1000 - 1e-3);
        double atFit = logLikelihood(15099, fitted.levelVariance(), y);
        for (double step : new double[] {1e-2, 1, 10, 100}) {
            assertThat(atFit).isGreaterThan(logLikelihood(15099, 1000 - step, y));
        }
        // the unconstrained maximum lies beyond the bound, so the bound does bind
        assertThat(logLikelihood(15099, 1469.1, y)).isGreaterThan(atFit);
    }

    @Test
    void aLowerBoundThatBindsHoldsWithTheOtherVarianceAtItsConditionalMaximum() throws IOException {
        Dataset nile = NileMaximumLikelihoodTest.nile();
        Sequence y = nile.sequence(0);
        StructuralModel start = read("{\"type\": \"local-level\", \"observationVariance\": 10000, \"levelVariance\": 3000,"
                + " \"fit\": {\"bounds\": {\"levelVariance\": {\"lower\": 2500}}}}");
        assertThat(start.freeParameterNames()).containsExactly("log observationVariance", "log(levelVariance - 2500.0)");
        StructuralModel fitted = (StructuralModel) fit(start, nile).model();
        assertThat(fitted.levelVariance()).isGreaterThanOrEqualTo(2500.0).isLessThan(2500 + 0.5);
        double bestObservation = goldenMaximum(r -> logLikelihood(r, 2500, y), 1000, 40000);
        assertThat(fitted.observationVariance()).isCloseTo(bestObservation, within(1e-3 * bestObservation));
        double atFit = logLikelihood(fitted.observationVariance(), fitted.levelVariance(), y);
        for (double step : new double[] {1, 10, 100}) {
            double r = goldenMaximum(v -> logLikelihood(v, 2500 + step, y), 1000, 40000);
            assertThat(atFit).isGreaterThan(logLikelihood(r, 2500 + step, y));
        }
    }

    @Test
    void unknownPathsNameTheNearestVariance() {
        assertThatThrownBy(() -> read("{\"type\": \"local-level\", \"observationVariance\": 1, \"levelVariance\": 1,"
                + " \"fit\": {\"fixed\": [\"observationVarance\"]}}"))
                .isInstanceOf(SpecException.class).hasMessageContaining("fit.fixed[0]")
                .hasMessageContaining("\"observationVarance\"").hasMessageContaining("\"observationVariance\"");
        assertThatThrownBy(() -> read("{\"type\": \"local-linear-trend\", \"observationVariance\": 1, \"levelVariance\": 1,"
                + " \"slopeVariance\": 1, \"fit\": {\"bounds\": {\"slopeVarianc\": {\"upper\": 2}}}}"))
                .isInstanceOf(SpecException.class).hasMessageContaining("fit.bounds.slopeVarianc")
                .hasMessageContaining("\"slopeVariance\"");
        assertThatThrownBy(() -> read("{\"type\": \"local-level\", \"observationVariance\": 1, \"levelVariance\": 1,"
                + " \"fit\": {\"fixed\": [\"slopeVariance\"]}}"))
                .isInstanceOf(SpecException.class).hasMessageContaining("observationVariance, levelVariance");
        assertThatThrownBy(() -> read("{\"type\": \"local-level\", \"observationVariance\": 1, \"levelVariance\": 1,"
                + " \"fit\": {\"tied\": {}}}"))
                .isInstanceOf(SpecException.class).hasMessageContaining("fit.tied");
    }

    @Test
    void badBoundsAreErrorsNamingTheValue() {
        assertThatThrownBy(() -> read("{\"type\": \"local-level\", \"observationVariance\": 1, \"levelVariance\": 1,"
                + " \"fit\": {\"bounds\": {\"levelVariance\": {\"lower\": 5, \"upper\": 2}}}}"))
                .isInstanceOf(SpecException.class).hasMessageContaining("fit.bounds.levelVariance.upper")
                .hasMessageContaining("2.0");
        assertThatThrownBy(() -> read("{\"type\": \"local-level\", \"observationVariance\": 1, \"levelVariance\": 1,"
                + " \"fit\": {\"bounds\": {\"levelVariance\": {\"lower\": 5}}}}"))
                .isInstanceOf(SpecException.class).hasMessageContaining("levelVariance")
                .hasMessageContaining("starting value 1.0 lies outside its bounds [5.0, Infinity]");
        assertThatThrownBy(() -> read("{\"type\": \"local-level\", \"observationVariance\": 1, \"levelVariance\": 1,"
                + " \"fit\": {\"fixed\": [\"levelVariance\"], \"bounds\": {\"levelVariance\": {\"upper\": 5}}}}"))
                .isInstanceOf(SpecException.class).hasMessageContaining("also in \"fixed\"");
    }
}
