package org.statespace.inference;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.Version;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.io.AtomicFiles;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * The whole state of a fit between two iterations, as JSON: enough to continue it so that it ends with
 * exactly the parameters an uninterrupted run would have (EM and gradient training are deterministic
 * given their state; the optimiser restarts its simplex at the best point). Written atomically, so a
 * run killed at any moment leaves the previous checkpoint or the next one, never half of one.
 *
 * <p>A fingerprint of the starting model, the data, the options that shape the run and the family
 * settings is recorded; resuming with anything else is refused, since it would silently mix two fits.
 */
final class Checkpoint {
    static final String FORMAT = "statespace-checkpoint";
    static final int VERSION = 1;

    String method;
    String fingerprint;
    /** EM: restarts finished before the current one; each {model, logLikelihood, curve, trace, iterations, converged}. */
    final List<ObjectNode> finishedRestarts = new ArrayList<>();
    int restart;
    /** Iterations (EM updates, epochs, optimiser iterations) completed in the current run. */
    int iteration;
    ObjectNode model;
    double previous = Double.NEGATIVE_INFINITY;
    List<Double> trace = new ArrayList<>();
    LearningCurve curve = new LearningCurve();
    ObjectNode stopperBest;
    double stopperBestLoss = Double.POSITIVE_INFINITY;
    int stopperSinceBest;
    // gradient
    double[] theta;
    double[] first;
    double[] second;
    long steps;
    // optimiser
    double[] bestPoint;
    double bestValue = Double.NEGATIVE_INFINITY;
    int pass;

    ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("format", FORMAT);
        o.put("formatVersion", VERSION);
        o.put("toolkitVersion", Version.current());
        o.put("method", method);
        o.put("fingerprint", fingerprint);
        o.put("restart", restart);
        ArrayNode done = o.putArray("finishedRestarts");
        finishedRestarts.forEach(done::add);
        o.put("iteration", iteration);
        o.set("model", model);
        o.set("previousLogLikelihood", finite(previous));
        o.set("trace", vector(trace));
        o.set("curve", curve.toJson());
        ObjectNode stopper = o.putObject("earlyStopping");
        if (stopperBest != null) {
            stopper.set("bestModel", stopperBest);
        }
        stopper.set("bestLoss", finite(stopperBestLoss));
        stopper.put("sinceBest", stopperSinceBest);
        if (theta != null) {
            ObjectNode g = o.putObject("gradient");
            g.set("parameters", exact(theta));
            g.set("firstMoment", exact(first));
            g.set("secondMoment", exact(second));
            g.put("steps", steps);
        }
        if (bestPoint != null) {
            ObjectNode opt = o.putObject("optimizer");
            opt.set("bestPoint", exact(bestPoint));
            opt.set("bestLogLikelihood", finite(bestValue));
            opt.put("pass", pass);
        }
        return o;
    }

    /** Reads a checkpoint file; a malformed one is a {@link SpecException} naming the field. */
    static Checkpoint read(Path file) {
        JsonNode o = Json.read(file);
        String source = file.toString();
        if (!o.isObject() || !FORMAT.equals(o.path("format").asText())) {
            throw new SpecException(source, "format", "not a statespace checkpoint");
        }
        if (o.path("formatVersion").asInt() != VERSION) {
            throw new SpecException(source, "formatVersion", "checkpoint format " + o.path("formatVersion").asText()
                    + " is not the one this version reads (" + VERSION + ")");
        }
        try {
            Checkpoint c = new Checkpoint();
            c.method = o.get("method").asText();
            c.fingerprint = o.get("fingerprint").asText();
            c.restart = o.get("restart").asInt();
            for (JsonNode r : o.get("finishedRestarts")) {
                c.finishedRestarts.add((ObjectNode) r);
            }
            c.iteration = o.get("iteration").asInt();
            c.model = (ObjectNode) o.get("model");
            c.previous = orElse(o.get("previousLogLikelihood"), Double.NEGATIVE_INFINITY);
            for (JsonNode v : o.get("trace")) {
                c.trace.add(orElse(v, Double.NaN));
            }
            c.curve = LearningCurve.fromJson(o.get("curve"));
            JsonNode stopper = o.get("earlyStopping");
            c.stopperBest = stopper.has("bestModel") ? (ObjectNode) stopper.get("bestModel") : null;
            c.stopperBestLoss = orElse(stopper.get("bestLoss"), Double.POSITIVE_INFINITY);
            c.stopperSinceBest = stopper.get("sinceBest").asInt();
            if (o.has("gradient")) {
                JsonNode g = o.get("gradient");
                c.theta = array(g.get("parameters"));
                c.first = array(g.get("firstMoment"));
                c.second = array(g.get("secondMoment"));
                c.steps = g.get("steps").asLong();
            }
            if (o.has("optimizer")) {
                JsonNode opt = o.get("optimizer");
                c.bestPoint = array(opt.get("bestPoint"));
                c.bestValue = orElse(opt.get("bestLogLikelihood"), Double.NEGATIVE_INFINITY);
                c.pass = opt.get("pass").asInt();
            }
            return c;
        } catch (RuntimeException e) {
            if (e instanceof SpecException se) {
                throw se;
            }
            throw new SpecException(source, "", "a damaged checkpoint (" + e + ")");
        }
    }

    void write(Path file) {
        AtomicFiles.writeString(file, Json.write(toJson()));
    }

    static StateSpaceModel<?, ?> model(ObjectNode spec) {
        return ModelSpecs.read(spec, "checkpoint");
    }

    // ------------------------------------------------------------------------------------------

    /**
     * A digest of what a fit depends on: the starting model, the data (ids, observations, inputs), the
     * options that change its course (not the iteration limit, threads or checkpoint settings) and the
     * family settings.
     */
    static String fingerprint(StateSpaceModel<?, ?> initial, Dataset training, Dataset validation, TrainOptions options,
            FitSettings settings) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(Json.write(initial.toSpec()).getBytes(StandardCharsets.UTF_8));
            update(digest, training);
            if (validation != null) {
                digest.update((byte) 1);
                update(digest, validation);
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

    private static void update(MessageDigest digest, Dataset data) {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(8);
        for (Sequence s : data.sequences()) {
            digest.update(s.id().getBytes(StandardCharsets.UTF_8));
            for (double v : s.observations()) {
                buffer.clear();
                buffer.putDouble(v);
                digest.update(buffer.array());
            }
            for (double v : s.inputs()) {
                buffer.clear();
                buffer.putDouble(v);
                digest.update(buffer.array());
            }
        }
    }

    // Doubles as JSON numbers: Java writes the digits that read back to the same double.
    private static ArrayNode exact(double[] values) {
        ArrayNode a = Json.array();
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new org.statespace.NumericalException("cannot checkpoint a non-finite value " + v);
            }
            a.add(v);
        }
        return a;
    }

    // Non-finite values as the strings "-Infinity", "Infinity", "NaN" (see Json), never null.
    private static ArrayNode vector(List<Double> values) {
        ArrayNode a = Json.array();
        for (double v : values) {
            if (Double.isFinite(v)) {
                a.add(v);
            } else {
                Json.extendedNumber(a, v);
            }
        }
        return a;
    }

    private static JsonNode finite(double v) {
        ArrayNode one = Json.array();
        if (Double.isFinite(v)) {
            one.add(v);
        } else {
            Json.extendedNumber(one, v);
        }
        return one.get(0);
    }

    private static double orElse(JsonNode n, double otherwise) {
        return n == null || n.isNull() ? otherwise : n.isTextual() ? Json.doubleValue(n, "checkpoint", "") : n.asDouble();
    }

    private static double[] array(JsonNode n) {
        double[] out = new double[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asDouble();
        }
        return out;
    }
}
