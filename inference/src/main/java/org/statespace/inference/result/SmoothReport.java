package org.statespace.inference.result;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.DataException;
import org.statespace.capability.StateEstimates;
import org.statespace.capability.Track;
import org.statespace.spec.Json;
import org.statespace.study.ResultFields;

/**
 * Smoothed hidden-state estimates given each whole sequence, as {@code statespace smooth} writes them: per
 * sequence its log-likelihood and the model's smoothed tracks ({@code posteriorProbabilities},
 * {@code smoothedMeans}, {@code smoothedCovariances}, ...). Its JSON codec is {@link #toJson()} /
 * {@link #fromJson}; the fields are {@link ResultFields#SMOOTH}. (The posterior draws of {@code smooth --draws}
 * are written by the command itself under the same marker and are not read back here.)
 *
 * @param states        the hidden states' names when the model has discrete states, else empty
 * @param logLikelihood Σ over sequences
 * @param sequences     one entry per sequence, in dataset order
 * @param provenance    how the file was made (a free-form object; copied)
 */
public record SmoothReport(List<String> states, double logLikelihood, List<Run> sequences, ObjectNode provenance)
        implements ResultValue {

    /** The value of the {@code "result"} marker. */
    public static final String KIND = "smooth";

    public SmoothReport {
        states = List.copyOf(states);
        sequences = List.copyOf(sequences);
        provenance = provenance.deepCopy();
    }

    /**
     * One sequence's smoothed tracks.
     *
     * @param id            the sequence's id
     * @param logLikelihood the sequence's log-likelihood
     * @param tracks        the model's smoothed tracks, in its order
     */
    public record Run(String id, double logLikelihood, List<Track> tracks) {
        public Run {
            tracks = List.copyOf(tracks);
        }

        /** A sequence's smoothed estimates as the model returned them. */
        public static Run of(String id, StateEstimates estimates) {
            return new Run(id, estimates.logLikelihood(), estimates.tracks());
        }

        /** The track of this name, if the run has it. */
        public Optional<Track> track(String name) {
            return tracks.stream().filter(t -> t.name().equals(name)).findFirst();
        }

        /** T, the length of its tracks (0 without any). */
        public int length() {
            return tracks.isEmpty() ? 0 : tracks.get(0).length();
        }
    }

    /** The runs with their total log-likelihood summed in order. */
    public static SmoothReport of(List<String> states, List<Run> runs, ObjectNode provenance) {
        double total = 0;
        for (Run r : runs) {
            total += r.logLikelihood();
        }
        return new SmoothReport(states, total, runs, provenance);
    }

    /**
     * One step of a smoothed track as {@link #toJson()} writes it, appended to {@code b}, for a writer that streams
     * the steps instead of holding the report: shape [k] a vector {@code [ a, b ]}, shape [n, n] a matrix
     * {@code [ [ a, b ], [ c, d ] ]} (row-major in {@code values[offset ..]}); numbers as the codec writes them (a
     * whole number without a fraction, else the shortest form that reads back the same double); a NaN as the
     * track's codec writes it (the string {@code "NaN"} for the undefined Cov[x_0, x_{-1}] of
     * {@code smoothedLagOneCovariances}), any other non-finite number an error.
     */
    public static StringBuilder appendStep(StringBuilder b, String track, int[] shape, double[] values, int offset) {
        StepArrays.Missing missing = StepArrays.missingFor(track);
        int rows = shape.length == 2 ? shape[0] : 1;
        int columns = shape.length == 0 ? 1 : shape[shape.length - 1];
        b.append(shape.length == 2 ? "[ " : "");
        for (int i = 0; i < rows; i++) {
            b.append(i == 0 ? "[ " : ", [ ");
            for (int j = 0; j < columns; j++) {
                double v = values[offset + i * columns + j];
                b.append(j == 0 ? "" : ", ");
                if (v == Math.rint(v) && Math.abs(v) < 1e15 && !(v == 0 && 1 / v < 0)) {
                    b.append((long) v); // as the JSON codec (Json.number) writes a whole number
                } else if (Double.isFinite(v)) {
                    b.append(v);
                } else if (missing == StepArrays.Missing.STRING && Double.isNaN(v)) {
                    b.append("\"NaN\"");
                } else if (missing == StepArrays.Missing.NULL && Double.isNaN(v)) {
                    b.append("null");
                } else {
                    throw new Json.NonFiniteNumberException(v, "track " + track);
                }
            }
            b.append(" ]");
        }
        return b.append(shape.length == 2 ? " ]" : "");
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode root = StepArrays.marked(KIND);
        if (!states.isEmpty()) {
            root.set("states", StepArrays.names(states));
        }
        ArrayNode seqs = root.putArray("sequences");
        for (Run run : sequences) {
            ObjectNode s = seqs.addObject();
            s.put("id", run.id());
            Json.optionalNumber(s, "logLikelihood", run.logLikelihood());
            for (Track track : run.tracks()) {
                s.set(track.name(), StepArrays.write(track));
            }
        }
        Json.optionalNumber(root, "logLikelihood", logLikelihood);
        root.set("provenance", provenance.deepCopy());
        return root;
    }

    /** Reads a smooth result back (not one of {@code --draws}); errors name the source and the JSON path. */
    public static SmoothReport fromJson(JsonNode root, String source) {
        StepArrays.checkFields(root, ResultFields.SMOOTH, source);
        if (root.has("draws")) {
            throw new DataException(source + ": a result of smooth --draws (posterior draws), which has no smoothed "
                    + "tracks to read");
        }
        List<String> states = StepArrays.readNames(root, "states", source);
        List<Run> runs = StepArrays.readSequences(root, source, (s, where) -> {
            List<Track> tracks = new ArrayList<>();
            for (var it = s.fieldNames(); it.hasNext();) {
                String name = it.next();
                if (!name.equals("id") && !name.equals("logLikelihood")) {
                    tracks.add(name.endsWith("Path") ? DecodeReport.pathTrack(s.get(name), name, where + ": " + name, states)
                            : StepArrays.read(s.get(name), name, false, where + ": " + name));
                }
            }
            return new Run(StepArrays.text(s, "id", where), StepArrays.number(s, "logLikelihood", where), tracks);
        });
        return new SmoothReport(states, StepArrays.number(root, "logLikelihood", source), runs, StepArrays.provenance(root));
    }
}
