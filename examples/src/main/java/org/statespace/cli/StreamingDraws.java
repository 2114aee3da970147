package org.statespace.cli;

import java.io.Writer;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;

import org.statespace.StateSpaceModel;
import org.statespace.capability.LongSequenceInference;
import org.statespace.capability.PosteriorSampling;
import org.statespace.data.SequenceReader;
import org.statespace.inference.result.ResultValue;
import org.statespace.inference.result.SmoothReport;
import org.statespace.numeric.Randoms;

/**
 * {@code smooth --draws N} over a file read in chunks ({@code --stream}, or {@code .jsonl} data), for a model that
 * draws over chunks ({@link LongSequenceInference#streamsPosteriorDraws()}: an HMM, an input-output HMM, an
 * explicit-duration HMM, a linear-Gaussian or structural model). Sequence i is drawn with random stream i of the seed,
 * as in memory, and its draws arrive one after another in step order from the model's spills, so they are written as
 * they come: the tidy CSV and the JSON a line or a draw at a time, the summary from the first and last three steps of
 * every draw (N × 6 states kept). The output is the in-memory command's ({@link SmoothCommand}): the CSV line for line,
 * the JSON with the same fields, layout and numbers (the provenance adds {@code "streamed": true}), the summary the
 * same text.
 */
final class StreamingDraws {
    private static final int EDGE = 3;

    private StreamingDraws() {
    }

    static int run(CommandLine command, ModelDataOptions io, int draws, long seed) {
        ResultOutput form = io.form(command);
        StateSpaceModel<?, ?> model = io.readModel();
        if (!(model instanceof PosteriorSampling)) {
            throw new CommandLine.ParameterException(command, "--draws " + draws + ": a " + model.type()
                    + " model has no hidden states to draw from their posterior");
        }
        if (!(model instanceof LongSequenceInference sampler) || !sampler.streamsLongSequences()
                || !sampler.streamsPosteriorDraws()) {
            throw new CommandLine.ParameterException(command, "--draws " + draws + ": a " + model.type() + " model "
                    + "draws from its posterior in memory only (smooth --draws streams an HMM, an input-output HMM, an "
                    + "explicit-duration HMM, a linear-Gaussian or a structural model); drop --stream or give "
                    + ".json/.csv data");
        }
        List<String> names = Names.states(model);
        ObjectNode provenance = Cli.provenance("smooth").put("model", io.model.toString())
                .put("data", String.valueOf(io.data)).put("draws", draws).put("seed", seed);
        return StreamedOutput.write(command, io, form, model, provenance, (reader, out) -> {
            Summary summary = new Summary(names);
            run(sampler, reader, draws, seed, summary);
            StringBuilder b = new StringBuilder();
            SmoothCommand.drawsSummaryHead(b, summary.sequences == 0 ? 0 : draws, seed);
            out.print(SmoothCommand.drawsSummaryEnd(b.append(summary.b)));
        }, (reader, w) -> {
            Csv csv = new Csv(w, names);
            run(sampler, reader, draws, seed, csv);
            if (!csv.header) { // no sequence: the in-memory table's header
                csv.writeHeader(1);
            }
            return true;
        }, (reader, w, tail) -> {
            w.write("{\n  \"result\" : \"" + SmoothReport.KIND + "\",\n  \"version\" : " + ResultValue.VERSION + ",\n");
            if (!names.isEmpty()) {
                w.write("  \"states\" : [ " + String.join(", ", names.stream().map(StreamedOutput::quoted).toList())
                        + " ],\n");
            }
            w.write("  \"draws\" : " + draws + ",\n  \"seed\" : " + seed + ",\n  \"sequences\" : [");
            Json json = new Json(w, names);
            run(sampler, reader, draws, seed, json);
            w.write(" ],\n");
            w.write("  \"provenance\" : " + tail + "\n}\n");
        });
    }

    /** What a sequence's draws go to. */
    private interface Sink extends LongSequenceInference.DrawnSteps {
        void startSequence(String id);

        void endSequence();
    }

    // every sequence of the file in turn, sequence i with random stream i of the seed (as SmoothCommand draws)
    private static void run(LongSequenceInference sampler, SequenceReader reader, int draws, long seed, Sink sink) {
        long i = 0;
        while (reader.nextSequence()) {
            sink.startSequence(reader.id());
            sampler.samplePosterior(reader.id(), reader::nextChunk, draws, Randoms.stream(seed, i++), sink);
            sink.endSequence();
        }
    }

    /** SmoothCommand.drawsCsv's lines: sequence, draw, step, state (a name, or the numbers). */
    private static final class Csv extends StreamedOutput.Writing implements Sink {
        private final StringBuilder row = new StringBuilder();
        private final List<String> names;
        private String id;
        private int draw;
        private int dimension;
        private boolean discrete;
        boolean header;

        Csv(Writer w, List<String> names) {
            super(w);
            this.names = names;
        }

        void writeHeader(int width) {
            row.setLength(0);
            SmoothCommand.drawsCsvHeader(row, width);
            out(row);
            header = true;
        }

        @Override
        public void startSequence(String id) {
            this.id = ResultOutput.quote(id);
        }

        @Override
        public void begin(int count, int length, int dimension, boolean discrete) {
            this.dimension = dimension;
            this.discrete = discrete;
            if (!header) {
                writeHeader(dimension);
            }
        }

        @Override
        public void draw(int d) {
            draw = d;
        }

        @Override
        public void step(int t, double[] values, int offset) {
            row.setLength(0);
            SmoothCommand.drawsCsvRow(row, id, draw, t, values, offset, dimension, discrete, names);
            out(row);
        }

        @Override
        public void endSequence() {
        }
    }

    /**
     * The sequences of the in-memory JSON (Jackson's pretty printer: objects a field a line, arrays on one line):
     * {@code { "id" : ..., "draws" : [ [ step, ... ], ... ] }}, a step a state name or the array of its numbers.
     */
    private static final class Json extends StreamedOutput.Writing implements Sink {
        private final StringBuilder row = new StringBuilder();
        private final List<String> names;
        private int dimension;
        private boolean discrete;
        private boolean firstStep;
        private boolean firstDraw;
        long sequences;

        Json(Writer w, List<String> names) {
            super(w);
            this.names = names;
        }

        @Override
        public void startSequence(String id) {
            out((sequences == 0 ? " {\n" : ", {\n") + "    \"id\" : " + StreamedOutput.quoted(id)
                    + ",\n    \"draws\" : [");
            firstDraw = true;
        }

        @Override
        public void begin(int count, int length, int dimension, boolean discrete) {
            this.dimension = dimension;
            this.discrete = discrete;
        }

        @Override
        public void draw(int d) {
            if (!firstDraw) {
                out(firstStep ? " ]," : " ],"); // the previous draw closed
            }
            out(" [");
            firstDraw = false;
            firstStep = true;
        }

        @Override
        public void step(int t, double[] values, int offset) {
            row.setLength(0);
            row.append(firstStep ? " " : ", ");
            firstStep = false;
            if (discrete) {
                row.append(StreamedOutput.quoted(names.get((int) values[offset])));
            } else {
                row.append("[ ");
                for (int j = 0; j < dimension; j++) {
                    double v = values[offset + j];
                    if (!Double.isFinite(v)) {
                        throw new org.statespace.spec.Json.NonFiniteNumberException(v, "a posterior draw");
                    }
                    row.append(j == 0 ? "" : ", ").append(v);
                }
                row.append(" ]");
            }
            out(row);
        }

        @Override
        public void endSequence() {
            out((firstDraw ? " ]" : " ] ]") + "\n  }");
            sequences++;
        }
    }

    /** The per-sequence tables of SmoothCommand.drawsSummary from the first and last three steps of every draw. */
    private static final class Summary implements Sink {
        private final StringBuilder b = new StringBuilder();
        private final List<String> names;
        private String id;
        private int count;
        private int length;
        private int dimension;
        private boolean discrete;
        private int draw;
        private double[] edges; // draw d, slot s (steps 0..2, then the last three by t % 3), component i
        long sequences;

        Summary(List<String> names) {
            this.names = names;
        }

        @Override
        public void startSequence(String id) {
            this.id = id;
        }

        @Override
        public void begin(int count, int length, int dimension, boolean discrete) {
            this.count = count;
            this.length = length;
            this.dimension = dimension;
            this.discrete = discrete;
            edges = new double[count * 2 * EDGE * dimension];
        }

        @Override
        public void draw(int d) {
            draw = d;
        }

        @Override
        public void step(int t, double[] values, int offset) {
            if (t < EDGE || t >= length - EDGE) {
                System.arraycopy(values, offset, edges, (draw * 2 * EDGE + slot(t)) * dimension, dimension);
            }
        }

        private static int slot(int t) {
            return t < EDGE ? t : EDGE + t % EDGE;
        }

        @Override
        public void endSequence() {
            SmoothCommand.drawsSummarySequence(b, sequences == 0, id, count, length, dimension, discrete,
                    (d, t, i) -> edges[(d * 2 * EDGE + slot(t)) * dimension + i], names);
            sequences++;
        }
    }
}
