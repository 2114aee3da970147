package org.statespace.rnn;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.random.RandomGenerator;

import org.statespace.DataException;
import org.statespace.StateSpaceModel;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.ObservedRows;
import org.statespace.data.ObservationKind;
import org.statespace.spec.Fields;
import org.statespace.spec.ModelType;
import org.statespace.spec.SpecNode;
import org.statespace.transform.StandardizedModel;

/**
 * Reads {@code "rnn"} specs (PyTorch names, so a network trained there loads here):
 *
 * <pre>{@code
 * {"type": "rnn", "inputSize": 3,
 *  "layers": [{"cell": "tanh", "hiddenSize": 5, "form": "i"}, {"cell": "gru", "hiddenSize": 4},
 *             {"cell": "lstm", "hiddenSize": 4}],
 *  "edges": [{"from": 2, "to": 1, "delay": 1}],
 *  "head": {"type": "gaussian", "outputSize": 1},
 *  "seed": 7,
 *  "weights": {"weight_ih_l0": [[...]], "weight_hh_l0": [[...]], "bias_ih_l0": [...], "bias_hh_l0": [...],
 *              ..., "weight_edge_2_1": [[...]], "head.weight": [[...]], "head.bias": [...]}}
 * }</pre>
 *
 * <ul>
 *   <li>{@code cell}: tanh, relu, sigmoid, lstm, gru, or the hybrid cells hmm and kalman ({@link Cell});
 *       {@code form} ("i", the default, "ii" or "ii-literal", see {@link VanillaForm}) only for the vanilla
 *       cells; {@code emission} only for an hmm layer: {@code {"type": "categorical" | "poisson" | "gaussian" |
 *       "mixture", "components": C}} ({@link BeliefEmission}; components only for a mixture). A kalman layer's
 *       {@code hiddenSize} is its n states; its state, what other layers read, is n + n² numbers.</li>
 *   <li>{@code initialState} (optional, H numbers): the layer's state before step 0, h_0 (form (i), LSTM,
 *       GRU) or a_0 (forms (ii)); {@code initialCell} (optional, LSTM only): c_0. Default zeros; constants,
 *       not trained (see {@link InitialStates}).</li>
 *   <li>{@code edges} (optional): extra connections of the loop graph (see {@link LoopGraph}); a cycle
 *       with no delay is an error naming the cycle.</li>
 *   <li>{@code head}: {@code type} linear, gaussian, softmax, or belief (the top hybrid cell's own predictive
 *       distribution, no weights; over symbols when that cell's emission is categorical); {@code outputSize} d (or M symbols);
 *       a linear head's {@code variance} (d positive numbers, default 1); a softmax head's optional
 *       {@code symbols} names. {@code inputSize} = d (or M) + the number of exogenous inputs.</li>
 *   <li>{@code seed} (default 0): initialises the weights as PyTorch does when {@code weights} is absent.</li>
 *   <li>{@code weights} (optional): every block of {@link RnnArchitecture} by name, matrices as rows.</li>
 *   <li>{@code precision} (optional): {@code "float64"} (the default) or {@code "float32"}, the arithmetic of the
 *       matrix products and weight gradients in training and running ({@link Precision}); the weights stay
 *       double numbers either way.</li>
 * </ul>
 *
 * <p>Template for studies, sized from the data: {@code {"type": "rnn", "cell": "gru", "hiddenSize": 16,
 * "layers": 1, "form": "i", "head": "auto"}} (all optional, these are the defaults): a stack of
 * {@code layers} equal layers, a softmax head over the data's symbols or, for real data, a Gaussian head
 * ({@code "auto"}; or {@code "linear"}, {@code "gaussian"}), inputs for the previous observation and the
 * data's exogenous inputs, weights initialised as PyTorch does from a seed drawn from the study's generator.
 *
 * <p>Fit settings ({@link RnnFitSettings}): {@code "loss": "default" | "nll" | "squared-error"},
 * {@code "truncation": {"k1": 20, "k2": 40}}, {@code "shardSize": 16}.
 */
public final class RnnType implements ModelType {

    @Override
    public List<String> names() {
        return List.of(RnnModel.TYPE);
    }

    @Override
    public String description() {
        return "recurrent neural network: tanh/relu/sigmoid (forms i, ii, ii-literal), LSTM, GRU, stacks and loop graphs, PyTorch weights";
    }

    @Override
    public RnnModel read(SpecNode spec) {
        spec.requireObject(RnnFields.SPEC);
        SpecNode inputNode = spec.field("inputSize");
        int inputSize = inputNode.asInt(1, 10_000_000);
        List<Layer> layers = new ArrayList<>();
        List<SpecNode> layerNodes = spec.field("layers").nonEmptyElements();
        double[][] initialStates = new double[layerNodes.size()][];
        double[][] initialCells = new double[layerNodes.size()][];
        for (int l = 0; l < layerNodes.size(); l++) {
            SpecNode n = layerNodes.get(l);
            Layer layer = readLayer(n);
            layers.add(layer);
            if (n.has("initialState")) {
                initialStates[l] = n.field("initialState").asVector(layer.hiddenSize());
            }
            if (n.has("initialCell")) {
                SpecNode c = n.field("initialCell");
                if (layer.cell() != Cell.LSTM) {
                    throw c.error("only an LSTM layer has a cell, this one is " + layer.cell().jsonName());
                }
                initialCells[l] = c.asVector(layer.hiddenSize());
            }
        }
        InitialStates initial = new InitialStates(initialStates, initialCells);
        List<Edge> edges = new ArrayList<>();
        if (spec.has("edges")) {
            for (SpecNode n : spec.field("edges").elements()) {
                n.requireObject(RnnFields.EDGE);
                int from = n.field("from").asInt(0, layers.size() - 1);
                int to = n.field("to").asInt(0, layers.size() - 1);
                int delay = n.field("delay").asInt(0, 1_000_000);
                edges.add(new Edge(from, to, delay));
            }
            Optional<LoopGraph.Problem> problem = LoopGraph.check(layers.size(), edges);
            if (problem.isPresent()) {
                throw spec.errorAt("edges[" + problem.get().edge() + "]", problem.get().message());
            }
        }
        SpecNode headNode = spec.field("head");
        headNode.requireObject(RnnFields.HEAD);
        Head.Type type = Head.Type.valueOf(headNode.field("type").asChoice(RnnFields.HEAD_TYPE.choiceArray())
                .toUpperCase(java.util.Locale.ROOT));
        Layer topLayer = layers.get(layers.size() - 1);
        if (type == Head.Type.BELIEF && !topLayer.cell().isHybrid()) {
            throw headNode.errorAt("type", "a belief head is the top layer's filter, so the top layer must be a hybrid "
                    + "cell (hmm or kalman), not " + topLayer.cell().jsonName());
        }
        boolean overSymbols = type == Head.Type.SOFTMAX
                || (type == Head.Type.BELIEF && topLayer.emission() != null && topLayer.emission().symbolic());
        int outputSize = headNode.field("outputSize").asInt(1, 10_000_000);
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            if (layer.feedthrough() == FEEDTHROUGH_PENDING) {
                layers.set(l, new Layer(Cell.KALMAN, layer.hiddenSize(), VanillaForm.I, null, layer.diffuseStates(), outputSize,
                        layer.learnedGain(), layer.diagonalNoise()));
            }
        }
        List<String> symbols = List.of();
        if (headNode.has("symbols")) {
            SpecNode s = headNode.field("symbols");
            if (!overSymbols) {
                throw s.error("symbol names are for a head over symbols, not a " + type.jsonName() + " one");
            }
            symbols = s.asDistinctTextList();
            if (symbols.size() != outputSize) {
                throw s.error(symbols.size() + " names for outputSize " + outputSize);
            }
        }
        double[] variance = null;
        if (headNode.has("variance")) {
            SpecNode v = headNode.field("variance");
            if (type != Head.Type.LINEAR) {
                throw v.error("only a linear head has a variance (a gaussian head predicts its log-variances)");
            }
            List<SpecNode> entries = v.nonEmptyElements();
            if (entries.size() != outputSize) {
                throw v.error("expected " + outputSize + " numbers, got " + entries.size());
            }
            variance = new double[outputSize];
            for (int j = 0; j < outputSize; j++) {
                variance[j] = entries.get(j).asPositive();
            }
        }
        Head head = new Head(type, outputSize, symbols, overSymbols);
        if (inputSize < outputSize) {
            throw inputNode.error("inputSize " + inputSize + " is smaller than the " + outputSize
                    + " inputs the previous observation takes (" + (head.symbolic() ? "one-hot over the symbols" : "its components")
                    + "); inputSize = " + outputSize + " + the number of exogenous inputs");
        }
        long seed = spec.optional("seed").map(SpecNode::asLong).orElse(0L);
        Precision precision = readPrecision(spec);
        RnnArchitecture architecture;
        try {
            architecture = RnnArchitecture.of(inputSize, layers, edges, head);
        } catch (IllegalArgumentException e) {
            throw spec.error(e.getMessage());
        }
        architecture.requireMemory();
        if (!spec.has("weights")) {
            RnnModel m = RnnModel.initialized(architecture, seed).withInitialStates(initial).withPrecision(precision);
            return (variance == null ? m : m.withHeadVariance(variance)).withFitControl(RnnFitControl.read(spec,
                    architecture));
        }
        SpecNode w = spec.field("weights");
        List<String> names = architecture.blockNames();
        w.requireObject(names.toArray(new String[0]));
        double[] theta = new double[architecture.parameterCount()];
        for (RnnArchitecture.Block b : architecture.blocks().values()) {
            SpecNode node = w.field(b.name());
            if (b.vector()) {
                System.arraycopy(node.asVector(b.rows()), 0, theta, b.offset(), b.rows());
            } else {
                double[][] m = node.asMatrix(b.rows(), b.cols());
                for (int i = 0; i < b.rows(); i++) {
                    System.arraycopy(m[i], 0, theta, b.offset() + i * b.cols(), b.cols());
                }
            }
        }
        return RnnModel.of(architecture, theta, variance, seed).withInitialStates(initial)
                .withFitControl(RnnFitControl.read(spec, architecture)).withPrecision(precision);
    }

    // "precision": "float64" (the default) or "float32"
    private static Precision readPrecision(SpecNode spec) {
        return Precision.fromJson(spec.optional("precision").map(n -> n.asChoice(RnnFields.PRECISION.choiceArray()))
                .orElse("float64"));
    }

    private static Layer readLayer(SpecNode n) {
        n.requireObject(RnnFields.LAYER);
        Cell cell = Cell.fromJson(n.field("cell").asChoice(RnnFields.CELL.choiceArray()));
        int hidden = n.field("hiddenSize").asInt(1, cell.isHybrid() ? Layer.MAX_HYBRID_STATES : 1_000_000);
        BeliefEmission emission = null;
        if (cell == Cell.HMM) {
            emission = readEmission(n.field("emission"));
        } else if (n.has("emission")) {
            // (a kalman cell's observation model is its weight blocks)
            throw n.errorAt("emission", "an emission is for an hmm layer, not " + cell.jsonName());
        }
        if (cell.isHybrid() && n.has("initialState")) {
            throw n.errorAt("initialState", "a " + cell.jsonName() + " layer starts from its initial belief, a weight block ("
                    + (cell == Cell.HMM ? "initial_logits" : "initial_mean, initial_cholesky") + ")");
        }
        List<Integer> diffuse = new ArrayList<>();
        if (n.has("diffuseStates")) {
            SpecNode node = n.field("diffuseStates");
            if (cell != Cell.KALMAN) {
                throw node.error("diffuse states are for a kalman layer, not " + cell.jsonName());
            }
            int[] given = node.asIntVector();
            for (int i = 0; i < given.length; i++) {
                if (given[i] < 0 || given[i] >= hidden) {
                    throw node.elements().get(i).error("state index must be between 0 and " + (hidden - 1) + ", got "
                            + given[i]);
                }
                if (diffuse.contains(given[i])) {
                    throw node.elements().get(i).error("state " + given[i] + " is listed twice");
                }
                diffuse.add(given[i]);
            }
        }
        boolean feedthrough = false;
        if (n.has("feedthrough")) {
            SpecNode node = n.field("feedthrough");
            feedthrough = node.asBoolean();
            if (feedthrough && cell != Cell.KALMAN) {
                throw node.error("a feedthrough is for a kalman layer, not " + cell.jsonName());
            }
        }
        boolean learnedGain = false;
        if (n.has("learnedGain")) {
            SpecNode node = n.field("learnedGain");
            learnedGain = node.asBoolean();
            if (learnedGain && cell != Cell.KALMAN) {
                throw node.error("a learned gain is for a kalman layer, not " + cell.jsonName());
            }
            if (learnedGain && !diffuse.isEmpty()) {
                throw node.error("a kalman layer with a learned gain carries no covariance, so it cannot have diffuseStates");
            }
        }
        boolean diagonalNoise = false;
        if (n.has("diagonalNoise")) {
            SpecNode node = n.field("diagonalNoise");
            diagonalNoise = node.asBoolean();
            if (diagonalNoise && (cell != Cell.KALMAN || learnedGain)) {
                throw node.error("diagonal noise is for a kalman layer with the covariance recursion (no learned gain), not "
                        + (learnedGain ? "one with a learned gain" : cell.jsonName()));
            }
        }
        // the feedthrough's width (d, the head's outputSize) is set once the head is read
        return new Layer(cell, hidden, readForm(n, cell), emission, diffuse, feedthrough ? FEEDTHROUGH_PENDING : 0,
                learnedGain, diagonalNoise);
    }

    // The layers of a hybrid cell template (null for the other cells), checked against the data.
    private static List<Layer> hybridTemplateLayers(SpecNode template, Cell cell, int hidden, int count, boolean symbols,
            Dataset data) {
        if (!cell.isHybrid()) {
            return null;
        }
        List<Layer> layers = new ArrayList<>();
        if (cell == Cell.HMM) {
            for (String f : new String[] {"learnedGain", "feedthrough", "diffuse"}) {
                if (template.optional(f).map(SpecNode::asBoolean).orElse(false)) {
                    throw template.errorAt(f, "is for a kalman cell template, not hmm");
                }
            }
            BeliefEmission emission = BeliefEmission.of(symbols ? BeliefEmission.Kind.CATEGORICAL : BeliefEmission.Kind.GAUSSIAN);
            if (template.has("emission")) {
                emission = readEmission(template.field("emission"));
            }
            if (emission.symbolic() != symbols) {
                throw new DataException("an hmm cell with a " + emission.kind().jsonName() + " emission does not apply to "
                        + (symbols ? "symbols" : "real values"));
            }
            for (int l = 0; l < count; l++) {
                layers.add(Layer.hmm(hidden, emission));
            }
            return layers;
        }
        if (symbols) {
            throw new DataException("a kalman cell observes real values, not symbols");
        }
        if (template.has("emission")) {
            throw template.errorAt("emission", "is for an hmm cell template, not kalman");
        }
        boolean learnedGain = template.optional("learnedGain").map(SpecNode::asBoolean).orElse(false);
        boolean feedthrough = template.optional("feedthrough").map(SpecNode::asBoolean).orElse(false);
        boolean diffuse = template.optional("diffuse").map(SpecNode::asBoolean).orElse(false);
        if (learnedGain && diffuse) {
            throw template.errorAt("diffuse", "a kalman cell with a learned gain carries no covariance, so no diffuse start");
        }
        List<Integer> states = new ArrayList<>();
        for (int i = 0; diffuse && i < hidden; i++) {
            states.add(i);
        }
        for (int l = 0; l < count; l++) {
            layers.add(new Layer(Cell.KALMAN, hidden, VanillaForm.I, null, states, feedthrough ? data.dimension() : 0,
                    learnedGain));
        }
        return layers;
    }

    // an hmm cell's emission object
    private static BeliefEmission readEmission(SpecNode e) {
        e.requireObject(RnnFields.BELIEF_EMISSION);
        BeliefEmission.Kind kind = BeliefEmission.Kind.valueOf(e.field("type").asChoice(BeliefEmission.Kind.jsonNames())
                .toUpperCase(java.util.Locale.ROOT));
        int components = 1;
        if (e.has("components")) {
            if (kind != BeliefEmission.Kind.MIXTURE) {
                throw e.errorAt("components", "only a mixture emission has components, this one is " + kind.jsonName());
            }
            components = e.field("components").asInt(1, 10_000);
        }
        BeliefEmission.Structure structure = BeliefEmission.Structure.FULL;
        if (e.has("covariance")) {
            SpecNode c = e.field("covariance");
            structure = BeliefEmission.Structure.valueOf(c.asChoice(BeliefEmission.Structure.jsonNames())
                    .toUpperCase(java.util.Locale.ROOT));
            if (structure != BeliefEmission.Structure.FULL && kind != BeliefEmission.Kind.GAUSSIAN
                    && kind != BeliefEmission.Kind.MIXTURE) {
                throw c.error("a covariance structure is for a gaussian or mixture emission, not " + kind.jsonName());
            }
        }
        return new BeliefEmission(kind, components, structure);
    }

    // a kalman layer's feedthrough before the head's outputSize is known
    private static final int FEEDTHROUGH_PENDING = Integer.MAX_VALUE;

    // "form": "i" (the default), "ii" or "ii-literal", only for vanilla cells
    private static VanillaForm readForm(SpecNode parent, Cell cell) {
        if (!parent.has("form")) {
            return VanillaForm.I;
        }
        SpecNode f = parent.field("form");
        if (!cell.isVanilla()) {
            throw f.error("form is for the vanilla cells (tanh, relu, sigmoid), not " + cell.jsonName());
        }
        return VanillaForm.fromJson(f.asChoice(RnnFields.FORM.choiceArray()));
    }

    /**
     * {@code {"type": "rnn", "cell": "gru", "hiddenSize": 16, "layers": 1, "form": "i", "head": "auto",
     * "standardize": true}}: a plain stack sized by the data (input: the previous observation, one-hot
     * for symbols, and the data's inputs; head: softmax for symbols, Gaussian otherwise), initialised as
     * PyTorch does from a seeded draw. With {@code standardize} (the default) real observations and inputs
     * are standardised by the data's means and standard deviations ({@link StandardizedModel}).
     *
     * <p>The hybrid cells too: {@code "cell": "hmm"} (hiddenSize K states, {@code "emission"} as a layer's, default
     * categorical for symbols and gaussian otherwise) and {@code "cell": "kalman"} (hiddenSize n states, real data;
     * {@code "learnedGain"}, {@code "feedthrough"} as a layer's, {@code "diffuse": true} an exact diffuse start on
     * every state); their head "auto" is the belief head (the top cell's predictive distribution).
     */
    @Override
    public StateSpaceModel<?, ?> template(SpecNode template, Dataset data, RandomGenerator random) {
        return sized(template, data, network -> org.statespace.data.Moments.of(data), random);
    }

    /**
     * The same start for data not in memory: the network sized by {@code shape}, drawn with the same generator,
     * standardised by the rows' {@link ObservedRows#moments} (exact sums: the scales of the in-memory template).
     */
    @Override
    public Optional<StateSpaceModel<?, ?>> template(SpecNode template, Dataset shape,
            Function<StateSpaceModel<?, ?>, ObservedRows> rows, RandomGenerator random) {
        return Optional.of(sized(template, shape, network -> rows.apply(network).moments(), random));
    }

    // the template sized by data's shape; moments gives the data's moments for the network (read only to standardise)
    private StateSpaceModel<?, ?> sized(SpecNode template, Dataset data,
            Function<StateSpaceModel<?, ?>, org.statespace.data.Moments> moments, RandomGenerator random) {
        template.requireObject(RnnFields.TEMPLATE);
        Cell cell = Cell.fromJson(template.optional("cell")
                .map(n -> n.asChoice(RnnFields.CELL.choiceArray())).orElse("gru"));
        // a hybrid cell's K states carry K² numbers: its bound is the layer's (Layer.MAX_HYBRID_STATES), named here
        int hidden = template.optional("hiddenSize")
                .map(n -> n.asInt(1, cell.isHybrid() ? Layer.MAX_HYBRID_STATES : 100_000)).orElse(16);
        int count = template.optional("layers").map(n -> n.asInt(1, 100)).orElse(1);
        VanillaForm form = readForm(template, cell);
        String headName = template.optional("head").map(n -> n.asChoice("auto", "linear", "gaussian", "softmax", "belief"))
                .orElse("auto");
        boolean symbols = data.kind() == ObservationKind.SYMBOLS;
        if (headName.equals("auto")) {
            headName = cell.isHybrid() ? "belief" : symbols ? "softmax" : "gaussian";
        }
        List<Layer> hybrid = hybridTemplateLayers(template, cell, hidden, count, symbols, data);
        if (hybrid != null || headName.equals("belief")) {
            if (hybrid == null || !headName.equals("belief")) {
                throw template.errorAt("head", "a belief head goes with a hybrid cell (hmm or kalman) and a hybrid cell "
                        + "template with the belief head (\"auto\"), not cell " + cell.jsonName() + " with head " + headName);
            }
            int m = symbols ? data.alphabetSize() : data.dimension();
            Head head = Head.belief(m, symbols, symbols ? data.symbolNames() : List.of());
            RnnArchitecture a;
            try {
                a = RnnArchitecture.stack(m + data.inputDimension(), hybrid, head);
            } catch (IllegalArgumentException e) {
                throw template.error(e.getMessage());
            }
            a.requireMemory();
            RnnModel network = RnnModel.initialized(a, random.nextLong()).withPrecision(readPrecision(template));
            boolean standardize = template.optional("standardize").map(SpecNode::asBoolean).orElse(true);
            return !standardize || (symbols && data.inputDimension() == 0) ? network
                    : StandardizedModel.fromMoments(network, moments.apply(network));
        }
        if (template.has("emission")) {
            throw template.errorAt("emission", "is for a hybrid cell template (hmm or kalman), not cell " + cell.jsonName());
        }
        for (String f : new String[] {"learnedGain", "feedthrough", "diffuse"}) {
            if (template.optional(f).map(SpecNode::asBoolean).orElse(false)) {
                throw template.errorAt(f, "is for a hybrid cell template (hmm or kalman), not cell " + cell.jsonName());
            }
        }
        if (symbols != headName.equals("softmax")) {
            throw new DataException("an rnn with a " + headName + " head does not apply to "
                    + (symbols ? "symbols" : "real values"));
        }
        Head head = symbols ? new Head(Head.Type.SOFTMAX, data.alphabetSize(), data.symbolNames())
                : Head.of(Head.Type.valueOf(headName.toUpperCase(java.util.Locale.ROOT)), data.dimension());
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < count; l++) {
            layers.add(new Layer(cell, hidden, form));
        }
        RnnArchitecture a;
        try {
            a = RnnArchitecture.stack(head.outputSize() + data.inputDimension(), layers, head);
        } catch (IllegalArgumentException e) {
            throw template.error(e.getMessage());
        }
        a.requireMemory();
        RnnModel network = RnnModel.initialized(a, random.nextLong()).withPrecision(readPrecision(template));
        boolean standardize = template.optional("standardize").map(SpecNode::asBoolean).orElse(true);
        if (!standardize || (symbols && data.inputDimension() == 0)) {
            return network;
        }
        // a network needs inputs and targets on a unit scale: run it on standardised data
        return StandardizedModel.fromMoments(network, moments.apply(network));
    }

    @Override
    public Declarations declarations() {
        return new Declarations(RnnFields.SPEC, RnnFields.TEMPLATE, RnnFields.FIT);
    }

    @Override
    public FitSettings readFitSettings(SpecNode options) {
        options.requireObject(RnnFields.FIT);
        RnnFitSettings s = RnnFitSettings.defaults();
        if (options.has("loss")) {
            s = s.withLoss(RnnFitSettings.Loss.fromJson(options.field("loss").asChoice(RnnFields.LOSS.choiceArray())));
        }
        if (options.has("truncation")) {
            SpecNode t = options.field("truncation");
            t.requireObject(RnnFields.TRUNCATION);
            int k1 = t.field("k1").asInt(1, 100_000_000);
            int k2 = t.field("k2").asInt(1, 100_000_000);
            if (k2 < k1) {
                throw t.errorAt("k2", "must be at least k1 (" + k1 + "), got " + k2 + ": a loss would otherwise reach no step");
            }
            s = s.withTruncation(k1, k2);
        }
        if (options.has("shardSize")) {
            s = s.withShardSize(options.field("shardSize").asInt(1, 1_000_000));
        }
        return s;
    }
}
