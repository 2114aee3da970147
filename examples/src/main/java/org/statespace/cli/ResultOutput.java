package org.statespace.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine;

import org.statespace.inference.result.ResultValue;
import org.statespace.inference.result.TidyTable;

/**
 * Where a command's result goes and in which form: a readable summary on standard output when no
 * {@code --out} is given, JSON with {@code --json} or {@code --out F.json} (and {@code --out -} or
 * {@code --out /dev/stdout}: JSON on standard output), a tidy CSV with {@code --out F.csv}. Any other
 * extension of {@code --out} is a usage error, found before the command computes anything, except for
 * an existing file that is not a regular one (a named pipe, a device), which gets JSON.
 *
 * <p>The tidy CSV ({@link TidyTable}) has one row per step of each sequence; see there for its columns.
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

    /**
     * Writes the result in this form: the summary to standard output, its JSON or its tidy CSV (both from the
     * typed value's codec) to {@code out}.
     */
    void write(Path out, ResultValue result, Function<JsonNode, String> summary, PrintWriter stdout) {
        switch (this) {
            case SUMMARY -> Cli.writeText(null, summary.apply(result.toJson()), stdout);
            case JSON -> Cli.writeJson(out, result.toJson(), stdout);
            case CSV -> Cli.writeText(out, result.toCsv(), stdout);
            default -> throw new IllegalStateException();
        }
    }

    /** A number as pandas and R read it back: shortest round-trip decimal, NaN, inf, -inf. */
    static String number(double v) {
        return TidyTable.number(v);
    }

    /** RFC 4180 quoting: a cell with a comma, quote, line break or outer blank is quoted, quotes doubled. */
    static String quote(String s) {
        return TidyTable.quote(s);
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
