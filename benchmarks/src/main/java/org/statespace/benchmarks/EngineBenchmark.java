package org.statespace.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import org.statespace.Sampling;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.inference.FilterEngine;
import org.statespace.inference.FilterOptions;
import org.statespace.markov.MarkovChain;
import org.statespace.numeric.Randoms;

/**
 * The filter engine over a dataset of 1,000 sequences with 1 and with 2 threads (target: a speed-up of
 * at least 1.8x), streaming.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar EngineBenchmark -f 1 -wi 3 -i 5</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EngineBenchmark {

    @Param({"1", "2"})
    public int threads;

    private MarkovChain chain;
    private Dataset data;
    private FilterEngine engine;

    @Setup
    public void setUp() {
        int states = 20;
        double[][] rows = new double[states][states];
        var random = Randoms.seeded(1);
        for (int i = 0; i < states; i++) {
            double sum = 0;
            for (int j = 0; j < states; j++) {
                rows[i][j] = random.nextDouble();
                sum += rows[i][j];
            }
            for (int j = 0; j < states; j++) {
                rows[i][j] /= sum;
            }
        }
        double[] initial = new double[states];
        java.util.Arrays.fill(initial, 1.0 / states);
        chain = MarkovChain.of(initial, rows);
        List<Sequence> seqs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Sequence s = Sampling.sample(chain, "s" + i, 2000, null, Randoms.stream(2, i));
            // every tenth step missing, so the engine does real filtering work, not only row look-ups
            int[] symbols = new int[s.length()];
            for (int t = 0; t < symbols.length; t++) {
                symbols[t] = t % 10 == 5 ? -1 : s.symbol(t);
            }
            seqs.add(Sequence.ofSymbols(s.id(), symbols));
        }
        data = Dataset.ofSymbols(seqs, List.of());
        engine = FilterEngine.of(new FilterOptions(threads, false));
    }

    @Benchmark
    public double filterThousandSequences() {
        return engine.stream(chain, data, null).logLikelihood();
    }
}
