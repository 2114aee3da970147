package org.statespace.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
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
import org.statespace.hmm.GaussianEmission;
import org.statespace.hmm.HiddenMarkovModel;
import org.statespace.hmm.HmmFitSettings;
import org.statespace.numeric.Randoms;
import org.statespace.spec.ModelSpecs;

/**
 * HMM kernels with 1-D Gaussian emissions on one sequence of T = 10⁵ steps, for K in {2, 5, 10, 50, 200}
 * states: the forward-backward pass (log-likelihood and the T×K posteriors), the forward log-likelihood
 * alone, and one Baum-Welch iteration (E-step and M-step).
 *
 * <p>Each K has its own random model, the same on every run ({@link #model(int)}), and data drawn from it
 * with seed 1. The peer script {@code benchmarks/peers/hmm_pomegranate.py} times pomegranate on the files
 * this class's main writes.
 *
 * <pre>
 *   java -jar benchmarks/target/benchmarks.jar HmmBenchmark -f 1 -wi 2 -i 3
 *   java -jar benchmarks/target/benchmarks.jar HmmBenchmark -p states=200 -f 1 -wi 2 -i 3
 *   java -cp benchmarks/target/benchmarks.jar org.statespace.benchmarks.HmmBenchmark /tmp/hmm-bench
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class HmmBenchmark {
    /** A fixed K = 10 model, a classpath resource (the engine overhead benchmark runs it). */
    public static final String MODEL = "/org/statespace/benchmarks/hmm-k10-gaussian.json";
    static final int[] GRID = {2, 5, 10, 50, 200};
    static final int LENGTH = 100_000;

    /** K, the number of hidden states. */
    @Param({"2", "5", "10", "50", "200"})
    public int states;

    @Param("100000")
    public int length;

    private HiddenMarkovModel model;
    private Sequence data;
    private ForwardBackward kernels;
    private HmmFitSettings settings;

    /**
     * The random K-state model, the same for the same K on every run: π uniform; A with 0.9 on the diagonal
     * and the other 0.1 of each row spread by uniform random weights; state k emits N(μ_k, σ_k²) with μ_k
     * uniform on [-3, 3] and σ_k² on [0.5, 2]. The states overlap whatever K, so no scaled density or
     * belief becomes subnormal (with well separated states, exp(log b - max) of the far ones lands in the
     * subnormal range, where every multiplication costs some hundred cycles on x86, in ours and the peer's alike).
     */
    static HiddenMarkovModel model(int k) {
        SplittableRandom random = new SplittableRandom(7919L * k);
        double[] initial = new double[k];
        double[][] transition = new double[k][k];
        double[] means = new double[k];
        double[] variances = new double[k];
        for (int i = 0; i < k; i++) {
            initial[i] = 1.0 / k;
            double off = 0;
            for (int j = 0; j < k; j++) {
                if (j != i) {
                    transition[i][j] = random.nextDouble() + 1e-3;
                    off += transition[i][j];
                }
            }
            for (int j = 0; j < k; j++) {
                transition[i][j] = j == i ? 0.9 : 0.1 * transition[i][j] / off;
            }
            means[i] = -3 + 6 * random.nextDouble();
            variances[i] = 0.5 + 1.5 * random.nextDouble();
        }
        return HiddenMarkovModel.of(initial, transition, GaussianEmission.univariate(means, variances));
    }

    static Sequence data(HiddenMarkovModel model, int length) {
        return Sampling.sample(model, "s1", length, null, Randoms.stream(1, 0));
    }

    @Setup
    public void setup() {
        model = model(states);
        data = data(model, length);
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

    /**
     * Writes every K's model ({@code hmm-k10-model.json}) and data ({@code hmm-k10-data.json}, one sequence)
     * into {@code args[0]} for the pomegranate peer, and prints each log-likelihood.
     */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: HmmBenchmark DIR   (writes hmm-kK-model.json and hmm-kK-data.json)");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        try {
            Files.createDirectories(dir);
            for (int k : GRID) {
                HiddenMarkovModel model = model(k);
                Sequence data = data(model, LENGTH);
                StringBuilder json = new StringBuilder("{\"sequences\": [{\"id\": \"s1\", \"observations\": [");
                for (int t = 0; t < LENGTH; t++) {
                    json.append(t == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.17g", data.value(t, 0)));
                }
                json.append("]}]}\n");
                Files.writeString(dir.resolve("hmm-k" + k + "-model.json"), ModelSpecs.write(model));
                Files.writeString(dir.resolve("hmm-k" + k + "-data.json"), json);
                System.out.println("hmm-k" + k + " log-likelihood " + model.forwardBackward().logLikelihood(data));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("written to " + dir);
    }
}
