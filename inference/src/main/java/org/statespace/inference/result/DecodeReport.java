package org.statespace.inference.result;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.DataException;
import org.statespace.spec.Json;
import org.statespace.study.ResultFields;

/**
 * The most probable hidden path of each sequence, as {@code statespace decode} writes it. Its JSON codec is
 * {@link #toJson()} / {@link #fromJson}; the fields are {@link ResultFields#DECODE}: the path is written as
 * state names, and read back from names (or, as older files hold, indices).
 *
 * @param states     the hidden states' names, the values of the paths
 * @param sequences  one path per sequence, in dataset order
 * @param provenance how the file was made (a free-form object; copied)
 */
public record DecodeReport(List<String> states, List<Path> sequences, ObjectNode provenance) implements ResultValue {

    /** The value of the {@code "result"} marker. */
    public static final String KIND = "decode";

    public DecodeReport {
        states = List.copyOf(states);
        sequences = List.copyOf(sequences);
        provenance = provenance.deepCopy();
    }

    /**
     * One sequence's path.
     *
     * @param id             the sequence's id
     * @param path           the state index of every step (-1: unknown, from an older file's null)
     * @param logProbability log p(path, observations)
     */
    public record Path(String id, int[] path, double logProbability) {
        public Path {
            path = path.clone();
        }

        @Override
        public int[] path() {
            return path.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Path p && id.equals(p.id) && Arrays.equals(path, p.path)
                    && Double.compare(logProbability, p.logProbability) == 0;
        }

        @Override
        public int hashCode() {
            return id.hashCode() * 31 + Arrays.hashCode(path);
        }

        @Override
        public String toString() {
            return "Path[" + id + ", T=" + path.length + ", logProbability=" + logProbability + "]";
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode root = StepArrays.marked(KIND);
        root.set("states", StepArrays.names(states));
        ArrayNode seqs = root.putArray("sequences");
        for (Path p : sequences) {
            ObjectNode s = seqs.addObject();
            s.put("id", p.id());
            ArrayNode a = s.putArray("viterbiPath");
            for (int k : p.path) {
                a.add(states.get(k));
            }
            Json.optionalNumber(s, "viterbiLogProbability", p.logProbability());
        }
        root.set("provenance", provenance.deepCopy());
        return root;
    }

    /** Reads a decode result back; errors name the source and the JSON path. */
    public static DecodeReport fromJson(JsonNode root, String source) {
        StepArrays.checkFields(root, ResultFields.DECODE, source);
        List<String> states = StepArrays.readNames(root, "states", source);
        List<Path> paths = StepArrays.readSequences(root, source, (s, where) -> new Path(StepArrays.text(s, "id", where),
                statePath(s.get("viterbiPath"), where + ": viterbiPath", states),
                StepArrays.number(s, "viterbiLogProbability", where)));
        return new DecodeReport(states, paths, StepArrays.provenance(root));
    }

    /**
     * A path written beside other tracks ({@code viterbiPath} in an older smooth file) as a track of shape [1]
     * holding the state indices (-1: unknown).
     */
    static org.statespace.capability.Track pathTrack(JsonNode node, String name, String where, List<String> states) {
        int[] path = statePath(node, where, states);
        double[] v = new double[path.length];
        for (int t = 0; t < v.length; t++) {
            v[t] = path[t];
        }
        return new org.statespace.capability.Track(name, v.length, new int[] {1}, v);
    }

    /** A path of state names (or indices, as older files hold) as indices; null is an unknown step (-1). */
    static int[] statePath(JsonNode node, String where, List<String> states) {
        if (node == null || !node.isArray()) {
            throw new DataException(where + ": expected an array of state names, got "
                    + (node == null ? "nothing" : StepArrays.abbreviate(node)));
        }
        int[] out = new int[node.size()];
        for (int t = 0; t < out.length; t++) {
            JsonNode v = node.get(t);
            if (v.isNull()) {
                out[t] = -1;
            } else if (v.isTextual()) {
                out[t] = states.indexOf(v.asText());
                if (out[t] < 0) {
                    throw new DataException(where + "[" + t + "]: \"" + v.asText() + "\" is not one of the states "
                            + (states.isEmpty() ? "(the file lists none under \"states\")" : states));
                }
            } else if (v.isIntegralNumber() && v.asLong() >= 0 && v.asLong() < Integer.MAX_VALUE) {
                out[t] = v.asInt();
            } else {
                throw new DataException(where + "[" + t + "]: expected a state name or index, got " + StepArrays.abbreviate(v));
            }
        }
        return out;
    }
}
