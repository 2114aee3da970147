package org.statespace.benchmarks;

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
import org.statespace.StateSpaceModel;
import org.statespace.capability.ExpectationMaximization;
import org.statespace.capability.FitSettings;
import org.statespace.capability.SufficientStatistics;
import org.statespace.data.Sequence;
import org.statespace.hmm.GaussianEmission;
import org.statespace.hmm.HiddenMarkovModel;
import org.statespace.hmm.HmmFitSettings;
import org.statespace.inference.OnlineExpectationMaximization;
import org.statespace.inference.TrainOptions;
import org.statespace.kalman.KalmanFitSettings;
import org.statespace.kalman.LinearGaussianModel;
import org.statespace.numeric.Randoms;

/**
 * Online (stepwise) EM against batch EM on the same long series: one pass of online EM (chunks of
 * {@code chunk} steps, one update per chunk, the default step sizes) and one batch EM iteration (E-step over
 * the whole series, M-step), for a 3-state Gaussian HMM and an AR(1)-plus-noise linear-Gaussian model (the
 * models of {@code OnlineExpectationMaximizationTest}). Both touch every step once with the family's own
 * E-step, so the throughput in steps per second is {@code length} divided by the time per operation; online
 * EM adds one M-step per chunk and the chunks' start-up, batch EM one M-step in all.
 *
 * <pre>
 *   java -jar benchmarks/target/benchmarks.jar OnlineEmBenchmark -f 1 -wi 2 -i 3
 *   java -jar benchmarks/target/benchmarks.jar OnlineEmBenchmark -p length=1000000
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class OnlineEmBenchmark {
    @Param({"hmm", "lgssm"})
    public String family;

    @Param("100000")
    public int length;

    @Param("1000")
    public int chunk;

    private StateSpaceModel<?, ?> start;
    private FitSettings settings;
    private Sequence data;
    private List<Sequence> chunks;

    @Setup
    public void setup() {
        StateSpaceModel<?, ?> truth;
        if (family.equals("hmm")) {
            truth = HiddenMarkovModel.of(new double[] {1, 0, 0},
                    new double[][] {{0.95, 0.03, 0.02}, {0.04, 0.92, 0.04}, {0.02, 0.05, 0.93}},
                    GaussianEmission.univariate(new double[] {-2, 0.5, 3}, new double[] {1, 0.5, 1.5}));
            start = HiddenMarkovModel.of(new double[] {0.4, 0.3, 0.3},
                    new double[][] {{0.8, 0.1, 0.1}, {0.1, 0.8, 0.1}, {0.1, 0.1, 0.8}},
                    GaussianEmission.univariate(new double[] {-1, 0, 1}, new double[] {2, 2, 2}));
            settings = HmmFitSettings.defaults();
        } else {
            truth = LinearGaussianModel.of(new double[][] {{0.9}}, new double[][] {{0.5}}, new double[][] {{1}},
                    new double[][] {{1}}, new double[] {0}, new double[][] {{1}});
            start = LinearGaussianModel.of(new double[][] {{0.5}}, new double[][] {{1}}, new double[][] {{1}},
                    new double[][] {{2}}, new double[] {0}, new double[][] {{1}});
            settings = KalmanFitSettings.defaults().withFixed("observationMatrix");
        }
        data = Sampling.sample(truth, "long", length, null, Randoms.seeded(3));
        chunks = new java.util.ArrayList<>();
        for (int from = 0; from < length; from += chunk) {
            chunks.add(data.slice("long@" + from, from, Math.min(length, from + chunk)));
        }
    }

    /** One pass of online EM: an E-step, a blend and an M-step per chunk. */
    @Benchmark
    public StateSpaceModel<?, ?> onlineEmPass() {
        OnlineExpectationMaximization online = OnlineExpectationMaximization.start(start,
                TrainOptions.OnlineEm.defaults(), settings, length, 1);
        for (Sequence c : chunks) {
            online.update(List.of(c));
        }
        return online.model();
    }

    /** One batch EM iteration over the whole series. */
    @Benchmark
    public StateSpaceModel<?, ?> batchEmIteration() {
        ExpectationMaximization em = (ExpectationMaximization) start;
        SufficientStatistics statistics = em.newStatistics();
        em.expectation(data, statistics);
        return em.maximization(statistics, settings);
    }
}
