package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.statespace.StateSpaceModel;
import org.statespace.capability.Forecasting;
import org.statespace.capability.PathDecoding;
import org.statespace.capability.Track;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.inference.FilterEngine;
import org.statespace.inference.FilterOptions;
import org.statespace.inference.result.FilterReport;
import org.statespace.inference.result.ForecastReport;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * The tidy CSV of a typed result, read back as pandas' {@code read_csv} reads it ({@link StrictCsv}), gives the
 * typed value's numbers, bit for bit: one row per (sequence, step), a missing value an empty cell, probabilities
 * one column per state or symbol name, vectors and matrices one column per component or entry.
 */
class ResultCsvRoundTripTest {
    private static final StateSpaceModel<?, ?> CASINO = ModelSpecs.read(Json.parse(HmmCommandLineTest.CASINO, "casino"),
            "casino");
    private static final StateSpaceModel<?, ?> TREND = ModelSpecs.read(Json.parse("{\"type\": \"lgssm\", "
            + "\"transitionMatrix\": [[1, 1], [0, 1]], \"processNoise\": [[0.5, 0], [0, 0.1]], \"observationMatrix\": "
            + "[[1, 0]], \"observationNoise\": [[2]], \"initialMean\": [0, 0], \"initialCovariance\": [[4, 0], [0, 1]]}",
            "trend"), "trend");

    private static FilterReport filter(StateSpaceModel<?, ?> model, Dataset data, List<String> symbols) {
        var run = FilterEngine.of(new FilterOptions(1, true, true, true)).run(model, data);
        return FilterReport.of(run, model instanceof PathDecoding p ? p.stateNames() : List.of(), symbols,
                Json.object().put("command", "test"));
    }

    /** The rows of sequence {@code id}, in order, as the column's numbers. */
    private static double[] column(StrictCsv csv, String name, String id) {
        List<String> ids = csv.column("sequence");
        double[] all = csv.numbers(name);
        List<Double> out = new ArrayList<>();
        for (int r = 0; r < all.length; r++) {
            if (ids.get(r).equals(id)) {
                out.add(all[r]);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] component(Track track, int i) {
        double[] out = new double[track.length()];
        for (int t = 0; t < out.length; t++) {
            out[t] = track.value(t, i);
        }
        return out;
    }

    @Test
    void hmmFilterWithSummariesAndStates() {
        List<String> faces = List.of("1", "2", "3", "4", "5", "6");
        Dataset data = Dataset.ofSymbols(List.of(Sequence.ofSymbols("a", new int[] {0, 5, 5, -1, 5, 2}),
                Sequence.ofSymbols("b, \"quoted\"", new int[] {3, 5})), faces);
        FilterReport report = filter(CASINO, data, faces);
        StrictCsv csv = StrictCsv.parse(report.toCsv());
        assertThat(csv.header().subList(0, 3)).containsExactly("sequence", "t", "predictiveLogDensities");
        for (FilterReport.Run run : report.sequences()) {
            double[] steps = column(csv, "t", run.id());
            assertThat(steps).hasSize(run.length());
            for (int t = 0; t < steps.length; t++) {
                assertThat(steps[t]).isEqualTo(t);
            }
            assertThat(column(csv, "predictiveLogDensities", run.id()))
                    .containsExactly(run.predictiveLogDensities().values());
            var bands = run.bands().orElseThrow();
            assertThat(column(csv, "predictiveMeans", run.id())).containsExactly(bands.means().values());
            assertThat(column(csv, "upper90", run.id())).containsExactly(bands.upper90().values());
            Track symbols = run.probabilities().orElseThrow();
            for (int k = 0; k < faces.size(); k++) {
                assertThat(column(csv, "predictiveProbabilities." + faces.get(k), run.id()))
                        .containsExactly(component(symbols, k));
            }
            Track filtered = run.track("filteredProbabilities").orElseThrow();
            assertThat(column(csv, "filteredProbabilities.fair", run.id())).containsExactly(component(filtered, 0));
            assertThat(column(csv, "filteredProbabilities.loaded", run.id())).containsExactly(component(filtered, 1));
        }
        // the missing step 3 of "a": an empty log-density cell, read as NaN
        assertThat(column(csv, "predictiveLogDensities", "a")[3]).isNaN();
    }

    @Test
    void kalmanFilterTracksAreOneColumnPerComponentAndEntry() {
        Dataset data = Dataset.of(List.of(Sequence.ofScalars("n", new double[] {1.5, 0.25, Double.NaN, 3, -0.5, 1e-7})));
        FilterReport report = filter(TREND, data, List.of());
        StrictCsv csv = StrictCsv.parse(report.toCsv());
        FilterReport.Run run = report.sequences().get(0);
        Track means = run.track("filteredMeans").orElseThrow();
        Track covariances = run.track("filteredCovariances").orElseThrow();
        assertThat(column(csv, "filteredMeans.0", "n")).containsExactly(component(means, 0));
        assertThat(column(csv, "filteredMeans.1", "n")).containsExactly(component(means, 1));
        assertThat(column(csv, "filteredCovariances.0.1", "n")).containsExactly(component(covariances, 1));
        assertThat(column(csv, "filteredCovariances.1.1", "n")).containsExactly(component(covariances, 3));
        // a vector of one component is one column named after the field; the missing innovation an empty cell
        assertThat(column(csv, "innovations", "n")).containsExactly(component(run.track("innovations").orElseThrow(), 0));
        assertThat(column(csv, "innovations", "n")[2]).isNaN();
        assertThat(column(csv, "predictiveVariances", "n")).containsExactly(run.bands().orElseThrow().variances().values());
    }

    @Test
    void forecastRowsAreStepsAhead() {
        Dataset data = Dataset.of(List.of(Sequence.ofScalars("n", new double[] {1.5, 0.25, 3})));
        List<ForecastReport.Run> runs = List.of(ForecastReport.Run.of("n", ((Forecasting) TREND).forecast(
                data.sequence(0), 4, null)));
        ForecastReport report = new ForecastReport(4, List.of(), runs, Json.object());
        StrictCsv csv = StrictCsv.parse(report.toCsv());
        assertThat(csv.header()).startsWith("sequence", "step", "mean", "variance");
        assertThat(csv.numbers("step")).containsExactly(1, 2, 3, 4);
        var bands = runs.get(0).bands().orElseThrow();
        assertThat(csv.numbers("mean")).containsExactly(bands.means().values());
        assertThat(csv.numbers("lower90")).containsExactly(bands.lower90().values());
    }
}
