package org.statespace.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;

/**
 * Where a command's result goes and in which form: a readable summary on standard output when no
 * {@code --out} is given, JSON with {@code --json} or {@code --out F.json} (and {@code --out -} or
 * {@code --out /dev/stdout}: JSON on standard output), a tidy CSV with {@code --out F.csv}. Any other
 * extension of {@code --out} is a usage error, found before the command computes anything, except for
 * an existing file that is not a regular one (a named pipe, a device), which gets JSON.
 *
 * <p>The tidy CSV has one row per step of each sequence: a {@code sequence} column with the sequence id,
 * a {@code t} column with the step (0-based, as in the data) or, for a forecast, {@code step} (1..K steps
 * ahead), then one column per number of the step, named after the JSON field: a scalar field is one
 * column ({@code predictiveLogDensities}), a vector of probabilities one column per state or symbol
 * named {@code field.NAME} ({@code posteriorProbabilities.calm}), another vector one column per component
 * ({@code smoothedMeans.0}; a vector of one component is just {@code field}), a matrix one per entry
 * ({@code smoothedCovariances.0.1}). A path of state names is one column of names ({@code viterbiPath}).
 * A missing value is an empty cell; non-finite numbers are {@code NaN}, {@code inf} and {@code -inf},
 * which pandas' {@code read_csv} and R's {@code read.csv} read as such. Numbers for a whole sequence
 * (its log-likelihood) are in the JSON and the summary, not in the per-step table.
 */
enum ResultOutput {
    SUMMARY, JSON, CSV;

    /** The form asked for by {@code --out} and {@code --json}; a usage error for an unknown extension. */
    static ResultOutput of(Path out, boolean json, CommandLine command) {
        if (OutputPaths.isStandardOutput(out)) {
            return out == null && !json ? SUMMARY : JSON;
        }
        if (java.nio.file.Files.exists(out) && !java.nio.file.Files.isRegularFile(out)) {
            return json || !out.toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? JSON : CSV; // a pipe or device
        }
        String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            return JSON;
        }
        if (name.endsWith(".csv")) {
            if (json) {
                throw new CommandLine.ParameterException(command, "--json and --out " + out
                        + " disagree: a .csv file gets a tidy table; drop --json or name a .json file");
            }
            return CSV;
        }
        throw new CommandLine.ParameterException(command, "--out " + out
                + ": unknown extension; name a .json file (JSON) or a .csv file (a tidy table, one row per step), "
                + "or give - for JSON on standard output");
    }

    /**
     * For commands that write a dataset ({@code sample}, {@code datasets}): {@code --out} must name a
     * {@code .json} or {@code .csv} file, standard output, or an existing pipe or device (which gets JSON).
     */
    static void requireDatasetName(Path out, CommandLine command) {
        if (OutputPaths.isStandardOutput(out)
                || (java.nio.file.Files.exists(out) && !java.nio.file.Files.isRegularFile(out))) {
            return;
        }
        String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".json") && !name.endsWith(".csv")) {
            throw new CommandLine.ParameterException(command, "--out " + out
                    + ": unknown extension; name a .json file or a .csv file (one row per step), or give - for JSON "
                    + "on standard output");
        }
    }

    /** Writes the result in this form: the summary to standard output, JSON or the tidy CSV to {@code out}. */
    void write(Path out, ObjectNode root, Supplier<String> summary, PrintWriter stdout) {
        switch (this) {
            case SUMMARY -> Cli.writeText(null, summary.get(), stdout);
            case JSON -> Cli.writeJson(out, root, stdout);
            case CSV -> Cli.writeText(out, tidyCsv(root), stdout);
            default -> throw new IllegalStateException();
        }
    }

    // ---------------------------------------------------------------- tidy CSV

    /** The per-step table of a result (see the class comment). */
    static String tidyCsv(ObjectNode root) {
        List<String> states = strings(root.get("states"));
        List<String> symbols = strings(root.get("symbols"));
        List<Map<String, String>> rows = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        columns.add("sequence");
        for (JsonNode s : root.path("sequences")) {
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
                for (String c : row.keySet()) {
                    if (!columns.contains(c)) {
                        columns.add(c);
                    }
                }
                rows.add(row);
            }
        }
        if (columns.contains("t")) { // sequence, t, then the values
            columns.remove("t");
            columns.add(1, "t");
        }
        StringBuilder b = new StringBuilder();
        b.append(String.join(",", columns.stream().map(ResultOutput::quote).toList())).append('\n');
        for (Map<String, String> row : rows) {
            for (int c = 0; c < columns.size(); c++) {
                if (c > 0) {
                    b.append(',');
                }
                b.append(quote(row.getOrDefault(columns.get(c), "")));
            }
            b.append('\n');
        }
        return b.toString();
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
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return Double.toString(v);
    }

    /** RFC 4180 quoting: a cell with a comma, quote, line break or outer blank is quoted, quotes doubled. */
    static String quote(String s) {
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

    // ---------------------------------------------------------------- summaries

    /** A number for people: six significant digits, no trailing zeros, exponent only when very large or small. */
    static String readable(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e9) {
            return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
        }
        return String.format(Locale.ROOT, "%.5g", v);
    }

    /** A table with aligned columns: text left-aligned, numbers right-aligned, two spaces between columns. */
    static final class Table {
        private final List<String> header;
        private final List<List<String>> rows = new ArrayList<>();

        Table(String... header) {
            this.header = List.of(header);
        }

        Table row(Object... cells) {
            List<String> r = new ArrayList<>();
            for (Object c : cells) {
                r.add(c instanceof Double d ? readable(d) : String.valueOf(c));
            }
            rows.add(r);
            return this;
        }

        int size() {
            return rows.size();
        }

        void appendTo(StringBuilder b, String indent) {
            int[] width = new int[header.size()];
            boolean[] numeric = new boolean[header.size()];
            java.util.Arrays.fill(numeric, true);
            for (int c = 0; c < width.length; c++) {
                width[c] = header.get(c).length();
                for (List<String> r : rows) {
                    width[c] = Math.max(width[c], r.get(c).length());
                    String cell = r.get(c);
                    numeric[c] &= cell.isEmpty() || cell.equals("...") || cell.matches("[-+]?(\\d[\\d.eE+-]*|inf|NaN)");
                }
            }
            line(b, indent, header, width, numeric);
            for (List<String> r : rows) {
                line(b, indent, r, width, numeric);
            }
        }

        private static void line(StringBuilder b, String indent, List<String> cells, int[] width, boolean[] numeric) {
            StringBuilder l = new StringBuilder(indent);
            for (int c = 0; c < cells.size(); c++) {
                if (c > 0) {
                    l.append("  ");
                }
                String s = cells.get(c);
                String pad = " ".repeat(width[c] - s.length());
                l.append(numeric[c] ? pad + s : s + pad);
            }
            b.append(l.toString().stripTrailing()).append('\n');
        }
    }
}
