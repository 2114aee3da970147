package org.statespace.inference.result;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The tidy CSV of a result: one row per step of each sequence, made from the result's JSON ({@link
 * ResultValue#toJson()}). A {@code sequence} column with the sequence id, a {@code t} column with the step
 * (0-based, as in the data) or, for a forecast, {@code step} (1..K steps ahead), then one column per number
 * of the step, named after the JSON field: a scalar field is one column ({@code predictiveLogDensities}), a
 * vector of probabilities one column per state or symbol named {@code field.NAME}
 * ({@code posteriorProbabilities.calm}), another vector one column per component ({@code smoothedMeans.0}; a
 * vector of one component is just {@code field}), a matrix one per entry ({@code smoothedCovariances.0.1}).
 * A path of state names is one column of names ({@code viterbiPath}). A missing value is an empty cell;
 * non-finite numbers are {@code NaN}, {@code inf} and {@code -inf}, which pandas' {@code read_csv} and R's
 * {@code read.csv} read as such. Numbers for a whole sequence (its log-likelihood) are not in the table.
 *
 * <p>{@link #rows} makes the rows of one sequence, so that a writer can go one sequence at a time.
 */
public final class TidyTable {
    private TidyTable() {
    }

    /** The table of a whole result. */
    public static String of(JsonNode root) {
        List<String> states = strings(root.get("states"));
        List<String> symbols = strings(root.get("symbols"));
        List<Map<String, String>> rows = new ArrayList<>();
        for (JsonNode s : root.path("sequences")) {
            rows.addAll(rows(s, states, symbols));
        }
        List<String> columns = columns(rows);
        StringBuilder b = new StringBuilder();
        appendLine(b, columns);
        for (Map<String, String> row : rows) {
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                cells.add(row.getOrDefault(c, ""));
            }
            appendLine(b, cells);
        }
        return b.toString();
    }

    /** The columns of these rows: sequence, t (when there is one), then the values in order of appearance. */
    public static List<String> columns(List<Map<String, String>> rows) {
        List<String> columns = new ArrayList<>();
        columns.add("sequence");
        for (Map<String, String> row : rows) {
            for (String c : row.keySet()) {
                if (!columns.contains(c)) {
                    columns.add(c);
                }
            }
        }
        if (columns.contains("t")) { // sequence, t, then the values
            columns.remove("t");
            columns.add(1, "t");
        }
        return columns;
    }

    /** One CSV line of these cells, quoted as RFC 4180 needs. */
    public static void appendLine(StringBuilder b, List<String> cells) {
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                b.append(',');
            }
            b.append(quote(cells.get(c)));
        }
        b.append('\n');
    }

    /** The rows of one sequence of a result's JSON (an element of its {@code "sequences"}), column to cell. */
    public static List<Map<String, String>> rows(JsonNode s, List<String> states, List<String> symbols) {
        List<Map<String, String>> rows = new ArrayList<>();
        String id = s.path("id").asText();
        int length = -1;
        for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext();) {
            JsonNode v = it.next().getValue();
            if (v.isArray()) {
                length = Math.max(length, v.size());
            }
        }
        for (int t = 0; t < length; t++) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("sequence", id);
            for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isArray() || e.getValue().size() != length) {
                    continue;
                }
                JsonNode step = e.getValue().get(t);
                if (step.isObject()) { // a forecast row: its own "step" and fields
                    for (Iterator<Map.Entry<String, JsonNode>> f = step.fields(); f.hasNext();) {
                        Map.Entry<String, JsonNode> g = f.next();
                        cells(row, g.getKey(), g.getValue(), states, symbols);
                    }
                } else {
                    row.putIfAbsent("t", Integer.toString(t));
                    cells(row, e.getKey(), step, states, symbols);
                }
            }
            rows.add(row);
        }
        return rows;
    }

    private static void cells(Map<String, String> row, String field, JsonNode v, List<String> states, List<String> symbols) {
        if (!v.isArray()) {
            row.put(field, cell(v));
            return;
        }
        List<String> names = field.equals("probabilities") || field.equals("predictiveProbabilities") ? symbols
                : field.endsWith("Probabilities") ? states : List.of();
        if (v.size() == 1 && !v.get(0).isArray() && names.isEmpty()) {
            row.put(field, cell(v.get(0)));
            return;
        }
        for (int i = 0; i < v.size(); i++) {
            String name = names.size() == v.size() ? names.get(i) : Integer.toString(i);
            JsonNode e = v.get(i);
            if (e.isArray()) {
                for (int j = 0; j < e.size(); j++) {
                    row.put(field + "." + name + "." + j, cell(e.get(j)));
                }
            } else {
                row.put(field + "." + name, cell(e));
            }
        }
    }

    private static String cell(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "";
        }
        if (v.isIntegralNumber()) {
            return v.asText();
        }
        if (v.isNumber()) {
            return number(v.doubleValue());
        }
        String text = v.asText();
        return switch (text) {
            case "NaN" -> "NaN";
            case "Infinity" -> "inf";
            case "-Infinity" -> "-inf";
            default -> text;
        };
    }

    /** A number as pandas and R read it back: shortest round-trip decimal, NaN, inf, -inf. */
    public static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return Double.toString(v);
    }

    /** RFC 4180 quoting: a cell with a comma, quote, line break or outer blank is quoted, quotes doubled. */
    public static String quote(String s) {
        boolean plain = !s.isEmpty() ? s.strip().equals(s) : true;
        for (int i = 0; plain && i < s.length(); i++) {
            char c = s.charAt(i);
            plain = c != ',' && c != '"' && c != '\n' && c != '\r';
        }
        return plain ? s : "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }
}
