package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.statespace.NumericalException;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.markov.MarkovChain;
import org.statespace.spec.Json;

/**
 * An observation of probability zero: -∞ in the library by default, an error naming the sequence, step
 * and observation with {@link FilterOptions#requireFinite()}; and the result codecs never write
 * {@code null} for a non-finite value.
 */
class NonFiniteResultsTest {
    // sunny never turns rainy the next day
    private static final MarkovChain WEATHER = MarkovChain.of(List.of("sunny", "cloudy", "rainy"), 1,
            new double[] {1, 0, 0},
            new double[][] {{0.8, 0.2, 0}, {0.2, 0.6, 0.2}, {0.25, 0.25, 0.5}});
    // sunny, sunny, rainy, cloudy: step 2 (sunny → rainy) has probability 0
    private static final Dataset DAYS = Dataset.ofSymbols(List.of(Sequence.ofSymbols("days", new int[] {0, 0, 2, 1})),
            List.of("sunny", "cloudy", "rainy"));

    @Test
    void byDefaultAnImpossibleObservationScoresMinusInfinity() {
        FilterResult r = FilterEngine.of(FilterOptions.defaults().withThreads(1)).run(WEATHER, DAYS);
        SequenceTrace t = r.sequence(0);
        assertThat(t.logDensity(0)).isZero();                                // initial (1, 0, 0): sunny for sure
        assertThat(t.logDensity(1)).isCloseTo(Math.log(0.8), within(1e-15)); // sunny → sunny
        assertThat(t.logDensity(2)).isEqualTo(Double.NEGATIVE_INFINITY);     // sunny → rainy
        assertThat(r.logLikelihood()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(FilterEngine.of(FilterOptions.defaults()).stream(WEATHER, DAYS, null).logLikelihood())
                .isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void withRequireFiniteItIsAnErrorNamingSequenceStepAndObservation() {
        FilterOptions strict = FilterOptions.defaults().withThreads(2).withRequireFinite(true);
        assertThat(strict.requireFinite()).isTrue();
        assertThat(FilterOptions.defaults().requireFinite()).isFalse();
        for (Runnable run : List.<Runnable>of(() -> FilterEngine.of(strict).run(WEATHER, DAYS),
                () -> FilterEngine.of(strict).stream(WEATHER, DAYS, null),
                () -> FilterEngine.of(strict.withSummaries(false)).run(WEATHER, DAYS))) {
            assertThatThrownBy(run::run).isInstanceOf(NumericalException.class)
                    .hasMessageStartingWith("sequence 'days', step 2: observation \"rainy\" has predictive log-density -Infinity");
        }
    }

    @Test
    void aLearningCurveWritesNoNullAndReadsBack() {
        LearningCurve c = new LearningCurve();
        c.add(new LearningCurve.Point(0, Double.POSITIVE_INFINITY, Double.NaN, 0.5));
        c.add(new LearningCurve.Point(1, 2.5, Double.NaN, 1));
        String text = Json.write(c.toJson());
        assertThat(text).doesNotContain("null").doesNotContain("validationLoss").contains("\"Infinity\"");
        LearningCurve back = LearningCurve.fromJson(Json.parse(text, "c.json"));
        assertThat(back.last().trainingLoss()).isEqualTo(2.5);
        assertThat(back.last().validationLoss()).isNaN();
        assertThat(LearningCurve.fromJson(Json.parse(text, "c.json")).size()).isEqualTo(2);
    }

    @Test
    void metricsThatDoNotApplyAreLeftOutNotNull() {
        Metrics m = new Metrics(10, -1.25, 0.5, 0.25, Double.NaN, Double.NaN, 0.5, 0.9, 2, 7, 8, 0.1, 0.01);
        String text = Json.write(m.toJson());
        assertThat(text).doesNotContain("null").doesNotContain("accuracy").doesNotContain("logLoss")
                .contains("\"meanLogLikelihood\" : -1.25");
    }
}
