package org.statespace.rnn;

import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two kernels of {@link Gemm} alone, on the shapes of one shard (16 rows) of {@code RnnBenchmark}'s LSTM
 * (input 32, hidden 128, 4H = 512 gate units), one thread. In package {@code org.statespace.rnn} because
 * Gemm is package-private.
 * <ul>
 * <li>{@code multiply 16x128x512}: the recurrent product of the forward pass, Z (16×512) += H (16×128) · W_hhᵀ;
 * <li>{@code multiply 16x512x128}: the state gradient, dH (16×128) += dZ (16×512) · W_hh;
 * <li>{@code multiplyTransposedA 16x128x512}: the weight gradient dW_hhᵀ (128×512) += Hᵀ · dZ.
 * </ul>
 * <pre>
 *   java -jar benchmarks/target/benchmarks.jar GemmBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GemmBenchmark {
    /** rows × inner × columns of a product. */
    @Param({"16x128x512", "16x512x128"})
    public String shape;

    int m;
    int k;
    int n;
    double[][] a;
    double[][] b;
    double[][] c;

    @Setup(Level.Trial)
    public void setUp() {
        String[] s = shape.split("x");
        m = Integer.parseInt(s[0]);
        k = Integer.parseInt(s[1]);
        n = Integer.parseInt(s[2]);
        SplittableRandom random = new SplittableRandom(1);
        a = random(m, k, random);
        b = random(Math.max(k, m), n, random);
        c = random(Math.max(m, k), n, random);
    }

    // small entries: C grows by about k·1e-6 a call, far from overflow or subnormals over a run
    private static double[][] random(int rows, int cols, SplittableRandom random) {
        double[][] x = new double[rows][cols];
        for (double[] row : x) {
            for (int j = 0; j < cols; j++) {
                row[j] = random.nextDouble(-1e-3, 1e-3);
            }
        }
        return x;
    }

    /** C (m×n) += A (m×k) · B (k×n). */
    @Benchmark
    public double[][] multiply() {
        Gemm.multiply(m, k, n, a, b, c);
        return c;
    }

    /** C (k×n) += Aᵀ · B with A m×k, B m×n. */
    @Benchmark
    public double[][] multiplyTransposedA() {
        Gemm.multiplyTransposedA(m, k, n, a, b, c);
        return c;
    }
}
