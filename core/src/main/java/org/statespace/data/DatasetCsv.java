package org.statespace.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.statespace.DataException;
import org.statespace.ResourceException;
import org.statespace.io.AtomicFiles;

/**
 * Reads and writes datasets as CSV, one row per time step, with a header line. Columns by name:
 * <ul>
 *   <li>{@code sequence}: the sequence id (needed only when there is more than one sequence; rows of a
 *       sequence keep their file order);</li>
 *   <li>{@code t}, {@code time}, {@code step}, {@code date}, {@code year}: a time index, read past;</li>
 *   <li>{@code symbol}: a symbolic observation, by name — this makes the dataset symbolic. The dataset's
 *       alphabet is its names in order of first appearance; a model matches them to its own alphabet by
 *       name ({@link org.statespace.ObservationSpace#align}), never by that order. When every symbol is
 *       written as an integer (0, 1, 2, ...) the alphabet is "0".."max", so symbol k is index k;</li>
 *   <li>{@code input}, {@code input1}, {@code input2}, ...: exogenous inputs, never empty;</li>
 *   <li>{@code state}, {@code state1}, ...: known hidden states, numbers; a single {@code state} column
 *       may instead name them ({@code fair}, {@code loaded}), in order of first appearance;</li>
 *   <li>any other column: a component of the real observation vector, in column order.</li>
 * </ul>
 * An unnamed first column is an index, read past: pandas' {@code df.to_csv()} writes one (a header
 * that starts with a comma), R's {@code write.csv} one named {@code ""} with quoted row names; rows keep
 * their file order. {@link Columns} chooses the observation and input columns by name instead.
 * An empty cell or {@code NA} is a missing value; {@code NaN} is rejected, since it is ambiguous. In a
 * one-column file a blank line is an empty cell, a missing value at its step (blank lines at the end are
 * ignored); in other files blank lines are skipped. Numbers are decimal ({@code -1.5e3}); Java's type
 * suffixes ({@code 1.5d}, {@code 1.5f}) and hexadecimal are not numbers.
 * Cells may be quoted with double quotes. Every error names the file and the line.
 */
public final class DatasetCsv {
    private static final Set<String> TIME_COLUMNS = Set.of("t", "time", "step", "date", "year");
    /** A decimal number as written in data: no type suffix (1.5d, 1.5f), no hexadecimal, no padding. */
    static final java.util.regex.Pattern NUMBER =
            java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final java.util.regex.Pattern NON_FINITE =
            java.util.regex.Pattern.compile("[+-]?(nan|inf|infinity)", java.util.regex.Pattern.CASE_INSENSITIVE);
    private static final java.util.regex.Pattern INTEGER = java.util.regex.Pattern.compile("0|[1-9]\\d*");

    private DatasetCsv() {
    }

    public static Dataset read(Path file) {
        return read(file, Columns.byConvention());
    }

    public static Dataset parse(String csv, String source) {
        try {
            return read(new StringReader(csv), source);
        } catch (IOException e) {
            throw new ResourceException(source + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    enum Role { SEQUENCE, TIME, SYMBOL, INPUT, STATE, OBSERVATION, IGNORED }

    /**
     * Which columns to read, for files whose columns are not named by the conventions above (a pandas or
     * R export, a spreadsheet): {@code observations} and {@code inputs} by header name, in the order given
     * (the other columns are read past, except {@code sequence}, a time column and {@code state} columns);
     * empty lists keep the conventions. With {@code symbols} a single observation column is read as
     * symbols by name, like a {@code symbol} column.
     */
    public record Columns(List<String> observations, List<String> inputs, boolean symbols) {
        public Columns {
            observations = List.copyOf(observations);
            inputs = List.copyOf(inputs);
        }

        /** The conventions of the class comment. */
        public static Columns byConvention() {
            return new Columns(List.of(), List.of(), false);
        }

        boolean selects() {
            return !observations.isEmpty() || !inputs.isEmpty();
        }
    }

    /** Reads a file choosing its columns (see {@link Columns}). */
    public static Dataset read(Path file, Columns columns) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.toString(), columns);
        } catch (NoSuchFileException e) {
            throw new ResourceException(file + ": no such file", e);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new DataException(file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new ResourceException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    public static Dataset read(Reader reader, String source) throws IOException {
        return read(reader, source, Columns.byConvention());
    }

    /** The header of a CSV file: which column plays which role (see the class comment and {@link Columns}). */
    static final class Header {
        final List<String> names;
        final Role[] roles;
        final int[] observationOrder;
        final int[] inputOrder;
        final int observationColumns;
        final int inputColumns;
        final int stateColumns;
        final boolean symbolic;
        /** The line the header was on. */
        final int line;

        private Header(List<String> names, Role[] roles, int[] observationOrder, int[] inputOrder, int observationColumns,
                int inputColumns, int stateColumns, boolean symbolic, int line) {
            this.names = names;
            this.roles = roles;
            this.observationOrder = observationOrder;
            this.inputOrder = inputOrder;
            this.observationColumns = observationColumns;
            this.inputColumns = inputColumns;
            this.stateColumns = stateColumns;
            this.symbolic = symbolic;
            this.line = line;
        }

        /** The sequence id of a row: its {@code sequence} cell, or {@code s1} without that column. */
        String id(List<String> cells, String source, int lineNumber) {
            String id = "s1";
            for (int c = 0; c < cells.size(); c++) {
                if (roles[c] == Role.SEQUENCE) {
                    id = cells.get(c).trim();
                    if (id.isEmpty()) {
                        throw new DataException(source + ": line " + lineNumber + ": empty sequence id");
                    }
                }
            }
            return id;
        }

        /** Reads the header line (blank lines before it skipped). */
        static Header read(BufferedReader in, String source, Columns selection) throws IOException {
            String headerLine = in.readLine();
            int lineNumber = 1;
            while (headerLine != null && headerLine.isBlank()) {
                headerLine = in.readLine();
                lineNumber++;
            }
            if (headerLine == null) {
                throw new DataException(source + ": the file is empty; expected a header line");
            }
            if (headerLine.startsWith("\uFEFF")) {
                headerLine = headerLine.substring(1);
            }
            List<String> header = split(headerLine, source, lineNumber);
            Role[] roles = new Role[header.size()];
            int observationColumns = 0;
            int inputColumns = 0;
            int stateColumns = 0;
            boolean symbolic = false;
            Set<String> seen = new java.util.HashSet<>();
            for (String wanted : concat(selection.observations(), selection.inputs())) {
                if (!header.stream().map(String::trim).toList().contains(wanted)) {
                    throw new DataException(source + ": line " + lineNumber + ": no column \"" + wanted
                            + "\" (--columns); the columns are " + String.join(", ", header.stream().map(String::trim)
                                    .filter(h -> !h.isEmpty()).toList()));
                }
            }
            int[] observationOrder = new int[selection.observations().size()];
            int[] inputOrder = new int[selection.inputs().size()];
            for (int c = 0; c < header.size(); c++) {
                String name = header.get(c).trim();
                if (name.isEmpty() && c == 0) {
                    // the unnamed index column of pandas' to_csv (",y") and R's write.csv ("\"\",\"y\""): read past
                    roles[c] = Role.TIME;
                    continue;
                }
                if (selection.selects()) {
                    int o = selection.observations().indexOf(name);
                    int i = selection.inputs().indexOf(name);
                    String lower = name.toLowerCase(Locale.ROOT);
                    if (o >= 0 && i >= 0) {
                        throw new DataException(source + ": column \"" + name + "\" is chosen both as an observation and as an input");
                    }
                    if (o >= 0) {
                        roles[c] = Role.OBSERVATION;
                        observationOrder[o] = c;
                        observationColumns++;
                    } else if (i >= 0) {
                        roles[c] = Role.INPUT;
                        inputOrder[i] = c;
                        inputColumns++;
                    } else if (lower.equals("sequence")) {
                        roles[c] = Role.SEQUENCE;
                    } else if (TIME_COLUMNS.contains(lower)) {
                        roles[c] = Role.TIME;
                    } else if (lower.matches("state_?\\d*")) {
                        roles[c] = Role.STATE;
                        stateColumns++;
                    } else {
                        roles[c] = Role.IGNORED;
                    }
                    continue;
                }
                if (name.isEmpty()) {
                    throw new DataException(source + ": line " + lineNumber + ": column " + (c + 1) + " has no name");
                }
                if (!seen.add(name)) {
                    throw new DataException(source + ": line " + lineNumber + ": column \"" + name + "\" appears twice");
                }
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.equals("sequence")) {
                    roles[c] = Role.SEQUENCE;
                } else if (TIME_COLUMNS.contains(lower)) {
                    roles[c] = Role.TIME;
                } else if (lower.equals("symbol")) {
                    roles[c] = Role.SYMBOL;
                    symbolic = true;
                    observationColumns++;
                } else if (lower.matches("input_?\\d*")) {
                    roles[c] = Role.INPUT;
                    inputColumns++;
                } else if (lower.matches("state_?\\d*")) {
                    roles[c] = Role.STATE;
                    stateColumns++;
                } else {
                    roles[c] = Role.OBSERVATION;
                    observationColumns++;
                }
            }
            if (!selection.selects()) {
                observationOrder = new int[observationColumns];
                inputOrder = new int[inputColumns];
                for (int c = 0, o = 0, i = 0; c < roles.length; c++) {
                    if (roles[c] == Role.OBSERVATION || roles[c] == Role.SYMBOL) {
                        observationOrder[o++] = c;
                    } else if (roles[c] == Role.INPUT) {
                        inputOrder[i++] = c;
                    }
                }
            }
            if (selection.symbols() && !symbolic && observationColumns == 1) {
                // the model expects symbols: its one observation column holds their names
                roles[observationOrder[0]] = Role.SYMBOL;
                symbolic = true;
            }
            if (symbolic && observationColumns > 1) {
                throw new DataException(source + ": line " + lineNumber
                        + ": a \"symbol\" column cannot be combined with other observation columns");
            }
            if (observationColumns == 0) {
                throw new DataException(source + ": line " + lineNumber + ": no observation column (header: " + headerLine + ")"
                        + (stateColumns > 0 ? "; a \"state\" column holds the true hidden states (as sample writes them), "
                        + "not observations: rename it, or choose it with --columns" : ""));
            }
            return new Header(header, roles, observationOrder, inputOrder, observationColumns, inputColumns, stateColumns,
                    symbolic, lineNumber);
        }
    }

    /** Reads CSV choosing its columns (see {@link Columns}). */
    public static Dataset read(Reader reader, String source, Columns selection) throws IOException {
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        Header h = Header.read(in, source, selection);
        List<String> header = h.names;
        Role[] roles = h.roles;
        int[] observationOrder = h.observationOrder;
        int[] inputOrder = h.inputOrder;
        int observationColumns = h.observationColumns;
        int inputColumns = h.inputColumns;
        int stateColumns = h.stateColumns;
        boolean symbolic = h.symbolic;
        int lineNumber = h.line;
        Map<String, Builder> sequences = new LinkedHashMap<>();
        List<String> symbolNames = new ArrayList<>();
        Map<String, Integer> symbolIndex = new java.util.HashMap<>();
        boolean integerSymbols = true;
        // a single state column may name its states (in order of first appearance) instead of numbering them
        List<String> stateNames = new ArrayList<>();
        Map<String, Integer> stateIndex = new java.util.HashMap<>();
        DoubleList stateValues = new DoubleList();
        boolean numericStates = true;
        // In a one-column file a blank line is an empty cell: a missing value at its step. Blank lines
        // are held back until a later row shows they are not trailing.
        boolean oneColumn = header.size() == 1;
        int pendingBlanks = 0;
        String line;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                pendingBlanks++;
                continue;
            }
            if (oneColumn && pendingBlanks > 0) {
                Builder b = sequences.computeIfAbsent("s1", k -> new Builder());
                for (int i = 0; i < pendingBlanks; i++) {
                    b.observations.add(Double.NaN);
                    b.rows++;
                }
            }
            pendingBlanks = 0;
            List<String> cells = split(line, source, lineNumber);
            if (cells.size() != header.size()) {
                throw new DataException(source + ": line " + lineNumber + ": expected " + header.size()
                        + " cells like the header, got " + cells.size());
            }
            String id = h.id(cells, source, lineNumber);
            Builder b = sequences.computeIfAbsent(id, k -> new Builder());
            for (int c : observationOrder) {
                String cell = cells.get(c).trim();
                switch (roles[c]) {
                    case SYMBOL -> {
                        if (isMissing(cell)) {
                            b.observations.add(Double.NaN);
                        } else {
                            Integer k = symbolIndex.get(cell);
                            if (k == null) {
                                k = symbolNames.size();
                                symbolNames.add(cell);
                                symbolIndex.put(cell, k);
                                integerSymbols &= isIntegerName(cell);
                            }
                            b.observations.add(k);
                        }
                    }
                    case OBSERVATION -> b.observations.add(number(cell, true, source, lineNumber, header.get(c)));
                    default -> throw new IllegalStateException();
                }
            }
            for (int c : inputOrder) {
                b.inputs.add(number(cells.get(c).trim(), false, source, lineNumber, header.get(c)));
            }
            for (int c = 0; c < cells.size(); c++) {
                String cell = cells.get(c).trim();
                switch (roles[c]) {
                    case SEQUENCE, TIME, IGNORED, SYMBOL, OBSERVATION, INPUT -> { }
                    case STATE -> {
                        if (stateColumns == 1 && !isMissing(cell) && !NON_FINITE.matcher(cell).matches()) {
                            // a name for now; a column of numbers only is turned back into numbers below
                            Integer k = stateIndex.get(cell);
                            if (k == null) {
                                k = stateNames.size();
                                stateNames.add(cell);
                                stateIndex.put(cell, k);
                                if (numericStates && NUMBER.matcher(cell).matches()) {
                                    stateValues.add(number(cell, true, source, lineNumber, header.get(c)));
                                } else {
                                    numericStates = false;
                                }
                            }
                            b.states.add(k);
                        } else {
                            b.states.add(number(cell, true, source, lineNumber, header.get(c)));
                        }
                    }
                    default -> throw new IllegalStateException();
                }
            }
            b.rows++;
        }
        if (sequences.isEmpty()) {
            throw new DataException(source + ": no data rows after the header");
        }
        if (symbolic && integerSymbols && !symbolNames.isEmpty()) {
            // Symbols that are all written as integers are named "0".."max", so symbol k is index k.
            int max = maxSymbol(symbolNames);
            if (max >= Dataset.MAX_SYMBOLS) {
                throw new DataException(source + ": symbol " + max + " is too large; an alphabet has at most "
                        + Dataset.MAX_SYMBOLS + " symbols");
            }
            double[] renumber = new double[symbolNames.size()];
            for (int k = 0; k < renumber.length; k++) {
                renumber[k] = Integer.parseInt(symbolNames.get(k));
            }
            for (Builder b : sequences.values()) {
                for (int i = 0; i < b.observations.size; i++) {
                    double v = b.observations.data[i];
                    if (!Double.isNaN(v)) {
                        b.observations.data[i] = renumber[(int) v];
                    }
                }
            }
        }
        if (numericStates && !stateNames.isEmpty()) {
            for (Builder b : sequences.values()) {
                for (int i = 0; i < b.states.size; i++) {
                    double v = b.states.data[i];
                    if (!Double.isNaN(v)) {
                        b.states.data[i] = stateValues.data[(int) v];
                    }
                }
            }
            stateNames.clear();
        }
        List<String> alphabet = symbolic ? alphabet(symbolNames) : symbolNames;
        List<Sequence> out = new ArrayList<>();
        for (Map.Entry<String, Builder> e : sequences.entrySet()) {
            Builder b = e.getValue();
            Sequence s = Sequence.of(e.getKey(), observationColumns, b.observations.toArray());
            if (inputColumns > 0) {
                s = s.withInputs(inputColumns, b.inputs.toArray());
            }
            if (stateColumns > 0) {
                s = s.withStates(stateColumns, b.states.toArray());
            }
            out.add(s);
        }
        try {
            Dataset d = symbolic ? Dataset.ofSymbols(out, alphabet) : Dataset.of(out);
            return stateNames.isEmpty() ? d : d.withStateNames(stateNames);
        } catch (DataException e) {
            throw new DataException(source + ": " + e.getMessage(), e);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * The alphabet of a dataset whose symbols are named {@code namesInOrder} (distinct, in order of first
     * appearance), by this format's rule: {@code "0".."max"} when every name is an integer written plainly
     * (0, 1, 2, ..., no sign or leading zero, at most 8 digits), so symbol k is index k; else the names in that
     * order. Readers that gather the names elsewhere (a cluster's partitions) use it to give the same alphabet.
     *
     * @throws DataException for an integer name of {@link Dataset#MAX_SYMBOLS} or more
     */
    public static List<String> alphabet(List<String> namesInOrder) {
        if (namesInOrder.isEmpty() || !namesInOrder.stream().allMatch(DatasetCsv::isIntegerName)) {
            return List.copyOf(namesInOrder);
        }
        int max = maxSymbol(namesInOrder);
        if (max >= Dataset.MAX_SYMBOLS) {
            throw new DataException("symbol " + max + " is too large; an alphabet has at most " + Dataset.MAX_SYMBOLS
                    + " symbols");
        }
        return Dataset.integerNames(max + 1);
    }

    private static boolean isIntegerName(String name) {
        return INTEGER.matcher(name).matches() && name.length() <= 8;
    }

    private static int maxSymbol(List<String> integerNames) {
        int max = 0;
        for (String name : integerNames) {
            max = Math.max(max, Integer.parseInt(name));
        }
        return max;
    }

    static boolean isMissing(String cell) {
        return cell.isEmpty() || cell.equals("NA") || cell.equalsIgnoreCase("null");
    }

    static double number(String cell, boolean allowMissing, String source, int line, String column) {
        if (isMissing(cell)) {
            if (!allowMissing) {
                throw new DataException(source + ": line " + line + ", column \"" + column + "\": cannot be missing");
            }
            return Double.NaN;
        }
        if (cell.equalsIgnoreCase("nan") || cell.toLowerCase(Locale.ROOT).contains("inf")) {
            throw new DataException(source + ": line " + line + ", column \"" + column + "\": \"" + cell
                    + "\" is not a finite number (leave the cell empty or write NA for a missing value)");
        }
        if (!NUMBER.matcher(cell).matches()) {
            String shown = cell.length() > 40 ? cell.substring(0, 40) + "..." : cell;
            throw new DataException(source + ": line " + line + ", column \"" + column + "\": \"" + shown
                    + "\" is not a number");
        }
        try {
            double v = Double.parseDouble(cell);
            if (!Double.isFinite(v)) {
                throw new DataException(source + ": line " + line + ", column \"" + column + "\": number out of range: " + cell);
            }
            return v;
        } catch (NumberFormatException e) {
            String shown = cell.length() > 40 ? cell.substring(0, 40) + "..." : cell;
            throw new DataException(source + ": line " + line + ", column \"" + column + "\": \"" + shown
                    + "\" is not a number");
        }
    }

    // RFC 4180 cells: commas separate, double quotes quote, "" inside quotes is a quote.
    static List<String> split(String line, String source, int lineNumber) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                if (cell.toString().isBlank() && !wasQuoted) {
                    quoted = true;
                    wasQuoted = true;
                    cell.setLength(0);
                } else {
                    throw new DataException(source + ": line " + lineNumber + ": stray quote in cell " + (cells.size() + 1));
                }
            } else if (ch == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
                wasQuoted = false;
            } else {
                if (wasQuoted && !Character.isWhitespace(ch)) {
                    throw new DataException(source + ": line " + lineNumber + ": text after a closing quote in cell "
                            + (cells.size() + 1));
                }
                cell.append(ch);
            }
        }
        if (quoted) {
            throw new DataException(source + ": line " + lineNumber + ": unterminated quote");
        }
        cells.add(cell.toString());
        return cells;
    }

    private static final class Builder {
        final DoubleList observations = new DoubleList();
        final DoubleList inputs = new DoubleList();
        final DoubleList states = new DoubleList();
        int rows;
    }

    private static final class DoubleList {
        double[] data = new double[64];
        int size;

        void add(double v) {
            if (size == data.length) {
                data = java.util.Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }

        double[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }

    // ----------------------------------------------------------------------------------------------

    /** Writes a dataset as CSV, atomically. */
    public static void write(Dataset data, Path file) {
        AtomicFiles.writeText(file, w -> write(data, w));
    }

    /** The dataset as CSV text. */
    public static String toCsv(Dataset data) {
        java.io.StringWriter w = new java.io.StringWriter();
        try {
            write(data, w);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return w.toString();
    }

    /**
     * Header {@code [sequence,]t,<observations>[,input..][,state..]}; the sequence column only when
     * there is more than one sequence; observation columns {@code symbol}, {@code y} or {@code y1..yd}.
     */
    public static void write(Dataset data, Writer w) throws IOException {
        boolean many = data.size() > 1;
        int d = data.dimension();
        int p = data.inputDimension();
        int k = 0;
        for (Sequence s : data.sequences()) {
            k = Math.max(k, s.stateDimension());
        }
        List<String> header = new ArrayList<>();
        if (many) {
            header.add("sequence");
        }
        header.add("t");
        if (data.kind() == ObservationKind.SYMBOLS) {
            header.add("symbol");
        } else if (d == 1) {
            header.add("y");
        } else {
            for (int j = 1; j <= d; j++) {
                header.add("y" + j);
            }
        }
        addNumbered(header, "input", p);
        addNumbered(header, "state", k);
        w.write(String.join(",", header));
        w.write('\n');
        List<String> names = data.symbolNames();
        StringBuilder row = new StringBuilder();
        for (Sequence s : data.sequences()) {
            for (int t = 0; t < s.length(); t++) {
                row.setLength(0);
                if (many) {
                    row.append(quote(s.id())).append(',');
                }
                row.append(t);
                for (int j = 0; j < d; j++) {
                    row.append(',');
                    double v = s.value(t, j);
                    if (!Double.isNaN(v)) {
                        if (data.kind() == ObservationKind.SYMBOLS && !names.isEmpty()) {
                            row.append(quote(names.get((int) v)));
                        } else {
                            row.append(format(v));
                        }
                    }
                }
                for (int j = 0; j < p; j++) {
                    row.append(',').append(format(s.input(t, j)));
                }
                for (int j = 0; j < k; j++) {
                    row.append(',');
                    if (s.hasStates() && j < s.stateDimension() && !Double.isNaN(s.state(t, j))) {
                        row.append(data.stateNames().isEmpty() ? format(s.state(t, j))
                                : quote(data.stateNames().get((int) s.state(t, j))));
                    }
                }
                row.append('\n');
                w.write(row.toString());
            }
        }
        w.flush();
    }

    private static void addNumbered(List<String> header, String base, int count) {
        if (count == 1) {
            header.add(base);
        } else {
            for (int j = 1; j <= count; j++) {
                header.add(base + j);
            }
        }
    }

    private static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15 && !(v == 0 && 1 / v < 0)) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.trim().equals(s)) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
