package org.statespace.inference;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;

/** Type checks of the checkpoint's fields, each error naming the file, the field and the value. */
final class CheckpointFields {
    final String source;

    CheckpointFields(String source) {
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

    // Doubles as JSON numbers: Java writes the digits that read back to the same double.
    static ArrayNode exact(double[] values) {
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
    static ArrayNode vector(List<Double> values) {
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

    static JsonNode number(double v) {
        ArrayNode one = Json.array();
        if (Double.isFinite(v)) {
            one.add(v);
        } else {
            Json.extendedNumber(one, v);
        }
        return one.get(0);
    }
}
