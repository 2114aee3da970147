package org.statespace.plots;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import org.statespace.StateSpaceModel;

import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.inference.FilterEngine;
import org.statespace.inference.SequenceTrace;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.study.ShownPredictions;
import org.statespace.study.ShownStates;
import org.statespace.study.StudySpec;

/**
 * The model-run charts of a study for models with the capabilities of each family: one prediction figure
 * per dataset with a panel of predictive bands per model; smoothed state probabilities with the Viterbi and
 * true paths for an HMM; and the calibration charts from the study's own scores.
 */
class StudyFiguresTest {
    @TempDir
    Path tmp;

    /** A regime-switching series of 2 x 400 steps with its true regimes as hidden states, one value missing. */
    static Dataset regimes() {
        Random r = new Random(5);
        List<Sequence> seqs = new java.util.ArrayList<>();
        for (int s = 0; s < 2; s++) {
            double[] y = new double[400];
            double[] states = new double[400];
            int k = 0;
            for (int t = 0; t < y.length; t++) {
                if (r.nextDouble() < 0.03) {
                    k = 1 - k;
                }
                states[t] = k;
                y[t] = t == 50 ? Double.NaN : (k == 0 ? -1 : 1) + 0.7 * r.nextGaussian();
            }
            seqs.add(Sequence.ofScalars("r" + s, y).withStates(1, states));
        }
        return Dataset.of(seqs);
    }

    private List<Figure> draw(StudySpec.Split split, StudyFigures.FittedModel... models) throws Exception {
        StudyFigures.Drawn drawn = StudyFigures.modelRuns("regimes", regimes(), split, List.of(models));
        assertThat(drawn.notes()).isEmpty();
        List<Path> files = PlotFiles.writeAll(drawn.figures(), ImageChecks.outputDir(tmp).resolve("study"));
        for (int i = 0; i < files.size(); i += 2) {
            Drawing d = drawn.figures().get(i / 2).drawing();
            ImageChecks.checkPng(files.get(i), d.width(), d.height());
            ImageChecks.checkSvg(files.get(i + 1));
        }
        return drawn.figures();
    }

    /**
     * A model with the one-step predictions and hidden states a study keeps of it (made as
     * {@link org.statespace.study.Study} makes them, over the shown sequence of {@code data}'s evaluation part).
     */
    static StudyFigures.FittedModel kept(String name, long seed, StateSpaceModel<?, ?> model, Dataset evaluation) {
        Sequence shown = evaluation.sequence(org.statespace.study.StudyResult.shownSequence(evaluation));
        return new StudyFigures.FittedModel(name, seed, model, java.util.Optional.of(predictions(model, shown)),
                ShownStates.of(model, shown, org.statespace.study.StudyResult.SHOWN_STEPS, Json.object()));
    }

    /** The one-step predictions a study keeps of a model's filter run over {@code shown}. */
    static ShownPredictions predictions(StateSpaceModel<?, ?> model, Sequence shown) {
        return ShownPredictions.of(FilterEngine.singleThreaded().run(model, shown), model.symbolNames(),
                org.statespace.study.StudyResult.SHOWN_STEPS, Json.object());
    }

    private static List<String> names(List<Figure> figures) {
        return figures.stream().map(Figure::name).toList();
    }

    @Test
    void thePredictionFigureDrawsTheRunTheStudyKept() throws Exception {
        Dataset data = regimes();
        Sequence shown = data.sequence(org.statespace.study.StudyResult.shownSequence(data));
        // the study's run of a model with a small level variance, handed over with a model that predicts otherwise:
        // the figure must draw the kept run, not a run of the model
        SequenceTrace kept = FilterEngine.singleThreaded().run(new TestModels.LocalLevel(0.05, 0.5), shown);
        List<Figure> f = draw(StudySpec.Split.defaults(), new StudyFigures.FittedModel("local-level", 1,
                new TestModels.LocalLevel(0.5, 0.5), java.util.Optional.of(predictions(new TestModels.LocalLevel(0.05,
                        0.5), shown)), java.util.Optional.empty()));
        XYChart panel = ((MetricChart.Panels) f.get(0).drawing()).panels().get(0);
        double[] mean = panel.getSeriesMap().get("predictive mean").getYData();
        double[] time = panel.getSeriesMap().get("predictive mean").getXData();
        int from = StudyFigures.drawnFrom(shown.length(), Dataset.trainingSteps(shown.length(), 0.7));
        assertThat(mean).hasSize(shown.length() - from);
        for (int i = 0; i < mean.length; i++) {
            assertThat(time[i]).isEqualTo(from + i);
            assertThat(mean[i]).isEqualTo(kept.mean(from + i, 0));
        }
        SequenceTrace other = FilterEngine.singleThreaded().run(new TestModels.LocalLevel(0.5, 0.5), shown);
        assertThat(mean[mean.length - 1]).isNotEqualTo(other.mean(shown.length() - 1, 0));
    }

    @Test
    void linearGaussianGivesOnePredictionFigureWithAPanelPerModelOnOneAxis() throws Exception {
        List<Figure> f = draw(StudySpec.Split.defaults(),
                kept("local-level", 1, new TestModels.LocalLevel(0.05, 0.5), regimes()),
                kept("noisier", 1, new TestModels.LocalLevel(0.5, 0.5), regimes()));
        // no state bands: the report draws what it compares models by
        assertThat(names(f)).containsExactly("predictive-regimes");
        MetricChart.Panels panels = (MetricChart.Panels) f.get(0).drawing();
        assertThat(panels.panels()).extracting(XYChart::getTitle).containsExactly("local-level", "noisier");
        assertThat(panels.panels().get(0).getStyler().getYAxisMax())
                .isEqualTo(panels.panels().get(1).getStyler().getYAxisMax());
        // the held-out part (the last 30%: 120 steps) and as many training steps before it
        assertThat(f.get(0).caption()).contains("steps 160-399 of 400");
    }

    @Test
    void theDrawnWindowIsTheHeldOutPartWithItsContext() {
        assertThat(StudyFigures.drawnFrom(400, 280)).isEqualTo(160); // 120 held out: 240 steps
        assertThat(StudyFigures.drawnFrom(100, 70)).isZero(); // at least 100 steps
        assertThat(StudyFigures.drawnFrom(309, 247)).isEqualTo(309 - 124);
        assertThat(StudyFigures.drawnFrom(1000, 200)).isEqualTo(700); // at most 300
        assertThat(StudyFigures.drawnFrom(1000, -1)).isEqualTo(700); // a held-out sequence: its last 300
    }

    @Test
    void calibrationChartsComeFromTheStudysScoresSummedOverSeeds() {
        StudyView view = StudyView.fromJson(Json.parse("""
                {"study": "s", "provenance": {"seeds": [1, 2]}, "spec": {},
                 "rows": [
                  {"model": "m", "dataset": "d", "seed": 1, "status": "ok", "type": "hmm",
                   "scores": {"pitHistogram": [1, 0, 3, 0], "coverage": {"0.5": 0.25, "0.9": 0.75}}},
                  {"model": "m", "dataset": "d", "seed": 2, "status": "ok", "type": "hmm",
                   "scores": {"pitHistogram": [1, 2, 1, 0], "coverage": {"0.5": 0.75, "0.9": 1.0}}},
                  {"model": "other", "dataset": "e", "seed": 1, "status": "ok", "type": "hmm",
                   "scores": {"pitHistogram": [9, 9, 9, 9]}}],
                 "summary": [{"dataset": "d", "model": "m", "status": "ok", "seeds": 2}]}
                """, "results.json"), "results.json");
        List<Figure> f = StudyFigures.calibration(view, "d", Charts.modelColours(List.of("m")));
        assertThat(names(f)).containsExactly("pit-d", "coverage-d");
        XYChart pit = ((MetricChart.Panels) f.get(0).drawing()).panels().get(0);
        // counts 2, 2, 4, 0 of 8 in 4 bins: densities 1, 1, 2, 0
        assertThat(pit.getSeriesMap().get("bin 2").getYData()).contains(2.0);
        assertThat(pit.getSeriesMap().get("bin 0").getYData()).contains(1.0);
        XYChart coverage = (XYChart) ((Drawing.ChartDrawing) f.get(1).drawing()).chart();
        assertThat(coverage.getSeriesMap().get("m").getXData()).containsExactly(0.5, 0.9);
        assertThat(coverage.getSeriesMap().get("m").getYData()).containsExactly(0.5, 0.875);
        assertThat(StudyFigures.calibration(view, "nothing", Charts.modelColours(List.of("m")))).isEmpty();
    }

    @Test
    void hmmGivesPosteriorWithViterbiAndTruePathsAndOnlyTheFirstSeedIsDrawn() throws Exception {
        List<Figure> f = draw(StudySpec.Split.defaults(),
                kept("hmm-2", 1, new TestModels.TwoRegimes(), regimes()),
                kept("hmm-2", 2, new TestModels.TwoRegimes(), regimes()));
        assertThat(names(f)).containsExactly("predictive-regimes", "posterior-regimes-hmm-2");
        assertThat(f.get(1).caption()).contains("Viterbi path and true path");
        // the legend names the states as the model does, never "state 0"
        XYChart posterior = (XYChart) ((Drawing.ChartDrawing) f.get(1).drawing()).chart();
        assertThat(posterior.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend).map(XYSeries::getName))
                .containsExactly("low", "high");
    }

    @Test
    void thePosteriorChartDrawsTheStatesTheStudyKeptAndRunsNothing() {
        Dataset data = regimes();
        // states kept from a sharp model, handed over with a vague one: the chart must draw the kept values
        StateSpaceModel<?, ?> sharp = ModelSpecs.parse("""
                {"type": "hmm", "states": ["calm", "storm"], "initial": [0.5, 0.5], "transition": [[0.97, 0.03], [0.03, 0.97]],
                 "emission": {"type": "gaussian", "covarianceType": "spherical", "means": [[-1], [1]], "covariances": [0.5, 0.5]}}
                """, "sharp.json");
        StateSpaceModel<?, ?> vague = ModelSpecs.parse("""
                {"type": "hmm", "states": ["calm", "storm"], "initial": [0.5, 0.5], "transition": [[0.5, 0.5], [0.5, 0.5]],
                 "emission": {"type": "gaussian", "covarianceType": "spherical", "means": [[-0.1], [0.1]], "covariances": [9, 9]}}
                """, "vague.json");
        ShownStates states = kept("m", 1, sharp, data).states().orElseThrow();
        StudyFigures.Drawn drawn = StudyFigures.modelRuns("regimes", data, StudySpec.Split.defaults(),
                List.of(new StudyFigures.FittedModel("m", 1, vague, kept("m", 1, sharp, data).predictions(),
                        java.util.Optional.of(states))));
        assertThat(drawn.notes()).isEmpty();
        XYChart posterior = (XYChart) ((Drawing.ChartDrawing) drawn.figures().get(1).drawing()).chart();
        // the stacked band's top edge of state 0 is p(calm) at each step: the kept values, from step 100 on
        int n = data.sequence(0).length();
        int from = StudyFigures.drawnFrom(n, org.statespace.data.Dataset.trainingSteps(n, StudySpec.Split.defaults().train()));
        double[] keptCalm = new double[n - from];
        double[] p = states.probabilities().values();
        for (int t = from; t < n; t++) {
            keptCalm[t - from] = p[(t - states.firstStep()) * 2];
        }
        double[] vagueCalm = ((org.statespace.capability.StateSmoothing) vague).smoothStates(data.sequence(0)).tracks()
                .get(0).values();
        assertThat(Math.abs(keptCalm[10] - vagueCalm[2 * (from + 10)])).isGreaterThan(0.05); // the two differ
        XYSeries calm = posterior.getSeriesMap().get("calm");
        assertThat(calm.getXData()[0]).isEqualTo(from);
        double[] drawnTop = calm.getYData(); // the band of state 0: its upper edge at 2i, 2i + 1 is p(calm) of step from + i
        for (int i = 0; i < keptCalm.length; i++) {
            assertThat(drawnTop[2 * i]).as("step %d", from + i).isEqualTo(Math.min(1, keptCalm[i]));
        }
    }

    @Test
    void anHmmWhoseResultsKeptNoStatesGetsANoteAndNoSmootherRun() {
        // a results.json written before the study kept them: the chart is missing, and the note says why
        StateSpaceModel<?, ?> model = new TestModels.TwoRegimes();
        Sequence shown = regimes().sequence(0);
        StudyFigures.Drawn drawn = StudyFigures.modelRuns("regimes", regimes(), StudySpec.Split.defaults(),
                List.of(new StudyFigures.FittedModel("hmm-2", 1, model, java.util.Optional.of(predictions(model, shown)),
                        java.util.Optional.empty())));
        assertThat(names(drawn.figures())).containsExactly("predictive-regimes");
        assertThat(drawn.notes()).singleElement().asString().contains("regimes: hmm-2, hidden states: not drawn")
                .contains("no smoothed states").contains("run the study again");
        // kept for another sequence (the data changed): a note, not a wrong chart
        Dataset other = Dataset.of(List.of(regimes().sequence(0).slice("r0", 0, 300)));
        StudyFigures.Drawn stale = StudyFigures.modelRuns("regimes", regimes(), StudySpec.Split.defaults(),
                List.of(kept("hmm-2", 1, new TestModels.TwoRegimes(), other)));
        assertThat(stale.notes()).hasSize(2).allSatisfy(note -> assertThat(note).contains("300 steps")
                .contains("400 steps").contains("the dataset changed"));
        assertThat(stale.notes().get(0)).contains("hmm-2, predictions: not drawn");
        assertThat(stale.notes().get(1)).contains("hmm-2, hidden states: not drawn");
    }

    @Test
    void aModelWhoseResultsKeptNoPredictionsGetsANoteAndNoFilterRun() {
        // a results.json written before the study kept them: no prediction panel for that model, and a note saying
        // why; another model of the dataset that has them is still drawn
        StudyFigures.Drawn drawn = StudyFigures.modelRuns("regimes", regimes(), StudySpec.Split.defaults(),
                List.of(new StudyFigures.FittedModel("old", 1, new TestModels.LocalLevel(0.05, 0.5)),
                        kept("new", 1, new TestModels.LocalLevel(0.5, 0.5), regimes())));
        assertThat(names(drawn.figures())).containsExactly("predictive-regimes");
        assertThat(((MetricChart.Panels) drawn.figures().get(0).drawing()).panels()).extracting(XYChart::getTitle)
                .containsExactly("new");
        assertThat(drawn.notes()).singleElement().asString().contains("regimes: old, predictions: not drawn")
                .contains("no one-step predictions").contains("shownPredictions").contains("run the study again");
    }

    @Test
    void anHmmOfTheFamilyIsDrawnWithTheStateAndSymbolNamesOfItsSpec() {
        StateSpaceModel<?, ?> named = ModelSpecs.parse("""
                {"type": "hmm", "states": ["calm", "storm"], "initial": [0.5, 0.5], "transition": [[0.9, 0.1], [0.2, 0.8]],
                 "emission": {"type": "gaussian", "covarianceType": "spherical", "means": [[-1], [1]], "covariances": [0.5, 0.5]}}
                """, "calm-storm.json");
        List<Figure> f = StudyFigures.modelRuns("regimes", regimes(), StudySpec.Split.defaults(),
                List.of(kept("hmm", 1, named, regimes()))).figures();
        XYChart posterior = (XYChart) ((Drawing.ChartDrawing) f.get(1).drawing()).chart();
        assertThat(posterior.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend).map(XYSeries::getName))
                .containsExactly("calm", "storm");
        assertThat(posterior.getSeriesMap()).containsKeys("Viterbi path: calm", "Viterbi path: storm");

        // symbols: a chain whose states (its symbols) are named, on data whose symbols are those names
        StateSpaceModel<?, ?> chain = ModelSpecs.parse("""
                {"type": "markov-chain", "states": ["sunny", "rainy"], "initial": [0.5, 0.5],
                 "transition": [[0.8, 0.2], [0.4, 0.6]]}
                """, "weather.json");
        Dataset days = Dataset.ofSymbols(List.of(Sequence.ofSymbols("d", new int[] {0, 0, 1, 1, 0, 1, 0, 0})),
                List.of("sunny", "rainy"));
        List<Figure> g = StudyFigures.modelRuns("days", days, StudySpec.Split.defaults(),
                List.of(kept("chain", 1, chain, days))).figures();
        MetricChart.Panels predictive = (MetricChart.Panels) g.get(0).drawing();
        assertThat(predictive.legend()).containsOnlyKeys("sunny", "rainy");
        assertThat(predictive.panels().get(0).getSeriesMap().values().stream().filter(XYSeries::isShowInLegend)
                .map(XYSeries::getName)).containsExactly("sunny", "rainy");
    }

    @Test
    void theDrawnSequenceIsTheFirstThatKnowsItsTruePath() throws Exception {
        // like the casino: the first sequence (the book's rolls) has no true states, the sampled ones do
        List<Sequence> seqs = new java.util.ArrayList<>(regimes().sequences());
        Sequence first = seqs.get(0);
        double[] y = new double[first.length()];
        for (int t = 0; t < y.length; t++) {
            y[t] = first.value(t, 0);
        }
        seqs.set(0, Sequence.ofScalars("book", y));
        StudyFigures.Drawn drawn = StudyFigures.modelRuns("regimes", Dataset.of(seqs), StudySpec.Split.defaults(),
                List.of(kept("hmm-2", 1, new TestModels.TwoRegimes(), Dataset.of(seqs))));
        assertThat(drawn.figures().get(1).caption()).contains("sequence r1").contains("Viterbi path and true path");
        // with no sequence that knows its states, the first is drawn, with the Viterbi path alone
        StudyFigures.Drawn plain = StudyFigures.modelRuns("regimes", Dataset.of(List.of(seqs.get(0))),
                StudySpec.Split.defaults(), List.of(kept("hmm-2", 1, new TestModels.TwoRegimes(), Dataset.of(List.of(seqs.get(0))))));
        assertThat(plain.figures().get(1).caption()).contains("sequence book").doesNotContain("true path");
    }

    @Test
    void rnnIsDrawnOnAHeldOutSequence() throws Exception {
        List<Figure> f = draw(new StudySpec.Split(0.5, true),
                kept("rnn", 1, new TestModels.TinyRecurrence(), regimes().splitBySequence(0.5).heldOut()));
        assertThat(names(f)).containsExactly("predictive-regimes");
        assertThat(f.get(0).caption()).contains("sequence r1");
    }
}
