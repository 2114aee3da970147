package org.statespace.rnn;

import java.util.List;
import java.util.Locale;

/**
 * The output head, an {@code nn.Linear} on the top layer's output ({@code head.weight}: rows × H_top,
 * {@code head.bias}: rows), turned into the predictive distribution of the observation:
 * <ul>
 *   <li>{@link Type#LINEAR}: rows = d; the means of a Gaussian with diagonal variance {@code variance}
 *       (a head parameter that gradient training does not move: it is re-estimated from the training
 *       residuals after every epoch, the maximum-likelihood value given the means);</li>
 *   <li>{@link Type#GAUSSIAN}: rows = 2d; the means first, then the log-variances;</li>
 *   <li>{@link Type#SOFTMAX}: rows = M; a categorical distribution softmax(rows) over M symbols;</li>
 *   <li>{@link Type#BELIEF}: no weights of its own; the top layer is a hybrid cell and the head is that
 *       filter's predictive distribution Σ_k h_k b_k(o) (for an HMM cell: its belief h over K states and its
 *       emission densities b_k). Its outputs (rows = d, or M) are the predictive means (or probabilities).</li>
 * </ul>
 *
 * @param type       the kind of head
 * @param outputSize d for real observations, M for symbols
 * @param symbols    names of the M symbols of a softmax head, or empty
 * @param overSymbols whether the observations are symbols (true for a softmax head, false for the linear
 *                   and Gaussian heads, either for a belief head)
 */
public record Head(Type type, int outputSize, List<String> symbols, boolean overSymbols) {

    /** The kind of head. */
    public enum Type {
        LINEAR, GAUSSIAN, SOFTMAX, BELIEF;

        /** The spec name: linear, gaussian, softmax, belief. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Head {
        if (type == null) {
            throw new IllegalArgumentException("a head needs a type");
        }
        if (outputSize < 1) {
            throw new IllegalArgumentException("outputSize must be at least 1, got " + outputSize);
        }
        symbols = List.copyOf(symbols);
        if (type != Type.BELIEF && overSymbols != (type == Type.SOFTMAX)) {
            throw new IllegalArgumentException("a " + type.jsonName() + " head is " + (type == Type.SOFTMAX ? "" : "not ")
                    + "over symbols");
        }
        if (!symbols.isEmpty() && !overSymbols) {
            throw new IllegalArgumentException("symbol names are for a head over symbols");
        }
        if (!symbols.isEmpty() && (!(type == Type.SOFTMAX || type == Type.BELIEF) || symbols.size() != outputSize)) {
            throw new IllegalArgumentException("symbol names are for a softmax or belief head, one per output; got "
                    + symbols.size() + " for a " + type.jsonName() + " head of " + outputSize);
        }
    }

    /** A linear, Gaussian or softmax head (over symbols exactly when softmax). */
    public Head(Type type, int outputSize, List<String> symbols) {
        this(type, outputSize, symbols, type == Type.SOFTMAX);
    }

    /** A belief head: over M symbols (names optional) or d-dimensional real observations. */
    public static Head belief(int outputSize, boolean overSymbols, List<String> symbols) {
        return new Head(Type.BELIEF, outputSize, symbols, overSymbols);
    }

    /** A head without symbol names. */
    public static Head of(Type type, int outputSize) {
        return new Head(type, outputSize, List.of());
    }

    /** The rows of {@code head.weight} (2d for a Gaussian head, else the output size), and of the head's outputs. */
    public int rows() {
        return type == Type.GAUSSIAN ? 2 * outputSize : outputSize;
    }

    /**
     * Whether the observations are symbols: a softmax head, or a belief head over symbols (built by
     * {@link #belief}).
     */
    public boolean symbolic() {
        return overSymbols;
    }

    /** Whether a head has weights of its own (every head but the belief head). */
    public boolean hasWeights() {
        return type != Type.BELIEF;
    }
}
