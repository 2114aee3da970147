package org.statespace.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.apache.commons.math3.filter.DefaultMeasurementModel;
import org.apache.commons.math3.filter.DefaultProcessModel;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.hipparchus.filtering.kalman.ProcessEstimate;
import org.hipparchus.filtering.kalman.linear.LinearEvolution;
import org.hipparchus.filtering.kalman.linear.LinearKalmanFilter;
import org.hipparchus.linear.CholeskyDecomposer;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RealVector;
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

import org.statespace.Recurrence;
import org.statespace.Sampling;
import org.statespace.data.Sequence;
import org.statespace.distribution.Gaussian;
import org.statespace.kalman.KalmanOptions;
import org.statespace.kalman.KalmanState;
import org.statespace.kalman.LinearGaussianModel;
import org.statespace.numeric.Randoms;
import org.statespace.spec.ModelSpecs;

/**
 * The Kalman filter log-likelihood of a 4-state, 2-observation model over T = 10^5 steps, side by side
 * with Hipparchus' {@code LinearKalmanFilter} and Commons Math's {@code KalmanFilter} on the same model
 * and data (both peers' log-likelihood is summed from their own innovation covariance, factored with
 * their own Cholesky). Setup checks that the three agree.
 *
 * <pre>
 *   mvn -B -q -pl benchmarks -am package -DskipTests
 *   java -jar benchmarks/target/benchmarks.jar KalmanBenchmark -wi 2 -i 3
 * </pre>
 *
 * (each method forks once; {@code statespaceFullUpdate} runs in a JVM with the exact steady state off).
 *
 * {@code java -cp benchmarks/target/benchmarks.jar org.statespace.benchmarks.KalmanBenchmark DIR} writes the
 * model ({@code kalman-model.json}) and data ({@code kalman-data.csv}) for the statsmodels peer
 * {@code benchmarks/peers/kalman_statsmodels.py}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class KalmanBenchmark {
    static final int LENGTH = 100_000;
    static final long SEED = 42;

    static final double[][] F = {{0.9, 0.1, 0, 0}, {0, 0.8, 0.1, 0}, {0, 0, 0.7, 0.2}, {0.05, 0, 0, 0.6}};
    static final double[][] Q = {{0.3, 0.05, 0, 0}, {0.05, 0.2, 0.02, 0}, {0, 0.02, 0.2, 0.01}, {0, 0, 0.01, 0.1}};
    static final double[][] H = {{1, 0, 0.5, 0}, {0, 1, 0, 0.5}};
    static final double[][] R = {{0.5, 0.1}, {0.1, 0.4}};
    static final double[] M0 = {0, 0, 0, 0};
    static final double[][] P0 = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};

    LinearGaussianModel model;
    Sequence data;
    double[][] rows;
    Recurrence.Workspace<KalmanState, Gaussian> workspace;
    Recurrence.Workspace<KalmanState, Gaussian> fullUpdateWorkspace;

    static LinearGaussianModel model() {
        return LinearGaussianModel.of(F, Q, H, R, M0, P0);
    }

    static Sequence data(LinearGaussianModel model) {
        return Sampling.sample(model, "bench", LENGTH, null, Randoms.seeded(SEED));
    }

    @Setup(Level.Trial)
    public void setUp() {
        model = model();
        data = data(model);
        rows = new double[LENGTH][2];
        for (int t = 0; t < LENGTH; t++) {
            rows[t][0] = data.value(t, 0);
            rows[t][1] = data.value(t, 1);
        }
        workspace = Recurrence.workspace(model);
        fullUpdateWorkspace = Recurrence.workspace(model.withKalmanOptions(KalmanOptions.defaults().withExactSteadyState(false)));
        double ours = statespace();
        double hipparchus = hipparchus();
        double commons = commonsMath();
        if (Math.abs(ours - hipparchus) > 1e-6 * Math.abs(ours) || Math.abs(ours - commons) > 1e-6 * Math.abs(ours)) {
            throw new IllegalStateException("the filters disagree: " + ours + ", " + hipparchus + ", " + commons);
        }
    }

    /**
     * Ours: the model's recurrence (predict, score, update every step), workspaces reused across runs,
     * with the exact steady state on (the default: identical results, covariance work skipped once the
     * Riccati recursion has settled bit for bit).
     */
    @Benchmark
    public double statespace() {
        return workspace.run(data, null);
    }

    /** Ours with the exact steady state off: the full covariance update at every step. */
    @Benchmark
    public double statespaceFullUpdate() {
        return fullUpdateWorkspace.run(data, null);
    }

    /** Hipparchus 4.0.1 {@code LinearKalmanFilter}; its first step predicts with the identity and no noise. */
    @Benchmark
    public double hipparchus() {
        RealMatrix f = MatrixUtils.createRealMatrix(F);
        RealMatrix q = MatrixUtils.createRealMatrix(Q);
        RealMatrix h = MatrixUtils.createRealMatrix(H);
        RealMatrix r = MatrixUtils.createRealMatrix(R);
        RealMatrix zeroControl = MatrixUtils.createRealMatrix(4, 1);
        RealVector zeroCommand = MatrixUtils.createRealVector(new double[1]);
        LinearEvolution first = new LinearEvolution(MatrixUtils.createRealIdentityMatrix(4), zeroControl, zeroCommand,
                MatrixUtils.createRealMatrix(4, 4), h);
        LinearEvolution later = new LinearEvolution(f, zeroControl, zeroCommand, q, h);
        LinearKalmanFilter<Step> filter = new LinearKalmanFilter<>(new CholeskyDecomposer(1e-12, 1e-14),
                step -> step.t == 0 ? first : later,
                new ProcessEstimate(0, MatrixUtils.createRealVector(M0), MatrixUtils.createRealMatrix(P0)));
        double total = 0;
        for (int t = 0; t < LENGTH; t++) {
            RealVector y = MatrixUtils.createRealVector(rows[t]);
            filter.estimationStep(new Step(t, y, r));
            ProcessEstimate predicted = filter.getPredicted();
            RealMatrix s = filter.getCorrected().getInnovationCovariance();
            RealVector v = y.subtract(h.operate(predicted.getState()));
            total += gaussianLogDensity(v, s);
        }
        return total;
    }

    private static double gaussianLogDensity(RealVector v, RealMatrix s) {
        CholeskyDecomposition chol = new CholeskyDecomposition(s);
        double quad = v.dotProduct(chol.getSolver().solve(v));
        return -0.5 * (v.getDimension() * Math.log(2 * Math.PI) + Math.log(chol.getDeterminant()) + quad);
    }

    /** Commons Math 3.6.1 {@code KalmanFilter}: predict (from the second step on), then correct. */
    @Benchmark
    public double commonsMath() {
        org.apache.commons.math3.linear.RealMatrix h = new Array2DRowRealMatrix(H);
        org.apache.commons.math3.linear.RealMatrix r = new Array2DRowRealMatrix(R);
        org.apache.commons.math3.filter.KalmanFilter filter = new org.apache.commons.math3.filter.KalmanFilter(
                new DefaultProcessModel(F, new double[4][1], Q, M0, P0), new DefaultMeasurementModel(H, R));
        double total = 0;
        for (int t = 0; t < LENGTH; t++) {
            if (t > 0) {
                filter.predict();
            }
            org.apache.commons.math3.linear.RealVector x = new ArrayRealVector(filter.getStateEstimation(), false);
            org.apache.commons.math3.linear.RealMatrix p = filter.getErrorCovarianceMatrix();
            org.apache.commons.math3.linear.RealMatrix s = h.multiply(p).multiply(h.transpose()).add(r);
            org.apache.commons.math3.linear.RealVector y = new ArrayRealVector(rows[t], false);
            org.apache.commons.math3.linear.RealVector v = y.subtract(h.operate(x));
            org.apache.commons.math3.linear.CholeskyDecomposition chol =
                    new org.apache.commons.math3.linear.CholeskyDecomposition(s);
            double quad = v.dotProduct(chol.getSolver().solve(v));
            total += -0.5 * (2 * Math.log(2 * Math.PI) + Math.log(chol.getDeterminant()) + quad);
            filter.correct(rows[t]);
        }
        return total;
    }

    private record Step(int t, RealVector value, RealMatrix covariance)
            implements org.hipparchus.filtering.kalman.Measurement {
        @Override
        public double getTime() {
            return t;
        }

        @Override
        public RealVector getValue() {
            return value;
        }

        @Override
        public RealMatrix getCovariance() {
            return covariance;
        }
    }

    /** Writes the model spec and the data (CSV, one row per step) into {@code args[0]} for the statsmodels peer. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: KalmanBenchmark DIR   (writes kalman-model.json and kalman-data.csv)");
            System.exit(2);
        }
        LinearGaussianModel model = model();
        Sequence data = data(model);
        Path dir = Path.of(args[0]);
        StringBuilder csv = new StringBuilder("y0,y1\n");
        for (int t = 0; t < LENGTH; t++) {
            csv.append(String.format(Locale.ROOT, "%.17g,%.17g%n", data.value(t, 0), data.value(t, 1)));
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("kalman-model.json"), ModelSpecs.write(model));
            Files.writeString(dir.resolve("kalman-data.csv"), csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("log-likelihood " + Recurrence.logLikelihood(model, data) + " written to " + dir);
    }
}
