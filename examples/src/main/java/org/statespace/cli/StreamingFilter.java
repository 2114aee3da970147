package org.statespace.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine;

import org.statespace.NumericalException;
import org.statespace.StateSpaceModel;
import org.statespace.capability.PathDecoding;
import org.statespace.capability.StateRecording;
import org.statespace.data.DatasetCsv;
import org.statespace.data.ObservationKind;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceReader;
import org.statespace.distribution.Categorical;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.inference.FileFilter;
import org.statespace.inference.FilterOptions;
import org.statespace.inference.result.FilterReport;
import org.statespace.inference.result.ResultValue;
import org.statespace.io.AtomicFiles;
import org.statespace.spec.Json;

/**
 * {@code filter} over a file read and written incrementally, so the heap does not grow with the length of a
 * sequence or the number of sequences: the data come from a {@link SequenceReader} (one sequence at a time, a
 * long one in chunks), the engine runs step by step ({@link FileFilter}), and each step's numbers are written as
 * they come, to a temporary file moved over {@code --out} at the end (nothing half-written is left on error).
 *
 * <p>Used with {@code --stream}, or when the data or {@code --out} is JSON Lines ({@code .jsonl},
 * {@code .ndjson}). The result has the fields of the in-memory one, in an order that lets it be written
 * incrementally: each sequence's {@code "logLikelihood"} after its per-step arrays, the totals after
 * {@code "sequences"}. {@code --out R.jsonl} writes one line per sequence and a last line with the totals and
 * the provenance; {@code --out R.csv} the tidy table of the in-memory path. With {@code --summaries} in JSON, the
 * per-step arrays after the first are spilled to temporary files while a sequence runs and copied after it, so
 * memory stays constant at the cost of disk. With {@code --states}, the filtered state estimates the model reads off
 * the same pass step by step ({@link org.statespace.capability.StateRecording.StepRecorder}) are written the same
 * way: the tracks and numbers of the in-memory result (its {@code "states"} names in the JSON head, or on the last
 * line of JSON Lines), each track's array spilled in JSON, its columns in the CSV row of the step ({@link
 * StreamedStates}). {@code --threads} is ignored (one thread).
 */
final class StreamingFilter {
    private static final double[] LEVELS = {0.25, 0.75, 0.05, 0.95}; // lower50, upper50, lower90, upper90
    private static final String[] SUMMARY_FIELDS = {"predictiveMeans", "predictiveVariances", "lower50", "upper50",
        "lower90", "upper90"};

    private StreamingFilter() {
    }

    /** Whether {@code filter} streams: with {@code --stream}, or JSON Lines data or output. */
    static boolean applies(boolean stream, Path data, Path out) {
        return stream || (data != null && SequenceReader.isJsonLines(data))
                || (out != null && SequenceReader.isJsonLines(out));
    }

    /** Runs {@code filter} streaming; the command's checks on options are done. */
    static int run(CommandLine command, ModelDataOptions io, boolean summaries, boolean states) {
        boolean jsonLines = io.out != null && SequenceReader.isJsonLines(io.out);
        if (jsonLines && io.json) {
            throw new CommandLine.ParameterException(command, "--json and --out " + io.out
                    + " disagree: a .jsonl file gets JSON Lines; drop --json");
        }
        ResultOutput form = jsonLines ? ResultOutput.JSON : io.form(command);
        StateSpaceModel<?, ?> model = io.readModel();
        List<StateRecording.TrackShape> tracks = states ? StreamedStates.tracks(command, model) : List.of();
        List<String> stateNames = states ? Names.states(model) : List.of();
        Cli.requireFile(io.data, "--data");
        DatasetCsv.Columns columns = io.csvColumns(command, model);
        List<String> symbols = model.observationSpace().kind() == ObservationKind.SYMBOLS
                ? (model.symbolNames().size() == model.observationSpace().size() ? model.symbolNames()
                        : PathDecoding.indexNames(model.observationSpace().size()))
                : List.of();
        String provenance = provenance(io);
        FilterOptions options = new FilterOptions(1, summaries, true, states);
        java.io.PrintWriter stdout = command.getOut();
        try (SequenceReader reader = SequenceReader.open(io.data, model.observationSpace(), columns)) {
            switch (form) {
                case SUMMARY -> {
                    SummaryTable table = new SummaryTable();
                    FileFilter.Totals totals = FileFilter.run(model, reader, options, table);
                    stdout.print(table.text(totals));
                    stdout.flush();
                }
                case JSON -> {
                    if (OutputPaths.isStandardOutput(io.out)) {
                        try {
                            Writer w = new BufferedWriter(stdout);
                            writeJson(model, reader, options, symbols, summaries, jsonLines, provenance, w, tracks,
                                    stateNames);
                            w.flush();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    } else {
                        AtomicFiles.writeText(io.out, w -> writeJson(model, reader, options, symbols, summaries,
                                jsonLines, provenance, w, tracks, stateNames));
                    }
                }
                case CSV -> AtomicFiles.writeText(io.out, w -> {
                    CsvSteps csv = new CsvSteps(w, summaries, symbols, model.observationSpace().dimension(), tracks,
                            stateNames);
                    FileFilter.run(model, reader, options, csv);
                    csv.flush();
                });
                default -> throw new IllegalStateException();
            }
        } catch (UncheckedIOException e) {
            throw new org.statespace.ResourceException((io.out == null ? "standard output" : io.out.toString())
                    + ": cannot write (" + e.getCause().getMessage() + ")", e);
        }
        return 0;
    }

    private static String provenance(ModelDataOptions io) {
        com.fasterxml.jackson.databind.node.ObjectNode p = Cli.provenance("filter");
        p.put("model", io.model.toString());
        p.put("data", io.data.toString());
        p.put("streamed", true);
        try { // on one line, as a JSON Lines line needs it
            return Json.mapper().writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeJson(StateSpaceModel<?, ?> model, SequenceReader reader, FilterOptions options,
            List<String> symbols, boolean summaries, boolean jsonLines, String provenance, Writer w,
            List<StateRecording.TrackShape> tracks, List<String> stateNames) throws IOException {
        JsonSteps steps = new JsonSteps(w, summaries, symbols, model.observationSpace().dimension(), jsonLines, tracks);
        String names = "[" + String.join(", ", stateNames.stream().map(StreamingFilter::quoted).toList()) + "]";
        try {
            if (!jsonLines) {
                // the typed result's marker first, as FilterReport's codec writes it
                w.write("{\n  \"result\" : \"" + FilterReport.KIND + "\",\n  \"version\" : " + ResultValue.VERSION
                        + ",\n");
                if (!stateNames.isEmpty()) {
                    w.write("  \"states\" : " + names + ",\n");
                }
                if (summaries && !symbols.isEmpty()) {
                    w.write("  \"symbols\" : [" + String.join(", ", symbols.stream().map(StreamingFilter::quoted).toList())
                            + "],\n");
                }
                w.write("  \"sequences\" : [");
            }
            FileFilter.Totals totals = FileFilter.run(model, reader, options, steps);
            String tail = "\"logLikelihood\" : " + number(totals.logLikelihood()) + ", \"observations\" : "
                    + totals.observedSteps() + ", \"meanLogLikelihood\" : " + number(totals.meanLogLikelihood())
                    + ", \"provenance\" : " + provenance;
            if (jsonLines) {
                w.write("{" + (stateNames.isEmpty() ? "" : "\"states\" : " + names + ", ") + tail + "}\n");
            } else {
                w.write(totals.sequences() == 0 ? "],\n" : "\n  ],\n");
                w.write("  " + tail + "\n}\n");
            }
        } finally {
            steps.deleteSpills();
        }
    }

    // A finite number as JSON: an integer without a decimal point, else the shortest decimal that reads back.
    static String number(double v) {
        if (!Double.isFinite(v)) {
            throw new Json.NonFiniteNumberException(v, "a streamed filter result");
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15 && !(v == 0 && 1 / v < 0)) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static String quoted(String s) {
        try {
            return Json.mapper().writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // The summaries of one step: means, variances, the four quantiles, and the symbols' probabilities.
    private static final class StepSummary {
        final int d;
        final double[][] values; // per SUMMARY_FIELDS, d numbers
        double[] probabilities;

        StepSummary(int d) {
            this.d = d;
            values = new double[SUMMARY_FIELDS.length][d];
        }

        void read(Sequence window, int t, PredictiveDistribution predicted) {
            for (int j = 0; j < d; j++) {
                values[0][j] = predicted.mean(j);
                values[1][j] = predicted.variance(j);
                for (int q = 0; q < 4; q++) {
                    values[2 + q][j] = predicted.quantile(j, LEVELS[q]);
                }
                for (int f = 0; f < SUMMARY_FIELDS.length; f++) {
                    if (!Double.isFinite(values[f][j])) {
                        throw new NumericalException("sequence '" + window.id() + "', step " + t + ": the predictive "
                                + SUMMARY_FIELDS[f] + (d == 1 ? "" : " of component " + j) + " is " + values[f][j]
                                + " (it lies outside the range of a double)");
                    }
                }
            }
            if (predicted instanceof Categorical c) {
                if (probabilities == null || probabilities.length != c.size()) {
                    probabilities = new double[c.size()];
                }
                c.copyProbabilities(probabilities, 0);
            }
        }
    }

    /** JSON (or one JSON Lines line) per sequence, its first array written as it comes, the others spilled. */
    private static final class JsonSteps implements FileFilter.Listener {
        private final Writer w;
        private final boolean summaries;
        private final boolean jsonLines;
        private final StepSummary summary;
        private final Path[] spillFiles;
        private final Writer[] spills;
        private final int summarySpills; // the summaries' spills, then one per state track
        private final List<StateRecording.TrackShape> tracks;
        private long sequences;
        private long stepsWritten;

        JsonSteps(Writer w, boolean summaries, List<String> symbols, int d, boolean jsonLines,
                List<StateRecording.TrackShape> tracks) {
            this.w = w;
            this.summaries = summaries;
            this.jsonLines = jsonLines;
            this.summary = new StepSummary(d);
            this.tracks = tracks;
            summarySpills = summaries ? SUMMARY_FIELDS.length + (symbols.isEmpty() ? 0 : 1) : 0;
            int n = summarySpills + tracks.size();
            spillFiles = new Path[n];
            spills = new Writer[n];
        }

        private void out(String s) {
            try {
                w.write(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void startSequence(String id) {
            out(jsonLines ? "{" : (sequences == 0 ? "\n    {" : ",\n    {"));
            out("\"id\" : " + quoted(id) + ", \"predictiveLogDensities\" : [");
            stepsWritten = 0;
            try {
                for (int f = 0; f < spills.length; f++) {
                    if (spillFiles[f] == null) {
                        spillFiles[f] = Files.createTempFile("statespace-filter-", ".json.part");
                    }
                    spills[f] = Files.newBufferedWriter(spillFiles[f], StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void step(Sequence window, int t, PredictiveDistribution predicted, double logDensity) {
            String sep = stepsWritten == 0 ? "" : ",";
            out(sep + (window.isMissing(t) ? "null" : number(logDensity)));
            if (summaries) {
                summary.read(window, t, predicted);
                try {
                    for (int f = 0; f < SUMMARY_FIELDS.length; f++) {
                        spills[f].write(sep);
                        vector(spills[f], summary.values[f], summary.d > 1);
                    }
                    if (summarySpills > SUMMARY_FIELDS.length) {
                        Writer s = spills[SUMMARY_FIELDS.length];
                        s.write(sep);
                        vector(s, summary.probabilities, true);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            stepsWritten++;
        }

        @Override
        public void states(Sequence window, int t, double[][] blocks) {
            try {
                for (int i = 0; i < blocks.length; i++) {
                    Writer s = spills[summarySpills + i];
                    if (stepsWritten > 0) {
                        s.write(',');
                    }
                    StreamedStates.json(s, tracks.get(i), blocks[i]);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void vector(Writer s, double[] v, boolean array) throws IOException {
            if (!array) {
                s.write(number(v[0]));
                return;
            }
            s.write('[');
            for (int j = 0; j < v.length; j++) {
                s.write((j == 0 ? "" : ",") + number(v[j]));
            }
            s.write(']');
        }

        @Override
        public void endSequence(String id, double logLikelihood, long steps, long observedSteps) {
            out("]");
            try {
                for (int f = 0; f < spills.length; f++) {
                    spills[f].close();
                    out(", \"" + (f >= summarySpills ? tracks.get(f - summarySpills).name()
                            : f < SUMMARY_FIELDS.length ? SUMMARY_FIELDS[f] : "predictiveProbabilities") + "\" : [");
                    try (Reader r = Files.newBufferedReader(spillFiles[f], StandardCharsets.UTF_8)) {
                        r.transferTo(w);
                    }
                    out("]");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out(", \"logLikelihood\" : " + number(logLikelihood) + "}" + (jsonLines ? "\n" : ""));
            sequences++;
        }

        void deleteSpills() {
            for (int f = 0; f < spills.length; f++) {
                try {
                    if (spills[f] != null) {
                        spills[f].close();
                    }
                    if (spillFiles[f] != null) {
                        Files.deleteIfExists(spillFiles[f]);
                    }
                } catch (IOException e) {
                    // a temporary file left in the temporary folder; nothing more to do
                }
            }
        }
    }

    /** The tidy CSV of {@link ResultOutput}: sequence, t, predictiveLogDensities and the summaries, a row a step. */
    private static final class CsvSteps implements FileFilter.Listener {
        private final Writer w;
        private final boolean summaries;
        private final List<String> symbols;
        private final StepSummary summary;
        private final StringBuilder row = new StringBuilder();
        private final List<StateRecording.TrackShape> tracks;
        private double[][] stateBlocks; // the step's, live until its row is written
        private String id;

        CsvSteps(Writer w, boolean summaries, List<String> symbols, int d, List<StateRecording.TrackShape> tracks,
                List<String> stateNames) {
            this.w = w;
            this.summaries = summaries;
            this.symbols = symbols;
            this.summary = new StepSummary(d);
            this.tracks = tracks;
            List<String> header = new ArrayList<>(List.of("sequence", "t", "predictiveLogDensities"));
            if (summaries) {
                for (String f : SUMMARY_FIELDS) {
                    if (d == 1) {
                        header.add(f);
                    } else {
                        for (int j = 0; j < d; j++) {
                            header.add(f + "." + j);
                        }
                    }
                }
                for (String s : symbols) {
                    header.add("predictiveProbabilities." + s);
                }
            }
            for (StateRecording.TrackShape track : tracks) {
                header.addAll(StreamedStates.columns(track, stateNames));
            }
            write(String.join(",", header.stream().map(ResultOutput::quote).toList()) + "\n");
        }

        private void write(CharSequence s) {
            try {
                w.append(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void startSequence(String id) {
            this.id = ResultOutput.quote(id);
        }

        @Override
        public void step(Sequence window, int t, PredictiveDistribution predicted, double logDensity) {
            row.setLength(0);
            row.append(id).append(',').append(t).append(',');
            if (!window.isMissing(t)) {
                row.append(ResultOutput.number(logDensity));
            }
            if (summaries) {
                summary.read(window, t, predicted);
                for (double[] v : summary.values) {
                    for (double x : v) {
                        row.append(',').append(ResultOutput.number(x));
                    }
                }
                if (!symbols.isEmpty()) {
                    for (double p : summary.probabilities) {
                        row.append(',').append(ResultOutput.number(p));
                    }
                }
            }
            for (int i = 0; i < tracks.size(); i++) {
                StreamedStates.cells(row, tracks.get(i), stateBlocks[i]);
            }
            write(row.append('\n'));
        }

        @Override
        public void states(Sequence window, int t, double[][] blocks) {
            stateBlocks = blocks;
        }

        @Override
        public void endSequence(String id, double logLikelihood, long steps, long observedSteps) {
        }

        void flush() throws IOException {
            w.flush();
        }
    }

    /** The printed summary: the totals and the first sequences. */
    private static final class SummaryTable implements FileFilter.Listener {
        private final ResultOutput.Table table = new ResultOutput.Table("sequence", "steps", "observed",
                "log-likelihood", "per step");

        @Override
        public void startSequence(String id) {
        }

        @Override
        public void step(Sequence window, int t, PredictiveDistribution predicted, double logDensity) {
        }

        @Override
        public void endSequence(String id, double logLikelihood, long steps, long observedSteps) {
            if (table.size() < Summaries.MAX_ROWS) {
                table.row(id, steps, observedSteps, logLikelihood,
                        observedSteps == 0 ? Double.NaN : logLikelihood / observedSteps);
            }
        }

        String text(FileFilter.Totals totals) {
            StringBuilder b = new StringBuilder();
            b.append("log-likelihood ").append(ResultOutput.readable(totals.logLikelihood())).append(" over ")
                    .append(totals.observedSteps()).append(" observed steps (")
                    .append(ResultOutput.readable(totals.meanLogLikelihood())).append(" per step)\n\n");
            table.appendTo(b, "");
            if (totals.sequences() > Summaries.MAX_ROWS) {
                b.append("  ... ").append(totals.sequences() - Summaries.MAX_ROWS).append(" more sequences\n");
            }
            return b.append("  (--json, or --out R.json|R.jsonl|R.csv for every step)\n").toString();
        }
    }
}
