package org.statespace.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import org.statespace.capability.GradientEvaluator;
import org.statespace.data.Sequence;
import org.statespace.rnn.Cell;
import org.statespace.rnn.Head;
import org.statespace.rnn.Layer;
import org.statespace.rnn.RnnArchitecture;
import org.statespace.rnn.RnnFitSettings;
import org.statespace.rnn.RnnModel;

/**
 * One LSTM training step: input 32, hidden 128, a linear head back to 32 outputs, a batch of 32
 * sequences of 100 steps; forward, squared-error loss, BPTT, clipping by global norm and one Adam step
 * (β1 0.9, β2 0.999, ε 1e-8, as the trainer's). Double precision, both cores (the batch runs as two
 * shards of 16 in parallel). The peer is {@code benchmarks/peers/lstm_torch.py}, the same step in
 * PyTorch (float32 and float64), run right after this one.
 *
 * <pre>
 *   mvn -B -q -pl benchmarks -am package -DskipTests
 *   java -jar benchmarks/target/benchmarks.jar RnnBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RnnBenchmark {
    static final int INPUT = 32;
    static final int HIDDEN = 128;
    static final int BATCH = 32;
    static final int LENGTH = 100;

    double[] theta;
    double[] gradient;
    double[] first;
    double[] second;
    long steps;
    List<Sequence> batch;
    GradientEvaluator evaluator;

    @Setup(Level.Trial)
    public void setUp() {
        RnnModel model = RnnModel.initialized(RnnArchitecture.stack(INPUT, List.of(Layer.of(Cell.LSTM, HIDDEN)),
                Head.of(Head.Type.LINEAR, INPUT)), 1);
        theta = model.parameters();
        gradient = new double[theta.length];
        first = new double[theta.length];
        second = new double[theta.length];
        evaluator = model.gradientEvaluator(RnnFitSettings.defaults());
        SplittableRandom random = new SplittableRandom(2);
        batch = new ArrayList<>();
        for (int s = 0; s < BATCH; s++) {
            double[] values = new double[LENGTH * INPUT];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextGaussian();
            }
            batch.add(Sequence.of("s" + s, INPUT, values));
        }
    }

    /** The step on the default JVM (C2 vectorises with AVX-512 on this machine). */
    @Benchmark
    public double lstmTrainingStep() {
        return step();
    }

    /**
     * The same step with C2's vectors limited to 256 bits (AMD Zen 4 splits AVX-512 into two halves): the
     * counterpart of running the peer with its best BLAS setting. With the fused multiply-add kernel of
     * {@code Gemm} the two runs measure the same within their error (38.2 and 37.1-38.1 ms here); with the
     * earlier kernel the AVX2 code was 10% faster.
     */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-XX:MaxVectorSize=32")
    public double lstmTrainingStepAvx2() {
        return step();
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
