package org.statespace.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.Recurrence;
import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.spec.ModelSpecs;

/**
 * The study's proper scores, per-dataset log score and significance marks, each checked against a computation
 * made here: brute-force integration of the predictive density, and a Diebold-Mariano statistic written out.
 */
class StudyScoresTest {

    // a 2-state Poisson HMM (rates 2 and 9) simulated here with java.util.Random: 4 sequences of 200 counts
    static Dataset poissonCounts() {
        Random random = new Random(7);
        double[][] transition = {{0.9, 0.1}, {0.2, 0.8}};
        double[] rates = {2, 9};
        List<Sequence> sequences = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            double[] y = new double[200];
            int state = random.nextDouble() < 0.5 ? 0 : 1;
            for (int t = 0; t < y.length; t++) {
                if (t > 0) {
                    state = random.nextDouble() < transition[state][0] ? 0 : 1;
                }
                // Knuth's product of uniforms
                double limit = Math.exp(-rates[state]);
                double p = random.nextDouble();
                int k = 0;
                while (p > limit) {
                    p *= random.nextDouble();
                    k++;
                }
                y[t] = k;
            }
            sequences.add(Sequence.ofScalars("s" + i, y));
        }
        return Dataset.of(sequences);
    }

    static final DatasetResolver RESOLVER = new DatasetResolver() {
        @Override
        public Dataset builtin(String name) {
            return switch (name) {
                case "counts" -> poissonCounts();
                case "reals" -> Dataset.of(List.of(Sequence.ofScalars("x",
                        new double[] {0.1, 0.5, 0.2, 0.9, 1.1, 0.3, 0.7, 0.4, 1.3, 0.8})));
                default -> throw new SpecException("", "builtin", "no " + name);
            };
        }

        @Override
        public java.util.Optional<StudySpec.Split> defaultSplit(String name) {
            return name.equals("reals") ? java.util.Optional.of(new StudySpec.Split(0.5, false))
                    : java.util.Optional.empty();
        }

        @Override
        public List<String> names() {
            return List.of("counts", "reals");
        }
    };

    private static final String TRUE_HMM = "{\"type\": \"hmm\", \"initial\": [0.5, 0.5], \"transition\": [[0.9, 0.1],"
            + " [0.2, 0.8]], \"emission\": {\"type\": \"poisson\", \"rates\": [[2], [9]]}}";

    // log ∫_{y-1/2}^{y+1/2} p(x) dx by Simpson's rule on 2000 panels of the density itself
    private static double bruteDiscretised(PredictiveDistribution p, double y) {
        int n = 2000;
        double h = 1.0 / n;
        double sum = 0;
        double[] x = new double[1];
        for (int i = 0; i <= n; i++) {
            x[0] = y - 0.5 + i * h;
            double w = i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2;
            sum += w * Math.exp(p.logDensity(x, 0));
        }
        return Math.log(sum * h / 3);
    }

    // the Diebold-Mariano p-value written out: Newey-West variance with Bartlett weights, lag floor(T^(1/3))
    private static double dieboldMarianoP(double[] d) {
        int n = d.length;
        double mean = 0;
        for (double v : d) {
            mean += v / n;
        }
        int lag = (int) Math.floor(Math.cbrt(n));
        double variance = 0;
        for (int k = 0; k <= lag; k++) {
            double g = 0;
            for (int t = k; t < n; t++) {
                g += (d[t] - mean) * (d[t - k] - mean);
            }
            g /= n;
            variance += (k == 0 ? 1 : 2 * (1 - k / (lag + 1.0))) * g;
        }
        double z = Math.abs(mean / Math.sqrt(variance / n));
        // 2(1 - Φ(z)) by integrating the normal density from 0 to z (Simpson)
        int m = 20000;
        double h = z / m;
        double s = 0;
        for (int i = 0; i <= m; i++) {
            double x = i * h;
            s += (i == 0 || i == m ? 1 : i % 2 == 1 ? 4 : 2) * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
        }
        return 2 * (0.5 - s * h / 3);
    }

    @Test
    void onCountsTheTruePoissonHmmBeatsGaussianHmmsByTheDiscretisedLogScore(@TempDir Path dir) {
        StudySpec spec = StudySpec.parse("""
                {"name": "counts", "datasets": [{"builtin": "counts"}], "seeds": [1, 2],
                 "models": [{"name": "true", "init": %s, "fit": false},
                            {"name": "gauss", "template": {"type": "hmm", "states": 2, "emission": "gaussian"},
                             "fit": {"maxIterations": 60}},
                            {"name": "gmm", "template": {"type": "hmm", "states": 2, "emission": "gmm", "components": 2},
                             "fit": {"maxIterations": 60}}]}""".formatted(TRUE_HMM), "study.json", dir);
        StudyResult r = Study.run(spec, RESOLVER, 2, null);
        assertThat(r.scoring("counts").logScore()).isEqualTo("discretised log score");
        assertThat(r.scoring("counts").support().jsonName()).isEqualTo("counts");
        assertThat(r.toMarkdown()).contains("discretised log score");
        assertThat(r.toConsole()).contains("discretised log score");
        assertThat(r.toCsv()).contains(",discretised log score,");
        assertThat(r.toJson().at("/scoring/datasets/counts/logScore").asText()).isEqualTo("discretised log score");
        Dataset data = poissonCounts();
        // held out: the last 30% of every sequence, steps 140..199
        for (StudyRow row : r.rows()) {
            assertThat(row.ok()).as(row.reason()).isTrue();
            StateSpaceModel<?, ?> model = ModelSpecs.read(row.fitted(), "fitted");
            boolean continuous = !row.model().equals("true");
            double sum = 0;
            int n = 0;
            for (Sequence s : data.sequences()) {
                List<Double> steps = new ArrayList<>();
                Recurrence.workspace(model).run(s, (t, state, predicted, logDensity) -> {
                    if (t >= 140) {
                        steps.add(continuous ? bruteDiscretised((PredictiveDistribution) predicted, s.value(t, 0))
                                : logDensity);
                    }
                });
                for (double v : steps) {
                    sum += v;
                    n++;
                }
            }
            assertThat(n).isEqualTo(240);
            assertThat(row.scores().meanLogScore()).as(row.model()).isCloseTo(sum / n, within(1e-6));
        }
        StudyResult.Summary truth = summary(r, "true");
        for (String other : List.of("gauss", "gmm")) {
            assertThat(truth.mean("meanLogScore")).isGreaterThan(summary(r, other).mean("meanLogScore"));
        }
        assertThat(r.winners()).containsEntry("counts", "true");
    }

    @Test
    void theBestIsMarkedOnlyWhenThePairedTestOnSeedAveragedDifferencesRejects(@TempDir Path dir) {
        StudySpec spec = StudySpec.parse("""
                {"name": "marks", "datasets": [{"builtin": "counts"}], "seeds": [1, 2], "significance": 0.05,
                 "models": [{"name": "true", "init": %s, "fit": false},
                            {"name": "near", "init": %s, "fit": false},
                            {"name": "poisson", "template": {"type": "hmm", "states": 2, "emission": "poisson"},
                             "fit": {"maxIterations": 40}},
                            {"name": "one", "template": {"type": "hmm", "states": 1, "emission": "poisson"},
                             "fit": {"maxIterations": 40}}]}""".formatted(TRUE_HMM,
                TRUE_HMM.replace("[[2], [9]]", "[[2.05], [9]]")), "study.json", dir);
        StudyResult r = Study.run(spec, RESOLVER, 2, null);
        StudyResult.Summary top = r.summary().stream().filter(s -> s.model().equals(r.winners().get("counts")))
                .findFirst().orElseThrow();
        boolean allSignificant = true;
        double largest = 0;
        for (StudyResult.Summary s : r.summary()) {
            if (s == top || s.model().equals(top.model())) {
                continue;
            }
            // the seed-averaged per-step differences, then the test by hand
            double[] d = new double[240];
            for (long seed : List.of(1L, 2L)) {
                double[] a = row(r, top.model(), seed).stepLogScores();
                double[] b = row(r, s.model(), seed).stepLogScores();
                for (int t = 0; t < d.length; t++) {
                    d[t] += (a[t] - b[t]) / 2;
                }
            }
            double p = dieboldMarianoP(d);
            assertThat(s.pValue()).as(s.model()).isCloseTo(p, within(1e-6));
            boolean significant = p < 0.05;
            allSignificant &= significant;
            largest = Math.max(largest, p);
            assertThat(s.mark()).as(s.model()).isEqualTo(significant ? "" : StudyResult.TIED);
        }
        // "near" differs from the truth by a rate of 2.05 for 2: no test of 240 steps tells them apart
        assertThat(allSignificant).isFalse();
        assertThat(top.mark()).isEqualTo(StudyResult.TIED);
        assertThat(top.pValue()).isCloseTo(largest, within(1e-6));
        assertThat(summary(r, "one").mark()).isEmpty();
        assertThat(r.toCsv()).contains(",tied,");
        assertThat(r.toJson().at("/summary/0/pValue").isNumber()).isTrue();
    }

    @Test
    void realDataSkipCountModelsOnceAndTheConsoleCutsNoWord(@TempDir Path dir) {
        StudySpec spec = StudySpec.parse("""
                {"name": "reals", "datasets": [{"builtin": "reals"}], "seeds": [1, 2, 3], "burn": 1,
                 "levels": [0.5, 0.975],
                 "models": [{"name": "level", "template": {"type": "local-level"}},
                            {"name": "a-poisson-model-with-a-long-name", "init": %s, "fit": false}]}"""
                .formatted(TRUE_HMM), "study.json", dir);
        StudyResult r = Study.run(spec, RESOLVER, 1, null);
        StudyRow skipped = row(r, "a-poisson-model-with-a-long-name", 1);
        assertThat(skipped.status()).isEqualTo(StudyRow.SKIPPED);
        assertThat(skipped.reason()).contains("real-valued").contains("counts or symbols");
        // the built-in's suggested split (half) applies as the study gives none; burn 1 leaves out step 5
        StudyRow level = row(r, "level", 1);
        assertThat(level.scores().steps()).isEqualTo(4);
        assertThat(r.scoring("reals").split().train()).isEqualTo(0.5);
        assertThat(level.scores().coverageLevels()).containsExactly(0.5, 0.975);
        String console = r.toConsole();
        // every word of the reason is there whole, and the skipped model is listed once, not once per seed
        for (String word : skipped.reason().split(" ")) {
            assertThat(console).contains(word);
        }
        assertThat(console.split("a-poisson-model-with-a-long-name", -1)).hasSize(2);
        assertThat(console).doesNotContain("~");
        assertThat(console).contains("cov97.5");
    }

    @Test
    void theDiffuseStepsOfALocalLevelStartAreLeftOutForEveryModel(@TempDir Path dir) {
        // 5 sequences of 30 values; holding out the last 2 whole sequences makes each one's first step diffuse
        Random random = new Random(3);
        List<Sequence> sequences = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            double[] y = new double[30];
            double level = 10 * random.nextGaussian();
            for (int t = 0; t < y.length; t++) {
                level += 0.3 * random.nextGaussian();
                y[t] = level + random.nextGaussian();
            }
            sequences.add(Sequence.ofScalars("s" + i, y));
        }
        Dataset data = Dataset.of(sequences);
        DatasetResolver resolver = new DatasetResolver() {
            @Override
            public Dataset builtin(String name) {
                return data;
            }

            @Override
            public List<String> names() {
                return List.of("levels");
            }
        };
        StudySpec spec = StudySpec.parse("""
                {"datasets": [{"builtin": "levels"}], "split": {"train": 0.6, "by": "sequence"}, "burn": 2,
                 "models": [{"name": "level", "template": {"type": "local-level"}},
                            {"name": "hmm", "template": {"type": "hmm", "states": 2, "emission": "gaussian"},
                             "fit": {"maxIterations": 20}}]}""", "study.json", dir);
        StudyResult r = Study.run(spec, resolver, 1, null);
        // 2 held-out sequences of 30 steps, less 2 burn-in steps each; the diffuse step 0 is inside the burn-in
        assertThat(row(r, "level", 1).scores().steps()).isEqualTo(56);
        assertThat(row(r, "hmm", 1).scores().steps()).isEqualTo(56);
        assertThat(r.scoring("levels").diffuseSteps()).isZero();
        StudySpec noBurn = StudySpec.parse("""
                {"datasets": [{"builtin": "levels"}], "split": {"train": 0.6, "by": "sequence"},
                 "models": [{"name": "level", "template": {"type": "local-level"}},
                            {"name": "hmm", "template": {"type": "hmm", "states": 2, "emission": "gaussian"},
                             "fit": {"maxIterations": 20}}]}""", "study.json", dir);
        StudyResult u = Study.run(noBurn, resolver, 1, null);
        // without burn-in the local level's diffuse first step of each held-out sequence goes, for both models
        assertThat(u.scoring("levels").diffuseSteps()).isEqualTo(2);
        assertThat(row(u, "level", 1).scores().steps()).isEqualTo(58);
        assertThat(row(u, "hmm", 1).scores().steps()).isEqualTo(58);
        assertThat(row(u, "hmm", 1).stepLogScores()).hasSize(58);
        assertThat(u.toConsole()).contains("2 diffuse steps left out");
    }

    @Test
    void aDatasetOnWhichEveryModelWasSkippedStillPrints(@TempDir Path dir) {
        StudySpec spec = StudySpec.parse("""
                {"datasets": [{"builtin": "reals"}], "models": [{"name": "p", "init": %s, "fit": false}]}"""
                .formatted(TRUE_HMM), "study.json", dir);
        StudyResult r = Study.run(spec, RESOLVER, 1, null);
        assertThat(r.toConsole()).contains("p skipped: the data are real-valued").doesNotContain("log score  ");
        assertThat(r.toMarkdown()).contains("skipped");
    }

    @Test
    void symbolsAreScoredByLogMassAndBrierAndTheirJsonLeavesOutWhatDoesNotApply(@TempDir Path dir) {
        Dataset weather = org.statespace.inference.FilterEngineTest.sample(6, 200);
        DatasetResolver resolver = new DatasetResolver() {
            @Override
            public Dataset builtin(String name) {
                return weather;
            }

            @Override
            public List<String> names() {
                return List.of("weather");
            }
        };
        StudySpec spec = StudySpec.parse("""
                {"datasets": [{"builtin": "weather"}], "models": [{"name": "chain", "template": {"type": "markov-chain"},
                 "fit": {"pseudoCount": 1}}]}""", "study.json", dir);
        StudyResult r = Study.run(spec, resolver, 1, null);
        StudyRow row = r.rows().get(0);
        assertThat(r.scoring("weather").logScore()).isEqualTo("log mass");
        // the log mass is the filter's own log-likelihood on the held-out steps (steps 140..199 of 6 sequences)
        assertThat(row.scores().meanLogScore()).isCloseTo(row.metrics().meanLogLikelihood(), within(1e-12));
        var json = row.toJson().get("scores");
        assertThat(json.has("meanCrps")).isFalse();
        assertThat(json.get("meanBrierScore").isNumber()).isTrue();
        assertThat(r.toJson().at("/summary/0/mean/brier").isNumber()).isTrue();
        // a single model is the best on its own, with no test to make
        assertThat(r.summary().get(0).mark()).isEqualTo(StudyResult.BEST);
        assertThat(r.summary().get(0).pValue()).isNaN();
    }

    @Test
    void aStudyWideSplitWinsOverTheSuggestedOneAndAnEntrysOwnOverBoth(@TempDir Path dir) {
        StudySpec spec = StudySpec.parse("""
                {"datasets": [{"name": "a", "builtin": "reals"}, {"name": "b", "builtin": "reals", "split": {"train": 0.6}}],
                 "split": {"train": 0.8}, "models": [{"template": {"type": "local-level"}}]}""", "study.json", dir);
        assertThat(spec.splitFor(spec.datasets().get(0), RESOLVER).train()).isEqualTo(0.8);
        assertThat(spec.splitFor(spec.datasets().get(1), RESOLVER).train()).isEqualTo(0.6);
        StudySpec none = StudySpec.parse("""
                {"datasets": [{"name": "a", "builtin": "reals"}, {"name": "c", "builtin": "counts"}],
                 "models": [{"template": {"type": "local-level"}}]}""", "study.json", dir);
        assertThat(none.splitFor(none.datasets().get(0), RESOLVER).train()).isEqualTo(0.5);
        assertThat(none.splitFor(none.datasets().get(1), RESOLVER).train()).isEqualTo(0.7);
    }

    private static StudyResult.Summary summary(StudyResult r, String model) {
        return r.summary().stream().filter(s -> s.model().equals(model)).findFirst().orElseThrow();
    }

    private static StudyRow row(StudyResult r, String model, long seed) {
        return r.rows().stream().filter(x -> x.model().equals(model) && x.seed() == seed).findFirst().orElseThrow();
    }
}
