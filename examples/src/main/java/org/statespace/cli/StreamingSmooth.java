package org.statespace.cli;

import java.io.Writer;
import java.util.List;

import picocli.CommandLine;

import org.statespace.StateSpaceModel;
import org.statespace.capability.LongSequenceInference;
import org.statespace.data.SequenceReader;
import org.statespace.inference.result.SmoothReport;
import org.statespace.inference.result.TidyTable;

/**
 * {@code smooth} over a file read in chunks ({@code --stream}, or {@code .jsonl} data), for a model with
 * {@link LongSequenceInference} (an HMM, an input-output or explicit-duration HMM, a linear-Gaussian, structural or
 * non-linear model): each sequence's forward filter
 * is spilled to a temporary file, the backward pass reads it in reverse and writes the smoothed values back in place,
 * and a last forward read writes them out (the JSON of a linear-Gaussian model, with three tracks, reads the spill
 * once per track), so the heap does not grow with the length of a sequence or the number of sequences (the disk
 * holds one sequence's spill at a time). The output is the in-memory command's: the tidy CSV line for line, the JSON
 * with the same fields and numbers (the provenance says {@code "streamed": true}), the summary the same text. It
 * goes to a temporary file moved over {@code --out} at the end, so an error leaves no half-written result.
 */
final class StreamingSmooth {
    private StreamingSmooth() {
    }

    static int run(CommandLine command, ModelDataOptions io) {
        ResultOutput form = io.form(command);
        StateSpaceModel<?, ?> model = io.readModel();
        SmoothCommand.smoother(command, model); // no hidden states: the in-memory command's error
        if (!(model instanceof LongSequenceInference smoother) || !smoother.streamsLongSequences()) {
            throw new CommandLine.ParameterException(command, "a " + model.type() + " model is smoothed in memory only "
                    + "(smooth streams an HMM, an input-output or explicit-duration HMM, a linear-Gaussian, a structural or a non-linear model: --stream, "
                    + "or .jsonl data); drop --stream or give .json/.csv data");
        }
        List<String> states = Names.states(model);
        return StreamedOutput.write(command, io, form, model, "smooth", (reader, out) -> {
            // a discrete state: runs of the most probable state; a continuous one: the first and last steps
            Sink text = states.isEmpty() ? new MomentSummary() : new SummaryText(states);
            double total = run(smoother, reader, text);
            out.print(text instanceof MomentSummary moments ? moments.text(total) : ((SummaryText) text).text(total));
        }, (reader, w) -> {
            CsvSteps csv = new CsvSteps(w, states);
            run(smoother, reader, csv);
            return csv.header;
        }, (reader, w, provenance) -> {
            StreamedOutput.jsonHead(w, SmoothReport.KIND, states);
            JsonSteps steps = new JsonSteps(w);
            double total = run(smoother, reader, steps);
            StreamedOutput.jsonSequencesEnd(w, steps.sequences);
            w.write("  \"logLikelihood\" : " + StreamingFilter.number(total) + ",\n  \"provenance\" : " + provenance
                    + "\n}\n");
        });
    }

    /** What a sequence's posteriors go to. */
    private interface Sink extends LongSequenceInference.SmoothedSteps {
        void startSequence(String id);

        void endSequence();
    }

    // every sequence of the file smoothed in turn; the total log-likelihood summed in file order
    private static double run(LongSequenceInference smoother, SequenceReader reader, Sink sink) {
        double total = 0;
        while (reader.nextSequence()) {
            sink.startSequence(reader.id());
            total += smoother.smooth(reader.id(), reader::nextChunk, sink);
            sink.endSequence();
        }
        return total;
    }

    private abstract static class Writing extends StreamedOutput.Writing implements Sink {
        Writing(Writer w) {
            super(w);
        }
    }

    /** One sequence object per sequence: id, logLikelihood, then each track's array, a row per step. */
    private static final class JsonSteps extends Writing {
        private final StringBuilder row = new StringBuilder();
        private String id;
        private String track;
        private int[] shape;
        private boolean first;
        long sequences;

        JsonSteps(Writer w) {
            super(w);
        }

        @Override
        public void startSequence(String id) {
            this.id = id;
            track = null;
        }

        @Override
        public void begin(String track, int width, double logLikelihood, int length) {
            begin(track, new int[] {width}, logLikelihood, length);
        }

        @Override
        public void begin(String track, int[] shape, double logLikelihood, int length) {
            if (this.track == null) {
                out((sequences == 0 ? "\n" : ",\n") + "    {\n      \"id\" : " + StreamedOutput.quoted(id)
                        + ",\n      \"logLikelihood\" : " + StreamingFilter.number(logLikelihood) + ",\n");
            } else {
                out(" ],\n");
            }
            out("      \"" + track + "\" : [");
            this.track = track;
            this.shape = shape.clone();
            first = true;
        }

        @Override
        public void step(int t, double[] values, int offset) {
            row.setLength(0);
            row.append(first ? " " : ", ");
            first = false;
            out(SmoothReport.appendStep(row, track, shape, values, offset));
        }

        @Override
        public void endSequence() {
            out(" ]\n    }");
            sequences++;
        }
    }

    /**
     * The tidy CSV of the in-memory result ({@link TidyTable}): sequence, t, then every track's numbers
     * ({@code posteriorProbabilities.STATE}; {@code smoothedMeans.i} or, for one component, {@code smoothedMeans};
     * {@code smoothedCovariances.i.j}), the tracks interleaved step by step.
     */
    private static final class CsvSteps extends Writing {
        private final StringBuilder row = new StringBuilder();
        private final List<String> states;
        private final List<String> tracks = new java.util.ArrayList<>();
        private final List<int[]> shapes = new java.util.ArrayList<>();
        private boolean header;
        private String id;
        private int next;

        CsvSteps(Writer w, List<String> states) {
            super(w);
            this.states = states;
        }

        @Override
        public boolean interleaved() {
            return true;
        }

        @Override
        public void startSequence(String id) {
            this.id = ResultOutput.quote(id);
            tracks.clear();
            shapes.clear();
            next = 0;
        }

        @Override
        public void begin(String track, int width, double logLikelihood, int length) {
            begin(track, new int[] {width}, logLikelihood, length);
        }

        @Override
        public void begin(String track, int[] shape, double logLikelihood, int length) {
            tracks.add(track);
            shapes.add(shape.clone());
        }

        @Override
        public void step(int t, double[] values, int offset) {
            int k = next;
            next = (next + 1) % tracks.size();
            if (!header) {
                writeHeader();
            }
            if (k == 0) {
                row.setLength(0);
                row.append(id).append(',').append(t);
            }
            int width = width(shapes.get(k));
            for (int i = 0; i < width; i++) {
                double v = values[offset + i];
                row.append(',').append(Double.isFinite(v) ? StreamingFilter.number(v) : TidyTable.number(v));
            }
            if (next == 0) {
                out(row.append('\n'));
            }
        }

        // the columns TidyTable names from the JSON of these tracks
        private void writeHeader() {
            StringBuilder b = new StringBuilder("sequence,t");
            for (int k = 0; k < tracks.size(); k++) {
                String track = tracks.get(k);
                int[] shape = shapes.get(k);
                List<String> names = track.endsWith("Probabilities") ? states : List.of();
                if (shape.length == 2) {
                    for (int i = 0; i < shape[0]; i++) {
                        for (int j = 0; j < shape[1]; j++) {
                            b.append(',').append(ResultOutput.quote(track + "." + i + "." + j));
                        }
                    }
                } else if (shape[0] == 1 && names.isEmpty()) {
                    b.append(',').append(ResultOutput.quote(track));
                } else {
                    for (int i = 0; i < shape[0]; i++) {
                        b.append(',').append(ResultOutput.quote(track + "." + (names.size() == shape[0] ? names.get(i) : i)));
                    }
                }
            }
            out(b.append('\n'));
            header = true;
        }

        private static int width(int[] shape) {
            int width = 1;
            for (int d : shape) {
                width *= d;
            }
            return width;
        }

        @Override
        public void endSequence() {
        }
    }

    /**
     * Summaries.smooth's text for a continuous state: per sequence the smoothed mean and sd of every component at
     * the first three and last three steps, "..." between.
     */
    private static final class MomentSummary implements Sink {
        private static final int EDGE = 3;
        private final StringBuilder b = new StringBuilder();
        private int n;
        private int length;
        private int next;
        private int tracks; // begun this sequence: 3 for a linear-Gaussian model, 2 for a non-linear one
        private double[] means; // steps 0..2 then a ring of the last three
        private double[] variances;

        @Override
        public boolean interleaved() {
            return true;
        }

        @Override
        public void startSequence(String id) {
            b.append("sequence ").append(id).append('\n');
            next = 0;
        }

        @Override
        public void begin(String track, int width, double logLikelihood, int length) {
            if (track.equals("smoothedMeans")) {
                tracks = 0;
                n = width;
                this.length = length;
                means = new double[2 * EDGE * n];
                variances = new double[2 * EDGE * n];
            }
            tracks++;
        }

        @Override
        public void step(int t, double[] values, int offset) {
            int k = next++ % tracks;
            int slot = t < EDGE ? t : EDGE + t % EDGE;
            if (k == 0) {
                System.arraycopy(values, offset, means, slot * n, n);
            } else if (k == 1) {
                for (int i = 0; i < n; i++) {
                    variances[slot * n + i] = values[offset + i * n + i];
                }
            }
        }

        @Override
        public void endSequence() {
            ResultOutput.Table table = new ResultOutput.Table("t", "component", "mean", "sd");
            for (int t = 0; t < length; t++) {
                if (t >= EDGE && t < length - EDGE) {
                    if (t == EDGE) {
                        table.row("...", "", "", "");
                    }
                    continue;
                }
                int slot = t < EDGE ? t : EDGE + t % EDGE;
                for (int i = 0; i < n; i++) {
                    table.row(t, i, means[slot * n + i], Math.sqrt(variances[slot * n + i]));
                }
            }
            table.appendTo(b, "  ");
            b.append('\n');
        }

        String text(double total) {
            return "log-likelihood " + ResultOutput.readable(total) + "\n\n" + b
                    + "  (--json, or --out R.json|R.csv for every step)\n";
        }
    }

    /** Summaries.smooth's text: runs of the most probable state per sequence, the first MAX_ROWS of them. */
    private static final class SummaryText extends StreamedOutput.StateRuns implements Sink {
        private final List<String> states;
        private double sum;

        SummaryText(List<String> states) {
            this.states = states;
        }

        @Override
        public void startSequence(String id) {
            b.append("sequence ").append(id).append('\n');
            startRuns(new ResultOutput.Table("most probable", "start", "end", "length", "mean probability"));
        }

        @Override
        public void begin(String track, int width, double logLikelihood, int length) {
        }

        @Override
        public void step(int t, double[] values, int offset) {
            int best = 0;
            for (int i = 1; i < states.size(); i++) {
                if (values[offset + i] > values[offset + best]) {
                    best = i;
                }
            }
            if (extend(t, best)) {
                sum += values[offset + best];
            } else { // the run just closed has had its row: the new one's sum starts here
                sum = values[offset + best];
            }
        }

        @Override
        void row(ResultOutput.Table table) {
            table.row(states.get(state), start, end, end - start + 1, sum / (end - start + 1));
        }

        @Override
        public void endSequence() {
            endRuns();
        }

        String text(double total) {
            return "log-likelihood " + ResultOutput.readable(total) + "\n\n" + b
                    + "  (--json, or --out R.json|R.csv for every step)\n";
        }
    }
}
