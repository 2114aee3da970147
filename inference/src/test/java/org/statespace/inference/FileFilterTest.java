package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;
import org.statespace.data.DatasetCsv;
import org.statespace.data.Datasets;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceReader;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;

/**
 * The filter over a file read in chunks gives, step for step, the numbers of the in-memory engine over the same
 * file, for models that carry state from step to step in different ways (an HMM belief, a Kalman filter that
 * checks its step counter, an RNN's tape, an autoregressive emission that looks back three observations), with
 * chunks far shorter than the sequences; and the HMM's log-likelihood equals a forward recursion written here.
 */
class FileFilterTest {
    @TempDir
    Path dir;

    private static final String HMM = "{\"type\": \"hmm\", \"initial\": [0.6, 0.4], \"transition\": [[0.9, 0.1], [0.3, 0.7]],"
            + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[0], [3]], \"covariances\": [[[1]], [[2]]]}}";

    // sequences a (T=300, one missing step) and b (T=41), y and one input column
    private Path data() throws IOException {
        RandomGenerator r = Randoms.seeded(5);
        StringBuilder b = new StringBuilder("sequence,t,y,input\n");
        int[] lengths = {300, 41};
        String[] ids = {"a", "b"};
        for (int i = 0; i < 2; i++) {
            double level = 0;
            for (int t = 0; t < lengths[i]; t++) {
                level = 0.8 * level + r.nextGaussian();
                String y = i == 0 && t == 17 ? "" : String.format(Locale.ROOT, "%.6f", level + (t % 50 < 25 ? 0 : 3));
                b.append(ids[i]).append(',').append(t).append(',').append(y).append(',')
                        .append(String.format(Locale.ROOT, "%.4f", r.nextDouble())).append('\n');
            }
        }
        Path f = dir.resolve("d.csv");
        Files.writeString(f, b);
        return f;
    }

    private record Collected(List<String> ids, List<double[]> densities, List<Double> logLikelihoods,
            FileFilter.Totals totals) {
    }

    private static Collected streamed(StateSpaceModel<?, ?> model, Path file, int chunk) {
        List<String> ids = new ArrayList<>();
        List<double[]> densities = new ArrayList<>();
        List<Double> lls = new ArrayList<>();
        FileFilter.Totals totals;
        try (SequenceReader r = SequenceReader.open(file, model.observationSpace(), DatasetCsv.Columns.byConvention(), chunk)) {
            totals = FileFilter.run(model, r, FilterOptions.defaults().withThreads(1), new FileFilter.Listener() {
                List<Double> current;

                @Override
                public void startSequence(String id) {
                    ids.add(id);
                    current = new ArrayList<>();
                }

                @Override
                public void step(Sequence window, int t, PredictiveDistribution predicted, double logDensity) {
                    assertThat(t).isEqualTo(current.size());
                    current.add(logDensity);
                }

                @Override
                public void endSequence(String id, double logLikelihood, long steps, long observedSteps) {
                    assertThat(steps).isEqualTo(current.size());
                    densities.add(current.stream().mapToDouble(Double::doubleValue).toArray());
                    lls.add(logLikelihood);
                }
            });
        }
        return new Collected(ids, densities, lls, totals);
    }

    private static void assertSameAsInMemory(StateSpaceModel<?, ?> model, Path file, int chunk) {
        Dataset d = model.observationSpace().align(Datasets.read(file), "d");
        FilterResult whole = FilterEngine.of(FilterOptions.defaults().withThreads(1)).run(model, d);
        Collected c = streamed(model, file, chunk);
        assertThat(c.ids()).containsExactly("a", "b");
        for (int i = 0; i < 2; i++) {
            SequenceTrace trace = whole.sequence(i);
            double[] expected = new double[trace.length()];
            for (int t = 0; t < expected.length; t++) {
                expected[t] = trace.observed(t) ? trace.logDensity(t) : 0;
            }
            assertThat(c.densities().get(i)).as("sequence %d, chunks of %d", i, chunk).containsExactly(expected);
            assertThat(c.logLikelihoods().get(i)).isEqualTo(trace.logLikelihood());
        }
        assertThat(c.totals().logLikelihood()).isEqualTo(whole.logLikelihood());
        assertThat(c.totals().observedSteps()).isEqualTo(whole.observedSteps()).isEqualTo(340);
        assertThat(c.totals().steps()).isEqualTo(341);
        assertThat(c.totals().sequences()).isEqualTo(2);
    }

    @Test
    void chunksGiveTheInMemoryNumbersForEveryKindOfState() throws IOException {
        Path file = data();
        Dataset d = Datasets.read(file);
        List<StateSpaceModel<?, ?>> models = List.of(
                ModelSpecs.parse(HMM, "hmm"),
                ModelSpecs.parse("{\"type\": \"local-level\", \"observationVariance\": 2, \"levelVariance\": 0.5}", "level"),
                ModelSpecs.parse("{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"gru\", \"hiddenSize\": 3}],"
                        + " \"head\": {\"type\": \"gaussian\", \"outputSize\": 1}, \"seed\": 1}", "rnn"),
                ModelSpecs.template(SpecNode.root(Json.parse("{\"type\": \"iohmm\", \"states\": 2, \"emission\": "
                        + "\"autoregressive\", \"lags\": 3}", "t"), "t"), d, Randoms.seeded(1)));
        for (StateSpaceModel<?, ?> m : models) {
            for (int chunk : new int[] {1, 7, 1000}) {
                assertSameAsInMemory(m, file, chunk);
            }
        }
    }

    @Test
    void theHmmLogLikelihoodIsTheForwardRecursion() throws IOException {
        Path file = data();
        Collected c = streamed(ModelSpecs.parse(HMM, "hmm"), file, 13);
        // the scaled forward recursion: predicted belief, weight by the Gaussian density, normalise, propagate
        double[] mean = {0, 3};
        double[] variance = {1, 2};
        double[][] a = {{0.9, 0.1}, {0.3, 0.7}};
        Dataset d = Datasets.read(file);
        double total = 0;
        for (int i = 0; i < 2; i++) {
            Sequence s = d.sequence(i);
            double[] p = {0.6, 0.4};
            double ll = 0;
            for (int t = 0; t < s.length(); t++) {
                double[] w = new double[2];
                double c0 = 0;
                for (int k = 0; k < 2; k++) {
                    double y = s.scalar(t);
                    double density = Double.isNaN(y) ? 1
                            : Math.exp(-(y - mean[k]) * (y - mean[k]) / (2 * variance[k])) / Math.sqrt(2 * Math.PI * variance[k]);
                    w[k] = p[k] * density;
                    c0 += w[k];
                }
                ll += Math.log(c0);
                p = new double[] {(w[0] * a[0][0] + w[1] * a[1][0]) / c0, (w[0] * a[0][1] + w[1] * a[1][1]) / c0};
            }
            assertThat(c.logLikelihoods().get(i)).isCloseTo(ll, org.assertj.core.data.Offset.offset(1e-9 * Math.abs(ll)));
            total += ll;
        }
        assertThat(c.totals().logLikelihood()).isCloseTo(total, org.assertj.core.data.Offset.offset(1e-9 * Math.abs(total)));
    }
}
