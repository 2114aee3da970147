package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.statespace.Sampling;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * Streaming filtering keeps constant memory: the engine allocates the same few bytes for 10^5 and for
 * 10^7 steps (measured as bytes allocated by the filtering thread, which is what would make the heap
 * grow with T).
 */
class StreamingMemoryTest {

    @Test
    void streamingTenMillionStepsAllocatesNothingPerStep() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Sequence shortOne = Sampling.sample(FilterEngineTest.WEATHER, "short", 100_000, null, Randoms.seeded(1));
        Sequence longOne = Sampling.sample(FilterEngineTest.WEATHER, "long", 10_000_000, null, Randoms.seeded(2));
        Dataset small = Dataset.ofSymbols(List.of(shortOne), FilterEngineTest.WEATHER.symbolNames());
        Dataset big = Dataset.ofSymbols(List.of(longOne), FilterEngineTest.WEATHER.symbolNames());
        FilterEngine engine = FilterEngine.of(FilterOptions.defaults().withThreads(1));
        long[] steps = new long[1];
        StepListener counter = (i, s, t, p, ld) -> steps[0]++;
        for (int i = 0; i < 5; i++) {
            engine.stream(FilterEngineTest.WEATHER, small, counter);
        }
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        engine.stream(FilterEngineTest.WEATHER, small, counter);
        long smallBytes = threads.getThreadAllocatedBytes(id) - before;
        before = threads.getThreadAllocatedBytes(id);
        StreamSummary summary = engine.stream(FilterEngineTest.WEATHER, big, counter);
        long bigBytes = threads.getThreadAllocatedBytes(id) - before;
        assertThat(summary.observedSteps()).isEqualTo(10_000_000);
        assertThat(Double.isFinite(summary.logLikelihood())).isTrue();
        // a hundred times the steps, not a byte more per step: the difference is a few hundred bytes
        assertThat(bigBytes).isLessThan(smallBytes + 4_096);
        assertThat(bigBytes).isLessThan(64 * 1024);
    }
}
