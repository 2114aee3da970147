package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import org.statespace.DataException;
import org.statespace.Recurrence;
import org.statespace.Sampling;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.markov.MarkovChain;
import org.statespace.numeric.Randoms;

public class FilterEngineTest {
    public static final MarkovChain WEATHER = MarkovChain.of(List.of("sunny", "cloudy", "rainy"), 1,
            new double[] {1, 0, 0},
            new double[][] {{0.8, 0.15, 0.05}, {0.2, 0.6, 0.2}, {0.25, 0.25, 0.5}});

    /** Weather-chain sequences of about {@code length} steps, seeded. */
    public static Dataset sample(int sequences, int length) {
        List<Sequence> seqs = new ArrayList<>();
        for (int i = 0; i < sequences; i++) {
            seqs.add(Sampling.sample(WEATHER, "s" + i, length + i % 7, null, Randoms.stream(3, i)));
        }
        return Dataset.ofSymbols(seqs, WEATHER.symbolNames());
    }

    @Test
    void resultsAreIdenticalWhateverTheThreadCount() {
        Dataset data = sample(101, 200);
        FilterResult one = FilterEngine.of(FilterOptions.defaults().withThreads(1)).run(WEATHER, data);
        FilterResult two = FilterEngine.of(FilterOptions.defaults().withThreads(2)).run(WEATHER, data);
        FilterResult four = FilterEngine.of(FilterOptions.defaults().withThreads(4)).run(WEATHER, data);
        assertThat(two.logLikelihood()).isEqualTo(one.logLikelihood());
        assertThat(four.logLikelihood()).isEqualTo(one.logLikelihood());
        for (int i = 0; i < data.size(); i++) {
            assertThat(two.sequence(i).logDensities()).containsExactly(one.sequence(i).logDensities());
            assertThat(two.sequence(i).id()).isEqualTo(data.sequence(i).id());
        }
        StreamSummary s1 = FilterEngine.of(FilterOptions.defaults().withThreads(1)).stream(WEATHER, data, null);
        StreamSummary s2 = FilterEngine.of(FilterOptions.defaults().withThreads(2)).stream(WEATHER, data, null);
        assertThat(s2.sequenceLogLikelihoods()).containsExactly(s1.sequenceLogLikelihoods());
        assertThat(s2.logLikelihood()).isEqualTo(s1.logLikelihood());
    }

    @Test
    void streamingAndStoredModesAgree() {
        Dataset data = sample(20, 100);
        FilterResult stored = FilterEngine.of(FilterOptions.defaults().withThreads(2)).run(WEATHER, data);
        double[][] seen = new double[data.size()][];
        for (int i = 0; i < data.size(); i++) {
            seen[i] = new double[data.sequence(i).length()];
        }
        AtomicLong steps = new AtomicLong();
        StreamSummary streamed = FilterEngine.of(FilterOptions.defaults().withThreads(2)).stream(WEATHER, data,
                (index, sequence, t, predicted, logDensity) -> {
                    seen[index][t] = logDensity;
                    steps.incrementAndGet();
                });
        assertThat(streamed.logLikelihood()).isEqualTo(stored.logLikelihood());
        assertThat(steps.get()).isEqualTo(data.totalSteps());
        for (int i = 0; i < data.size(); i++) {
            assertThat(seen[i]).containsExactly(stored.sequence(i).logDensities());
            assertThat(stored.sequence(i).logLikelihood()).isEqualTo(Recurrence.logLikelihood(WEATHER, data.sequence(i)));
        }
        assertThat(streamed.meanLogLikelihood()).isCloseTo(stored.meanLogLikelihood(), within(1e-15));
    }

    @Test
    void summariesDescribeThePredictiveDistribution() {
        Dataset data = Dataset.ofSymbols(List.of(Sequence.ofSymbols("a", new int[] {0, 1, -1, 2})), WEATHER.symbolNames());
        SequenceTrace trace = FilterEngine.singleThreaded().run(WEATHER, data).sequence(0);
        // after "cloudy" the prediction is row 1 of the matrix: mode cloudy
        assertThat(trace.probabilities(2).orElseThrow()).containsExactly(0.2, 0.6, 0.2);
        assertThat(trace.point(2, 0)).isEqualTo(1);
        assertThat(trace.observed(2)).isFalse();
        assertThat(trace.logDensity(2)).isZero();
        assertThat(trace.symbolCount()).isEqualTo(3);
    }

    @Test
    void incompatibleDataIsRejectedUpFront() {
        Dataset reals = Dataset.of(List.of(Sequence.ofScalars("x", new double[] {0.5, 1})));
        assertThatThrownBy(() -> FilterEngine.singleThreaded().run(WEATHER, reals))
                .isInstanceOf(DataException.class).hasMessageContaining("step 0").hasMessageContaining("0.5 is not a symbol");
    }
}
