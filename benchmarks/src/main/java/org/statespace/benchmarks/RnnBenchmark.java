package org.statespace.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.statespace.capability.GradientEvaluator;
import org.statespace.data.Sequence;
import org.statespace.rnn.Cell;
import org.statespace.rnn.Head;
import org.statespace.rnn.Layer;
import org.statespace.rnn.Precision;
import org.statespace.rnn.RnnArchitecture;
import org.statespace.rnn.RnnFitSettings;
import org.statespace.rnn.RnnModel;

/**
 * One training step of an LSTM or a GRU on a grid of shapes (input, hidden, batch) in {(8, 32, 1),
 * (32, 128, 32), (64, 512, 64)}: a linear head back to the input size, a batch of sequences of 100 steps;
 * forward, squared-error loss, BPTT, clipping by global norm and one Adam step (β1 0.9, β2 0.999, ε 1e-8,
 * as the trainer's). In double precision or in float32 ({@code precision}: the matrix products and weight gradients
 * in float, see {@link Precision}); the batch is dealt into shards of 16 run on a pool of 1 or 2 threads
 * ({@code threads}). The peer is {@code benchmarks/peers/lstm_torch.py}, the same step in PyTorch over the same
 * grid (LSTM and GRU, float32 and float64, 1 and 2 threads).
 *
 * <pre>
 *   mvn -B -q -pl benchmarks -am package -DskipTests -Dfuzz.skip=true
 *   java -jar benchmarks/target/benchmarks.jar RnnBenchmark.trainingStep$ -f 1 -wi 3 -i 5
 *   java -jar benchmarks/target/benchmarks.jar RnnBenchmark -p cell=GRU -p shape=32x128x32 -p threads=2 -f 1 -wi 3 -i 5
 *   java -jar benchmarks/target/benchmarks.jar RnnBenchmark.trainingStep$ -p precision=float32 -p shape=64x512x64 -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RnnBenchmark {
    static final int LENGTH = 100;

    /** LSTM or GRU. */
    @Param({"LSTM", "GRU"})
    public String cell;

    /** input x hidden x batch. */
    @Param({"8x32x1", "32x128x32", "64x512x64"})
    public String shape;

    /** float64 or float32 (the spec's {@code precision}). */
    @Param({"float64", "float32"})
    public String precision;

    /** Threads of the pool the shards run on. */
    @Param({"1", "2"})
    public int threads;

    double[] theta;
    double[] gradient;
    double[] first;
    double[] second;
    long steps;
    List<Sequence> batch;
    GradientEvaluator evaluator;
    ForkJoinPool pool;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = shape.split("x");
        int input = Integer.parseInt(parts[0]);
        int hidden = Integer.parseInt(parts[1]);
        int size = Integer.parseInt(parts[2]);
        RnnModel model = RnnModel.initialized(RnnArchitecture.stack(input, List.of(Layer.of(Cell.valueOf(cell), hidden)),
                Head.of(Head.Type.LINEAR, input)), 1).withPrecision(Precision.fromJson(precision));
        theta = model.parameters();
        gradient = new double[theta.length];
        first = new double[theta.length];
        second = new double[theta.length];
        evaluator = model.gradientEvaluator(RnnFitSettings.defaults());
        SplittableRandom random = new SplittableRandom(2);
        batch = new ArrayList<>();
        for (int s = 0; s < size; s++) {
            double[] values = new double[LENGTH * input];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextGaussian();
            }
            batch.add(Sequence.of("s" + s, input, values));
        }
        // a parallel stream started inside a pool's task runs on that pool
        pool = new ForkJoinPool(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.shutdown();
    }

    /** The step on the default JVM (C2 vectorises with the widest vectors the machine has). */
    @Benchmark
    public double trainingStep() {
        return pool.submit(this::step).join();
    }

    /**
     * The same step with C2's vectors limited to 256 bits (AMD Zen 4 splits AVX-512 into two halves): the
     * counterpart of running the peer with its best BLAS setting.
     */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-XX:MaxVectorSize=32")
    public double trainingStepAvx2() {
        return pool.submit(this::step).join();
    }

    private double step() {
        double loss = evaluator.evaluate(theta, batch, gradient);
        clip(gradient, 5);
        adam(1e-3);
        return loss;
    }

    private static void clip(double[] g, double maxNorm) {
        double s = 0;
        for (double v : g) {
            s += v * v;
        }
        double norm = Math.sqrt(s);
        if (norm > maxNorm) {
            double scale = maxNorm / norm;
            for (int i = 0; i < g.length; i++) {
                g[i] *= scale;
            }
        }
    }

    // the trainer's Adam (org.statespace.inference.GradientStep, package-private), inlined
    private void adam(double rate) {
        steps++;
        double c1 = 1 - Math.pow(0.9, steps);
        double c2 = 1 - Math.pow(0.999, steps);
        for (int i = 0; i < theta.length; i++) {
            double g = gradient[i];
            first[i] = 0.9 * first[i] + 0.1 * g;
            second[i] = 0.999 * second[i] + 0.001 * g * g;
            theta[i] -= rate * (first[i] / c1) / (Math.sqrt(second[i] / c2) + 1e-8);
        }
    }
}
