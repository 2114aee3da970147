package org.statespace.inference;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.Version;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.SequenceSource;
import org.statespace.io.AtomicFiles;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * The whole state of a fit between two iterations, as JSON: enough to continue it so that it ends with
 * exactly the parameters an uninterrupted run would have (EM and gradient training are deterministic
 * given their state; the optimiser restarts its simplex at the best point). Written atomically, so a
 * run killed at any moment leaves the previous checkpoint or the next one, never half of one.
 *
 * <p>One record per method, each with its own codec: {@link EmCheckpoint}, {@link OnlineEmCheckpoint},
 * {@link OptimizerCheckpoint}, {@link GradientCheckpoint}; the part every method shares (iteration, model,
 * trace, curve, early stopping, fingerprint) is their {@link CheckpointProgress}. The file is one JSON object
 * (format {@value #VERSION}): a header ({@code format}, {@code formatVersion}, {@code toolkitVersion},
 * {@code method}), the shared part, and the method's own fields. Files written before the split (when every
 * method wrote EM's {@code restart}, {@code finishedRestarts} and {@code previousLogLikelihood} too) read the
 * same way; the other methods ignore those fields.
 *
 * <p>A fingerprint of the starting model, the data, the options that shape the run and the family
 * settings is recorded; resuming with anything else is refused, since it would silently mix two fits.
 */
sealed interface Checkpoint permits EmCheckpoint, OnlineEmCheckpoint, OptimizerCheckpoint, GradientCheckpoint {
    String FORMAT = "statespace-checkpoint";
    int VERSION = 1;

    /** The part every method shares. */
    CheckpointProgress progress();

    /** The method whose state this is. */
    TrainOptions.Method method();

    /** Writes the method's own fields into the checkpoint object. */
    void writeOwn(ObjectNode o);

    /**
     * Checks the values against the fit that resumes from them (same method and fingerprint are checked before):
     * the shared part ({@link CheckpointProgress#check}), then the method's own state.
     */
    void check(TrainOptions options, StateSpaceModel<?, ?> initial, Dataset training);

    /** The file it was read from (empty for one being written). */
    default String source() {
        return progress().source();
    }

    default ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("format", FORMAT);
        o.put("formatVersion", VERSION);
        o.put("toolkitVersion", Version.current());
        o.put("method", method().jsonName());
        progress().writeTo(o);
        writeOwn(o);
        return o;
    }

    default void write(Path file) {
        AtomicFiles.writeString(file, Json.write(toJson()));
    }

    /**
     * Reads a checkpoint file for a fit by {@code expected}. A file of another method is refused at once, naming the
     * file, the method it holds and the one expected; then every field is type-checked (a missing field, a string
     * where a number belongs, a fraction where a count belongs, a count beyond range). {@link #check} then checks the
     * values against the fit that resumes. Either raises a {@link SpecException} of one line naming the file, the
     * field and the value.
     */
    static Checkpoint read(Path file, TrainOptions.Method expected) {
        JsonNode o = Json.read(file);
        String source = file.toString();
        if (!o.isObject() || !FORMAT.equals(o.path("format").asText())) {
            throw new SpecException(source, "format", "not a statespace checkpoint");
        }
        if (o.path("formatVersion").asInt() != VERSION) {
            throw new SpecException(source, "formatVersion", "checkpoint format " + o.path("formatVersion").asText()
                    + " is not the one this version reads (" + VERSION + ")");
        }
        CheckpointFields f = new CheckpointFields(source);
        String method = f.text(o, "", "method");
        if (!method.equals(expected.jsonName())) {
            throw new SpecException(source, "method", "\"" + method + "\": the checkpoint was written by a fit of "
                    + "method " + method + ", this fit's method is " + expected.jsonName() + " (resume it with method "
                    + method + ")");
        }
        CheckpointProgress progress = CheckpointProgress.read(o, f);
        return switch (expected) {
            case EM -> EmCheckpoint.read(o, f, progress);
            case ONLINE_EM -> OnlineEmCheckpoint.read(o, f, progress);
            case OPTIMIZER -> OptimizerCheckpoint.read(o, f, progress);
            case GRADIENT -> GradientCheckpoint.read(o, f, progress);
            case CLOSED_FORM, AUTO -> throw new SpecException(source, "method", "a " + method
                    + " fit writes no checkpoint, so there is nothing to resume");
        };
    }

    /** A model spec from a checkpoint (checked before by {@link #check}). */
    static StateSpaceModel<?, ?> model(ObjectNode spec) {
        return ModelSpecs.read(spec, "checkpoint");
    }

    /**
     * A digest of what a fit depends on: the starting model, the data (ids, observations, inputs), the
     * options that change its course (not the iteration limit, threads or checkpoint settings) and the
     * family settings.
     */
    static String fingerprint(StateSpaceModel<?, ?> initial, Dataset training, Dataset validation, TrainOptions options,
            FitSettings settings) {
        return fingerprint(initial, SequenceSource.of(training), validation == null ? null
                : SequenceSource.of(validation), options, settings);
    }

    /**
     * The fingerprint of the same data read from sources (a file read by offsets): that of the data in memory. A
     * source that gives a reader over a sequence is read in chunks ({@link FingerprintData}), so a long sequence is
     * never held whole.
     */
    static String fingerprint(StateSpaceModel<?, ?> initial, SequenceSource training, SequenceSource validation,
            TrainOptions options, FitSettings settings) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(Json.write(initial.toSpec()).getBytes(StandardCharsets.UTF_8));
            FingerprintData.update(digest, training);
            if (validation != null) {
                digest.update((byte) 1);
                FingerprintData.update(digest, validation);
            }
            ObjectNode o = options.toJson();
            o.remove("maxIterations");
            digest.update(Json.write(o).getBytes(StandardCharsets.UTF_8));
            digest.update(Json.write(settings.toJson()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }
}
