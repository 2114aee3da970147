package org.statespace.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.statespace.DataException;

/**
 * A set of sequences that share one observation kind, dimension and input dimension; their lengths may
 * differ. Symbolic datasets may carry the names of their symbols ({@code "symbols"} in JSON). Every
 * dataset has a {@link Support}, declared ({@link #withSupport}, {@code "support"} in JSON) or inferred.
 *
 * <p>Immutable.
 */
public final class Dataset {
    /** The largest alphabet a symbolic dataset may have (symbol indices are below it): 2^24. */
    public static final int MAX_SYMBOLS = 1 << 24;

    private final List<Sequence> sequences;
    private final ObservationKind kind;
    private final int dimension;
    private final int inputDimension;
    private final List<String> symbolNames;
    private final List<String> stateNames;
    private final Support support;
    private final boolean supportDeclared;

    private Dataset(List<Sequence> sequences, ObservationKind kind, int dimension, int inputDimension,
            List<String> symbolNames, List<String> stateNames, Support support, boolean supportDeclared) {
        this.sequences = sequences;
        this.kind = kind;
        this.dimension = dimension;
        this.inputDimension = inputDimension;
        this.symbolNames = symbolNames;
        this.stateNames = stateNames;
        this.support = support;
        this.supportDeclared = supportDeclared;
    }

    /**
     * A dataset of real-valued sequences. All must have the same observation and input dimension and
     * distinct ids.
     */
    public static Dataset of(List<Sequence> sequences) {
        return of(ObservationKind.REAL, sequences, List.of());
    }

    /** A symbolic dataset: every observed value must be an integer symbol index, below the alphabet size when names are given. */
    public static Dataset ofSymbols(List<Sequence> sequences, List<String> symbolNames) {
        return of(ObservationKind.SYMBOLS, sequences, symbolNames);
    }

    /** A dataset of one kind; validates shapes, ids and (for symbols) indices. */
    public static Dataset of(ObservationKind kind, List<Sequence> sequences, List<String> symbolNames) {
        Objects.requireNonNull(kind, "kind");
        if (sequences.isEmpty()) {
            throw new DataException("a dataset needs at least one sequence");
        }
        Sequence first = sequences.get(0);
        int d = first.dimension();
        int p = first.inputDimension();
        Set<String> ids = new HashSet<>();
        for (Sequence s : sequences) {
            if (!ids.add(s.id())) {
                throw new DataException("two sequences have the id '" + s.id() + "'");
            }
            if (s.dimension() != d) {
                throw new DataException("sequence '" + s.id() + "': observations have dimension " + s.dimension()
                        + " but sequence '" + first.id() + "' has " + d);
            }
            if (s.inputDimension() != p) {
                throw new DataException("sequence '" + s.id() + "': inputs have dimension " + s.inputDimension()
                        + " but sequence '" + first.id() + "' has " + p);
            }
        }
        List<String> names = symbolNames instanceof IntegerNames ? symbolNames : List.copyOf(symbolNames);
        if (kind == ObservationKind.SYMBOLS) {
            if (d != 1) {
                throw new DataException("symbolic observations have dimension 1, got " + d);
            }
            for (Sequence s : sequences) {
                for (int t = 0; t < s.length(); t++) {
                    double v = s.scalar(t);
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    String problem = symbolIndexProblem(v, names.size());
                    if (problem != null) {
                        throw new DataException("sequence '" + s.id() + "', step " + t + ": " + problem);
                    }
                }
            }
        } else if (!names.isEmpty()) {
            throw new DataException("symbol names are only for symbolic datasets");
        }
        List<Sequence> copy = List.copyOf(sequences);
        return new Dataset(copy, kind, d, p, names, List.of(), inferSupport(kind, copy), false);
    }

    /**
     * What {@link #of} says of the observed symbol index {@code v} of a symbolic dataset with {@code names} symbol
     * names (0: none), or null when it is one; also for readers that check a sequence step by step.
     */
    static String symbolIndexProblem(double v, int names) {
        if (v < 0 || v != Math.rint(v) || (names > 0 && v >= names)) {
            return number(v) + " is not a symbol index" + (names == 0 ? "" : " in 0.." + (names - 1));
        }
        if (v >= MAX_SYMBOLS) {
            return "symbol index " + number(v) + " is too large; an alphabet has at most " + MAX_SYMBOLS + " symbols";
        }
        return null;
    }

    /**
     * What {@link #withSupport} says of component {@code j} of step {@code t} of sequence {@code id} (of dimension
     * {@code d}) under support "counts", or null when it is a count or missing.
     */
    static String countProblem(String id, int t, int j, int d, double v) {
        if (Double.isNaN(v) || isCount(v)) {
            return null;
        }
        return "support \"counts\": sequence '" + id + "', step " + t + (d > 1 ? ", component " + j : "") + ": " + v
                + " is not a non-negative integer";
    }

    // symbols for symbols; counts when every observed value is a non-negative integer (and one is); else real
    private static Support inferSupport(ObservationKind kind, List<Sequence> sequences) {
        if (kind == ObservationKind.SYMBOLS) {
            return Support.SYMBOLS;
        }
        boolean observed = false;
        for (Sequence s : sequences) {
            for (int t = 0; t < s.length(); t++) {
                for (int j = 0; j < s.dimension(); j++) {
                    double v = s.value(t, j);
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    if (!isCount(v)) {
                        return Support.REAL;
                    }
                    observed = true;
                }
            }
        }
        return observed ? Support.COUNTS : Support.REAL;
    }

    private static boolean isCount(double v) {
        return v >= 0 && v == Math.rint(v) && v != Double.POSITIVE_INFINITY;
    }

    /**
     * The values the observations take: the declared support, else the inferred one (see
     * {@link Support}).
     */
    public Support support() {
        return support;
    }

    /** Whether {@link #support()} was declared rather than inferred from the data. */
    public boolean supportDeclared() {
        return supportDeclared;
    }

    /**
     * The same dataset with a declared support.
     *
     * @throws DataException if the data cannot have it: symbols for a real dataset or the other way
     *                       round, or counts with an observed value that is not a non-negative integer
     *                       (the message names the sequence, step, component and value)
     */
    public Dataset withSupport(Support declared) {
        Objects.requireNonNull(declared, "support");
        if ((declared == Support.SYMBOLS) != (kind == ObservationKind.SYMBOLS)) {
            throw new DataException("support \"" + declared.jsonName() + "\" does not fit " + kind.jsonName()
                    + " observations");
        }
        if (declared == Support.COUNTS) {
            for (Sequence s : sequences) {
                for (int t = 0; t < s.length(); t++) {
                    for (int j = 0; j < s.dimension(); j++) {
                        String problem = countProblem(s.id(), t, j, s.dimension(), s.value(t, j));
                        if (problem != null) {
                            throw new DataException(problem);
                        }
                    }
                }
            }
        }
        return new Dataset(sequences, kind, dimension, inputDimension, symbolNames, stateNames, declared, true);
    }

    /**
     * The same data whose known hidden states (one per step, integer indices) are named: state k is
     * {@code names.get(k)}. Empty names remove the naming.
     *
     * @throws DataException when a sequence's states are not single integer indices below the number of names
     */
    public Dataset withStateNames(List<String> names) {
        List<String> copy = List.copyOf(names);
        if (!copy.isEmpty()) {
            for (Sequence s : sequences) {
                if (!s.hasStates()) {
                    continue;
                }
                if (s.stateDimension() != 1) {
                    throw new DataException("sequence '" + s.id() + "': named states are one per step, got "
                            + s.stateDimension());
                }
                for (int t = 0; t < s.length(); t++) {
                    double v = s.state(t, 0);
                    if (!Double.isNaN(v) && (v < 0 || v >= copy.size() || v != Math.rint(v))) {
                        throw new DataException("sequence '" + s.id() + "', step " + t + ": state " + number(v)
                                + " is not an index into the " + copy.size() + " state names");
                    }
                }
            }
        }
        return new Dataset(sequences, kind, dimension, inputDimension, symbolNames, copy, support, supportDeclared);
    }

    /** Names of the known hidden states (index order); empty when the states are unnamed or absent. */
    public List<String> stateNames() {
        return stateNames;
    }

    /**
     * The known hidden states renumbered to a model's state names: the state this dataset names "fair"
     * becomes the index of "fair" in {@code modelStateNames}. Data without state names, or a model
     * without them, is returned as it is.
     *
     * @param source names the data in errors
     * @throws DataException naming the source, sequence, step and name of a state the model does not have
     */
    public Dataset alignStates(List<String> modelStateNames, String source) {
        if (stateNames.isEmpty() || modelStateNames.isEmpty() || stateNames.equals(modelStateNames)) {
            return this;
        }
        String prefix = source == null || source.isEmpty() ? "" : source + ": ";
        List<Sequence> out = new ArrayList<>(sequences.size());
        for (Sequence s : sequences) {
            if (!s.hasStates()) {
                out.add(s);
                continue;
            }
            double[] states = s.states().orElseThrow();
            for (int t = 0; t < states.length; t++) {
                if (Double.isNaN(states[t])) {
                    continue;
                }
                String name = stateNames.get((int) states[t]);
                int k = modelStateNames.indexOf(name);
                if (k < 0) {
                    throw new DataException(prefix + "sequence '" + s.id() + "', step " + t + ": unknown state \""
                            + name + "\"; the model's states are " + String.join(", ", modelStateNames));
                }
                states[t] = k;
            }
            out.add(s.withStates(1, states));
        }
        return new Dataset(List.copyOf(out), kind, dimension, inputDimension, symbolNames, List.copyOf(modelStateNames),
                support, supportDeclared);
    }

    /**
     * The names "0", "1", ..., "m-1": the alphabet of symbols written as integers (a CSV {@code symbol}
     * column of integers), so that symbol k is index k. Immutable; holds no strings.
     */
    public static List<String> integerNames(int m) {
        if (m < 0 || m > MAX_SYMBOLS) {
            throw new IllegalArgumentException("an alphabet has 0.." + MAX_SYMBOLS + " symbols, got " + m);
        }
        return new IntegerNames(m);
    }

    /**
     * Whether {@code names} are "0", "1", ..., "m-1" (symbol k named k): known at once for an alphabet made by
     * {@link #integerNames}, else by reading the names.
     */
    public static boolean isIntegerNames(List<String> names) {
        if (names instanceof IntegerNames) {
            return true;
        }
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).equals(Integer.toString(i))) {
                return false;
            }
        }
        return true;
    }

    private static final class IntegerNames extends java.util.AbstractList<String> implements java.util.RandomAccess {
        private final int size;

        IntegerNames(int size) {
            this.size = size;
        }

        @Override
        public String get(int index) {
            java.util.Objects.checkIndex(index, size);
            return Integer.toString(index);
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public int indexOf(Object o) {
            if (o instanceof String s && s.matches("0|[1-9]\\d{0,8}")) {
                long k = Long.parseLong(s);
                return k < size ? (int) k : -1;
            }
            return -1;
        }

        @Override
        public boolean contains(Object o) {
            return indexOf(o) >= 0;
        }
    }

    // A symbol index as an integer ("3"), anything else as Java prints it ("1.5").
    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    public List<Sequence> sequences() {
        return sequences;
    }

    public int size() {
        return sequences.size();
    }

    public Sequence sequence(int i) {
        return sequences.get(i);
    }

    public ObservationKind kind() {
        return kind;
    }

    /** d, components per observation. */
    public int dimension() {
        return dimension;
    }

    /** p, exogenous inputs per step (0 when none). */
    public int inputDimension() {
        return inputDimension;
    }

    /** Names of the symbols (index order); empty when not given or not symbolic. */
    public List<String> symbolNames() {
        return symbolNames;
    }

    /**
     * The number of symbols: the names given, else one more than the largest index seen (at most
     * {@link #MAX_SYMBOLS}); 0 for real-valued data, which has no alphabet.
     */
    public int alphabetSize() {
        if (kind != ObservationKind.SYMBOLS) {
            return 0;
        }
        if (!symbolNames.isEmpty()) {
            return symbolNames.size();
        }
        int max = -1;
        for (Sequence s : sequences) {
            for (int t = 0; t < s.length(); t++) {
                max = Math.max(max, s.symbol(t));
            }
        }
        return max + 1;
    }

    /** Total number of steps over all sequences. */
    public long totalSteps() {
        long n = 0;
        for (Sequence s : sequences) {
            n += s.length();
        }
        return n;
    }

    /** Total number of observed (non-missing) scalar components. */
    public long observedCount() {
        long n = 0;
        for (Sequence s : sequences) {
            n += s.observedCount();
        }
        return n;
    }

    /** The same kind, names, dimensions and declared support with other sequences. */
    public Dataset withSequences(List<Sequence> others) {
        Dataset d = of(kind, others, symbolNames);
        Dataset named = stateNames.isEmpty() ? d : d.withStateNames(stateNames);
        return supportDeclared ? named.withSupport(support) : named;
    }

    /**
     * Splits every sequence in time: the first {@code fraction} of its steps (at least one) go to the
     * first dataset, the rest to the second. Sequences too short to give both sides a step go whole to
     * the first.
     *
     * @throws DataException when no sequence is long enough to hold out a step
     */
    public Split splitInTime(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("split fraction must be in (0, 1), got " + fraction);
        }
        List<Sequence> train = new ArrayList<>();
        List<Sequence> test = new ArrayList<>();
        for (Sequence s : sequences) {
            int cut = trainingSteps(s.length(), fraction);
            if (cut == s.length()) {
                train.add(s);
                continue;
            }
            train.add(s.slice(s.id(), 0, cut));
            test.add(s.slice(s.id(), cut, s.length()));
        }
        if (test.isEmpty()) {
            throw new DataException("cannot hold out data: every sequence has fewer than 2 steps");
        }
        return new Split(withSequences(train), withSequences(test), fraction, "time");
    }

    /**
     * How many leading steps of a sequence of {@code length} steps a time split with {@code fraction}
     * keeps for training: round(fraction · length), at least 1 and at most length - 1 (all of a
     * sequence shorter than 2).
     */
    public static int trainingSteps(int length, double fraction) {
        if (length < 2) {
            return length;
        }
        int cut = (int) Math.round(length * fraction);
        return Math.max(1, Math.min(cut, length - 1));
    }

    /**
     * Splits by whole sequences: the first {@code round(fraction * N)} sequences (at least one, at most
     * N-1) train, the rest are held out. Needs at least two sequences.
     */
    public Split splitBySequence(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("split fraction must be in (0, 1), got " + fraction);
        }
        if (sequences.size() < 2) {
            throw new DataException("cannot split by sequence: the dataset has only one sequence");
        }
        int cut = (int) Math.round(sequences.size() * fraction);
        cut = Math.max(1, Math.min(cut, sequences.size() - 1));
        return new Split(withSequences(sequences.subList(0, cut)),
                withSequences(sequences.subList(cut, sequences.size())), fraction, "sequence");
    }

    /** A training part and a held-out part of one dataset. */
    public record Split(Dataset training, Dataset heldOut, double fraction, String by) {
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dataset d && kind == d.kind && dimension == d.dimension
                && inputDimension == d.inputDimension && symbolNames.equals(d.symbolNames)
                && stateNames.equals(d.stateNames)
                && support == d.support && supportDeclared == d.supportDeclared && sequences.equals(d.sequences);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, dimension, inputDimension, sequences);
    }

    @Override
    public String toString() {
        return "Dataset[" + sequences.size() + " sequences, " + kind.jsonName() + ", d=" + dimension
                + (inputDimension > 0 ? ", p=" + inputDimension : "") + ", steps=" + totalSteps() + "]";
    }
}
