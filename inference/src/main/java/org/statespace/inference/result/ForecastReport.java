package org.statespace.inference.result;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.DataException;
import org.statespace.NumericalException;
import org.statespace.capability.Track;
import org.statespace.distribution.Categorical;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.spec.Json;
import org.statespace.study.ResultFields;

/**
 * k-step-ahead predictive distributions after the end of each sequence, as {@code statespace forecast} writes
 * them: per sequence and step ahead the symbol probabilities, or the mean, variance and central 50% and 90%
 * intervals of every component. Its JSON codec is {@link #toJson()} / {@link #fromJson}; the fields are
 * {@link ResultFields#FORECAST}.
 *
 * @param steps      K, the steps ahead
 * @param symbols    the symbols' names when the forecasts are symbol probabilities, else empty
 * @param sequences  one forecast per sequence, in dataset order
 * @param provenance how the file was made (a free-form object; copied)
 */
public record ForecastReport(int steps, List<String> symbols, List<Run> sequences, ObjectNode provenance)
        implements ResultValue {

    /** The value of the {@code "result"} marker. */
    public static final String KIND = "forecast";

    public ForecastReport {
        symbols = List.copyOf(symbols);
        sequences = List.copyOf(sequences);
        provenance = provenance.deepCopy();
    }

    /**
     * One sequence's forecast: exactly one of {@code bands} (K steps × d) and {@code probabilities} (K × M).
     *
     * @param id            the sequence's id
     * @param bands         real-valued: the predictive mean, variance and intervals of each step ahead
     * @param probabilities symbols: p(o_{T+k-1} = m | o_0..o_{T-1}), shape [M]
     */
    public record Run(String id, Optional<PredictiveBands> bands, Optional<Track> probabilities) {
        public Run {
            if (bands.isPresent() == probabilities.isPresent()) {
                throw new IllegalArgumentException("sequence '" + id + "': a forecast has either bands or probabilities");
            }
        }

        /** K. */
        public int length() {
            return bands.map(PredictiveBands::length).orElseGet(() -> probabilities.orElseThrow().length());
        }

        /**
         * The forecast of one sequence from its predictive distributions, one per step ahead.
         *
         * @throws NumericalException when a mean, variance or quantile is not finite (the forecast overflows),
         *                            naming the sequence, the step and the component
         */
        public static Run of(String id, List<? extends PredictiveDistribution> ahead) {
            int k = ahead.size();
            if (k > 0 && ahead.get(0) instanceof Categorical first) {
                int m = first.size();
                double[] p = new double[k * m];
                for (int s = 0; s < k; s++) {
                    ((Categorical) ahead.get(s)).copyProbabilities(p, s * m);
                }
                return new Run(id, Optional.empty(), Optional.of(new Track("probabilities", k, new int[] {m}, p)));
            }
            int dim = k == 0 ? 0 : ahead.get(0).dimension();
            double[][] cols = new double[6][k * dim];
            for (int s = 0; s < k; s++) {
                PredictiveDistribution p = ahead.get(s);
                for (int j = 0; j < dim; j++) {
                    int i = s * dim + j;
                    cols[0][i] = p.mean(j);
                    cols[1][i] = p.variance(j);
                    cols[2][i] = p.quantile(j, 0.25);
                    cols[3][i] = p.quantile(j, 0.75);
                    cols[4][i] = p.quantile(j, 0.05);
                    cols[5][i] = p.quantile(j, 0.95);
                    for (int c = 0; c < 6; c++) {
                        if (!Double.isFinite(cols[c][i])) {
                            throw new NumericalException("sequence '" + id + "', forecast step " + (s + 1) + ": the "
                                    + PredictiveBands.FORECAST_FIELDS[c] + (dim == 1 ? "" : " of component " + j) + " is "
                                    + cols[c][i] + " (the forecast overflows a double)");
                        }
                    }
                }
            }
            Track[] t6 = new Track[6];
            for (int c = 0; c < 6; c++) {
                t6[c] = new Track(PredictiveBands.FORECAST_FIELDS[c], k, new int[] {dim}, cols[c]);
            }
            return new Run(id, Optional.of(PredictiveBands.of(t6)), Optional.empty());
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode root = StepArrays.marked(KIND);
        root.put("steps", steps);
        if (!symbols.isEmpty()) {
            root.set("symbols", StepArrays.names(symbols));
        }
        ArrayNode seqs = root.putArray("sequences");
        for (Run run : sequences) {
            ObjectNode s = seqs.addObject();
            s.put("id", run.id());
            ArrayNode rows = s.putArray("forecast");
            for (int k = 0; k < run.length(); k++) {
                ObjectNode row = rows.addObject();
                row.put("step", k + 1);
                if (run.probabilities().isPresent()) {
                    Track p = run.probabilities().get();
                    row.set("probabilities", Json.vector(p.values(), k * p.width(), (k + 1) * p.width()));
                    continue;
                }
                Track[] all = run.bands().get().all();
                for (int c = 0; c < all.length; c++) {
                    row.set(PredictiveBands.FORECAST_FIELDS[c], Json.vector(all[c].values(), k * all[c].width(),
                            (k + 1) * all[c].width()));
                }
            }
        }
        root.set("provenance", provenance.deepCopy());
        return root;
    }

    /** Reads a forecast result back; errors name the source and the JSON path. */
    public static ForecastReport fromJson(JsonNode root, String source) {
        StepArrays.checkFields(root, ResultFields.FORECAST, source);
        List<Run> runs = StepArrays.readSequences(root, source, ForecastReport::readRun);
        JsonNode steps = root.get("steps");
        return new ForecastReport(steps == null ? runs.stream().mapToInt(Run::length).max().orElse(0) : steps.asInt(),
                StepArrays.readNames(root, "symbols", source), runs, StepArrays.provenance(root));
    }

    private static Run readRun(JsonNode s, String where) {
        JsonNode rows = s.get("forecast");
        if (rows == null || !rows.isArray() || rows.size() == 0 || !rows.get(0).isObject()) {
            throw new DataException(where + ": forecast: expected a non-empty list of steps, got "
                    + (rows == null ? "nothing" : StepArrays.abbreviate(rows)));
        }
        String id = StepArrays.text(s, "id", where);
        if (rows.get(0).has("probabilities")) {
            return new Run(id, Optional.empty(), Optional.of(column(rows, "probabilities", where)));
        }
        Track[] t6 = new Track[6];
        for (int c = 0; c < 6; c++) {
            t6[c] = column(rows, PredictiveBands.FORECAST_FIELDS[c], where);
        }
        try {
            return new Run(id, Optional.of(PredictiveBands.of(t6)), Optional.empty());
        } catch (IllegalArgumentException e) {
            throw new DataException(where + ": forecast: the steps differ in width: " + e.getMessage());
        }
    }

    // Field {@code name} of every step row as one track (a missing one is an error naming the step).
    private static Track column(JsonNode rows, String name, String where) {
        ArrayNode a = Json.array();
        for (int k = 0; k < rows.size(); k++) {
            JsonNode v = rows.get(k).get(name);
            if (v == null) {
                throw new DataException(where + ": forecast[" + k + "]: no " + name);
            }
            a.add(v);
        }
        return StepArrays.read(a, name, true, where + ": forecast[]." + name);
    }
}
