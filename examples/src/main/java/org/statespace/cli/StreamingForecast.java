package org.statespace.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;

import org.statespace.StateSpaceModel;
import org.statespace.capability.Forecasting;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceReader;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.inference.FileFilter;
import org.statespace.inference.FilterOptions;
import org.statespace.inference.result.ForecastReport;
import org.statespace.inference.result.ResultValue;
import org.statespace.inference.result.TidyTable;
import org.statespace.spec.Json;

/**
 * {@code forecast} over a file read one sequence at a time, a long one in chunks ({@code --stream}, or
 * {@code .jsonl} data): the engine filters each sequence ({@link FileFilter}), keeps the filter state after its last
 * step, and the model forecasts from it ({@link Forecasting#forecastAfter}), the kernel the in-memory
 * {@link Forecasting#forecast} ends with, so the numbers are the in-memory command's. Each sequence's forecast is
 * written as soon as it is made, so the heap holds one chunk and one forecast, not the dataset. The output is the
 * in-memory command's: the summary's text, the tidy CSV line for line, the JSON's fields and values (the provenance
 * says {@code "streamed": true}); a file goes to a temporary file moved over {@code --out} at the end, so an error
 * leaves none. The future inputs ({@code --inputs}, K steps a sequence) are read into memory.
 */
final class StreamingForecast {
    private StreamingForecast() {
    }

    /** Runs {@code forecast} streaming; the command has checked --steps, the model and the future inputs. */
    static int run(CommandLine command, ModelDataOptions io, ResultOutput form, StateSpaceModel<?, ?> model,
            Forecasting forecaster, int steps, Dataset future) {
        return StreamedOutput.write(command, io, form, model, "forecast", (reader, out) -> {
            SummaryText text = new SummaryText(model, steps, out);
            run(model, forecaster, steps, future, reader, text);
            text.end();
        }, (reader, w) -> {
            CsvRows csv = new CsvRows(w, model, steps);
            run(model, forecaster, steps, future, reader, csv);
            return csv.columns != null;
        }, (reader, w, provenance) -> {
            JsonRuns json = new JsonRuns(w, model, steps);
            run(model, forecaster, steps, future, reader, json);
            json.end(provenance);
        });
    }

    /** Where each sequence's forecast goes, in file order. */
    private interface Sink {
        void accept(ForecastReport.Run run);
    }

    private static void run(StateSpaceModel<?, ?> model, Forecasting forecaster, int steps, Dataset future,
            SequenceReader reader, Sink sink) {
        // the in-memory forecast does not stop at an impossible observation (its log-likelihood is -inf): nor here
        FileFilter.run(model, reader, new FilterOptions(1, false, false), new FileFilter.Listener() {
            private long index;
            private List<PredictiveDistribution> ahead;

            @Override
            public void startSequence(String id) {
                ahead = null;
            }

            @Override
            public void step(Sequence window, int t, PredictiveDistribution predicted, double logDensity) {
            }

            @Override
            public void lastState(Object state, Sequence window) {
                ahead = forecaster.forecastAfter(state, window, steps, ForecastCommand.futureInputs(future, index));
            }

            @Override
            public void endSequence(String id, double logLikelihood, long length, long observedSteps) {
                Sequence in = ForecastCommand.futureInputs(future, index);
                if (ahead == null) { // an empty sequence: the forecast from the start
                    int p = model.observationSpace().inputDimension();
                    Sequence empty = Sequence.of(id, model.observationSpace().dimension(), new double[0]);
                    ahead = forecaster.forecast(p == 0 ? empty : empty.withInputs(p, new double[0]), steps, in);
                }
                sink.accept(ForecastReport.Run.of(id, ahead));
                ahead = null;
                index++;
            }
        });
    }

    // one sequence's forecast as the in-memory report's JSON would hold it (its "sequences" of one)
    private static ObjectNode report(StateSpaceModel<?, ?> model, int steps, ForecastReport.Run run) {
        return new ForecastReport(steps, ForecastCommand.symbols(model, run), List.of(run), Json.object()).toJson();
    }

    /** The JSON of {@link ForecastReport}: its head before the first sequence, each sequence as it comes. */
    private static final class JsonRuns extends StreamedOutput.Writing implements Sink {
        private final StateSpaceModel<?, ?> model;
        private final int steps;
        private long sequences;

        JsonRuns(Writer w, StateSpaceModel<?, ?> model, int steps) {
            super(w);
            this.model = model;
            this.steps = steps;
        }

        // the codec's fields before "sequences": the symbols are known with the first forecast
        private void head(List<String> symbols) {
            out("{\n  \"result\" : \"" + ForecastReport.KIND + "\",\n  \"version\" : " + ResultValue.VERSION
                    + ",\n  \"steps\" : " + steps + ",\n");
            if (!symbols.isEmpty()) {
                out("  \"symbols\" : [ " + String.join(", ", symbols.stream().map(StreamedOutput::quoted).toList())
                        + " ],\n");
            }
            out("  \"sequences\" : [");
        }

        @Override
        public void accept(ForecastReport.Run run) {
            if (sequences == 0) {
                head(ForecastCommand.symbols(model, run));
            }
            JsonNode sequence = report(model, steps, run).get("sequences").get(0);
            String text = Json.write(sequence).stripTrailing().replace(System.lineSeparator(), "\n")
                    .replace("\n", "\n    ");
            out((sequences == 0 ? "\n    " : ",\n    ") + text);
            sequences++;
        }

        void end(String provenance) {
            if (sequences == 0) {
                head(List.of());
            }
            out(sequences == 0 ? "],\n" : "\n  ],\n");
            out("  \"provenance\" : " + provenance + "\n}\n");
        }
    }

    /** The tidy CSV of {@link ForecastReport#toCsv()}: its header with the first sequence, then its rows. */
    private static final class CsvRows extends StreamedOutput.Writing implements Sink {
        private final StateSpaceModel<?, ?> model;
        private final int steps;
        List<String> columns;

        CsvRows(Writer w, StateSpaceModel<?, ?> model, int steps) {
            super(w);
            this.model = model;
            this.steps = steps;
        }

        @Override
        public void accept(ForecastReport.Run run) {
            // the rows TidyTable.of makes of this sequence; every sequence has the first one's columns
            ObjectNode root = report(model, steps, run);
            List<Map<String, String>> rows = TidyTable.rows(root.get("sequences").get(0), List.of(),
                    ForecastCommand.symbols(model, run));
            StringBuilder b = new StringBuilder();
            if (columns == null) {
                columns = TidyTable.columns(rows);
                TidyTable.appendLine(b, columns);
            }
            List<String> cells = new ArrayList<>(columns.size());
            for (Map<String, String> row : rows) {
                cells.clear();
                for (String c : columns) {
                    cells.add(row.getOrDefault(c, ""));
                }
                TidyTable.appendLine(b, cells);
            }
            out(b);
        }
    }

    /** Summaries.forecast's text, a sequence at a time, flushed after each. */
    private static final class SummaryText implements Sink {
        private final StateSpaceModel<?, ?> model;
        private final int steps;
        private final PrintWriter out;
        private String footer;

        SummaryText(StateSpaceModel<?, ?> model, int steps, PrintWriter out) {
            this.model = model;
            this.steps = steps;
            this.out = out;
        }

        // the text after the sequences' tables, for these symbols
        private String footer(List<String> symbols) {
            return Summaries.forecast(new ForecastReport(steps, symbols, List.of(), Json.object()).toJson());
        }

        @Override
        public void accept(ForecastReport.Run run) {
            if (footer == null) {
                footer = footer(ForecastCommand.symbols(model, run));
            }
            String text = Summaries.forecast(report(model, steps, run));
            out.print(text.substring(0, text.length() - footer.length()));
            out.flush();
        }

        void end() {
            out.print(footer != null ? footer : footer(List.of()));
            out.flush();
        }
    }
}
