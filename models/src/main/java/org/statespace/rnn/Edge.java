package org.statespace.rnn;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.spec.Json;

/**
 * An extra connection of the loop graph: the output of layer {@code from} at step t - {@code delay}
 * feeds layer {@code to} at step t, through its own weight {@code weight_edge_<from>_<to>} (G·H_to ×
 * H_from) added into the gate pre-activations of {@code to}. Layers are numbered from 0 at the bottom, as
 * in PyTorch's weight names, so "layer 3 loops back to layer 2" is {@code Edge(2, 1, 1)}.
 *
 * @param from  the source layer
 * @param to    the receiving layer
 * @param delay 0 (same step) or k &gt;= 1 (k steps back)
 */
public record Edge(int from, int to, int delay) {

    public Edge {
        if (from < 0 || to < 0) {
            throw new IllegalArgumentException("layers are numbered from 0, got " + from + " -> " + to);
        }
        if (delay < 0) {
            throw new IllegalArgumentException("delay must be non-negative, got " + delay);
        }
    }

    /** {@code {"from": .., "to": .., "delay": ..}}, as in a spec. */
    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put("from", from);
        n.put("to", to);
        n.put("delay", delay);
        return n;
    }

    /** The PyTorch-style name of its weight: {@code weight_edge_<from>_<to>}. */
    public String weightName() {
        return "weight_edge_" + from + "_" + to;
    }
}
