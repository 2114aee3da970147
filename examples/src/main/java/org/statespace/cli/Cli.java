package org.statespace.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

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
        return model.observationSpace().align(readData(file), file.toString());
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

    /** Writes JSON to {@code out} atomically, or to standard output when {@code out} is null. */
    static void writeJson(Path out, JsonNode node, PrintWriter stdout) {
        String text = Json.write(node);
        if (out == null) {
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
        o.put("command", command);
        o.put("created", Instant.now().toString());
        return o;
    }

    /** Writes a track as nested arrays: T entries, each a number, vector or matrix by its shape. */
    static JsonNode track(Track track) {
        int[] shape = track.shape();
        double[] values = track.values();
        int width = track.width();
        var outer = Json.array();
        for (int t = 0; t < track.length(); t++) {
            if (shape.length == 0 || (shape.length == 1 && shape[0] == 1 && track.name().endsWith("Path"))) {
                Json.number(outer, values[t * width]);
            } else if (shape.length == 1) {
                outer.add(Json.vector(values, t * width, (t + 1) * width));
            } else if (shape.length == 2) {
                var m = Json.array();
                for (int i = 0; i < shape[0]; i++) {
                    m.add(Json.vector(values, t * width + i * shape[1], t * width + (i + 1) * shape[1]));
                }
                outer.add(m);
            } else {
                outer.add(Json.vector(values, t * width, (t + 1) * width));
            }
        }
        return outer;
    }
}
