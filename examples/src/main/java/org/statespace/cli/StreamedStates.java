package org.statespace.cli;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine;

import org.statespace.StateSpaceModel;
import org.statespace.capability.StateFiltering;
import org.statespace.capability.StateRecording;
import org.statespace.inference.result.FilterReport;

/**
 * The state estimates of {@code filter --stream --states}, one step at a time, written as the in-memory
 * {@code filter --states} writes the whole run ({@link FilterReport}): in JSON a track's step is a number (shape
 * []), a vector or a matrix (rows), a NaN {@code null} where the in-memory file has one; in the tidy CSV the
 * columns {@link org.statespace.inference.result.TidyTable} makes from that JSON, with its numbers.
 */
final class StreamedStates {
    private StreamedStates() {
    }

    /**
     * The tracks the model records step by step; a model without state estimates, or one that needs the whole
     * sequence for them, is refused naming {@code --states}.
     */
    static List<StateRecording.TrackShape> tracks(CommandLine command, StateSpaceModel<?, ?> model) {
        if (model instanceof StateRecording<?> r) {
            return r.stepRecorder().tracks();
        }
        throw new CommandLine.ParameterException(command, model instanceof StateFiltering
                ? "--states: a " + model.type() + " model cannot record its state estimates step by step; "
                        + "filter it without --stream (in memory)"
                : "--states: a " + model.type() + " model has no hidden-state estimates to write");
    }

    /** One step's block of a track as a JSON value. */
    static void json(Writer w, StateRecording.TrackShape track, double[] block) throws IOException {
        int[] shape = track.shape();
        boolean nullForNaN = FilterReport.writesNaNAsNull(track.name());
        if (shape.length == 0) {
            w.write(value(block[0], nullForNaN));
            return;
        }
        w.write('[');
        if (shape.length == 2) {
            for (int i = 0; i < shape[0]; i++) {
                w.write(i == 0 ? "[" : ",[");
                for (int j = 0; j < shape[1]; j++) {
                    if (j > 0) {
                        w.write(',');
                    }
                    w.write(value(block[i * shape[1] + j], nullForNaN));
                }
                w.write(']');
            }
        } else {
            for (int i = 0; i < block.length; i++) {
                if (i > 0) {
                    w.write(',');
                }
                w.write(value(block[i], nullForNaN));
            }
        }
        w.write(']');
    }

    private static String value(double v, boolean nullForNaN) {
        return nullForNaN && Double.isNaN(v) ? "null" : StreamingFilter.number(v);
    }

    /** The tidy CSV's columns of a track, as TidyTable names the cells of its JSON. */
    static List<String> columns(StateRecording.TrackShape track, List<String> states) {
        String field = track.name();
        int[] shape = track.shape();
        List<String> out = new ArrayList<>();
        if (shape.length == 0) {
            out.add(field);
            return out;
        }
        List<String> names = field.endsWith("Probabilities") ? states : List.of();
        int rows = shape.length == 2 ? shape[0] : track.width();
        if (shape.length != 2 && rows == 1 && names.isEmpty()) {
            out.add(field);
            return out;
        }
        for (int i = 0; i < rows; i++) {
            String name = names.size() == rows ? names.get(i) : Integer.toString(i);
            if (shape.length == 2) {
                for (int j = 0; j < shape[1]; j++) {
                    out.add(field + "." + name + "." + j);
                }
            } else {
                out.add(field + "." + name);
            }
        }
        return out;
    }

    /** One step's block of a track as CSV cells, each after a comma: the numbers of its JSON as TidyTable writes them. */
    static void cells(StringBuilder row, StateRecording.TrackShape track, double[] block) {
        boolean nullForNaN = FilterReport.writesNaNAsNull(track.name());
        for (double v : block) {
            row.append(',');
            if (!(nullForNaN && Double.isNaN(v))) {
                // the JSON's number: an integer without a decimal point, else Double.toString, as TidyTable has it
                row.append(StreamingFilter.number(v));
            }
        }
    }
}
