package org.statespace.rnn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.statespace.ObservationSpace;
import org.statespace.ResourceException;

/**
 * The shape of a network without its weights: the input size, the layers (numbered from 0 at the
 * bottom), the extra edges of its loop graph and the head; and what follows from them: the observation
 * space, the loop graph, and the layout of the flat parameter vector.
 *
 * <p>The input at step t is the previous observation (one-hot over M symbols for a softmax head, the
 * d-vector for the others) joined with the p exogenous inputs u_t, so {@code inputSize} = M + p or
 * d + p and the observation space follows from the head.
 *
 * <p>Parameter layout (PyTorch's names and shapes, G gates, H_l hidden units, in_l = inputSize for layer 0
 * and H_{l-1} above), in this order: for each layer {@code weight_ih_l<l>} (G·H_l × in_l),
 * {@code weight_hh_l<l>} (G·H_l × H_l), {@code bias_ih_l<l>} (G·H_l), {@code bias_hh_l<l>} (G·H_l); for each
 * extra edge {@code weight_edge_<from>_<to>} (G·H_to × H_from); then {@code head.weight} (rows × H_top) and
 * {@code head.bias} (rows). Matrices are flattened row-major. Immutable.
 */
public final class RnnArchitecture {

    /**
     * A named block of the flat parameter vector.
     *
     * @param name   the PyTorch name
     * @param rows   rows (the length for a vector)
     * @param cols   columns (1 for a vector)
     * @param vector whether it is a vector (a bias)
     * @param offset where it starts in the flat vector
     */
    public record Block(String name, int rows, int cols, boolean vector, int offset) {
        /** rows × cols. */
        public int size() {
            return rows * cols;
        }

        /** "20x3" or "20". */
        public String shape() {
            return vector ? Integer.toString(rows) : rows + "x" + cols;
        }
    }

    private final int inputSize;
    private final List<Layer> layers;
    private final List<Edge> edges;
    private final Head head;
    private final LoopGraph graph;
    private final ObservationSpace space;
    private final Map<String, Block> blocks;
    private final int parameterCount;

    private RnnArchitecture(int inputSize, List<Layer> layers, List<Edge> edges, Head head) {
        this.inputSize = inputSize;
        this.layers = List.copyOf(layers);
        this.edges = List.copyOf(edges);
        this.head = head;
        this.graph = LoopGraph.of(layers.size(), edges);
        int observation = head.outputSize();
        ObservationSpace base = head.symbolic() ? ObservationSpace.symbols(observation, head.symbols()) : ObservationSpace.reals(observation);
        this.space = base.withInputs(inputSize - observation);
        requireRepresentable(inputSize, layers, edges, head);
        requireHybridFits(layers, head);
        Map<String, Block> b = new LinkedHashMap<>();
        int offset = 0;
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            int in = l == 0 ? inputSize : layers.get(l - 1).stateSize();
            offset = put(b, new Block("weight_ih_l" + l, layer.width(), in, false, offset));
            offset = put(b, new Block("weight_hh_l" + l, layer.width(), layer.stateSize(), false, offset));
            offset = put(b, new Block("bias_ih_l" + l, layer.width(), 1, true, offset));
            offset = put(b, new Block("bias_hh_l" + l, layer.width(), 1, true, offset));
            if (layer.cell() == Cell.HMM) {
                offset = putAll(b, HmmCell.blockNames(layer, l), HmmCell.blockShapes(layer, observation), offset);
            }
            if (layer.cell() == Cell.KALMAN) {
                offset = putAll(b, KalmanCell.blockNames(layer, l), KalmanCell.blockShapes(layer, observation), offset);
            }
        }
        for (Edge e : edges) {
            offset = put(b, new Block(e.weightName(), layers.get(e.to()).width(), layers.get(e.from()).stateSize(), false,
                    offset));
        }
        int top = layers.get(layers.size() - 1).stateSize();
        if (head.hasWeights()) {
            offset = put(b, new Block("head.weight", head.rows(), top, false, offset));
            offset = put(b, new Block("head.bias", head.rows(), 1, true, offset));
        }
        this.blocks = Collections.unmodifiableMap(b);
        this.parameterCount = offset;
    }

    // An HMM cell reads the observation part of x: its emission must be over the head's kind of observation;
    // a belief head is the top layer's filter, so the top layer must be a hybrid cell.
    private static void requireHybridFits(List<Layer> layers, Head head) {
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            if (layer.cell() == Cell.HMM && layer.emission().symbolic() != head.symbolic()) {
                throw new IllegalArgumentException("layer " + l + ": a " + layer.emission().kind().jsonName()
                        + " emission is over " + (layer.emission().symbolic() ? "symbols" : "real values") + " but the head's observations are "
                        + (head.symbolic() ? "symbols" : "real values"));
            }
            if (layer.feedthrough() != 0 && layer.feedthrough() != head.outputSize()) {
                throw new IllegalArgumentException("layer " + l + ": a kalman cell's feedthrough shifts the head's "
                        + head.outputSize() + " observed components, not " + layer.feedthrough());
            }
            if (layer.cell() == Cell.KALMAN && head.symbolic()) {
                throw new IllegalArgumentException("layer " + l + ": a kalman cell observes real values, but the head's "
                        + "observations are symbols");
            }
        }
        Layer top = layers.get(layers.size() - 1);
        if (head.type() == Head.Type.BELIEF && !top.cell().isHybrid()) {
            throw new IllegalArgumentException("a belief head is the top layer's filter, so the top layer must be a hybrid "
                    + "cell (hmm or kalman), not " + top.cell().jsonName());
        }
    }

    /** The most parameters a network may have: its flat vector is one Java array. */
    public static final int MAX_PARAMETERS = Integer.MAX_VALUE - 16;

    // Counts in long arithmetic, so that huge sizes are an error and never an overflowed int.
    private static void requireRepresentable(int inputSize, List<Layer> layers, List<Edge> edges, Head head) {
        long count = 0;
        for (int l = 0; l < layers.size(); l++) {
            long width = layers.get(l).width();
            long in = l == 0 ? inputSize : layers.get(l - 1).stateSize();
            count += width * (in + layers.get(l).stateSize() + 2);
        }
        for (Edge e : edges) {
            count += (long) layers.get(e.to()).width() * layers.get(e.from()).stateSize();
        }
        count += (long) head.rows() * (layers.get(layers.size() - 1).stateSize() + 1);
        for (Layer layer : layers) {
            int[][] shapes = layer.cell() == Cell.HMM ? HmmCell.blockShapes(layer, head.outputSize())
                    : layer.cell() == Cell.KALMAN ? KalmanCell.blockShapes(layer, head.outputSize()) : new int[0][];
            for (int[] shape : shapes) {
                count += (long) shape[0] * Math.max(shape[1], 1);
            }
        }
        if (count > MAX_PARAMETERS) {
            throw new IllegalArgumentException("the network would have " + count + " parameters, more than the "
                    + MAX_PARAMETERS + " one flat vector can hold");
        }
    }

    /**
     * Checks that the flat parameter vector of this network fits comfortably in the JVM's memory (at most
     * an eighth of its maximum heap, since the model keeps its weights twice, flat and as matrices, and
     * training adds gradients and optimiser moments of the same size), so that a mistyped size is an error that says so instead of an OutOfMemoryError.
     *
     * @throws ResourceException when it does not
     */
    public void requireMemory() {
        long bytes = 8L * parameterCount;
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap / 8) {
            throw new ResourceException("the network has " + parameterCount + " parameters (" + (bytes >> 20)
                    + " MB), more than this JVM's memory (" + (heap >> 20) + " MB) allows; check the sizes, or give "
                    + "Java more memory (JAVA_OPTS=-Xmx8g, for example)");
        }
    }

    // a hybrid cell's own blocks, {rows, cols} each (cols 0: a vector)
    private static int putAll(Map<String, Block> b, String[] names, int[][] shapes, int offset) {
        for (int i = 0; i < shapes.length; i++) {
            boolean vector = shapes[i][1] == 0;
            offset = put(b, new Block(names[i], shapes[i][0], vector ? 1 : shapes[i][1], vector, offset));
        }
        return offset;
    }

    private static int put(Map<String, Block> b, Block block) {
        b.put(block.name(), block);
        return block.offset() + block.size();
    }

    /**
     * An architecture.
     *
     * @throws IllegalArgumentException when there are no layers, the input size is smaller than what
     *         the previous observation takes (M or d), or the edges are invalid (see {@link LoopGraph#of})
     */
    public static RnnArchitecture of(int inputSize, List<Layer> layers, List<Edge> edges, Head head) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        if (inputSize < head.outputSize()) {
            throw new IllegalArgumentException("inputSize " + inputSize + " is smaller than the " + head.outputSize()
                    + " inputs that the previous observation takes (" + (head.symbolic() ? "one-hot over the symbols" : "its components")
                    + "); inputSize = " + head.outputSize() + " + the number of exogenous inputs");
        }
        return new RnnArchitecture(inputSize, layers, edges, head);
    }

    /** The stacked layers with no extra edges. */
    public static RnnArchitecture stack(int inputSize, List<Layer> layers, Head head) {
        return of(inputSize, layers, List.of(), head);
    }

    /** The network's input size: M or d for the previous observation, plus p exogenous inputs. */
    public int inputSize() {
        return inputSize;
    }

    public List<Layer> layers() {
        return layers;
    }

    public Layer layer(int l) {
        return layers.get(l);
    }

    public int layerCount() {
        return layers.size();
    }

    public List<Edge> edges() {
        return edges;
    }

    public Head head() {
        return head;
    }

    /** The loop graph (stack implied, plus the extra edges). */
    public LoopGraph graph() {
        return graph;
    }

    /** Symbols(M) for a softmax head, else reals(d); with p = inputSize - M (or d) inputs. */
    public ObservationSpace observationSpace() {
        return space;
    }

    /** The blocks of the flat parameter vector, in layout order, by PyTorch name. */
    public Map<String, Block> blocks() {
        return blocks;
    }

    /** A block by name, or {@code null}. */
    public Block block(String name) {
        return blocks.get(name);
    }

    /** The block names in layout order. */
    public List<String> blockNames() {
        return new ArrayList<>(blocks.keySet());
    }

    /** The length of the flat parameter vector. */
    public int parameterCount() {
        return parameterCount;
    }

    /** H of the top layer. */
    int topHidden() {
        return layers.get(layers.size() - 1).stateSize();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RnnArchitecture a && a.inputSize == inputSize && a.layers.equals(layers)
                && a.edges.equals(edges) && a.head.equals(head);
    }

    @Override
    public int hashCode() {
        return ((inputSize * 31 + layers.hashCode()) * 31 + edges.hashCode()) * 31 + head.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("rnn(").append(inputSize);
        for (Layer l : layers) {
            b.append(" -> ").append(l.cell().jsonName()).append(l.hiddenSize());
            if (l.form() != VanillaForm.I) {
                b.append('(').append(l.form().jsonName()).append(')');
            }
        }
        for (Edge e : edges) {
            b.append(", ").append(e.from()).append("->").append(e.to()).append("@").append(e.delay());
        }
        return b.append(" -> ").append(head.type().jsonName()).append(head.outputSize()).append(')').toString();
    }
}
