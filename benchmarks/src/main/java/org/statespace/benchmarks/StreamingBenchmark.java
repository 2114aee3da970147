package org.statespace.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
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

import org.statespace.StateSpaceModel;
import org.statespace.capability.LongSequenceInference;
import org.statespace.capability.SufficientStatistics;
import org.statespace.data.Sequence;
import org.statespace.data.DatasetCsv;
import org.statespace.data.Datasets;
import org.statespace.data.SequenceReader;
import org.statespace.hmm.GaussianEmission;
import org.statespace.hmm.HiddenMarkovModel;
import org.statespace.inference.FileFilter;
import org.statespace.inference.FilterEngine;
import org.statespace.inference.FilterOptions;
import org.statespace.kalman.LinearGaussianModel;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * The filter over a file, streamed against in memory: the same generated CSV file ({@code length} steps of a
 * 2-state Gaussian HMM, one sequence) read and filtered either chunk by chunk ({@link FileFilter} over a
 * {@link SequenceReader}: constant memory) or read whole ({@link Datasets#read}) and run by
 * {@link FilterEngine#run} (the trace kept). Both include reading the file; the throughput in steps per second is
 * {@code length} divided by the time per operation.
 *
 * <pre>
 *   java -jar benchmarks/target/benchmarks.jar StreamingBenchmark -f 1 -wi 2 -i 3
 *   java -jar benchmarks/target/benchmarks.jar StreamingBenchmark -p length=1000000
 * </pre>
 *
 * <p>The command line over a 10^7-step file at a 256 MB heap, with the heap's high-water mark (not a JMH
 * benchmark: one run, a few minutes on one core):
 *
 * <pre>
 *   python3 -c "import random; random.seed(1); print('y'); [print('%.4f' % random.gauss(0, 1)) for _ in range(10**7)]" &gt; long.csv
 *   JAVA_OPTS='-Xmx256m -XX:+UseSerialGC -Xlog:gc:file=gc.log' ./statespace filter --model hmm.json --data long.csv \
 *       --stream --out result.jsonl
 *   grep -o '[0-9]*M-&gt;[0-9]*M' gc.log | cut -dM -f1 | sort -n | tail -1     # the largest heap in use before a GC, MB
 * </pre>
 *
 * ({@code hmm.json}: any 1-dimensional model, e.g. {@code {"type": "hmm", "initial": [0.5, 0.5], "transition":
 * [[0.9, 0.1], [0.2, 0.8]], "emission": {"type": "gaussian", "covarianceType": "full", "means": [[0], [3]],
 * "covariances": [[[1]], [[2]]]}}}.) Without {@code --stream} the same run runs out of memory: the in-memory path
 * holds the sequence, its trace and the JSON tree of every step.
 *
 * <p>The E-step and the smoother of one long sequence ({@link LongSequenceInference}: the filter spilled to a
 * temporary file and read back in reverse) against the in-memory kernels over the sequence read whole:
 * {@code eStepStreamed}/{@code eStepInMemory} and {@code smoothStreamed}/{@code smoothInMemory}, reading included.
 * The command line over a 10^7-step file at a 256 MB heap, as above:
 *
 * <pre>
 *   JAVA_OPTS='-Xmx256m -XX:+UseSerialGC -Xlog:gc:file=gc-fit.log' ./statespace fit --stream --model hmm.json  *       --data long.csv --max-iterations 1 --out fitted.json
 *   JAVA_OPTS='-Xmx256m -XX:+UseSerialGC -Xlog:gc:file=gc-smooth.log' ./statespace smooth --stream --model hmm.json  *       --data long.csv --out posterior.csv
 * </pre>
 *
 * One run each, 2026-12-02, on the shared 2-core machine while other builds ran (so the times are an upper bound,
 * not a measurement): fit (two E-steps, one M-step; 2·10^7 steps) 146.6 s wall, about 136,000 steps/s; smooth
 * (10^7 steps, a 507 MB CSV written) 169.1 s wall, about 59,000 steps/s; both at most 74 MB of heap in use before a
 * collection and 6 MB after one (per {@code -Xlog:gc}), 170 MB resident; the spill was 480 MB of temporary disk.
 *
 * <p>A linear-Gaussian model's smoother and E-step stream the same way ({@code lgssmSmoothStreamed} /
 * {@code lgssmSmoothInMemory}: a local linear trend, n = 2, m = 1, over the same file; its spill is 152 bytes a step).
 * The command line over a 10^7-step file at a 256 MB heap ({@code trend.json}: the model of {@link #setup};
 * {@code long.csv} here 10^7 values of 3 sin(t/500) + N(0, 1.4²) to 4 decimals, the first above serves as well):
 *
 * <pre>
 *   JAVA_OPTS='-Xmx256m -XX:+UseSerialGC -Xlog:gc:file=gc-smooth.log' ./statespace smooth --stream --model trend.json \
 *       --data long.csv
 *   JAVA_OPTS='-Xmx256m -XX:+UseSerialGC -Xlog:gc:file=gc-fit.log' ./statespace fit --stream --model trend.json \
 *       --data long.csv --max-iterations 1 --out fitted.json
 * </pre>
 *
 * One run each, 2026-12-02, the shared 2-core machine at a load average of about 22 (wall times an upper bound;
 * the process's CPU time from {@code /usr/bin/time -v} is the better guide): smooth (summary output, so the three
 * passes without writing 10^7 CSV rows) 170 s wall, 15.1 s user + 3.9 s system CPU; fit (two E-steps, one M-step)
 * 212 s wall, 32.3 s user + 5.9 s system CPU; both at most 74 MB of heap in use before a collection and 6 MB after
 * one ({@code -Xlog:gc}), 169 MB resident; the spill was 1.52 GB of temporary disk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class StreamingBenchmark {
    @Param("1000000")
    public int length;

    private Path file;
    private StateSpaceModel<?, ?> model;
    /** A local linear trend (n = 2, m = 1) run over the same file for the linear-Gaussian smoother's pair. */
    private LinearGaussianModel trend;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        model = HiddenMarkovModel.of(new double[] {0.5, 0.5}, new double[][] {{0.9, 0.1}, {0.2, 0.8}},
                GaussianEmission.univariate(new double[] {0, 3}, new double[] {1, 2}));
        trend = (LinearGaussianModel) ModelSpecs.read(Json.parse("{\"type\": \"lgssm\", \"transitionMatrix\": "
                + "[[1, 1], [0, 1]], \"processNoise\": [[0.3, 0.05], [0.05, 0.1]], \"observationMatrix\": [[1, 0]], "
                + "\"observationNoise\": [[2]], \"initialMean\": [0, 0], \"initialCovariance\": [[10, 0], [0, 4]]}",
                "trend"), "trend");
        file = Files.createTempFile("statespace-streaming-", ".csv");
        Random r = new Random(1);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("y\n");
            int state = 0;
            for (int t = 0; t < length; t++) {
                if (r.nextDouble() < (state == 0 ? 0.1 : 0.2)) {
                    state = 1 - state;
                }
                w.write(Double.toString(Math.round(((state == 0 ? 0 : 3) + r.nextGaussian()) * 1e4) / 1e4));
                w.write('\n');
            }
        }
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    @Benchmark
    public double streamed() {
        try (SequenceReader reader = SequenceReader.open(file, model.observationSpace(), DatasetCsv.Columns.byConvention())) {
            return FileFilter.run(model, reader, new FilterOptions(1, false, true), null).logLikelihood();
        }
    }

    @Benchmark
    public double inMemory() {
        // no summaries: the trace keeps the log-densities, as the streamed run computes them
        return FilterEngine.of(new FilterOptions(1, false, true))
                .run(model, model.observationSpace().align(Datasets.read(file), file.toString())).logLikelihood();
    }

    @Benchmark
    public double eStepStreamed() {
        HiddenMarkovModel hmm = (HiddenMarkovModel) model;
        SufficientStatistics statistics = hmm.newStatistics();
        try (SequenceReader reader = SequenceReader.open(file, model.observationSpace(), DatasetCsv.Columns.byConvention())) {
            while (reader.nextSequence()) {
                hmm.expectation(reader.id(), reader::nextChunk, statistics);
            }
        }
        return statistics.logLikelihood();
    }

    @Benchmark
    public double eStepInMemory() {
        HiddenMarkovModel hmm = (HiddenMarkovModel) model;
        SufficientStatistics statistics = hmm.newStatistics();
        for (Sequence s : model.observationSpace().align(Datasets.read(file), file.toString()).sequences()) {
            hmm.expectation(s, statistics);
        }
        return statistics.logLikelihood();
    }

    @Benchmark
    public double smoothStreamed() {
        HiddenMarkovModel hmm = (HiddenMarkovModel) model;
        double[] sum = new double[1];
        LongSequenceInference.SmoothedSteps sink = new LongSequenceInference.SmoothedSteps() {
            @Override
            public void begin(String track, int width, double logLikelihood, int length) {
            }

            @Override
            public void step(int t, double[] values, int offset) {
                sum[0] += values[offset];
            }
        };
        try (SequenceReader reader = SequenceReader.open(file, model.observationSpace(), DatasetCsv.Columns.byConvention())) {
            while (reader.nextSequence()) {
                hmm.smooth(reader.id(), reader::nextChunk, sink);
            }
        }
        return sum[0];
    }

    @Benchmark
    public double smoothInMemory() {
        HiddenMarkovModel hmm = (HiddenMarkovModel) model;
        double sum = 0;
        for (Sequence s : model.observationSpace().align(Datasets.read(file), file.toString()).sequences()) {
            sum += hmm.smoothStates(s).logLikelihood();
        }
        return sum;
    }

    /** The linear-Gaussian smoother over the file in chunks ({@code SpilledKalman}), every track read. */
    @Benchmark
    public double lgssmSmoothStreamed() {
        double[] sum = new double[1];
        LongSequenceInference.SmoothedSteps sink = new LongSequenceInference.SmoothedSteps() {
            @Override
            public void begin(String track, int width, double logLikelihood, int length) {
            }

            @Override
            public void step(int t, double[] values, int offset) {
                sum[0] += values[offset];
            }
        };
        try (SequenceReader reader = SequenceReader.open(file, trend.observationSpace(), DatasetCsv.Columns.byConvention())) {
            while (reader.nextSequence()) {
                trend.smooth(reader.id(), reader::nextChunk, sink);
            }
        }
        return sum[0];
    }

    /** The same smoother over the file read whole ({@code KalmanSmoother} over packed arrays). */
    @Benchmark
    public double lgssmSmoothInMemory() {
        double sum = 0;
        for (Sequence s : trend.observationSpace().align(Datasets.read(file), file.toString()).sequences()) {
            sum += trend.smoothStates(s).logLikelihood();
        }
        return sum;
    }
}
