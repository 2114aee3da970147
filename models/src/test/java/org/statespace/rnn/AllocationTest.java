package org.statespace.rnn;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.statespace.Recurrence;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * Nothing is allocated per step: running 20 000 steps allocates no more than running 200 (the engine's
 * workspace and the gradient evaluator's tapes are allocated once, then reused).
 */
class AllocationTest {

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static final RnnModel MODEL = RnnFixtures.model(3, Head.of(Head.Type.GAUSSIAN, 2), List.of(new Edge(2, 0, 2)), 1,
            new Layer(Cell.TANH, 4, VanillaForm.II), Layer.of(Cell.GRU, 4), Layer.of(Cell.LSTM, 4));

    @Test
    void theFilterAllocatesNothingPerStep() {
        Sequence shortOne = RnnFixtures.sequence(MODEL.architecture(), "short", 200, Randoms.seeded(1), 0.1);
        Sequence longOne = RnnFixtures.sequence(MODEL.architecture(), "long", 20_000, Randoms.seeded(2), 0.1);
        Recurrence.Workspace<RnnModel.State, ?> w = Recurrence.workspace(MODEL);
        w.run(longOne, null);   // warm up: compiled code allocates nothing it does not need
        long before = allocated();
        w.run(shortOne, null);
        long small = allocated() - before;
        before = allocated();
        w.run(longOne, null);
        long large = allocated() - before;
        assertThat(large).as("bytes for 20 000 steps vs %d for 200", small).isLessThan(small + 4096);
    }

    @Test
    void truncatedTrainingAllocatesNothingPerStep() {
        var evaluator = MODEL.gradientEvaluator(RnnFitSettings.defaults().withTruncation(10, 20));
        double[] theta = MODEL.parameters();
        double[] g = new double[theta.length];
        List<Sequence> shortBatch = RnnFixtures.batch(MODEL.architecture(), Randoms.seeded(3), 0.1, 200, 150, 100);
        List<Sequence> longBatch = RnnFixtures.batch(MODEL.architecture(), Randoms.seeded(4), 0.1, 20_000, 15_000, 10_000);
        evaluator.evaluate(theta, longBatch, g);
        evaluator.evaluate(theta, shortBatch, g);
        long before = allocated();
        evaluator.evaluate(theta, shortBatch, g);
        long small = allocated() - before;
        before = allocated();
        evaluator.evaluate(theta, longBatch, g);
        long large = allocated() - before;
        // the per-step activity array grows once with the longest sequence; nothing else depends on T
        assertThat(large).as("bytes for 20 000 steps vs %d for 200", small).isLessThan(small + 4096);
    }
}
