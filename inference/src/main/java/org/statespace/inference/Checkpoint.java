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
import org.statespace.spec.SpecNode;

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

    /** The file it was read from (empty for one being written). */
    String source = "";
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
    /** EM of a model with a prior: the log-posterior after each E-step (empty otherwise). */
    List<Double> posteriorTrace = new ArrayList<>();
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
    // online EM: updates made, the next batch of the current pass, the running statistics
    long updates;
    int position;
    double[] statistics;

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
        if (!posteriorTrace.isEmpty()) {
            o.set("posteriorTrace", vector(posteriorTrace));
        }
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
        if (statistics != null) {
            ObjectNode on = o.putObject("online");
            on.put("updates", updates);
            on.put("position", position);
            on.set("statistics", exact(statistics));
        }
        return o;
    }

    /**
     * Reads a checkpoint file. Every field is type-checked here (a missing field, a string where a number
     * belongs, a fraction where a count belongs, a count beyond range); {@link #check} then checks the values
     * against the fit that resumes. Either raises a {@link SpecException} of one line naming the file, the
     * field and the value.
     */
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
        Fields f = new Fields(source);
        Checkpoint c = new Checkpoint();
        c.source = source;
        c.method = f.text(o, "", "method");
        c.fingerprint = f.text(o, "", "fingerprint");
        c.restart = (int) f.whole(o, "", "restart", 0, Integer.MAX_VALUE);
        JsonNode done = f.array(o, "", "finishedRestarts");
        for (int i = 0; i < done.size(); i++) {
            c.finishedRestarts.add(f.object(done.get(i), "finishedRestarts[" + i + "]"));
        }
        c.iteration = (int) f.whole(o, "", "iteration", 0, Integer.MAX_VALUE);
        c.model = f.object(f.field(o, "", "model"), "model");
        c.previous = f.numberOrNull(o, "", "previousLogLikelihood", Double.NEGATIVE_INFINITY);
        c.trace = f.numbersOrNulls(f.array(o, "", "trace"), "trace");
        if (o.has("posteriorTrace")) {
            c.posteriorTrace = f.numbersOrNulls(f.array(o, "", "posteriorTrace"), "posteriorTrace");
        }
        c.curve = f.curve(f.field(o, "", "curve"), "curve");
        JsonNode stopper = f.object(f.field(o, "", "earlyStopping"), "earlyStopping");
        c.stopperBest = stopper.has("bestModel") ? f.object(stopper.get("bestModel"), "earlyStopping.bestModel") : null;
        c.stopperBestLoss = f.numberOrNull(stopper, "earlyStopping", "bestLoss", Double.POSITIVE_INFINITY);
        c.stopperSinceBest = (int) f.whole(stopper, "earlyStopping", "sinceBest", 0, Integer.MAX_VALUE);
        if (o.has("gradient")) {
            JsonNode g = f.object(o.get("gradient"), "gradient");
            c.theta = f.finite(f.array(g, "gradient", "parameters"), "gradient.parameters");
            c.first = f.finite(f.array(g, "gradient", "firstMoment"), "gradient.firstMoment");
            c.second = f.finite(f.array(g, "gradient", "secondMoment"), "gradient.secondMoment");
            c.steps = f.whole(g, "gradient", "steps", 0, Long.MAX_VALUE);
        }
        if (o.has("optimizer")) {
            JsonNode opt = f.object(o.get("optimizer"), "optimizer");
            c.bestPoint = f.finite(f.array(opt, "optimizer", "bestPoint"), "optimizer.bestPoint");
            c.bestValue = f.numberOrNull(opt, "optimizer", "bestLogLikelihood", Double.NEGATIVE_INFINITY);
            c.pass = (int) f.whole(opt, "optimizer", "pass", 0, 1);
        }
        if (o.has("online")) {
            JsonNode on = f.object(o.get("online"), "online");
            c.updates = f.whole(on, "online", "updates", 0, Long.MAX_VALUE);
            c.position = (int) f.whole(on, "online", "position", 0, Integer.MAX_VALUE);
            c.statistics = f.finite(f.array(on, "online", "statistics"), "online.statistics");
        }
        return c;
    }

    /**
     * Checks the values against the fit that resumes from them (same method and fingerprint are checked
     * before): the iteration within {@code maxIterations}, as many trace entries and curve points as
     * iterations done, the restart within {@code restarts} with that many finished restarts, the models of
     * the starting model's type and size, and the method's own state of the right length.
     */
    void check(TrainOptions.Method runMethod, TrainOptions options, StateSpaceModel<?, ?> initial, Dataset training) {
        Fields f = new Fields(source);
        int max = options.maxIterations();
        // the optimiser runs Nelder-Mead twice (the second pass restarted at the first's optimum), each pass up
        // to maxIterations
        int limit = runMethod == TrainOptions.Method.OPTIMIZER ? 2 * max : max;
        if (iteration > limit) {
            throw f.bad("iteration", Integer.toString(iteration), limit == max ? "is beyond this run's maxIterations " + max
                    : "is beyond this run's limit of " + limit + " iterations (two passes of maxIterations " + max + ")");
        }
        // EM records one trace entry per E-step (iteration of them before the next); the others (online EM: one per
        // finished pass) the start too
        int expected = runMethod == TrainOptions.Method.EM ? iteration : iteration + 1;
        if (trace.size() != expected) {
            throw f.bad("trace", trace.size() + " entries", "do not match iteration " + iteration + " (expected "
                    + expected + ")");
        }
        if (curve.points().size() != expected) {
            throw f.bad("curve", curve.points().size() + " points", "do not match iteration " + iteration
                    + " (expected " + expected + ")");
        }
        if (runMethod != TrainOptions.Method.OPTIMIZER) {
            for (int i = 0; i < trace.size(); i++) {
                if (!Double.isFinite(trace.get(i))) {
                    throw f.bad("trace[" + i + "]", "null", "expected a finite log-likelihood");
                }
            }
        }
        if (stopperSinceBest > iteration) {
            throw f.bad("earlyStopping.sinceBest", Integer.toString(stopperSinceBest), "is more than the iterations done ("
                    + iteration + ")");
        }
        StateSpaceModel<?, ?> current = f.model(model, "model", initial, training);
        if (stopperBest != null) {
            f.model(stopperBest, "earlyStopping.bestModel", initial, training);
        }
        switch (runMethod) {
            case EM -> {
                if (restart > options.restarts()) {
                    throw f.bad("restart", Integer.toString(restart), "is beyond this run's restarts "
                            + options.restarts() + " (restart 0 is the given start, 1 to restarts the drawn ones)");
                }
                if (finishedRestarts.size() != restart) {
                    throw f.bad("finishedRestarts", finishedRestarts.size() + " entries", "do not match restart "
                            + restart + " (expected " + restart + ")");
                }
                for (int i = 0; i < finishedRestarts.size(); i++) {
                    f.finishedRestart(finishedRestarts.get(i), "finishedRestarts[" + i + "]", initial, training, max);
                }
            }
            case GRADIENT -> {
                if (theta == null) {
                    throw new SpecException(source, "gradient", "missing (a gradient fit's checkpoint holds its parameters "
                            + "and optimiser moments)");
                }
                int n = ((org.statespace.capability.Differentiable) current).parameters().length;
                f.length(theta, n, "gradient.parameters");
                f.length(first, n, "gradient.firstMoment");
                f.length(second, n, "gradient.secondMoment");
                for (int i = 0; i < second.length; i++) {
                    if (second[i] < 0) {
                        throw f.bad("gradient.secondMoment[" + i + "]", Double.toString(second[i]),
                                "is negative (a mean of squared gradients)");
                    }
                }
            }
            case OPTIMIZER -> {
                if (bestPoint == null) {
                    throw new SpecException(source, "optimizer", "missing (an optimiser fit's checkpoint holds its best "
                            + "point)");
                }
                f.length(bestPoint, ((org.statespace.capability.ParametricLikelihood) initial).freeParameters().length,
                        "optimizer.bestPoint");
            }
            case ONLINE_EM -> {
                if (statistics == null) {
                    throw new SpecException(source, "online", "missing (an online EM fit's checkpoint holds its running "
                            + "statistics)");
                }
                int pieces = Trainer.onlinePieces(training, options.chunkLength()).size();
                int perPass = (pieces + options.online().batchSize() - 1) / options.online().batchSize();
                if (position > perPass) {
                    throw f.bad("online.position", Integer.toString(position), "is beyond the " + perPass
                            + " updates of a pass over this data");
                }
                if (updates < position) {
                    throw f.bad("online.updates", Long.toString(updates), "is fewer than online.position " + position);
                }
                try {
                    ((org.statespace.capability.ExpectationMaximization) current).newStatistics().setFrom(statistics);
                } catch (IllegalArgumentException e) {
                    throw f.bad("online.statistics", statistics.length + " values", "do not fit this model's statistics ("
                            + e.getMessage() + ")");
                }
            }
            default -> {
            }
        }
    }

    /** Type checks of the checkpoint's fields, each error naming the file, the field and the value. */
    private static final class Fields {
        final String source;

        Fields(String source) {
            this.source = source;
        }

        SpecException bad(String path, String value, String problem) {
            return new SpecException(source, path, value + " " + problem);
        }

        private static String path(String parent, String name) {
            return parent.isEmpty() ? name : parent + "." + name;
        }

        private static String show(JsonNode n) {
            String text = n.toString();
            return text.length() > 60 ? text.substring(0, 57) + "..." : text;
        }

        JsonNode field(JsonNode parent, String parentPath, String name) {
            JsonNode n = parent.get(name);
            if (n == null) {
                throw new SpecException(source, path(parentPath, name), "missing");
            }
            return n;
        }

        String text(JsonNode parent, String parentPath, String name) {
            JsonNode n = field(parent, parentPath, name);
            if (!n.isTextual()) {
                throw bad(path(parentPath, name), show(n), "is not a string");
            }
            return n.asText();
        }

        long whole(JsonNode parent, String parentPath, String name, long min, long max) {
            return whole(field(parent, parentPath, name), path(parentPath, name), min, max);
        }

        long whole(JsonNode n, String path, long min, long max) {
            if (!n.isNumber()) {
                throw bad(path, show(n), "is not a number (expected a whole number)");
            }
            double v = n.asDouble();
            if (!(v == Math.rint(v)) || (n.isFloatingPointNumber() && Math.abs(v) >= 0x1p53)) {
                throw bad(path, show(n), "is not a whole number");
            }
            if (v < min) {
                throw bad(path, show(n), min == 0 ? "is negative" : "is below " + min);
            }
            if (!n.canConvertToLong() || n.asLong() > max) {
                throw bad(path, show(n), max == Integer.MAX_VALUE || max == Long.MAX_VALUE ? "is too large"
                        : "is above " + max);
            }
            return n.asLong();
        }

        ObjectNode object(JsonNode n, String path) {
            if (!(n instanceof ObjectNode o)) {
                throw bad(path, show(n), "is not an object");
            }
            return o;
        }

        JsonNode array(JsonNode parent, String parentPath, String name) {
            JsonNode n = field(parent, parentPath, name);
            if (!n.isArray()) {
                throw bad(path(parentPath, name), show(n), "is not an array");
            }
            return n;
        }

        /**
         * A number; a value that was not finite is the string "-Infinity", "Infinity" or "NaN" (as {@link
         * Json#extendedNumber} writes it), or {@code null} in checkpoints written before that (read as {@code ifNull}).
         */
        double numberOrNull(JsonNode parent, String parentPath, String name, double ifNull) {
            JsonNode n = field(parent, parentPath, name);
            return numberOrNull(n, path(parentPath, name), ifNull);
        }

        double numberOrNull(JsonNode n, String path, double ifNull) {
            if (n.isNull()) {
                return ifNull;
            }
            if (n.isTextual() && List.of("-Infinity", "Infinity", "NaN").contains(n.asText())) {
                return Json.doubleValue(n, "checkpoint", path);
            }
            if (!n.isNumber()) {
                throw bad(path, show(n), "is not a number");
            }
            return n.asDouble();
        }

        List<Double> numbersOrNulls(JsonNode array, String path) {
            List<Double> out = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                out.add(numberOrNull(array.get(i), path + "[" + i + "]", Double.NaN));
            }
            return out;
        }

        double[] finite(JsonNode array, String path) {
            double[] out = new double[array.size()];
            for (int i = 0; i < out.length; i++) {
                JsonNode n = array.get(i);
                if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
                    throw bad(path + "[" + i + "]", show(n), "is not a finite number");
                }
                out[i] = n.asDouble();
            }
            return out;
        }

        void length(double[] values, int expected, String path) {
            if (values.length != expected) {
                throw bad(path, values.length + " values", "do not fit this model's " + expected + " parameters");
            }
        }

        LearningCurve curve(JsonNode n, String path) {
            object(n, path);
            JsonNode[] columns = new JsonNode[4];
            String[] names = {"iteration", "trainingLoss", "validationLoss", "seconds"};
            for (int j = 0; j < names.length; j++) {
                if (j == 2 && !n.has(names[j])) {
                    continue; // a fit without validation data writes no validationLoss (LearningCurve.toJson)
                }
                columns[j] = array(n, path, names[j]);
                if (columns[j].size() != columns[0].size()) {
                    throw bad(path + "." + names[j], columns[j].size() + " entries", "where "
                            + path + ".iteration has " + columns[0].size());
                }
            }
            LearningCurve c = new LearningCurve();
            for (int i = 0; i < columns[0].size(); i++) {
                int it = (int) whole(columns[0].get(i), path + ".iteration[" + i + "]", 0, Integer.MAX_VALUE);
                c.add(new LearningCurve.Point(it, numberOrNull(columns[1].get(i), path + ".trainingLoss[" + i + "]", Double.NaN),
                        columns[2] == null ? Double.NaN
                                : numberOrNull(columns[2].get(i), path + ".validationLoss[" + i + "]", Double.NaN),
                        numberOrNull(columns[3].get(i), path + ".seconds[" + i + "]", Double.NaN)));
            }
            return c;
        }

        /** A model spec in the checkpoint: a valid spec of the starting model's type and size that fits the data. */
        StateSpaceModel<?, ?> model(ObjectNode spec, String path, StateSpaceModel<?, ?> initial, Dataset training) {
            JsonNode type = spec.get("type");
            if (type == null || !type.isTextual() || !type.asText().equals(initial.type())) {
                throw bad(path + ".type", type == null ? "nothing" : show(type), "is not the starting model's type \""
                        + initial.type() + "\"");
            }
            StateSpaceModel<?, ?> m;
            try {
                m = ModelSpecs.read(SpecNode.root(spec, source).relocated(path));
            } catch (SpecException e) {
                throw e.source().equals(source) ? e : e.withSource(source);
            }
            if (m.parameterCount() != initial.parameterCount()) {
                throw bad(path, "a model of " + m.parameterCount() + " parameters", "is not of the starting model's size ("
                        + initial.parameterCount() + " parameters)");
            }
            m.observationSpace().incompatibility(training).ifPresent(reason -> {
                throw bad(path, "the model", "does not fit the training data: " + reason);
            });
            return m;
        }

        void finishedRestart(ObjectNode r, String path, StateSpaceModel<?, ?> initial, Dataset training, int max) {
            model(object(field(r, path, "model"), path + ".model"), path + ".model", initial, training);
            double ll = numberOrNull(field(r, path, "logLikelihood"), path + ".logLikelihood", Double.NaN);
            if (!Double.isFinite(ll)) {
                throw bad(path + ".logLikelihood", show(r.get("logLikelihood")), "is not a finite log-likelihood");
            }
            int iterations = (int) whole(r, path, "iterations", 0, max);
            JsonNode trace = array(r, path, "trace");
            finite(trace, path + ".trace");
            if (trace.size() != iterations + 1 && trace.size() != iterations) {
                throw bad(path + ".trace", trace.size() + " entries", "do not match its " + iterations + " iterations");
            }
            curve(field(r, path, "curve"), path + ".curve");
            if (!field(r, path, "converged").isBoolean()) {
                throw bad(path + ".converged", show(r.get("converged")), "is not true or false");
            }
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
}
