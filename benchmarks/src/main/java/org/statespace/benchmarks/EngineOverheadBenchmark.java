package org.statespace.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import org.statespace.Sampling;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.hmm.ForwardBackward;
import org.statespace.hmm.HiddenMarkovModel;
import org.statespace.inference.FilterEngine;
import org.statespace.inference.FilterOptions;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * The engine's per-step overhead over a family's bare kernel (target: at most 10%): the same HMM
 * (K = 10, 1-D Gaussian, T = 10⁵) log-likelihood computed by the HMM's own scaled forward recursion and
 * by the generic engine, streaming on one thread (f, g and the log-density through the
 * {@code StateTransition}/{@code Emission} interfaces).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar EngineOverheadBenchmark -f 1 -wi 3 -i 5</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EngineOverheadBenchmark {
    private HiddenMarkovModel model;
    private Sequence sequence;
    private Dataset data;
    private ForwardBackward kernel;
    private FilterEngine engine;

    @Setup
    public void setup() throws IOException {
        try (InputStream in = EngineOverheadBenchmark.class.getResourceAsStream(HmmBenchmark.MODEL)) {
            model = (HiddenMarkovModel) ModelSpecs.read(Json.read(in, HmmBenchmark.MODEL), HmmBenchmark.MODEL);
        }
        sequence = Sampling.sample(model, "s1", 100_000, null, Randoms.stream(1, 0));
        data = Dataset.of(List.of(sequence));
        kernel = model.forwardBackward();
        engine = FilterEngine.of(new FilterOptions(1, false));
    }

    /** The HMM's own forward recursion. */
    @Benchmark
    public double bareKernel() {
        return kernel.logLikelihood(sequence);
    }

    /** The same through the engine. */
    @Benchmark
    public double engine() {
        return engine.stream(model, data, null).logLikelihood();
    }
}
