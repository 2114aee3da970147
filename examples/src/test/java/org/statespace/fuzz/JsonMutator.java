package org.statespace.fuzz;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Structure-aware mutations of a JSON document, driven by the fuzzer's bytes: each step picks a node of
 * the tree and replaces it with an interesting scalar (zero, negative, huge, tiny, NaN, infinities,
 * integers at the edge of int and long, a string seen in the seeds), removes it, duplicates it, wraps
 * or unwraps it, empties it, grafts another part of the document in its place, or adds a field whose
 * name the seeds use. Starting from valid documents this reaches the validation of every field, which
 * byte-level mutations of JSON text reach only slowly.
 */
final class JsonMutator {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final double[] NUMBERS = {0, -0.0, 1, -1, 2, 3, 0.5, -0.5, 1e-300, -1e-300, 1e300, -1e300,
        Double.MAX_VALUE, Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Integer.MAX_VALUE, Integer.MIN_VALUE, 2147483648.0, 1e6, 1e9, 1e15, 1e-12, 0.999999999999, 1.0000000001,
        100, 1000, 65536};

    private final List<String> names;
    private final List<String> strings;

    /** A mutator whose dictionary is the field names and strings of {@code seeds}, plus {@code extra}. */
    JsonMutator(List<JsonNode> seeds, List<String> extra) {
        Set<String> n = new LinkedHashSet<>();
        Set<String> s = new LinkedHashSet<>(extra);
        for (JsonNode seed : seeds) {
            collect(seed, n, s);
        }
        n.addAll(extra);
        names = new ArrayList<>(n);
        strings = new ArrayList<>(s);
    }

    private static void collect(JsonNode node, Set<String> names, Set<String> strings) {
        if (node.isObject()) {
            Iterator<String> it = node.fieldNames();
            while (it.hasNext()) {
                String name = it.next();
                names.add(name);
                collect(node.get(name), names, strings);
            }
        } else if (node.isArray()) {
            for (JsonNode e : node) {
                collect(e, names, strings);
            }
        } else if (node.isTextual()) {
            strings.add(node.textValue());
        }
    }

    /** Up to {@code maxSteps} mutations of a copy of {@code seed}. */
    JsonNode mutate(JsonNode seed, FuzzedDataProvider data, int maxSteps) {
        JsonNode root = seed.deepCopy();
        int steps = data.consumeInt(0, maxSteps);
        for (int i = 0; i < steps && data.remainingBytes() > 0; i++) {
            root = mutateOnce(root, data);
        }
        return root;
    }

    /** A place in the tree: the node and how its parent holds it (null parent for the root). */
    private record Place(JsonNode node, JsonNode parent, String field, int index) {
    }

    private static void places(JsonNode node, JsonNode parent, String field, int index, List<Place> out) {
        out.add(new Place(node, parent, field, index));
        if (node.isObject()) {
            Iterator<String> it = node.fieldNames();
            while (it.hasNext()) {
                String name = it.next();
                places(node.get(name), node, name, -1, out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                places(node.get(i), node, null, i, out);
            }
        }
    }

    private JsonNode mutateOnce(JsonNode root, FuzzedDataProvider data) {
        List<Place> all = new ArrayList<>();
        places(root, null, null, -1, all);
        Place at = all.get(data.consumeInt(0, all.size() - 1));
        int op = data.consumeInt(0, 11);
        JsonNode replacement;
        switch (op) {
            case 0 -> replacement = NODES.numberNode(NUMBERS[data.consumeInt(0, NUMBERS.length - 1)]);
            case 1 -> replacement = NODES.numberNode(data.consumeInt());
            case 2 -> replacement = data.consumeBoolean() ? NODES.numberNode(new BigInteger("123456789012345678901234567890"))
                    : NODES.numberNode(new BigDecimal("1e400"));
            case 3 -> replacement = NODES.textNode(strings.isEmpty() || data.consumeBoolean()
                    ? data.consumeString(12) : strings.get(data.consumeInt(0, strings.size() - 1)));
            case 4 -> replacement = data.consumeBoolean() ? NODES.nullNode() : NODES.booleanNode(data.consumeBoolean());
            case 5 -> replacement = data.consumeBoolean() ? NODES.arrayNode() : NODES.objectNode();
            case 6 -> {
                ArrayNode wrap = NODES.arrayNode();
                wrap.add(at.node().deepCopy());
                replacement = wrap;
            }
            case 7 -> replacement = at.node().size() > 0 ? at.node().elements().next().deepCopy() : NODES.nullNode();
            case 8 -> replacement = all.get(data.consumeInt(0, all.size() - 1)).node().deepCopy();
            case 9 -> {
                remove(at);
                return root;
            }
            case 10 -> {
                if (at.node() instanceof ArrayNode a && a.size() > 0) {
                    a.add(a.get(data.consumeInt(0, a.size() - 1)).deepCopy());
                } else if (at.node() instanceof ObjectNode o && !names.isEmpty()) {
                    o.set(names.get(data.consumeInt(0, names.size() - 1)),
                            all.get(data.consumeInt(0, all.size() - 1)).node().deepCopy());
                }
                return root;
            }
            default -> replacement = NODES.numberNode(data.consumeDouble());
        }
        if (at.parent() == null) {
            return replacement;
        }
        if (at.parent() instanceof ObjectNode o) {
            o.set(at.field(), replacement);
        } else {
            ((ArrayNode) at.parent()).set(at.index(), replacement);
        }
        return root;
    }

    private static void remove(Place at) {
        if (at.parent() instanceof ObjectNode o) {
            o.remove(at.field());
        } else if (at.parent() instanceof ArrayNode a) {
            a.remove(at.index());
        }
    }
}
