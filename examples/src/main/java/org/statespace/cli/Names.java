package org.statespace.cli;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.StateSpaceModel;
import org.statespace.capability.PathDecoding;
import org.statespace.spec.Json;

/**
 * How result files name discrete states and symbols: a list at the top of the file,
 * {@code "states": ["calm", "storm"]} for hidden states and {@code "symbols": ["sunny", "rainy"]} for
 * observed ones, the names of the spec in index order ("0".."K-1" when it gives none). Columns of
 * probabilities ({@code posteriorProbabilities}, {@code filteredProbabilities},
 * {@code predictiveProbabilities}, a forecast's {@code probabilities}) are in that order, and a path
 * ({@code viterbiPath}) holds the names themselves.
 */
final class Names {
    private Names() {
    }

    /** The names of the model's discrete hidden states, or empty when it has none. */
    static List<String> states(StateSpaceModel<?, ?> model) {
        return model instanceof PathDecoding decoder ? decoder.stateNames() : List.of();
    }

    /** The model's symbol names, or "0".."M-1" when it has none for its M symbols. */
    static List<String> symbols(StateSpaceModel<?, ?> model, int m) {
        return model.symbolNames().size() == m ? model.symbolNames() : PathDecoding.indexNames(m);
    }

    /** Writes {@code "states"} when the model has discrete hidden states; returns their names (or empty). */
    static List<String> putStates(ObjectNode root, StateSpaceModel<?, ?> model) {
        if (!(model instanceof PathDecoding decoder)) {
            return List.of();
        }
        List<String> names = decoder.stateNames();
        root.set("states", array(names));
        return names;
    }

    static ArrayNode array(List<String> names) {
        ArrayNode a = Json.array();
        names.forEach(a::add);
        return a;
    }
}
