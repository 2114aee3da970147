package org.statespace.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.ResourceException;
import org.statespace.StateSpaceModel;
import org.statespace.Version;
import org.statespace.capability.Track;
import org.statespace.data.Dataset;
import org.statespace.data.Datasets;
import org.statespace.io.AtomicFiles;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/** What the commands share: reading models and data, writing JSON whole or not at all. */
final class Cli {
    private Cli() {
    }

    static StateSpaceModel<?, ?> readModel(Path file) {
        requireFile(file, "--model");
        return ModelSpecs.read(file);
    }

    static Dataset readData(Path file) {
        requireFile(file, "--data");
        return Datasets.read(file);
    }

    /**
     * Reads data and aligns it to the model (symbols matched to the model's alphabet by name), naming
     * the file when it does not fit.
     */
    static Dataset readData(Path file, StateSpaceModel<?, ?> model) {
        return readData(file, model, List.of(), List.of());
    }

    /**
     * Reads data for a model: a CSV file's observation and input columns chosen by name when given
     * (else by the conventions of {@link org.statespace.data.DatasetCsv}), and its one observation column
     * read as symbol names when the model expects symbols; then aligned to the model.
     */
    static Dataset readData(Path file, StateSpaceModel<?, ?> model, List<String> observations, List<String> inputs) {
        requireFile(file, "--data");
        boolean symbols = model.observationSpace().kind() == org.statespace.data.ObservationKind.SYMBOLS;
        Dataset d = Datasets.read(file, new org.statespace.data.DatasetCsv.Columns(observations, inputs, symbols));
        return model.observationSpace().align(d, file.toString());
    }

    static void requireFile(Path file, String option) {
        if (!Files.exists(file)) {
            throw new ResourceException(file + ": no such file (" + option + ")");
        }
        if (Files.isDirectory(file)) {
            throw new ResourceException(file + ": is a folder, expected a file (" + option + ")");
        }
        if (!Files.isReadable(file)) {
            throw new ResourceException(file + ": not readable (" + option + ")");
        }
    }

    /**
     * Writes JSON to {@code out} atomically, or to standard output when {@code out} is null, {@code -} or
     * {@code /dev/stdout}.
     */
    static void writeJson(Path out, JsonNode node, PrintWriter stdout) {
        writeText(out, Json.write(node), stdout);
    }

    /** Writes text to {@code out} atomically, or to standard output ({@link OutputPaths#isStandardOutput}). */
    static void writeText(Path out, String text, PrintWriter stdout) {
        if (OutputPaths.isStandardOutput(out)) {
            stdout.print(text);
            stdout.flush();
        } else {
            AtomicFiles.writeString(out, text);
        }
    }

    /** Provenance for result files: tool version, time, and what produced it. */
    static ObjectNode provenance(String command) {
        ObjectNode o = Json.object();
        o.put("tool", "statespace");
        o.put("version", Version.current());
        o.put("commit", Version.commit());
        o.put("command", command);
        o.put("created", Instant.now().toString());
        return o;
    }

    /** Tracks aligned with the observations, whose NaN marks a missing component (written as null). */
    private static final java.util.Set<String> OBSERVATION_ALIGNED = java.util.Set.of("innovations");
    /** Tracks with entries that do not exist (Cov[x_0, x_-1]), NaN in the track, written as the string "NaN". */
    private static final java.util.Set<String> UNDEFINED_ENTRIES = java.util.Set.of("smoothedLagOneCovariances");

    /**
     * Writes a track as nested arrays: T entries, each a number, vector or matrix by its shape. Every value
     * must be finite (see {@link Json}), except that a track aligned with the observations ({@code innovations})
     * writes a missing component as {@code null}, and the lag-one covariance of step 0, which does not exist,
     * is written as the strings {@code "NaN"}.
     */
    static JsonNode track(Track track) {
        int[] shape = track.shape();
        double[] values = track.values();
        int width = track.width();
        int missingAllowed = OBSERVATION_ALIGNED.contains(track.name()) ? MISSING
                : UNDEFINED_ENTRIES.contains(track.name()) ? UNDEFINED : FINITE;
        var outer = Json.array();
        for (int t = 0; t < track.length(); t++) {
            if (shape.length == 0 || (shape.length == 1 && shape[0] == 1 && track.name().endsWith("Path"))) {
                value(outer, values[t * width], missingAllowed);
            } else if (shape.length == 2) {
                var m = Json.array();
                for (int i = 0; i < shape[0]; i++) {
                    m.add(block(values, t * width + i * shape[1], t * width + (i + 1) * shape[1], missingAllowed));
                }
                outer.add(m);
            } else {
                outer.add(block(values, t * width, (t + 1) * width, missingAllowed));
            }
        }
        return outer;
    }

    private static final int FINITE = 0;
    private static final int MISSING = 1;
    private static final int UNDEFINED = 2;

    private static com.fasterxml.jackson.databind.node.ArrayNode block(double[] values, int from, int to, int missingAllowed) {
        var a = Json.array();
        for (int i = from; i < to; i++) {
            value(a, values[i], missingAllowed);
        }
        return a;
    }

    private static void value(com.fasterxml.jackson.databind.node.ArrayNode a, double v, int missingAllowed) {
        if (missingAllowed == MISSING && Double.isNaN(v)) {
            Json.missing(a);
        } else if (missingAllowed == UNDEFINED && Double.isNaN(v)) {
            Json.extendedNumber(a, v);
        } else {
            Json.number(a, v);
        }
    }
}
