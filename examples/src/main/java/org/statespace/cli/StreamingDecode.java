package org.statespace.cli;

import java.io.Writer;
import java.util.List;

import picocli.CommandLine;

import org.statespace.StateSpaceModel;
import org.statespace.capability.LongSequenceInference;
import org.statespace.capability.PathDecoding;
import org.statespace.data.SequenceReader;
import org.statespace.inference.result.DecodeReport;

/**
 * {@code decode} over a file read in chunks ({@code --stream}, or {@code .jsonl} data), for a model with
 * {@link LongSequenceInference} (an HMM, an input-output HMM or an explicit-duration HMM): each sequence's Viterbi backpointers are spilled to a
 * temporary file and traced back on disk, then the path is written out in step order, so the heap does not grow
 * with the length of a sequence or the number of sequences. The output is the in-memory command's: the tidy CSV
 * line for line, the JSON's fields and values (the provenance says {@code "streamed": true}), the summary's text;
 * written to a temporary file moved over {@code --out} at the end.
 */
final class StreamingDecode {
    private StreamingDecode() {
    }

    static int run(CommandLine command, ModelDataOptions io) {
        ResultOutput form = io.form(command);
        StateSpaceModel<?, ?> model = io.readModel();
        if (!(model instanceof PathDecoding)) { // a continuous state (a linear-Gaussian model): the in-memory message
            throw new CommandLine.ParameterException(command, "a " + model.type() + " model has no discrete hidden path "
                    + "to decode");
        }
        if (!(model instanceof LongSequenceInference decoder) || !decoder.streamsLongSequences()) {
            throw new CommandLine.ParameterException(command, "a " + model.type() + " model is decoded in memory only "
                    + "(decode streams an HMM, an input-output or an explicit-duration HMM: --stream, or .jsonl data); drop --stream or give .json/.csv data");
        }
        List<String> states = Names.states(model);
        return StreamedOutput.write(command, io, form, model, "decode", (reader, out) -> {
            SummaryText text = new SummaryText(states);
            run(decoder, reader, text);
            out.print(text.b.append("start and end are steps (0-based, inclusive)\n")
                    .append("  (--json, or --out R.json|R.csv for every step)\n"));
        }, (reader, w) -> {
            CsvSteps csv = new CsvSteps(w, states);
            run(decoder, reader, csv);
            return csv.header;
        }, (reader, w, provenance) -> {
            StreamedOutput.jsonHead(w, DecodeReport.KIND, states);
            JsonSteps steps = new JsonSteps(w, states);
            run(decoder, reader, steps);
            StreamedOutput.jsonSequencesEnd(w, steps.sequences);
            w.write("  \"provenance\" : " + provenance + "\n}\n");
        });
    }

    private interface Sink extends LongSequenceInference.DecodedSteps {
        void startSequence(String id);

        void endSequence();
    }

    private static void run(LongSequenceInference decoder, SequenceReader reader, Sink sink) {
        while (reader.nextSequence()) {
            sink.startSequence(reader.id());
            decoder.decode(reader.id(), reader::nextChunk, sink);
            sink.endSequence();
        }
    }

    private abstract static class Writing extends StreamedOutput.Writing implements Sink {
        final List<String> quotedStates;

        Writing(Writer w, List<String> quotedStates) {
            super(w);
            this.quotedStates = quotedStates;
        }
    }

    private static final class JsonSteps extends Writing {
        private String id;
        private double logProbability;
        private boolean any;
        long sequences;

        JsonSteps(Writer w, List<String> states) {
            super(w, states.stream().map(StreamedOutput::quoted).toList());
        }

        @Override
        public void startSequence(String id) {
            this.id = id;
        }

        @Override
        public void begin(double logProbability, int length) {
            this.logProbability = logProbability;
            any = false;
            out((sequences == 0 ? "\n" : ",\n") + "    {\n      \"id\" : " + StreamedOutput.quoted(id)
                    + ",\n      \"viterbiPath\" : [");
        }

        @Override
        public void step(int t, int state) {
            out((any ? ", " : " ") + quotedStates.get(state));
            any = true;
        }

        @Override
        public void endSequence() {
            out(" ],\n      \"viterbiLogProbability\" : " + StreamingFilter.number(logProbability) + "\n    }");
            sequences++;
        }
    }

    private static final class CsvSteps extends Writing {
        private final StringBuilder row = new StringBuilder();
        private String id;
        boolean header;

        CsvSteps(Writer w, List<String> states) {
            super(w, states.stream().map(ResultOutput::quote).toList());
        }

        @Override
        public void startSequence(String id) {
            this.id = ResultOutput.quote(id);
        }

        @Override
        public void begin(double logProbability, int length) {
        }

        @Override
        public void step(int t, int state) {
            if (!header) {
                out("sequence,t,viterbiPath\n");
                header = true;
            }
            row.setLength(0);
            out(row.append(id).append(',').append(t).append(',').append(quotedStates.get(state)).append('\n'));
        }

        @Override
        public void endSequence() {
        }
    }

    /** Summaries.decode's text: per sequence its length, log p(path, observations) and the path's segments. */
    private static final class SummaryText extends StreamedOutput.StateRuns implements Sink {
        private final List<String> states;
        private String id;

        SummaryText(List<String> states) {
            this.states = states;
        }

        @Override
        public void startSequence(String id) {
            this.id = id;
        }

        @Override
        public void begin(double logProbability, int length) {
            b.append("sequence ").append(id).append(": ").append(length).append(" steps, log p(path, observations) ")
                    .append(ResultOutput.readable(logProbability)).append('\n');
            startRuns(new ResultOutput.Table("state", "start", "end", "length"));
        }

        @Override
        public void step(int t, int s) {
            extend(t, s);
        }

        @Override
        void row(ResultOutput.Table table) {
            table.row(states.get(state), start, end, end - start + 1);
        }

        @Override
        public void endSequence() {
            endRuns();
        }
    }
}
