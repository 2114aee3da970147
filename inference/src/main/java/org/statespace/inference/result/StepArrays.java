package org.statespace.inference.result;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import org.statespace.DataException;
import org.statespace.capability.Track;
import org.statespace.spec.Json;

/**
 * The one JSON form of a per-step {@link Track}, written and read by every result codec: an array with one
 * entry per step, each a number (a track of shape [] or, {@code scalarWhenOne}, of shape [1]), a vector
 * (shape [n]) or a matrix (shape [n, m], a list of rows).
 */
final class StepArrays {
    /** How a NaN in a track is written. */
    enum Missing {
        /** Every value is finite (a NaN is a bug: {@link Json.NonFiniteNumberException}). */
        FINITE,
        /** NaN marks a missing value, written {@code null} (observation-aligned tracks). */
        NULL,
        /** NaN marks an entry that does not exist, written as the string {@code "NaN"}. */
        STRING
    }

    /** Tracks aligned with the observations, whose NaN marks a missing component (written as null). */
    private static final java.util.Set<String> OBSERVATION_ALIGNED = java.util.Set.of("innovations",
            "predictiveLogDensities");
    /** Tracks with entries that do not exist (Cov[x_0, x_-1]), NaN in the track, written as the string "NaN". */
    private static final java.util.Set<String> UNDEFINED_ENTRIES = java.util.Set.of("smoothedLagOneCovariances");

    private StepArrays() {
    }

    /** Steps {@code from} (inclusive) to {@code to} (exclusive) of a track, with its name and shape. */
    static Track steps(Track track, int from, int to) {
        int width = track.width();
        return new Track(track.name(), to - from, track.shape(),
                java.util.Arrays.copyOfRange(track.values(), from * width, to * width));
    }

    /** How a model's track of this name writes a NaN. */
    static Missing missingFor(String name) {
        return OBSERVATION_ALIGNED.contains(name) ? Missing.NULL
                : UNDEFINED_ENTRIES.contains(name) ? Missing.STRING : Missing.FINITE;
    }

    /** A model's state track (a path of shape [1], {@code ...Path}, one number per step). */
    static ArrayNode write(Track track) {
        return write(track, missingFor(track.name()), track.name().endsWith("Path"));
    }

    static ArrayNode write(Track track, Missing missing, boolean scalarWhenOne) {
        int[] shape = track.shape();
        double[] values = track.values();
        int width = track.width();
        ArrayNode outer = Json.array();
        for (int t = 0; t < track.length(); t++) {
            if (shape.length == 0 || (shape.length == 1 && shape[0] == 1 && scalarWhenOne)) {
                value(outer, values[t * width], missing);
            } else if (shape.length == 2) {
                ArrayNode m = outer.addArray();
                for (int i = 0; i < shape[0]; i++) {
                    block(m.addArray(), values, t * width + i * shape[1], t * width + (i + 1) * shape[1], missing);
                }
            } else {
                block(outer.addArray(), values, t * width, (t + 1) * width, missing);
            }
        }
        return outer;
    }

    private static void block(ArrayNode a, double[] values, int from, int to, Missing missing) {
        for (int i = from; i < to; i++) {
            value(a, values[i], missing);
        }
    }

    private static void value(ArrayNode a, double v, Missing missing) {
        if (missing == Missing.NULL && Double.isNaN(v)) {
            Json.missing(a);
        } else if (missing == Missing.STRING && Double.isNaN(v)) {
            Json.extendedNumber(a, v);
        } else {
            Json.number(a, v);
        }
    }

    /**
     * Reads a per-step array back as a track named {@code name}: numbers give shape [] (or [1] with
     * {@code scalarAsVector}), vectors [n], matrices [n, m]; {@code null} and {@code "NaN"} are NaN,
     * {@code "Infinity"}, {@code "-Infinity"} the infinities. Every step must have the shape of the first.
     *
     * @param where the file and JSON path, for errors
     */
    static Track read(JsonNode node, String name, boolean scalarAsVector, String where) {
        if (node == null || !node.isArray()) {
            throw new DataException(where + ": expected an array with one entry per step, got "
                    + (node == null ? "nothing" : abbreviate(node)));
        }
        int length = node.size();
        int[] shape = null;
        List<Double> values = new ArrayList<>();
        for (int t = 0; t < length; t++) {
            JsonNode step = node.get(t);
            int[] s = shapeOf(step, where + "[" + t + "]");
            if (shape == null) {
                shape = s;
            } else if (!java.util.Arrays.equals(shape, s)) {
                int count = java.util.Arrays.stream(s).reduce(1, (x, y) -> x * y);
                int first = java.util.Arrays.stream(shape).reduce(1, (x, y) -> x * y);
                throw new DataException(where + "[" + t + "]: " + (count != first
                        ? count + " numbers, but earlier steps have " + first
                        : "shape " + java.util.Arrays.toString(s) + ", but earlier steps have " + java.util.Arrays.toString(shape)));
            }
            flatten(step, values, where + "[" + t + "]");
        }
        if (shape == null) {
            shape = new int[0];
        }
        if (shape.length == 0 && scalarAsVector) {
            shape = new int[] {1};
        }
        return new Track(name, length, shape, values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static int[] shapeOf(JsonNode step, String where) {
        if (!step.isArray()) {
            return new int[0];
        }
        if (step.size() > 0 && step.get(0).isArray()) {
            int cols = step.get(0).size();
            for (int i = 0; i < step.size(); i++) {
                if (!step.get(i).isArray() || step.get(i).size() != cols) {
                    throw new DataException(where + "[" + i + "]: expected a row of " + cols + " numbers, got "
                            + abbreviate(step.get(i)));
                }
            }
            return new int[] {step.size(), cols};
        }
        return new int[] {step.size()};
    }

    private static void flatten(JsonNode n, List<Double> out, String where) {
        if (n.isNull()) {
            out.add(Double.NaN);
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                flatten(n.get(i), out, where + "[" + i + "]");
            }
        } else if (n.isNumber() || n.isTextual()) {
            try {
                out.add(Json.doubleValue(n, "result", where));
            } catch (org.statespace.SpecException e) {
                throw new DataException(where + ": expected a number, got " + abbreviate(n));
            }
        } else {
            throw new DataException(where + ": expected a number, got " + abbreviate(n));
        }
    }

    static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    /** A list of names written as a JSON array. */
    static ArrayNode names(List<String> names) {
        ArrayNode a = Json.array();
        names.forEach(a::add);
        return a;
    }

    /** The names listed under {@code field} ({@code "states"}, {@code "symbols"}), or none. */
    static List<String> readNames(JsonNode root, String field, String source) {
        JsonNode node = root.get(field);
        if (node == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode n : node) {
                if (!n.isTextual() || out.contains(n.asText())) {
                    break;
                }
                out.add(n.asText());
            }
        }
        if (!node.isArray() || out.size() != node.size() || out.isEmpty()) {
            throw new DataException(source + ": " + field + ": expected a list of distinct names, got " + abbreviate(node));
        }
        return List.copyOf(out);
    }

    /**
     * A finite or extended number at {@code field} of {@code node}; NaN when the field is absent (hand-made and
     * older files may leave out whole-sequence numbers, which no chart needs).
     */
    static double number(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null) {
            return Double.NaN;
        }
        try {
            return Json.doubleValue(v, "result", where + ": " + field);
        } catch (org.statespace.SpecException e) {
            throw new DataException(where + ": " + field + ": expected a number, got " + (v == null ? "nothing" : abbreviate(v)));
        }
    }

    /** The text at {@code field}, or an error naming it. */
    static String text(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new DataException(where + ": " + field + ": expected text, got " + (v == null ? "nothing" : abbreviate(v)));
        }
        return v.asText();
    }

    /** Checks the top-level fields against the declaration of the kind; every codec's reader calls it. */
    static void checkFields(JsonNode json, org.statespace.spec.Fields declared, String source) {
        org.statespace.spec.SpecNode.root(json, source).requireObject(declared);
    }

    /** A result's JSON object, the marker {@code "result": kind, "version": VERSION} first. */
    static com.fasterxml.jackson.databind.node.ObjectNode marked(String kind) {
        com.fasterxml.jackson.databind.node.ObjectNode root = Json.object();
        root.put("result", kind);
        root.put("version", ResultValue.VERSION);
        return root;
    }

    /** Reads one element of a result's {@code "sequences"}; {@code where} names the file and the element. */
    interface SequenceReader<T> {
        T read(JsonNode sequence, String where);
    }

    /** Every element of a result's {@code "sequences"}, read in order. */
    static <T> List<T> readSequences(JsonNode root, String source, SequenceReader<T> reader) {
        List<JsonNode> seqs = sequences(root, source);
        List<T> out = new ArrayList<>();
        for (int i = 0; i < seqs.size(); i++) {
            out.add(reader.read(seqs.get(i), source + ": sequences[" + i + "]"));
        }
        return out;
    }

    /** The sequences array of a result, or an error naming the source. */
    private static List<JsonNode> sequences(JsonNode root, String source) {
        JsonNode a = root.get("sequences");
        if (a == null || !a.isArray()) {
            throw new DataException(source + ": sequences: expected an array, got " + (a == null ? "nothing" : abbreviate(a)));
        }
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).isObject()) {
                throw new DataException(source + ": sequences[" + i + "]: expected an object, got " + abbreviate(a.get(i)));
            }
            out.add(a.get(i));
        }
        return out;
    }

    /** The provenance object (a copy), or an empty one. */
    static com.fasterxml.jackson.databind.node.ObjectNode provenance(JsonNode root) {
        JsonNode p = root.get("provenance");
        return p != null && p.isObject() ? (com.fasterxml.jackson.databind.node.ObjectNode) p.deepCopy() : Json.object();
    }
}
