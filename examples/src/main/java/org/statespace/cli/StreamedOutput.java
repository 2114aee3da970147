package org.statespace.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;

import org.statespace.ResourceException;
import org.statespace.StateSpaceModel;
import org.statespace.data.DatasetCsv;
import org.statespace.data.SequenceReader;
import org.statespace.inference.result.ResultValue;
import org.statespace.io.AtomicFiles;
import org.statespace.spec.Json;

/**
 * The output plumbing the streamed {@code decode}, {@code smooth} and {@code forecast} share: opening {@code --data}
 * for reading in chunks and writing the result in the form asked for ({@link #write}), the head and the end of the
 * hand-written JSON's sequences, the provenance block as it is embedded in that JSON, the JSON written to standard
 * output or atomically over {@code --out}, the writer's failures as one error naming the output, and a sink that
 * writes text to a writer.
 */
final class StreamedOutput {
    private StreamedOutput() {
    }

    /** Whether {@code decode}, {@code smooth} or {@code forecast} streams: with {@code --stream}, or JSON Lines data. */
    static boolean applies(boolean stream, Path data) {
        return stream || (data != null && SequenceReader.isJsonLines(data));
    }

    /** The summary's text over the sequences of {@code reader}, printed to {@code out}. */
    @FunctionalInterface
    interface Summary {
        void print(SequenceReader reader, PrintWriter out);
    }

    /** The tidy CSV over the sequences of {@code reader}; false when it wrote nothing, not even the header. */
    @FunctionalInterface
    interface Csv {
        boolean write(SequenceReader reader, Writer w) throws IOException;
    }

    /** The JSON result over the sequences of {@code reader}, {@code provenance} its last field's value. */
    @FunctionalInterface
    interface JsonResult {
        void write(SequenceReader reader, Writer w, String provenance) throws IOException;
    }

    /**
     * Runs the streamed {@code commandName} over {@code --data} read in chunks, writing {@code form}: the summary to
     * standard output; the tidy CSV to a temporary file moved over {@code --out} (a file with no step at all is
     * the in-memory table's lone column, {@code sequence}); the JSON, whose provenance says {@code "streamed": true},
     * to standard output or atomically over {@code --out}. A failure of the writer is one error naming the output.
     */
    static int write(CommandLine command, ModelDataOptions io, ResultOutput form, StateSpaceModel<?, ?> model,
            String commandName, Summary summary, Csv csv, JsonResult json) {
        return write(command, io, form, model, Cli.provenance(commandName).put("model", io.model.toString())
                .put("data", String.valueOf(io.data)), summary, csv, json);
    }

    /**
     * {@link #write} with the JSON's provenance given ({@code "streamed": true} is added last): for a command whose
     * provenance records more than the model and the data ({@code smooth --draws}: the number and the seed).
     */
    static int write(CommandLine command, ModelDataOptions io, ResultOutput form, StateSpaceModel<?, ?> model,
            ObjectNode provenance, Summary summary, Csv csv, JsonResult json) {
        Cli.requireFile(io.data, "--data");
        DatasetCsv.Columns columns = io.csvColumns(command, model);
        provenance.put("streamed", true);
        try (SequenceReader reader = SequenceReader.open(io.data, model.observationSpace(), columns)) {
            switch (form) {
                case SUMMARY -> {
                    summary.print(reader, command.getOut());
                    command.getOut().flush();
                }
                case CSV -> AtomicFiles.writeText(io.out, w -> {
                    if (!csv.write(reader, w)) {
                        w.write("sequence\n");
                    }
                    w.flush();
                });
                case JSON -> {
                    String tail = provenance(provenance);
                    json(command, io.out, w -> json.write(reader, w, tail));
                }
                default -> throw new IllegalStateException();
            }
        } catch (UncheckedIOException e) {
            throw cannotWrite(io.out, e);
        }
        return 0;
    }

    /**
     * The JSON result's opening as the in-memory one writes it: its kind and version, the states when the model has
     * discrete ones, then the sequences array opened.
     */
    static void jsonHead(Writer w, String kind, List<String> states) throws IOException {
        w.write("{\n  \"result\" : \"" + kind + "\",\n  \"version\" : " + ResultValue.VERSION + ",\n");
        if (!states.isEmpty()) {
            w.write("  \"states\" : [ " + String.join(", ", states.stream().map(StreamedOutput::quoted).toList())
                    + " ],\n");
        }
        w.write("  \"sequences\" : [");
    }

    /** Closes the sequences array {@link #jsonHead} opened, after {@code sequences} of them. */
    static void jsonSequencesEnd(Writer w, long sequences) throws IOException {
        w.write(sequences == 0 ? "],\n" : "\n  ],\n");
    }

    /** The provenance, pretty-printed and indented to sit as a field of the result object. */
    static String provenance(ObjectNode provenance) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(provenance).replace("\n", "\n  ");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON result: to standard output (flushed, not closed) or to a temporary file moved over {@code out}. */
    static void json(CommandLine command, Path out, AtomicFiles.TextContent content) {
        if (OutputPaths.isStandardOutput(out)) {
            try {
                Writer w = new BufferedWriter(command.getOut());
                content.writeTo(w);
                w.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            AtomicFiles.writeText(out, content);
        }
    }

    /** A failure of the output writer, as the one error the command line prints. */
    static ResourceException cannotWrite(Path out, UncheckedIOException e) {
        return new ResourceException((out == null ? "standard output" : out.toString()) + ": cannot write ("
                + e.getCause().getMessage() + ")", e);
    }

    /** A JSON string literal. */
    static String quoted(String s) {
        try {
            return Json.mapper().writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The summaries' runs of one state through a sequence, as {@link Summaries} tabulates them: a row a run (what
     * the row holds is {@link #row}'s), the first {@link Summaries#MAX_ROWS} of them, then how many more; the text
     * of every sequence in {@link #b}.
     */
    abstract static class StateRuns {
        final StringBuilder b = new StringBuilder();
        private ResultOutput.Table table;
        private int runs;
        int state = -1;
        int start;
        int end;

        /** A sequence's runs start, tabulated in {@code table}. */
        void startRuns(ResultOutput.Table table) {
            this.table = table;
            runs = 0;
            state = -1;
        }

        /** Step {@code t} in state {@code s}: true when it extends the run; else that run is closed and s starts one. */
        boolean extend(int t, int s) {
            if (s == state) {
                end = t;
                return true;
            }
            close();
            state = s;
            start = t;
            end = t;
            return false;
        }

        /** The row of the run of {@link #state} from {@link #start} to {@link #end}. */
        abstract void row(ResultOutput.Table table);

        private void close() {
            if (state >= 0 && runs++ < Summaries.MAX_ROWS) {
                row(table);
            }
        }

        /** The sequence's last run closed and its table appended to {@link #b}. */
        void endRuns() {
            close();
            table.appendTo(b, "  ");
            if (runs > Summaries.MAX_ROWS) {
                b.append("  ... ").append(runs - Summaries.MAX_ROWS).append(" more segments\n");
            }
            b.append('\n');
        }
    }

    /** Text appended to a writer, its I/O failure unchecked (the command turns it into {@link #cannotWrite}). */
    abstract static class Writing {
        final Writer w;

        Writing(Writer w) {
            this.w = w;
        }

        void out(CharSequence s) {
            try {
                w.append(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
