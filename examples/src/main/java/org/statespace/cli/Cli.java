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
}
