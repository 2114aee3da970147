package org.statespace.benchmarks;

import java.io.IOException;
import java.io.InputStream;
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
import org.statespace.capability.SufficientStatistics;
import org.statespace.data.Sequence;
import org.statespace.hmm.ForwardBackward;
import org.statespace.hmm.HiddenMarkovModel;
import org.statespace.hmm.HmmFitSettings;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * HMM kernels on K = 10 states with 1-D Gaussian emissions and one sequence of T = 10⁵ steps: the
 * forward-backward pass (log-likelihood and the T×K posteriors), the forward log-likelihood alone, and
 * one Baum-Welch iteration (E-step and M-step).
 *
 * <p>The model is the resource {@code hmm-k10-gaussian.json}; the data is sequence "s1" drawn with seed
 * 1, exactly what {@code statespace sample --model <that file> --length 100000 --seed 1} writes, which
 * is the file the peer script {@code benchmarks/peers/hmm_pomegranate.py} times pomegranate on.
 *
 * <pre>
 *   java -jar benchmarks/target/benchmarks.jar HmmBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class HmmBenchmark {
    /** The benchmark model, a classpath resource. */
    public static final String MODEL = "/org/statespace/benchmarks/hmm-k10-gaussian.json";

    @Param("100000")
    public int length;

    private HiddenMarkovModel model;
    private Sequence data;
    private ForwardBackward kernels;
    private HmmFitSettings settings;

    @Setup
    public void setup() throws IOException {
        try (InputStream in = HmmBenchmark.class.getResourceAsStream(MODEL)) {
            model = (HiddenMarkovModel) ModelSpecs.read(Json.read(in, MODEL), MODEL);
        }
        // as `statespace sample --seed 1` draws its first sequence
        data = Sampling.sample(model, "s1", length, null, Randoms.stream(1, 0));
        kernels = model.forwardBackward();
        settings = HmmFitSettings.defaults();
    }

    /** Scaled forward and backward passes: log-likelihood and all T×K posterior marginals. */
    @Benchmark
    public double forwardBackward() {
        double ll = kernels.smooth(data);
        return ll + kernels.posterior(length - 1, 0);
    }

    /** The forward recursion alone (O(K) memory). */
    @Benchmark
    public double logLikelihood() {
        return kernels.logLikelihood(data);
    }

    /** One Baum-Welch iteration: expected statistics by forward-backward, then the M-step. */
    @Benchmark
    public HiddenMarkovModel baumWelchIteration() {
        SufficientStatistics stats = model.newStatistics();
        model.expectation(data, stats);
        return model.maximization(stats, settings);
    }
}
