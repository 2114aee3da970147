package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statespace.spec.Json;

/**
 * {@code filter}, {@code smooth --stream}, {@code fit --stream} and {@code forecast --stream} over a 10^6-step file
 * in a child JVM with a 64 MB heap: they finish; the filter's log-likelihood is the one a forward recursion written
 * here computes while the file is generated, the smoother's last step is that recursion's filtered probability and
 * every row sums to 1, the forecast's first step is the mixture that recursion predicts, and the fit is the in-memory fit of the same file (run in this JVM, whose heap holds the sequence). (The
 * in-memory paths hold the sequence, its per-step arrays and the JSON tree of every step, several times this
 * heap.) The same for a linear-Gaussian local level (smooth and fit): its last smoothed moments are those of a
 * scalar Kalman filter written here and run while the file is generated, and its fit is the in-memory fit.
 */
class StreamingMemoryTest {
    private static final int STEPS = 1_000_000;

    @TempDir
    Path dir;

    // p(s_{T-1} = 0 | y), from the recursion run while the file was generated
    private double lastFiltered;
    // p(s_T = 1 | y), the prediction of the step after the last, from the same recursion
    private double nextBusy;

    @Test
    void aMillionStepsRunInSixtyFourMegabytes() throws IOException, InterruptedException {
        double logLikelihood = generate();
        Path model = dir.resolve("hmm.json");
        Path data = dir.resolve("long.csv");
        Path out = dir.resolve("r.jsonl");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "filter", "--model", model.toString(), "--data", data.toString(), "--out", out.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the child finishes").isTrue();
        assertThat(child.exitValue()).as(Files.readString(dir.resolve("child.log"))).isZero();
        // the last line holds the totals; the line before it, the sequence's million densities
        String last = lastLine(out);
        double got = Json.parse(last, "totals").get("logLikelihood").asDouble();
        assertThat(got).isCloseTo(logLikelihood, Offset.offset(1e-9 * Math.abs(logLikelihood)));
        assertThat(Json.parse(last, "totals").get("observations").asLong()).isEqualTo(STEPS);
    }

    // writes hmm.json and long.csv (generated from the HMM); returns the forward recursion's log-likelihood
    private double generate() throws IOException {
        Path model = dir.resolve("hmm.json");
        Files.writeString(model, "{\"type\": \"hmm\", \"initial\": [0.6, 0.4], \"transition\": [[0.95, 0.05], [0.1, 0.9]],"
                + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[0], [3]],"
                + " \"covariances\": [[[1]], [[2]]]}}");
        double[] mean = {0, 3};
        double[] variance = {1, 2};
        double[][] a = {{0.95, 0.05}, {0.1, 0.9}};
        // generate from the HMM and run the scaled forward recursion on the values as written
        Path data = dir.resolve("long.csv");
        Random r = new Random(11);
        double logLikelihood = 0;
        lastFiltered = Double.NaN;
        double[] p = {0.6, 0.4};
        int state = r.nextDouble() < 0.6 ? 0 : 1;
        try (BufferedWriter w = Files.newBufferedWriter(data, StandardCharsets.UTF_8)) {
            w.write("y\n");
            for (int t = 0; t < STEPS; t++) {
                if (t > 0) {
                    state = r.nextDouble() < a[state][0] ? 0 : 1;
                }
                String text = Double.toString(Math.round((mean[state] + Math.sqrt(variance[state]) * r.nextGaussian())
                        * 1e4) / 1e4);
                w.write(text);
                w.write('\n');
                double y = Double.parseDouble(text);
                double w0 = p[0] * Math.exp(-(y - mean[0]) * (y - mean[0]) / (2 * variance[0])) / Math.sqrt(2 * Math.PI * variance[0]);
                double w1 = p[1] * Math.exp(-(y - mean[1]) * (y - mean[1]) / (2 * variance[1])) / Math.sqrt(2 * Math.PI * variance[1]);
                double c = w0 + w1;
                logLikelihood += Math.log(c);
                lastFiltered = w0 / c;
                p = new double[] {(w0 * a[0][0] + w1 * a[1][0]) / c, (w0 * a[0][1] + w1 * a[1][1]) / c};
            }
        }
        nextBusy = p[1];
        return logLikelihood;
    }

    private Process child(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile())
                .start();
    }

    @Test
    void aMillionStepsAreSmoothedAndFittedInSixtyFourMegabytes() throws IOException, InterruptedException {
        generate();
        Path model = dir.resolve("hmm.json");
        Path data = dir.resolve("long.csv");
        Path smoothed = dir.resolve("posterior.csv");
        Process smooth = child("smooth", "--stream", "--model", model.toString(), "--data", data.toString(), "--out",
                smoothed.toString());
        assertThat(smooth.waitFor(300, TimeUnit.SECONDS)).as("the child finishes").isTrue();
        assertThat(smooth.exitValue()).as(Files.readString(dir.resolve("child.log"))).isZero();
        long rows = 0;
        String last = null;
        try (var lines = Files.newBufferedReader(smoothed)) {
            assertThat(lines.readLine()).isEqualTo("sequence,t,posteriorProbabilities.0,posteriorProbabilities.1");
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String[] cells = line.split(",");
                assertThat(cells[1]).isEqualTo(Long.toString(rows));
                assertThat(Double.parseDouble(cells[2]) + Double.parseDouble(cells[3])).isCloseTo(1, Offset.offset(1e-12));
                rows++;
                last = line;
            }
        }
        assertThat(rows).isEqualTo(STEPS);
        assertThat(Double.parseDouble(last.split(",")[2])).isCloseTo(lastFiltered, Offset.offset(1e-9));
        Path fitted = dir.resolve("fitted.json");
        Process fit = child("fit", "--stream", "--model", model.toString(), "--data", data.toString(),
                "--max-iterations", "1", "--out", fitted.toString());
        assertThat(fit.waitFor(300, TimeUnit.SECONDS)).as("the child finishes").isTrue();
        assertThat(fit.exitValue()).as(Files.readString(dir.resolve("child.log"))).isZero();
        Path memory = dir.resolve("memory.json");
        CliRunner m = CliRunner.run("fit", "--model", model.toString(), "--data", data.toString(), "--max-iterations", "1",
                "--threads", "1", "--out", memory.toString());
        assertThat(m.exitCode()).as(m.err()).isZero();
        assertThat(Json.read(fitted)).isEqualTo(Json.read(memory));
        // the spill files are gone
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("statespace-spill-")).toList()).isEmpty();
        }
    }

    @Test
    void aMillionStepsAreForecastInSixtyFourMegabytes() throws IOException, InterruptedException {
        generate();
        Path forecast = dir.resolve("forecast.csv");
        Process child = child("forecast", "--stream", "--model", dir.resolve("hmm.json").toString(), "--data",
                dir.resolve("long.csv").toString(), "--steps", "2", "--out", forecast.toString());
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the child finishes").isTrue();
        assertThat(child.exitValue()).as(Files.readString(dir.resolve("child.log"))).isZero();
        List<String> lines = Files.readAllLines(forecast);
        assertThat(lines.get(0)).startsWith("sequence,step,mean,");
        // step 1 ahead: the mixture of the state means (0 and 3) weighted by the recursion's prediction
        assertThat(Double.parseDouble(lines.get(1).split(",")[2])).isCloseTo(3 * nextBusy, Offset.offset(1e-9));
    }

    @Test
    void aMillionLinearGaussianStepsAreSmoothedAndFittedInSixtyFourMegabytes() throws IOException, InterruptedException {
        // a local level: x_t = x_{t-1} + w, y_t = x_t + v, w ~ N(0, 0.5), v ~ N(0, 2), x_0 ~ N(0, 10)
        Path model = StreamingFixtures.write(dir, "level.json", "{\"type\": \"lgssm\", \"transitionMatrix\": [[1]], "
                + "\"processNoise\": [[0.5]], \"observationMatrix\": [[1]], \"observationNoise\": [[2]], "
                + "\"initialMean\": [0], \"initialCovariance\": [[10]]}");
        Path data = dir.resolve("level.csv");
        // generate, and run the scalar Kalman filter on the values as written (every 1000th step missing)
        Random r = new Random(13);
        double x = Math.sqrt(10) * r.nextGaussian();
        double a = 0;
        double p = 10;
        try (BufferedWriter w = Files.newBufferedWriter(data, StandardCharsets.UTF_8)) {
            w.write("sequence,t,y\n");
            for (int t = 0; t < STEPS; t++) {
                if (t > 0) {
                    x += Math.sqrt(0.5) * r.nextGaussian();
                    p += 0.5;
                }
                if (t % 1000 == 999) {
                    w.write("s," + t + ",\n");
                    continue;
                }
                String text = Double.toString(Math.round((x + Math.sqrt(2) * r.nextGaussian()) * 1e4) / 1e4);
                w.write("s," + t + "," + text);
                w.write('\n');
                double gain = p / (p + 2);
                a += gain * (Double.parseDouble(text) - a);
                p = p * 2 / (p + 2);
            }
        }
        Path smoothed = dir.resolve("smoothed.csv");
        Process smooth = child("smooth", "--stream", "--model", model.toString(), "--data", data.toString(), "--out",
                smoothed.toString());
        assertThat(smooth.waitFor(300, TimeUnit.SECONDS)).as("the child finishes").isTrue();
        assertThat(smooth.exitValue()).as(Files.readString(dir.resolve("child.log"))).isZero();
        long rows = 0;
        String last = null;
        try (var lines = Files.newBufferedReader(smoothed)) {
            assertThat(lines.readLine()).isEqualTo("sequence,t,smoothedMeans,smoothedCovariances.0.0,"
                    + "smoothedLagOneCovariances.0.0");
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                assertThat(line.split(",")[1]).isEqualTo(Long.toString(rows));
                rows++;
                last = line;
            }
        }
        assertThat(rows).isEqualTo(STEPS);
        // at the last step the smoothed moments are the filtered ones (the last step, 999 999, is missing)
        String[] cells = last.split(",");
        assertThat(Double.parseDouble(cells[2])).isCloseTo(a, Offset.offset(1e-9 * Math.max(1, Math.abs(a))));
        assertThat(Double.parseDouble(cells[3])).isCloseTo(p, Offset.offset(1e-9 * p));
        Path fitted = dir.resolve("fitted.json");
        Process fit = child("fit", "--stream", "--model", model.toString(), "--data", data.toString(),
                "--max-iterations", "1", "--out", fitted.toString());
        assertThat(fit.waitFor(300, TimeUnit.SECONDS)).as("the child finishes").isTrue();
        assertThat(fit.exitValue()).as(Files.readString(dir.resolve("child.log"))).isZero();
        Path memory = dir.resolve("memory.json");
        CliRunner m = CliRunner.run("fit", "--model", model.toString(), "--data", data.toString(), "--max-iterations", "1",
                "--threads", "1", "--out", memory.toString());
        assertThat(m.exitCode()).as(m.err()).isZero();
        assertThat(Json.read(fitted)).isEqualTo(Json.read(memory));
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("statespace-spill-")).toList()).isEmpty();
        }
    }

    private static String lastLine(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long end = f.length() - 1; // the final newline
            long start = end;
            while (start > 0) {
                f.seek(start - 1);
                if (f.read() == '\n') {
                    break;
                }
                start--;
            }
            byte[] b = new byte[(int) (end - start)];
            f.seek(start);
            f.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        }
    }
}
