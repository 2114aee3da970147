package org.statespace.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A small strict CSV reader for tests: what {@code pandas.read_csv} and R's {@code read.csv} need of a
 * file to read it as one tidy table. RFC 4180 (comma separated, fields in double quotes may hold commas,
 * quotes doubled, line breaks; CRLF or LF line ends), one header line of distinct non-empty names, and
 * every row with exactly as many fields as the header. Anything else is an {@link IllegalArgumentException}
 * naming the line. Numbers parse as pandas' default does: an empty cell and {@code NaN} are missing (NaN),
 * {@code inf}/{@code -inf} infinities, otherwise a decimal number or an error.
 */
record StrictCsv(List<String> header, List<List<String>> rows) {

    static StrictCsv parse(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int i = 0;
        boolean quotedField = false;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (field.isEmpty() && !quotedField && c == '"') {
                quotedField = true;
                i++;
                while (true) {
                    if (i >= text.length()) {
                        throw new IllegalArgumentException("line " + line + ": unterminated quoted field");
                    }
                    char q = text.charAt(i++);
                    if (q == '"') {
                        if (i < text.length() && text.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        line += q == '\n' ? 1 : 0;
                        field.append(q);
                    }
                }
                if (i < text.length() && ",\r\n".indexOf(text.charAt(i)) < 0) {
                    throw new IllegalArgumentException("line " + line + ": text after a closing quote");
                }
                continue;
            }
            if (c == '"') {
                throw new IllegalArgumentException("line " + line + ": a quote inside an unquoted field");
            }
            if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
                quotedField = false;
                i++;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r') {
                    if (i + 1 >= text.length() || text.charAt(i + 1) != '\n') {
                        throw new IllegalArgumentException("line " + line + ": a bare carriage return");
                    }
                    i++;
                }
                record.add(field.toString());
                field.setLength(0);
                quotedField = false;
                records.add(record);
                record = new ArrayList<>();
                line++;
                i++;
            } else {
                field.append(c);
                i++;
            }
        }
        if (!field.isEmpty() || !record.isEmpty() || quotedField) {
            record.add(field.toString());
            records.add(record);
        }
        if (records.isEmpty()) {
            throw new IllegalArgumentException("no header line");
        }
        List<String> header = records.get(0);
        if (header.stream().anyMatch(String::isEmpty) || header.stream().distinct().count() != header.size()) {
            throw new IllegalArgumentException("line 1: column names must be distinct and non-empty: " + header);
        }
        for (int r = 1; r < records.size(); r++) {
            if (records.get(r).size() != header.size()) {
                throw new IllegalArgumentException("record " + (r + 1) + ": " + records.get(r).size() + " fields, the header has "
                        + header.size());
            }
        }
        return new StrictCsv(header, records.subList(1, records.size()));
    }

    /** The cells of a column, by name. */
    List<String> column(String name) {
        int c = header.indexOf(name);
        if (c < 0) {
            throw new IllegalArgumentException("no column " + name + " in " + header);
        }
        return rows.stream().map(r -> r.get(c)).toList();
    }

    /** A column's numbers, read as pandas' default does. */
    double[] numbers(String name) {
        return column(name).stream().mapToDouble(StrictCsv::number).toArray();
    }

    static double number(String cell) {
        return switch (cell) {
            case "", "NaN" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                if (!cell.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                    throw new IllegalArgumentException("not a number: \"" + cell + "\"");
                }
                yield Double.parseDouble(cell);
            }
        };
    }
}
