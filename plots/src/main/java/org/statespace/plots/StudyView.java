package org.statespace.plots;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.statespace.DataException;
import org.statespace.spec.Json;
import org.statespace.spec.SpecNode;
import org.statespace.study.ResultFields;
import org.statespace.study.StudyResult;

/**
 * A study's results as the report and the charts read them: the content of {@code results.json}
 * ({@link StudyResult#toJson()}), whether it comes from a study just run or from a file.
 *
 * @param name       the study's name
 * @param provenance tool, version, Java, time, threads, seeds, seconds
 * @param spec       the study spec as given
 * @param rows       one per (model, dataset, seed)
 * @param summary    one per (dataset, model): mean and sd over seeds, and whether it was the best
 */
public record StudyView(String name, JsonNode provenance, JsonNode spec, List<Row> rows, List<SummaryRow> summary) {

    /**
     * One (model, dataset, seed). Metrics are empty unless the status is ok; {@code converged} is false when the
     * fit stopped at its iteration limit (or the row is not ok). {@code scores} is the row's proper scores as
     * results.json holds them ({@code pitHistogram}, {@code coverage}, ...): an empty object when it has none.
     * {@code shownPredictions} and {@code shownStates} are the row's kept one-step predictions and hidden states as
     * written ({@link org.statespace.study.ShownPredictions#toJson}, {@link org.statespace.study.ShownStates#toJson},
     * read by their codecs where they are drawn), null when the row has none.
     */
    public record Row(String model, String dataset, long seed, String status, String reason, String type, String method,
            Map<String, Double> metrics, boolean converged, JsonNode scores, JsonNode shownPredictions,
            JsonNode shownStates) {

        public boolean ok() {
            return "ok".equals(status);
        }

        /** The file-name key of this row's curve and fitted spec: model__dataset__seedS. */
        public String key() {
            return Figure.safeName(model) + "__" + Figure.safeName(dataset) + "__seed" + seed;
        }
    }

    /**
     * One (dataset, model) over its seeds; {@code converged} is false when any seed's fit stopped at its
     * iteration limit, and {@code notConvergedSeeds} counts them.
     */
    public record SummaryRow(String dataset, String model, String type, String status, String reason, int seeds,
            boolean best, Map<String, Double> mean, Map<String, Double> sd, boolean converged, int notConvergedSeeds,
            boolean tied, double pValue) {

        public boolean ok() {
            return "ok".equals(status);
        }

        public double mean(String metric) {
            Double v = mean.get(metric);
            return v == null ? Double.NaN : v;
        }

        public double sd(String metric) {
            Double v = sd.get(metric);
            return v == null ? Double.NaN : v;
        }
    }

    public StudyView {
        rows = List.copyOf(rows);
        summary = List.copyOf(summary);
    }

    /** The view of a study just run. */
    public static StudyView of(StudyResult result) {
        return fromJson(result.toJson(), "study " + result.spec().name());
    }

    /** Whether a JSON document is a study's results.json. */
    public static boolean isStudyResult(JsonNode json) {
        return json.isObject() && json.has("study") && json.path("rows").isArray() && json.path("summary").isArray();
    }

    /** Reads results.json content; {@code source} names it in errors. */
    public static StudyView fromJson(JsonNode json, String source) {
        if (!isStudyResult(json)) {
            throw new DataException(source + ": not a study result (expected \"study\", \"rows\" and \"summary\")");
        }
        SpecNode.root(json, source).requireObject(ResultFields.STUDY); // the fields its schema declares

        List<Row> rows = new ArrayList<>();
        int i = 0;
        for (JsonNode r : json.get("rows")) {
            String where = source + ": rows[" + i++ + "]";
            rows.add(new Row(text(r, "model", where), text(r, "dataset", where), r.path("seed").asLong(),
                    text(r, "status", where), r.path("reason").asText(""), r.path("type").asText(""),
                    r.path("method").asText(""), numbers(r.path("metrics")), r.path("converged").asBoolean(false),
                    r.path("scores").isObject() ? r.get("scores") : Json.object(), r.get("shownPredictions"),
                    r.get("shownStates")));
        }
        List<SummaryRow> summary = new ArrayList<>();
        i = 0;
        for (JsonNode s : json.get("summary")) {
            String where = source + ": summary[" + i++ + "]";
            summary.add(new SummaryRow(text(s, "dataset", where), text(s, "model", where), s.path("type").asText(""),
                    text(s, "status", where), s.path("reason").asText(""), s.path("seeds").asInt(),
                    s.path("best").asBoolean(false), numbers(s.path("mean")), numbers(s.path("sd")),
                    s.path("converged").asBoolean(false), s.path("notConvergedSeeds").asInt(0),
                    s.path("tied").asBoolean(false), s.path("pValue").isNumber() ? s.get("pValue").asDouble() : Double.NaN));
        }
        return new StudyView(json.get("study").asText(), json.path("provenance"), json.path("spec"), rows, summary);
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new DataException(where + "." + field + ": expected a string, got " + (v == null ? "nothing" : v));
        }
        if (v.asText().isBlank()) { // a name labels charts and names files: an empty one is no name
            throw new DataException(where + "." + field + ": must not be empty");
        }
        return v.asText();
    }

    private static Map<String, Double> numbers(JsonNode o) {
        Map<String, Double> m = new LinkedHashMap<>();
        if (o.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            while (it.hasNext()) {
                var e = it.next();
                m.put(e.getKey(), e.getValue().isNumber() || e.getValue().isTextual()
                        ? Json.doubleValue(e.getValue(), "study", e.getKey()) : Double.NaN);
            }
        }
        return m;
    }

    /** Dataset names in study order. */
    public List<String> datasets() {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        summary.forEach(s -> names.add(s.dataset()));
        return List.copyOf(names);
    }

    /** Model names in study order. */
    public List<String> models() {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        summary.forEach(s -> names.add(s.model()));
        return List.copyOf(names);
    }

    /** A metric, models × datasets, from the summary (NaN where a model did not run). */
    public MetricTable metric(String metric, String label) {
        List<String> models = models();
        List<String> datasets = datasets();
        double[][] mean = new double[models.size()][datasets.size()];
        double[][] sd = new double[models.size()][datasets.size()];
        for (double[] row : mean) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        for (double[] row : sd) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        for (SummaryRow s : summary) {
            if (s.ok()) {
                int m = models.indexOf(s.model());
                int d = datasets.indexOf(s.dataset());
                mean[m][d] = s.mean(metric);
                sd[m][d] = s.sd(metric);
            }
        }
        return new MetricTable(metric, label, models, datasets, mean, sd);
    }

    /** The seeds recorded in the provenance. */
    public List<Long> seeds() {
        List<Long> seeds = new ArrayList<>();
        provenance.path("seeds").forEach(s -> seeds.add(s.asLong()));
        return seeds;
    }
}
