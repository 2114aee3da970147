package org.statespace;

import java.util.Optional;

import org.statespace.data.Dataset;
import org.statespace.data.ObservationKind;
import org.statespace.data.Sequence;

/**
 * What a model observes and takes: symbols from an alphabet of M, or real vectors of dimension d; and
 * p exogenous inputs per step (0 for none).
 *
 * @param kind           symbols or real values
 * @param size           M for symbols, d for real vectors
 * @param inputDimension p
 */
public record ObservationSpace(ObservationKind kind, int size, int inputDimension) {

    public ObservationSpace {
        if (size < 1) {
            throw new IllegalArgumentException("observation size must be at least 1, got " + size);
        }
        if (inputDimension < 0) {
            throw new IllegalArgumentException("input dimension must be non-negative, got " + inputDimension);
        }
    }

    /** Symbols 0..M-1, no inputs. */
    public static ObservationSpace symbols(int alphabetSize) {
        return new ObservationSpace(ObservationKind.SYMBOLS, alphabetSize, 0);
    }

    /** Real vectors of dimension d, no inputs. */
    public static ObservationSpace reals(int dimension) {
        return new ObservationSpace(ObservationKind.REAL, dimension, 0);
    }

    /** The same with p inputs. */
    public ObservationSpace withInputs(int p) {
        return new ObservationSpace(kind, size, p);
    }

    /** The dimension of one observation: 1 for symbols, d for vectors. */
    public int dimension() {
        return kind == ObservationKind.SYMBOLS ? 1 : size;
    }

    /**
     * Why a dataset does not fit a model with this space, or empty when it does. Symbol models accept
     * any one-dimensional data whose observed values are integer indices below M; real models accept
     * real data of dimension d, never data declared symbolic. A model that takes no inputs accepts data
     * with inputs and ignores them; a model that takes p inputs needs exactly p.
     */
    public Optional<String> incompatibility(Dataset data) {
        if (inputDimension > 0 && data.inputDimension() != inputDimension) {
            return Optional.of("the model takes " + inputDimension + " inputs per step but the data has "
                    + data.inputDimension());
        }
        if (kind == ObservationKind.SYMBOLS) {
            if (data.dimension() != 1) {
                return Optional.of("the model emits symbols but the data has " + data.dimension()
                        + "-dimensional observations");
            }
            for (Sequence s : data.sequences()) {
                for (int t = 0; t < s.length(); t++) {
                    double v = s.scalar(t);
                    if (!Double.isNaN(v) && (v < 0 || v >= size || v != Math.rint(v))) {
                        return Optional.of("the model emits symbols 0.." + (size - 1) + " but sequence '" + s.id()
                                + "' has " + v + " at step " + t);
                    }
                }
            }
            return Optional.empty();
        }
        if (data.kind() == ObservationKind.SYMBOLS) {
            return Optional.of("the model emits real values but the data are symbols");
        }
        if (data.dimension() != size) {
            return Optional.of("the model emits " + size + "-dimensional observations but the data has "
                    + data.dimension() + "-dimensional ones");
        }
        return Optional.empty();
    }

    /** Throws a {@link DataException} naming {@code source} when the data does not fit. */
    public void requireCompatible(Dataset data, String source) {
        incompatibility(data).ifPresent(reason -> {
            throw new DataException((source == null || source.isEmpty() ? "" : source + ": ") + reason);
        });
    }

    /** "symbols(6)", "reals(2)", with "+ inputs(1)" when there are inputs. */
    @Override
    public String toString() {
        return (kind == ObservationKind.SYMBOLS ? "symbols(" : "reals(") + size + ")"
                + (inputDimension > 0 ? " + inputs(" + inputDimension + ")" : "");
    }
}
