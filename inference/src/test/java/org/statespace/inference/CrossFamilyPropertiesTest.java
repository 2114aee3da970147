package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;

import org.statespace.Recurrence;
import org.statespace.StateSpaceModel;
import org.statespace.capability.FitSettings;
import org.statespace.capability.StateEstimates;
import org.statespace.capability.StateFiltering;
import org.statespace.capability.StateSmoothing;
import org.statespace.capability.Track;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.distribution.Categorical;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.inference.RandomModels.Kind;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * Properties of every family on random valid models ({@link RandomModels}): specs round-trip, every
 * predictive distribution is normalised, the engine's results do not depend on its thread count,
 * linear-Gaussian covariances stay symmetric positive semidefinite at every step, and EM through the
 * trainer never lowers the likelihood (HMM and linear-Gaussian).
 */
class CrossFamilyPropertiesTest {

    @Property(tries = 60)
    void specsRoundTrip(@ForAll Kind kind, @ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        StateSpaceModel<?, ?> model = RandomModels.model(kind, seed);
        String written = ModelSpecs.write(model);
        StateSpaceModel<?, ?> back = ModelSpecs.parse(written, "round trip");
        assertThat(back).as("read(write(m)) of %s #%d", kind, seed).isEqualTo(model);
        assertThat(back.hashCode()).isEqualTo(model.hashCode());
        assertThat(ModelSpecs.write(back)).isEqualTo(written);
        assertThat(Json.parse(written, "again")).isEqualTo(model.toSpec());
    }

    @Property(tries = 40)
    void predictiveDistributionsAreNormalised(@ForAll Kind kind, @ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        StateSpaceModel<?, ?> model = RandomModels.model(kind, seed);
        Sequence s = RandomModels.sample(model, 1, seed).sequence(0);
        Recurrence.workspace(model).run(s, (t, state, predicted, logDensity) -> {
            assertThat(logDensity).as("%s #%d, step %d", kind, seed, t).isFinite();
            checkNormalised(predicted, kind + " #" + seed + ", step " + t);
        });
    }

    /** Categorical: probabilities in [0, 1] summing to 1; real: every marginal integrates (or sums) to 1. */
    static void checkNormalised(PredictiveDistribution p, String where) {
        if (p instanceof Categorical c) {
            double sum = 0;
            for (int k = 0; k < c.size(); k++) {
                assertThat(c.probability(k)).as(where).isBetween(0.0, 1.0);
                sum += c.probability(k);
            }
            assertThat(sum).as(where).isCloseTo(1.0, within(1e-12));
            return;
        }
        int d = p.dimension();
        double[] y = new double[d];
        for (int j = 0; j < d; j++) {
            Arrays.fill(y, Double.NaN);
            double mean = p.mean(j);
            double sd = Math.sqrt(p.variance(j));
            assertThat(sd).as(where).isPositive().isFinite();
            y[j] = 0.5;
            boolean counts = p.logDensity(y, 0) == Double.NEGATIVE_INFINITY;
            double total;
            if (counts) {
                total = 0;
                for (int k = 0; k < mean + 40 * sd + 50; k++) {
                    y[j] = k;
                    total += Math.exp(p.logDensity(y, 0));
                }
                assertThat(total).as("%s: component %d sums to", where, j).isCloseTo(1.0, within(1e-8));
            } else {
                int n = 4000;
                double a = mean - 14 * sd;
                double b = mean + 14 * sd;
                double h = (b - a) / n;
                total = 0;
                for (int i = 0; i <= n; i++) {
                    y[j] = a + i * h;
                    double w = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2);
                    total += w * Math.exp(p.logDensity(y, 0));
                }
                assertThat(total * h / 3).as("%s: component %d integrates to", where, j).isCloseTo(1.0, within(1e-5));
            }
        }
    }

    @Property(tries = 30)
    void engineResultsDoNotDependOnTheThreadCount(@ForAll Kind kind,
            @ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        StateSpaceModel<?, ?> model = RandomModels.model(kind, seed);
        Dataset data = RandomModels.sample(model, 7, seed + 1);
        FilterResult one = FilterEngine.of(new FilterOptions(1, true)).run(model, data);
        FilterResult two = FilterEngine.of(new FilterOptions(2, true)).run(model, data);
        assertThat(two.logLikelihood()).isEqualTo(one.logLikelihood());
        for (int i = 0; i < data.size(); i++) {
            SequenceTrace a = one.sequence(i);
            SequenceTrace b = two.sequence(i);
            assertThat(b.id()).isEqualTo(a.id());
            assertThat(b.logDensities()).isEqualTo(a.logDensities());
            for (int t = 0; t < a.length(); t++) {
                for (int j = 0; j < a.dimension(); j++) {
                    assertThat(b.mean(t, j)).isEqualTo(a.mean(t, j));
                    assertThat(b.variance(t, j)).isEqualTo(a.variance(t, j));
                }
            }
        }
        StreamSummary streamed = FilterEngine.of(new FilterOptions(2, false)).stream(model, data, null);
        assertThat(streamed.logLikelihood()).isEqualTo(one.logLikelihood());
    }

    @Property(tries = 40)
    void linearGaussianCovariancesStaySymmetricPositiveSemidefinite(
            @ForAll("linearGaussian") Kind kind, @ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        StateSpaceModel<?, ?> model = RandomModels.model(kind, seed);
        Sequence s = RandomModels.sample(model, 1, seed).sequence(0);
        double[] values = s.observations();
        for (int i = 0; i < values.length; i += 3) {
            values[i] = Double.NaN; // gaps: some steps skip the update, some update part of the vector
        }
        Sequence gappy = Sequence.of(s.id(), s.dimension(), values);
        StateEstimates filtered = ((StateFiltering) model).filterStates(gappy);
        StateEstimates smoothed = ((StateSmoothing) model).smoothStates(gappy);
        int checked = 0;
        for (StateEstimates e : new StateEstimates[] {filtered, smoothed}) {
            for (Track track : e.tracks()) {
                if (track.name().endsWith("Covariances") && !track.name().contains("Diffuse") && !track.name().contains("LagOne")) {
                    checkSymmetricPsd(track, kind + " #" + seed);
                    checked++;
                }
            }
        }
        assertThat(checked).as("covariance tracks checked").isGreaterThanOrEqualTo(4);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Kind> linearGaussian() {
        return net.jqwik.api.Arbitraries.of(Kind.LGSSM, Kind.LOCAL_LEVEL, Kind.LOCAL_LINEAR_TREND);
    }

    private static void checkSymmetricPsd(Track track, String where) {
        int n = track.shape()[0];
        for (int t = 0; t < track.length(); t++) {
            double[][] c = new double[n][n];
            double scale = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    c[i][j] = track.value(t, i * n + j);
                    scale = Math.max(scale, Math.abs(c[i][j]));
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    assertThat(c[i][j]).as("%s %s[%d] symmetric", where, track.name(), t)
                            .isCloseTo(c[j][i], within(1e-12 * Math.max(1, scale)));
                }
            }
            double[] eigen = new EigenDecomposition(MatrixUtils.createRealMatrix(c)).getRealEigenvalues();
            for (double v : eigen) {
                assertThat(v).as("%s %s[%d] eigenvalue", where, track.name(), t).isGreaterThanOrEqualTo(-1e-10 * Math.max(1, scale));
            }
        }
    }

    @Property(tries = 25)
    void emThroughTheTrainerNeverLowersTheLikelihood(@ForAll("withEm") Kind kind,
            @ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        StateSpaceModel<?, ?> truth = RandomModels.sameShape(kind, seed, seed + 1);
        StateSpaceModel<?, ?> start = RandomModels.sameShape(kind, seed, seed + 2);
        Dataset data = RandomModels.sample(truth, 4, seed + 3);
        FitSettings settings = FitConfiguration.defaults(start).settings();
        TrainOptions options = TrainOptions.defaults().withMethod(TrainOptions.Method.EM).withMaxIterations(15)
                .withTolerance(0).withThreads(1);
        FitResult fit = Trainer.fit(start, data, null, options, settings, TrainingListener.NONE);
        double[] trace = fit.logLikelihoodTrace();
        assertThat(trace.length).isGreaterThanOrEqualTo(2);
        for (int i = 1; i < trace.length; i++) {
            assertThat(trace[i]).as("%s #%d: iteration %d of %s", kind, seed, i, Arrays.toString(trace))
                    .isGreaterThanOrEqualTo(trace[i - 1] - 1e-9 * Math.abs(trace[i - 1]));
        }
        assertThat(Recurrence.logLikelihood(fit.model(), data.sequence(0))).isFinite();
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Kind> withEm() {
        return net.jqwik.api.Arbitraries.of(Arrays.stream(Kind.values()).filter(Kind::em).toArray(Kind[]::new));
    }
}
