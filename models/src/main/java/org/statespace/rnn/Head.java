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
 *   <li>{@link Type#SOFTMAX}: rows = M; a categorical distribution softmax(rows) over M symbols.</li>
 * </ul>
 *
 * @param type       the kind of head
 * @param outputSize d for real observations, M for symbols
 * @param symbols    names of the M symbols of a softmax head, or empty
 */
public record Head(Type type, int outputSize, List<String> symbols) {

    /** The kind of head. */
    public enum Type {
        LINEAR, GAUSSIAN, SOFTMAX;

        /** The spec name: linear, gaussian, softmax. */
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
        if (!symbols.isEmpty() && (type != Type.SOFTMAX || symbols.size() != outputSize)) {
            throw new IllegalArgumentException("symbol names are for a softmax head, one per output; got "
                    + symbols.size() + " for a " + type.jsonName() + " head of " + outputSize);
        }
    }

    /** A head without symbol names. */
    public static Head of(Type type, int outputSize) {
        return new Head(type, outputSize, List.of());
    }

    /** The rows of {@code head.weight}: 2d for a Gaussian head, else the output size. */
    public int rows() {
        return type == Type.GAUSSIAN ? 2 * outputSize : outputSize;
    }

    /** Whether the observations are symbols (a softmax head). */
    public boolean symbolic() {
        return type == Type.SOFTMAX;
    }
}
