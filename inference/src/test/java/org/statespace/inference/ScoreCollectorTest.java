package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import org.statespace.Sampling;
import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.data.Support;
import org.statespace.distribution.Scores;
import org.statespace.numeric.Randoms;
import org.statespace.numeric.SpecialFunctions;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * The collector's sums against the same scores computed here from a stored run's predictive means and
 * variances (a local-level model predicts a normal, so its CRPS, PIT, coverage and discretised log score
 * follow from them by the textbook formulas), and against the filter's own log masses and symbol
 * probabilities.
 */
class ScoreCollectorTest {
    private static final StateSpaceModel<?, ?> LEVEL = ModelSpecs.parse(
            "{\"type\": \"local-level\", \"observationVariance\": 2, \"levelVariance\": 0.5}", "level");
    private static final StateSpaceModel<?, ?> POISSON_HMM = ModelSpecs.parse("{\"type\": \"hmm\", \"initial\": [0.5, 0.5],"
            + " \"transition\": [[0.9, 0.1], [0.2, 0.8]], \"emission\": {\"type\": \"poisson\", \"rates\": [[2], [9]]}}",
            "poisson hmm");
    // Φ⁻¹(0.75), Φ⁻¹(0.9), Φ⁻¹(0.975)
    private static final double[] Z = {0.6744897501960817, 1.2815515655446004, 1.959963984540054};

    private static double normalCrps(double mean, double sd, double y) {
        double z = (y - mean) / sd;
        return sd * (z * (2 * SpecialFunctions.normalCdf(z) - 1) + 2 * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)
                - 1 / Math.sqrt(Math.PI));
    }

    private static Dataset counts(int sequences, int length) {
        List<Sequence> list = new ArrayList<>();
        for (int i = 0; i < sequences; i++) {
            list.add(Sampling.sample(POISSON_HMM, "c" + i, length, null, Randoms.stream(41, i)));
        }
        return Dataset.of(list);
    }

    @Test
    void realDataScoresMatchTheNormalFormulas() {
        Dataset data = Dataset.of(List.of(
                Sequence.ofScalars("a", new double[] {1.2, 0.4, 2.5, 3.1, Double.NaN, 2.2, 4.0, 3.3}),
                Sequence.ofScalars("b", new double[] {-1, 0.5, 0.25, 1.75, 2})));
        int[] first = {3, 1};
        FilterResult run = FilterEngine.singleThreaded().run(LEVEL, data);
        ScoreCollector collector = Evaluation.properScores(FilterEngine.singleThreaded(), LEVEL, data, first,
                Scores.defaultCoverageLevels(), 5);
        ProperScores scores = collector.scores();

        int n = 0;
        double logScore = 0;
        double crps = 0;
        double squared = 0;
        double absolute = 0;
        int[] covered = new int[3];
        List<Double> pits = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            SequenceTrace trace = run.sequence(i);
            for (int t = first[i]; t < trace.length(); t++) {
                double y = data.sequence(i).value(t, 0);
                if (Double.isNaN(y)) {
                    continue;
                }
                double m = trace.mean(t, 0);
                double s = Math.sqrt(trace.variance(t, 0));
                n++;
                logScore += trace.logDensity(t);
                crps += normalCrps(m, s, y);
                squared += (y - m) * (y - m);
                absolute += Math.abs(y - m);
                pits.add(SpecialFunctions.normalCdf((y - m) / s));
                for (int l = 0; l < 3; l++) {
                    covered[l] += Math.abs(y - m) <= Z[l] * s ? 1 : 0;
                }
            }
        }
        assertThat(data.support()).isEqualTo(Support.REAL);
        assertThat(scores.logScore()).isEqualTo("log density");
        assertThat(scores.steps()).isEqualTo(n).isEqualTo(8);
        assertThat(scores.meanLogScore()).isCloseTo(logScore / n, within(1e-12));
        assertThat(scores.meanCrps()).isCloseTo(crps / n, within(1e-12));
        assertThat(scores.meanSquaredErrorOfMean()).isCloseTo(squared / n, within(1e-12));
        assertThat(scores.meanAbsoluteErrorOfMedian()).isCloseTo(absolute / n, within(1e-9));
        for (int l = 0; l < 3; l++) {
            assertThat(scores.coverage()[l]).isCloseTo(covered[l] / (double) n, within(1e-15));
        }
        // Kolmogorov-Smirnov distance written out: max over sorted u_(i) of (i+1)/n - u_(i) and u_(i) - i/n
        double[] u = pits.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double distance = 0;
        for (int i = 0; i < n; i++) {
            distance = Math.max(distance, Math.max((i + 1.0) / n - u[i], u[i] - (double) i / n));
        }
        assertThat(scores.pitDistance()).isCloseTo(distance, within(1e-14));
        assertThat(Arrays.stream(scores.pitHistogram()).sum()).isEqualTo(n);
        assertThat(scores.meanBrierScore()).isNaN();
        assertThat(collector.stepLogScores()).hasSize(n);
        assertThat(collector.stepLogScores(1)).hasSize(4);
    }

    @Test
    void onCountsADensityIsScoredByTheMassOfTheUnitInterval() {
        Dataset data = counts(3, 60);
        assertThat(data.support()).isEqualTo(Support.COUNTS);
        int[] first = {30, 30, 30};
        FilterResult run = FilterEngine.singleThreaded().run(LEVEL, data);
        ProperScores level = Evaluation.properScores(FilterEngine.singleThreaded(), LEVEL, data, first,
                Scores.defaultCoverageLevels(), 1).scores();
        FilterResult hmmRun = FilterEngine.singleThreaded().run(POISSON_HMM, data);
        ProperScores hmm = Evaluation.properScores(FilterEngine.singleThreaded(), POISSON_HMM, data, first,
                Scores.defaultCoverageLevels(), 1).scores();
        double discretised = 0;
        double density = 0;
        double mass = 0;
        int n = 0;
        for (int i = 0; i < data.size(); i++) {
            for (int t = first[i]; t < data.sequence(i).length(); t++) {
                double y = data.sequence(i).value(t, 0);
                double m = run.sequence(i).mean(t, 0);
                double s = Math.sqrt(run.sequence(i).variance(t, 0));
                discretised += Math.log(SpecialFunctions.normalCdf((y + 0.5 - m) / s)
                        - SpecialFunctions.normalCdf((y - 0.5 - m) / s));
                density += run.sequence(i).logDensity(t);
                mass += hmmRun.sequence(i).logDensity(t);
                n++;
            }
        }
        assertThat(level.logScore()).isEqualTo("discretised log score");
        assertThat(level.meanLogScore()).isCloseTo(discretised / n, within(1e-12)).isNotCloseTo(density / n, within(1e-6));
        // an integer-valued prediction keeps its log mass
        assertThat(hmm.meanLogScore()).isCloseTo(mass / n, within(1e-12));
        // the true model is the better forecaster on both proper scores
        assertThat(hmm.meanLogScore()).isGreaterThan(level.meanLogScore());
        assertThat(hmm.meanCrps()).isLessThan(level.meanCrps());
    }

    // the complaint built by hand: a Gaussian-mixture HMM with the true transitions whose every
    // state puts a narrow normal (variance 0.04) on each count 0..40 with the Poisson weights, so its
    // density at an integer is about the true mass times 1/√(2π·0.04) ≈ 1.995
    private static StateSpaceModel<?, ?> spikyMixtureHmm() {
        ObjectNode o = Json.object();
        o.put("type", "hmm");
        o.set("initial", Json.vector(new double[] {0.5, 0.5}));
        o.set("transition", Json.matrix(new double[][] {{0.9, 0.1}, {0.2, 0.8}}));
        ObjectNode e = o.putObject("emission");
        e.put("type", "gmm");
        e.put("covarianceType", "diagonal");
        int c = 41;
        double[][] weights = new double[2][c];
        double[] rates = {2, 9};
        ArrayNode means = e.putArray("means");
        ArrayNode covariances = e.putArray("covariances");
        for (int k = 0; k < 2; k++) {
            double sum = 0;
            for (int y = 0; y < c; y++) {
                weights[k][y] = Math.exp(-rates[k] + y * Math.log(rates[k]) - SpecialFunctions.logFactorial(y));
                sum += weights[k][y];
            }
            ArrayNode m = means.addArray();
            ArrayNode v = covariances.addArray();
            for (int y = 0; y < c; y++) {
                weights[k][y] /= sum;
                m.addArray().add(y);
                v.addArray().add(0.04);
            }
        }
        e.set("weights", Json.matrix(weights));
        return ModelSpecs.read(o, "spiky mixture hmm");
    }

    @Test
    void theTrueCountModelWinsOnceDensitiesAreDiscretised() {
        Dataset data = counts(4, 150);
        int[] first = {75, 75, 75, 75};
        StateSpaceModel<?, ?> spiky = spikyMixtureHmm();
        FilterEngine engine = FilterEngine.singleThreaded();
        Dataset asReal = data.withSupport(Support.REAL);
        double spikyDensity = Evaluation.properScores(engine, spiky, asReal, first, new double[] {0.5}, 1).scores()
                .meanLogScore();
        double trueDensity = Evaluation.properScores(engine, POISSON_HMM, asReal, first, new double[] {0.5}, 1).scores()
                .meanLogScore();
        // scored as densities the spiky mixture "wins" by about log 1.995 = 0.69 nats a step
        assertThat(spikyDensity - trueDensity).isCloseTo(Math.log(1 / Math.sqrt(2 * Math.PI * 0.04)), within(0.02));
        ScoreCollector spikyCounts = Evaluation.properScores(engine, spiky, data, first, new double[] {0.5}, 1);
        ScoreCollector trueCounts = Evaluation.properScores(engine, POISSON_HMM, data, first, new double[] {0.5}, 1);
        // on the counts' own footing the advantage is gone and the true model is ahead: the mixture's
        // normals spill 2Φ(-2.5) = 1.2% of each count's mass outside its unit interval
        assertThat(spikyCounts.scores().logScore()).isEqualTo("discretised log score");
        double difference = trueCounts.scores().meanLogScore() - spikyCounts.scores().meanLogScore();
        assertThat(difference).isPositive().isLessThan(0.05);
        // and the paired steps line up for a test between the two
        assertThat(trueCounts.stepLogScores()).hasSameSizeAs(spikyCounts.stepLogScores()).hasSize(4 * 75);
    }

    @Test
    void declaringRealSupportKeepsTheLogDensity() {
        Dataset data = counts(1, 40).withSupport(Support.REAL);
        FilterResult run = FilterEngine.singleThreaded().run(LEVEL, data);
        ScoreCollector collector = Evaluation.properScores(FilterEngine.singleThreaded(), LEVEL, data, new int[1],
                new double[] {0.9}, 1);
        ProperScores scores = collector.scores();
        assertThat(scores.logScore()).isEqualTo("log density");
        // the local level's exact diffuse start makes step 0 diffuse: it is left out, the other 39 steps kept
        assertThat(collector.diffuseSteps()).isEqualTo(1);
        assertThat(collector.diffuseStepsBySequence()[0]).containsExactly(0);
        double sum = 0;
        for (int t = 1; t < 40; t++) {
            sum += run.sequences().get(0).logDensity(t);
        }
        assertThat(scores.steps()).isEqualTo(39);
        assertThat(scores.meanLogScore()).isCloseTo(sum / 39, within(1e-12));
        assertThat(scores.coverageAt(0.9)).isEqualTo(scores.coverage()[0]);
        assertThat(scores.coverageAt(0.5)).isNaN();
    }

    @Test
    void symbolsAreScoredByBrierAndLogMass() {
        Dataset data = FilterEngineTest.sample(4, 50);
        int[] first = {10, 10, 10, 10};
        FilterResult run = FilterEngine.singleThreaded().run(FilterEngineTest.WEATHER, data);
        ProperScores scores = Evaluation.properScores(FilterEngine.singleThreaded(), FilterEngineTest.WEATHER, data,
                first, Scores.defaultCoverageLevels(), 1).scores();
        double brier = 0;
        double logMass = 0;
        int n = 0;
        for (int i = 0; i < data.size(); i++) {
            SequenceTrace trace = run.sequence(i);
            for (int t = first[i]; t < trace.length(); t++) {
                double[] p = trace.probabilities(t).orElseThrow();
                int y = data.sequence(i).symbol(t);
                for (int k = 0; k < p.length; k++) {
                    brier += (p[k] - (k == y ? 1 : 0)) * (p[k] - (k == y ? 1 : 0));
                }
                logMass += trace.logDensity(t);
                n++;
            }
        }
        assertThat(scores.logScore()).isEqualTo("log mass");
        assertThat(scores.meanBrierScore()).isCloseTo(brier / n, within(1e-12));
        assertThat(scores.meanLogScore()).isCloseTo(logMass / n, within(1e-12));
        assertThat(scores.meanCrps()).isNaN();
        assertThat(scores.pitDistance()).isNaN();
        assertThat(scores.coverage()).containsOnly(Double.NaN);
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        Dataset data = counts(9, 80);
        int[] first = new int[9];
        Arrays.fill(first, 20);
        ScoreCollector one = Evaluation.properScores(FilterEngine.of(FilterOptions.defaults().withThreads(1)),
                POISSON_HMM, data, first, Scores.defaultCoverageLevels(), 77);
        ScoreCollector three = Evaluation.properScores(FilterEngine.of(FilterOptions.defaults().withThreads(3)),
                POISSON_HMM, data, first, Scores.defaultCoverageLevels(), 77);
        assertThat(three.scores()).isEqualTo(one.scores());
        assertThat(three.pitValues()).containsExactly(one.pitValues());
        assertThat(three.stepCrps()).containsExactly(one.stepCrps());
    }
}
