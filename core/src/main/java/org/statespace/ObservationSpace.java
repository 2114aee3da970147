package org.statespace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.statespace.data.Dataset;
import org.statespace.data.ObservationKind;
import org.statespace.data.Sequence;

/**
 * What a model observes and takes: symbols from an alphabet of M, or real vectors of dimension d; and
 * p exogenous inputs per step (0 for none).
 *
 * <p><b>Symbols are matched by name.</b> A symbolic model names its alphabet ({@link #symbolNames()}, the
 * spec's {@code "states"} of a Markov chain, {@code "symbols"} of a categorical HMM or of an RNN's softmax
 * head); data meets the model through {@link #align}, which maps every observed symbol to the model's
 * index of the same name, whatever order or subset of the alphabet the dataset lists. A model
 * <em>declares integer symbols</em> ({@link #integerSymbols()}) when it names no symbols, or when its names
 * are exactly {@code "0", "1", ..., "M-1"}; only such a model accepts symbols given as bare indices (a CSV
 * {@code symbol} column of integers, JSON integer observations without a {@code "symbols"} list). A model
 * with other names needs named data, and an unnamed model accepts a named dataset only when the names
 * are {@code "0".."M-1"}.
 *
 * @param kind           symbols or real values
 * @param size           M for symbols, d for real vectors
 * @param inputDimension p
 * @param symbolNames    the M names of the symbols in index order, or empty when the model names none
 */
public record ObservationSpace(ObservationKind kind, int size, int inputDimension, List<String> symbolNames) {

    public ObservationSpace {
        if (size < 1) {
            throw new IllegalArgumentException("observation size must be at least 1, got " + size);
        }
        if (inputDimension < 0) {
            throw new IllegalArgumentException("input dimension must be non-negative, got " + inputDimension);
        }
        symbolNames = List.copyOf(symbolNames);
        if (!symbolNames.isEmpty()) {
            if (kind != ObservationKind.SYMBOLS) {
                throw new IllegalArgumentException("symbol names are only for symbolic observations");
            }
            if (symbolNames.size() != size) {
                throw new IllegalArgumentException(symbolNames.size() + " symbol names for " + size + " symbols");
            }
            if (new HashSet<>(symbolNames).size() != size) {
                throw new IllegalArgumentException("symbol names must be distinct, got " + symbolNames);
            }
        }
    }

    /** Without symbol names. */
    public ObservationSpace(ObservationKind kind, int size, int inputDimension) {
        this(kind, size, inputDimension, List.of());
    }

    /** Symbols 0..M-1 without names (integer symbols), no inputs. */
    public static ObservationSpace symbols(int alphabetSize) {
        return new ObservationSpace(ObservationKind.SYMBOLS, alphabetSize, 0);
    }

    /**
     * M symbols with these names (empty for an unnamed alphabet of {@code alphabetSize} integer symbols),
     * no inputs.
     */
    public static ObservationSpace symbols(int alphabetSize, List<String> names) {
        return new ObservationSpace(ObservationKind.SYMBOLS, alphabetSize, 0, names);
    }

    /** Real vectors of dimension d, no inputs. */
    public static ObservationSpace reals(int dimension) {
        return new ObservationSpace(ObservationKind.REAL, dimension, 0);
    }

    /** The same with p inputs. */
    public ObservationSpace withInputs(int p) {
        return new ObservationSpace(kind, size, p, symbolNames);
    }

    /** The dimension of one observation: 1 for symbols, d for vectors. */
    public int dimension() {
        return kind == ObservationKind.SYMBOLS ? 1 : size;
    }

    /**
     * Whether the model declares integer symbols: it is symbolic and names none, or its names are
     * exactly {@code "0".."M-1"} in that order. Only then may data give symbols as bare indices.
     */
    public boolean integerSymbols() {
        return kind == ObservationKind.SYMBOLS && Dataset.isIntegerNames(symbolNames);
    }

    // the model's index of the data's symbol `name` (-1: the model has no such symbol)
    private int modelIndex(String name, List<String> modelNames, Map<String, Integer> index) {
        return symbolNames.isEmpty() ? modelNames.indexOf(name) : index.getOrDefault(name, -1);
    }

    private static final int UNMAPPED = -2;

    /**
     * Why a dataset does not fit a model with this space, or empty when it does. Symbol models accept
     * one-dimensional data whose symbols all name symbols of the model (see {@link #align}), or, when the
     * model declares integer symbols, whose unnamed values are integer indices below M; real models
     * accept real data of dimension d, never data declared symbolic. A model that takes no inputs
     * accepts data with inputs and ignores them; a model that takes p inputs needs exactly p.
     */
    public Optional<String> incompatibility(Dataset data) {
        try {
            align(data, "");
            return Optional.empty();
        } catch (DataException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Throws a {@link DataException} naming {@code source} when the data does not fit. */
    public void requireCompatible(Dataset data, String source) {
        align(data, source);
    }

    /**
     * The dataset expressed in this space's alphabet: every observed symbol is replaced by the model's
     * index of the symbol with the same name, and the result carries the model's names (or none, for an
     * unnamed model). A dataset that already uses the model's alphabet is returned as it is; real data
     * is only checked.
     *
     * @param source names the data in errors (a file name), may be empty
     * @throws DataException naming {@code source}, the sequence, the step and the value when a symbol is
     *                       not in the model's alphabet, when the model's symbols are named and the data
     *                       gives bare indices, or when dimensions or inputs do not fit
     */
    public Dataset align(Dataset data, String source) {
        String prefix = source == null || source.isEmpty() ? "" : source + ": ";
        if (inputDimension > 0 && data.inputDimension() != inputDimension) {
            throw new DataException(prefix + "the model takes " + inputDimension + " inputs per step but the data has "
                    + data.inputDimension());
        }
        if (kind != ObservationKind.SYMBOLS) {
            if (data.kind() == ObservationKind.SYMBOLS) {
                throw new DataException(prefix + "the model emits real values but the data are symbols");
            }
            if (data.dimension() != size) {
                throw new DataException(prefix + "the model emits " + size
                        + "-dimensional observations but the data has " + data.dimension() + "-dimensional ones");
            }
            return data;
        }
        if (data.dimension() != 1) {
            throw new DataException(prefix + "the model emits symbols but the data has " + data.dimension()
                    + "-dimensional observations");
        }
        List<String> dataNames = data.kind() == ObservationKind.SYMBOLS ? data.symbolNames() : List.of();
        if (dataNames.isEmpty()) {
            return alignIndices(data, prefix);
        }
        if (dataNames.equals(symbolNames)) {
            return data;
        }
        // The model's index of each of the data's symbols (-1: the model has no such symbol).
        List<String> modelNames = symbolNames.isEmpty() ? Dataset.integerNames(size) : symbolNames;
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < symbolNames.size(); i++) {
            index.put(symbolNames.get(i), i);
        }
        // The alphabet "0".."max" of symbols written as integers declares nothing beyond the values it holds, and
        // may be large (a CSV symbol column of 7-digit integers): only the symbols observed are looked up.
        boolean implicit = Dataset.isIntegerNames(dataNames);
        int[] map = new int[dataNames.size()];
        Arrays.fill(map, UNMAPPED);
        if (!implicit) {
            for (int k = 0; k < map.length; k++) {
                map[k] = modelIndex(dataNames.get(k), modelNames, index);
            }
        }
        List<Sequence> out = new ArrayList<>(data.size());
        for (Sequence s : data.sequences()) {
            double[] values = s.observations();
            boolean identity = true;
            for (int t = 0; t < values.length; t++) {
                double v = values[t];
                if (Double.isNaN(v)) {
                    continue;
                }
                int k = (int) v;
                if (map[k] == UNMAPPED) {
                    map[k] = modelIndex(dataNames.get(k), modelNames, index);
                }
                if (map[k] < 0) {
                    throw new DataException(prefix + "sequence '" + s.id() + "', step " + t + ": "
                            + unknownSymbolProblem(dataNames.get(k)));
                }
                identity &= map[k] == k;
                values[t] = map[k];
            }
            out.add(identity ? s : rebuild(s, values));
        }
        // A name the data declares but never uses must still be one of the model's.
        for (int k = 0; k < map.length && !implicit; k++) {
            if (map[k] < 0) {
                throw new DataException(prefix + "symbols[" + k + "]: " + unknownSymbolProblem(dataNames.get(k)));
            }
        }
        return Dataset.ofSymbols(out, symbolNames).withStateNames(data.stateNames());
    }

    /**
     * What {@link #align} says of the observed value {@code v} of a symbolic model's data without symbol names (a
     * bare index), or null when the model takes it; for readers that check a sequence step by step.
     */
    public String bareIndexProblem(double v) {
        if (Double.isNaN(v)) {
            return null;
        }
        if (v < 0 || v != Math.rint(v)) {
            return number(v) + " is not a symbol (neither a name nor an integer index)";
        }
        if (!integerSymbols()) {
            return "the symbol is given as the index " + number(v) + ", but the model names its symbols ("
                    + listed(symbolNames) + "); write the names";
        }
        if (v >= size) {
            return number(v) + " is not a symbol of the model, which emits symbols 0.." + (size - 1);
        }
        return null;
    }

    /** What {@link #align} says of a symbol {@code name} of the data that this (symbolic) model does not have. */
    public String unknownSymbolProblem(String name) {
        List<String> modelNames = symbolNames.isEmpty() ? Dataset.integerNames(size) : symbolNames;
        return "unknown symbol \"" + abbreviate(name) + "\"; the model's symbols are " + listed(modelNames);
    }

    // Unnamed data: integer indices, allowed only where the model declares integer symbols.
    private Dataset alignIndices(Dataset data, String prefix) {
        for (Sequence s : data.sequences()) {
            for (int t = 0; t < s.length(); t++) {
                double v = s.scalar(t);
                if (Double.isNaN(v)) {
                    continue;
                }
                String problem = bareIndexProblem(v);
                if (problem != null) {
                    throw new DataException(prefix + "sequence '" + s.id() + "', step " + t + ": " + problem);
                }
            }
        }
        if (data.kind() == ObservationKind.SYMBOLS && data.symbolNames().equals(symbolNames)) {
            return data;
        }
        return Dataset.ofSymbols(data.sequences(), symbolNames).withStateNames(data.stateNames());
    }

    private static Sequence rebuild(Sequence s, double[] values) {
        Sequence r = Sequence.of(s.id(), 1, values);
        if (s.inputDimension() > 0) {
            r = r.withInputs(s.inputDimension(), s.inputs());
        }
        if (s.hasStates()) {
            r = r.withStates(s.stateDimension(), s.states().orElseThrow());
        }
        return r;
    }

    /** An integer as an integer ("3"), anything else as Java prints it. */
    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static String listed(List<String> names) {
        if (names.size() <= 12) {
            return String.join(", ", names.stream().map(ObservationSpace::abbreviate).toList());
        }
        return String.join(", ", names.subList(0, 12).stream().map(ObservationSpace::abbreviate).toList())
                + ", ... (" + names.size() + " in all)";
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** "symbols(6)", "reals(2)", with "+ inputs(1)" when there are inputs. */
    @Override
    public String toString() {
        return (kind == ObservationKind.SYMBOLS ? "symbols(" : "reals(") + size + ")"
                + (inputDimension > 0 ? " + inputs(" + inputDimension + ")" : "");
    }
}
